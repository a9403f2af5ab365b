#pragma once
// TinyGPT: a decoder-only Transformer with the architecture and parameter names of nanoGPT's GPT
// (model.py): token embedding wte, positions, L pre-LayerNorm blocks
//     x = x + attn(ln_1(x));   x = x + mlp(ln_2(x))
// (attn: c_attn -> causal softmax attention scaled by 1/sqrt(C/H) -> c_proj; mlp: c_fc (4C) -> exact GELU
// -> c_proj), a final ln_f, and lm_head tied to wte. LayerNorm eps 1e-5, every Linear has a bias.
// Dropout (embeddings, residual branches) only while training.
//
// Positions: "learned" (wpe, nanoGPT-compatible), "sinusoidal" (fixed, Vaswani et al. 2017: as in the paper the
// token embeddings are multiplied by sqrt(C) before the table is added, so the positions do not drown the small
// initial embeddings) or "rope" (rotary, applied to q and k inside attention; no position table).
//
// Grouped-query / multi-query attention (n_kv_heads = KV < H): c_attn gives C query columns and K = KV*D key and
// K value columns (C + 2K), query head h reads key/value head h / (H / KV), and the KV cache keeps K floats per
// token for keys and K for values instead of C. With KV = H (the default) the model and its file are nanoGPT's.
//
// Decoding uses a KV cache: every state keeps each layer's keys and values, so step t costs O(t*C)
// (plus the O(C^2) projections), not a full recompute. step() over B states projects the B new tokens with
// each weight read once (row blocks, see linearRows) and attends per state over its own cache.
// Context overflow: a state that already holds contextLength() tokens cannot take another one; step()
// then throws ar::Error "context of N tokens is full" and leaves every state unchanged.
//
// Legend: B batch, T time, C embd, H heads, KV key/value heads, D = C/H head width, K = KV*D, V vocab, L layers.
#include "core/io/safetensors.h"
#include "core/models/kvcachestate.h"
#include "core/models/languagemodel.h"
#include "core/models/lens.h"
#include "core/nn/attention.h"
#include "core/nn/flashattention.h"
#include "core/nn/embedding.h"
#include "core/nn/layernorm.h"
#include "core/nn/linear.h"

#include <memory>
#include <string>

namespace ar {

enum class PositionMode { Learned, Sinusoidal, Rope };
// The MLP's GELU: exact (erf; arlab's own models, nanoGPT) or GPT-2's tanh approximation ("gelu_new").
enum class Activation { Gelu, GeluTanh };
std::string positionModeName(PositionMode m);          // "learned" | "sinusoidal" | "rope"
PositionMode parsePositionMode(const std::string& s);   // throws ar::Error naming the choices

struct TinyGptConfig {
    int vocabSize = 0;      // V
    int contextLength = 64; // block_size: the longest sequence
    int layers = 2;         // n_layer
    int heads = 4;          // n_head
    int kvHeads = 0;        // n_kv_heads: key/value heads, dividing heads; 0 = heads (multi-head, nanoGPT)
    int embd = 64;          // n_embd (C)
    float dropout = 0.0f;
    PositionMode pos = PositionMode::Learned;
    int bos = -1;           // token fed before a prompt (-1: none)
    int eos = -1;           // token that ends a hypothesis (-1: none)
    Activation act = Activation::Gelu;  // written to files only when not the default
    float lnEps = 1e-5f;                // LayerNorm epsilon (GPT-2's layer_norm_epsilon), idem

    int kvHeadCount() const { return kvHeads > 0 ? kvHeads : heads; }  // KV
    int kvWidth() const { return kvHeadCount() * (embd / heads); }     // K = KV * D
    void validate() const;  // throws ar::Error with the specific problem (heads must divide embd, ...)
    std::string toJson() const;  // nanoGPT's GPTConfig names + pos, bos, eos (+ n_kv_heads when it is not n_head)
    static TinyGptConfig fromJson(const std::string& json);  // throws ar::Error on a bad config
};

// One hypothesis' KV cache: append-only, with a length. Each layer's buffers are allocated (uninitialised) for
// the whole context once; step() writes row `len` and bumps len, truncate() only lowers len (O(1)), and nothing
// ever reads a row at or past len. Rows are positions, so the memory a cache touches grows with len (pages of
// rows never written are never faulted in), and clone() copies only rows 0..len-1.
// The cache (kvcachestate.h): per layer (contextLength, K) with K = KV*D.
struct TinyGptState final : KvCacheState {
    void allocate(const TinyGptConfig& cfg);  // empty, with buffers for the whole context (uninitialised)
    std::unique_ptr<DecodeState> clone() const override;  // copies only the filled rows 0..len-1
};

class TinyGpt final : public LanguageModel, public ResidualStreamModel {
public:
    // Fresh weights with nanoGPT's initialisation: N(0, 0.02) for weights and embeddings, zero biases,
    // N(0, 0.02/sqrt(2L)) for the two residual projections.
    TinyGpt(TinyGptConfig config, Tokenizer tokenizer, uint64_t seed);
    // The same shapes with every weight zero, for weights read from a file next: loading a model draws no
    // random numbers (a 12.7 MB file loaded 6x faster).
    static std::unique_ptr<TinyGpt> forLoading(TinyGptConfig config, Tokenizer tokenizer);

