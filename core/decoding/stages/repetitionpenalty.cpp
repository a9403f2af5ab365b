// Repetition penalty (CTRL, Keskar et al. 2019): tokens seen in the last `repetitionWindow` tokens (prompt
// included) get logit > 0 ? logit / r : logit * r. r = 1 (or a window of 0) is off.
#include "core/decoding/samplerstages.h"
#include <set>

namespace ar {

namespace {
float penalty(const SamplerSettings& s) { return float(s.knob("repetition_penalty")); }
int window(const SamplerSettings& s) { return int(s.knob("repetition_window")); }

class RepetitionPenaltyStage : public SamplerStageKind {
public:
    std::string name() const override { return "repetition penalty"; }
    std::string description() const override { return "pushes down the tokens that appeared recently"; }
    std::vector<StageParam> params() const override {
        StageParam r;
        r.key = "repetition_penalty";
        r.label = ARLAB_STAGE_TEXT("arlab::SamplingPanel", "Repetition penalty");
        r.tooltip = ARLAB_STAGE_TEXT("arlab::SamplingPanel",
                                     "Repetition penalty r for tokens already in the recent window (prompt included):\n"
                                     "a positive logit is divided by r, a negative one multiplied by r. 1 = off; > 1 discourages repeats.");
        r.name = "repetition penalty";
        r.valueName = "R";
        r.defaultValue = 1;
        r.lowest = 0, r.highest = 10, r.lowestOpen = true, r.note = "(1 = off)";
        r.min = 0.1, r.max = 10.0, r.step = 0.05, r.decimals = 2;
        r.advanced = true;
        r.samplingOnly = false;
        StageParam w;
        w.key = "repetition_window";
        w.label = ARLAB_STAGE_TEXT("arlab::SamplingPanel", "Penalty window");
        w.tooltip = ARLAB_STAGE_TEXT("arlab::SamplingPanel", "How many recent tokens the repetition penalty looks at.");
        w.name = "repetition window";
        w.valueName = "N";
        w.defaultValue = 64;
        w.lowest = 0, w.highest = 1 << 20;
        w.min = 0, w.max = 4096, w.step = 1, w.decimals = 0;
        w.advanced = true;
        w.samplingOnly = false;
        w.enabledWhen = [](const SamplerSettings& s) { return penalty(s) != 1.0f; };
        return {r, w};
    }
    bool active(const SamplerSettings& s) const override { return penalty(s) != 1.0f && window(s) > 0; }
    std::string setting(const SamplerSettings& s) const override {
        return "r = " + stageNumber(penalty(s)) + ", last " + std::to_string(window(s));
    }
    std::string summary(const SamplerSettings&) const override { return ARLAB_STAGE_TEXT("arlab::SamplingPanel", "penalty %1 (last %2)"); }
    int panelOrder() const override { return 50; }
    int chainOrder() const override { return 10; }
    std::vector<Candidate> apply(std::vector<Candidate> cs, const StageInput& in) const override {
        const float r = penalty(in.settings);
        const size_t n = std::min(in.recent.size(), size_t(window(in.settings)));
        const std::set<int> seen(in.recent.end() - std::ptrdiff_t(n), in.recent.end());
        for (auto& c : cs)
            if (seen.count(c.id)) c.logit = c.logit > 0 ? c.logit / r : c.logit * r;
        renormalise(cs);
        return cs;
    }
};
}  // namespace

ARLAB_SAMPLER_STAGE(RepetitionPenaltyStage)

}  // namespace ar
