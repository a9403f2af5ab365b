// Every n-th (a stage for tst_samplerstagefile): keeps the candidates whose id is a multiple of n. n = 1 is off.
// Written as a new file of core/decoding/stages/ is; tests/CMakeLists.txt adds it to that folder's list
// (arlab_sampler_stage_list) for the test alone, and nothing else names it.
#include "core/decoding/samplerstages.h"
#include "core/error.h"

#include <string>
#include <vector>

namespace ar {

namespace {
int everyNth(const SamplerSettings& s) { return int(s.knob("every_nth")); }

class EveryNthStage : public SamplerStageKind {
public:
    std::string name() const override { return "every n-th"; }
    std::string description() const override { return "keeps the tokens whose id is a multiple of n"; }
    std::vector<StageParam> params() const override {
        StageParam n;
        n.key = "every_nth";
        n.name = "every n-th";
        n.label = ARLAB_STAGE_TEXT("arlab::SamplingPanel", "Every n-th");
        n.tooltip = ARLAB_STAGE_TEXT("arlab::SamplingPanel", "Keeps the tokens whose id is a multiple of n (a test stage).");
        n.valueName = "N";
        n.defaultValue = 1;
        n.lowest = 1, n.highest = 64;
        n.min = 1, n.max = 16, n.step = 1, n.decimals = 0;
        n.advanced = true;
        n.check = [](double v) {   // a check that is not a range
            if ((int(v) & (int(v) - 1)) != 0) throw Error("every n-th must be a power of 2, got " + std::to_string(int(v)));
        };
        return {n};
    }
    bool active(const SamplerSettings& s) const override { return everyNth(s) > 1; }
    std::string setting(const SamplerSettings& s) const override { return "n = " + std::to_string(everyNth(s)); }
    std::string summary(const SamplerSettings&) const override { return ARLAB_STAGE_TEXT("arlab::SamplingPanel", "every %1"); }
    int panelOrder() const override { return 60; }
    int chainOrder() const override { return 60; }
    std::vector<Candidate> apply(std::vector<Candidate> cs, const StageInput& in) const override {
        const int n = everyNth(in.settings);
        std::erase_if(cs, [n](const Candidate& c) { return c.id % n != 0; });
        renormalise(cs);
        return cs;
    }
};
}  // namespace

ARLAB_SAMPLER_STAGE(EveryNthStage)

}  // namespace ar
