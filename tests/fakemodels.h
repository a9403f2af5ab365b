#pragma once
// Small fake LanguageModels for tests (header-only, arcore only; reusable by everyone):
//
//   BigramModel  next-token logits = table row of the last token fed: (V, V). Exact, hand-checkable.
//   HashModel    next-token logits = a deterministic pseudo-random function of the WHOLE history, so greedy,
//                beam and brute force really differ. Optional context length.
//
// Both count their step() calls and the largest batch seen (to check "one batched call per round"), and
// record a fake but well-formed attention: 1 layer, 2 heads, (2, t) rows summing to 1 (head 0 uniform,
// head 1 weights proportional to 1, 2, ..., t).
#include "core/models/languagemodel.h"

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace fake {

struct HistoryState : ar::DecodeState {
    ar::Tokens tokens;
    std::unique_ptr<ar::DecodeState> clone() const override { return std::make_unique<HistoryState>(*this); }
    int length() const override { return int(tokens.size()); }
};

class FakeModelBase : public ar::LanguageModel {
public:
    FakeModelBase(std::vector<std::string> vocab, int bos, int eos, int ctx)
        : m_tok(ar::Tokenizer::Kind::Word, std::move(vocab)), m_bos(bos), m_eos(eos), m_ctx(ctx) {}

    const ar::Tokenizer& tokenizer() const override { return m_tok; }
    int contextLength() const override { return m_ctx; }
    int bosToken() const override { return m_bos; }
    int eosToken() const override { return m_eos; }
    std::unique_ptr<ar::DecodeState> newState() const override { return std::make_unique<HistoryState>(); }

    ar::Mat step(std::span<ar::DecodeState* const> states, std::span<const int> tokens) const override {
        ++calls;
        maxBatch = std::max<int>(maxBatch, int(states.size()));
        ar::Mat out(ar::Index(states.size()), vocabSize());
        for (size_t b = 0; b < states.size(); ++b) {
            auto* s = static_cast<HistoryState*>(states[b]);
            if (m_ctx > 0 && int(s->tokens.size()) >= m_ctx) throw std::logic_error("fake model: context overflow");
            s->tokens.push_back(tokens[b]);
            out.row(ar::Index(b)) = next(s->tokens);
        }
        return out;
    }
    std::vector<ar::Mat> lastAttention(const ar::DecodeState& state) const override {
        const int t = state.length();
        ar::Mat a(2, t);
        for (int j = 0; j < t; ++j) {
            a(0, j) = 1.0f / float(t);
            a(1, j) = float(j + 1) / (float(t) * float(t + 1) / 2.0f);
        }
        return {a};
    }
    ar::ParamList parameters() const override { return {}; }
    ar::Metadata metadata() const override { return {{"arlab.kind", kind()}}; }

    // Logits after the history `h` (h non-empty): (1, V).
    virtual ar::RowVec next(const ar::Tokens& h) const = 0;

    mutable std::atomic<int> calls{0};
    mutable std::atomic<int> maxBatch{0};

private:
    ar::Tokenizer m_tok;
    int m_bos, m_eos, m_ctx;
};

class BigramModel : public FakeModelBase {
public:
    // table: (V, V), row = previous token.
    BigramModel(std::vector<std::string> vocab, ar::Mat table, int bos = -1, int eos = -1, int ctx = 0)
        : FakeModelBase(std::move(vocab), bos, eos, ctx), m_table(std::move(table)) {}
    std::string kind() const override { return "fake-bigram"; }
    ar::RowVec next(const ar::Tokens& h) const override { return m_table.row(h.back()); }

private:
    ar::Mat m_table;
};

class HashModel : public FakeModelBase {
public:
    // vocab size V; `sharpness` scales the logits (larger = peakier distributions).
    HashModel(int V, uint64_t seed, int bos = -1, int eos = -1, int ctx = 0, float sharpness = 2.0f)
        : FakeModelBase(names(V), bos, eos, ctx), m_seed(seed), m_sharp(sharpness) {}
    std::string kind() const override { return "fake-hash"; }
    ar::RowVec next(const ar::Tokens& h) const override {
        uint64_t x = m_seed;
        for (int t : h) x = mix(x ^ uint64_t(t + 1));
        ar::RowVec r(vocabSize());
        for (int v = 0; v < vocabSize(); ++v) {
            x = mix(x + uint64_t(v));
            r(v) = m_sharp * float(double(x >> 11) * 0x1.0p-53 * 2.0 - 1.0);
        }
        return r;
    }
    static std::vector<std::string> names(int V) {
        std::vector<std::string> v;
        for (int i = 0; i < V; ++i) v.push_back("w" + std::to_string(i));
        return v;
    }

private:
    static uint64_t mix(uint64_t z) {
        z += 0x9E3779B97F4A7C15ull;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    uint64_t m_seed;
    float m_sharp;
};

}  // namespace fake
