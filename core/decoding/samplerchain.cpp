#include "core/decoding/samplerchain.h"

#include "core/decoding/samplerstages.h"
#include "core/error.h"
#include "core/nn/threads.h"

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

std::vector<Candidate> softmaxCandidates(std::span<const float> logits, double* logSumExp) {
    std::vector<Candidate> cs(logits.size());
    for (size_t i = 0; i < logits.size(); ++i) cs[i] = {int(i), logits[i], 0.f};
    const double lse = renormalise(cs);  // max and sum in logits' order, as logSoftmax takes them
    if (logSumExp) *logSumExp = lse;
    return cs;
}

SamplerChain::SamplerChain(const SamplerSettings& settings) { setSettings(settings); }

void SamplerChain::setSettings(const SamplerSettings& settings) {
    settings.validate();
    m_settings = settings;
}

// Every stage with its whole survivor set (each one's first min(kRecordedCandidates, size) sorted, the rest
// below them in no order): what the draw and distribution() need; record() cuts it down for the views.
std::vector<SamplerChain::FullStage> SamplerChain::run(std::span<const float> logits, std::span<const int> recent) const {
    if (logits.empty()) throw Error("sampler: the model returned an empty row of logits");
    for (float x : logits)
        if (!std::isfinite(x)) throw Error("sampler: the model returned a logit that is not finite (" + stageNumber(x) + ")");
    std::vector<FullStage> stages;
    double logSumExp = 0;
    stages.push_back({"raw", "", softmaxCandidates(logits, &logSumExp), 0, logSumExp});
    const StageInput in{m_settings, recent};
    for (const SamplerStageKind* kind : samplerStages()) {
        if (!kind->active(m_settings)) continue;
        std::vector<Candidate> cs = kind->apply(stages.back().cs, in);
        const int removed = int(stages.back().cs.size() - cs.size());
        stages.push_back({kind->name(), kind->setting(m_settings), std::move(cs), removed});
    }
    return stages;
}

// A stage as the views get it: its top kRecordedCandidates survivors, then (sorted) every other survivor
// that the raw stage lists or that was chosen, so each listed token's p is known at every stage it survived;
// the rest only as a count and a mass.
std::vector<SamplerStage> SamplerChain::record(std::vector<FullStage> full, int chosen) {
    const size_t V = full.front().cs.size();
    std::vector<char> listedRaw(V, 0);
    std::vector<SamplerStage> out;
    out.reserve(full.size());
    for (size_t s = 0; s < full.size(); ++s) {
        FullStage& f = full[s];
        SamplerStage st;
        st.name = std::move(f.name);
        st.setting = std::move(f.setting);
        st.removed = f.removed;
        st.kept = int(f.cs.size());
        const size_t top = std::min(f.cs.size(), size_t(kRecordedCandidates));
        st.candidates.assign(f.cs.begin(), f.cs.begin() + std::ptrdiff_t(top));
        std::vector<Candidate> extra;
        for (size_t i = top; i < f.cs.size(); ++i) {
            const Candidate& c = f.cs[i];
            if (c.id == chosen || (s > 0 && listedRaw[size_t(c.id)])) extra.push_back(c);
            else st.otherMass += double(c.p);
        }
        std::sort(extra.begin(), extra.end(), moreProbable);
        st.candidates.insert(st.candidates.end(), extra.begin(), extra.end());
        // -sum p log p: each term alone (split over the kernel threads), summed in the candidates' order; a
        // candidate with p = 0 adds a term of +0 (x - 0 = x: the same bits as skipping it).
        std::vector<double> terms(f.cs.size());
        nn::parallelRanges(long(f.cs.size()), kSplitCandidates, [&](long lo, long hi) {
            for (long i = lo; i < hi; ++i) {
                const double p = f.cs[size_t(i)].p;
                terms[size_t(i)] = p > 0 ? p * std::log(p) : 0.0;
            }
        });
        for (const double t : terms) st.entropy -= t;
        if (s == 0)
            for (const Candidate& c : st.candidates) listedRaw[size_t(c.id)] = 1;
        out.push_back(std::move(st));
    }
    return out;
}

int SamplerChain::choose(const std::vector<Candidate>& last, Rng& rng) const {
    if (last.empty()) throw Error("sampler: no candidate survived the filters");
    if (m_settings.strategy != DecodeStrategy::Sample || m_settings.temperature() == 0.0f) return last.front().id;
    std::vector<double> w(last.size());
    for (size_t i = 0; i < w.size(); ++i) w[i] = last[i].p;
    return last[size_t(rng.categorical(std::span<const double>(w)))].id;
}

std::vector<SamplerStage> SamplerChain::filter(std::span<const float> logits, std::span<const int> recent) const {
    return record(run(logits, recent), -1);
}

// The chosen token's result. Its log-probability is logSoftmax(logits)[token] (the raw stage's log-sum-exp has the
// same bits), without a second pass over the V logits.
SampleResult SamplerChain::finish(std::vector<FullStage> full, int token, std::span<const float> logits) {
    SampleResult r;
    r.token = token;
    r.tokenLogprob = double(logits[size_t(token)]) - full.front().logSumExp;
    r.stages = record(std::move(full), token);
    const Candidate* last = r.stages.back().find(token);
    r.p = last ? last->p : 0.f;
    r.modelP = r.stages.front().find(token)->p;
    return r;
}

SampleResult SamplerChain::sample(std::span<const float> logits, std::span<const int> recent, Rng& rng) const {
    auto full = run(logits, recent);
    const int token = choose(full.back().cs, rng);
    return finish(std::move(full), token, logits);
}

SampleResult SamplerChain::forced(std::span<const float> logits, std::span<const int> recent, int token) const {
    if (token < 0 || token >= int(logits.size()))
        throw Error("token id " + std::to_string(token) + " is outside the vocabulary [0, " + std::to_string(logits.size()) + ")");
    return finish(run(logits, recent), token, logits);
}

std::vector<double> SamplerChain::distribution(std::span<const float> logits, std::span<const int> recent) const {
    const auto full = run(logits, recent);
    const std::vector<Candidate>& last = full.back().cs;
    std::vector<double> d(logits.size(), 0.0);
    if (m_settings.strategy == DecodeStrategy::Greedy || m_settings.temperature() == 0.0f) {
        d[size_t(last.front().id)] = 1.0;  // the first is the most probable (ties: lower id)
        return d;
    }
    for (const Candidate& c : last) d[size_t(c.id)] = c.p;
    return d;
}

}  // namespace ar
