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

bool moreProbable(const Candidate& a, const Candidate& b) {
    if (a.logit != b.logit) return a.logit > b.logit;  // within one stage, p is monotone in the logit
    return a.id < b.id;
}

void sortTop(std::vector<Candidate>& cs, size_t n) {
    if (n >= cs.size()) {
        std::sort(cs.begin(), cs.end(), moreProbable);   // a total order: the same result as a stable sort
        return;
    }
    std::nth_element(cs.begin(), cs.begin() + std::ptrdiff_t(n), cs.end(), moreProbable);
    std::sort(cs.begin(), cs.begin() + std::ptrdiff_t(n), moreProbable);
}

void renormalise(std::vector<Candidate>& cs) {
    if (cs.empty()) return;
    double mx = -INFINITY;
    for (const auto& c : cs) mx = std::max(mx, double(c.logit));
    double sum = 0;
    for (const auto& c : cs) sum += std::exp(double(c.logit) - mx);
    for (auto& c : cs) c.p = float(std::exp(double(c.logit) - mx) / sum);
    sortTop(cs, size_t(kRecordedCandidates));
}

std::string stageNumber(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

}  // namespace ar
