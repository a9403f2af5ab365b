#pragma once
// The sampler chain (llama.cpp's llama-sampling.cpp idea): a next-token distribution goes through a row of
// filters, then one selector picks the token.
//
//   raw logits (V)
//     -> repetition penalty  tokens seen in the last `repetitionWindow` tokens: logit > 0 ? logit / r : logit * r
//     -> temperature         logits / T            (T = 0: keep only the argmax, i.e. greedy)
//     -> top-k               keep the k most probable
//     -> top-p (nucleus)     keep the smallest most-probable prefix whose probability mass reaches p
//     -> min-p               keep tokens with p >= minP * p_max
//     -> selector            greedy: the most probable survivor; sample: a draw from the survivors with an Rng
//
// Each filter that is switched on records its surviving candidates {id, logit, p} with p renormalised over
// the survivors (a SamplerStage), so a view can show exactly what each filter removed.
// Switched off: repetitionPenalty = 1, temperature = 1, topK = 0, topP = 1, minP = 0.
#include "core/decoding/decodestep.h"
#include "core/random.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ar {

enum class DecodeStrategy { Greedy, Sample, Beam };
std::string strategyName(DecodeStrategy s);            // "greedy" | "sample" | "beam"
DecodeStrategy strategyFromName(const std::string& s);  // throws ar::Error naming the valid choices

// Everything the sampling panel edits. Beam settings live here too so one value describes a decoding run.
struct SamplerSettings {
    DecodeStrategy strategy = DecodeStrategy::Sample;
    float temperature = 1.0f;        // >= 0; 0 means greedy
    int topK = 0;                    // >= 0; 0 = off
    float topP = 1.0f;               // (0, 1]; 1 = off
    float minP = 0.0f;               // [0, 1); 0 = off
    float repetitionPenalty = 1.0f;  // >= 1 (well, > 0); 1 = off
    int repetitionWindow = 64;       // >= 0: how many recent tokens (prompt included) the penalty looks at
    uint64_t seed = 0;               // seeds the draw; same seed -> same tokens
    int beamWidth = 4;               // [1, 64]
    float lengthPenalty = 0.0f;      // GNMT alpha in [0, 5]: score = logprob / ((5 + len) / 6)^alpha
    int maxNewTokens = 20;           // [1, 4096]: stopping length for generate / beam / compare

    // Throws ar::Error with a specific message, e.g. "top-p must be in (0, 1], got 1.5".
    void validate() const;
    bool operator==(const SamplerSettings&) const = default;
};

// Every stage's result and the choice. `stages.front()` is "raw".
struct SampleResult {
    std::vector<SamplerStage> stages;
    int token = -1;
    float p = 0;          // probability of `token` in the last stage
    float modelP = 0;     // probability of `token` under the raw model
    double tokenLogprob = 0;  // log of the raw model probability (double precision log-softmax)
};

class SamplerChain {
public:
    explicit SamplerChain(const SamplerSettings& settings = {});  // validates
    const SamplerSettings& settings() const { return m_settings; }
    void setSettings(const SamplerSettings& settings);          // validates

    // Runs the filters on one row of logits. `recent` = the tokens so far (prompt + generated); the last
    // repetitionWindow of them are penalised. Throws ar::Error on a logits row that is empty or not finite.
    std::vector<SamplerStage> filter(std::span<const float> logits, std::span<const int> recent) const;
    // The selector on the last stage: argmax (greedy, or temperature 0) or a draw with `rng`.
    // Greedy never touches rng; a draw consumes exactly one rng.uniform().
    int select(const SamplerStage& last, Rng& rng) const;
    // filter() + select() + the raw probability of the chosen token.
    SampleResult sample(std::span<const float> logits, std::span<const int> recent, Rng& rng) const;
    // filter() and the raw/final probabilities of a token the user chose (no draw; rng untouched).
    SampleResult forced(std::span<const float> logits, std::span<const int> recent, int token) const;

private:
    SamplerSettings m_settings;
};

// Helpers shared by the decoders (all in double precision internally).
// log-softmax of a row of logits.
std::vector<double> logSoftmax(std::span<const float> logits);
// Candidates of a row of logits sorted by p descending (ties: lower id first), p = softmax(logits).
std::vector<Candidate> softmaxCandidates(std::span<const float> logits);

}  // namespace ar
