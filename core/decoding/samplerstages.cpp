#include "core/decoding/samplerstages.h"

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
    std::vector<double> e(cs.size());  // exp(logit - max), computed once (V = 50257: the chain's largest cost)
    double sum = 0;
    for (size_t i = 0; i < cs.size(); ++i) sum += (e[i] = std::exp(double(cs[i].logit) - mx));
    for (size_t i = 0; i < cs.size(); ++i) cs[i].p = float(e[i] / sum);
    sortTop(cs, size_t(kRecordedCandidates));
    return mx + std::log(sum);
}

std::string stageNumber(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

}  // namespace ar
