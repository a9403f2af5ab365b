#include "core/decoding/decodingsession.h"

#include "core/error.h"

#include <algorithm>

namespace ar {

DecodingSession::DecodingSession(std::shared_ptr<const LanguageModel> model, std::string_view prompt,
                                 const SamplerSettings& settings)
    : m_model(std::move(model)) {
    if (!m_model) throw Error("decoding: no model");
    init(m_model->tokenizer().encodeStrict(prompt, "prompt"), settings);
}

DecodingSession::DecodingSession(std::shared_ptr<const LanguageModel> model, Tokens promptTokens,
                                 const SamplerSettings& settings)
    : m_model(std::move(model)) {
    if (!m_model) throw Error("decoding: no model");
    init(std::move(promptTokens), settings);
}

uint64_t DecodingSession::drawSeed(uint64_t seed, int position) {
    return seed ^ (0x9E3779B97F4A7C15ull * uint64_t(position + 1));
}

void DecodingSession::init(Tokens prompt, const SamplerSettings& settings) {
    m_chain.setSettings(settings);
    const int V = m_model->vocabSize();
    for (size_t i = 0; i < prompt.size(); ++i)
        if (prompt[i] < 0 || prompt[i] >= V)
            throw Error("prompt: token id " + std::to_string(prompt[i]) + " (position " + std::to_string(i + 1) +
                        ") is outside the vocabulary [0, " + std::to_string(V) + ")");
    m_prompt = std::move(prompt);
    const int bos = m_model->bosToken();
    m_bosFed = bos >= 0;
    Tokens seq;
    if (m_bosFed) seq.push_back(bos);
    seq.insert(seq.end(), m_prompt.begin(), m_prompt.end());
    if (seq.empty()) throw Error("prompt: the prompt is empty and the model has no start token; type at least one token");
    const int ctx = m_model->contextLength();
    if (ctx > 0 && int(seq.size()) > ctx)
        throw Error("prompt: " + std::to_string(m_prompt.size()) + " tokens do not fit the model's context of " +
                    std::to_string(ctx) + (m_bosFed ? " (1 more is the start token)" : ""));

    // Feed the prompt one token at a time so that every position's attention is recorded.
    m_sequence.clear();
    m_attention.clear();
    m_path.clear();
    PathEntry root;
    std::unique_ptr<DecodeState> state = m_model->newState();
    for (int t : seq) {
        DecodeState* s = state.get();
        Mat logits = m_model->step(std::span<DecodeState* const>(&s, 1), std::span<const int>(&t, 1));
        m_sequence.push_back(t);
        m_attention.push_back(m_model->lastAttention(*state));
        root.logits = logits.row(0);
    }
    root.state = std::move(state);
    m_path.push_back(std::move(root));
    m_steps.clear();
    m_pathNodes.clear();
    m_nodes.clear();
    m_finished = false;
}

void DecodingSession::setSettings(const SamplerSettings& settings) { m_chain.setSettings(settings); }

Tokens DecodingSession::generated() const {
    Tokens out;
    for (const auto& s : m_steps) out.push_back(s.token);
    return out;
}

std::string DecodingSession::text() const {
    Tokens all = m_prompt;
    for (const auto& s : m_steps) all.push_back(s.token);
    return m_model->tokenizer().decode(all);
}

std::string DecodingSession::tokenText(int id) const { return m_model->tokenizer().display(id); }

std::vector<SamplerStage> DecodingSession::previewStages() const {
    return m_chain.filter(std::span<const float>(nextLogits().data(), size_t(nextLogits().size())), m_sequence);
}

bool DecodingSession::canStep() const {
    if (m_finished) return false;
    const int ctx = m_model->contextLength();
    return ctx <= 0 || int(m_sequence.size()) < ctx;
}

std::string DecodingSession::stopReason() const {
    if (m_finished) return "end of sequence";
    if (!canStep()) return "context full (" + std::to_string(m_model->contextLength()) + " tokens)";
    return "";
}

// Appends `token` to the sequence and feeds it now (unless it ends the sequence or the context is full after
// it), so the next distribution and this position's attention are ready.
void DecodingSession::advance(int token) {
    const bool eos = token == m_model->eosToken();
    const int ctx = m_model->contextLength();
    PathEntry entry;
    m_sequence.push_back(token);
    if (!eos && (ctx <= 0 || int(m_sequence.size()) <= ctx)) {
        entry.state = m_path.back().state->clone();
        DecodeState* s = entry.state.get();
        Mat logits = m_model->step(std::span<DecodeState* const>(&s, 1), std::span<const int>(&token, 1));
        entry.logits = logits.row(0);
        m_attention.push_back(m_model->lastAttention(*entry.state));
    } else {
        // Nothing more can be fed: keep the previous state (never stepped: canStep() is false).
        entry.state = m_path.back().state->clone();
        entry.logits = m_path.back().logits;
        m_attention.push_back({});
    }
    m_finished = eos;
    m_path.push_back(std::move(entry));
}

const DecodeStep& DecodingSession::commit(SampleResult r, bool forced) {
    DecodeStep st;
    st.position = int(m_sequence.size());
    st.token = r.token;
    st.p = r.p;
    st.modelP = r.modelP;
    st.tokenLogprob = r.tokenLogprob;
    st.logprob = (m_steps.empty() ? 0.0 : m_steps.back().logprob) + r.tokenLogprob;
    st.forced = forced;
    st.stages = std::move(r.stages);
    st.attention = m_attention.back();

    advance(r.token);

    const int parent = m_pathNodes.empty() ? -1 : m_pathNodes.back();
    HistoryNode node{parent, st, {}};
    m_nodes.push_back(std::move(node));
    const int id = int(m_nodes.size()) - 1;
    if (parent >= 0) m_nodes[size_t(parent)].children.push_back(id);
    m_pathNodes.push_back(id);
    m_steps.push_back(std::move(st));
    return m_steps.back();
}

const DecodeStep& DecodingSession::step() {
    if (!canStep()) throw Error("cannot generate further: " + stopReason());
    const RowVec& logits = nextLogits();
    Rng rng(drawSeed(settings().seed, int(m_sequence.size())));
    return commit(m_chain.sample(std::span<const float>(logits.data(), size_t(logits.size())), m_sequence, rng), false);
}

const DecodeStep& DecodingSession::force(int tokenId) {
    if (!canStep()) throw Error("cannot generate further: " + stopReason());
    const RowVec& logits = nextLogits();
    return commit(m_chain.forced(std::span<const float>(logits.data(), size_t(logits.size())), m_sequence, tokenId), true);
}

bool DecodingSession::back() {
    if (m_steps.empty()) return false;
    m_steps.pop_back();
    m_pathNodes.pop_back();
    m_path.pop_back();
    m_sequence.pop_back();
    m_attention.pop_back();
    m_finished = false;  // a step that finished was the one removed; earlier steps never finish
    return true;
}

void DecodingSession::reset() {
    while (back()) {}
    m_nodes.clear();
}

int DecodingSession::layerCount() const { return m_attention.empty() ? 0 : int(m_attention.front().size()); }

int DecodingSession::headCount() const {
    return layerCount() == 0 ? 0 : int(m_attention.front().front().rows());
}

Mat DecodingSession::attentionMatrix(int layer, int head) const {
    if (layer < 0 || layer >= layerCount() || head < 0 || head >= headCount())
        throw Error("attention: layer " + std::to_string(layer) + " head " + std::to_string(head) + " does not exist");
    const Index T = Index(m_sequence.size());
    Mat m = Mat::Zero(T, T);
    for (Index i = 0; i < T; ++i) {
        const auto& row = m_attention[size_t(i)];
        if (row.empty()) continue;  // a final EOS / context-filling token that was never fed
        const Mat& a = row[size_t(layer)];
        const Index n = std::min(a.cols(), T);
        m.row(i).head(n) = a.row(head).head(n);
    }
    return m;
}

std::vector<int> DecodingSession::branches() const {
    std::vector<int> out;
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        if (!m_nodes[i].children.empty()) continue;
        if (std::find(m_pathNodes.begin(), m_pathNodes.end(), int(i)) != m_pathNodes.end()) continue;
        out.push_back(int(i));
    }
    return out;
}

Tokens DecodingSession::branchTokens(int node) const {
    if (node < 0 || node >= int(m_nodes.size())) throw Error("history: no node " + std::to_string(node));
    Tokens out;
    for (int n = node; n >= 0; n = m_nodes[size_t(n)].parent) out.push_back(m_nodes[size_t(n)].step.token);
    std::reverse(out.begin(), out.end());
    return out;
}

void DecodingSession::switchTo(int node) {
    if (node < 0 || node >= int(m_nodes.size())) throw Error("history: no node " + std::to_string(node));
    std::vector<int> chain;
    for (int n = node; n >= 0; n = m_nodes[size_t(n)].parent) chain.push_back(n);
    std::reverse(chain.begin(), chain.end());
    // Keep the common prefix with the current path, rewind the rest, then replay the target's steps.
    size_t common = 0;
    while (common < chain.size() && common < m_pathNodes.size() && chain[common] == m_pathNodes[common]) ++common;
    while (m_pathNodes.size() > common) back();
    for (size_t i = common; i < chain.size(); ++i) {
        const HistoryNode& h = m_nodes[size_t(chain[i])];
        advance(h.step.token);
        m_pathNodes.push_back(chain[i]);
        m_steps.push_back(h.step);
    }
}

}  // namespace ar
