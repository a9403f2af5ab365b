#include "core/training/optimizer.h"

#include <cmath>

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

std::optional<std::string> Optimizer::guardedStep(float loss) {
    auto problem = findNonFinite(loss, m_params);
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
        if (weightDecay != 0.0f && w.rows() > 1 && w.cols() > 1) w.value() *= (1.0f - lr * weightDecay);
        m_m[i] = beta1 * m_m[i] + (1.0f - beta1) * g;
        m_v[i] = beta2 * m_v[i] + (1.0f - beta2) * g.cwiseProduct(g);
        const float stepSize = lr / bc1;
        const float sqrtBc2 = std::sqrt(bc2);
        w.value().array() -= stepSize * m_m[i].array() / (m_v[i].array().sqrt() / sqrtBc2 + eps);
    }
}

}  // namespace ar
