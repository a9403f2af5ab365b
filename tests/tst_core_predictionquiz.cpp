// The prediction quiz's scoring (core/decoding/predictionquiz.h) against log-losses computed by hand.
// Every expected value below is written out from the definitions: q_i = 0.99 * points_i / 100 + 0.01 / V.
#include "core/decoding/predictionquiz.h"
#include "testutil.h"

#include <QtTest>

#include <cmath>

using namespace ar;
using testutil::errorOf;

namespace {
bool near(double a, double b) { return std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b)); }
}  // namespace

#define QNEAR(a, b) QVERIFY2(near((a), (b)), qPrintable(QString("%1 = %2, expected %3").arg(#a).arg((a), 0, 'g', 17).arg((b), 0, 'g', 17)))

class TestPredictionQuiz : public QObject {
    Q_OBJECT
private slots:
    // V = 4, model p = (1/2, 1/4, 1/8, 1/8), truth P* = (1/2, 1/2, 0, 0), the student puts 40 points on
    // token 0 and 60 on token 1, and token 0 comes.
    //   q = (0.0025 + 0.99 * 0.4, 0.0025 + 0.99 * 0.6, 0.0025, 0.0025) = (0.3985, 0.5965, 0.0025, 0.0025)
    void spreadPoints() {
        const std::vector<double> p{0.5, 0.25, 0.125, 0.125}, truth{0.5, 0.5, 0, 0};
        const QuizGuess g{{{0, 40}, {1, 60}}};
        const std::vector<double> q = studentDistribution(g, 4);
        QNEAR(q[0], 0.3985);
        QNEAR(q[1], 0.5965);
        QNEAR(q[2], 0.0025);
        QNEAR(q[3], 0.0025);
        const QuizStep s = scoreQuizStep(g, p, truth, 0, 7);
        QCOMPARE(s.position, 7);
        QCOMPARE(s.token, 0);
        QNEAR(s.studentP, 0.3985);
        QNEAR(s.studentLoss, 0.9200477807518672);    // -ln 0.3985
        QNEAR(s.modelLoss, 0.69314718055994531);      // ln 2
        QVERIFY(s.hasTruth);
        QNEAR(s.trueP, 0.5);
        QNEAR(s.trueLoss, 0.69314718055994531);       // ln 2
        // H(P*, q) = -(ln 0.3985 + ln 0.5965) / 2;  H(P*, p) = (ln 2 + ln 4) / 2 = 1.5 ln 2;  H(P*) = ln 2
        QNEAR(s.studentCrossEntropy, 0.7183619090980167);
        QNEAR(s.modelCrossEntropy, 1.0397207708399179);
        QNEAR(s.trueEntropy, 0.69314718055994531);
        QCOMPARE(s.studentTop, 1);
        QCOMPARE(s.modelTop, 0);
        QVERIFY(!s.studentHit());
        QVERIFY(s.modelHit());
        QVERIFY(!s.agree());
    }

    // Zero points on the token that came: q(x) = 0.01 / V, the loss is ln(100 V), finite.
    void zeroPointsOnTheRealisedToken_data() {
        QTest::addColumn<int>("vocab");
        QTest::addColumn<double>("loss");
        QTest::newRow("V = 4") << 4 << 5.9914645471079817;     // ln 400
        QTest::newRow("V = 30") << 30 << 8.0063675676502459;   // ln 3000
        QTest::newRow("V = 1000") << 1000 << 11.512925464970229;   // ln 100000
    }
    void zeroPointsOnTheRealisedToken() {
        QFETCH(int, vocab);
        QFETCH(double, loss);
        const std::vector<double> p(size_t(vocab), 1.0 / vocab);
        const QuizStep s = scoreQuizStep(QuizGuess::pick(1), p, {}, 0, 1);
        QNEAR(s.studentP, 0.01 / vocab);
        QNEAR(s.studentLoss, loss);
        QNEAR(s.modelLoss, std::log(double(vocab)));
        QVERIFY(!s.hasTruth);
        QVERIFY(!s.studentHit());
        QVERIFY(std::isfinite(s.studentLoss));
    }

    // All 100 points on the token that came: q(x) = 0.99 + 0.01/4 = 0.9925, the loss -ln 0.9925.
    void allPointsOnTheRealisedToken() {
        const std::vector<double> p{0.7, 0.1, 0.1, 0.1};
        const QuizStep s = scoreQuizStep(QuizGuess::pick(0), p, {}, 0, 3);
        QNEAR(s.studentP, 0.9925);
        QNEAR(s.studentLoss, 0.0075282664207915245);
        QNEAR(s.modelLoss, 0.35667494393873245);   // -ln 0.7
        QVERIFY(s.studentHit() && s.modelHit() && s.agree());
    }

