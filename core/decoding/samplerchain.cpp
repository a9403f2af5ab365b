#include "core/decoding/samplerchain.h"

#include "core/decoding/samplerstages.h"
#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ar {

std::vector<double> logSoftmax(std::span<const float> logits) {
    double mx = -INFINITY;
    for (float x : logits) mx = std::max(mx, double(x));
    double sum = 0;
    for (float x : logits) sum += std::exp(double(x) - mx);
    const double lse = mx + std::log(sum);
    std::vector<double> out(logits.size());
    for (size_t i = 0; i < logits.size(); ++i) out[i] = double(logits[i]) - lse;
    return out;
}

std::vector<Candidate> softmaxCandidates(std::span<const float> logits) {
    std::vector<Candidate> cs(logits.size());
    for (size_t i = 0; i < logits.size(); ++i) cs[i] = {int(i), logits[i], 0.f};
    renormalise(cs);
    return cs;
}

SamplerChain::SamplerChain(const SamplerSettings& settings) { setSettings(settings); }

void SamplerChain::setSettings(const SamplerSettings& settings) {
    settings.validate();
    m_settings = settings;
}

std::vector<SamplerStage> SamplerChain::filter(std::span<const float> logits, std::span<const int> recent) const {
    if (logits.empty()) throw Error("sampler: the model returned an empty row of logits");
    for (float x : logits)
        if (!std::isfinite(x)) throw Error("sampler: the model returned a logit that is not finite (" + stageNumber(x) + ")");
    std::vector<SamplerStage> stages;
    stages.push_back({"raw", "", softmaxCandidates(logits), 0});
    const StageInput in{m_settings, recent};
    for (const SamplerStageKind* kind : samplerStages()) {
        if (!kind->active(m_settings)) continue;
        std::vector<Candidate> cs = kind->apply(stages.back().candidates, in);
        const int removed = int(stages.back().candidates.size() - cs.size());
        stages.push_back({kind->name(), kind->setting(m_settings), std::move(cs), removed});
    }
    return stages;
}

int SamplerChain::select(const SamplerStage& last, Rng& rng) const {
    if (last.candidates.empty()) throw Error("sampler: no candidate survived the filters");
    if (m_settings.strategy != DecodeStrategy::Sample || m_settings.temperature == 0.0f) return last.candidates.front().id;
    std::vector<double> w(last.candidates.size());
    for (size_t i = 0; i < w.size(); ++i) w[i] = last.candidates[i].p;
    return last.candidates[size_t(rng.categorical(std::span<const double>(w)))].id;
}

static SampleResult finish(std::vector<SamplerStage> stages, int token, std::span<const float> logits) {
    SampleResult r;
    r.token = token;
    const Candidate* last = stages.back().find(token);
    r.p = last ? last->p : 0.f;
    r.modelP = stages.front().find(token)->p;
    r.tokenLogprob = logSoftmax(logits)[size_t(token)];
    r.stages = std::move(stages);
    return r;
}

SampleResult SamplerChain::sample(std::span<const float> logits, std::span<const int> recent, Rng& rng) const {
    auto stages = filter(logits, recent);
    const int token = select(stages.back(), rng);
    return finish(std::move(stages), token, logits);
}

SampleResult SamplerChain::forced(std::span<const float> logits, std::span<const int> recent, int token) const {
    if (token < 0 || token >= int(logits.size()))
        throw Error("token id " + std::to_string(token) + " is outside the vocabulary [0, " + std::to_string(logits.size()) + ")");
    return finish(filter(logits, recent), token, logits);
}

}  // namespace ar
