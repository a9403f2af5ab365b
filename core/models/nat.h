#pragma once
// NatTranslator: a non-autoregressive Transformer encoder-decoder for the synthetic zh->en corpus, trained as a
// conditional masked language model (CMLM, Ghazvininejad et al. 2019), so one set of weights serves one-pass
// NAT (Gu et al. 2018), Mask-Predict and semi-autoregressive decoding (core/decoding/paralleldecode.*).
//
//   encoder:  x_s = E_src[src_s] + P_src[s];  L_e pre-LN blocks  x += attn(ln_1 x) (no mask);  x += mlp(ln_2 x)
//             memory = ln_f(x)                                                       (S, C) per sentence
//   length:   logits_len = W_len mean_s(memory) + b_len  over lengths 1..maxLen (class n-1 = length n)
//   decoder:  y_t = E_tgt[in_t] + P_tgt[t], in_t = a target word or [MASK]; a fully masked input is pure
//             position queries. L_d pre-LN blocks
//               y += selfattn(ln_1 y)  (NO causal mask: every position reads every other one)
//               y += crossattn(ln_2 y, memory)
//               y += mlp(ln_3 y)
//             logits_t = W_out ln_f(y_t) + b_out                                      (T, V)
// Every position's word comes from the same pass: nothing is fed back within a pass.
//
// Tensors (PyTorch-style names): src_embedding.weight (V_src, C), src_position.weight (maxSrc, C),
//   tgt_embedding.weight (V, C), tgt_position.weight (maxLen, C),
//   encoder.h.{l}.{ln_1, attn.c_attn (3C, C), attn.c_proj (C, C), ln_2, mlp.c_fc (4C, C), mlp.c_proj (C, 4C)},
//   encoder.ln_f, length.weight (maxLen, C), length.bias (maxLen),
//   decoder.h.{l}.{ln_1, attn.c_attn, attn.c_proj, ln_2, cross.q (C, C), cross.kv (2C, C), cross.c_proj (C, C),
//                  ln_3, mlp.c_fc, mlp.c_proj}, decoder.ln_f, out.weight (V, C), out.bias (V).
// Metadata: arlab.kind "nat", arlab.config, arlab.tokenizer (target words, "[MASK]" = 0 first),
// arlab.src_tokenizer, arlab.provenance.
//
// Legend: B batch, S source length, T target length, C width, H heads, V target vocabulary, L layers.
#include "core/data/tokenizer.h"
#include "core/io/safetensors.h"
#include "core/models/languagemodel.h"
#include "core/nn/embedding.h"
#include "core/nn/fullattention.h"
#include "core/nn/layernorm.h"
#include "core/nn/linear.h"

#include <atomic>
#include <memory>

namespace ar {

struct NatConfig {
    int srcVocab = 0, tgtVocab = 0;
    int embd = 64;          // C
    int heads = 4;          // H
    int encLayers = 2, decLayers = 2;
    int maxSrc = 16;        // longest source sentence
    int maxLen = 16;        // longest target sentence (length classes 1..maxLen)
    void validate() const;  // throws ar::Error naming the problem
    std::string toJson() const;
    static NatConfig fromJson(const std::string& json);
};

class NatTranslator {
public:
    NatTranslator(const NatConfig& cfg, Tokenizer src, Tokenizer tgt, uint64_t seed);
    NatTranslator(const NatConfig& cfg, Tokenizer src, Tokenizer tgt, Rng& rng);  // Rng::forLoading(): zero weights
    const NatConfig& config() const { return m_cfg; }
    const Tokenizer& srcTokenizer() const { return m_src; }
    const Tokenizer& tgtTokenizer() const { return m_tgt; }
    int maskToken() const { return 0; }
    // Words -> ids; throws ar::Error naming every word outside the source lexicon, or a sentence too long.
    Tokens encodeSource(const std::string& text) const;

    struct Memory {
        Var states;  // (B*S, C) encoder outputs, batch-major
        int B = 0, S = 0;
        std::vector<Mat> crossKv;  // per decoder layer (B*S, 2C): cross-attention keys | values (no-grad encode only)
    };
    // B sources of equal length S. With gradients off (decoding) this and lengthLogits() / decode() run on plain
    // matrices through the shared kernels, and encode() precomputes the cross-attention keys and values.
    Memory encode(const std::vector<Tokens>& src) const;
    // Length logits (B, maxLen): column n-1 scores length n.
    Var lengthLogits(const Memory& m) const;
    // One decoder pass over B target rows of equal length T (ids, [MASK] = 0), row-major (B*T) -> logits (B*T, V).
    // Counts one decoder call. `cross` (optional) receives the last layer's cross-attention.
    Var decode(const Memory& m, std::span<const int> input, int T, nn::AttentionMaps* cross = nullptr) const;
    // Decoder passes run so far (every decode() call, any thread).
    long long decoderCalls() const { return m_calls.load(); }

    ParamList parameters() const;
    Metadata metadata() const;
    std::string provenanceJson = "{}";

private:
    struct EncoderBlock {
        nn::LayerNorm ln1, ln2;
        nn::Linear cAttn, attnProj, cFc, mlpProj;  // (3C, C), (C, C), (4C, C), (C, 4C)
    };
    struct DecoderBlock {
        nn::LayerNorm ln1, ln2, ln3;
        nn::Linear cAttn, attnProj;                // self-attention (3C, C), (C, C)
        nn::Linear crossQ, crossKv, crossProj;     // (C, C), (2C, C), (C, C)
        nn::Linear cFc, mlpProj;                   // (4C, C), (C, 4C)
    };
    Var mlp(const Var& x, const nn::LayerNorm& ln, const nn::Linear& fc, const nn::Linear& proj) const;

    NatConfig m_cfg;
    Tokenizer m_src, m_tgt;
    nn::Embedding m_srcEmb, m_srcPos;   // (V_src, C), (maxSrc, C)
    nn::Embedding m_tgtEmb, m_tgtPos;   // (V, C), (maxLen, C)
    std::vector<EncoderBlock> m_enc;
    nn::LayerNorm m_encLn;
    nn::Linear m_length;                // (maxLen, C)
    std::vector<DecoderBlock> m_dec;
    nn::LayerNorm m_decLn;
    nn::Linear m_out;                   // (V, C)
    mutable std::atomic<long long> m_calls{0};
};

std::unique_ptr<NatTranslator> loadNatTranslator(const SafeTensors& file, const std::string& label);
std::unique_ptr<NatTranslator> loadNatTranslator(const std::string& path);
void saveNatTranslator(const NatTranslator& model, const std::string& path);

}  // namespace ar
