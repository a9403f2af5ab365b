// TokenizerView (widgets/tokenizerview.h) alone, with a hand-made trace: Step/Back replay the merges one at a
// time, the symbols after k merges are the hand-computed ones, the buttons enable at the ends, the CSV is the
// table as shown, and a malformed trace is said, not drawn. Then with core's tokenizers: the GPT-2 byte-level
// BPE turns 我爱你 into several byte tokens per character, and arlab's char and word tokenizers show one
// symbol per piece, no merges.
#include "widgets/tokenizerview.h"
#include "app/gui/realmodeldocks.h"
#include "core/data/bytelevelbpe.h"
#include "realmodelfiles.h"

#include <QLineEdit>
#include <QSignalSpy>
#include <QToolButton>
#include <QtTest>

using namespace arlab;

namespace {
// "abab" and "b": bytes a=1 b=2; merges (a,b)->3 twice in pre-token 0, then (3,3)->4.
TokenizerTraceData fake() {
    TokenizerTraceData d;
    d.trace.pretokens = {"abab", "b"};
    d.trace.initial = {{1, 2, 1, 2}, {2}};
    d.trace.merges = {{0, 0, 1, 2, 3, 0.0}, {0, 1, 1, 2, 3, 0.0}, {0, 0, 3, 3, 4, 5.0}};
    d.trace.ids = {4, 2};
    d.labels = {{1, "a"}, {2, "b"}, {3, "ab"}, {4, "abab"}};
    d.kind = "fake BPE";
    d.priorityName = "rank";
    return d;
}
}  // namespace

class TestTokenizerView : public QObject {
    Q_OBJECT
private slots:
    void stepsThroughTheMerges_data() {
        QTest::addColumn<int>("applied");
        QTest::addColumn<QList<int>>("first");
        QTest::newRow("bytes") << 0 << QList<int>{1, 2, 1, 2};
        QTest::newRow("1 merge") << 1 << QList<int>{3, 1, 2};
        QTest::newRow("2 merges") << 2 << QList<int>{3, 3};
        QTest::newRow("all") << 3 << QList<int>{4};
    }
    void stepsThroughTheMerges() {
        QFETCH(int, applied);
        QFETCH(QList<int>, first);
        TokenizerView v;
        v.resize(700, 400);
        v.show();
        v.setTrace(fake(), true);
        QCOMPARE(v.mergesApplied(), 0);
        QVERIFY(!v.backButton()->isEnabled());
        QSignalSpy spy(&v, &TokenizerView::mergesAppliedChanged);
        for (int i = 0; i < applied; ++i) v.stepButton()->click();
        QCOMPARE(v.mergesApplied(), applied);
        QCOMPARE(spy.count(), applied);
        QCOMPARE(QList<int>(v.symbols()[0].begin(), v.symbols()[0].end()), first);
        QCOMPARE(v.symbols()[1], ar::Tokens{2});
        QCOMPARE(v.stepButton()->isEnabled(), applied < 3);
        QCOMPARE(v.backButton()->isEnabled(), applied > 0);
        if (applied == 3) QCOMPARE(v.stepText(), QString("Merge 3 of 3: ab + ab → abab (rank 5)"));
        // The CSV: one row per symbol as shown.
        const ExportTable t = v.exportTable();
        QCOMPARE(t.rows.size(), first.size() + 1);
        for (int k = 0; k < first.size(); ++k) QCOMPARE(t.rows[k][3].toInt(), first[k]);
        QCOMPARE(t.rows[0][1], QString("61626162"));   // the pre-token's bytes
        v.backButton()->click();
        QCOMPARE(v.mergesApplied(), std::max(applied - 1, 0));
        v.grab();   // paints without trouble
    }
    void newTraceStartsAtTheEnd() {
        TokenizerView v;
        v.setTrace(fake());
        QCOMPARE(v.mergesApplied(), 3);
        QCOMPARE(v.symbols()[0], ar::Tokens{4});
    }
    void malformedTraceIsSaid() {
        TokenizerView v;
        TokenizerTraceData d = fake();
        d.trace.merges.push_back({0, 7, 4, 4, 5, 9.0});   // outside its pre-token
        v.setTrace(d);
        QVERIFY(v.exportTable().isEmpty());
        QVERIFY2(v.exportTable().emptyReason.contains("outside its pre-token"), qPrintable(v.exportTable().emptyReason));
        v.grab();
    }
    void textEditedOnlyByTheUser() {
        TokenizerView v;
        QSignalSpy spy(&v, &TokenizerView::textEdited);
        v.setText("abc");
        QCOMPARE(spy.count(), 0);
        auto* edit = v.findChild<QLineEdit*>("tokenizerText");
        QVERIFY(edit);
        QTest::keyClicks(edit, "d");
        QCOMPARE(spy.count(), 1);
        QCOMPARE(v.text(), QString("abcd"));
    }

