#pragma once
// Seq2Seq: an LSTM encoder-decoder with Luong global attention (dot score) and input feeding
// (Luong, Pham & Manning 2015). For a source x_1..x_S and target prefix y_0 = <s>, y_1, ..., y_{t-1}:
//
//   encoder:  h̄_s, c̄_s = LSTM_enc(E_src[x_s], h̄_{s-1}, c̄_{s-1})            h̄_0 = c̄_0 = 0
//   decoder:  in_t      = [E_tgt[y_{t-1}] ; h̃_{t-1}]  (input feeding; h̃_0 = 0)   or E_tgt[y_{t-1}] alone
//             h_t, c_t  = LSTM_dec(in_t, h_{t-1}, c_{t-1})                    h_0 = c_0 = 0
//               (config "bridge": true starts from h̄_S, c̄_S instead; the shipped model uses 0, so everything
//                the decoder learns about the source flows through the attention, which keeps it readable)
//   attention: score_s  = h_tᵀ h̄_s ;  a_t = softmax(score) ;  ctx_t = Σ_s a_ts h̄_s
//             h̃_t      = tanh(W_c [ctx_t ; h_t])                             W_c: attn_combine.weight (H, 2H), no bias
//             logits_t = W_o h̃_t + b_o                                        out.weight (V_tgt, H), out.bias (V_tgt)
//
// Tensor names (PyTorch: nn.Embedding, nn.LSTM, nn.Linear modules of these names):
//   src_embedding.weight (V_src, E)      tgt_embedding.weight (V_tgt, E)
//   encoder.weight_ih_l0 (4H, E)  encoder.weight_hh_l0 (4H, H)  encoder.bias_ih_l0 (4H)  encoder.bias_hh_l0 (4H)
//   decoder.weight_ih_l0 (4H, E+H | E)  decoder.weight_hh_l0 (4H, H)  decoder.bias_ih_l0  decoder.bias_hh_l0
//   attn_combine.weight (H, 2H)          out.weight (V_tgt, H)  out.bias (V_tgt)
// LSTM gate order i, f, g, o (PyTorch). Metadata: arlab.kind "seq2seq", arlab.config, arlab.tokenizer (target
// words, "<s>" and "</s>" first), arlab.src_tokenizer (source words), arlab.provenance.
//
// Legend: B batch, S source length, T target length, E embd, H hidden, V target vocab.
#include "core/io/safetensors.h"
#include "core/models/languagemodel.h"
#include "core/nn/embedding.h"
#include "core/nn/linear.h"
#include "core/nn/recurrent.h"

#include <memory>

namespace ar {

// Luong dot attention as one fused op. memory (S*B, H) time-major (row s*B + b = h̄_s of batch row b),
// query (B, H) -> context (B, H). The attention weights (B, S) are written to *weights when given.
Var luongAttention(const Var& memory, const Var& query, int S, Mat* weights = nullptr);

struct Seq2SeqConfig {
    int srcVocab = 0, tgtVocab = 0;
    int embd = 64;        // E
    int hidden = 128;     // H
    bool inputFeed = true;
    bool bridge = false;  // decoder starts from the encoder's final (h, c); false: from zeros
    void validate() const;
    std::string toJson() const;
    static Seq2SeqConfig fromJson(const std::string& json);
};

class Seq2Seq {
public:
    Seq2Seq(const Seq2SeqConfig& cfg, Tokenizer src, Tokenizer tgt, Rng& rng);
    const Seq2SeqConfig& config() const { return m_cfg; }
    const Tokenizer& srcTokenizer() const { return m_src; }
    const Tokenizer& tgtTokenizer() const { return m_tgt; }
    int bos() const { return m_tgt.id("<s>"); }
    int eos() const { return m_tgt.id("</s>"); }
    // Words -> ids; throws ar::Error naming every word outside the source lexicon.
    Tokens encodeSource(const std::string& text) const;

