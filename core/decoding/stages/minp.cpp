// Min-p: keep the candidates with p >= minP * p_max (strict when the model is sure, loose when it is not).
// minP = 0 is off.
#include "core/decoding/samplerstages.h"
#include <vector>

namespace ar {

namespace {
float minP(const SamplerSettings& s) { return float(s.knob("min_p")); }

class MinPStage : public SamplerStageKind {
public:
    std::string name() const override { return "min-p"; }
    std::string description() const override { return "keeps the tokens with p >= min-p × the top token's p"; }
    std::vector<StageParam> params() const override {
        StageParam m;
        m.key = "min_p";
        m.label = ARLAB_STAGE_TEXT("arlab::SamplingPanel", "Min-p");
        m.tooltip = ARLAB_STAGE_TEXT("arlab::SamplingPanel",
                                     "Min-p keeps the tokens whose probability is at least min-p × the top token's probability.\n"
                                     "It adapts to the distribution: strict when the model is sure, loose when it is not. 0 = off.");
        m.name = "min-p";
        m.valueName = "P";
        m.defaultValue = 0;
        m.lowest = 0, m.highest = 1, m.highestOpen = true;
        m.min = 0.0, m.max = 0.99, m.step = 0.05, m.decimals = 2;
        m.advanced = true;
        return {m};
    }
    bool active(const SamplerSettings& s) const override { return minP(s) > 0.0f; }
    std::string setting(const SamplerSettings& s) const override { return "min-p = " + stageNumber(minP(s)); }
    std::string summary(const SamplerSettings&) const override { return ARLAB_STAGE_TEXT("arlab::SamplingPanel", "min-p %1"); }
    int panelOrder() const override { return 40; }
    int chainOrder() const override { return 50; }
    std::vector<Candidate> apply(std::vector<Candidate> cs, const StageInput& in) const override {
        const float threshold = minP(in.settings) * cs.front().p;   // the first is the most probable
        std::erase_if(cs, [&](const Candidate& c) { return c.p < threshold; });
        renormalise(cs);
        return cs;
    }
};
}  // namespace

ARLAB_SAMPLER_STAGE(MinPStage)

}  // namespace ar
