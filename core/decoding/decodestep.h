#pragma once
// Value types that the decoding engine produces and the widgets draw.
#include "core/tensor.h"

#include <string>
#include <vector>

namespace ar {

struct Candidate {
    int id = -1;
    float logit = 0;  // the logit after this stage's transformation (temperature, penalty)
    float p = 0;      // probability within this stage's surviving set (renormalised)
};

// How many of a stage's survivors are listed (the rest is a count and a mass): a GPT-2 step records 64 +
// a few candidates per stage, not 50257.
inline constexpr int kRecordedCandidates = 64;

// One stage of the sampler chain: its name ("raw", "repetition penalty", "temperature", "top-k", "top-p",
// "min-p") with its setting, and the candidates that survive it. Only the stages that are switched on are
// recorded; "raw" (softmax of the model's logits over all V tokens) is always first.
// `candidates` lists the stage's kRecordedCandidates most probable survivors sorted by p descending (ties:
// lower id first), then, also sorted, every other survivor that the raw stage lists and the chosen token,
// so a listed token's p is known at every stage it survived. All survivors when there are fewer. The p are
// exact (the softmax runs over all survivors); the unlisted survivors are `kept - candidates.size()` tokens
// with total probability `otherMass` (the "(other)" bar).
struct SamplerStage {
    std::string name;
    std::string setting;              // e.g. "T = 0.8", "k = 40"; empty for "raw"
    std::vector<Candidate> candidates;
    int removed = 0;                  // candidates of the previous stage that this stage dropped
    int kept = 0;                     // survivors of this stage (listed or not)
    double otherMass = 0;             // total p of the survivors not listed (0 when all are listed)
    double entropy = 0;               // -sum p log p over all survivors (nats)

    bool complete() const { return int(candidates.size()) == kept; }   // every survivor is listed

    // The candidate with this id, or nullptr when the stage removed it.
    const Candidate* find(int id) const {
        for (const auto& c : candidates)
            if (c.id == id) return &c;
        return nullptr;
    }
};

struct DecodeStep {
    int position = 0;                 // index of the chosen token in DecodingSession::sequence() (BOS included)
    std::vector<SamplerStage> stages; // stages.front() is the raw model distribution (its top candidates + the chosen)
    int token = -1;                   // the chosen token
    float p = 0;                      // its probability in the final (renormalised) stage; 0 if it was filtered out (forced)
    float modelP = 0;                 // its probability under the raw model (softmax of the logits)
    double tokenLogprob = 0;          // log(modelP), computed in double from the logits (exact even when modelP underflows)
    double logprob = 0;               // running sum of tokenLogprob over the generated tokens
    bool forced = false;              // chosen by the user, not by the selector
    // Attention of the query that produced this step's distribution (the last token fed before this
    // position): per layer, (H, position) — row h = head h's weights over sequence()[0 .. position-1].
    std::vector<Mat> attention;
};

}  // namespace ar
