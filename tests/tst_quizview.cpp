// QuizView (widgets/quizview.h) alone, with fake data: pick and spread modes (clicks on the word buttons),
// the 100-point rule, the revealed step, the round's table and its CSV (numbers equal to the scored steps).
#include "core/decoding/predictionquiz.h"
#include "widgets/quizview.h"

#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QToolButton>
#include <QtTest>

#include <cmath>

using namespace arlab;


namespace {
QToolButton* wordButton(QuizView& v, const QString& word) {
    for (QToolButton* b : v.findChildren<QToolButton*>())
        if (b->property("token").isValid() && b->text().section(' ', 0, 0) == word) return b;
    return nullptr;
}
QPushButton* button(QuizView& v, const QString& text) {
    for (QPushButton* b : v.findChildren<QPushButton*>())
        if (b->text().remove('&') == text) return b;
    return nullptr;
}
const QStringList kVocab{".", "cat", "dog", "sees"};
}  // namespace

class TestQuizView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { qRegisterMetaType<ar::QuizGuess>(); }

    // Pick mode: a click on a word is the guess, all 100 points on it.
    void pickMode() {
        QuizView v;
        v.setVocabulary(kVocab);
        v.setQuestion(1, 3, "a happy child", "from the language");
        QSignalSpy spy(&v, &QuizView::guessed);
        QToolButton* dog = wordButton(v, "dog");
        QVERIFY(dog);
        QTest::mouseClick(dog, Qt::LeftButton);
        QCOMPARE(spy.size(), 1);
        const auto g = spy.at(0).at(0).value<ar::QuizGuess>();
        QCOMPARE(g.points.size(), size_t(1));
        QCOMPARE(g.points[0].first, 2);
        QCOMPARE(g.points[0].second, 100);
    }

    // Spread mode: clicks add 10 points, right-clicks take 10 back, nothing beyond 100, Reveal only at 100.
    void spreadMode() {
        QuizView v;
        v.setVocabulary(kVocab);
        v.setQuestion(1, 3, "a happy child", "");
        v.setSpreadMode(true);
        QSignalSpy spy(&v, &QuizView::guessed);
        for (int i = 0; i < 4; ++i) QTest::mouseClick(wordButton(v, "cat"), Qt::LeftButton);
        QCOMPARE(v.currentGuess().pointsOn(1), 40);
        QVERIFY(!v.canReveal());
        QPushButton* reveal = button(v, "Reveal");
        QVERIFY(reveal);
        QVERIFY(!reveal->isEnabled());
        for (int i = 0; i < 7; ++i) v.clickToken(3);
        QCOMPARE(v.currentGuess().pointsOn(3), 60);      // the 7th click had no points left
        QCOMPARE(v.currentGuess().total(), 100);
        v.clickToken(3, true);                            // right-click: 10 back
        QCOMPARE(v.currentGuess().pointsOn(3), 50);
        QVERIFY(!v.canReveal());
        v.clickToken(2);
        QVERIFY(v.canReveal());
        QVERIFY(reveal->isEnabled());
        QCOMPARE(spy.size(), 0);                          // nothing is committed before Reveal
        QTest::mouseClick(reveal, Qt::LeftButton);
        QCOMPARE(spy.size(), 1);
        const auto g = spy.at(0).at(0).value<ar::QuizGuess>();
        QCOMPARE(g.total(), 100);
        QCOMPARE(g.pointsOn(1), 40);
        QCOMPARE(g.pointsOn(2), 10);
        QCOMPARE(g.pointsOn(3), 50);
        QVERIFY(v.summaryText().contains("no answers yet"));
    }

    // Not asking: clicks do nothing.
    void unavailable() {
        QuizView v;
        v.setVocabulary(kVocab);
        v.setUnavailable("No model loaded.");
        QSignalSpy spy(&v, &QuizView::guessed);
        v.clickToken(1);
        QCOMPARE(spy.size(), 0);
        QVERIFY(!v.asking());
    }

    // The revealed step and the round: the table, the summary and the CSV show the scored numbers.
    void revealedRound() {
        QuizView v;
        v.setVocabulary(kVocab);
        v.setQuestion(1, 2, "a", "");
        ar::PredictionQuiz round(2);
        const std::vector<double> p{0.5, 0.25, 0.125, 0.125}, truth{0.5, 0.5, 0, 0};
        ar::QuizStep s1 = ar::scoreQuizStep(ar::QuizGuess{{{0, 40}, {1, 60}}}, p, truth, 0, 3);
        s1.fromTruth = true;
        round.add(s1);
        v.setRound(round);
        v.setRevealed(s1, {{0, 0.5}, {1, 0.25}}, "(drawn from the toy language)");
        QVERIFY(!v.asking());
        QVERIFY2(v.revealText().contains("0.92 nats"), qPrintable(v.revealText()));   // -ln 0.3985
        QVERIFY(v.revealText().contains("0.69 nats"));                                 // ln 2
        QCOMPARE(v.table()->rowCount(), 2);                                            // the step and the totals
        QCOMPARE(v.table()->item(0, 1)->text(), QString("."));
        QCOMPARE(v.table()->item(0, 4)->text(), QString("0.92"));
        QVERIFY(v.summaryText().contains("Running total"));
        const ar::QuizStep s2 = ar::scoreQuizStep(ar::QuizGuess::pick(3), p, {}, 1, 4);
        round.add(s2);
        v.setRound(round);
        QVERIFY(v.summaryText().contains("Round over"));
        QCOMPARE(v.table()->rowCount(), 3);
        QCOMPARE(v.table()->item(1, 6)->text(), QString("–"));   // no truth at that step

        const ExportTable t = v.exportTable();
        QCOMPARE(t.rows.size(), 3);
        auto col = [&t](const char* name) { return int(t.header.indexOf(QString::fromLatin1(name))); };
        QCOMPARE(t.rows[0][col("guess")], QString(".:40 cat:60"));
        QCOMPARE(t.rows[0][col("from")], QString("language"));
        QCOMPARE(t.rows[1][col("from")], QString("model"));
        QVERIFY(std::abs(t.rows[0][col("your_loss")].toDouble() - s1.studentLoss) < 1e-9);
        QVERIFY(std::abs(t.rows[0][col("model_ce_truth")].toDouble() - s1.modelCrossEntropy) < 1e-9);
        QCOMPARE(t.rows[1][col("true_p")], QString());
        QCOMPARE(t.rows[2][col("step")], QString("total"));
        QVERIFY(std::abs(t.rows[2][col("your_loss")].toDouble() - (s1.studentLoss + s2.studentLoss)) < 1e-9);
        QCOMPARE(t.rows[2][col("model_hit")], QString("1"));
    }

    // The stated smoothing is shown with this vocabulary's worst case: ln(100 V).
    void smoothingIsStated() {
        QuizView v;
        v.setVocabulary(kVocab);
        QVERIFY2(v.smoothingNote().contains("ε = 0.01"), qPrintable(v.smoothingNote()));
        QVERIFY(v.smoothingNote().contains(QString::number(std::log(400.0), 'f', 2)));
    }

    // A big vocabulary gets an entry box instead of buttons.
    void bigVocabulary() {
        QuizView v;
        QStringList vocab;
        for (int i = 0; i < 500; ++i) vocab << QString("w%1").arg(i);
        v.setVocabulary(vocab);
        v.setQuestion(1, 5, "w1 w2", "");
        QVERIFY(!wordButton(v, "w3"));
        QSignalSpy spy(&v, &QuizView::guessed);
        auto* combo = v.findChild<QComboBox*>();
        QVERIFY(combo);
        combo->setCurrentText("w42");
        QTest::mouseClick(button(v, "Pick"), Qt::LeftButton);
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.at(0).at(0).value<ar::QuizGuess>().pointsOn(42), 100);
    }
};

QTEST_MAIN(TestQuizView)
#include "tst_quizview.moc"
