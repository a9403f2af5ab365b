// Repetition penalty (CTRL, Keskar et al. 2019): tokens seen in the last `repetitionWindow` tokens (prompt
// included) get logit > 0 ? logit / r : logit * r. r = 1 (or a window of 0) is off.
#include "core/decoding/samplerstages.h"
#include "core/error.h"

#include <cmath>
#include <set>

namespace ar {

namespace {
class RepetitionPenaltyStage : public SamplerStageKind {
public:
    std::string name() const override { return "repetition penalty"; }
    std::string description() const override { return "pushes down the tokens that appeared recently"; }
    std::vector<StageParam> params() const override {
        StageParam r;
        r.key = "repetition_penalty";
        r.label = "Repetition penalty";
        r.tooltip = "Repetition penalty r for tokens already in the recent window (prompt included):\n"
                    "a positive logit is divided by r, a negative one multiplied by r. 1 = off; > 1 discourages repeats.";
        r.valueName = "R";
        r.lowest = 0, r.highest = 10;
        r.min = 0.1, r.max = 10.0, r.step = 0.05, r.decimals = 2;
        r.advanced = true;
        r.samplingOnly = false;
        r.get = [](const SamplerSettings& s) { return double(s.repetitionPenalty); };
        r.set = [](SamplerSettings& s, double v) { s.repetitionPenalty = float(v); };
        r.check = [](const SamplerSettings& s) {
            const float v = s.repetitionPenalty;
            if (!std::isfinite(v) || !(v > 0) || v > 10)
                throw Error("repetition penalty must be in (0, 10] (1 = off), got " + stageNumber(v));
        };
        StageParam w;
        w.key = "repetition_window";
        w.label = "Penalty window";
        w.tooltip = "How many recent tokens the repetition penalty looks at.";
        w.valueName = "N";
        w.lowest = 0, w.highest = 1 << 20;
        w.min = 0, w.max = 4096, w.step = 1, w.decimals = 0;
        w.advanced = true;
        w.samplingOnly = false;
        w.get = [](const SamplerSettings& s) { return double(s.repetitionWindow); };
        w.set = [](SamplerSettings& s, double v) { s.repetitionWindow = int(v); };
        w.check = [](const SamplerSettings& s) {
            if (s.repetitionWindow < 0 || s.repetitionWindow > 1 << 20)
                throw Error("repetition window must be in [0, 1048576], got " + std::to_string(s.repetitionWindow));
        };
        w.enabledWhen = [](const SamplerSettings& s) { return s.repetitionPenalty != 1.0f; };
        return {r, w};
    }
    bool active(const SamplerSettings& s) const override { return s.repetitionPenalty != 1.0f && s.repetitionWindow > 0; }
    std::string setting(const SamplerSettings& s) const override {
        return "r = " + stageNumber(s.repetitionPenalty) + ", last " + std::to_string(s.repetitionWindow);
    }
    std::string summary(const SamplerSettings&) const override { return "penalty %1 (last %2)"; }
    int panelOrder() const override { return 50; }
    std::vector<Candidate> apply(std::vector<Candidate> cs, const StageInput& in) const override {
        const float r = in.settings.repetitionPenalty;
        const size_t n = std::min(in.recent.size(), size_t(in.settings.repetitionWindow));
        const std::set<int> seen(in.recent.end() - std::ptrdiff_t(n), in.recent.end());
        for (auto& c : cs)
            if (seen.count(c.id)) c.logit = c.logit > 0 ? c.logit / r : c.logit * r;
        renormalise(cs);
        return cs;
    }
};
}  // namespace

std::unique_ptr<SamplerStageKind> makeRepetitionPenaltyStage() { return std::make_unique<RepetitionPenaltyStage>(); }

}  // namespace ar
