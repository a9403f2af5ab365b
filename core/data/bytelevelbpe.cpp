// GPT-2 byte-level BPE: the bytes-to-unicode table, the PCRE2 pre-tokenizer, merges by rank, file readers.
#include "core/data/bytelevelbpe.h"

#include "core/data/utf8.h"
#include "core/error.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <unordered_map>

namespace ar {

// --- bytes-to-unicode --------------------------------------------------------------------------------

namespace {
// Printable Latin-1 bytes stand for themselves; the other 68 bytes take the code points 256, 257, ... in
// byte order.
struct ByteTable {
    std::array<char32_t, 256> toCode{};
    std::unordered_map<char32_t, unsigned char> toByte;
    ByteTable() {
        const auto kept = [](int b) { return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF); };
        char32_t next = 256;
        for (int b = 0; b < 256; ++b) {
            toCode[size_t(b)] = kept(b) ? char32_t(b) : next++;
            toByte[toCode[size_t(b)]] = static_cast<unsigned char>(b);
        }
    }
};
const ByteTable& byteTable() {
    static const ByteTable t;
    return t;
}

void appendUtf8(std::string& out, char32_t c) {
    if (c < 0x80) out += char(c);
    else if (c < 0x800) { out += char(0xC0 | (c >> 6)); out += char(0x80 | (c & 0x3F)); }
    else if (c < 0x10000) { out += char(0xE0 | (c >> 12)); out += char(0x80 | ((c >> 6) & 0x3F)); out += char(0x80 | (c & 0x3F)); }
    else { out += char(0xF0 | (c >> 18)); out += char(0x80 | ((c >> 12) & 0x3F)); out += char(0x80 | ((c >> 6) & 0x3F)); out += char(0x80 | (c & 0x3F)); }
}

char32_t codePoint(const std::string& ch) {  // one valid UTF-8 character
    const auto b = [&](size_t i) { return char32_t(static_cast<unsigned char>(ch[i])); };
    if (ch.size() == 1) return b(0);
    if (ch.size() == 2) return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    if (ch.size() == 3) return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
}

std::string hexCode(char32_t c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", unsigned(c));
    return buf;
}
}  // namespace

char32_t gpt2ByteToUnicode(unsigned char byte) { return byteTable().toCode[byte]; }

std::string gpt2TokenBytes(std::string_view fileToken) {
    std::string out;
    for (const std::string& ch : utf8::splitChars(fileToken)) {
        const char32_t c = codePoint(ch);
        auto it = byteTable().toByte.find(c);
        if (it == byteTable().toByte.end())
            throw Error("the character " + hexCode(c) + " ('" + ch + "') is not in GPT-2's byte alphabet");
        out += char(it->second);
    }
    return out;
}

std::string gpt2FileToken(std::string_view bytes) {
    std::string out;
    for (char b : bytes) appendUtf8(out, gpt2ByteToUnicode(static_cast<unsigned char>(b)));
    return out;
}

// --- pre-tokenizer -----------------------------------------------------------------------------------

namespace {
class Gpt2Pattern {
public:
    Gpt2Pattern() {
        static const char* pattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
        int err = 0;
        PCRE2_SIZE at = 0;
        m_code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern), PCRE2_ZERO_TERMINATED,
                               PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &err, &at, nullptr);
        if (!m_code) throw Error("GPT-2 pre-tokenizer: PCRE2 cannot compile the pattern (error " + std::to_string(err) + ")");
        pcre2_jit_compile(m_code, PCRE2_JIT_COMPLETE);  // optional: the interpreter gives the same matches
    }
    ~Gpt2Pattern() { pcre2_code_free(m_code); }
    Gpt2Pattern(const Gpt2Pattern&) = delete;
    Gpt2Pattern& operator=(const Gpt2Pattern&) = delete;

    // Matches and the runs of invalid UTF-8 between them, in order; together they are the whole text.
    std::vector<std::string> split(std::string_view text) const {
        std::vector<std::string> out;
        pcre2_match_data* md = pcre2_match_data_create_from_pattern(m_code, nullptr);
        const auto subject = reinterpret_cast<PCRE2_SPTR>(text.data());
        size_t offset = 0;
        while (offset < text.size()) {
            const int rc = pcre2_match(m_code, subject, text.size(), offset, 0, md, nullptr);
            if (rc == PCRE2_ERROR_NOMATCH) {
                out.emplace_back(text.substr(offset));  // only invalid bytes are left
                break;
            }
            if (rc < 0) {
                pcre2_match_data_free(md);
                PCRE2_UCHAR msg[256];
                pcre2_get_error_message(rc, msg, sizeof msg);
                throw Error("GPT-2 pre-tokenizer failed at byte " + std::to_string(offset) + ": " +
                            reinterpret_cast<const char*>(msg));
            }
            const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
            if (ov[0] > offset) out.emplace_back(text.substr(offset, ov[0] - offset));  // invalid bytes
            if (ov[1] <= ov[0]) {  // cannot happen with this pattern; never loop forever
                pcre2_match_data_free(md);
                throw Error("GPT-2 pre-tokenizer: empty match at byte " + std::to_string(ov[0]));
            }
            out.emplace_back(text.substr(ov[0], ov[1] - ov[0]));
            offset = ov[1];
        }
        pcre2_match_data_free(md);
        return out;
    }

