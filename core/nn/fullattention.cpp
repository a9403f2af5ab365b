// Unmasked multi-head attention: forward, then its backward right below it.
#include "core/nn/fullattention.h"

#include "core/error.h"
#include "core/nn/kernels.h"

#include <cmath>
#include <string>

namespace ar::nn {

Var attention(const Var& q, const Var& k, const Var& v, int B, int Tq, int Tk, int H, AttentionMaps* keep) {
    if (B <= 0 || Tq <= 0 || Tk <= 0 || q.rows() != Index(B) * Tq)
        throw Error("attention: q has " + std::to_string(q.rows()) + " rows, expected B*Tq = " + std::to_string(B) + "*" +
                    std::to_string(Tq));
    if (k.rows() != Index(B) * Tk || v.rows() != Index(B) * Tk)
        throw Error("attention: k and v must have B*Tk = " + std::to_string(B) + "*" + std::to_string(Tk) + " rows");
    const int C = int(q.cols());
    if (k.cols() != C || v.cols() != C) throw Error("attention: q, k and v must have the same width");
    if (H <= 0 || C % H != 0)
        throw Error("attention: " + std::to_string(H) + " heads do not divide the width " + std::to_string(C));
    const int D = C / H;
    const float scale = 1.0f / std::sqrt(float(D));

    const Mat &Q = q.value(), &K = k.value(), &Vv = v.value();
    Mat out(Index(B) * Tq, C);                               // (B*Tq, C)
    std::vector<Mat> Ps(size_t(B * H));                      // (Tq, Tk) each
    for (int b = 0; b < B; ++b)
        for (int h = 0; h < H; ++h) {
            const auto qb = Q.block(Index(b) * Tq, h * D, Tq, D);   // (Tq, D)
            const auto kb = K.block(Index(b) * Tk, h * D, Tk, D);   // (Tk, D)
            const auto vb = Vv.block(Index(b) * Tk, h * D, Tk, D);  // (Tk, D)
            Mat P = matmulNT(qb, kb) * scale;                       // (Tq, Tk) scores
            for (int i = 0; i < Tq; ++i) softmaxInPlace(P.row(i).data(), Tk);
            out.block(Index(b) * Tq, h * D, Tq, D) = matmulNN(P, vb);
            Ps[size_t(b * H + h)] = std::move(P);
        }
    if (keep) {
        keep->B = B;
        keep->H = H;
        keep->T = Tq;
        keep->probs = Ps;
    }
    return makeResult(std::move(out), {q, k, v}, [B, Tq, Tk, H, D, scale, Ps = std::move(Ps)](Node& self) {
        // y = P v, P = softmax(S), S = q k^T * scale:
        //   dv = P^T dy;  dP = dy v^T;  dS = P * (dP - rowsum(P * dP));  dq = scale dS k;  dk = scale dS^T q
        Node& Qn = *self.inputs[0];
        Node& Kn = *self.inputs[1];
        Node& Vn = *self.inputs[2];
        const Mat& G = self.grad;                               // (B*Tq, C)
        Mat dQ = Mat::Zero(Qn.value.rows(), Qn.value.cols());
        Mat dK = Mat::Zero(Kn.value.rows(), Kn.value.cols());
        Mat dV = Mat::Zero(Vn.value.rows(), Vn.value.cols());
        for (int b = 0; b < B; ++b)
            for (int h = 0; h < H; ++h) {
                const Mat& P = Ps[size_t(b * H + h)];
                const auto dy = G.block(Index(b) * Tq, h * D, Tq, D);
                const auto qb = Qn.value.block(Index(b) * Tq, h * D, Tq, D);
                const auto kb = Kn.value.block(Index(b) * Tk, h * D, Tk, D);
                const auto vb = Vn.value.block(Index(b) * Tk, h * D, Tk, D);
                Mat dP = matmulNT(dy, vb);                      // (Tq, Tk)
                dV.block(Index(b) * Tk, h * D, Tk, D) = matmulTN(P, dy);
                ColVec rowDot = P.cwiseProduct(dP).rowwise().sum();
                Mat dS = (P.array() * (dP.array().colwise() - rowDot.array())).matrix() * scale;
                dQ.block(Index(b) * Tq, h * D, Tq, D) = matmulNN(dS, kb);
                dK.block(Index(b) * Tk, h * D, Tk, D) = matmulTN(dS, qb);
            }
        // q, k, v may be one node (selfAttention slices them from qkv, but a caller may pass the same Var)
        if (Qn.requiresGrad) accumulate(Qn, dQ);
        if (Kn.requiresGrad) accumulate(Kn, dK);
        if (Vn.requiresGrad) accumulate(Vn, dV);
    });
}

Var selfAttention(const Var& qkv, int B, int T, int H, AttentionMaps* keep) {
    if (qkv.cols() % 3 != 0) throw Error("attention: qkv must have 3C columns");
    const Index C = qkv.cols() / 3;
    return attention(ops::sliceCols(qkv, 0, C), ops::sliceCols(qkv, C, C), ops::sliceCols(qkv, 2 * C, C), B, T, T, H,
                     keep);
}

Var crossAttention(const Var& q, const Var& kv, int B, int T, int S, int H, AttentionMaps* keep) {
    if (kv.cols() != 2 * q.cols()) throw Error("attention: kv must have 2C columns for C = " + std::to_string(q.cols()));
    const Index C = q.cols();
    return attention(q, ops::sliceCols(kv, 0, C), ops::sliceCols(kv, C, C), B, T, S, H, keep);
}

}  // namespace ar::nn
