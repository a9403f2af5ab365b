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

// One stage of the sampler chain: its name ("raw", "temperature", "top-k", "top-p", "min-p",
// "repetition penalty") with its setting, and the candidates that survive it, sorted by p descending.
struct SamplerStage {
    std::string name;
    std::string setting;              // e.g. "T = 0.8", "k = 40"
    std::vector<Candidate> candidates;
};

struct DecodeStep {
    int position = 0;                 // index of the chosen token in the full sequence
    std::vector<SamplerStage> stages; // stages.front() is the raw model distribution (all V candidates)
    int token = -1;                   // the chosen token
    float p = 0;                      // its probability in the final (renormalised) stage
    float modelP = 0;                 // its probability under the raw model (softmax of the logits)
    double logprob = 0;               // running sum of log(modelP) over the generated tokens
    bool forced = false;              // chosen by the user, not by the selector
    std::vector<Mat> attention;       // per layer, (H, t): where each head of the new position looked
};

}  // namespace ar
