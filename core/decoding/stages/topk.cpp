// Top-k: keep the k most probable candidates. k = 0 is off.
#include "core/decoding/samplerstages.h"
#include <algorithm>

namespace ar {

namespace {
class TopKStage : public SamplerStageKind {
public:
    std::string name() const override { return "top-k"; }
    std::string description() const override { return "keeps the k most probable tokens"; }
    std::vector<StageParam> params() const override {
        StageParam k;
        k.key = "top_k";
        k.label = ARLAB_STAGE_TEXT("arlab::SamplingPanel", "Top-k");
        k.tooltip = ARLAB_STAGE_TEXT("arlab::SamplingPanel", "Top-k keeps only the k most probable tokens and renormalises.\n0 = off.");
        k.name = "top-k";
        k.valueName = "K";
        k.defaultValue = 0;
        k.lowest = 0, k.note = "(0 = off)";
        k.min = 0, k.max = 100000, k.step = 1, k.decimals = 0;
        return {k};
    }
    bool active(const SamplerSettings& s) const override { return s.topK() > 0; }
    std::string setting(const SamplerSettings& s) const override { return "k = " + std::to_string(s.topK()); }
    std::string summary(const SamplerSettings&) const override { return ARLAB_STAGE_TEXT("arlab::SamplingPanel", "top-k %1"); }
    int panelOrder() const override { return 20; }
    int chainOrder() const override { return 30; }
    std::vector<Candidate> apply(std::vector<Candidate> cs, const StageInput& in) const override {
        const size_t k = size_t(in.settings.topK());
        if (cs.size() > k) {
            if (k > size_t(kRecordedCandidates))   // (the first k are already the top k otherwise)
                std::nth_element(cs.begin(), cs.begin() + std::ptrdiff_t(k), cs.end(), moreProbable);
            cs.resize(k);
        }
        renormalise(cs);
        return cs;
    }
};
}  // namespace

ARLAB_SAMPLER_STAGE(TopKStage)

}  // namespace ar
