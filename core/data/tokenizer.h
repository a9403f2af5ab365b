#pragma once
// Tokenizers. Character level (UTF-8 aware: a Chinese character is one token) or word level (split on
// whitespace). The vocabulary is stored in the model file's metadata (toJson/fromJson).
// Text outside the vocabulary is never dropped silently: encode() reports every unknown piece.
#include "core/tensor.h"

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ar {

class Tokenizer {
public:
    enum class Kind { Char, Word };

    struct Encoded {
        Tokens ids;                       // one per piece; -1 where the piece is not in the vocabulary
        std::vector<std::string> pieces;  // the text split into characters or words
        std::vector<size_t> unknown;      // indices into pieces of out-of-vocabulary pieces
        bool ok() const { return unknown.empty(); }
    };

    Tokenizer() = default;
    Tokenizer(Kind kind, std::vector<std::string> vocab);
    // Vocabulary = sorted distinct pieces of the corpus (plus `extra` tokens first, e.g. "<s>").
    static Tokenizer build(Kind kind, std::string_view corpus, const std::vector<std::string>& extra = {});

    Kind kind() const { return m_kind; }
    int size() const { return int(m_vocab.size()); }
    const std::vector<std::string>& vocab() const { return m_vocab; }
    const std::string& token(int id) const { return m_vocab.at(size_t(id)); }
    int id(std::string_view piece) const;  // -1 if absent

    std::vector<std::string> split(std::string_view text) const;  // throws ar::Error on invalid UTF-8
    Encoded encode(std::string_view text) const;
    // Like encode() but throws ar::Error naming every unknown piece, e.g.
    // "prompt: 'zebra' (word 3) is not in the model's vocabulary".
    Tokens encodeStrict(std::string_view text, const std::string& what = "prompt") const;
    std::string decode(std::span<const int> ids) const;  // words joined by spaces; chars concatenated
    // How one token is shown on a chip or an axis label ("\n" -> "⏎", " " -> "␣").
    std::string display(int id) const;

    std::string toJson() const;                  // {"kind":"char|word","vocab":[...]}
    static Tokenizer fromJson(std::string_view json);  // throws ar::Error on a malformed vocabulary

private:
    Kind m_kind = Kind::Char;
    std::vector<std::string> m_vocab;
    std::unordered_map<std::string, int> m_index;
};

}  // namespace ar
