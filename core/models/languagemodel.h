#pragma once
// The common interface of every autoregressive text model (TinyGPT, RNN/LSTM/GRU, the Seq2Seq decoder).
// Decoding (samplers, beam search, sessions) talks only to this interface.
//
// A DecodeState is one hypothesis' incremental state: a KV cache, a recurrent hidden state, the encoder
// memory of a translator. step() feeds one token to each of B states at once (batched: one model call per
// decoding round) and returns the next-token logits for each.
#include "core/autograd/tape.h"
#include "core/data/tokenizer.h"

#include <map>
#include <memory>
#include <span>
#include <string>

namespace ar {

struct DecodeState {
    virtual ~DecodeState() = default;
    virtual std::unique_ptr<DecodeState> clone() const = 0;
    virtual int length() const = 0;  // tokens fed so far
    // Forgets every token after the first `length` (0 <= length <= length()), in O(1), so that the state is
    // exactly the one those tokens left. Returns false (and changes nothing) when this kind of state keeps no
    // history to rewind to (a recurrent hidden state): callers then keep copies instead.
    virtual bool truncate(int length) { (void)length; return false; }
    // Bytes of cache memory this state holds (counted for memory reports; 0 when not counted).
    virtual size_t bytes() const { return 0; }
};

using Metadata = std::map<std::string, std::string>;

class LanguageModel {
public:
    virtual ~LanguageModel() = default;

    virtual std::string kind() const = 0;            // "tinygpt", "rnn", "lstm", "gru", "seq2seq", ...
    virtual const Tokenizer& tokenizer() const = 0;
    int vocabSize() const { return tokenizer().size(); }
    virtual int contextLength() const { return 0; }  // longest sequence the model accepts; 0 = unbounded
    // Start-of-sequence token fed before the prompt (-1: none, the prompt must be non-empty).
    virtual int bosToken() const { return -1; }
    // End-of-sequence token that finishes a hypothesis (-1: none).
    virtual int eosToken() const { return -1; }

    virtual std::unique_ptr<DecodeState> newState() const = 0;
    // Feeds tokens[b] to *states[b] and returns the next-token logits of every state: (B, V).
    virtual Mat step(std::span<DecodeState* const> states, std::span<const int> tokens) const = 0;
    // Teacher-forced logits for a whole sequence, row i = logits after tokens[0..i]: (T, V).
    // The default feeds the tokens one by one through step().
    virtual Mat logits(std::span<const int> tokens) const;
    // Attention recorded by the last step() of `state`, one (H, t) matrix per layer (rows = heads, sum 1).
    // Empty for models without attention.
    virtual std::vector<Mat> lastAttention(const DecodeState& state) const { (void)state; return {}; }

    virtual ParamList parameters() const = 0;
    virtual Metadata metadata() const = 0;           // config, tokenizer, provenance (written to the file)
};

}  // namespace ar
