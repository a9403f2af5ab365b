// Tiled (Flash) causal self-attention: forward with the online softmax, then its tiled backward right below.
#include "core/nn/flashattention.h"

#include "core/enumnames.h"
#include "core/error.h"
#include "core/nn/qkvshape.h"
#include "core/random.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ar::nn {

namespace {
constexpr EnumName<AttentionKernel> kKernelNames[] = {{AttentionKernel::Standard, "standard"}, {AttentionKernel::Flash, "flash"}};
}  // namespace

std::string attentionKernelName(AttentionKernel k) { return nameOf(kKernelNames, k, "standard"); }

AttentionKernel parseAttentionKernel(const std::string& s) {
    if (const auto e = fromName(kKernelNames, s)) return *e;
    throw Error("attention kernel '" + s + "' is not one of standard, flash");
}

void FlashBlocks::validate() const {
    if (q < 1 || k < 1 || q > 4096 || k > 4096)
        throw Error("flash attention blocks must be between 1 and 4096 rows, got " + std::to_string(q) + " x " +
                    std::to_string(k));
}

void MemoryCounter::allocate(size_t bytes) {
    m_current += bytes;
    m_peak = std::max(m_peak, m_current);
}
void MemoryCounter::release(size_t bytes) { m_current -= std::min(bytes, m_current); }

namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

thread_local AttentionMemoryProbe* t_probe = nullptr;

// A matrix whose bytes are counted for as long as it lives.
struct Counted {
    Mat m;
    MemoryCounter* counter;
    Counted(Index rows, Index cols, MemoryCounter* c) : m(rows, cols), counter(c) {
        if (counter) counter->allocate(bytes());
    }
    ~Counted() {
        if (counter) counter->release(bytes());
    }
    Counted(const Counted&) = delete;
    Counted& operator=(const Counted&) = delete;
    size_t bytes() const { return size_t(m.size()) * sizeof(float); }
};

// Scores of query rows q0.. against key rows k0.. into S (nq, nk), scaled, with the causal mask (-inf where
// key > query). Shared by the forward and the backward so both see the same numbers.
void scoreTile(const Mat& q, const Mat& k, float scale, int q0, int nq, int k0, int nk, Mat& S) {
    S.topLeftCorner(nq, nk).noalias() = q.middleRows(q0, nq) * k.middleRows(k0, nk).transpose();
    S.topLeftCorner(nq, nk) *= scale;
    for (int i = 0; i < nq; ++i)
        for (int j = std::max(0, q0 + i + 1 - k0); j < nk; ++j) S(i, j) = kNegInf;
}

// Last key block a query block [q0, q0+nq) can see: keys 0 .. q0+nq-1.
int keyEnd(int q0, int nq) { return q0 + nq; }

}  // namespace

void flashHeadForward(const Mat& q, const Mat& k, const Mat& v, float scale, FlashBlocks blocks, Mat& y,
                      ColVec& lse, MemoryCounter* counter, std::vector<FlashTile>* trace) {
    blocks.validate();
    const int T = int(q.rows()), D = int(q.cols());
    y.resize(T, D);
    lse.resize(T);
    const int Bq = std::min(blocks.q, T), Bk = std::min(blocks.k, T);
    Counted S(Bq, Bk, counter);      // (Bq, Bk) one tile of scores, then of exp(s - m)
    Counted acc(Bq, D, counter);     // (Bq, D) running weighted sums
    Counted stats(Bq, 3, counter);   // (Bq, 3) per row: running max m, running sum l, rescale factor
    for (int q0 = 0; q0 < T; q0 += Bq) {
        const int nq = std::min(Bq, T - q0);
        auto m = stats.m.col(0), l = stats.m.col(1), alpha = stats.m.col(2);
        m.head(nq).setConstant(kNegInf);
        l.head(nq).setZero();
        acc.m.topRows(nq).setZero();
        for (int k0 = 0; k0 < keyEnd(q0, nq); k0 += Bk) {
            const int nk = std::min(Bk, keyEnd(q0, nq) - k0);
            scoreTile(q, k, scale, q0, nq, k0, nk, S.m);
            FlashTile* tile = nullptr;
            if (trace) {
                trace->push_back({q0, nq, k0, nk, {}, {}, {}, {}});
                tile = &trace->back();
                for (int i = 0; i < nq; ++i) tile->maxBefore.push_back(m(i));
            }
            for (int i = 0; i < nq; ++i) {
                const float rowMax = S.m.row(i).head(nk).maxCoeff();
                const float mNew = std::max(m(i), rowMax);  // finite: key 0 is in the first tile of every row
                alpha(i) = m(i) == kNegInf ? 0.0f : std::exp(m(i) - mNew);
                S.m.row(i).head(nk) = (S.m.row(i).head(nk).array() - mNew).exp();  // masked: exp(-inf) = 0
                l(i) = alpha(i) * l(i) + S.m.row(i).head(nk).sum();
                m(i) = mNew;
            }
            acc.m.topRows(nq).array().colwise() *= alpha.head(nq).array();
            acc.m.topRows(nq).noalias() += S.m.topLeftCorner(nq, nk) * v.middleRows(k0, nk);
            if (tile)
                for (int i = 0; i < nq; ++i) {
                    tile->maxAfter.push_back(m(i));
                    tile->sumAfter.push_back(l(i));
                    tile->rescaled.push_back(char(tile->maxBefore[size_t(i)] != kNegInf && m(i) > tile->maxBefore[size_t(i)]));
                }
        }
        for (int i = 0; i < nq; ++i) {
            y.row(q0 + i) = acc.m.row(i) / l(i);
            lse(q0 + i) = m(i) + std::log(l(i));
        }
    }
}

