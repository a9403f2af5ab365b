#pragma once
// Tokenizers: one interface, four kinds.
//   Char      character level (UTF-8 aware: a Chinese character is one token)          arlab's own models
//   Word      word level (split on whitespace)                                         arlab's own models
//   Gpt2Bpe   GPT-2's byte-level BPE (core/data/bytelevelbpe.h)                        GPT-2 family files
//   LlamaBpe  llama2.c's score BPE with byte fallback (core/data/scorebpe.h)           tokenizer.bin
//
// `Tokenizer` is a value (cheap to copy: it shares one immutable TokenizerImpl). Every kind has a vocabulary
// of byte strings (token(id)), splits text into pre-tokens, and records how it encoded a text (trace(): the
// pre-tokens, the symbols before merging and every merge in order) so a view can replay it step by step.
// Text outside a char/word vocabulary is never dropped silently: encode() reports every unknown piece.
// The char/word vocabulary is stored in the model file's metadata (toJson/fromJson); the BPE kinds live in
// their own files (vocab.json + merges.txt, tokenizer.json, tokenizer.bin) and are not written to metadata.
#include "core/tensor.h"

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ar {

class TokenizerImpl;

class Tokenizer {
public:
    enum class Kind { Char, Word, Gpt2Bpe, LlamaBpe };

    struct Encoded {
        Tokens ids;                       // one per piece; -1 where the piece is not in the vocabulary
        std::vector<std::string> pieces;  // the token of each id (char/word: the piece of text)
        std::vector<size_t> unknown;      // indices into pieces of out-of-vocabulary pieces
        bool ok() const { return unknown.empty(); }
    };

    // How a text became ids. Replay: start from `initial`, apply `merges` in order (symbols[position] =
    // result, symbols[position + 1] removed, within pre-token `pretoken`); the concatenation is `ids`.
    struct Merge {
        int pretoken = 0;   // index into pretokens
        int position = 0;   // index of the left symbol in that pre-token's current symbols
        int left = -1, right = -1, result = -1;  // token ids
        double priority = 0;  // GPT-2: merge rank (lower first); llama2.c: the result's score (higher first)
    };
    struct Trace {
        std::vector<std::string> pretokens;   // the text split before any merge (bytes)
        std::vector<Tokens> initial;          // per pre-token: symbols before merging (bytes, characters or -1)
        std::vector<Merge> merges;            // in the order applied
        Tokens ids;                           // the result, equal to encode(text).ids
    };

    Tokenizer();  // an empty character tokenizer
    Tokenizer(Kind kind, std::vector<std::string> vocab);  // Char or Word
    explicit Tokenizer(std::shared_ptr<const TokenizerImpl> impl);
    // Vocabulary = sorted distinct pieces of the corpus (plus `extra` tokens first, e.g. "<s>").
    static Tokenizer build(Kind kind, std::string_view corpus, const std::vector<std::string>& extra = {});

    Kind kind() const;
    std::string kindName() const;  // "char", "word", "gpt2-bpe", "llama2c-bpe"
    int size() const { return int(vocab().size()); }
    const std::vector<std::string>& vocab() const;     // per id: the token's bytes
    const std::string& token(int id) const { return vocab().at(size_t(id)); }
    int id(std::string_view piece) const;  // -1 if absent

    // Pre-tokens: characters, words, GPT-2's regex pieces, or llama2.c's whole text with its dummy prefix.
    std::vector<std::string> split(std::string_view text) const;  // char/word throw ar::Error on invalid UTF-8
    Encoded encode(std::string_view text) const;
    Trace trace(std::string_view text) const;
    // Like encode() but throws ar::Error naming every unknown piece, e.g.
    // "prompt: 'zebra' (word 3) is not in the model's vocabulary".
    Tokens encodeStrict(std::string_view text, const std::string& what = "prompt") const;
    // The exact inverse: bytes (word: joined by spaces). May hold invalid UTF-8 when a BPE sequence stops
    // inside a character; decodeText() shows such bytes as "\xHH" instead.
    std::string decode(std::span<const int> ids) const;
    std::string decodeText(std::span<const int> ids) const;
    // How one token is shown on a chip or an axis label: valid UTF-8, whitespace visible
    // ("\n" -> "⏎", " " -> "␣"), bytes that are not UTF-8 as "\xHH" (BPE) or "<0xHH>" (llama2.c).
    std::string display(int id) const;

    std::string toJson() const;                  // {"kind":"char|word","vocab":[...]}; throws for the BPE kinds
    static Tokenizer fromJson(std::string_view json);  // throws ar::Error on a malformed vocabulary

    const TokenizerImpl& impl() const { return *m_impl; }

private:
    std::shared_ptr<const TokenizerImpl> m_impl;
};

// What every tokenizer kind implements. The vocabulary and its index are shared.
class TokenizerImpl {
public:
    virtual ~TokenizerImpl() = default;
    virtual Tokenizer::Kind kind() const = 0;
    virtual std::vector<std::string> split(std::string_view text) const = 0;
    virtual Tokenizer::Trace trace(std::string_view text) const = 0;
    virtual Tokenizer::Encoded encode(std::string_view text) const;  // default: from trace()
    virtual std::string decode(std::span<const int> ids) const;      // default: concatenated token bytes
    virtual std::string display(int id) const;                       // default: visible whitespace, \xHH
    virtual const char* unitName() const { return "piece"; }         // for unknown-piece messages
    virtual std::string toJson() const;                              // default: throws (not stored in metadata)

    const std::vector<std::string>& vocab() const { return m_vocab; }
    int id(std::string_view piece) const;

protected:
    // Builds the index; the first id wins when `allowDuplicates`, else a duplicate throws ar::Error.
    void setVocab(std::vector<std::string> vocab, bool allowDuplicates = false);
    std::vector<std::string> m_vocab;
    std::unordered_map<std::string, int> m_index;
};

std::string tokenizerKindName(Tokenizer::Kind kind);  // "char", "word", "gpt2-bpe", "llama2c-bpe"

// Visible form of a token's bytes: "\n" -> "⏎", "\t" -> "⇥", " " -> "␣" (everywhere in the token when
// `allSpaces`, else only for the token " "), invalid UTF-8 bytes as "\xHH".
std::string visibleToken(std::string_view bytes, bool allSpaces);

}  // namespace ar
