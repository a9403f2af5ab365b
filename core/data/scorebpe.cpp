// llama2.c's score BPE with byte fallback: tokenizer.bin reader and writer, run.c's encode and decode.
#include "core/data/scorebpe.h"

#include "core/data/utf8.h"
#include "core/error.h"
#include "core/io/readfile.h"

#include <cmath>
#include <cstring>

namespace ar {

namespace {
std::string byteToken(unsigned char b) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "<0x%02X>", b);
    return buf;
}

class ScoreBpe final : public TokenizerImpl {
public:
    ScoreBpe(std::vector<std::string> pieces, std::vector<float> scores) : m_scores(std::move(scores)) {
        setVocab(std::move(pieces), true);  // SentencePiece vocabularies may repeat a piece: the first id wins
        for (int b = 0; b < 256; ++b) m_byteId[size_t(b)] = id(byteToken(static_cast<unsigned char>(b)));
        m_space = id(" ");
    }
    Tokenizer::Kind kind() const override { return Tokenizer::Kind::LlamaBpe; }
    const char* unitName() const override { return "byte"; }
    const std::vector<float>& scores() const { return m_scores; }

    std::vector<std::string> split(std::string_view text) const override {
        if (text.empty()) return {};
        return {" " + std::string(text)};  // no pre-tokenizer: one piece with the dummy prefix
    }

    Tokenizer::Trace trace(std::string_view text) const override {
        Tokenizer::Trace t;
        if (text.empty()) return t;
        t.pretokens = split(text);
        Tokens sym{m_space};  // -1 (unknown) when the vocabulary has no " "
        // run.c's grouping: a byte that is not a continuation byte starts a character; up to 4 bytes.
        std::string ch;
        for (size_t i = 0; i < text.size(); ++i) {
            const auto c = static_cast<unsigned char>(text[i]);
            if ((c & 0xC0) != 0x80) ch.clear();
            ch += char(c);
            const bool more = i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80;
            if (more && ch.size() < 4) continue;
            const int k = id(ch);
            if (k >= 0) sym.push_back(k);
            else for (char b : ch) sym.push_back(m_byteId[static_cast<unsigned char>(b)]);
            ch.clear();
        }
        t.initial.push_back(sym);
        // Best-scoring pair first. Each pair's merge (id, score) is cached and only the two neighbours of a
        // merge are looked up again, which gives run.c's result in O(n) lookups per merge instead of O(n).
        std::vector<int> pairId(sym.size(), -1);
        const auto lookup = [&](size_t i) {
            pairId[i] = (i + 1 < sym.size() && sym[i] >= 0 && sym[i + 1] >= 0)
                            ? id(m_vocab[size_t(sym[i])] + m_vocab[size_t(sym[i + 1])]) : -1;
        };
        for (size_t i = 0; i + 1 < sym.size(); ++i) lookup(i);
        while (sym.size() > 1) {
            int best = -1;
            float bestScore = -1e10f;
            for (size_t i = 0; i + 1 < sym.size(); ++i)
                if (pairId[i] >= 0 && m_scores[size_t(pairId[i])] > bestScore) {
                    bestScore = m_scores[size_t(pairId[i])];
                    best = int(i);
                }
            if (best < 0) break;
            const size_t i = size_t(best);
            t.merges.push_back({0, best, sym[i], sym[i + 1], pairId[i], double(bestScore)});
            sym[i] = pairId[i];
            sym.erase(sym.begin() + std::ptrdiff_t(i) + 1);
            pairId.erase(pairId.begin() + std::ptrdiff_t(i) + 1);
            lookup(i);
            if (i > 0) lookup(i - 1);
        }
        t.ids = std::move(sym);
        return t;
    }

    std::string decode(std::span<const int> ids) const override {
        std::string out;
        for (size_t i = 0; i < ids.size(); ++i) {
            const int k = ids[i];
            if (k < 0 || k >= int(m_vocab.size())) { out += "?"; continue; }
            if (k == 1 || k == 2) continue;  // BOS and EOS mark the text's ends: no text of their own
            std::string_view piece = m_vocab[size_t(k)];
            if (i > 0 && ids[i - 1] == 1 && piece.starts_with(' ')) piece.remove_prefix(1);
            unsigned b = 0;
            if (piece.size() == 6 && std::sscanf(std::string(piece).c_str(), "<0x%02X>", &b) == 1) out += char(b);
            else out += piece;
        }
        return out;
    }
    std::string display(int k) const override {
        if (k < 0 || k >= int(m_vocab.size())) return "?";
        const std::string& p = m_vocab[size_t(k)];
        if (k <= 2 && p.find('<') != std::string::npos) {  // "<unk>", "\n<s>\n", "\n</s>\n": shown bare
            const size_t a = p.find('<'), b = p.rfind('>');
            return p.substr(a, b - a + 1);
        }
        return visibleToken(p, true);
    }

private:
    std::vector<float> m_scores;
    std::array<int, 256> m_byteId{};
    int m_space = -1;
};

