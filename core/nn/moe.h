#pragma once
// A mixture-of-experts MLP (Shazeer et al. 2017; Switch Transformer, Fedus et al. 2021): E small MLPs ("experts")
// and a router that sends every token to k of them.
//
//   router logits r = x W_r^T                     (N, E), W_r (E, C), no bias
//   p = softmax(r)                                (N, E)  the router's full distribution
//   chosen(n) = the k largest r[n, :] (ties: lower index first)
//   gates g[n, e] = softmax of r[n, :] over chosen(n) only: they sum to 1 over the chosen experts, 0 elsewhere
//   y[n] = sum over e in chosen(n) of g[n, e] * expert_e(x[n]),   expert_e = c_proj(gelu(c_fc(x)))  (TinyGPT's MLP)
// Each token runs only k experts, so the compute per token is k experts' however large E is.
//
// Load balancing (Switch Transformer): aux = E * sum_e f_e * P_e with f_e the fraction of routing slots that went
// to expert e (counted, no gradient) and P_e the mean router probability of e (differentiable). It is 1 when the
// load is uniform and grows when the router favours some experts; training adds weight * aux to the loss.
//
// Legend: N tokens (rows), C width, E experts, k experts per token, F expert hidden width.
#include "core/autograd/ops.h"
#include "core/nn/linear.h"

#include <Eigen/Core>
#include <string>
#include <vector>

namespace ar::nn {

// Where the tokens went, for the routing view and the tests.
struct MoeRouting {
    Eigen::Matrix<int, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> experts;  // (N, k) chosen experts, best first
    Mat gates;   // (N, k) their gates, each row sums to 1
    Mat probs;   // (N, E) the router's full softmax
    std::vector<int> load;  // E: routing slots per expert (sum = N * k)
};

struct MoeMlp {
    Linear router;              // (E, C), no bias
    std::vector<Linear> fc;     // E x (F, C) + (1, F)
    std::vector<Linear> proj;   // E x (C, F) + (1, C)
    int topK = 2;

    MoeMlp() = default;
    // TinyGPT's initialisation: N(0, 0.02) weights (projections N(0, projStd)), zero biases; router N(0, 0.02).
    MoeMlp(int C, int experts, int hidden, int topK, Rng& rng, double projStd);
    int experts() const { return int(fc.size()); }

    // x (N, C) -> (N, C). `aux` (optional) receives the (1, 1) load-balancing loss, `routing` the decisions.
    Var forward(const Var& x, Var* aux = nullptr, MoeRouting* routing = nullptr) const;
    // prefix + "router.weight", prefix + "experts.{e}.c_fc.weight", ... (the names of common MoE checkpoints)
    void collect(ParamList& out, const std::string& prefix) const;
};

// (Rows are gathered with ops::embedding(x, rows), whose backward scatters.) The inverse:
// out (N, C) with out[rows[i]] += part[i]; backward gathers.
Var scatterAddRows(const Var& part, const std::vector<int>& rows, Index N);

}  // namespace ar::nn