    struct Memory {
        Var states;                 // (S*B, H) time-major encoder outputs h̄
        int S = 0, B = 0;
        nn::RecurrentState final;   // (h̄_S, c̄_S), each (B, H)
    };
    struct DecoderState {
        nn::RecurrentState rnn;     // h, c: (B, H)
        Var feed;                   // h̃_{t-1}: (B, H)
    };
    // Encodes B sources of equal length S.
    Memory encode(const std::vector<Tokens>& src) const;
    DecoderState startDecoder(const Memory& m) const;
    // One decoder step for the B rows: y_{t-1} ids -> logits (B, V); attention weights (B, S) to *attn.
    Var decodeStep(const Memory& m, DecoderState& st, std::span<const int> prev, Mat* attn = nullptr) const;

    ParamList parameters() const;
    Metadata metadata() const;
    std::string provenanceJson = "{}";

    nn::Embedding srcEmbedding;  // (V_src, E)
    nn::Embedding tgtEmbedding;  // (V, E)
    nn::Recurrent encoder;       // LSTM E -> H
    nn::Recurrent decoder;       // LSTM E(+H) -> H
    nn::Linear attnCombine;      // W_c (H, 2H), no bias
    nn::Linear out;              // W_o (V, H) + b_o

private:
    Seq2SeqConfig m_cfg;
    Tokenizer m_src, m_tgt;
};

std::unique_ptr<Seq2Seq> loadSeq2Seq(const SafeTensors& file, const std::string& label);
std::unique_ptr<Seq2Seq> loadSeq2Seq(const std::string& path);
void saveSeq2Seq(const Seq2Seq& model, const std::string& path);

// A translation: target tokens (ending with </s> unless maxLen was hit), each token's probability, and the
// attention row that produced it: attention (T, S).
struct Translation {
    Tokens tokens;
    std::vector<float> p;
    Mat attention;
};
Translation translateGreedy(const Seq2Seq& model, const Tokens& src, int maxLen = 30);
// Teacher forcing: decoder fed the gold target (without </s>) after <s>; returns logits (T+1, V) and the
// attention (T+1, S) of every step.
Mat teacherForcedLogits(const Seq2Seq& model, const Tokens& src, const Tokens& tgt, Mat* attention = nullptr);

// --- the decoding adapter: the target side as a LanguageModel --------------------------------------------
struct TranslatorState final : DecodeState {
    int len = 0;
    std::shared_ptr<const Mat> memory;  // (S, H) encoder outputs of the source
    Mat h, c, feed;                     // (1, H) decoder state and h̃_{t-1}
    Mat attention;                      // (1, S) the last step's attention row
    std::unique_ptr<DecodeState> clone() const override { return std::make_unique<TranslatorState>(*this); }
    int length() const override { return len; }
};

// Decoding (samplers, beam search, DecodingSession) of the translation of one fixed source sentence.
// bos = <s>, eos = </s>; lastAttention = {(1, S)} the cross-attention row of the last step.
class TranslatorLM final : public LanguageModel {
public:
    TranslatorLM(std::shared_ptr<const Seq2Seq> model, Tokens source);
    std::string kind() const override { return "seq2seq"; }
    const Tokenizer& tokenizer() const override { return m_model->tgtTokenizer(); }
    int bosToken() const override { return m_model->bos(); }
    int eosToken() const override { return m_model->eos(); }
    std::unique_ptr<DecodeState> newState() const override;
    Mat step(std::span<DecodeState* const> states, std::span<const int> tokens) const override;
    std::vector<Mat> lastAttention(const DecodeState& state) const override;
    ParamList parameters() const override { return m_model->parameters(); }
    Metadata metadata() const override { return m_model->metadata(); }
    const Tokens& source() const { return m_source; }
    const Seq2Seq& model() const { return *m_model; }

private:
    std::shared_ptr<const Seq2Seq> m_model;
    Tokens m_source;
    std::shared_ptr<const Mat> m_memory;  // (S, H)
    Mat m_h0, m_c0;                       // (1, H) encoder final state
};

}  // namespace ar
