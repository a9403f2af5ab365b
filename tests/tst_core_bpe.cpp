// The BPE tokenizers of real models: GPT-2's byte-level BPE (a small vocabulary the test writes in the
// vocab.json + merges.txt and tokenizer.json formats, plus hand-checked pre-tokenizer cases) and llama2.c's
// score BPE (a tiny tokenizer.bin). encode -> decode is the identity on bytes; bad files get specific errors.
#include "core/data/bytelevelbpe.h"
#include "core/data/tokentrace.h"
#include "core/data/scorebpe.h"
#include "core/data/utf8.h"
#include "core/error.h"
#include "core/random.h"
#include "realmodelfiles.h"
#include "testutil.h"

#include <QtTest>
#include <nlohmann/json.hpp>
#include <set>

using namespace ar;
using namespace std::string_literals;

namespace {
using testutil::errorOf;

using Gpt2Files = realfiles::Gpt2TokenizerFiles;
Gpt2Files gpt2Files(bool pairsInJson = false) { return realfiles::gpt2TokenizerFiles(pairsInJson); }
Tokenizer gpt2Small() { return realfiles::gpt2SmallTokenizer(); }
std::vector<std::string> tokensOf(const Tokenizer& tok, const std::string& text) {
    std::vector<std::string> out;
    for (int k : tok.encode(text).ids) out.push_back(gpt2FileToken(tok.token(k)));
    return out;
}
QStringList qs(const std::vector<std::string>& v) {
    QStringList out;
    for (const auto& s : v) out << QString::fromStdString(utf8::escapeInvalid(s));
    return out;
}
}  // namespace

class TestBpe : public QObject {
    Q_OBJECT
private slots:
    void byteAlphabet();
    void preTokenizer_data();
    void preTokenizer();
    void mergesByRank_data();
    void mergesByRank();
    void endOfTextIsOneToken();
    void tokenizerJsonAgrees();
    void roundTripIsIdentityOnBytes();
    void invalidUtf8IsShownNotDropped();
    void traceReplaysToTheIds();
    void traceSymbolsAfter();
    void gpt2BadFiles_data();
    void gpt2BadFiles();

    void llamaEncode_data();
    void llamaEncode();
    void llamaDecodeAndRoundTrip();
    void llamaBadFiles_data();
    void llamaBadFiles();
};

// Hand-checked against GPT-2's published table: space is Ġ, newline Ċ, 0xAD Ń, 我 = E6 88 91 = æĪĳ.
void TestBpe::byteAlphabet() {
    QCOMPARE(uint(gpt2ByteToUnicode(' ')), 0x120u);
    QCOMPARE(uint(gpt2ByteToUnicode('\n')), 0x10Au);
    QCOMPARE(uint(gpt2ByteToUnicode(0xAD)), 0x143u);
    QCOMPARE(uint(gpt2ByteToUnicode('A')), uint('A'));
    QCOMPARE(uint(gpt2ByteToUnicode(0xE6)), 0xE6u);
    QCOMPARE(QString::fromStdString(gpt2FileToken("我")), QString::fromUtf8("æĪĳ"));
    QCOMPARE(gpt2TokenBytes("æĪĳ"), std::string("我"));
    std::set<char32_t> seen;
    for (int b = 0; b < 256; ++b) seen.insert(gpt2ByteToUnicode(static_cast<unsigned char>(b)));
    QCOMPARE(int(seen.size()), 256);
    QVERIFY(errorOf([] { gpt2TokenBytes("€"); }).contains("U+20AC"));
}

