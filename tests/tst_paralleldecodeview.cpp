// ParallelDecodeView with fake lanes: what every lane shows after s passes (AR grows a word per pass, a
// parallel lane shows [MASK] until its pass, Mask-Predict one row per pass plus the next pass's input with
// [MASK] and the re-masked words marked), the slider and Space, repeated and missing words, long rows drawn
// smaller to fit, export.
#include "widgets/paralleldecodeview.h"

#include <QApplication>
#include <QLineEdit>
#include <QScrollArea>
#include <QSignalSpy>
#include <QSlider>
#include <QtTest>

using namespace arlab;

namespace {

ParallelPassData pass(const QStringList& words, const QVector<bool>& predicted) {
    ParallelPassData p;
    p.words = words;
    p.predicted = predicted;
    for (const QString& w : words) p.confidence << (w.isEmpty() ? 0.0 : 0.5 + 0.05 * w.size());
    return p;
}

// AR: 3 passes ("I", "I eat", "I eat </s>"); NAT: 1 pass with a stutter; Mask-Predict: 3 passes, re-masking 2
// then 1 word; semi k=2: 2 passes.
ParallelSentenceData fake() {
    ParallelSentenceData d;
    d.gold = {"I", "eat", "apples"};
    ParallelLaneData ar{"ar", "AR", true, false, {}};
    ar.passes = {pass({"I"}, {true}), pass({"I", "eat"}, {false, true}), pass({"I", "eat", "</s>"}, {false, false, true})};
    ParallelLaneData nat{"nat", "NAT", false, false, {pass({"I", "I", "apples"}, {true, true, true})}};
    ParallelLaneData mp{"mask-predict", "Mask-Predict", false, true, {}};
    mp.passes = {pass({"I", "I", "apples"}, {true, true, true}), pass({"I", "eat", "pears"}, {false, true, true}),
                 pass({"I", "eat", "apples"}, {false, false, true})};
    ParallelLaneData semi{"semi-2", "semi", false, false, {}};
    semi.passes = {pass({"I", "eat", ""}, {true, true, false}), pass({"I", "eat", "apples"}, {false, false, true})};
    d.lanes = {ar, nat, mp, semi};
    return d;
}

int redPixels(const QImage& img) {
    int n = 0;
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x) {
            const QColor c = img.pixelColor(x, y);
            if (c.red() > 180 && c.green() < 60 && c.blue() < 60) ++n;
        }
    return n;
}

}  // namespace

class TestParallelDecodeView : public QObject {
    Q_OBJECT
private slots:
    void lanesAfterEachPass_data() {
        QTest::addColumn<int>("pass");
        QTest::addColumn<QStringList>("texts");   // per lane
        QTest::newRow("before any pass") << 0 << QStringList{"…", "[MASK] [MASK] [MASK]", "[MASK] [MASK] [MASK]", "[MASK] [MASK] [MASK]"};
        QTest::newRow("after 1") << 1
                                 << QStringList{"I …", "I I apples", "I I apples | I [MASK] [MASK]", "I eat [MASK]"};
        QTest::newRow("after 2") << 2
                                 << QStringList{"I eat …", "I I apples", "I I apples | I eat pears | I eat [MASK]", "I eat apples"};
        QTest::newRow("after 3") << 3
                                 << QStringList{"I eat </s>", "I I apples", "I I apples | I eat pears | I eat apples", "I eat apples"};
    }
    void lanesAfterEachPass() {
        QFETCH(int, pass);
        QFETCH(QStringList, texts);
        ParallelDecodeView v;
        v.setSentence(fake());
        QCOMPARE(v.maxPass(), 3);
        v.setPass(pass);
        QCOMPARE(v.pass(), pass);
        QCOMPARE(v.slider()->value(), pass);
        for (int lane = 0; lane < texts.size(); ++lane) QCOMPARE(v.laneText(lane), texts[lane]);
    }

