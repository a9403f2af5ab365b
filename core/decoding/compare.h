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

// Rows: greedy first, then beam (when settings.compare.beamRow: settings.beam's width and length penalty,
// at most compare.maxNewTokens tokens), then compare.samples rows drawn with the chain's filters, seeds
// compare.seed, compare.seed + 1, ... Validates the whole value first.
std::vector<CompareRow> compareStrategies(std::shared_ptr<const LanguageModel> model, const Tokens& prompt,
                                          const SamplerSettings& settings);
// First index where a and b differ; -1 if equal; min(size) when one is a prefix of the other.
int firstDivergence(const Tokens& a, const Tokens& b);

}  // namespace ar
