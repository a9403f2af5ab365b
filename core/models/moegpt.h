#pragma once
// MoeGpt: TinyGPT with a mixture-of-experts MLP in every block (core/nn/moe.h). Everything else is TinyGPT's:
// the same config (TinyGptConfig, learned positions), the same pieces (nn::Embedding, nn::LayerNorm, nn::Linear,
// the attention kernels of nn::selfAttention) and the same nanoGPT names, except that "mlp.c_fc" / "mlp.c_proj"
// become "mlp.router" and "mlp.experts.{e}.c_fc" / "mlp.experts.{e}.c_proj".
//
//   x = wte[ids] + wpe[t];  per block: x = x + attn(ln_1(x));  x = x + moe(ln_2(x));  logits = ln_f(x) wte^T
//
// With E = 1 and k = 1 the router's gate is exactly 1 and the model is a dense TinyGPT (expert width F = 4C):
// the dense baseline of the comparison is trained by the same code.
// Decoding recomputes the whole prefix at each step (no KV cache: the model is for looking at routing).
//
// Legend: B batch, T time, C embd, E experts, k experts per token, F expert width, V vocab, L layers.
#include "core/io/safetensors.h"
#include "core/models/languagemodel.h"
#include "core/models/tinygpt.h"
#include "core/nn/moe.h"

#include <memory>
#include <string>

namespace ar {

struct MoeGptConfig {
    TinyGptConfig gpt;       // vocab, context, layers, heads, embd, bos, eos (learned positions, no dropout)
    int experts = 4;         // E
    int topK = 2;            // k
    int expertHidden = 64;   // F
    float balance = 0.01f;   // weight of the load-balancing loss in training (0: off)

    void validate() const;   // throws ar::Error naming the problem
    std::string toJson() const;
    static MoeGptConfig fromJson(const std::string& json);
};

struct MoeGptState final : DecodeState {
    Tokens tokens;
    std::unique_ptr<DecodeState> clone() const override { return std::make_unique<MoeGptState>(*this); }
    int length() const override { return int(tokens.size()); }
};

class MoeGpt final : public LanguageModel {
public:
    MoeGpt(MoeGptConfig config, Tokenizer tokenizer, uint64_t seed);
    MoeGpt(MoeGptConfig config, Tokenizer tokenizer, Rng& rng);  // Rng::forLoading(): zero weights, read next
    const MoeGptConfig& config() const { return m_cfg; }

    // ids (B*T) -> logits (B*T, V). `aux` receives the mean load-balancing loss over the layers, `routing` one
    // MoeRouting per layer.
    Var forward(std::span<const int> ids, int B, int T, Var* aux = nullptr,
                std::vector<nn::MoeRouting>* routing = nullptr) const;
    // Mean cross-entropy (what is reported) and the training objective cross-entropy + balance * aux.
    struct Loss { Var crossEntropy, objective; };
    Loss loss(std::span<const int> inputs, std::span<const int> targets, int B, int T) const;
    // Routing of one sequence, per layer (no grad).
    std::vector<nn::MoeRouting> routing(std::span<const int> tokens) const;

    size_t totalParameters() const;
    size_t activeParametersPerToken() const;  // everything except the E - k experts a token does not use

    // LanguageModel
    std::string kind() const override { return "moegpt"; }
    const Tokenizer& tokenizer() const override { return m_tok; }
    int contextLength() const override { return m_cfg.gpt.contextLength; }
    int bosToken() const override { return m_cfg.gpt.bos; }
    int eosToken() const override { return m_cfg.gpt.eos; }
    std::unique_ptr<DecodeState> newState() const override { return std::make_unique<MoeGptState>(); }
    Mat step(std::span<DecodeState* const> states, std::span<const int> tokens) const override;
    Mat logits(std::span<const int> tokens) const override;
    ParamList parameters() const override;
    Metadata metadata() const override;

    void setProvenance(std::string json) { m_provenance = std::move(json); }
    const std::string& provenance() const { return m_provenance; }
    void save(const std::string& path) const;  // atomic; lm_head is tied to wte and not written
    static std::unique_ptr<MoeGpt> fromSafetensors(const SafeTensors& file, const std::string& label);

private:
    struct Block {
        nn::LayerNorm ln1, ln2;
        nn::Linear cAttn;     // (3C, C)
        nn::Linear attnProj;  // (C, C)
        nn::MoeMlp moe;       // router (E, C), E experts (F, C) / (C, F)
    };
    MoeGptConfig m_cfg;
    Tokenizer m_tok;
    nn::Embedding m_wte;      // (V, C), also the output head
    nn::Embedding m_wpe;      // (T, C)
    std::vector<Block> m_blocks;
    nn::LayerNorm m_lnf;
    std::string m_provenance = "{}";
};

}  // namespace ar
