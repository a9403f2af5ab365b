// Mixture-of-experts MLP: routing, the experts, the combine op (forward and backward) and the balancing loss.
#include "core/nn/moe.h"

#include "core/error.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace ar::nn {

namespace {
void fillNormal(Var& v, Rng& rng, double std) {
    if (rng.isForLoading()) return;  // weights come from a file next: no draws
    Mat& m = v.value();
    for (Index i = 0; i < m.size(); ++i) m.data()[i] = float(rng.normal(0.0, std));
}
}  // namespace

MoeMlp::MoeMlp(int C, int experts, int hidden, int k, Rng& rng, double projStd) : topK(k) {
    if (experts < 1 || k < 1 || k > experts)
        throw Error("mixture of experts: top-k must be between 1 and the number of experts (" + std::to_string(experts) +
                    "), got " + std::to_string(k));
    if (hidden < 1) throw Error("mixture of experts: the expert width must be at least 1");
    router = Linear(C, experts, false, rng);
    fillNormal(router.weight, rng, 0.02);
    for (int e = 0; e < experts; ++e) {
        fc.emplace_back(C, hidden, true, rng);
        proj.emplace_back(hidden, C, true, rng);
        fillNormal(fc.back().weight, rng, 0.02);
        fillNormal(proj.back().weight, rng, projStd);
        fc.back().bias.value().setZero();
        proj.back().bias.value().setZero();
    }
}

Var scatterAddRows(const Var& part, const std::vector<int>& rows, Index N) {
    if (Index(rows.size()) != part.rows()) throw Error("scatterAddRows: one destination row per part row expected");
    Mat out = Mat::Zero(N, part.cols());
    for (size_t i = 0; i < rows.size(); ++i) {
        if (rows[i] < 0 || rows[i] >= N) throw Error("scatterAddRows: row " + std::to_string(rows[i]) + " is outside 0.." + std::to_string(N - 1));
        out.row(rows[i]) += part.value().row(Index(i));
    }
    return makeResult(std::move(out), {part}, [rows](Node& self) {
        Node& in = *self.inputs[0];
        Mat d(Index(rows.size()), self.grad.cols());
        for (size_t i = 0; i < rows.size(); ++i) d.row(Index(i)) = self.grad.row(rows[i]);  // gather
        accumulate(in, d);
    });
}

Var MoeMlp::forward(const Var& x, Var* aux, MoeRouting* routing) const {
    const Index N = x.rows();
    const int E = experts(), k = topK;
    Var logits = router.forward(x);                                // (N, E)
    const Mat& r = logits.value();
    // choose: the k largest logits of each row (stable: ties go to the lower index)
    Eigen::Matrix<int, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> chosen(N, k);
    Mat mask = Mat::Constant(N, E, -std::numeric_limits<float>::infinity());  // 0 where chosen
    std::vector<int> order(static_cast<size_t>(E));
    for (Index n = 0; n < N; ++n) {
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return r(n, a) > r(n, b); });
        for (int j = 0; j < k; ++j) {
            chosen(n, j) = order[size_t(j)];
            mask(n, order[size_t(j)]) = 0.0f;
        }
    }
    Var gates = ops::softmaxRows(ops::add(logits, Var(std::move(mask))));  // (N, E), 0 off the chosen experts
    std::vector<std::vector<int>> rowsOf(static_cast<size_t>(E));
    for (Index n = 0; n < N; ++n)
        for (int j = 0; j < k; ++j) rowsOf[size_t(chosen(n, j))].push_back(int(n));

    std::vector<Var> parts;
    std::vector<int> dest;
    for (int e = 0; e < E; ++e) {
        const auto& rows = rowsOf[size_t(e)];
        if (rows.empty()) continue;
        Var xe = ops::embedding(x, rows);                                          // (n_e, C)
        Var he = proj[size_t(e)].forward(ops::gelu(fc[size_t(e)].forward(xe)));   // (n_e, C)
        Var ge = ops::embedding(ops::sliceCols(gates, e, 1), rows);                // (n_e, 1)
        parts.push_back(ops::mulCol(he, ge));
        dest.insert(dest.end(), rows.begin(), rows.end());
    }
    Var y = scatterAddRows(ops::concatRows(parts), dest, N);                      // (N, C)

    Var probs;
    if (aux || routing) probs = ops::softmaxRows(logits);                          // (N, E)
    if (aux) {
        Mat f(1, E);                                                                // fraction of slots per expert
        for (int e = 0; e < E; ++e) f(0, e) = float(rowsOf[size_t(e)].size()) / float(N * k);
        Var meanProb = ops::matmul(Var(Mat::Constant(1, N, 1.0f / float(N))), probs);  // (1, E)
        *aux = ops::scale(ops::sum(ops::mul(meanProb, Var(std::move(f)))), float(E));
    }
    if (routing) {
        routing->experts = chosen;
        routing->gates.resize(N, k);
        for (Index n = 0; n < N; ++n)
            for (int j = 0; j < k; ++j) routing->gates(n, j) = gates.value()(n, chosen(n, j));
        routing->probs = probs.value();
        routing->load.assign(size_t(E), 0);
        for (int e = 0; e < E; ++e) routing->load[size_t(e)] = int(rowsOf[size_t(e)].size());
    }
    return y;
}

void MoeMlp::collect(ParamList& out, const std::string& prefix) const {
    router.collect(out, prefix + "router.");
    for (int e = 0; e < experts(); ++e) {
        const std::string p = prefix + "experts." + std::to_string(e) + ".";
        fc[size_t(e)].collect(out, p + "c_fc.");
        proj[size_t(e)].collect(out, p + "c_proj.");
    }
}

}  // namespace ar::nn