    void markers() {
        ParallelDecodeView v;
        v.setSentence(fake());
        v.setPass(1);
        const auto lanes = v.shown();
        // Mask-Predict pass 1: positions 1 and 2 are re-masked for pass 2; the stutter "I I" is flagged.
        const ParallelShownRow& row = lanes[2].rows[0];
        QCOMPARE(row.chips[0].remasked, false);
        QCOMPARE(row.chips[1].remasked, true);
        QCOMPARE(row.chips[2].remasked, true);
        QVERIFY(row.chips[0].repeated && row.chips[1].repeated && !row.chips[2].repeated);
        QVERIFY(row.chips[0].predicted);
        // the input row of pass 2 keeps "I" (not new) and masks the others
        const ParallelShownRow& input = lanes[2].rows[1];
        QCOMPARE(input.chips[0].kind, ParallelShownChip::Word);
        QVERIFY(!input.chips[0].predicted);
        QCOMPARE(input.chips[1].kind, ParallelShownChip::Mask);
        // NAT is done after 1 pass: repeated and missing words named
        QVERIFY(lanes[1].problem);
        QVERIFY2(lanes[1].footer.contains("repeated: I I") && lanes[1].footer.contains("missing: eat"), qPrintable(lanes[1].footer));
        QCOMPARE(lanes[0].footer, QString("pass 1 of 3"));
        v.setPass(3);
        const auto done = v.shown();
        // AR: "I eat </s>" misses "apples"; </s> is not a word (neither extra nor repeated)
        QVERIFY(done[0].problem);
        QVERIFY2(done[0].footer.endsWith("missing: apples"), qPrintable(done[0].footer));
        QVERIFY2(done[3].footer.contains("the reference translation"), qPrintable(done[3].footer));
        QVERIFY(!done[2].problem);
        QVERIFY(done[2].footer.startsWith("done after 3 sequential passes"));
        // no reference: only repeats count
        ParallelSentenceData noGold = fake();
        noGold.gold.clear();
        v.setSentence(noGold);
        QVERIFY(v.shown()[1].footer.contains("repeated") && !v.shown()[1].footer.contains("missing"));
        QVERIFY(!v.shown()[3].problem);
    }

    void repeatedAndMissing_data() {
        QTest::addColumn<QStringList>("words");
        QTest::addColumn<QStringList>("gold");
        QTest::addColumn<QString>("repeated");
        QTest::addColumn<QStringList>("missing");
        QTest::newRow("clean") << QStringList{"I", "eat"} << QStringList{"I", "eat"} << "00" << QStringList{};
        QTest::newRow("stutter") << QStringList{"I", "I", "apples"} << QStringList{"I", "eat", "apples"} << "110" << QStringList{"eat"};
        QTest::newRow("triple") << QStringList{"a", "b", "b", "b"} << QStringList{"a", "b", "c"} << "0111" << QStringList{"c"};
        QTest::newRow("undecided not repeated") << QStringList{"", "", "x"} << QStringList{"x"} << "000" << QStringList{};
        QTest::newRow("end mark") << QStringList{"x", "</s>", "</s>"} << QStringList{"x"} << "000" << QStringList{};
        QTest::newRow("multiset") << QStringList{"the", "cat"} << QStringList{"the", "the", "cat"} << "00" << QStringList{"the"};
    }
    void repeatedAndMissing() {
        QFETCH(QStringList, words);
        QFETCH(QStringList, gold);
        QFETCH(QString, repeated);
        QFETCH(QStringList, missing);
        QString flags;
        for (bool b : ParallelDecodeView::repeatedFlags(words)) flags += b ? '1' : '0';
        QCOMPARE(flags, repeated);
        QCOMPARE(ParallelDecodeView::missingWords(words, gold), missing);
    }

