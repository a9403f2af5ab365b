#include "core/decoding/samplerstages.h"

#include "core/nn/threads.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ar {

namespace {
struct Registry {
    std::vector<std::unique_ptr<SamplerStageKind>> owned;
    std::vector<const SamplerStageKind*> list;
    size_t builtIn = 0;
    Registry() {
        for (auto make : {makeRepetitionPenaltyStage, makeTemperatureStage, makeTopKStage, makeTopPStage, makeMinPStage})
            owned.push_back(make());
        for (const auto& s : owned) list.push_back(s.get());
        builtIn = owned.size();
    }
};
Registry& registry() {
    static Registry r;
    return r;
}
}  // namespace

const std::vector<const SamplerStageKind*>& samplerStages() { return registry().list; }

void addSamplerStage(std::unique_ptr<SamplerStageKind> stage) {
    Registry& r = registry();
    r.list.push_back(stage.get());
    r.owned.push_back(std::move(stage));
}

void removeAddedSamplerStages() {
    Registry& r = registry();
    r.owned.resize(r.builtIn);
    r.list.resize(r.builtIn);
}

void sortTop(std::vector<Candidate>& cs, size_t n) {
    // moreProbable through a lambda, so each comparison is inlined rather than a call through a function pointer
    // (the same comparisons, so the same order).
    const auto more = [](const Candidate& a, const Candidate& b) { return moreProbable(a, b); };
    if (n >= cs.size()) {
        std::sort(cs.begin(), cs.end(), more);   // a total order: the same result as a stable sort
        return;
    }
    std::nth_element(cs.begin(), cs.begin() + std::ptrdiff_t(n), cs.end(), more);
    std::sort(cs.begin(), cs.begin() + std::ptrdiff_t(n), more);
}

double renormalise(std::vector<Candidate>& cs) {
    if (cs.empty()) return -INFINITY;
    double mx = -INFINITY;
    for (const auto& c : cs) mx = std::max(mx, double(c.logit));
    // exp(logit - max), computed once (V = 50257: the chain's largest cost) and split over the kernel threads
    // (each value computed alone, so the split changes no bit); the sum then taken in the candidates' order.
    const long n = long(cs.size());
    std::vector<double> e(cs.size());
    nn::parallelRanges(n, kSplitCandidates, [&](long lo, long hi) {
        for (long i = lo; i < hi; ++i) e[size_t(i)] = std::exp(double(cs[size_t(i)].logit) - mx);
    });
    double sum = 0;
    for (const double v : e) sum += v;
    nn::parallelRanges(n, kSplitCandidates, [&](long lo, long hi) {
        for (long i = lo; i < hi; ++i) cs[size_t(i)].p = float(e[size_t(i)] / sum);
    });
    sortTop(cs, size_t(kRecordedCandidates));
    return mx + std::log(sum);
}

std::string stageNumber(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

}  // namespace ar
