#pragma once
// The sampler chain's stages as objects (llama.cpp's llama-sampling.cpp idea): each filter is one class in
// its own file under core/decoding/stages/, with
//   name()        "temperature": what a recorded SamplerStage is called (the Next token view's stage buttons)
//   params()      its knob(s) in the one settings value: key, label, tooltip, the panel's range, read/write,
//                 and the check that throws the field's specific message (SamplerSettings::validate runs them)
//   active(s)     whether the settings switch it on (a stage that is off is not recorded)
//   setting(s)    "T = 0.8", shown next to the stage
//   apply(cs, in) the previous stage's survivors -> this stage's survivors with p renormalised over them.
//                 In and out, the first min(kRecordedCandidates, size) are sorted by p descending (ties:
//                 lower id) and every other one is below them (sortTop(); renormalise() ends with it): a
//                 stage that needs more of the order (top-k with k > 64, top-p) sorts more with sortTop().
// samplerStages() lists them in chain order; SamplerChain runs that list, SamplingPanel builds its rows from
// it, arlab-cli its sampling options (app/cli/sampleroptions.h). A new filter = one new file here + its line
// in samplerstages.cpp (+ its field in SamplerSettings).
#include "core/decoding/decodestep.h"
#include "core/decoding/decodingsettings.h"

#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace ar {

// One knob of a stage.
struct StageParam {
    std::string key;        // "top_p": the CSV / session key
    std::string label;      // "Top-p" (English; the panel translates it)
    std::string tooltip;    // what it does, with an example
    std::string valueName;  // "T": the value's name in arlab-cli's help ("--temperature T")
    double min = 0, max = 1, step = 0.1;  // the panel's spin box (validation may allow more, e.g. T up to 100)
    // The edges of what `check` accepts (whether an edge itself is allowed, the check says): arlab-cli refuses a
    // value outside them with "option --top-p must be between 0 and 1, got 1.5" before the check runs.
    double lowest = -std::numeric_limits<double>::max(), highest = std::numeric_limits<double>::max();
    int decimals = 2;       // 0: a whole number (QSpinBox)
    bool advanced = false;  // hidden in presentation mode
    bool samplingOnly = true;  // only meaningful when the strategy draws (greedy / beam disable it)
    std::function<double(const SamplerSettings&)> get;
    std::function<void(SamplerSettings&, double)> set;
    std::function<void(const SamplerSettings&)> check;  // throws ar::Error with the field's message
    std::function<bool(const SamplerSettings&)> enabledWhen;  // optional: the panel greys it out otherwise
};

// What a stage may look at besides the candidates.
struct StageInput {
    const SamplerSettings& settings;
    std::span<const int> recent;   // the tokens so far (prompt + generated), oldest first
};

class SamplerStageKind {
public:
    virtual ~SamplerStageKind() = default;
    virtual std::string name() const = 0;
    virtual std::string description() const = 0;   // one sentence: what it keeps
    // How a view names it when it is switched off ("temperature (T = 1)"); English, the view translates it.
    virtual std::string offName() const { return name(); }
    virtual std::vector<StageParam> params() const = 0;
    virtual bool active(const SamplerSettings& s) const = 0;
    virtual std::string setting(const SamplerSettings& s) const = 0;
    // The stage in the panel's one-line chain summary: a pattern whose %1, %2, ... are params()' values
    // ("top-k %1", "penalty %1 (last %2)"). English; the panel translates it.
    virtual std::string summary(const SamplerSettings& s) const = 0;
    // Where its knobs sit in the settings panel (the main knobs first): temperature 10, top-k 20, top-p 30,
    // min-p 40, repetition penalty 50. The chain order is samplerStages()' order, not this.
    virtual int panelOrder() const = 0;
    virtual std::vector<Candidate> apply(std::vector<Candidate> cs, const StageInput& in) const = 0;
};

// The chain, in order: repetition penalty, temperature, top-k, top-p, min-p (+ any added by addSamplerStage).
const std::vector<const SamplerStageKind*>& samplerStages();
// Appends a stage to the chain (tests and extensions); the registry owns it. Not thread-safe: call it before
// any chain runs.
void addSamplerStage(std::unique_ptr<SamplerStageKind> stage);
// Removes the stages added by addSamplerStage (tests clean up after themselves).
void removeAddedSamplerStages();

// Softmax over the candidates' logits in double precision (sets p), then sortTop(cs, kRecordedCandidates).
// Every stage that changes logits or drops candidates ends with it. Returns log(sum exp(logit)) of the candidates
// as they came (max + log of the sum, the sum taken in their order; -inf when empty).
double renormalise(std::vector<Candidate>& cs);
// From this many candidates, renormalise and the chain's entropy split their per-candidate exp, division and log
// over the kernel threads (core/nn/threads.h); sums stay in the candidates' order, so the bits do not change.
inline constexpr long kSplitCandidates = 8192;
// The first min(n, size) candidates become the n most probable, sorted (ties: lower id first); the others
// stay below them in no order. std::nth_element + a sort of n: O(size + n log n).
void sortTop(std::vector<Candidate>& cs, size_t n);
// The chain's order: higher p (= higher logit within a stage) first, ties to the lower id. Inline: the sorts and
// selections of V = 50257 candidates call it ~10^5 times per step.
inline bool moreProbable(const Candidate& a, const Candidate& b) {
    if (a.logit != b.logit) return a.logit > b.logit;  // within one stage, p is monotone in the logit
    return a.id < b.id;
}
// "%g" of a value, as the stages print their settings ("T = 0.8").
std::string stageNumber(double v);

// The built-in stages (one file each under core/decoding/stages/).
std::unique_ptr<SamplerStageKind> makeRepetitionPenaltyStage();
std::unique_ptr<SamplerStageKind> makeTemperatureStage();
std::unique_ptr<SamplerStageKind> makeTopKStage();
std::unique_ptr<SamplerStageKind> makeTopPStage();
std::unique_ptr<SamplerStageKind> makeMinPStage();

}  // namespace ar
