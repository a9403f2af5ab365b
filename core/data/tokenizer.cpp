#include "core/data/tokenizer.h"

#include "core/data/utf8.h"
#include "core/error.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_set>

namespace ar {

// --- the shared part of every kind -------------------------------------------------------------------

void TokenizerImpl::setVocab(std::vector<std::string> vocab, bool allowDuplicates) {
    m_vocab = std::move(vocab);
    m_index.clear();
    m_index.reserve(m_vocab.size());
    for (size_t i = 0; i < m_vocab.size(); ++i) {
        if (!m_index.emplace(m_vocab[i], int(i)).second && !allowDuplicates)
            throw Error("vocabulary has the token '" + utf8::escapeInvalid(m_vocab[i]) + "' twice");
    }
}

int TokenizerImpl::id(std::string_view piece) const {
    auto it = m_index.find(std::string(piece));
    return it == m_index.end() ? -1 : it->second;
}

Tokenizer::Encoded TokenizerImpl::encode(std::string_view text) const {
    Tokenizer::Encoded e;
    e.ids = trace(text).ids;
    for (size_t i = 0; i < e.ids.size(); ++i) {
        const int k = e.ids[i];
        e.pieces.push_back(k >= 0 && k < int(m_vocab.size()) ? m_vocab[size_t(k)] : std::string("?"));
        if (k < 0) e.unknown.push_back(i);
    }
    return e;
}

std::string TokenizerImpl::decode(std::span<const int> ids) const {
    std::string out;
    for (int k : ids) out += (k >= 0 && k < int(m_vocab.size())) ? m_vocab[size_t(k)] : std::string("?");
    return out;
}

std::string TokenizerImpl::display(int id) const {
    if (id < 0 || id >= int(m_vocab.size())) return "?";
    return visibleToken(m_vocab[size_t(id)], true);
}

std::string TokenizerImpl::toJson() const {
    throw Error("a " + tokenizerKindName(kind()) + " tokenizer is kept in its own files, not in arlab metadata");
}

std::string visibleToken(std::string_view bytes, bool allSpaces) {
    if (!allSpaces) {
        if (bytes == "\n") return "\u23CE";
        if (bytes == " ") return "\u2423";
        if (bytes == "\t") return "\u21E5";
        return utf8::escapeInvalid(bytes);
    }
    std::string out;
    for (char c : bytes) {
        if (c == '\n') out += "\u23CE";
        else if (c == ' ') out += "\u2423";
        else if (c == '\t') out += "\u21E5";
        else if (c == '\r') out += "\\r";
        else out += c;
    }
    return utf8::escapeInvalid(out);
}

// --- char and word -----------------------------------------------------------------------------------

namespace {
// Calls f(piece) for every character or word of `text`, as views into it: no copy of a large corpus.
template <typename F>
void forEachPiece(Tokenizer::Kind kind, std::string_view text, F&& f) {
    utf8::validate(text, "text");
    if (kind == Tokenizer::Kind::Char) {
        for (size_t i = 0; i < text.size();) {
            const size_t n = utf8::sequenceLength(text, i);
            f(text.substr(i, n));
            i += n;
        }
        return;
    }
    size_t i = 0;
    const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
    while (i < text.size()) {
        while (i < text.size() && isSpace(text[i])) ++i;
        size_t j = i;
        while (j < text.size() && !isSpace(text[j])) ++j;
        if (j > i) f(text.substr(i, j - i));
        i = j;
    }
}

class CharWordTokenizer final : public TokenizerImpl {
public:
    CharWordTokenizer(Tokenizer::Kind kind, std::vector<std::string> vocab) : m_kind(kind) {
        if (kind != Tokenizer::Kind::Char && kind != Tokenizer::Kind::Word)
            throw Error("a vocabulary list makes only a char or word tokenizer");
        setVocab(std::move(vocab));
    }
    Tokenizer::Kind kind() const override { return m_kind; }
    const char* unitName() const override { return m_kind == Tokenizer::Kind::Char ? "character" : "word"; }

