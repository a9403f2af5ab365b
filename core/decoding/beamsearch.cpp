#include "core/decoding/beamsearch.h"

#include "core/decoding/samplerchain.h"
#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace ar {

std::string beamStatusName(BeamStatus s) {
    switch (s) {
    case BeamStatus::Alive: return "alive";
    case BeamStatus::Pruned: return "pruned";
    case BeamStatus::Finished: return "finished";
    }
    return "?";
}

int BeamTree::expansions() const { return nodes.empty() ? 0 : int(nodes.size()) - 1; }

Tokens BeamTree::path(int node) const {
    Tokens out;
    for (int n = node; n > 0; n = nodes[size_t(n)].parent) out.push_back(nodes[size_t(n)].token);
    std::reverse(out.begin(), out.end());
    return out;
}

double lengthPenalty(int length, double alpha) { return alpha == 0 ? 1.0 : std::pow((5.0 + length) / 6.0, alpha); }

BeamSearch::BeamSearch(std::shared_ptr<const LanguageModel> model, Tokens prompt, const BeamSettings& settings)
    : m_model(std::move(model)), m_settings(settings), m_prompt(std::move(prompt)) {
    if (!m_model) throw Error("beam search: no model");
    m_settings.validate();
    const int V = m_model->vocabSize();
    for (size_t i = 0; i < m_prompt.size(); ++i)
        if (m_prompt[i] < 0 || m_prompt[i] >= V)
            throw Error("prompt: token id " + std::to_string(m_prompt[i]) + " (position " + std::to_string(i + 1) +
                        ") is outside the vocabulary [0, " + std::to_string(V) + ")");
    Tokens seq;
    if (m_model->bosToken() >= 0) seq.push_back(m_model->bosToken());
    seq.insert(seq.end(), m_prompt.begin(), m_prompt.end());
    if (seq.empty()) throw Error("prompt: the prompt is empty and the model has no start token; type at least one token");
    const int ctx = m_model->contextLength();
    // The last round feeds seq + (maxLength - 1) generated tokens.
    if (ctx > 0 && int(seq.size()) + m_settings.maxLength - 1 > ctx) {
        const int room = ctx - int(seq.size()) + 1;
        if (room < 1)
            throw Error("prompt: " + std::to_string(m_prompt.size()) + " tokens do not fit the model's context of " + std::to_string(ctx));
        throw Error("max length " + std::to_string(m_settings.maxLength) + " does not fit the model's context of " +
                    std::to_string(ctx) + " tokens after this prompt: at most " + std::to_string(room));
    }

    // The root's state has been fed everything but the last token of seq; round 1 feeds that one.
    auto state = m_model->newState();
    DecodeState* s = state.get();
    if (seq.size() > 1) {
        for (size_t i = 0; i + 1 < seq.size(); ++i) {
            const int t = seq[i];
            m_model->step(std::span<DecodeState* const>(&s, 1), std::span<const int>(&t, 1));
        }
    }
    BeamNode root;
    root.id = 0;
    m_tree.nodes.push_back(root);
    m_alive = {0};
    m_states.push_back(std::move(state));
    m_lastTokens = {seq.back()};
}

