#pragma once
// The sampler chain's stages as objects (llama.cpp's llama-sampling.cpp idea): each filter is one class in
// its own file under core/decoding/stages/, with
//   name()        "temperature": what a recorded SamplerStage is called (the Next token view's stage buttons)
//   params()      its knob(s): key, default, range, label, tooltip, the panel's range. Each knob is a slot of the
//                 one settings value (SamplerSettings::knob(key)); checkStageValue() is its one range check.
//   active(s)     whether the settings switch it on (a stage that is off is not recorded)
//   setting(s)    "T = 0.8", shown next to the stage
//   apply(cs, in) the previous stage's survivors -> this stage's survivors with p renormalised over them.
//                 In and out, the first min(kRecordedCandidates, size) are sorted by p descending (ties:
//                 lower id) and every other one is below them (sortTop(); renormalise() ends with it): a
//                 stage that needs more of the order (top-k with k > 64, top-p) sorts more with sortTop().
// A stage file ends with ARLAB_SAMPLER_STAGE(ItsClass). core/CMakeLists.txt lists every file of stages/ in a
// generated source (arlab_sampler_stage_list), so a new filter is one new file there and nothing else: the chain
// (samplerStages(), in chainOrder()), SamplerSettings' slots and validate(), the session file, arlab-cli's and
// arlab's sampling options (core/decoding/stageoptions.h) and the Sampling panel all iterate the registry.
#include "core/decoding/decodestep.h"
#include "core/decoding/decodingsettings.h"

#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// A stage's text that people read (a knob's label and tooltip, the summary pattern): in core, the English text
// itself. lupdate reads ARLAB_STAGE_TEXT as QT_TRANSLATE_NOOP (app/CMakeLists.txt passes -tr-function-alias and
// lists core/decoding/stages/), so a new stage's texts reach the translation files from its own file; the context
// is the one the Sampling panel translates them in.
#define ARLAB_STAGE_TEXT(context, text) text

namespace ar {

// One knob of a stage: a slot of SamplerSettings (SamplerSettings::knob(key)) that the stage declares.
struct StageParam {
    std::string key;        // "top_p": the slot, the session file's key, the option --top-p
    std::string name;       // "top-p": what messages call it
    std::string label;      // "Top-p" (English; the panel translates it)
    std::string tooltip;    // what it does, with an example
    std::string valueName;  // "P": the value's name in the options' help ("--top-p P")
    double defaultValue = 0;  // its value in a default SamplerSettings (the stage is off there)
    // The one range check (checkStageValue): lowest..highest, an edge left out when open, an infinite edge no
    // bound; `note` follows the range in the message: "top-k must be >= 0 (0 = off), got -1".
    double lowest = -std::numeric_limits<double>::infinity(), highest = std::numeric_limits<double>::infinity();
    bool lowestOpen = false, highestOpen = false;
    std::string note;
    int decimals = 2;       // 0: a whole number (an int slot, a QSpinBox); else a float slot
    double min = 0, max = 1, step = 0.1;  // the panel's spin box (the range may allow more, e.g. T up to 100)
    bool advanced = false;  // hidden in presentation mode
    bool samplingOnly = true;  // only meaningful when the strategy draws (greedy / beam disable it)
    std::function<void(double)> check;  // optional: a check that is not a range; throws ar::Error
    std::function<bool(const SamplerSettings&)> enabledWhen;  // optional: the panel greys it out otherwise
};

// The range check (and the knob's own check, if any) of a value; throws ar::Error with the knob's message,
// e.g. "top-p must be in (0, 1], got 1.5", "top-k must be a whole number up to 2147483647, got 2.5".
void checkStageValue(const StageParam& p, double v);
// "%g" of a value, or a whole number's digits ("1048576").
std::string stageValueText(const StageParam& p, double v);

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
    // Where it runs in the chain (the stages of stages/ are listed in file order, then sorted by this): repetition
    // penalty 10, temperature 20, top-k 30, top-p 40, min-p 50.
    virtual int chainOrder() const = 0;
    virtual std::vector<Candidate> apply(std::vector<Candidate> cs, const StageInput& in) const = 0;
};

// The chain, in order: repetition penalty, temperature, top-k, top-p, min-p (every stage of stages/ by chainOrder()).
const std::vector<const SamplerStageKind*>& samplerStages();
// The same stages by panelOrder() (stable): the Sampling panel's rows, the session file's keys.
std::vector<const SamplerStageKind*> samplerStagesInPanelOrder();
// Every knob of every stage, in chain order (a stage's knobs in its order), and the knob of a key (nullptr if none).
const std::vector<StageParam>& samplerKnobs();
const StageParam* findSamplerKnob(std::string_view key);

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

// The stages of stages/, one made by each file's ARLAB_SAMPLER_STAGE: a source that CMake generates
// (arlab_sampler_stage_list in core/CMakeLists.txt) from the list of files.
std::vector<std::unique_ptr<SamplerStageKind>> makeListedSamplerStages();

}  // namespace ar

// Ends a stage's file: the factory the generated list calls (ARLAB_STAGE_FACTORY, "samplerStage_<file name>", is
// defined for each file of the list by arlab_sampler_stage_list).
#define ARLAB_SAMPLER_STAGE(Class) \
    std::unique_ptr<::ar::SamplerStageKind> ARLAB_STAGE_FACTORY() { return std::make_unique<Class>(); }
