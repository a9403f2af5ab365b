#pragma once
// Linear layer with PyTorch's layout and initialisation: y = x W^T + b, W (out, in), b (out).
#include "core/autograd/ops.h"

namespace ar::nn {

struct Linear {
    Var weight;  // (out, in)
    Var bias;    // (1, out), stored in files as shape [out]; undefined when the layer has no bias

    Linear() = default;
    Linear(int in, int out, bool hasBias, Rng& rng) {
        if (rng.isForLoading()) {  // weights come from a file next: no draws
            *this = Linear(in, out, hasBias);
            return;
        }
        const float bound = 1.0f / std::sqrt(float(in));   // PyTorch: U(-1/sqrt(in), 1/sqrt(in))
        Mat w(out, in);
        for (Index i = 0; i < w.size(); ++i) w.data()[i] = float(rng.uniform(-bound, bound));
        weight = Var::param(std::move(w));
        if (hasBias) {
            Mat b(1, out);
            for (Index i = 0; i < b.size(); ++i) b.data()[i] = float(rng.uniform(-bound, bound));
            bias = Var::param(std::move(b));
        }
    }
    // Shapes only, all zero: for weights that are loaded from a file next (no random draws wasted on them).
    Linear(int in, int out, bool hasBias) : weight(Var::param(Mat::Zero(out, in))) {
        if (hasBias) bias = Var::param(Mat::Zero(1, out));
    }
    int in() const { return int(weight.cols()); }
    int out() const { return int(weight.rows()); }

    Var forward(const Var& x) const {  // (N, in) -> (N, out)
        return bias.defined() ? ops::linear(x, weight, bias) : ops::matmulNT(x, weight);
    }
    void collect(ParamList& out, const std::string& prefix) const {
        out.push_back({prefix + "weight", weight, {}});
        if (bias.defined()) out.push_back({prefix + "bias", bias, {bias.cols()}});
    }
};

}  // namespace ar::nn