    const TinyGptConfig& config() const { return m_cfg; }
    // Kernel of the full forward (training, logits(), attentionMaps()): standard or tiled (flash). Not saved.
    void setAttentionKernel(nn::AttentionKernel k) { m_kernel = k; }
    nn::AttentionKernel attentionKernel() const { return m_kernel; }

    // Training forward. ids (B*T) row-major batch -> logits (B*T, V). `dropoutRng` is used when training.
    // `maps` (optional) receives one AttentionMaps per layer.
    // `residuals` (optional) receives the residual stream (B*T, C) after the embedding and after each block
    // (L+1 matrices) for the logit lens.
    Var forward(std::span<const int> ids, int B, int T, bool training, Rng* dropoutRng = nullptr,
                std::vector<nn::AttentionMaps>* maps = nullptr, std::vector<Mat>* residuals = nullptr) const;
    // Logit lens: the residual stream of one sequence (L+1 x (T, C)); the head on any residual rows (N, C):
    // final LayerNorm, then the tied unembedding -> (N, V).
    std::vector<Mat> residualStream(std::span<const int> tokens) const override;
    Mat readout(const Mat& residual) const override;
    // Mean cross-entropy of targets given inputs, both (B*T).
    Var loss(std::span<const int> inputs, std::span<const int> targets, int B, int T, bool training, Rng* dropoutRng) const;
    // Full forward of one sequence (no grad): per layer, per head (T, T) attention probabilities.
    std::vector<std::vector<Mat>> attentionMaps(std::span<const int> tokens) const;

    // LanguageModel
    std::string kind() const override { return "tinygpt"; }
    const Tokenizer& tokenizer() const override { return m_tok; }
    int contextLength() const override { return m_cfg.contextLength; }
    int bosToken() const override { return m_cfg.bos; }
    int eosToken() const override { return m_cfg.eos; }
    std::unique_ptr<DecodeState> newState() const override;
    Mat step(std::span<DecodeState* const> states, std::span<const int> tokens) const override;
    Mat logits(std::span<const int> tokens) const override;  // one full (no-cache) forward, no grad
    // Feeds n tokens to one state in ONE pass (positions len .. len+n-1, causal among themselves; the weights
    // are read once for all n rows, as step() does for n states) and returns the logits after each: (n, V).
    // Speculative decoding scores its gamma drafts this way. Shrinking TinyGptState::len afterwards drops them.
    Mat extend(DecodeState& state, std::span<const int> tokens) const;
    std::vector<Mat> lastAttention(const DecodeState& state) const override;
    ParamList parameters() const override;  // nanoGPT names; lm_head is tied, so not listed
    Metadata metadata() const override;

    // Provenance JSON object (corpus, seed, steps, train_loss, val_loss, command, ...), written to files.
    void setProvenance(std::string json) { m_provenance = std::move(json); }
    const std::string& provenance() const { return m_provenance; }

    // Files: nanoGPT state_dict names and shapes; lm_head.weight is written as a copy of wte.
    SafeTensors toSafetensors() const;
    void save(const std::string& path) const;  // atomic (temp file + rename)
    static std::unique_ptr<TinyGpt> fromSafetensors(const SafeTensors& file, const std::string& label);

private:
    TinyGpt(TinyGptConfig config, Tokenizer tokenizer, Rng* rng);  // rng null: zero weights
    struct Block {
        nn::LayerNorm ln1, ln2;
        nn::Linear cAttn;   // (C + 2K, C): 3C for multi-head
        nn::Linear attnProj;// (C, C)
        nn::Linear cFc;     // (4C, C)
        nn::Linear mlpProj; // (C, 4C)
    };
    Mat forwardRows(std::span<DecodeState* const> rows, std::span<const int> tokens) const;  // step and extend

    TinyGptConfig m_cfg;
    Tokenizer m_tok;
    nn::Embedding m_wte;        // (V, C), also the output head
    nn::Embedding m_wpe;        // (T, C) for learned positions, else empty
    std::vector<Block> m_blocks;
    nn::LayerNorm m_lnf;        // (1, C)
    Mat m_sinusoid;             // (contextLength, C) for sinusoidal positions
    std::string m_provenance = "{}";
    nn::AttentionKernel m_kernel = nn::AttentionKernel::Standard;
};

}  // namespace ar
