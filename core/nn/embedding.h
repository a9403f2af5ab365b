#pragma once
// Embedding table, PyTorch nn.Embedding: rows are token vectors, initialised N(0, std).
#include "core/autograd/ops.h"

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

}  // namespace ar::nn
