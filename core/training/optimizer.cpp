#include "core/training/optimizer.h"

#include <algorithm>
#include <cmath>
#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace ar {

namespace {
// sqrt of each element, correctly rounded in a packet too (sqrtps: the bits of std::sqrt, on every x86-64 CPU).
// Eigen's own packet sqrt under its default EIGEN_FAST_MATH starts from rsqrtps, whose approximation differs between
// CPU vendors; a scalar std::sqrt per element is exact but 3x slower for AdamW.
struct ExactSqrt {
    float operator()(float x) const { return std::sqrt(x); }
#if defined(__AVX512F__)
    __m512 packetOp(const __m512& x) const { return _mm512_sqrt_ps(x); }
#endif
#if defined(__AVX__)
    __m256 packetOp(const __m256& x) const { return _mm256_sqrt_ps(x); }
#endif
#if defined(__SSE2__)
    __m128 packetOp(const __m128& x) const { return _mm_sqrt_ps(x); }
#endif
};
}  // namespace
}  // namespace ar

#if defined(__SSE2__)
template <>
struct Eigen::internal::functor_traits<ar::ExactSqrt> {
    enum { Cost = 20, PacketAccess = 1 };
};
#endif

namespace ar {

float gradNorm(const ParamList& params) {
    double s = 0;
    for (const auto& p : params)
        if (p.var.hasGrad()) s += double(p.var.node()->grad.cast<double>().squaredNorm());
    return float(std::sqrt(s));
}

float clipGradNorm(ParamList& params, float maxNorm) {
    const float norm = gradNorm(params);
    if (std::isfinite(norm) && norm > maxNorm && norm > 0) {
        const float k = maxNorm / (norm + 1e-6f);
        for (auto& p : params)
            if (p.var.hasGrad()) p.var.grad() *= k;
    }
    return norm;
}

std::optional<std::string> findNonFinite(float loss, const ParamList& params) {
    if (!std::isfinite(loss)) return "loss is " + std::to_string(loss);
    for (const auto& p : params)
        if (p.var.hasGrad() && !p.var.node()->grad.allFinite())
            return "gradient of '" + p.name + "' is not finite";
    return std::nullopt;
}

void zeroGrad(ParamList& params) {
    for (auto& p : params) p.var.zeroGrad();
}

std::optional<std::string> Optimizer::guardedStep(float loss, std::optional<float> gradNorm) {
    const bool gradsFinite = gradNorm && std::isfinite(*gradNorm);
    auto problem = gradsFinite ? findNonFinite(loss, {}) : findNonFinite(loss, m_params);
    if (!problem) step();
    zeroGrad();
    if (problem) return "step refused, weights unchanged: " + *problem;
    return std::nullopt;
}

Sgd::Sgd(ParamList params, float lr_, float momentum_) : Optimizer(std::move(params)), momentum(momentum_) {
    lr = lr_;
    for (auto& p : m_params) m_velocity.push_back(Mat::Zero(p.var.rows(), p.var.cols()));
}

void Sgd::step() {
    ++m_t;
    for (size_t i = 0; i < m_params.size(); ++i) {
        Var& w = m_params[i].var;
        if (!w.hasGrad()) continue;
        if (momentum != 0.0f) {
            // PyTorch convention: v = mu v + g; w -= lr v
            m_velocity[i] = momentum * m_velocity[i] + w.grad();
            w.value() -= lr * m_velocity[i];
        } else {
            w.value() -= lr * w.grad();
        }
    }
}

Adam::Adam(ParamList params, float lr_, float b1, float b2, float e, float wd)
    : Optimizer(std::move(params)), beta1(b1), beta2(b2), eps(e), weightDecay(wd) {
    lr = lr_;
    for (auto& p : m_params) {
        m_m.push_back(Mat::Zero(p.var.rows(), p.var.cols()));
        m_v.push_back(Mat::Zero(p.var.rows(), p.var.cols()));
    }
}

void Adam::step() {
    ++m_t;
    const float bc1 = 1.0f - std::pow(beta1, float(m_t));
    const float bc2 = 1.0f - std::pow(beta2, float(m_t));
    for (size_t i = 0; i < m_params.size(); ++i) {
        Var& w = m_params[i].var;
        if (!w.hasGrad()) continue;
        const Mat& g = w.grad();
        const bool decay = weightDecay != 0.0f && w.rows() > 1 && w.cols() > 1;
        const float stepSize = lr / bc1;
        const float sqrtBc2 = std::sqrt(bc2);
        // The four updates chunk by chunk, so each chunk of w, m, v and g is read from memory once, not four times.
        // Every operation is elementwise and correctly rounded (the square root too, below), so the bits are those of
        // a plain scalar loop over the elements (tst_core_optim adamMatchesAScalarLoopBitForBit), however Eigen packs them.
        constexpr Index kChunk = 1024;
        using Row = Eigen::Map<Eigen::Array<float, 1, Eigen::Dynamic>, Eigen::AlignedMax>;
        using ConstRow = Eigen::Map<const Eigen::Array<float, 1, Eigen::Dynamic>, Eigen::AlignedMax>;
        for (Index s = 0, n = g.size(); s < n; s += kChunk) {
            const Index len = std::min(kChunk, n - s);
            Row wc(w.value().data() + s, len), mc(m_m[i].data() + s, len), vc(m_v[i].data() + s, len);
            const ConstRow gc(g.data() + s, len);
            if (decay) wc *= (1.0f - lr * weightDecay);
            mc = beta1 * mc + (1.0f - beta1) * gc;
            vc = beta2 * vc + (1.0f - beta2) * (gc * gc);
            wc -= stepSize * mc / (vc.unaryExpr(ExactSqrt()) / sqrtBc2 + eps);
        }
    }
}

}  // namespace ar