    // The student's top pick on a tie is the lower id; so is the model's.
    void tiesGoToTheLowerId() {
        QCOMPARE((QuizGuess{{{3, 50}, {1, 50}}}.top()), 1);
        QCOMPARE((QuizGuess{{{2, 30}, {0, 30}, {1, 40}}}.top()), 1);
        const std::vector<double> p{0.25, 0.375, 0.375, 0.0};
        QCOMPARE(scoreQuizStep(QuizGuess::pick(2), p, {}, 2, 0).modelTop, 1);
    }

    void badGuesses_data() {
        QTest::addColumn<QString>("points");   // "id:points,..."
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << "" << "the guess has no points: put 100 points on one or more tokens";
        QTest::newRow("90 points") << "0:50,1:40" << "the points add up to 90, not 100";
        QTest::newRow("110 points") << "0:60,1:50" << "the points add up to 110, not 100";
        QTest::newRow("a token twice") << "0:50,0:50" << "the guess names token 0 twice";
        QTest::newRow("outside") << "4:100" << "the guess names token 4, outside the vocabulary of 4";
        QTest::newRow("negative id") << "-1:100" << "the guess names token -1, outside the vocabulary of 4";
        QTest::newRow("zero points") << "0:100,1:0" << "the guess gives token 1 0 points (1 to 100 each)";
        QTest::newRow("negative points") << "0:120,1:-20" << "the guess gives token 0 120 points (1 to 100 each)";
    }
    void badGuesses() {
        QFETCH(QString, points);
        QFETCH(QString, message);
        QuizGuess g;
        for (const QString& part : points.split(',', Qt::SkipEmptyParts))
            g.points.emplace_back(part.section(':', 0, 0).toInt(), part.section(':', 1).toInt());
        const std::vector<double> p{0.25, 0.25, 0.25, 0.25};
        QCOMPARE(errorOf([&] { scoreQuizStep(g, p, {}, 0, 0); }), message);
    }

    void badSteps() {
        const std::vector<double> p{0.5, 0.5};
        QCOMPARE(errorOf([&] { scoreQuizStep(QuizGuess::pick(0), p, {}, 2, 0); }), QString("quiz: token 2 is outside the vocabulary of 2"));
        const std::vector<double> t3{1, 0, 0};
        QCOMPARE(errorOf([&] { scoreQuizStep(QuizGuess::pick(0), p, t3, 0, 0); }),
                 QString("quiz: the true distribution has 3 entries, the model's 2"));
        QCOMPARE(errorOf([] { PredictionQuiz(0); }), QString("a quiz round has 1 to 200 steps, got 0"));
        QCOMPARE(errorOf([] { PredictionQuiz(201); }), QString("a quiz round has 1 to 200 steps, got 201"));
    }

    // A round of 3: the totals sum the hand-computed losses; a token impossible in the language is counted,
    // not given an infinite loss; a fourth step is refused.
    void roundTotals() {
        PredictionQuiz round(3);
        const std::vector<double> p{0.5, 0.25, 0.125, 0.125}, truth{0.5, 0.5, 0, 0};
        round.add(scoreQuizStep(QuizGuess{{{0, 40}, {1, 60}}}, p, truth, 0, 4));   // as in spreadPoints
        round.add(scoreQuizStep(QuizGuess::pick(2), p, truth, 2, 5));              // x impossible: P*(x) = 0
        QVERIFY(!round.finished());
        round.add(scoreQuizStep(QuizGuess::pick(1), p, {}, 1, 6));                 // no truth known here
        QVERIFY(round.finished());
        const QuizTotals& t = round.totals();
        QCOMPARE(t.steps, 3);
        // student: -ln 0.3985 - ln(0.99 + 0.0025) - ln(0.99 + 0.0025)
        QNEAR(t.studentLoss, 0.9200477807518672 + 2 * 0.0075282664207915245);
        // model: ln 2 + ln 8 + ln 4 = 6 ln 2
        QNEAR(t.modelLoss, 6 * 0.69314718055994531);
        QCOMPARE(t.studentHits, 2);
        QCOMPARE(t.modelHits, 1);
        QCOMPARE(t.agreements, 0);
        QCOMPARE(t.truthSteps, 2);
        QCOMPARE(t.trueLossSteps, 1);
        QCOMPARE(t.impossibleSteps, 1);
        QNEAR(t.trueLoss, 0.69314718055994531);
        QNEAR(t.trueEntropy, 2 * 0.69314718055994531);
        QNEAR(t.modelCrossEntropy, 2 * 1.0397207708399179);
        // second step: q = (0.0025, 0.0025, 0.9925, 0.0025): H(P*, q) = -ln 0.0025 = ln 400
        QNEAR(t.studentCrossEntropy, 0.7183619090980167 + 5.9914645471079817);
        QCOMPARE(errorOf([&] { round.add(round.steps().front()); }), QString("the quiz round of 3 steps is over"));
    }
};

QTEST_APPLESS_MAIN(TestPredictionQuiz)
#include "tst_core_predictionquiz.moc"
