#include "core/decoding/decodingsession.h"

#include "core/error.h"

#include <algorithm>

namespace ar {

DecodingSession::DecodingSession(std::shared_ptr<const LanguageModel> model, std::string_view prompt,
                                 const SamplerSettings& settings, bool recordAttention)
    : m_model(std::move(model)), m_recordAttention(recordAttention) {
    if (!m_model) throw Error("decoding: no model");
    init(m_model->tokenizer().encodeStrict(prompt, "prompt"), settings);
}

DecodingSession::DecodingSession(std::shared_ptr<const LanguageModel> model, Tokens promptTokens,
                                 const SamplerSettings& settings, bool recordAttention)
    : m_model(std::move(model)), m_recordAttention(recordAttention) {
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
    m_parked.clear();
    m_copies.clear();
    m_live = Cache{m_model->newState(), {}, {}};
    m_truncatable = m_live.state->truncate(0);
    for (int t : seq) {
        m_sequence.push_back(t);
        feed(t);
        m_attention.push_back(fedAttention());
    }
    m_steps.clear();
    m_pathNodes.clear();
    m_nodes.clear();
    m_finished = false;
}

// --- the live cache ---------------------------------------------------------------------------------

void DecodingSession::feed(int token) {
    DecodeState* s = m_live.state.get();
    const Mat logits = m_model->step(std::span<DecodeState* const>(&s, 1), std::span<const int>(&token, 1));
    m_live.tokens.push_back(token);
    m_live.logits = logits.row(0);
    if (!m_truncatable) m_copies.push_back(m_live.state->clone());
}

std::vector<Mat> DecodingSession::fedAttention() const {
    return m_recordAttention ? m_model->lastAttention(*m_live.state) : std::vector<Mat>{};
}

void DecodingSession::truncateLive(int length) {
    if (length == int(m_live.tokens.size())) return;
    if (m_truncatable) {
        m_live.state->truncate(length);
    } else {
        m_live.state = length == 0 ? m_model->newState() : m_copies[size_t(length - 1)]->clone();
        m_copies.resize(size_t(length));
    }
    m_live.tokens.resize(size_t(length));
    m_live.logits.resize(0);
}

static size_t commonPrefix(const Tokens& a, const Tokens& b, size_t limit) {
    size_t n = 0;
    while (n < a.size() && n < b.size() && n < limit && a[n] == b[n]) ++n;
    return n;
}

// Makes the live cache hold sequence()[0, length) (length >= 1) and know the logits after it, starting from
// whichever cache (live or parked) shares the longest prefix with it. The token before `length` is re-fed
// unless the chosen cache ends exactly there with its logits known. parkLeft: park a copy of the live
// cache first when it holds tokens of the branch being left that would otherwise be dropped.
void DecodingSession::restore(int length, bool parkLeft) {
    const size_t n = size_t(length);
    const auto reusable = [&](const Cache& c) {
        const size_t common = commonPrefix(c.tokens, m_sequence, n);
        return common == n && c.tokens.size() == n && c.logits.size() > 0 ? n : std::min(common, n - 1);
    };
    size_t best = reusable(m_live);
    int from = -1;
    for (size_t i = 0; i < m_parked.size(); ++i)
        if (const size_t r = reusable(m_parked[i]); r > best) best = r, from = int(i);
    if (from >= 0) {  // continue from a parked branch; the live one is parked in its place (most recent last)
        Cache c = std::move(m_parked[size_t(from)]);
        m_parked.erase(m_parked.begin() + from);
        m_parked.push_back(std::move(m_live));
        m_live = std::move(c);
    } else if (parkLeft && m_truncatable && best < m_live.tokens.size()) {
        // Leaving a branch whose tokens the live cache would forget: keep a copy of its filled rows.
        m_parked.push_back(Cache{m_live.state->clone(), m_live.tokens, m_live.logits});
    }
    while (m_parked.size() > size_t(kParkedCaches)) m_parked.erase(m_parked.begin());
    truncateLive(int(best));
    for (size_t i = best; i < n; ++i) feed(m_sequence[i]);
}

size_t DecodingSession::cacheBytes() const {
    size_t n = m_live.state->bytes();
    for (const Cache& c : m_parked) n += c.state->bytes();
    for (const auto& c : m_copies) n += c->bytes();
    return n;
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

// Appends `token` to the sequence and feeds it to the live cache now (unless it ends the sequence), so the
// next distribution and this position's attention are ready.
void DecodingSession::advance(int token) {
    const bool eos = token == m_model->eosToken();
    const int ctx = m_model->contextLength();
    m_sequence.push_back(token);
    if (!eos && (ctx <= 0 || int(m_sequence.size()) <= ctx)) {
        feed(token);
        m_attention.push_back(fedAttention());
    } else {
        m_attention.push_back({});  // never fed (canStep() is false now): the logits stay those before it
    }
    m_finished = eos;
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

const DecodeStep& DecodingSession::force(int tokenId) { return replay(tokenId, true); }

const DecodeStep& DecodingSession::replay(int tokenId, bool forced) {
    if (!canStep()) throw Error("cannot generate further: " + stopReason());
    const RowVec& logits = nextLogits();
    return commit(m_chain.forced(std::span<const float>(logits.data(), size_t(logits.size())), m_sequence, tokenId), forced);
}

bool DecodingSession::back() {
    if (m_steps.empty()) return false;
    m_steps.pop_back();
    m_pathNodes.pop_back();
    m_sequence.pop_back();
    m_attention.pop_back();
    m_finished = false;  // a step that finished was the one removed; earlier steps never finish
    restore(int(m_sequence.size()), false);
    return true;
}

void DecodingSession::reset() {
    const size_t prompt = m_prompt.size() + (m_bosFed ? 1 : 0);
    m_steps.clear();
    m_pathNodes.clear();
    m_nodes.clear();
    m_parked.clear();
    m_finished = false;
    m_sequence.resize(prompt);
    m_attention.resize(prompt);
    restore(int(prompt), false);
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
    // Keep the common prefix with the current path, replace the rest by the target's steps; the model state
    // re-feeds only the tokens after the fork point (or fewer, from a parked cache of that branch).
    size_t common = 0;
    while (common < chain.size() && common < m_pathNodes.size() && chain[common] == m_pathNodes[common]) ++common;
    m_pathNodes.resize(common);
    m_steps.resize(common);
    for (size_t i = common; i < chain.size(); ++i) {
        m_pathNodes.push_back(chain[i]);
        m_steps.push_back(m_nodes[size_t(chain[i])].step);
    }
    const size_t prompt = m_prompt.size() + (m_bosFed ? 1 : 0);
    m_sequence.resize(prompt);
    m_attention.resize(prompt);
    for (size_t i = 0; i < m_steps.size(); ++i) {
        m_sequence.push_back(m_steps[i].token);
        // Step i + 1 recorded the attention of the query at this position when it was made.
        if (i + 1 < m_steps.size()) m_attention.push_back(m_steps[i + 1].attention);
    }
    m_finished = !m_steps.empty() && m_steps.back().token == m_model->eosToken();
    restore(int(m_sequence.size()) - (m_finished ? 1 : 0), true);
    if (m_steps.empty()) return;  // the prompt's rows are all there
    m_attention.push_back(m_finished ? std::vector<Mat>{} : fedAttention());
}

}  // namespace ar
