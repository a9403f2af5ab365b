#pragma once
// A model-agnostic training loop: the caller supplies a function that builds one batch's loss graph.
// The loop clips the global gradient norm, refuses non-finite steps (weights untouched), schedules the
// learning rate (linear warmup, cosine decay), evaluates now and then, polls a stop flag every step and
// reports progress through a callback (throttle in the callback's owner, e.g. a worker thread).
#include "core/error.h"
#include "core/training/optimizer.h"

#include <atomic>
#include <functional>
#include <limits>
#include <memory>

namespace ar {

struct TrainConfig {
    int steps = 1000;
    float lr = 1e-3f;
    float minLrFraction = 0.1f;  // cosine decays to lr * minLrFraction
    int warmup = 0;              // linear warmup steps
    float clip = 1.0f;           // global grad-norm clip; <= 0 disables
    int evalEvery = 100;         // 0 = only at the end
};

struct TrainProgress {
    int step = 0;                // steps done
    int totalSteps = 0;
    float trainLoss = std::numeric_limits<float>::quiet_NaN();
    float valLoss = std::numeric_limits<float>::quiet_NaN();   // NaN when not evaluated this step
    float gradNorm = 0;
    float lr = 0;
    double seconds = 0;          // since the start
    std::string problem;         // non-empty when this step was refused by the non-finite guard
};

struct TrainResult {
    int steps = 0;
    float trainLoss = std::numeric_limits<float>::quiet_NaN();  // mean of the last evalEvery steps
    float valLoss = std::numeric_limits<float>::quiet_NaN();
    int refusedSteps = 0;
    bool stopped = false;        // the stop flag ended the run early
};

struct TrainHooks {
    std::function<Var(int step)> batchLoss;        // required: builds the graph, returns a (1, 1) loss
    std::function<float()> validationLoss;         // optional: runs without grad
    std::function<void(const TrainProgress&)> onStep;  // optional
};

// The loop's settings as every trainer derives them from its own: the warmup capped at half the run.
TrainConfig trainConfig(int steps, float lr, int warmup, int evalEvery, float clip = 1.0f);

float scheduledLr(const TrainConfig& cfg, int step);
TrainResult train(Optimizer& opt, const TrainConfig& cfg, const TrainHooks& hooks,
                  const std::atomic<bool>* stop = nullptr);

// What the app's trainers share (ToyGptTrainer, MoeTrainer, RecallTrainer): the trainer owns its model, runs at
// most once, and hands the model over with takeModel(), after which it is empty.
template <class M>
class ModelTrainer {
public:
    const M& model() const { return *m_model; }
    std::unique_ptr<M> takeModel() { return std::move(m_model); }
    size_t parameterCount() const {  // 0 once the model was taken
        size_t n = 0;
        if (m_model)
            for (const auto& p : m_model->parameters()) n += size_t(p.var.value().size());
        return n;
    }

protected:
    // For run(): the model, or ar::Error when it was taken or the trainer already ran.
    M& startRun() {
        if (!m_model) throw Error("the model was already taken from this trainer");
        if (m_ran) throw Error("this trainer already ran");
        m_ran = true;
        return *m_model;
    }
    std::unique_ptr<M> m_model;

private:
    bool m_ran = false;
};

}  // namespace ar