void TestBpe::preTokenizer_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QStringList>("pieces");
    const auto row = [](const char* name, const char* text, QStringList pieces) {
        QTest::newRow(name) << QByteArray(text) << pieces;
    };
    row("words", "Hello world", {"Hello", " world"});
    row("contractions", "I'm you're they've she'll we'd it's don't",
        {"I", "'m", " you", "'re", " they", "'ve", " she", "'ll", " we", "'d", " it", "'s", " don", "'t"});
    row("contraction is case sensitive", "IT'S", {"IT", "'", "S"});
    row("numbers", "in 2024, 3.14", {"in", " 2024", ",", " 3", ".", "14"});
    row("letters then digits", "abc123", {"abc", "123"});
    row("superscript is a number", "x\xC2\xB2", {"x", "\xC2\xB2"});
    row("run of spaces", "a   b", {"a", "  ", " b"});
    row("leading spaces", "  x", {" ", " x"});
    row("trailing spaces", "x  ", {"x", "  "});
    row("newlines", "\n\nHello", {"\n", "\n", "Hello"});
    row("punctuation", "Wait?! ...", {"Wait", "?!", " ..."});
    row("cjk", "\xE6\x88\x91\xE7\x88\xB1\xE4\xBD\xA0 \xE4\xB8\xAD\xE6\x96\x87", {"我爱你", " 中文"});
    row("emoji", "hi \xF0\x9F\x98\x80\xF0\x9F\x98\x80!", {"hi", " 😀😀!"});
    row("invalid utf-8 runs", "ab\xFF\xFE" "cd \xE6\x88", {"ab", "\\xFF\\xFE", "cd", " ", "\\xE6\\x88"});
}

void TestBpe::preTokenizer() {
    QFETCH(QByteArray, text);
    QFETCH(QStringList, pieces);
    QCOMPARE(qs(gpt2PreTokenize(text.toStdString())), pieces);
}

void TestBpe::mergesByRank_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QStringList>("tokens");
    // " the": Ġ t (rank 0) -> Ġt, h e (1) -> he, Ġt he (2) -> Ġthe.
    QTest::newRow("three merges") << QByteArray(" the") << QStringList{"Ġthe"};
    // "there": h e (1) beats e r (3), so "er" never forms.
    QTest::newRow("rank order") << QByteArray("there") << QStringList{"t", "he", "r", "e"};
    // every occurrence of the best pair, left to right: e e -> ee twice; an odd one stays.
    QTest::newRow("repeated pair") << QByteArray("eeeee") << QStringList{"ee", "ee", "e"};
    QTest::newRow("spaces") << QByteArray("a     b") << QStringList{"a", "ĠĠ", "ĠĠ", "Ġ", "b"};
    QTest::newRow("numbers") << QByteArray("x 123") << QStringList{"x", "Ġ", "12", "3"};
    // 我 is three byte tokens, and the merge æ Ī joins its first two bytes.
    QTest::newRow("cjk bytes") << QByteArray("我爱") << QStringList{"æĪ", "ĳ", "ç", "Ī", "±"};
    QTest::newRow("emoji bytes") << QByteArray("😀") << QStringList{"ð", "Ł", "ĺ", "Ģ"};
}

void TestBpe::mergesByRank() {
    QFETCH(QByteArray, text);
    QFETCH(QStringList, tokens);
    const Tokenizer tok = gpt2Small();
    QCOMPARE(tok.kind(), Tokenizer::Kind::Gpt2Bpe);
    QCOMPARE(qs(tokensOf(tok, text.toStdString())), tokens);
}

void TestBpe::endOfTextIsOneToken() {
    const Tokenizer tok = gpt2Small();
    const int eot = tok.id("<|endoftext|>");
    QCOMPARE(eot, tok.size() - 1);
    const Tokens ids = tok.encode("a<|endoftext|> the").ids;
    QCOMPARE(ids, (Tokens{tok.id("a"), eot, tok.id(" the")}));
    QCOMPARE(tok.decode(ids), std::string("a<|endoftext|> the"));
}

void TestBpe::tokenizerJsonAgrees() {
    const Tokenizer a = gpt2Small();
    for (bool pairs : {false, true}) {
        const Tokenizer b = gpt2TokenizerFromTokenizerJson(gpt2Files(pairs).tokenizerJson);
        QCOMPARE(b.size(), a.size());
        for (const char* text : {" the there", "我爱你 eeeee", "x  <|endoftext|>12 😀", "I'm \xFF ok"})
            QCOMPARE(b.encode(text).ids, a.encode(text).ids);
    }
}

