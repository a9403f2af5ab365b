#pragma once
// Llama, the architecture of llama2.c (Karpathy's TinyStories models) and Meta's Llama 2:
//     x = tok_embeddings[token]
//     per layer:  x = x + wo · attention(rope(wq · rms(x)), rope(wk · rms(x)), wv · rms(x))
//                 x = x + w2 · (silu(w1 · rms(x)) * (w3 · rms(x)))              (SwiGLU)
//     logits = classifier · rms(x)        (classifier = tok_embeddings when shared)
// RMSNorm: x / sqrt(mean(x^2) + 1e-5) * weight. RoPE rotates adjacent pairs (2i, 2i+1) of each head by
// pos * 10000^(-2i/D). Grouped-query attention: KV heads (n_kv_heads) serve H / KV query heads each
// (query head h reads KV head h / (H / KV)). No biases anywhere. BOS is 1 and EOS is 2.
//
// Decoding keeps an append-only KV cache per state (keys rotated; the layout of TinyGptState, attended by the same
// nn::attendCached), so step t costs O(t * kvDim) plus the projections, and Back truncates in O(1).
//
// Legend: V vocab, C dim, F hidden_dim (SwiGLU width), H heads, KV kv heads, D = C / H head width,
// K = KV * D key/value width, L layers, T context (seq_len), B states in a step.
#include "core/models/kvcachestate.h"
#include "core/models/languagemodel.h"
#include "core/models/lens.h"

#include <memory>
#include <string>

namespace ar {

struct LlamaConfig {
    int dim = 0;         // C
    int hidden = 0;      // F
    int layers = 0;      // L
    int heads = 0;       // H
    int kvHeads = 0;     // KV
    int vocab = 0;       // V
    int seqLen = 0;      // T
    bool sharedClassifier = true;
    float normEps = 1e-5f;

    int headSize() const { return dim / heads; }
    int kvDim() const { return kvHeads * headSize(); }
    // Throws ar::Error naming the field: "n_kv_heads 3 does not divide n_heads 4", ...
    void validate() const;
    std::string toJson() const;  // llama2.c's field names
    // Parameter count (shared classifier counted once).
    uint64_t parameterCount() const;
};

// One hypothesis' KV cache, append-only with a length (as TinyGptState): buffers for the whole context allocated
// once (uninitialised), step() writes row `len`, truncate() only lowers len, nothing reads a row at or past len.
struct LlamaState final : KvCacheState {
    std::unique_ptr<DecodeState> clone() const override;  // copies the filled rows only
};

class Llama final : public LanguageModel, public ResidualStreamModel {
public:
    struct Layer {
        Var attnNorm;   // (1, C)
        Var wq;         // (C, C)
        Var wk, wv;     // (K, C)
        Var wo;         // (C, C)
        Var ffnNorm;    // (1, C)
        Var w1, w3;     // (F, C)
        Var w2;         // (C, F)
    };

    // Zero weights of the config's shapes, to be filled by a loader (no random initialisation).
    Llama(LlamaConfig config, Tokenizer tokenizer);

    const LlamaConfig& config() const { return m_cfg; }
    Var& tokEmbeddings() { return m_tokEmb; }  // (V, C)
    Layer& layer(int l) { return m_layers.at(size_t(l)); }
    Var& finalNorm() { return m_norm; }        // (1, C)
    Var& classifier() { return m_cls; }        // (V, C); the same Var as tokEmbeddings() when shared

    void setProvenance(std::string json) { m_provenance = std::move(json); }

    // LanguageModel
    std::string kind() const override { return "llama"; }
    const Tokenizer& tokenizer() const override { return m_tok; }
    int contextLength() const override { return m_cfg.seqLen; }
    int bosToken() const override { return 1; }
    int eosToken() const override { return 2; }
    std::unique_ptr<DecodeState> newState() const override;
    Mat step(std::span<DecodeState* const> states, std::span<const int> tokens) const override;
    std::vector<Mat> lastAttention(const DecodeState& state) const override;
    ParamList parameters() const override;  // Meta's names: tok_embeddings.weight, layers.N.attention.wq.weight, ...
    Metadata metadata() const override;

    // ResidualStreamModel
    std::vector<Mat> residualStream(std::span<const int> tokens) const override;
    Mat readout(const Mat& residual) const override;

private:
    // step() with, optionally, the new rows' residual stream after the embedding and after each layer.
    Mat run(std::span<DecodeState* const> states, std::span<const int> tokens, std::vector<Mat>* residuals) const;

    LlamaConfig m_cfg;
    Tokenizer m_tok;
    Var m_tokEmb;                // (V, C)
    std::vector<Layer> m_layers;
    Var m_norm;                  // (1, C)
    Var m_cls;                   // (V, C)
    Mat m_ropeCos, m_ropeSin;    // (T, D/2): cos and sin of pos * 10000^(-2i/D)
    std::string m_provenance = "{}";
};

}  // namespace ar
