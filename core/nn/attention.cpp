// Fused causal self-attention: forward, then its backward right below it.
#include "core/nn/attention.h"

#include "core/error.h"
#include "core/nn/kernels.h"
#include "core/nn/qkvshape.h"
#include "core/nn/threads.h"

#include <cmath>
#include <string>

namespace ar::nn {

namespace {
// cos and sin of the D/2 rotation angles at one position: angle_i = pos * 10000^(-2i/D).
void ropeAngles(int pos, int D, float* c, float* s) {
    for (int i = 0; i < D / 2; ++i) {
        const double angle = double(pos) * std::pow(10000.0, -2.0 * i / double(D));
        c[i] = float(std::cos(angle));
        s[i] = float(std::sin(angle));
    }
}
void ropeApply(float* x, int D, const float* c, const float* s, bool inverse) {
    for (int i = 0; i < D / 2; ++i) {
        const float a = x[2 * i], b = x[2 * i + 1];
        const float si = inverse ? -s[i] : s[i];
        x[2 * i] = a * c[i] - b * si;
        x[2 * i + 1] = a * si + b * c[i];
    }
}
}  // namespace

void ropeRotate(float* x, int D, int pos, bool inverse) {
    std::vector<float> c(size_t(D / 2)), s(size_t(D / 2));
    ropeAngles(pos, D, c.data(), s.data());
    ropeApply(x, D, c.data(), s.data(), inverse);
}

Var causalSelfAttention(const Var& qkv, int B, int T, Heads heads, bool rope, AttentionMaps* keep) {
    const Index N = qkv.rows();
    const QkvLayout lay = checkQkvShape(N, qkv.cols(), B, T, heads, rope);
    const int H = heads.query, D = lay.D, C = lay.C;
    const float scale = 1.0f / std::sqrt(float(D));

    // Rotation table (T, D/2) for rope.
    Mat ropeCos, ropeSin;
    if (rope) {
        ropeCos.resize(T, D / 2);
        ropeSin.resize(T, D / 2);
        for (int t = 0; t < T; ++t) ropeAngles(t, D, ropeCos.row(t).data(), ropeSin.row(t).data());
    }

    const Mat& X = qkv.value();
    Mat out(N, C);                                  // (B*T, C)
    std::vector<Mat> Qs(size_t(B * H)), Ks(size_t(B * H)), Ps(size_t(B * H));  // (T, D), (T, D), (T, T)
    // Sequences are independent (their own rows of out and dX, their own slots): with more than one kernel thread
    // they are split over the pool, one sequence per part, each computed by one thread in the same order.
    parallelParts(B, [&](int b) {
        for (int h = 0; h < H; ++h) {
            Mat q = X.block(Index(b) * T, lay.qCol(h), T, D);    // (T, D)
            Mat k = X.block(Index(b) * T, lay.kCol(h), T, D);    // (T, D): the head's key/value group
            const auto v = X.block(Index(b) * T, lay.vCol(h), T, D);  // (T, D)
            if (rope) {
                for (int t = 0; t < T; ++t) {
                    ropeApply(q.row(t).data(), D, ropeCos.row(t).data(), ropeSin.row(t).data(), false);
                    ropeApply(k.row(t).data(), D, ropeCos.row(t).data(), ropeSin.row(t).data(), false);
                }
            }
            Mat P = matmulNT(q, k) * scale;                      // (T, T) scores
            for (int i = 0; i < T; ++i) {
                softmaxInPlace(P.row(i).data(), i + 1);          // keys 0..i
                P.row(i).tail(T - i - 1).setZero();              // masked keys: exactly 0
            }
            out.block(Index(b) * T, h * D, T, D) = matmulNN(P, v);
            const size_t bh = size_t(b * H + h);
            Qs[bh] = std::move(q);
            Ks[bh] = std::move(k);
            Ps[bh] = std::move(P);
        }
    });
    if (keep) {
        keep->B = B;
        keep->H = H;
        keep->T = T;
        keep->probs = Ps;
    }

    return makeResult(std::move(out), {qkv},
                      [B, T, H, lay, D, scale, rope, Qs = std::move(Qs), Ks = std::move(Ks), Ps = std::move(Ps),
                       ropeCos = std::move(ropeCos), ropeSin = std::move(ropeSin)](Node& self) {
        // y = P v, P = softmax(S), S = q k^T * scale (q, k rotated when rope).
        //   dv = P^T dy;  dP = dy v^T;  dS = P * (dP - rowsum(P * dP));  dq = scale dS k;  dk = scale dS^T q
        //   rope: the gradient of a rotated vector is rotated back (R^T). Grouped heads: dk, dv sum over the group.
        Node& in = *self.inputs[0];
        const Mat& X = in.value;
        const Mat& G = self.grad;                                // (B*T, C)
        Mat dX = Mat::Zero(X.rows(), X.cols());                  // (B*T, C + 2K)
        parallelParts(B, [&](int b) {                            // a group's heads add into dk, dv in order
            for (int h = 0; h < H; ++h) {
                const size_t bh = size_t(b * H + h);
                const Mat& P = Ps[bh];
                const auto v = X.block(Index(b) * T, lay.vCol(h), T, D);
                const auto dy = G.block(Index(b) * T, h * D, T, D);
                Mat dP = matmulNT(dy, v);                        // (T, T)
                dX.block(Index(b) * T, lay.vCol(h), T, D) += matmulTN(P, dy);
                ColVec rowDot = P.cwiseProduct(dP).rowwise().sum();
                Mat dS = (P.array() * (dP.array().colwise() - rowDot.array())).matrix() * scale;
                Mat dq = matmulNN(dS, Ks[bh]);                   // (T, D)
                Mat dk = matmulTN(dS, Qs[bh]);                   // (T, D)
                if (rope) {
                    for (int t = 0; t < T; ++t) {
                        ropeApply(dq.row(t).data(), D, ropeCos.row(t).data(), ropeSin.row(t).data(), true);
                        ropeApply(dk.row(t).data(), D, ropeCos.row(t).data(), ropeSin.row(t).data(), true);
                    }
                }
                dX.block(Index(b) * T, lay.qCol(h), T, D) = dq;
                dX.block(Index(b) * T, lay.kCol(h), T, D) += dk;
            }
        });
        accumulate(in, dX);
    });
}

// The step's attention, used by TinyGPT, GPT-2 and Llama. Heads are independent: with more than one kernel thread
// and enough work (threads.h: worthSplitting, 2 H n D multiply-adds) they are split over the pool, one head per
// part. Each head's scores, softmax and weighted sum are computed by one thread with the same code as on one
// thread, so the bits do not depend on the thread count (tst_core_kernels).
void attendCached(const float* q, const Mat& keys, const Mat& values, int n, const QkvLayout& lay, Mat& att, float* y) {
    const int H = lay.heads.query, D = lay.D;
    const float scale = 1.0f / std::sqrt(float(D));
    att.resize(H, n);                                                      // (H, n)
    const auto head = [&](int h) {                                         // two GEMVs over the cache
        const Index g = Index(lay.heads.kvOf(h)) * D;                      // its key/value head's columns
        Eigen::Map<const RowVec> qh(q + Index(h) * D, D);
        att.row(h).noalias() = qh * keys.block(0, g, n, D).transpose();    // (1, D) x (D, n)
        att.row(h) *= scale;
        softmaxInPlace(att.row(h).data(), n);
        Eigen::Map<RowVec>(y + Index(h) * D, D).noalias() = att.row(h) * values.block(0, g, n, D);  // (1, n) x (n, D)
    };
    if (worthSplitting(2.0 * H * n * D, H)) {
        parallelParts(H, head);
    } else {
        for (int h = 0; h < H; ++h) head(h);
    }
}

}  // namespace ar::nn
