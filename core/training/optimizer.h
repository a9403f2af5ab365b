#pragma once
// Optimizers over a ParamList: SGD with momentum, and Adam/AdamW. Plus global gradient-norm clipping and
// the non-finite guard: a step whose loss or gradients are not finite is refused and the weights are left
// exactly as they were.
#include "core/autograd/tape.h"

#include <optional>
#include <string>

namespace ar {

// Global L2 norm of all gradients (parameters without a gradient count as zero).
float gradNorm(const ParamList& params);
// Scales every gradient so the global norm is at most maxNorm. Returns the norm before clipping.
float clipGradNorm(ParamList& params, float maxNorm);
// Empty when loss and every gradient are finite; otherwise a message naming the first offender.
std::optional<std::string> findNonFinite(float loss, const ParamList& params);
void zeroGrad(ParamList& params);

class Optimizer {
public:
    explicit Optimizer(ParamList params) : m_params(std::move(params)) {}
    virtual ~Optimizer() = default;
    // Refuses (and returns the reason) when loss or gradients are not finite; otherwise updates the weights.
    // Gradients are cleared either way. `gradNorm`: what gradNorm() or clipGradNorm() returned for these gradients,
    // if the caller has it. A finite norm means every gradient is finite (their squares are summed in double, which
    // no float can overflow), so the gradients are not scanned again; otherwise (NaN, inf, or none given) they are.
    std::optional<std::string> guardedStep(float loss, std::optional<float> gradNorm = std::nullopt);
    virtual void step() = 0;   // unguarded update from the current gradients
    void zeroGrad() { ar::zeroGrad(m_params); }
    ParamList& params() { return m_params; }
    float lr = 1e-3f;
    long long steps() const { return m_t; }

protected:
    ParamList m_params;
    long long m_t = 0;
};

class Sgd : public Optimizer {
public:
    Sgd(ParamList params, float lr, float momentum = 0.0f);
    void step() override;
    float momentum;

private:
    std::vector<Mat> m_velocity;  // one per param, same shape
};

// Adam (weightDecay = 0) and AdamW (decoupled weight decay, applied to matrices only: like nanoGPT, tensors
// with rows > 1 and cols > 1 decay; biases, gains and other vectors do not).
class Adam : public Optimizer {
public:
    Adam(ParamList params, float lr, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f,
         float weightDecay = 0.0f);
    void step() override;
    float beta1, beta2, eps, weightDecay;

private:
    std::vector<Mat> m_m;  // first moments
    std::vector<Mat> m_v;  // second moments
};

}  // namespace ar
