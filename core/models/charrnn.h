#pragma once
// CharRnn: a recurrent language model, the PyTorch module
//     embedding = nn.Embedding(V, E); rnn = nn.RNN|nn.LSTM|nn.GRU(E, H, L); fc = nn.Linear(H, V)
//     logits_t = fc(rnn(embedding(x_<=t)))
// with exactly PyTorch's tensor names and shapes (embedding.weight, rnn.weight_ih_l0, ..., fc.weight, fc.bias),
// so the file loads with load_state_dict. Kind "rnn" (tanh), "lstm" or "gru".
//
// Training is truncated BPTT: a long stream is cut into chunks of T tokens; the hidden state is carried from
// one chunk to the next but detached, so gradients flow back at most T steps.
// Decoding state = h (and c for the LSTM) per layer: constant size, whatever the length.
//
// Legend: B batch, T time, E embd, H hidden, L layers, V vocab.
#include "core/io/safetensors.h"
#include "core/models/languagemodel.h"
#include "core/nn/embedding.h"
#include "core/nn/linear.h"
#include "core/nn/recurrent.h"

#include <memory>
#include <string>

namespace ar {

struct CharRnnConfig {
    nn::CellType cell = nn::CellType::Lstm;
    int vocabSize = 0;  // V
    int embd = 32;      // E
    int hidden = 128;   // H
    int layers = 1;     // L (1 or 2)
    int bos = -1;       // token fed before a prompt (-1: none)
    int eos = -1;       // token that ends a hypothesis (-1: none)

    void validate() const;                        // throws ar::Error naming the bad field
    std::string toJson() const;
    static CharRnnConfig fromJson(const std::string& json, const std::string& kind);
};

struct CharRnnState final : DecodeState {
    int len = 0;
    std::vector<Mat> h, c;  // per layer (1, H); c only for the LSTM
    std::unique_ptr<DecodeState> clone() const override { return std::make_unique<CharRnnState>(*this); }
    int length() const override { return len; }
};

// What one step looked like inside the cells (for the RNN inspector): per layer, values after the step.
struct CharRnnStepTrace {
    std::vector<RowVec> h;      // per layer (1, H)
    std::vector<RowVec> c;      // per layer (1, H), LSTM only
    std::vector<Mat> gates;     // per layer (G, H) activated gates: LSTM rows i, f, g, o; GRU rows r, z, n
};

class CharRnn final : public LanguageModel {
public:
    CharRnn(const CharRnnConfig& cfg, Tokenizer tok, Rng& rng);

    std::string kind() const override { return nn::cellName(m_cfg.cell); }
    const Tokenizer& tokenizer() const override { return m_tok; }
    int bosToken() const override { return m_cfg.bos; }
    int eosToken() const override { return m_cfg.eos; }
    const CharRnnConfig& config() const { return m_cfg; }

    std::unique_ptr<DecodeState> newState() const override;
    Mat step(std::span<DecodeState* const> states, std::span<const int> tokens) const override;

    // Teacher-forced mean cross-entropy over a chunk: inputs[b][t] -> targets[b][t] (B rows of T ids).
    // `state` enters as the carried hidden state (B rows) and leaves as the state after the chunk (still
    // attached; call detached() before the next chunk).
    Var chunkLoss(const std::vector<Tokens>& inputs, const std::vector<Tokens>& targets,
                  nn::RecurrentState& state) const;
    nn::RecurrentState zeroState(int batch) const { return rnn.zeroState(batch); }

    // Feeds `tokens` from a fresh state and records every step's hidden state and gates.
    std::vector<CharRnnStepTrace> trace(std::span<const int> tokens) const;

    ParamList parameters() const override;
    Metadata metadata() const override;
    std::string provenanceJson = "{}";  // written as "arlab.provenance": corpus, seed, steps, losses, command

    nn::Embedding embedding;  // (V, E)
    nn::Recurrent rnn;        // L layers, (G*H, E|H) + (G*H, H) + biases
    nn::Linear fc;            // (V, H) + (1, V)

private:
    CharRnnConfig m_cfg;
    Tokenizer m_tok;
};

// Builds a CharRnn from a parsed file of kind rnn/lstm/gru (checks config, tokenizer and every tensor).
std::unique_ptr<CharRnn> loadCharRnn(const SafeTensors& file, const std::string& label);
void saveCharRnn(const CharRnn& model, const std::string& path);

}  // namespace ar