namespace {

// Backward of one head. dy (T, D) and y (T, D) the output; writes dq, dk, dv (T, D) (w.r.t. the rotated q, k).
//   p_ij = exp(s_ij - lse_i);  dv_j += p_ij dy_i;  dp_ij = dy_i . v_j;  ds_ij = p_ij (dp_ij - delta_i),
//   delta_i = dy_i . y_i (= sum_j p_ij dp_ij);  dq_i += scale ds_ij k_j;  dk_j += scale ds_ij q_i.
void flashHeadBackward(const Mat& q, const Mat& k, const Mat& v, const Mat& y, const Mat& dy, const ColVec& lse,
                       float scale, FlashBlocks blocks, Mat& dq, Mat& dk, Mat& dv) {
    const int T = int(q.rows()), D = int(q.cols());
    const int Bq = std::min(blocks.q, T), Bk = std::min(blocks.k, T);
    dq = Mat::Zero(T, D);
    dk = Mat::Zero(T, D);
    dv = Mat::Zero(T, D);
    const ColVec delta = dy.cwiseProduct(y).rowwise().sum();  // (T)
    Mat P(Bq, Bk), dP(Bq, Bk);                                 // one tile each
    for (int q0 = 0; q0 < T; q0 += Bq) {
        const int nq = std::min(Bq, T - q0);
        for (int k0 = 0; k0 < keyEnd(q0, nq); k0 += Bk) {
            const int nk = std::min(Bk, keyEnd(q0, nq) - k0);
            scoreTile(q, k, scale, q0, nq, k0, nk, P);
            auto p = P.topLeftCorner(nq, nk);
            p = (p.array().colwise() - lse.segment(q0, nq).array()).exp();
            auto dyq = dy.middleRows(q0, nq);
            dv.middleRows(k0, nk).noalias() += p.transpose() * dyq;
            auto dp = dP.topLeftCorner(nq, nk);
            dp.noalias() = dyq * v.middleRows(k0, nk).transpose();
            dp = (p.array() * (dp.array().colwise() - delta.segment(q0, nq).array())).matrix() * scale;  // ds
            dq.middleRows(q0, nq).noalias() += dp * k.middleRows(k0, nk);
            dk.middleRows(k0, nk).noalias() += dp.transpose() * q.middleRows(q0, nq);
        }
    }
}

void rotateRows(Mat& x, bool inverse) {
    for (Index t = 0; t < x.rows(); ++t) ropeRotate(x.row(t).data(), int(x.cols()), int(t), inverse);
}

// Sequence b, query head h of qkv (B*T, C + 2K): q, and its group's k (both rotated for rope) and v, each (T, D).
void headQkv(const Mat& X, int b, int h, int T, const QkvLayout& lay, bool rope, Mat& q, Mat& k, Mat& v) {
    const int D = lay.D;
    q = X.block(Index(b) * T, lay.qCol(h), T, D);
    k = X.block(Index(b) * T, lay.kCol(h), T, D);
    v = X.block(Index(b) * T, lay.vCol(h), T, D);
    if (rope) {
        rotateRows(q, false);
        rotateRows(k, false);
    }
}

}  // namespace

