#include "core/decoding/samplerstages.h"

#include "core/error.h"
#include "core/nn/threads.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace ar {

namespace {
struct Registry {
    std::vector<std::unique_ptr<SamplerStageKind>> owned;
    std::vector<const SamplerStageKind*> list;
    std::vector<StageParam> knobs;
    Registry() : owned(makeListedSamplerStages()) {
        std::stable_sort(owned.begin(), owned.end(), [](const auto& a, const auto& b) { return a->chainOrder() < b->chainOrder(); });
        for (const auto& s : owned) {
            list.push_back(s.get());
            for (StageParam& p : s->params()) knobs.push_back(std::move(p));
        }
    }
};
const Registry& registry() {
    static const Registry r;
    return r;
}
}  // namespace

const std::vector<const SamplerStageKind*>& samplerStages() { return registry().list; }

std::vector<const SamplerStageKind*> samplerStagesInPanelOrder() {
    std::vector<const SamplerStageKind*> stages = registry().list;
    std::stable_sort(stages.begin(), stages.end(), [](auto* a, auto* b) { return a->panelOrder() < b->panelOrder(); });
    return stages;
}

const std::vector<StageParam>& samplerKnobs() { return registry().knobs; }

const StageParam* findSamplerKnob(std::string_view key) {
    for (const StageParam& p : registry().knobs)
        if (p.key == key) return &p;
    return nullptr;
}

std::string stageValueText(const StageParam& p, double v) {
    if (p.decimals == 0 && v == std::floor(v) && std::abs(v) < 1e15) return std::to_string((long long)v);
    return stageNumber(v);
}

void checkStageValue(const StageParam& p, double v) {
    const bool above = p.lowestOpen ? v > p.lowest : v >= p.lowest;
    const bool below = p.highestOpen ? v < p.highest : v <= p.highest;
    if (!std::isfinite(v) || !above || !below) {
        const std::string lo = stageValueText(p, p.lowest), hi = stageValueText(p, p.highest);
        std::string range;
        if (std::isinf(p.highest)) range = (p.lowestOpen ? "> " : ">= ") + lo;
        else if (std::isinf(p.lowest)) range = (p.highestOpen ? "< " : "<= ") + hi;
        else range = "in " + std::string(p.lowestOpen ? "(" : "[") + lo + ", " + hi + (p.highestOpen ? ")" : "]");
        throw Error(p.name + " must be " + range + (p.note.empty() ? "" : " " + p.note) + ", got " + stageValueText(p, v));
    }
    if (p.decimals == 0 && (v != std::floor(v) || std::abs(v) > double(std::numeric_limits<int>::max())))
        throw Error(p.name + " must be a whole number up to " + std::to_string(std::numeric_limits<int>::max()) + ", got " +
                    stageValueText(p, v));
    if (p.check) p.check(v);
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
