// Tokenizers: char/word round trips (Chinese included), invalid UTF-8 reported with its byte offset, unknown
// pieces reported rather than dropped, malformed vocabularies refused.
#include "core/data/tokenizer.h"
#include "core/data/utf8.h"
#include "core/error.h"
#include "testutil.h"

#include <QtTest>

using namespace ar;

namespace {
using testutil::errorOf;
}  // namespace

class TestTokenizer : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data();
    void roundTrip();
    void chineseIsOneTokenPerCharacter();
    void wordSplitNormalisesWhitespace();
    void invalidUtf8_data();
    void invalidUtf8();
    void unknownPiecesAreReported_data();
    void unknownPiecesAreReported();
    void jsonRoundTrip();
    void fromJsonRejectsMalformed_data();
    void fromJsonRejectsMalformed();
    void buildPutsExtraTokensFirst();
    void displayMakesWhitespaceVisible();
};

void TestTokenizer::roundTrip_data() {
    QTest::addColumn<bool>("word");
    QTest::addColumn<QString>("corpus");
    QTest::addColumn<QString>("text");
    QTest::newRow("char ascii") << false << "the cat sat on the mat\n" << "the mat sat\non the cat";
    QTest::newRow("char chinese") << false << QString::fromUtf8("我 爱 你") << QString::fromUtf8("你 爱 我");
    QTest::newRow("char mixed") << false << QString::fromUtf8("héllo 世界 😀") << QString::fromUtf8("世界 😀 héllo");
    QTest::newRow("word ascii") << true << "the cat sat on the mat" << "the mat sat on the cat";
    QTest::newRow("word chinese") << true << QString::fromUtf8("我 爱 你") << QString::fromUtf8("你 爱 我");
}

void TestTokenizer::roundTrip() {
    QFETCH(bool, word);
    QFETCH(QString, corpus);
    QFETCH(QString, text);
    const Tokenizer tok = Tokenizer::build(word ? Tokenizer::Kind::Word : Tokenizer::Kind::Char, corpus.toStdString());
    const Tokens ids = tok.encodeStrict(text.toStdString());
    for (int id : ids) QVERIFY(id >= 0 && id < tok.size());
    QCOMPARE(QString::fromStdString(tok.decode(ids)), text);
}

void TestTokenizer::chineseIsOneTokenPerCharacter() {
    const Tokenizer chars = Tokenizer::build(Tokenizer::Kind::Char, "我 爱 你");
    QCOMPARE(chars.size(), 4);  // ' ', 我, 爱, 你 (sorted bytewise: space first)
    QCOMPARE(chars.token(0), std::string(" "));
    const Tokens ids = chars.encodeStrict("我 爱 你");
    QCOMPARE(ids.size(), size_t(5));
    QCOMPARE(chars.token(ids[0]), std::string("我"));
    QCOMPARE(chars.token(ids[4]), std::string("你"));
    const Tokenizer words = Tokenizer::build(Tokenizer::Kind::Word, "我 爱 你");
    QCOMPARE(words.size(), 3);
    QCOMPARE(words.encodeStrict("我 爱 你").size(), size_t(3));
}

void TestTokenizer::wordSplitNormalisesWhitespace() {
    const Tokenizer tok = Tokenizer::build(Tokenizer::Kind::Word, "a b c");
    const Tokens ids = tok.encodeStrict("  a\t b\n\nc  ");
    QCOMPARE(ids.size(), size_t(3));
    QCOMPARE(tok.decode(ids), std::string("a b c"));
    QVERIFY(tok.encodeStrict("   ").empty());
}

void TestTokenizer::invalidUtf8_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("offset");
    QTest::newRow("bad lead byte") << QByteArray("ab\xff" "cd") << 2;
    QTest::newRow("lone continuation") << QByteArray("\x80") << 0;
    QTest::newRow("cut-off chinese character") << QByteArray("ok \xe6\x88") << 3;  // first 2 of 3 bytes of 我
    QTest::newRow("bad continuation") << QByteArray("\xe6\x41\x91") << 0;
    QTest::newRow("overlong slash") << QByteArray("x\xc0\xaf") << 1;
    QTest::newRow("overlong 3-byte") << QByteArray("\xe0\x80\xaf") << 0;
    QTest::newRow("surrogate") << QByteArray("ab\xed\xa0\x80") << 2;
    QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << 0;
    QTest::newRow("after valid chinese") << QByteArray("\xe6\x88\x91\xfe") << 3;
}

void TestTokenizer::invalidUtf8() {
    QFETCH(QByteArray, bytes);
    QFETCH(int, offset);
    const std::string text(bytes.constData(), size_t(bytes.size()));
    QCOMPARE(utf8::firstInvalid(text).value_or(size_t(-1)), size_t(offset));
    for (auto kind : {Tokenizer::Kind::Char, Tokenizer::Kind::Word}) {
        const Tokenizer tok = Tokenizer::build(kind, "a b");
        const QString msg = errorOf([&] { tok.encodeStrict(text, "prompt"); });
        QVERIFY2(msg.startsWith("prompt: "), qPrintable(msg));
        QVERIFY2(msg.contains(QString("invalid UTF-8 at byte offset %1").arg(offset)), qPrintable(msg));
    }
    QVERIFY(!errorOf([&] { Tokenizer::build(Tokenizer::Kind::Char, text); }).isEmpty());
}