    void sliderSpaceAndClamping() {
        ParallelDecodeView v;
        v.resize(900, 600);
        v.show();
        v.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&v));
        v.setSentence(fake());
        QSignalSpy spy(&v, &ParallelDecodeView::passChanged);
        QTest::keyClick(&v, Qt::Key_Space);
        QCOMPARE(v.pass(), 1);
        QTest::keyClick(&v, Qt::Key_Space);
        QCOMPARE(v.pass(), 2);
        v.slider()->setValue(3);
        QCOMPARE(v.pass(), 3);
        QTest::keyClick(&v, Qt::Key_Space);   // wraps to the start
        QCOMPARE(v.pass(), 0);
        QCOMPARE(spy.count(), 4);
        v.setPass(99);
        QCOMPARE(v.pass(), 3);
        v.setPass(-4);
        QCOMPARE(v.pass(), 0);
        // a shorter sentence clamps the pass
        v.setPass(3);
        ParallelSentenceData one = fake();
        one.lanes = {one.lanes[1]};
        v.setSentence(one);
        QCOMPARE(v.pass(), 1);
        QCOMPARE(v.slider()->maximum(), 1);
        // Typing in the source editor does not step
        v.sourceEdit()->setFocus();
        QSignalSpy edited(&v, &ParallelDecodeView::sourceEdited);
        QTest::keyClicks(v.sourceEdit(), "a b");
        QCOMPARE(edited.count(), 3);
        QCOMPARE(v.pass(), 1);
    }

    void repeatedWordsAreDrawnRed() {
        ParallelDecodeView v;
        v.resize(900, 700);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        ParallelSentenceData clean = fake();
        clean.lanes = {clean.lanes[3]};   // semi: no repeat, the reference
        v.setSentence(clean);
        v.setPass(2);
        QCOMPARE(redPixels(v.grab().toImage()), 0);
        v.setSentence(fake());
        v.setPass(1);
        QVERIFY(redPixels(v.grab().toImage()) > 100);
    }

    // A row of long words wider than the view (a narrow dock, a projector's font) is drawn smaller, not cut off at
    // the right: no chip colour in the canvas's last pixels, and the last chip's green in sight.
    void chipsFitTheWidth_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<double>("fontScale");
        QTest::newRow("wide") << 900 << 1.0;
        QTest::newRow("narrow") << 520 << 1.0;
        QTest::newRow("narrow, projector font") << 560 << 1.6;
    }
    void chipsFitTheWidth() {
        QFETCH(int, width);
        QFETCH(double, fontScale);
        ParallelDecodeView v;
        QFont f = v.font();
        f.setPointSizeF(f.pointSizeF() * fontScale);
        v.setFont(f);
        v.resize(width, 700);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        ParallelSentenceData d;
        d.gold = {"yesterday", "afternoon", "everybody", "remembered", "wonderful", "breakfast"};
        ParallelLaneData nat{"nat", "NAT", false, false, {pass(d.gold, QVector<bool>(6, true))}};
        d.lanes = {nat};
        v.setSentence(d);
        v.setPass(1);
        auto* canvas = v.findChild<QScrollArea*>()->widget();
        QApplication::processEvents();
        const QImage img = canvas->grab().toImage();
        const auto coloured = [&](int x) {
            int n = 0;
            for (int y = 0; y < img.height(); ++y) {
                const QColor c = img.pixelColor(x, y);
                if (std::max({c.red(), c.green(), c.blue()}) - std::min({c.red(), c.green(), c.blue()}) > 60) ++n;
            }
            return n;
        };
        for (int x = img.width() - 3; x < img.width(); ++x) QVERIFY2(coloured(x) == 0, qPrintable(QString("chip colour at x = %1 of %2").arg(x).arg(img.width())));
        int lastColoured = 0;
        for (int x = 0; x < img.width(); ++x)
            if (coloured(x) > 0) lastColoured = x;
        QVERIFY2(lastColoured > img.width() * 0.6, qPrintable(QString("the chips end at x = %1 of %2").arg(lastColoured).arg(img.width())));
    }

    void errorsAndEmpty() {
        ParallelDecodeView v;
        QCOMPARE(v.maxPass(), 0);
        QVERIFY(v.exportTable().isEmpty());
        QVERIFY(!v.exportTable().emptyReason.isEmpty());
        v.setStatus("word '猫猫' is not in the lexicon", true);
        QCOMPARE(v.statusText(), QString("word '猫猫' is not in the lexicon"));
        v.setStatus({}, false);
        QCOMPARE(v.statusText(), QString());
    }

    void exportsEveryPass() {
        ParallelDecodeView v;
        const ParallelSentenceData d = fake();
        v.setSentence(d);
        const ExportTable t = v.exportTable();
        int rows = 0;
        for (const auto& lane : d.lanes)
            for (const auto& p : lane.passes) rows += int(p.words.size());
        QCOMPARE(t.rows.size(), rows);
        QCOMPARE(t.header, (QStringList{"lane", "pass", "position", "word", "confidence", "predicted", "repeated"}));
        // NAT's row 2: "I" at position 1, repeated
        const QStringList natRow = t.rows[1 + 2 + 3 + 1];
        QCOMPARE(natRow.mid(0, 4), (QStringList{"nat", "1", "1", "I"}));
        QCOMPARE(natRow[6], QString("1"));
        QCOMPARE(natRow[4].toDouble(), d.lanes[1].passes[0].confidence[1]);
        // semi pass 1, position 2: undecided
        QCOMPARE(t.rows.back().mid(0, 4), (QStringList{"semi-2", "2", "2", "apples"}));
        QCOMPARE(t.rows[rows - 4][3], QString("[MASK]"));
    }
};

QTEST_MAIN(TestParallelDecodeView)
#include "tst_paralleldecodeview.moc"