Var flashSelfAttention(const Var& qkv, int B, int T, Heads heads, bool rope, FlashBlocks blocks, AttentionMaps* keep) {
    blocks.validate();
    const Index N = qkv.rows();
    const QkvLayout lay = checkQkvShape(N, qkv.cols(), B, T, heads, rope);
    const int H = heads.query, D = lay.D, C = lay.C;
    const float scale = 1.0f / std::sqrt(float(D));

    MemoryCounter counter;
    const Mat& X = qkv.value();
    Mat out(N, C);                                               // (B*T, C)
    counter.allocate(size_t(out.size()) * sizeof(float));
    std::vector<ColVec> lses(size_t(B * H));                     // B*H x (T): all backward keeps
    counter.allocate(size_t(B * H) * size_t(T) * sizeof(float));
    counter.allocate(4 * size_t(T) * size_t(D) * sizeof(float));  // one head's q, k (rotated for rope), v, y
    Mat q, k, v, y;
    for (int b = 0; b < B; ++b)
        for (int h = 0; h < H; ++h) {
            headQkv(X, b, h, T, lay, rope, q, k, v);
            flashHeadForward(q, k, v, scale, blocks, y, lses[size_t(b * H + h)], &counter);
            out.block(Index(b) * T, h * D, T, D) = y;
            if (keep) {  // display only: p_ij = exp(s_ij - lse_i), rebuilt after the op
                if (keep->probs.empty()) {
                    keep->B = B, keep->H = H, keep->T = T;
                    keep->probs.assign(size_t(B * H), Mat());
                }
                Mat P(T, T);
                scoreTile(q, k, scale, 0, T, 0, T, P);
                P = (P.array().colwise() - lses[size_t(b * H + h)].array()).exp();
                keep->probs[size_t(b * H + h)] = std::move(P);
            }
        }
    if (t_probe) t_probe->report(counter.peak());

    return makeResult(std::move(out), {qkv}, [B, T, H, lay, D, scale, rope, blocks, lses = std::move(lses)](Node& self) {
        Node& in = *self.inputs[0];
        const Mat& X = in.value;
        Mat dX = Mat::Zero(X.rows(), X.cols());                  // (B*T, C + 2K)
        Mat q, k, v, y, dy, dq, dk, dv;
        for (int b = 0; b < B; ++b)
            for (int h = 0; h < H; ++h) {
                headQkv(X, b, h, T, lay, rope, q, k, v);
                y = self.value.block(Index(b) * T, h * D, T, D);
                dy = self.grad.block(Index(b) * T, h * D, T, D);
                flashHeadBackward(q, k, v, y, dy, lses[size_t(b * H + h)], scale, blocks, dq, dk, dv);
                if (rope) {  // the gradient of a rotated vector is rotated back
                    rotateRows(dq, true);
                    rotateRows(dk, true);
                }
                dX.block(Index(b) * T, lay.qCol(h), T, D) = dq;
                dX.block(Index(b) * T, lay.kCol(h), T, D) += dk;  // grouped heads: summed over the group
                dX.block(Index(b) * T, lay.vCol(h), T, D) += dv;
            }
        accumulate(in, dX);
    });
}

size_t standardAttentionBytes(int B, int T, int H, int D, bool rope) {
    const size_t f = sizeof(float), N = size_t(B) * size_t(T), C = size_t(H) * size_t(D);
    const size_t heads = size_t(B) * size_t(H);
    return f * (N * C                                  // output
                + heads * 2 * size_t(T) * size_t(D)    // q, k copies per head (kept for backward)
                + heads * size_t(T) * size_t(T)        // probabilities per head (kept for backward)
                + (rope ? size_t(T) * size_t(D) : 0)); // cos and sin tables (T, D/2) each
}

Var selfAttention(AttentionKernel kernel, const Var& qkv, int B, int T, Heads heads, bool rope, AttentionMaps* keep,
                  FlashBlocks blocks) {
    if (kernel == AttentionKernel::Flash) return flashSelfAttention(qkv, B, T, heads, rope, blocks, keep);
    Var y = causalSelfAttention(qkv, B, T, heads, rope, keep);
    if (t_probe) t_probe->report(standardAttentionBytes(B, T, heads.query, int(y.cols()) / heads.query, rope));
    return y;
}

AttentionMemoryProbe::AttentionMemoryProbe() : m_previous(t_probe) { t_probe = this; }
AttentionMemoryProbe::~AttentionMemoryProbe() { t_probe = m_previous; }
void AttentionMemoryProbe::report(size_t bytes) {
    m_peak = std::max(m_peak, bytes);
    ++m_calls;
}

size_t measureAttentionPeakBytes(AttentionKernel kernel, int T, int H, int D, FlashBlocks blocks) {
    if (T < 1 || T > 65536 || H < 1 || D < 1) throw Error("attention memory: T, H and D must be positive");
    Rng rng(1);
    Mat x(T, 3 * H * D);
    for (Index i = 0; i < x.size(); ++i) x.data()[i] = float(rng.uniform(-1.0, 1.0));
    NoGradGuard ng;
    AttentionMemoryProbe probe;
    selfAttention(kernel, Var(std::move(x)), 1, T, H, false, nullptr, blocks);
    return probe.peakBytes();
}

}  // namespace ar::nn
