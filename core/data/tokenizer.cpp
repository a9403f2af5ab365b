#include "core/data/tokenizer.h"

#include "core/data/utf8.h"
#include "core/error.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_set>

namespace ar {

Tokenizer::Tokenizer(Kind kind, std::vector<std::string> vocab) : m_kind(kind), m_vocab(std::move(vocab)) {
    for (size_t i = 0; i < m_vocab.size(); ++i) {
        if (!m_index.emplace(m_vocab[i], int(i)).second)
            throw Error("vocabulary has the token '" + m_vocab[i] + "' twice");
    }
}

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
}  // namespace

std::vector<std::string> Tokenizer::split(std::string_view text) const {
    std::vector<std::string> pieces;
    forEachPiece(m_kind, text, [&](std::string_view p) { pieces.emplace_back(p); });
    return pieces;
}

Tokenizer Tokenizer::build(Kind kind, std::string_view corpus, const std::vector<std::string>& extra) {
    std::unordered_set<std::string_view> seen;  // views into the corpus: memory grows with the vocabulary only
    forEachPiece(kind, corpus, [&](std::string_view p) { seen.insert(p); });
    const std::set<std::string> distinct(seen.begin(), seen.end());
    std::vector<std::string> vocab = extra;
    for (const auto& p : distinct)
        if (std::find(extra.begin(), extra.end(), p) == extra.end()) vocab.push_back(p);
    return Tokenizer(kind, std::move(vocab));
}

int Tokenizer::id(std::string_view piece) const {
    auto it = m_index.find(std::string(piece));
    return it == m_index.end() ? -1 : it->second;
}

Tokenizer::Encoded Tokenizer::encode(std::string_view text) const {
    Encoded e;
    e.pieces = split(text);
    for (size_t i = 0; i < e.pieces.size(); ++i) {
        const int k = id(e.pieces[i]);
        e.ids.push_back(k);
        if (k < 0) e.unknown.push_back(i);
    }
    return e;
}

Tokens Tokenizer::encodeStrict(std::string_view text, const std::string& what) const {
    // Fast path (a whole corpus): ids only, 4 bytes per token. On any problem, encode() below names it.
    try {
        Tokens ids;
        bool ok = true;
        forEachPiece(m_kind, text, [&](std::string_view p) {
            const int k = ok ? id(p) : -1;
            ok = ok && k >= 0;
            if (ok) ids.push_back(k);
        });
        if (ok) return ids;
    } catch (const Error&) {
    }
    Encoded e;
    try {
        e = encode(text);
    } catch (const Error& err) {
        throw Error(what + ": " + err.what());
    }
    if (e.ok()) return e.ids;
    std::string msg = what + ": ";
    const char* unit = m_kind == Kind::Char ? "character" : "word";
    for (size_t k = 0; k < e.unknown.size(); ++k) {
        if (k) msg += ", ";
        if (k == 8) { msg += "and " + std::to_string(e.unknown.size() - 8) + " more"; break; }
        const size_t i = e.unknown[k];
        msg += "'" + e.pieces[i] + "' (" + unit + " " + std::to_string(i + 1) + ")";
    }
    msg += e.unknown.size() == 1 ? " is not in the model's vocabulary" : " are not in the model's vocabulary";
    throw Error(msg);
}

std::string Tokenizer::decode(std::span<const int> ids) const {
    std::string out;
    for (size_t i = 0; i < ids.size(); ++i) {
        if (m_kind == Kind::Word && i) out += ' ';
        out += (ids[i] >= 0 && ids[i] < size()) ? m_vocab[size_t(ids[i])] : std::string("?");
    }
    return out;
}

std::string Tokenizer::display(int id) const {
    if (id < 0 || id >= size()) return "?";
    const std::string& t = m_vocab[size_t(id)];
    if (t == "\n") return "\u23CE";
    if (t == " ") return "\u2423";
    if (t == "\t") return "\u21E5";
    return t;
}

std::string Tokenizer::toJson() const {
    nlohmann::json j;
    j["kind"] = m_kind == Kind::Char ? "char" : "word";
    j["vocab"] = m_vocab;
    return j.dump();
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
