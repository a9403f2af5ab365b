#pragma once
// LayerNorm over the last dimension, PyTorch nn.LayerNorm(C, eps=1e-5): weight = 1, bias = 0 at init.
#include "core/autograd/ops.h"

namespace ar::nn {

struct LayerNorm {
    Var weight;  // (1, C), stored in files as shape [C]
    Var bias;    // (1, C), stored in files as shape [C]
    float eps = 1e-5f;

    LayerNorm() = default;
    explicit LayerNorm(int dim) : weight(Var::param(Mat::Ones(1, dim))), bias(Var::param(Mat::Zero(1, dim))) {}
    Var forward(const Var& x) const { return ops::layerNorm(x, weight, bias, eps); }  // (N, C) -> (N, C)
    void collect(ParamList& out, const std::string& prefix) const {
        out.push_back({prefix + "weight", weight, {weight.cols()}});
        out.push_back({prefix + "bias", bias, {bias.cols()}});
    }
};

}  // namespace ar::nn
