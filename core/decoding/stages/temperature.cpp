// Temperature: logits / T before the softmax. T < 1 sharpens, T > 1 flattens; T = 0 keeps only the argmax
// (greedy). T = 1 is off.
#include "core/decoding/samplerstages.h"
#include <vector>

namespace ar {

namespace {
class TemperatureStage : public SamplerStageKind {
public:
    std::string name() const override { return "temperature"; }
    std::string description() const override { return "divides the logits by T"; }
    std::string offName() const override { return "temperature (T = 1)"; }
    std::vector<StageParam> params() const override {
        StageParam t;
        t.key = "temperature";
        t.label = ARLAB_STAGE_TEXT("arlab::SamplingPanel", "Temperature");
        t.tooltip = ARLAB_STAGE_TEXT("arlab::SamplingPanel",
                                     "Temperature T divides the logits before the softmax.\n"
                                     "T < 1 sharpens the distribution (more predictable), T > 1 flattens it (more surprising).\n"
                                     "T = 0 keeps only the most probable token: greedy decoding.");
        t.name = "temperature";
        t.valueName = "T";
        t.defaultValue = 1;
        t.lowest = 0, t.highest = 100, t.note = "(0 = greedy)";
        t.min = 0, t.max = 5, t.step = 0.1, t.decimals = 2;
        return {t};
    }
    bool active(const SamplerSettings& s) const override { return s.temperature() != 1.0f; }
    std::string setting(const SamplerSettings& s) const override {
        return s.temperature() == 0 ? "T = 0 (greedy)" : "T = " + stageNumber(s.temperature());
    }
    std::string summary(const SamplerSettings& s) const override {
        return s.temperature() == 0 ? ARLAB_STAGE_TEXT("arlab::SamplingPanel", "T = 0 (greedy)")
                                    : ARLAB_STAGE_TEXT("arlab::SamplingPanel", "T = %1");
    }
    int panelOrder() const override { return 10; }
    int chainOrder() const override { return 20; }
    std::vector<Candidate> apply(std::vector<Candidate> cs, const StageInput& in) const override {
        const float t = in.settings.temperature();
        if (t == 0.0f) {
            cs.resize(1);  // the first is the argmax (ties: lower id)
            cs[0].p = 1.0f;
            return cs;
        }
        for (auto& c : cs) c.logit /= t;
        renormalise(cs);
        return cs;
    }
};
}  // namespace

ARLAB_SAMPLER_STAGE(TemperatureStage)

}  // namespace ar
