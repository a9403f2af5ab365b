#pragma once
// Beam search that records its whole search tree.
//
// The tree's root is the prompt. A hypothesis is a path from the root; its log-probability is the sum of
// the step log-probabilities along the path; its score is logprob / lp(len) with the GNMT length penalty
// lp(len) = ((5 + len) / 6)^alpha (len = generated tokens, EOS included; alpha = 0: score = logprob).
//
// One ROUND (stepRound()):
//   1. Every alive hypothesis (at most k of them) feeds its last token to the model — ONE batched
//      LanguageModel::step call with B = number of alive hypotheses — and gets its next-token log-probs.
//   2. EXPANSION: each alive hypothesis expands into its M most probable next tokens (ties: lower id),
//      M = min(V, k + 1) when the model has an EOS token (so k non-EOS children always exist), else
//      min(V, k). Every expanded candidate becomes a node of the tree. So: nodes = 1 (root) + number of
//      expansions, and a round adds (alive hypotheses) x M nodes.
//   3. SELECTION: the round's candidates are ranked by score (all have the same length, so this is also
//      ranking by log-prob; ties: lower node id). Walking down the ranking: an EOS candidate ranked among
//      the first k is Finished (set aside); other EOS candidates are Pruned; a non-EOS candidate is kept
//      while fewer than k non-EOS candidates are kept, else Pruned. A kept candidate is Alive, or Finished
//      (truncated) when it reaches maxLength. The parents are no longer leaves; their status stays Alive (they were expanded).
//   4. STOP when no hypothesis is alive, or when at least k are finished and no alive hypothesis can still
//      beat the k-th best finished score: log-probs only decrease, so an alive hypothesis' best reachable
//      score is logprob / lp(maxLength) when logprob <= 0 and alpha >= 0. The remaining alive leaves are
//      then marked Pruned.
// The n-best list = the finished hypotheses sorted by score (best first), at most k.
//
// Width 1 with alpha = 0 is exactly greedy decoding. With k >= V^L and maxLength L, every sequence is kept,
// so the best hypothesis is the brute-force optimum.
#include "core/decoding/decodingsettings.h"   // BeamSettings: a part of the one settings value
#include "core/models/languagemodel.h"

#include <memory>
#include <string>
#include <vector>

namespace ar {

enum class BeamStatus { Alive, Pruned, Finished };
std::string beamStatusName(BeamStatus s);  // "alive" | "pruned" | "finished"

struct BeamNode {
    int id = 0;               // index in BeamTree::nodes
    int parent = -1;          // -1 for the root (the prompt)
    int step = 0;             // depth = generated tokens on the path (root 0)
    int round = 0;            // the round that created it (root 0, = step)
    int token = -1;           // the token this node appends (-1 for the root)
    double stepLogprob = 0;   // log P(token | path so far)
    double logprob = 0;       // cumulative: sum of stepLogprob from the root
    double score = 0;         // logprob / lp(step)
    int rank = -1;            // position in its round's ranking (0 = best); -1 for the root
    BeamStatus status = BeamStatus::Alive;
    bool eos = false;         // finished by the EOS token (false: finished by maxLength)
    std::vector<int> children;
};

struct BeamTree {
    std::vector<BeamNode> nodes;           // nodes[0] = root
    std::vector<std::vector<int>> rounds;  // rounds[r] = ids of the nodes created in round r+1
    int expansions() const;                // = nodes.size() - 1
    // Token ids from the root to `node` (generated part only, the node's own token last).
    Tokens path(int node) const;
};

struct Hypothesis {
    Tokens tokens;                    // generated tokens (EOS included when it ended with EOS)
    std::vector<double> stepLogprobs; // one per token
    double logprob = 0;
    double score = 0;
    int node = -1;                    // its leaf in the tree
    bool eos = false;
};

double lengthPenalty(int length, double alpha);  // ((5 + length) / 6)^alpha

class BeamSearch {
public:
    // Throws ar::Error on bad settings, an empty prompt for a model without BOS, or a prompt (plus
    // maxLength) that does not fit the model's context — then maxLength is reported as the problem.
    BeamSearch(std::shared_ptr<const LanguageModel> model, Tokens prompt, const BeamSettings& settings);

    const BeamSettings& settings() const { return m_settings; }
    const Tokens& prompt() const { return m_prompt; }
    const BeamTree& tree() const { return m_tree; }
    int round() const { return int(m_tree.rounds.size()); }
    bool done() const { return m_done; }
    std::string stopReason() const { return m_stopReason; }

    // One expansion round (one batched model call). Returns false (no change) when done().
    bool stepRound();
    void run();  // rounds until done()

    // Finished hypotheses sorted by score, best first (at most width). While the search runs, it holds
    // what has finished so far.
    std::vector<Hypothesis> nbest() const;
    // The best finished hypothesis' node, or -1.
    int bestNode() const;
    Hypothesis hypothesis(int node) const;

private:
    void finishRemaining();

    std::shared_ptr<const LanguageModel> m_model;
    BeamSettings m_settings;
    Tokens m_prompt;
    BeamTree m_tree;
    // The alive leaves and their model states (fed everything except the leaf's own token).
    std::vector<int> m_alive;
    std::vector<std::unique_ptr<DecodeState>> m_states;
    std::vector<int> m_lastTokens;   // the token each alive state must be fed next
    std::vector<int> m_finished;     // finished node ids
    bool m_done = false;
    std::string m_stopReason;
};

}  // namespace ar