    std::vector<std::string> split(std::string_view text) const override {
        std::vector<std::string> pieces;
        forEachPiece(m_kind, text, [&](std::string_view p) { pieces.emplace_back(p); });
        return pieces;
    }
    Tokenizer::Trace trace(std::string_view text) const override {  // no merges: a piece is a token or unknown
        Tokenizer::Trace t;
        t.pretokens = split(text);
        for (const auto& p : t.pretokens) {
            t.initial.push_back({id(p)});
            t.ids.push_back(id(p));
        }
        return t;
    }
    Tokenizer::Encoded encode(std::string_view text) const override {  // pieces: the text, also when unknown
        Tokenizer::Encoded e;
        e.pieces = split(text);
        for (size_t i = 0; i < e.pieces.size(); ++i) {
            e.ids.push_back(id(e.pieces[i]));
            if (e.ids.back() < 0) e.unknown.push_back(i);
        }
        return e;
    }
    std::string decode(std::span<const int> ids) const override {
        std::string out;
        for (size_t i = 0; i < ids.size(); ++i) {
            if (m_kind == Tokenizer::Kind::Word && i) out += ' ';
            out += (ids[i] >= 0 && ids[i] < int(m_vocab.size())) ? m_vocab[size_t(ids[i])] : std::string("?");
        }
        return out;
    }
    std::string display(int id) const override {
        if (id < 0 || id >= int(m_vocab.size())) return "?";
        return visibleToken(m_vocab[size_t(id)], false);
    }
    std::string toJson() const override {
        nlohmann::json j;
        j["kind"] = m_kind == Tokenizer::Kind::Char ? "char" : "word";
        j["vocab"] = m_vocab;
        return j.dump();
    }

private:
    Tokenizer::Kind m_kind;
};
}  // namespace

// --- the value type ----------------------------------------------------------------------------------

Tokenizer::Tokenizer() : Tokenizer(Kind::Char, {}) {}

Tokenizer::Tokenizer(Kind kind, std::vector<std::string> vocab)
    : m_impl(std::make_shared<CharWordTokenizer>(kind, std::move(vocab))) {}

Tokenizer::Tokenizer(std::shared_ptr<const TokenizerImpl> impl) : m_impl(std::move(impl)) {
    if (!m_impl) throw Error("tokenizer: no implementation");
}

Tokenizer Tokenizer::build(Kind kind, std::string_view corpus, const std::vector<std::string>& extra) {
    if (kind != Kind::Char && kind != Kind::Word) throw Error("only a char or word vocabulary is built from a corpus");
    std::unordered_set<std::string_view> seen;  // views into the corpus: memory grows with the vocabulary only
    forEachPiece(kind, corpus, [&](std::string_view p) { seen.insert(p); });
    const std::set<std::string> distinct(seen.begin(), seen.end());
    std::vector<std::string> vocab = extra;
    for (const auto& p : distinct)
        if (std::find(extra.begin(), extra.end(), p) == extra.end()) vocab.push_back(p);
    return Tokenizer(kind, std::move(vocab));
}

Tokenizer::Kind Tokenizer::kind() const { return m_impl->kind(); }

std::string Tokenizer::kindName() const { return tokenizerKindName(kind()); }

std::string tokenizerKindName(Tokenizer::Kind kind) {
    using Kind = Tokenizer::Kind;
    switch (kind) {
    case Kind::Char: return "char";
    case Kind::Word: return "word";
    case Kind::Gpt2Bpe: return "gpt2-bpe";
    case Kind::LlamaBpe: return "llama2c-bpe";
    }
    return "?";
}

const std::vector<std::string>& Tokenizer::vocab() const { return m_impl->vocab(); }
int Tokenizer::id(std::string_view piece) const { return m_impl->id(piece); }
std::vector<std::string> Tokenizer::split(std::string_view text) const { return m_impl->split(text); }
Tokenizer::Encoded Tokenizer::encode(std::string_view text) const { return m_impl->encode(text); }
Tokenizer::Trace Tokenizer::trace(std::string_view text) const { return m_impl->trace(text); }
std::string Tokenizer::decode(std::span<const int> ids) const { return m_impl->decode(ids); }
std::string Tokenizer::decodeText(std::span<const int> ids) const { return utf8::escapeInvalid(decode(ids)); }
std::string Tokenizer::display(int id) const { return m_impl->display(id); }
std::string Tokenizer::toJson() const { return m_impl->toJson(); }

Tokens Tokenizer::encodeStrict(std::string_view text, const std::string& what) const {
    if (kind() == Kind::Char || kind() == Kind::Word) {
        // Fast path (a whole corpus): ids only, 4 bytes per token. On any problem, encode() below names it.
        try {
            Tokens ids;
            bool ok = true;
            forEachPiece(kind(), text, [&](std::string_view p) {
                const int k = ok ? id(p) : -1;
                ok = ok && k >= 0;
                if (ok) ids.push_back(k);
            });
            if (ok) return ids;
        } catch (const Error&) {
        }
    }
    Encoded e;
    try {
        e = encode(text);
    } catch (const Error& err) {
        throw Error(what + ": " + err.what());
    }
    if (e.ok()) return e.ids;
    std::string msg = what + ": ";
    const char* unit = m_impl->unitName();
    for (size_t k = 0; k < e.unknown.size(); ++k) {
        if (k) msg += ", ";
        if (k == 8) { msg += "and " + std::to_string(e.unknown.size() - 8) + " more"; break; }
        const size_t i = e.unknown[k];
        msg += "'" + utf8::escapeInvalid(e.pieces[i]) + "' (" + unit + " " + std::to_string(i + 1) + ")";
    }
    msg += e.unknown.size() == 1 ? " is not in the model's vocabulary" : " are not in the model's vocabulary";
    throw Error(msg);
}

Tokenizer Tokenizer::fromJson(std::string_view text) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw Error("tokenizer metadata is not a JSON object");
    if (!j.contains("kind") || !j["kind"].is_string()) throw Error("tokenizer metadata has no 'kind'");
    const std::string kind = j["kind"];
    if (kind != "char" && kind != "word") throw Error("tokenizer kind '" + kind + "' is not 'char' or 'word'");
    if (!j.contains("vocab") || !j["vocab"].is_array() || j["vocab"].empty())
        throw Error("tokenizer metadata has no vocabulary");
    std::vector<std::string> vocab;
    for (const auto& t : j["vocab"]) {
        if (!t.is_string()) throw Error("tokenizer vocabulary holds a non-string entry");
        if (t.get_ref<const std::string&>().empty()) throw Error("tokenizer vocabulary has an empty token");
        vocab.push_back(t.get<std::string>());
    }
    return Tokenizer(kind == "char" ? Kind::Char : Kind::Word, std::move(vocab));
}

}  // namespace ar
