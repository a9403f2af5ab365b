#pragma once
// The same prompt decoded by several strategies, side by side: greedy, beam(k), and N seeded samples.
// Each row carries the generated tokens, the model's probability of each token (raw softmax, not the
// filtered one), the total log-probability, and where the row first departs from the greedy row.
#include "core/decoding/samplerchain.h"
#include "core/models/languagemodel.h"

#include <memory>
#include <string>
#include <vector>

namespace ar {

struct CompareRow {
    std::string label;                  // "greedy", "beam k=4" ("beam k=4 a=0.6" with a length penalty), "sample seed=7"
    DecodeStrategy strategy = DecodeStrategy::Greedy;
    uint64_t seed = 0;                  // samples only
    Tokens tokens;                      // generated tokens (EOS included if produced)
    std::vector<std::string> pieces;    // tokenizer display of each token
    std::vector<float> probs;           // model probability of each token given everything before it
    double logprob = 0;                 // sum of log(probs), in double from the logits
    double score = 0;                   // beam: length-normalised score; others: = logprob
    // Index of the first generated token that differs from the greedy row; -1 when identical. When one
    // row is a prefix of the other, the shorter length.
    int divergence = -1;
};

struct CompareSettings {
    int maxNewTokens = 12;      // [1, 4096]
    int beamWidth = 4;          // [1, 64]; 0 = no beam row
    float lengthPenalty = 0;    // beam alpha
    int samples = 3;            // [0, 32] seeded sample rows
    uint64_t seed = 1;          // sample i uses seed + i
    SamplerSettings sampler;    // temperature / top-k / top-p / min-p / penalty for the sample rows
    void validate() const;
};

// Rows: greedy first, then beam (if beamWidth > 0), then the samples.
std::vector<CompareRow> compareStrategies(std::shared_ptr<const LanguageModel> model, const Tokens& prompt,
                                          const CompareSettings& settings);
// First index where a and b differ; -1 if equal; min(size) when one is a prefix of the other.
int firstDivergence(const Tokens& a, const Tokens& b);

}  // namespace ar
