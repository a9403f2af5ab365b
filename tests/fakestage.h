#pragma once
// A fake sampler stage for tests (header-only, arcore only): keeps the candidates whose id is a multiple of
// n. Its knob lives outside SamplerSettings (fake::g_everyNth), as an extension's might, so adding it with
// ar::addSamplerStage changes no other file; ar::removeAddedSamplerStages() takes it out again.
#include "core/decoding/samplerstages.h"
#include "core/error.h"

#include <memory>

namespace fake {

inline double g_everyNth = 1;   // 1 = off

class EveryNthStage : public ar::SamplerStageKind {
public:
    std::string name() const override { return "every n-th"; }
    std::string description() const override { return "keeps ids that are multiples of n"; }
    std::vector<ar::StageParam> params() const override {
        ar::StageParam p;
        p.key = "every_nth";
        p.label = "Every n-th";
        p.tooltip = "Keeps the tokens whose id is a multiple of n (a test stage).";
        p.valueName = "N";
        p.min = 1, p.max = 10, p.step = 1, p.decimals = 0;
        p.get = [](const ar::SamplerSettings&) { return g_everyNth; };
        p.set = [](ar::SamplerSettings&, double v) { g_everyNth = v; };
        p.check = [](const ar::SamplerSettings&) {
            if (g_everyNth < 1) throw ar::Error("every n-th must be >= 1");
        };
        return {p};
    }
    bool active(const ar::SamplerSettings&) const override { return g_everyNth > 1; }
    std::string setting(const ar::SamplerSettings&) const override { return "n = " + ar::stageNumber(g_everyNth); }
    std::string summary(const ar::SamplerSettings&) const override { return "every %1"; }
    int panelOrder() const override { return 60; }
    std::vector<ar::Candidate> apply(std::vector<ar::Candidate> cs, const ar::StageInput&) const override {
        std::erase_if(cs, [](const ar::Candidate& c) { return c.id % int(g_everyNth) != 0; });
        ar::renormalise(cs);
        return cs;
    }
};

inline void addEveryNthStage() {
    g_everyNth = 1;
    ar::addSamplerStage(std::make_unique<EveryNthStage>());
}

}  // namespace fake
