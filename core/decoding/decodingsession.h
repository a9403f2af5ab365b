#pragma once
// A decoding session: one prompt, one model, generated one token at a time under a SamplerChain.
//
//   DecodingSession s(model, "the cat", settings);   // unknown prompt words -> ar::Error naming them
//   s.step();            // one token: DecodeStep with every sampler stage, the choice, p, modelP, logprob, attention
//   s.back();            // exact rewind: the previous next-token distribution, bitwise
//   s.force(id);         // choose this token at the current position (e.g. a clicked alternative)
//   s.setSettings(x);    // applies from the next step on
//
// The sequence the model sees is sequence() = [BOS] + prompt + generated. Every token in it has been fed to
// the model (eagerly, one model call per step), so the next-token distribution is always ready and the
// attention of every position (prompt included) is kept for the heatmap.
//
// History is a tree of DecodeSteps: back() moves up without deleting; step()/force() add a child. The
// nodes off the current path are the abandoned branches (branches() lists them); switchTo(node) follows
// another branch again (recomputing the model state exactly by re-feeding its tokens).
//
// Decoding state (no copy per step). The session keeps ONE live model state for the current path, fed every
// token of sequence() but a final EOS, and the next-token logits after it. step()/force() append one token
// to it; back() truncates it in O(1) (DecodeState::truncate) and re-feeds the new last token once to get
// its distribution back (the same arithmetic on the same cache rows, so the same bits). Branches share
// their common prefix: switchTo() re-feeds only the suffix after the fork point. So that switching back and
// forth between a few branches stays cheap, the session also parks up to kParkedCaches states of branches
// it left (LRU); switching to a branch starts from whichever cache shares the longest prefix with it.
// Memory after N steps: the live cache (O(N*C*L) floats touched) + at most kParkedCaches more, never N.
// Models whose states cannot truncate (recurrent states, a few floats each) keep one copy per position.
#include "core/decoding/samplerchain.h"
#include "core/models/languagemodel.h"

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace ar {

class DecodingSession {
public:
    // Encodes `prompt` strictly ("prompt: 'zebra' (word 3) is not in the model's vocabulary"). Throws
    // ar::Error on an empty prompt for a model without BOS, a prompt longer than the context, bad settings.
    // recordAttention = false keeps no attention rows (attentionRows() entries and DecodeStep::attention
    // stay empty): for long runs that show no heatmap (the CLI), since the rows grow with N^2.
    DecodingSession(std::shared_ptr<const LanguageModel> model, std::string_view prompt,
                    const SamplerSettings& settings = {}, bool recordAttention = true);
    DecodingSession(std::shared_ptr<const LanguageModel> model, Tokens promptTokens,
                    const SamplerSettings& settings = {}, bool recordAttention = true);
    DecodingSession(const DecodingSession&) = delete;
    DecodingSession& operator=(const DecodingSession&) = delete;

    const LanguageModel& model() const { return *m_model; }
    std::shared_ptr<const LanguageModel> modelPtr() const { return m_model; }
    const SamplerSettings& settings() const { return m_chain.settings(); }
    // Applies from the next step.
    void setSettings(const SamplerSettings& settings);
    // The draw at sequence position `position` uses Rng(drawSeed(seed, position)): no hidden Rng state, so
    // a seed reproduces the same text, and back() + step() redraws the same token.
    static uint64_t drawSeed(uint64_t seed, int position);

    // --- the sequence -----------------------------------------------------------------------------------
    const Tokens& promptTokens() const { return m_prompt; }       // without BOS
    int promptOffset() const { return m_bosFed ? 1 : 0; }         // sequence index of the first prompt token
    const Tokens& sequence() const { return m_sequence; }         // [BOS] + prompt + generated (all fed)
    Tokens generated() const;                                     // the generated tokens of the current path
    std::string text() const;                                     // prompt + generated, decoded
    std::string tokenText(int id) const;                          // tokenizer().display(id)
    const std::vector<DecodeStep>& steps() const { return m_steps; } // generated steps on the current path
    int stepCount() const { return int(m_steps.size()); }

    // --- the next position ------------------------------------------------------------------------------
    const RowVec& nextLogits() const { return m_live.logits; }  // (1, V) raw logits for the next token
    // What the chain does with nextLogits() right now (stages only; nothing drawn). O(V) per stage.
    std::vector<SamplerStage> previewStages() const;
    // False after EOS, or when the sequence fills the model's context.
    bool canStep() const;
    bool finished() const { return m_finished; }                   // the last token was EOS
    std::string stopReason() const;                                // "", "end of sequence", "context full (N tokens)"

    // --- moving -----------------------------------------------------------------------------------------
    const DecodeStep& step();              // throws ar::Error when !canStep()
    const DecodeStep& force(int tokenId);  // throws ar::Error on an id outside [0, V) or when !canStep()
    // Appends `tokenId` marked forced or not (a saved history being rebuilt: the token is given, the stages are
    // this chain's). Throws like force().
    const DecodeStep& replay(int tokenId, bool forced);
    bool back();                           // false (and no change) at the prompt
    void reset();                          // back to the prompt; history cleared

    // --- attention (models with attention; empty otherwise) ---------------------------------------------
    // attentionRows()[i] = attention recorded when sequence()[i] was fed: per layer (H, i + 1).
    const std::vector<std::vector<Mat>>& attentionRows() const { return m_attention; }
    int layerCount() const;
    int headCount() const;
    // The full (T, T) lower-triangular matrix of one head (T = sequence().size()); row i = query i.
    Mat attentionMatrix(int layer, int head) const;

    // --- history tree -----------------------------------------------------------------------------------
    struct HistoryNode {
        int parent = -1;          // -1: child of the prompt (root)
        DecodeStep step;
        std::vector<int> children;
    };
    const std::vector<HistoryNode>& history() const { return m_nodes; }
    const std::vector<int>& currentPath() const { return m_pathNodes; }  // node ids of steps(), in order
    // Leaves of the history tree that are not on the current path: each is an abandoned branch.
    std::vector<int> branches() const;
    // Token ids of the path from the prompt to `node` (generated part only).
    Tokens branchTokens(int node) const;
    // Follows the path to `node` (its steps become steps()). Exact: re-feeds the tokens.
    void switchTo(int node);

    // --- memory -----------------------------------------------------------------------------------------
    static constexpr int kParkedCaches = 2;  // states of left branches kept besides the live one
    int cacheCount() const { return 1 + int(m_parked.size()); }
    size_t cacheBytes() const;               // DecodeState::bytes() of the live and parked states

private:
    struct Cache {
        std::unique_ptr<DecodeState> state;
        Tokens tokens;              // what `state` has been fed
        RowVec logits;              // (1, V) next-token logits after `tokens`; empty when not known
    };
    void init(Tokens prompt, const SamplerSettings& settings);
    const DecodeStep& commit(SampleResult r, bool forced);
    void advance(int token);
    void feed(int token);                   // one model step of the live cache
    void truncateLive(int length);
    void restore(int length, bool parkLeft); // live cache := sequence()[0, length) with its logits
    std::vector<Mat> fedAttention() const;  // the live state's last attention rows (empty when not recorded)

    std::shared_ptr<const LanguageModel> m_model;
    SamplerChain m_chain;
    Tokens m_prompt;
    bool m_bosFed = false;
    bool m_recordAttention = true;
    bool m_truncatable = true;                  // the model's states support truncate()
    Tokens m_sequence;
    std::vector<std::vector<Mat>> m_attention;  // per sequence position: per layer (H, pos + 1)
    Cache m_live;                               // fed sequence() (all of it but a final EOS)
    std::vector<Cache> m_parked;                // left branches, least recently used first
    std::vector<std::unique_ptr<DecodeState>> m_copies;  // states that cannot truncate: [i] = after i+1 tokens
    std::vector<DecodeStep> m_steps;
    std::vector<int> m_pathNodes;
    std::vector<HistoryNode> m_nodes;
    bool m_finished = false;
};

}  // namespace ar