void TestBpe::roundTripIsIdentityOnBytes() {
    const Tokenizer tok = gpt2Small();
    std::vector<std::string> texts = {"", " the there", "我爱你", "😀👍🏽 ok", "a\0b"s, "\xC0\x80 overlong", "\xED\xA0\x80 surrogate",
                                      "cut \xE6\x88", "\r\n\t  \v\f", "<|endoftext|><|endoftext|>", "<|endoftext"};
    Rng rng(7);
    for (int n = 0; n < 200; ++n) {  // random byte strings, most of them not UTF-8
        std::string s(size_t(rng.randint(0, 40)), '\0');
        for (char& c : s) c = char(rng.randint(0, 255));
        texts.push_back(s);
    }
    for (const auto& t : texts) {
        const Tokens ids = tok.encode(t).ids;
        QVERIFY(tok.encode(t).ok());
        QCOMPARE(QByteArray::fromStdString(tok.decode(ids)), QByteArray::fromStdString(t));
    }
}

void TestBpe::invalidUtf8IsShownNotDropped() {
    const Tokenizer tok = gpt2Small();
    const Tokens ids = tok.encode("我").ids;  // æĪ + ĳ: the first token ends inside the character
    QCOMPARE(ids.size(), size_t(2));
    QCOMPARE(tok.decode({ids.data(), 1}), std::string("\xE6\x88"));
    QCOMPARE(QString::fromStdString(tok.decodeText({ids.data(), 1})), QString("\\xE6\\x88"));
    QCOMPARE(QString::fromStdString(tok.display(ids[0])), QString("\\xE6\\x88"));
    QCOMPARE(QString::fromStdString(tok.decodeText(ids)), QString::fromUtf8("我"));
    QCOMPARE(QString::fromStdString(tok.display(tok.id(" the"))), QString::fromUtf8("␣the"));
}

void TestBpe::traceReplaysToTheIds() {
    const Tokenizer tok = gpt2Small();
    const std::string text = "there  the 我 eeee<|endoftext|>!";
    const Tokenizer::Trace t = tok.trace(text);
    QCOMPARE(t.ids, tok.encode(text).ids);
    QVERIFY(t.merges.size() >= 5);
    std::vector<Tokens> sym = t.initial;
    for (const auto& m : t.merges) {
        Tokens& s = sym[size_t(m.pretoken)];
        QCOMPARE(s[size_t(m.position)], m.left);
        QCOMPARE(s[size_t(m.position) + 1], m.right);
        QCOMPARE(tok.token(m.result), tok.token(m.left) + tok.token(m.right));
        s[size_t(m.position)] = m.result;
        s.erase(s.begin() + m.position + 1);
    }
    Tokens all;
    std::string joined;
    for (size_t i = 0; i < sym.size(); ++i) {
        all.insert(all.end(), sym[i].begin(), sym[i].end());
        joined += t.pretokens[i];
    }
    QCOMPARE(all, t.ids);
    QCOMPARE(joined, text);
}

// core/data/tokentrace.h (the Tokenizer dock's replay) against the hand replay above: 0 merges = the initial
// symbols, all merges = the ids; one merge at a time shortens exactly one pre-token by one; a malformed trace
// is refused by name.
void TestBpe::traceSymbolsAfter() {
    const Tokenizer tok = gpt2Small();
    const Tokenizer::Trace t = tok.trace("there  the 我 eeee");
    QCOMPARE(ar::traceSymbolsAfter(t, 0), t.initial);
    Tokens all;
    for (const auto& s : ar::traceSymbolsAfter(t, t.merges.size() + 3)) all.insert(all.end(), s.begin(), s.end());
    QCOMPARE(all, t.ids);
    for (size_t k = 0; k < t.merges.size(); ++k) {
        const auto before = ar::traceSymbolsAfter(t, k), after = ar::traceSymbolsAfter(t, k + 1);
        const size_t p = size_t(t.merges[k].pretoken);
        QCOMPARE(after[p].size() + 1, before[p].size());
        QCOMPARE(after[p][size_t(t.merges[k].position)], t.merges[k].result);
    }
    Tokenizer::Trace bad = t;
    bad.merges.push_back({0, 99, 1, 2, 3, 0.0});
    QVERIFY(testutil::errorOf([&] { ar::traceSymbolsAfter(bad, bad.merges.size()); }).contains("outside its pre-token"));
    bad.merges.back().pretoken = 50;
    QVERIFY(testutil::errorOf([&] { ar::traceSymbolsAfter(bad, bad.merges.size()); }).contains("names no pre-token"));
}