    // Core's GPT-2 byte-level BPE: each of 我爱你's characters is 3 bytes; the small vocabulary merges E6 88
    // (the "æĪ" merge), so 我 becomes 2 tokens and 爱, 你 3 byte tokens each.
    void gpt2BytesPerCharacter() {
        const ar::Tokenizer tok = realfiles::gpt2SmallTokenizer();
        const TokenizerTraceData d = tokenizerTraceData(tok, QString::fromUtf8("我爱你"));
        QCOMPARE(d.trace.pretokens.size(), size_t(1));
        QCOMPARE(d.trace.initial[0].size(), size_t(9));   // 9 bytes
        QCOMPARE(d.trace.ids, tok.encode("我爱你").ids);
        QCOMPARE(d.trace.ids.size(), size_t(8));
        QCOMPARE(d.labels.value(d.trace.ids[0]), QString("\\xE6\\x88"));
        TokenizerView v;
        v.setTrace(d, true);
        QCOMPARE(v.symbols()[0].size(), size_t(9));
        v.stepForward();
        QCOMPARE(v.symbols()[0].size(), size_t(8));
        QVERIFY2(v.stepText().contains("rank"), qPrintable(v.stepText()));
        QVERIFY(d.kind.contains("GPT-2"));
    }
    void arlabTokenizers_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("pieces");
        QTest::addColumn<int>("unknown");
        QTest::newRow("char") << int(ar::Tokenizer::Kind::Char) << "the cat" << 7 << 0;
        QTest::newRow("char, unknown") << int(ar::Tokenizer::Kind::Char) << "the dog" << 7 << 3;
        QTest::newRow("word") << int(ar::Tokenizer::Kind::Word) << "the cat sat" << 3 << 0;
        QTest::newRow("word, unknown") << int(ar::Tokenizer::Kind::Word) << "the dog" << 2 << 1;
    }
    void arlabTokenizers() {
        QFETCH(int, kind);
        QFETCH(QString, text);
        QFETCH(int, pieces);
        QFETCH(int, unknown);
        const ar::Tokenizer tok = ar::Tokenizer::build(ar::Tokenizer::Kind(kind), "the cat sat");
        const TokenizerTraceData d = tokenizerTraceData(tok, text);
        QCOMPARE(d.trace.merges.size(), size_t(0));
        QCOMPARE(int(d.trace.ids.size()), pieces);
        QCOMPARE(int(std::count(d.trace.ids.begin(), d.trace.ids.end(), -1)), unknown);
        QCOMPARE(d.note.isEmpty(), unknown == 0);
        TokenizerView v;
        v.setTrace(d);
        QCOMPARE(v.mergeCount(), 0);
        QVERIFY(!v.stepButton()->isEnabled());
        QCOMPARE(v.exportTable().rows.size(), pieces);
    }
};

QTEST_MAIN(TestTokenizerView)
#include "tst_tokenizerview.moc"
