#include "core/decoding/samplerchain.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace ar {

std::string strategyName(DecodeStrategy s) {
    switch (s) {
    case DecodeStrategy::Greedy: return "greedy";
    case DecodeStrategy::Sample: return "sample";
    case DecodeStrategy::Beam: return "beam";
    }
    return "?";
}

DecodeStrategy strategyFromName(const std::string& s) {
    if (s == "greedy") return DecodeStrategy::Greedy;
    if (s == "sample") return DecodeStrategy::Sample;
    if (s == "beam") return DecodeStrategy::Beam;
    throw Error("unknown strategy '" + s + "' (choose greedy, sample or beam)");
}

static std::string num(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

void SamplerSettings::validate() const {
    if (!std::isfinite(temperature) || temperature < 0 || temperature > 100)
        throw Error("temperature must be in [0, 100] (0 = greedy), got " + num(temperature));
    if (topK < 0) throw Error("top-k must be >= 0 (0 = off), got " + std::to_string(topK));
    if (!std::isfinite(topP) || !(topP > 0) || topP > 1)
        throw Error("top-p must be in (0, 1], got " + num(topP));
    if (!std::isfinite(minP) || minP < 0 || !(minP < 1))
        throw Error("min-p must be in [0, 1), got " + num(minP));
    if (!std::isfinite(repetitionPenalty) || !(repetitionPenalty > 0) || repetitionPenalty > 10)
        throw Error("repetition penalty must be in (0, 10] (1 = off), got " + num(repetitionPenalty));
    if (repetitionWindow < 0 || repetitionWindow > 1 << 20)
        throw Error("repetition window must be in [0, 1048576], got " + std::to_string(repetitionWindow));
    if (beamWidth < 1 || beamWidth > 64) throw Error("beam width must be in [1, 64], got " + std::to_string(beamWidth));
    if (!std::isfinite(lengthPenalty) || lengthPenalty < 0 || lengthPenalty > 5)
        throw Error("length penalty must be in [0, 5], got " + num(lengthPenalty));
    if (maxNewTokens < 1 || maxNewTokens > 4096)
        throw Error("max new tokens must be in [1, 4096], got " + std::to_string(maxNewTokens));
}

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

static bool byProbability(const Candidate& a, const Candidate& b) {
    if (a.logit != b.logit) return a.logit > b.logit;  // within one stage, p is monotone in the logit
    return a.id < b.id;
}

// Softmax over the given candidates' logits (sets p), sorts them by p descending.
static void renormalise(std::vector<Candidate>& cs) {
    if (cs.empty()) return;
    double mx = -INFINITY;
    for (const auto& c : cs) mx = std::max(mx, double(c.logit));
    double sum = 0;
    for (const auto& c : cs) sum += std::exp(double(c.logit) - mx);
    for (auto& c : cs) c.p = float(std::exp(double(c.logit) - mx) / sum);
    std::stable_sort(cs.begin(), cs.end(), byProbability);
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
        if (!std::isfinite(x)) throw Error("sampler: the model returned a logit that is not finite (" + num(x) + ")");
    const SamplerSettings& s = m_settings;
    std::vector<SamplerStage> stages;
    stages.push_back({"raw", "", softmaxCandidates(logits), 0});

    auto push = [&](std::string name, std::string setting, std::vector<Candidate> cs) {
        const int removed = int(stages.back().candidates.size() - cs.size());
        stages.push_back({std::move(name), std::move(setting), std::move(cs), removed});
    };

    if (s.repetitionPenalty != 1.0f && s.repetitionWindow > 0) {
        const size_t n = std::min(recent.size(), size_t(s.repetitionWindow));
        std::set<int> seen(recent.end() - std::ptrdiff_t(n), recent.end());
        std::vector<Candidate> cs = stages.back().candidates;
        for (auto& c : cs)
            if (seen.count(c.id)) c.logit = c.logit > 0 ? c.logit / s.repetitionPenalty : c.logit * s.repetitionPenalty;
        renormalise(cs);
        push("repetition penalty", "r = " + num(s.repetitionPenalty) + ", last " + std::to_string(s.repetitionWindow), std::move(cs));
    }
    if (s.temperature != 1.0f) {
        std::vector<Candidate> cs = stages.back().candidates;
        if (s.temperature == 0.0f) {
            cs.resize(1);  // already sorted: the argmax (ties: lower id)
            cs[0].p = 1.0f;
        } else {
            for (auto& c : cs) c.logit /= s.temperature;
            renormalise(cs);
        }
        push("temperature", s.temperature == 0 ? "T = 0 (greedy)" : "T = " + num(s.temperature), std::move(cs));
    }
    if (s.topK > 0) {
        std::vector<Candidate> cs = stages.back().candidates;
        if (int(cs.size()) > s.topK) cs.resize(size_t(s.topK));
        renormalise(cs);
        push("top-k", "k = " + std::to_string(s.topK), std::move(cs));
    }
    if (s.topP < 1.0f) {
        std::vector<Candidate> cs = stages.back().candidates;
        double cum = 0;
        size_t keep = cs.size();
        for (size_t i = 0; i < cs.size(); ++i) {
            cum += cs[i].p;
            // The probabilities come from a softmax in float: allow a rounding slack so that {0.4, 0.3} does
            // reach p = 0.7.
            if (cum >= double(s.topP) - 1e-6) { keep = i + 1; break; }
        }
        cs.resize(keep);
        renormalise(cs);
        push("top-p", "p = " + num(s.topP), std::move(cs));
    }
    if (s.minP > 0.0f) {
        std::vector<Candidate> cs = stages.back().candidates;
        const float threshold = s.minP * cs.front().p;
        std::erase_if(cs, [&](const Candidate& c) { return c.p < threshold; });
        renormalise(cs);
        push("min-p", "min-p = " + num(s.minP), std::move(cs));
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
