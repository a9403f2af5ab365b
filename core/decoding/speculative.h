#pragma once
// Speculative decoding (Leviathan et al. 2023; Chen et al. 2023): a small draft model proposes, a large target
// model verifies several positions in ONE pass, and the output has exactly the target's distribution.
//
// One round, from a sequence x_1..x_n:
//   draft    for i = 1..gamma: q_i = chain(draft logits after x_1..x_n, d_1..d_{i-1});  d_i ~ q_i
//   verify   one target pass over the gamma + 1 positions (TinyGpt::extend): p_1 .. p_{gamma+1}
//            p_i = chain(target logits after x_1..x_n, d_1..d_{i-1})
//   accept   for i = 1..gamma: keep d_i with probability min(1, p_i(d_i) / q_i(d_i)); at the first rejection
//            draw the replacement from norm(max(0, p_i - q_i)) and end the round
//   bonus    when all gamma are kept, draw one more token from p_{gamma+1}
// chain() is the same sampler chain (repetition penalty, temperature, top-k, top-p, min-p) applied to both
// models' logits with the same recent tokens, so the output follows the target's FILTERED distribution; greedy
// (or temperature 0) makes both one-hot and the output equals the target's greedy output.
// Each round costs gamma draft calls and one target call and yields between 1 and gamma + 1 tokens. With the
// acceptance rate alpha = E[sum_x min(p(x), q(x))], a target call yields (1 - alpha^(gamma+1)) / (1 - alpha)
// tokens on average.
// After a rejection both KV caches are cut back to the kept tokens (TinyGptState::len): nothing is recomputed.
#include "core/decoding/samplerchain.h"
#include "core/models/tinygpt.h"

#include <functional>

namespace ar {

struct SpeculativeOptions {
    int gamma = 4;               // drafted tokens per round, 1..32
    int steps = 20;              // tokens to generate
    SamplerSettings sampler;     // strategy sample or greedy; the chain's filters apply to p and q alike
    // Acceptance probability of a drafted token from its p and q. Correct: min(1, p / q). Tests swap in a
    // deliberately wrong rule to show that their statistics can catch it.
    std::function<double(double p, double q)> acceptance;
};

struct SpeculativeRound {
    Tokens draft;                 // the gamma drafted tokens
    std::vector<float> p, q;      // target and draft probability of each drafted token (after the chain)
    std::vector<float> overlap;   // sum_x min(p_i(x), q_i(x)) at every position examined (accepted + the rejected one)
    int accepted = 0;             // drafted tokens kept
    int next = -1;                // the resampled token (after a rejection) or the bonus token
    bool bonus = false;           // true: every draft was kept and `next` came from p_{gamma+1}
};

struct SpeculativeResult {
    Tokens tokens;                // the generated tokens (prompt excluded), exactly `steps` of them
    std::vector<SpeculativeRound> rounds;
    int targetCalls = 0, draftCalls = 0;
    double acceptanceRate() const;   // accepted / examined drafted tokens
    double expectedAcceptance() const;  // mean of overlap over the examined positions
};

// prompt: token ids (with the BOS the caller wants), non-empty. Throws ar::Error when the vocabularies differ,
// gamma or steps are out of range, the strategy is beam, or prompt + steps (+ gamma) exceed a context.
SpeculativeResult speculativeDecode(const TinyGpt& target, const TinyGpt& draft, const Tokens& prompt,
                                    const SpeculativeOptions& options);
// Plain autoregressive sampling from the target with the same chain: one target call per token (the baseline).
Tokens autoregressiveDecode(const TinyGpt& target, const Tokens& prompt, int steps, const SamplerSettings& sampler);

// The chain's distribution over the whole vocabulary (V): the last stage's p, 0 for removed tokens; one-hot at
// the argmax for greedy or temperature 0.
std::vector<double> chainDistribution(const SamplerChain& chain, std::span<const float> logits, std::span<const int> recent);
// Expected tokens per target call: (1 - alpha^(gamma+1)) / (1 - alpha), gamma + 1 at alpha = 1.
double expectedTokensPerCall(double alpha, int gamma);

}  // namespace ar