private:
    pcre2_code* m_code = nullptr;
};
}  // namespace

std::vector<std::string> gpt2PreTokenize(std::string_view text) {
    static const Gpt2Pattern pattern;
    return pattern.split(text);
}

// --- the tokenizer -----------------------------------------------------------------------------------

namespace {
class ByteLevelBpe final : public TokenizerImpl {
public:
    struct Rule { int rank; int result; };

    // vocab: bytes per id. merges: pairs of ids in rank order (already checked against the vocabulary).
    ByteLevelBpe(std::vector<std::string> vocab, const std::vector<std::pair<int, int>>& merges,
                 std::vector<int> specials, const std::string& label) {
        setVocab(std::move(vocab));
        for (int b = 0; b < 256; ++b) {
            m_byteId[size_t(b)] = id(std::string(1, char(b)));
            if (m_byteId[size_t(b)] < 0) {
                char hex[8];
                std::snprintf(hex, sizeof hex, "%02X", b);
                throw Error(label + ": has no token for the byte 0x" + std::string(hex) + " ('" +
                            gpt2FileToken(std::string(1, char(b))) + "'); byte-level BPE needs all 256");
            }
        }
        for (size_t r = 0; r < merges.size(); ++r) {
            const auto [a, b] = merges[r];
            const int result = id(m_vocab[size_t(a)] + m_vocab[size_t(b)]);
            m_rules.emplace(key(a, b), Rule{int(r), result});  // a repeated pair keeps its first (lowest) rank
        }
        m_specials = std::move(specials);
    }
    Tokenizer::Kind kind() const override { return Tokenizer::Kind::Gpt2Bpe; }
    const char* unitName() const override { return "byte"; }

    std::vector<std::string> split(std::string_view text) const override {
        std::vector<std::string> out;
        for (const auto& [piece, special] : cutSpecials(text)) {
            if (special >= 0) out.emplace_back(piece);
            else for (auto& p : gpt2PreTokenize(piece)) out.push_back(std::move(p));
        }
        return out;
    }

    Tokenizer::Trace trace(std::string_view text) const override {
        Tokenizer::Trace t;
        for (const auto& [piece, special] : cutSpecials(text)) {
            if (special >= 0) {
                t.pretokens.emplace_back(piece);
                t.initial.push_back({special});
                t.ids.push_back(special);
                continue;
            }
            for (auto& p : gpt2PreTokenize(piece)) {
                const int index = int(t.pretokens.size());
                Tokens sym;
                for (char c : p) sym.push_back(m_byteId[static_cast<unsigned char>(c)]);
                t.initial.push_back(sym);
                t.pretokens.push_back(std::move(p));
                merge(sym, index, t.merges);
                t.ids.insert(t.ids.end(), sym.begin(), sym.end());
            }
        }
        return t;
    }

private:
    static uint64_t key(int a, int b) { return (uint64_t(uint32_t(a)) << 32) | uint32_t(b); }

    // The lowest-ranked pair, merged at every occurrence left to right, until no adjacent pair has a rank.
    void merge(Tokens& sym, int pretoken, std::vector<Tokenizer::Merge>& log) const {
        while (sym.size() > 1) {
            const Rule* best = nullptr;
            int a = -1, b = -1;
            for (size_t i = 0; i + 1 < sym.size(); ++i) {
                auto it = m_rules.find(key(sym[i], sym[i + 1]));
                if (it != m_rules.end() && (!best || it->second.rank < best->rank)) {
                    best = &it->second;
                    a = sym[i];
                    b = sym[i + 1];
                }
            }
            if (!best) return;
            for (size_t i = 0; i + 1 < sym.size(); ++i) {
                if (sym[i] != a || sym[i + 1] != b) continue;
                log.push_back({pretoken, int(i), a, b, best->result, double(best->rank)});
                sym[i] = best->result;
                sym.erase(sym.begin() + std::ptrdiff_t(i) + 1);
            }
        }
    }

