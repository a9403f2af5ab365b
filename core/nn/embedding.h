#pragma once
// Embedding table, PyTorch nn.Embedding: rows are token vectors, initialised N(0, std). And the fixed
// sinusoidal position table (Vaswani et al. 2017): PE(p, 2i) = sin(p / 10000^(2i/C)), PE(p, 2i+1) = cos(...).
#include "core/autograd/ops.h"
#include "core/error.h"

#include <cmath>
#include <string>

namespace ar::nn {

struct Embedding {
    Var weight;  // (V, C)

    Embedding() = default;
    Embedding(int count, int dim, Rng& rng, float std = 1.0f) {
        if (rng.isForLoading()) {  // weights come from a file next: no draws
            *this = Embedding(count, dim);
            return;
        }
        Mat w(count, dim);
        for (Index i = 0; i < w.size(); ++i) w.data()[i] = float(rng.normal(0.0, std));
        weight = Var::param(std::move(w));
    }
    Embedding(int count, int dim) : weight(Var::param(Mat::Zero(count, dim))) {}  // zero: loaded from a file next
    int count() const { return int(weight.rows()); }
    int dim() const { return int(weight.cols()); }
    Var forward(std::span<const int> ids) const { return ops::embedding(weight, ids); }  // -> (N, C)
    void collect(ParamList& out, const std::string& prefix) const { out.push_back({prefix + "weight", weight, {}}); }
};

inline Mat sinusoidalEncoding(int T, int C) {  // (T, C), C even
    if (T < 1 || C < 2 || C % 2) throw Error("sinusoidal positions need T >= 1 and an even width, got " + std::to_string(C));
    Mat pe(T, C);
    for (int p = 0; p < T; ++p)
        for (int i = 0; i < C / 2; ++i) {
            const double angle = double(p) / std::pow(10000.0, 2.0 * i / double(C));
            pe(p, 2 * i) = float(std::sin(angle));
            pe(p, 2 * i + 1) = float(std::cos(angle));
        }
    return pe;
}

}  // namespace ar::nn
