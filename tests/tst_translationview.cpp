// TranslationView (widgets/translationview.h) alone, with fake words and weights (no translator): unknown source
// words are struck out, the target words show their probabilities and a caret until finished, the buttons emit
// their requests (the beam with the width chosen) and follow setCanStep / finished, typing emits sourceEdited
// but setSourceText does not, the examples combo emits the index chosen, the attention reaches the heatmap, and
// the gold checkbox (enabled only with a gold alignment) outlines it.
#include "widgets/crossattentionview.h"
#include "widgets/translationview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

using namespace arlab;

namespace {

template <class W>
W* child(const TranslationView& v, const char* name) {
    W* w = v.findChild<W*>(name);
    if (!w) qFatal("TranslationView has no %s", name);
    return w;
}

}  // namespace

class TestTranslationView : public QObject {
    Q_OBJECT
private slots:
    void sourceWords_data() {
        QTest::addColumn<QStringList>("words");
        QTest::addColumn<QList<bool>>("unknown");
        QTest::addColumn<int>("struck");
        QTest::newRow("all known") << QStringList{"我", "爱", "你"} << QList<bool>{false, false, false} << 0;
        QTest::newRow("one unknown") << QStringList{"我", "爱", "熊猫"} << QList<bool>{false, false, true} << 1;
        QTest::newRow("flags shorter than the words") << QStringList{"熊猫", "爱", "你"} << QList<bool>{true} << 1;
        QTest::newRow("markup is text") << QStringList{"<b>x</b>"} << QList<bool>{true} << 1;
    }
    void sourceWords() {
        QFETCH(QStringList, words);
        QFETCH(QList<bool>, unknown);
        QFETCH(int, struck);
        TranslationView v;
        v.setSourceWords(words, std::vector<bool>(unknown.begin(), unknown.end()));
        const QString html = v.sourceWordsHtml();
        QCOMPARE(int(html.count("line-through")), struck);
        for (int i = 0; i < words.size(); ++i) {
            const QString shown = words[i].toHtmlEscaped();
            QVERIFY2(html.contains(shown), qPrintable(shown));
            const bool bad = i < unknown.size() && unknown[i];
            // an unknown word sits inside the struck-out span
            QCOMPARE(html.contains("line-through; font-weight:bold'>" + shown + "</span>"), bad);
        }
    }

    void targetAndButtons() {
        TranslationView v;
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        auto* step = child<QPushButton>(v, "stepButton");
        auto* run = child<QPushButton>(v, "runButton");
        auto* beam = child<QPushButton>(v, "beamButton");
        v.setTarget({"I", "ate"}, {0.91f, 0.5f}, false);
        QVERIFY(v.targetText().contains("<b>I</b><sub style='color:#555'>0.91</sub>"));
        QVERIFY(v.targetText().contains("<b>ate</b><sub style='color:#555'>0.50</sub>"));
        QVERIFY(v.targetText().contains("▍"));   // more to come
        QVERIFY(step->isEnabled() && run->isEnabled());

        QSignalSpy steps(&v, &TranslationView::stepRequested), runs(&v, &TranslationView::runRequested),
            resets(&v, &TranslationView::resetRequested), beams(&v, &TranslationView::beamRequested);
        QTest::mouseClick(step, Qt::LeftButton);
        QTest::mouseClick(run, Qt::LeftButton);
        QTest::mouseClick(child<QPushButton>(v, "resetButton"), Qt::LeftButton);
        child<QSpinBox>(v, "beamWidth")->setValue(5);
        QCOMPARE(v.beamWidth(), 5);
        QTest::mouseClick(beam, Qt::LeftButton);
        QCOMPARE(steps.count(), 1);
        QCOMPARE(runs.count(), 1);
        QCOMPARE(resets.count(), 1);
        QCOMPARE(beams.count(), 1);
        QCOMPARE(beams[0][0].toInt(), 5);

        v.setTarget({"I", "ate", "</s>"}, {0.91f, 0.5f, 0.99f}, true);
        QVERIFY(!v.targetText().contains("▍"));
        QVERIFY(!step->isEnabled() && !run->isEnabled());
        QTest::mouseClick(step, Qt::LeftButton);
        QCOMPARE(steps.count(), 1);
        v.setCanStep(false);
        QVERIFY(!beam->isEnabled());
        v.setCanStep(true);
        QVERIFY(step->isEnabled() && run->isEnabled() && beam->isEnabled());

        v.setStatus("Unknown word: 熊猫", true);
        QCOMPARE(v.statusText(), QString("Unknown word: 熊猫"));
        QVERIFY(child<QLabel>(v, "translationStatus")->styleSheet().contains("c62828"));
        v.setStatus("ok", false);
        QVERIFY(!child<QLabel>(v, "translationStatus")->styleSheet().contains("c62828"));
    }

    void editingAndExamples() {
        TranslationView v;
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        QSignalSpy edited(&v, &TranslationView::sourceEdited), chosen(&v, &TranslationView::exampleChosen);
        v.setSourceText("我 爱 你");   // the program's own change: no signal
        QCOMPARE(v.sourceText(), QString("我 爱 你"));
        QCOMPARE(edited.count(), 0);
        auto* edit = child<QLineEdit>(v, "sourceEdit");
        edit->setFocus();
        QTest::keyClick(edit, Qt::Key_End);
        QTest::keyClicks(edit, " x");   // QTest types ASCII keys only
        QCOMPARE(edited.count(), 2);
        QCOMPARE(edited.last()[0].toString(), QString("我 爱 你 x"));

        v.setExamples({"我 爱 你", "我 昨天 吃 了 三 个 苹果"});
        auto* box = child<QComboBox>(v, "exampleBox");
        QCOMPARE(box->count(), 2);
        QCOMPARE(chosen.count(), 0);   // filling the list chooses nothing
        box->setFocus();
        QTest::keyClick(box, Qt::Key_Down);
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen[0][0].toInt(), 1);
    }

    void heatmapAndGold() {
        TranslationView v;
        ar::Mat a(2, 3);
        a << 0.8f, 0.1f, 0.1f, 0.2f, 0.2f, 0.6f;
        v.setAttention({"我", "爱", "你"}, {"I", "love"}, a);
        QCOMPARE(v.heatmap()->rows(), 2);
        QCOMPARE(v.heatmap()->cols(), 3);
        QCOMPARE(v.heatmap()->attention(), a);
        auto* gold = child<QCheckBox>(v, "goldCheck");
        v.setGold({});
        QVERIFY(!gold->isEnabled());   // not a corpus sentence: no gold alignment to show
        v.setGold({{0}, {1}});
        QVERIFY(gold->isEnabled());
        gold->setChecked(true);
        QVERIFY(v.heatmap()->showGold());
        QCOMPARE(v.heatmap()->goldOutlines(), 2);
        gold->setChecked(false);
        QCOMPARE(v.heatmap()->goldOutlines(), 0);
    }
};

QTEST_MAIN(TestTranslationView)
#include "tst_translationview.moc"
