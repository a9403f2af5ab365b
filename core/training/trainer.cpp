#include "core/training/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>

namespace ar {

TrainConfig trainConfig(int steps, float lr, int warmup, int evalEvery, float clip) {
    TrainConfig cfg;
    cfg.steps = steps;
    cfg.lr = lr;
    cfg.warmup = std::min(warmup, steps / 2);
    cfg.evalEvery = evalEvery;
    cfg.clip = clip;
    return cfg;
}

float scheduledLr(const TrainConfig& cfg, int step) {
    if (cfg.warmup > 0 && step < cfg.warmup) return cfg.lr * float(step + 1) / float(cfg.warmup);
    const int span = std::max(1, cfg.steps - cfg.warmup);
    const float progress = std::min(1.0f, float(step - cfg.warmup) / float(span));
    const float cosine = 0.5f * (1.0f + std::cos(float(std::numbers::pi) * progress));
    return cfg.lr * (cfg.minLrFraction + (1.0f - cfg.minLrFraction) * cosine);
}

TrainResult train(Optimizer& opt, const TrainConfig& cfg, const TrainHooks& hooks, const std::atomic<bool>* stop) {
    TrainResult result;
    const auto t0 = std::chrono::steady_clock::now();
    const int window = std::max(1, cfg.evalEvery > 0 ? cfg.evalEvery : 50);
    double windowSum = 0;
    int windowCount = 0;
    for (int step = 0; step < cfg.steps; ++step) {
        if (stop && stop->load()) {
            result.stopped = true;
            break;
        }
        TrainProgress p;
        p.totalSteps = cfg.steps;
        p.lr = opt.lr = scheduledLr(cfg, step);
        Var loss = hooks.batchLoss(step);
        p.trainLoss = loss.item();
        backward(loss);
        p.gradNorm = cfg.clip > 0 ? clipGradNorm(opt.params(), cfg.clip) : gradNorm(opt.params());
        if (auto problem = opt.guardedStep(p.trainLoss, p.gradNorm)) {
            p.problem = *problem;
            ++result.refusedSteps;
        } else {
            windowSum += p.trainLoss;
            ++windowCount;
        }
        p.step = step + 1;
        result.steps = p.step;
        const bool last = p.step == cfg.steps;
        if (hooks.validationLoss && ((cfg.evalEvery > 0 && p.step % cfg.evalEvery == 0) || last)) {
            p.valLoss = hooks.validationLoss();
            result.valLoss = p.valLoss;
        }
        if (windowCount >= window || last) {
            if (windowCount > 0) result.trainLoss = float(windowSum / windowCount);
            windowSum = 0;
            windowCount = 0;
        }
        p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (hooks.onStep) hooks.onStep(p);
    }
    if (result.stopped && hooks.validationLoss) result.valLoss = hooks.validationLoss();
    return result;
}

}  // namespace ar