void TestBpe::gpt2BadFiles_data() {
    QTest::addColumn<QString>("vocab");
    QTest::addColumn<QString>("merges");
    QTest::addColumn<QString>("error");
    const Gpt2Files f = gpt2Files();
    const QString v = QString::fromStdString(f.vocabJson), m = QString::fromStdString(f.mergesTxt);
    QTest::newRow("merge names an unknown token") << v << m + "Ġ zz\n" << "merges.txt line 10: 'zz' is not in vocab.json";
    QTest::newRow("merge result unknown") << v << m + "t h\n" << "merges.txt line 10: the merge result 'th' is not in vocab.json";
    QTest::newRow("merge line malformed") << v << m + "abc\n" << "merges.txt line 10: expected two tokens separated by one space";
    QTest::newRow("vocab truncated") << v.left(v.size() / 2) << m << "vocab.json: is not valid JSON";
    QTest::newRow("vocab id gap") << QString::fromStdString([&] {
        auto j = nlohmann::json::parse(f.vocabJson);
        j["<|endoftext|>"] = 9999;
        return j.dump();
    }()) << m << "vocab.json: token '<|endoftext|>' has id 9999, outside 0..";
    QTest::newRow("vocab id twice") << QString::fromStdString([&] {
        auto j = nlohmann::json::parse(f.vocabJson);
        j["<|endoftext|>"] = 5;
        return j.dump();
    }()) << m << "vocab.json: id 5 is given to two tokens";
    QTest::newRow("vocab lacks a byte") << QString::fromStdString([&] {
        auto j = nlohmann::json::parse(f.vocabJson);
        j.erase("A");
        j["Ġzzz"] = 65;  // A's id, so the ids stay 0..N-1
        return j.dump();
    }()) << m << "has no token for the byte 0x41";
    QTest::newRow("vocab outside the alphabet") << QString::fromStdString([&] {
        auto j = nlohmann::json::parse(f.vocabJson);
        j.erase("<|endoftext|>");
        j["€"] = int(j.size());
        return j.dump();
    }()) << m << "is not in GPT-2's byte alphabet";
}

void TestBpe::gpt2BadFiles() {
    QFETCH(QString, vocab);
    QFETCH(QString, merges);
    QFETCH(QString, error);
    const QString e = errorOf([&] { gpt2TokenizerFromVocabMerges(vocab.toStdString(), merges.toStdString()); });
    QVERIFY2(e.contains(error), qPrintable(e));
}

// --- llama2.c ----------------------------------------------------------------------------------------

namespace {
// 0 <unk>, 1 BOS, 2 EOS, 3..258 byte tokens, then pieces with scores.
const std::vector<std::pair<std::string, float>> kPieces = {
    {" ", -1}, {"a", -2}, {"b", -2}, {"c", -2}, {"ab", -3}, {" a", -5}, {" ab", -4}, {"abc", -6},
    {"我", -2}, {"aa", -1}, {" c", -9}, {"bc", -8}};
std::pair<std::vector<std::string>, std::vector<float>> llamaVocab() {
    std::vector<std::string> pieces = {"<unk>", "\n<s>\n", "\n</s>\n"};
    std::vector<float> scores = {0, 0, 0};
    for (int b = 0; b < 256; ++b) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "<0x%02X>", b);
        pieces.push_back(buf);
        scores.push_back(0);
    }
    for (const auto& [p, s] : kPieces) {
        pieces.push_back(p);
        scores.push_back(s);
    }
    return {pieces, scores};
}
Tokenizer llamaSmall() {
    auto [p, s] = llamaVocab();
    return parseLlamaTokenizer(llamaTokenizerBytes(p, s), int(p.size()));
}
}  // namespace

void TestBpe::llamaEncode_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QStringList>("tokens");
    // " ", a, b: pairs " a" (-5), "ab" (-3) -> ab first, then " ab" (-4).
    QTest::newRow("best score first") << QByteArray("ab") << QStringList{" ab"};
    // " ", a, b, c: ab (-3) beats bc (-8) and " a" (-5); then " ab" (-4); "abc" is never reached.
    QTest::newRow("abc") << QByteArray("abc") << QStringList{" ab", "c"};
    // a tie between the two "aa" pairs goes to the leftmost.
    QTest::newRow("tie leftmost") << QByteArray("aaa") << QStringList{" ", "aa", "a"};
    QTest::newRow("cjk in vocab") << QByteArray("我") << QStringList{" ", "我"};
    QTest::newRow("byte fallback") << QByteArray("é") << QStringList{" ", "<0xC3>", "<0xA9>"};
    QTest::newRow("invalid utf-8") << QByteArray("\xFF" "a") << QStringList{" ", "<0xFF>", "a"};
    QTest::newRow("empty: no dummy prefix") << QByteArray("") << QStringList{};
}

