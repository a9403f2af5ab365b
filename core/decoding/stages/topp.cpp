// Top-p (nucleus, Holtzman et al. 2020): keep the smallest most-probable prefix whose probability mass
// reaches p. p = 1 is off.
#include "core/decoding/samplerstages.h"
#include <algorithm>

namespace ar {

namespace {
class TopPStage : public SamplerStageKind {
public:
    std::string name() const override { return "top-p"; }
    std::string description() const override { return "keeps the most probable tokens until their mass reaches p"; }
    std::vector<StageParam> params() const override {
        StageParam p;
        p.key = "top_p";
        p.label = ARLAB_STAGE_TEXT("arlab::SamplingPanel", "Top-p");
        p.tooltip = ARLAB_STAGE_TEXT("arlab::SamplingPanel",
                                     "Top-p (nucleus) keeps the smallest set of most probable tokens whose probabilities\n"
                                     "add up to at least p, then renormalises. 1 = off.\n"
                                     "Example: p = 0.7 on {0.4, 0.3, 0.2, 0.1} keeps {0.4, 0.3} → {0.57, 0.43}.");
        p.name = "top-p";
        p.valueName = "P";
        p.defaultValue = 1;
        p.lowest = 0, p.highest = 1, p.lowestOpen = true;
        p.min = 0.01, p.max = 1.0, p.step = 0.05, p.decimals = 2;
        return {p};
    }
    bool active(const SamplerSettings& s) const override { return s.topP() < 1.0f; }
    std::string setting(const SamplerSettings& s) const override { return "p = " + stageNumber(s.topP()); }
    std::string summary(const SamplerSettings&) const override { return ARLAB_STAGE_TEXT("arlab::SamplingPanel", "top-p %1"); }
    int panelOrder() const override { return 30; }
    int chainOrder() const override { return 40; }
    std::vector<Candidate> apply(std::vector<Candidate> cs, const StageInput& in) const override {
        const float topP = in.settings.topP();
        double cum = 0;
        size_t keep = cs.size();
        size_t sorted = std::min(cs.size(), size_t(kRecordedCandidates));
        for (size_t i = 0; i < cs.size(); ++i) {
            if (i == sorted) {   // the walk needs more of the order: twice as much
                sorted = std::min(cs.size(), 2 * sorted);
                sortTop(cs, sorted);
            }
            cum += cs[i].p;
            // The probabilities come from a softmax in float: allow a rounding slack so that {0.4, 0.3} does
            // reach p = 0.7.
            if (cum >= double(topP) - 1e-6) {
                keep = i + 1;
                break;
            }
        }
        cs.resize(keep);
        renormalise(cs);
        return cs;
    }
};
}  // namespace

ARLAB_SAMPLER_STAGE(TopPStage)

}  // namespace ar