    // The text cut at every special token: (piece, special id or -1).
    std::vector<std::pair<std::string_view, int>> cutSpecials(std::string_view text) const {
        std::vector<std::pair<std::string_view, int>> out;
        size_t start = 0, i = 0;
        while (i < text.size()) {
            int hit = -1;
            for (int s : m_specials)
                if (text.substr(i).starts_with(m_vocab[size_t(s)]) && (hit < 0 || m_vocab[size_t(s)].size() > m_vocab[size_t(hit)].size()))
                    hit = s;
            if (hit < 0) { ++i; continue; }
            if (i > start) out.emplace_back(text.substr(start, i - start), -1);
            out.emplace_back(text.substr(i, m_vocab[size_t(hit)].size()), hit);
            i += m_vocab[size_t(hit)].size();
            start = i;
        }
        if (start < text.size()) out.emplace_back(text.substr(start), -1);
        return out;
    }

    std::array<int, 256> m_byteId{};
    std::unordered_map<uint64_t, Rule> m_rules;
    std::vector<int> m_specials;  // ids of tokens cut out of the text as a whole ("<|endoftext|>")
};

using nlohmann::json;

// vocab object {"token": id} (+ `extra` tokens kept as they are written) -> bytes per id; the ids must be
// 0..N-1, each once.
std::vector<std::string> readVocab(const json& obj, const std::string& label,
                                   const std::vector<std::pair<std::string, int>>& extra = {}) {
    if (!obj.is_object() || obj.empty()) throw Error(label + ": the vocabulary is not a non-empty JSON object of token -> id");
    if (obj.size() > 10'000'000) throw Error(label + ": " + std::to_string(obj.size()) + " tokens is more than a tokenizer can have");
    std::vector<std::string> vocab(obj.size() + extra.size());
    std::vector<bool> seen(vocab.size(), false);
    const auto place = [&](const std::string& shown, long long k, std::string bytes) {
        if (k < 0 || k >= (long long)vocab.size())
            throw Error(label + ": token '" + shown + "' has id " + std::to_string(k) + ", outside 0.." +
                        std::to_string(vocab.size() - 1) + " (the ids must be 0..N-1 for N tokens)");
        if (seen[size_t(k)]) throw Error(label + ": id " + std::to_string(k) + " is given to two tokens");
        seen[size_t(k)] = true;
        vocab[size_t(k)] = std::move(bytes);
    };
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        if (!it.value().is_number_integer()) throw Error(label + ": the id of token '" + it.key() + "' is not an integer");
        std::string bytes;
        try {
            bytes = gpt2TokenBytes(it.key());
        } catch (const Error& e) {
            throw Error(label + ": token '" + it.key() + "' (id " + it.value().dump() + "): " + e.what());
        }
        place(it.key(), it.value().get<long long>(), std::move(bytes));
    }
    for (const auto& [content, k] : extra) place(content, k, content);
    return vocab;
}

// One merge "a b" -> the pair of ids; names the line and the unknown token.
std::pair<int, int> mergePair(const std::string& a, const std::string& b, const std::unordered_map<std::string, int>& index,
                              const std::string& where, const std::string& vocabLabel) {
    const auto find = [&](const std::string& fileTok) {
        auto it = index.find(fileTok);
        if (it == index.end()) throw Error(where + ": '" + fileTok + "' is not in " + vocabLabel);
        return it->second;
    };
    const int ia = find(a), ib = find(b);
    if (!index.count(a + b)) throw Error(where + ": the merge result '" + a + b + "' is not in " + vocabLabel);
    return {ia, ib};
}

std::unordered_map<std::string, int> fileIndex(const json& obj) {
    std::unordered_map<std::string, int> index;
    for (auto it = obj.begin(); it != obj.end(); ++it) index.emplace(it.key(), it.value().get<int>());
    return index;
}

json parseJson(std::string_view text, const std::string& label) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) throw Error(label + ": is not valid JSON (truncated or not a tokenizer file)");
    return j;
}
}  // namespace