void TestBpe::llamaEncode() {
    QFETCH(QByteArray, text);
    QFETCH(QStringList, tokens);
    const Tokenizer tok = llamaSmall();
    QCOMPARE(tok.kind(), Tokenizer::Kind::LlamaBpe);
    QStringList got;
    for (int k : tok.encode(text.toStdString()).ids) got << QString::fromStdString(tok.token(k));
    QCOMPARE(got, tokens);
}

void TestBpe::llamaDecodeAndRoundTrip() {
    const Tokenizer tok = llamaSmall();
    QCOMPARE(tok.size(), 3 + 256 + int(kPieces.size()));
    QCOMPARE(QString::fromStdString(tok.display(1)), QString("<s>"));
    QCOMPARE(QString::fromStdString(tok.display(tok.id("<0xC3>"))), QString("<0xC3>"));
    Rng rng(3);
    std::vector<std::string> texts = {"ab", "abc aa 我 é", "\xFF\xFE", "cut \xE6\x88"};
    for (int n = 0; n < 100; ++n) {
        std::string s(size_t(rng.randint(1, 30)), '\0');
        const std::string alphabet = "abc \xE6\x88\x91\xC3\xA9\xFF";
        for (char& c : s) c = alphabet[size_t(rng.randint(0, int(alphabet.size()) - 1))];
        texts.push_back(s);
    }
    for (const auto& t : texts) {
        Tokens ids = tok.encode(t).ids;
        QVERIFY(tok.encode(t).ok());
        QCOMPARE(tok.decode(ids), " " + t);  // the dummy prefix
        ids.insert(ids.begin(), 1);          // after BOS, run.c drops the leading space
        QCOMPARE(QByteArray::fromStdString(tok.decode(ids)), QByteArray::fromStdString(t));
    }
    // Replaying the trace gives the ids.
    const auto tr = tok.trace("abc aa ab");
    Tokens sym = tr.initial[0];
    for (const auto& m : tr.merges) {
        sym[size_t(m.position)] = m.result;
        sym.erase(sym.begin() + m.position + 1);
    }
    QCOMPARE(sym, tr.ids);
    QCOMPARE(llamaTokenScores(tok).size(), size_t(tok.size()));
}

void TestBpe::llamaBadFiles_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("vocabSize");
    QTest::addColumn<QString>("error");
    auto [p, s] = llamaVocab();
    const QByteArray good = QByteArray::fromStdString(llamaTokenizerBytes(p, s));
    const int V = int(p.size());
    QTest::newRow("empty") << QByteArray() << V << "too short";
    QTest::newRow("truncated") << good.left(good.size() - 1) << V << "the file ends inside token";
    QTest::newRow("smaller vocabulary") << good << V + 5 << "ends at token " + QString::number(V);
    QTest::newRow("larger vocabulary") << good << V - 1 << "bytes are left after the checkpoint's";
    QByteArray negLen = good;
    const int32_t bad = -7;
    std::memcpy(negLen.data() + 4 + 4, &bad, 4);
    QTest::newRow("negative length") << negLen << V << "token 0 has length -7";
    QByteArray hugeMax = good;
    const int32_t huge = 1 << 30;
    std::memcpy(hugeMax.data(), &huge, 4);
    QTest::newRow("huge max_token_length") << hugeMax << V << "max_token_length 1073741824 is outside";
}

void TestBpe::llamaBadFiles() {
    QFETCH(QByteArray, bytes);
    QFETCH(int, vocabSize);
    QFETCH(QString, error);
    const QString e = errorOf([&] { parseLlamaTokenizer(bytes.toStdString(), vocabSize); });
    QVERIFY2(e.contains(error), qPrintable(e));
}

QTEST_APPLESS_MAIN(TestBpe)
#include "tst_core_bpe.moc"