void TestTokenizer::unknownPiecesAreReported_data() {
    QTest::addColumn<bool>("word");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QList<int>>("unknown");
    QTest::addColumn<QString>("message");
    QTest::newRow("one chinese char") << false << QString::fromUtf8("我 爱 猫") << QList<int>{4}
                                      << QString::fromUtf8("prompt: '猫' (character 5) is not in the model's vocabulary");
    QTest::newRow("two chars") << false << QString::fromUtf8("猫爱狗") << QList<int>{0, 2}
                               << QString::fromUtf8("prompt: '猫' (character 1), '狗' (character 3) are not in the model's vocabulary");
    QTest::newRow("one word") << true << QString::fromUtf8("我 爱 zebra") << QList<int>{2}
                              << "prompt: 'zebra' (word 3) is not in the model's vocabulary";
}

void TestTokenizer::unknownPiecesAreReported() {
    QFETCH(bool, word);
    QFETCH(QString, text);
    QFETCH(QList<int>, unknown);
    QFETCH(QString, message);
    const Tokenizer tok = Tokenizer::build(word ? Tokenizer::Kind::Word : Tokenizer::Kind::Char, "我 爱 你");
    const auto e = tok.encode(text.toStdString());
    QVERIFY(!e.ok());
    QCOMPARE(e.ids.size(), e.pieces.size());  // nothing dropped: one id (or -1) per piece
    QCOMPARE(int(e.unknown.size()), unknown.size());
    for (int k = 0; k < unknown.size(); ++k) {
        QCOMPARE(int(e.unknown[size_t(k)]), unknown[k]);
        QCOMPARE(e.ids[size_t(unknown[k])], -1);
    }
    QCOMPARE(errorOf([&] { tok.encodeStrict(text.toStdString()); }), message);
}

void TestTokenizer::jsonRoundTrip() {
    for (auto kind : {Tokenizer::Kind::Char, Tokenizer::Kind::Word}) {
        const Tokenizer a = Tokenizer::build(kind, "我 爱 你 \"quoted\" \\ tab\there\n", {"<s>"});
        const Tokenizer b = Tokenizer::fromJson(a.toJson());
        QVERIFY(b.kind() == a.kind());
        QCOMPARE(b.vocab(), a.vocab());
        QCOMPARE(b.toJson(), a.toJson());
    }
}

void TestTokenizer::fromJsonRejectsMalformed_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("message");
    QTest::newRow("not json") << "{kind: char" << "tokenizer metadata is not a JSON object";
    QTest::newRow("array") << "[\"a\"]" << "tokenizer metadata is not a JSON object";
    QTest::newRow("no kind") << R"({"vocab":["a"]})" << "tokenizer metadata has no 'kind'";
    QTest::newRow("kind not a string") << R"({"kind":1,"vocab":["a"]})" << "tokenizer metadata has no 'kind'";
    QTest::newRow("unknown kind") << R"({"kind":"bpe","vocab":["a"]})" << "tokenizer kind 'bpe' is not 'char' or 'word'";
    QTest::newRow("no vocab") << R"({"kind":"char"})" << "tokenizer metadata has no vocabulary";
    QTest::newRow("empty vocab") << R"({"kind":"char","vocab":[]})" << "tokenizer metadata has no vocabulary";
    QTest::newRow("vocab not an array") << R"({"kind":"char","vocab":"abc"})" << "tokenizer metadata has no vocabulary";
    QTest::newRow("number in vocab") << R"({"kind":"char","vocab":["a",3]})" << "non-string entry";
    QTest::newRow("duplicate token") << R"({"kind":"word","vocab":["a","b","a"]})" << "vocabulary has the token 'a' twice";
    QTest::newRow("empty token") << R"({"kind":"word","vocab":["a",""]})" << "vocabulary has an empty token";
}

void TestTokenizer::fromJsonRejectsMalformed() {
    QFETCH(QString, json);
    QFETCH(QString, message);
    const QString got = errorOf([&] { Tokenizer::fromJson(json.toStdString()); });
    QVERIFY2(!got.isEmpty(), "accepted a malformed vocabulary");
    QVERIFY2(got.contains(message), qPrintable(got));
}

void TestTokenizer::buildPutsExtraTokensFirst() {
    const Tokenizer tok = Tokenizer::build(Tokenizer::Kind::Word, "b a <s> c", {"<s>", "<eos>"});
    const std::vector<std::string> want = {"<s>", "<eos>", "a", "b", "c"};
    QCOMPARE(tok.vocab(), want);
    QCOMPARE(tok.id("<eos>"), 1);
    QCOMPARE(tok.id("zebra"), -1);
}

void TestTokenizer::displayMakesWhitespaceVisible() {
    const Tokenizer tok = Tokenizer::build(Tokenizer::Kind::Char, "a \n");
    QCOMPARE(tok.display(tok.id("\n")), std::string("\u23CE"));
    QCOMPARE(tok.display(tok.id(" ")), std::string("\u2423"));
    QCOMPARE(tok.display(tok.id("a")), std::string("a"));
    QCOMPARE(tok.display(99), std::string("?"));
}

QTEST_APPLESS_MAIN(TestTokenizer)
#include "tst_core_tokenizer.moc"