bool BeamSearch::stepRound() {
    if (m_done) return false;
    const int k = m_settings.width;
    const int V = m_model->vocabSize();
    const int eos = m_model->eosToken();
    const int M = std::min(V, eos >= 0 ? k + 1 : k);
    const double alpha = m_settings.lengthPenalty;
    const int B = int(m_alive.size());

    // 1. One batched model call for every alive hypothesis.
    std::vector<DecodeState*> states(static_cast<size_t>(B));
    for (int b = 0; b < B; ++b) states[size_t(b)] = m_states[size_t(b)].get();
    const Mat logits = m_model->step(states, m_lastTokens);  // (B, V)

    // 2. Expansion: each alive hypothesis -> its M most probable tokens, each a new node.
    const int roundNo = round() + 1;
    std::vector<int> created;
    std::vector<int> ids(static_cast<size_t>(V));
    for (int b = 0; b < B; ++b) {
        const int parent = m_alive[size_t(b)];
        const std::vector<double> lp = logSoftmax(std::span<const float>(logits.row(b).data(), size_t(V)));
        std::iota(ids.begin(), ids.end(), 0);
        std::partial_sort(ids.begin(), ids.begin() + M, ids.end(), [&](int a, int c) {
            return lp[size_t(a)] != lp[size_t(c)] ? lp[size_t(a)] > lp[size_t(c)] : a < c;
        });
        for (int j = 0; j < M; ++j) {
            BeamNode n;
            n.id = int(m_tree.nodes.size());
            n.parent = parent;
            n.step = m_tree.nodes[size_t(parent)].step + 1;
            n.round = roundNo;
            n.token = ids[size_t(j)];
            n.stepLogprob = lp[size_t(n.token)];
            n.logprob = m_tree.nodes[size_t(parent)].logprob + n.stepLogprob;
            n.score = n.logprob / lengthPenalty(n.step, alpha);
            n.eos = n.token == eos;
            m_tree.nodes[size_t(parent)].children.push_back(n.id);
            created.push_back(n.id);
            m_tree.nodes.push_back(std::move(n));
        }
    }
    m_tree.rounds.push_back(created);

    // 3. Selection.
    std::vector<int> ranked = created;
    std::stable_sort(ranked.begin(), ranked.end(), [&](int a, int c) {
        const BeamNode& x = m_tree.nodes[size_t(a)];
        const BeamNode& y = m_tree.nodes[size_t(c)];
        return x.score != y.score ? x.score > y.score : a < c;
    });
    std::vector<int> alive;
    int kept = 0;  // non-EOS candidates kept: alive, or finished by reaching maxLength
    for (size_t r = 0; r < ranked.size(); ++r) {
        BeamNode& n = m_tree.nodes[size_t(ranked[r])];
        n.rank = int(r);
        if (n.eos) {
            n.status = int(r) < k ? BeamStatus::Finished : BeamStatus::Pruned;
        } else if (kept < k) {
            ++kept;
            if (n.step >= m_settings.maxLength) {
                n.status = BeamStatus::Finished;
            } else {
                n.status = BeamStatus::Alive;
                alive.push_back(n.id);
            }
        } else {
            n.status = BeamStatus::Pruned;
        }
        if (n.status == BeamStatus::Finished) m_finished.push_back(n.id);
    }

    // New states: the parent's state (which has now been fed the parent's token) — moved into the parent's
    // last alive child, cloned for the others.
    std::vector<std::unique_ptr<DecodeState>> newStates(alive.size());
    std::vector<int> newLast;
    std::vector<int> slotOf(alive.size());
    std::vector<int> lastChild(size_t(B), -1);  // index in `alive` of each parent's last alive child
    for (size_t i = 0; i < alive.size(); ++i) {
        const int parent = m_tree.nodes[size_t(alive[i])].parent;
        slotOf[i] = int(std::find(m_alive.begin(), m_alive.end(), parent) - m_alive.begin());
        lastChild[size_t(slotOf[i])] = int(i);
        newLast.push_back(m_tree.nodes[size_t(alive[i])].token);
    }
    for (size_t i = 0; i < alive.size(); ++i) {
        auto& parentState = m_states[size_t(slotOf[i])];
        newStates[i] = lastChild[size_t(slotOf[i])] == int(i) ? std::move(parentState) : parentState->clone();
    }
    m_alive = std::move(alive);
    m_states = std::move(newStates);
    m_lastTokens = std::move(newLast);

    // 4. Stop?
    if (m_alive.empty()) {
        m_done = true;
        bool anyEos = false;
        for (int f : m_finished) anyEos |= m_tree.nodes[size_t(f)].eos;
        m_stopReason = int(m_tree.nodes[size_t(created.front())].step) >= m_settings.maxLength && !anyEos
                           ? "max length reached"
                           : "no hypothesis alive";
        return true;
    }
    if (int(m_finished.size()) >= k) {
        std::vector<double> fs;
        for (int f : m_finished) fs.push_back(m_tree.nodes[size_t(f)].score);
        std::sort(fs.begin(), fs.end(), std::greater<>());
        const double kth = fs[size_t(k - 1)];
        double bound = -INFINITY;
        const double lpMax = lengthPenalty(m_settings.maxLength, alpha);
        for (int a : m_alive) {
            const double lp = m_tree.nodes[size_t(a)].logprob;  // <= 0
            bound = std::max(bound, lp / lpMax);
        }
        if (kth >= bound) {
            m_stopReason = "no alive hypothesis can beat the finished ones";
            finishRemaining();
        }
    }
    return true;
}

void BeamSearch::finishRemaining() {
    for (int a : m_alive) m_tree.nodes[size_t(a)].status = BeamStatus::Pruned;
    m_alive.clear();
    m_states.clear();
    m_lastTokens.clear();
    m_done = true;
}

void BeamSearch::run() {
    while (stepRound()) {}
}

Hypothesis BeamSearch::hypothesis(int node) const {
    if (node < 0 || node >= int(m_tree.nodes.size())) throw Error("beam tree: no node " + std::to_string(node));
    Hypothesis h;
    h.node = node;
    for (int n = node; n > 0; n = m_tree.nodes[size_t(n)].parent) {
        h.tokens.push_back(m_tree.nodes[size_t(n)].token);
        h.stepLogprobs.push_back(m_tree.nodes[size_t(n)].stepLogprob);
    }
    std::reverse(h.tokens.begin(), h.tokens.end());
    std::reverse(h.stepLogprobs.begin(), h.stepLogprobs.end());
    h.logprob = m_tree.nodes[size_t(node)].logprob;
    h.score = m_tree.nodes[size_t(node)].score;
    h.eos = m_tree.nodes[size_t(node)].eos;
    return h;
}

std::vector<Hypothesis> BeamSearch::nbest() const {
    std::vector<int> f = m_finished;
    std::stable_sort(f.begin(), f.end(), [&](int a, int c) {
        const double x = m_tree.nodes[size_t(a)].score, y = m_tree.nodes[size_t(c)].score;
        return x != y ? x > y : a < c;
    });
    if (int(f.size()) > m_settings.width) f.resize(size_t(m_settings.width));
    std::vector<Hypothesis> out;
    for (int n : f) out.push_back(hypothesis(n));
    return out;
}

int BeamSearch::bestNode() const {
    const auto best = nbest();
    return best.empty() ? -1 : best.front().node;
}

}  // namespace ar