struct Reader {
    std::string_view bytes;
    size_t pos = 0;
    bool has(size_t n) const { return bytes.size() - pos >= n; }
    template <class T> T get() {
        T v;
        std::memcpy(&v, bytes.data() + pos, sizeof v);
        pos += sizeof v;
        return v;
    }
};
}  // namespace

Tokenizer parseLlamaTokenizer(std::string_view bytes, int vocabSize, const std::string& label) {
    if (vocabSize < 3) throw Error(label + ": the model's vocabulary of " + std::to_string(vocabSize) + " tokens is too small");
    Reader r{bytes};
    if (!r.has(4)) throw Error(label + ": the file is " + std::to_string(bytes.size()) + " bytes, too short for a tokenizer.bin");
    const int32_t maxLen = r.get<int32_t>();
    if (maxLen < 1 || maxLen > 65536)
        throw Error(label + ": max_token_length " + std::to_string(maxLen) + " is outside 1..65536 (not a llama2.c tokenizer.bin?)");
    std::vector<std::string> pieces;
    std::vector<float> scores;
    pieces.reserve(size_t(vocabSize));
    scores.reserve(size_t(vocabSize));
    for (int i = 0; i < vocabSize; ++i) {
        if (!r.has(8))
            throw Error(label + ": the file ends at token " + std::to_string(i) + " of the checkpoint's " +
                        std::to_string(vocabSize) + " (truncated, or made for a model with a smaller vocabulary)");
        const float score = r.get<float>();
        const int32_t len = r.get<int32_t>();
        if (len < 0 || len > maxLen)
            throw Error(label + ": token " + std::to_string(i) + " has length " + std::to_string(len) +
                        ", outside 0.." + std::to_string(maxLen) + " (max_token_length)");
        if (!r.has(size_t(len)))
            throw Error(label + ": the file ends inside token " + std::to_string(i) + " (truncated)");
        if (!std::isfinite(score)) throw Error(label + ": token " + std::to_string(i) + " has a score that is not a finite number");
        pieces.emplace_back(bytes.substr(r.pos, size_t(len)));
        r.pos += size_t(len);
        scores.push_back(score);
    }
    if (r.pos != bytes.size())
        throw Error(label + ": " + std::to_string(bytes.size() - r.pos) + " bytes are left after the checkpoint's " +
                    std::to_string(vocabSize) + " tokens: the vocabulary size does not match (a tokenizer for another model?)");
    return Tokenizer(std::make_shared<ScoreBpe>(std::move(pieces), std::move(scores)));
}

Tokenizer readLlamaTokenizer(const std::string& path, int vocabSize) {
    const std::string label = "tokenizer '" + path + "'";
    // A token costs at least 8 bytes of header, at most 8 + max_token_length (65536) bytes.
    const std::string bytes = readFileLimited(path, 4 + uint64_t(std::max(vocabSize, 0)) * (8 + 65536), label);
    return parseLlamaTokenizer(bytes, vocabSize, label);
}

std::string llamaTokenizerBytes(const std::vector<std::string>& pieces, const std::vector<float>& scores) {
    if (pieces.size() != scores.size()) throw Error("llamaTokenizerBytes: one score per piece");
    int32_t maxLen = 1;
    for (const auto& p : pieces) maxLen = std::max(maxLen, int32_t(p.size()));
    std::string out;
    const auto put = [&](const void* p, size_t n) { out.append(static_cast<const char*>(p), n); };
    put(&maxLen, 4);
    for (size_t i = 0; i < pieces.size(); ++i) {
        const int32_t len = int32_t(pieces[i].size());
        put(&scores[i], 4);
        put(&len, 4);
        out += pieces[i];
    }
    return out;
}

std::vector<float> llamaTokenScores(const Tokenizer& tok) {
    const auto* s = dynamic_cast<const ScoreBpe*>(&tok.impl());
    return s ? s->scores() : std::vector<float>{};
}

}  // namespace ar