Tokenizer gpt2TokenizerFromVocabMerges(std::string_view vocabJson, std::string_view mergesTxt,
                                       const std::string& vocabLabel, const std::string& mergesLabel) {
    const json obj = parseJson(vocabJson, vocabLabel);
    std::vector<std::string> vocab = readVocab(obj, vocabLabel);
    const auto index = fileIndex(obj);
    if (auto bad = utf8::firstInvalid(mergesTxt))
        throw Error(mergesLabel + ": invalid UTF-8 at byte offset " + std::to_string(*bad));
    std::vector<std::pair<int, int>> merges;
    size_t pos = 0;
    for (int line = 1; pos < mergesTxt.size(); ++line) {
        size_t end = mergesTxt.find('\n', pos);
        if (end == std::string_view::npos) end = mergesTxt.size();
        std::string_view l = mergesTxt.substr(pos, end - pos);
        pos = end + 1;
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        if (l.empty() || (line == 1 && l.starts_with("#version"))) continue;
        const size_t sp = l.find(' ');
        if (sp == std::string_view::npos || sp == 0 || sp + 1 >= l.size() || l.find(' ', sp + 1) != std::string_view::npos)
            throw Error(mergesLabel + " line " + std::to_string(line) + ": expected two tokens separated by one space, got '" +
                        std::string(l) + "'");
        merges.push_back(mergePair(std::string(l.substr(0, sp)), std::string(l.substr(sp + 1)), index,
                                   mergesLabel + " line " + std::to_string(line), vocabLabel));
    }
    std::vector<int> specials;
    if (auto it = index.find("<|endoftext|>"); it != index.end()) specials.push_back(it->second);
    return Tokenizer(std::make_shared<ByteLevelBpe>(std::move(vocab), merges, std::move(specials), vocabLabel));
}

Tokenizer gpt2TokenizerFromTokenizerJson(std::string_view text, const std::string& label) {
    const json j = parseJson(text, label);
    if (!j.is_object() || !j.contains("model") || !j["model"].is_object()) throw Error(label + ": has no 'model' object");
    const json& model = j["model"];
    if (model.contains("type") && model["type"] != "BPE")
        throw Error(label + ": the model type is " + model["type"].dump() + ", not BPE (GPT-2 uses byte-level BPE)");
    if (!model.contains("vocab")) throw Error(label + ": has no model.vocab");
    if (!model.contains("merges") || !model["merges"].is_array()) throw Error(label + ": has no model.merges list");
    const json& vocabObj = model["vocab"];
    if (!vocabObj.is_object()) throw Error(label + ": model.vocab is not an object of token -> id");
    // Added tokens outside model.vocab (e.g. a fine-tune's "<|pad|>") join the vocabulary as they are written.
    std::vector<std::pair<std::string, int>> added, extra;
    if (j.contains("added_tokens") && j["added_tokens"].is_array())
        for (const json& a : j["added_tokens"]) {
            if (!a.is_object() || !a.contains("content") || !a.contains("id") || !a["content"].is_string() ||
                !a["id"].is_number_integer())
                throw Error(label + ": an added_tokens entry has no string 'content' and integer 'id'");
            const std::string content = a["content"].get<std::string>();
            const int k = a["id"].get<int>();
            added.emplace_back(content, k);
            auto it = vocabObj.find(content);
            if (it == vocabObj.end()) extra.emplace_back(content, k);
            else if (*it != k)
                throw Error(label + ": added token '" + content + "' has id " + std::to_string(k) + " but model.vocab says " + it->dump());
        }
    std::vector<std::string> vocab = readVocab(vocabObj, label, extra);
    const auto index = fileIndex(vocabObj);
    std::vector<std::pair<int, int>> merges;
    int n = 0;
    for (const json& m : model["merges"]) {
        ++n;
        std::string a, b;
        if (m.is_string()) {
            const std::string s = m.get<std::string>();
            const size_t sp = s.find(' ');
            if (sp == std::string::npos || s.find(' ', sp + 1) != std::string::npos)
                throw Error(label + ": merge " + std::to_string(n) + " '" + s + "' is not two tokens separated by one space");
            a = s.substr(0, sp);
            b = s.substr(sp + 1);
        } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
            a = m[0].get<std::string>();
            b = m[1].get<std::string>();
        } else {
            throw Error(label + ": merge " + std::to_string(n) + " is neither \"a b\" nor [\"a\", \"b\"]");
        }
        merges.push_back(mergePair(a, b, index, label + " merge " + std::to_string(n), "model.vocab"));
    }
    std::vector<int> specials;
    for (const auto& [content, k] : added) specials.push_back(k);
    if (auto it = index.find("<|endoftext|>"); it != index.end() &&
        std::find(specials.begin(), specials.end(), it->second) == specials.end())
        specials.push_back(it->second);
    return Tokenizer(std::make_shared<ByteLevelBpe>(std::move(vocab), merges, std::move(specials), label));
}

}  // namespace ar
