// The Quiz dock of the Transformer lesson with the real window and the built-in toy-language TinyGPT: each
// answer appends the token that came to the shared session, and every number is checked against an
// independent computation (softmax of the session's logits in double, the toy grammar's exact table, the
// smoothing written out by hand). Also: the round ends after N steps, the CSV export equals the scored steps,
// a model without a known language scores the model's own draw, the dock has its View toggle and shortcut.
#include "app/gui/dockexport.h"
#include "app/gui/generationcontroller.h"
#include "app/gui/mainwindow.h"
#include "app/gui/presentation.h"
#include "app/gui/quizcontroller.h"
#include "core/data/toygrammar.h"
#include "core/decoding/predictionquiz.h"
#include "widgets/exportable.h"
#include "widgets/nexttokenview.h"
#include "widgets/quizview.h"
#include "widgets/tokenchipsview.h"
#include "testutil.h"
#include "guitestutil.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QTemporaryDir>
#include <QHeaderView>
#include <QTableWidget>
#include <QToolButton>
#include <QtTest>

#include <cmath>

using namespace arlab;

namespace {
using testutil::makeWindow;
bool near(double a, double b, double tol = 1e-9) { return std::abs(a - b) <= tol * std::max(1.0, std::abs(b)); }
}  // namespace

class TestQuizDock : public QObject {
    Q_OBJECT
private slots:
    void dockToggleAndShortcut() {
        auto win = makeWindow();
        auto* dock = win->findChild<QDockWidget*>("quizDock");
        QVERIFY(dock);
        QVERIFY(dock->isHidden());   // hidden by default: the lesson's first look is unchanged
        bool toggle = false;
        for (QAction* a : win->viewMenu()->actions()) toggle |= a == dock->toggleViewAction();
        QVERIFY(toggle);
        QAction* newRound = nullptr;
        for (QAction* a : win->actions())
            if (a->shortcut() == QKeySequence("Ctrl+Shift+N")) newRound = a;
        QVERIFY(newRound);
        QVERIFY(!newRound->toolTip().isEmpty());
        auto* next = win->findChild<NextTokenView*>();
        auto* chips = win->findChild<TokenChipsView*>();
        QVERIFY(!next->data().stages.empty());
        QVERIFY(!chips->nextAlternatives().isEmpty());
        newRound->trigger();
        QApplication::processEvents();
        QVERIFY(dock->isVisible());
        QVERIFY(dock->findChild<QuizView*>()->asking());
        // the quiz takes the Next token dock's place as a tab
        QVERIFY(win->tabifiedDockWidgets(dock).contains(win->findChild<QDockWidget*>("nextTokenDock")));
        // while it asks, nothing shows the model's next-token distribution (it would give the answer away)
        QVERIFY(next->data().stages.empty());
        QVERIFY(chips->nextAlternatives().isEmpty());
        // revealed: the distribution is back
        QVERIFY(win->findChild<QuizController*>()->answer(ar::QuizGuess::pick(0)));
        QVERIFY(!next->data().stages.empty());
        QVERIFY(!chips->nextAlternatives().isEmpty() || !win->generation()->session()->canStep());
        // a closed quiz dock hides nothing
        win->findChild<QuizController*>()->ask();
        QVERIFY(next->data().stages.empty());
        dock->toggleViewAction()->trigger();
        QApplication::processEvents();
        QVERIFY(!next->data().stages.empty());
    }

    // Shown in the default layout with seven answers revealed (the README's quiz screenshot), the quiz's round table
    // shows every row of the round (at least five rows' room): the Generation dock above gives up the empty room
    // under its chips.
    void theRoundTableGetsTheRoom() {
        auto win = makeWindow();
        win->resetLayout();
        auto* dock = win->findChild<QDockWidget*>("quizDock");
        auto* ctl = win->findChild<QuizController*>();
        dock->show();
        QTest::qWait(50);   // it takes its place (a queued tabify)
        ctl->newRound(10);
        for (int i = 0; i < 7; ++i) {
            ctl->ask();
            QVERIFY(ctl->answer(ar::QuizGuess::pick(0)));
        }
        QTest::qWait(50);
        auto* table = dock->findChild<QTableWidget*>();
        QVERIFY(table && table->isVisible());
        const int row = table->verticalHeader()->defaultSectionSize();
        QVERIFY(table->rowCount() >= 7);   // the seven answers (and the total)
        QVERIFY2(table->viewport()->height() >= std::max(5, table->rowCount()) * row,
                 qPrintable(QString("table viewport %1 px for %2 rows of %3 px").arg(table->viewport()->height()).arg(table->rowCount()).arg(row)));
    }

    // In presentation mode (fonts x1.6) at 1600x1000 and 1280x800 the quiz needs more room than its dock has: it
    // scrolls rather than squeezing its widgets, so every word button and note keeps the height its text needs.
    void nothingIsSqueezedInPresentationMode_data() {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1600x1000") << QSize(1600, 1000);
        QTest::newRow("1280x800") << QSize(1280, 800);
    }
    void nothingIsSqueezedInPresentationMode() {
        QFETCH(QSize, size);
        auto win = makeWindow();
        win->resize(size);
        auto* mode = win->findChild<PresentationMode*>();
        auto* dock = win->findChild<QDockWidget*>("quizDock");
        auto* ctl = win->findChild<QuizController*>();
        QVERIFY(mode && dock && ctl);
        mode->setOn(true);
        dock->show();
        QTest::qWait(50);   // it takes its place (a queued tabify)
        ctl->newRound(10);
        ctl->ask();
        QVERIFY(ctl->answer(ar::QuizGuess::pick(0)));   // revealed: the answer and the round table are shown too
        QTest::qWait(50);
        auto* view = dock->findChild<QuizView*>();
        int checked = 0;
        for (QWidget* w : view->findChildren<QWidget*>()) {
            if (!w->isVisible() || !(qobject_cast<QToolButton*>(w) || qobject_cast<QLabel*>(w))) continue;
            const int need = qobject_cast<QLabel*>(w) ? w->minimumSizeHint().height() : w->sizeHint().height();
            QVERIFY2(w->height() >= need, qPrintable(QString("%1 '%2': %3 px high, needs %4")
                                                         .arg(w->metaObject()->className(), w->property("text").toString().left(30))
                                                         .arg(w->height()).arg(need)));
            ++checked;
        }
        QVERIFY(checked > 20);
        mode->setOn(false);
    }

    // Five answers on the toy language, each checked against the session, the grammar and the hand formula.
    void answersAreScoredAgainstTheModelAndTheTruth() {
        auto win = makeWindow();
        GenerationController* gen = win->generation();
        auto* dock = win->findChild<QDockWidget*>("quizDock");
        dock->show();
        auto* view = dock->findChild<QuizView*>();
        auto* ctl = win->findChild<QuizController*>();
        QVERIFY(view && ctl);
        ctl->newRound(5);
        const ar::ToyGrammar grammar;
        const int V = gen->model()->vocabSize();
        const ar::Tokenizer& tok = gen->model()->tokenizer();
        const int cat = tok.id("cat"), sees = tok.id("sees");
        QVERIFY(cat >= 0 && sees >= 0);
        for (int i = 0; i < 5; ++i) {
            QVERIFY2(view->asking(), qPrintable(QString("step %1: %2").arg(i).arg(view->findChildren<QLabel*>().value(1)->text())));
            const ar::DecodingSession& s = *gen->session();
            const ar::Tokens before = s.sequence();
            const std::vector<double> p = testutil::softmax64(s.nextLogits());
            const std::vector<double> truth = grammar.nextDistribution(before, tok);
            const int expected = ctl->languageDraw();
            QVERIFY(expected >= 0 && truth[size_t(expected)] > 0);   // drawn from the language: always possible there
            // 70 points on "cat", 30 on "sees" (by clicks, as a student would)
            view->setSpreadMode(true);
            for (int k = 0; k < 7; ++k) view->clickToken(cat);
            for (int k = 0; k < 3; ++k) view->clickToken(sees);
            view->reveal();
            const ar::DecodingSession& after = *gen->session();
            QCOMPARE(after.sequence().size(), before.size() + 1);
            const int x = after.sequence().back();
            QCOMPARE(x, expected);
            QVERIFY(after.steps().back().forced);
            const ar::QuizStep& st = ctl->round().steps().back();
            QCOMPARE(st.token, x);
            QCOMPARE(st.position, int(before.size()));
            QVERIFY(st.fromTruth && st.hasTruth);
            const double q = (x == cat ? 0.99 * 0.7 : x == sees ? 0.99 * 0.3 : 0.0) + 0.01 / V;
            QVERIFY2(near(st.studentLoss, -std::log(q)), qPrintable(QString("%1 vs %2").arg(st.studentLoss).arg(-std::log(q))));
            QVERIFY(near(st.modelLoss, -std::log(p[size_t(x)])));
            QVERIFY(near(st.trueP, truth[size_t(x)]));
            QVERIFY(near(st.trueLoss, -std::log(truth[size_t(x)])));
            double hq = 0, hp = 0, h = 0;
            for (int t = 0; t < V; ++t) {
                if (truth[size_t(t)] <= 0) continue;
                const double qt = (t == cat ? 0.99 * 0.7 : t == sees ? 0.99 * 0.3 : 0.0) + 0.01 / V;
                hq -= truth[size_t(t)] * std::log(qt);
                hp -= truth[size_t(t)] * std::log(p[size_t(t)]);
                h -= truth[size_t(t)] * std::log(truth[size_t(t)]);
            }
            QVERIFY(near(st.studentCrossEntropy, hq));
            QVERIFY(near(st.modelCrossEntropy, hp));
            QVERIFY(near(st.trueEntropy, h));
            const int modelTop = int(std::max_element(p.begin(), p.end()) - p.begin());
            QCOMPARE(st.modelTop, modelTop);
            QCOMPARE(st.studentTop, cat);
            QVERIFY(!view->asking());
            QVERIFY(view->revealText().contains(QString::number(st.studentLoss, 'f', 2)));
            if (i < 4) ctl->ask();
        }
        QVERIFY(ctl->round().finished());
        QVERIFY(view->summaryText().contains("Round over"));
        ctl->ask();
        QVERIFY(!view->asking());   // the round is over: nothing more is asked
        QVERIFY(!ctl->answer(ar::QuizGuess::pick(cat)));
        QCOMPARE(int(ctl->round().steps().size()), 5);

        // The CSV export of the dock: one row per step and the totals, equal to the scored numbers.
        QTemporaryDir dir;
        const QString path = dir.filePath("quiz.csv");
        QCOMPARE(DockExporter::exportDock(dock, path), QString());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QStringList> csv = ExportTable::parseCsv(QString::fromUtf8(f.readAll()));
        QCOMPARE(csv.size(), 1 + 5 + 1);
        const QStringList header = csv.front();
        double sum = 0;
        for (int i = 0; i < 5; ++i) {
            const ar::QuizStep& st = ctl->round().steps()[size_t(i)];
            QVERIFY(near(csv[1 + i][header.indexOf("your_loss")].toDouble(), st.studentLoss, 1e-8));
            QVERIFY(near(csv[1 + i][header.indexOf("model_loss")].toDouble(), st.modelLoss, 1e-8));
            QVERIFY(near(csv[1 + i][header.indexOf("true_p")].toDouble(), st.trueP, 1e-8));
            sum += st.studentLoss;
        }
        QCOMPARE(csv[6][0], QString("total"));
        QVERIFY(near(csv[6][header.indexOf("your_loss")].toDouble(), sum, 1e-8));
    }

    // A question that is open follows the text: a Space in the Generation dock moves it on.
    void anOpenQuestionFollowsTheText() {
        auto win = makeWindow();
        auto* dock = win->findChild<QDockWidget*>("quizDock");
        dock->show();
        auto* view = dock->findChild<QuizView*>();
        auto* ctl = win->findChild<QuizController*>();
        ctl->newRound(3);
        const int before = ctl->languageDraw();
        QVERIFY(win->generation()->step());
        QVERIFY(view->asking());
        QCOMPARE(int(ctl->round().steps().size()), 0);
        Q_UNUSED(before);
        QVERIFY(ctl->answer(ar::QuizGuess::pick(0)));
        QCOMPARE(ctl->round().steps().back().position, int(win->generation()->session()->sequence().size()) - 1);
    }

    // A model whose language is unknown: the token that comes is the model's own draw (the sampler's), and
    // nothing is scored against a truth.
    void aModelWithoutTruthScoresItsOwnDraw() {
        auto win = makeWindow();
        QCOMPARE(win->openModelFile(testutil::shipped("words-char")), QString());
        GenerationController* gen = win->generation();
        QVERIFY(!gen->hasTrueDistribution());
        auto* ctl = win->findChild<QuizController*>();
        win->findChild<QDockWidget*>("quizDock")->show();
        ctl->newRound(2);
        QCOMPARE(ctl->languageDraw(), -1);
        const std::vector<double> p = testutil::softmax64(gen->session()->nextLogits());
        QVERIFY(ctl->answer(ar::QuizGuess::pick(1)));
        const ar::QuizStep& st = ctl->round().steps().back();
        QVERIFY(!st.fromTruth && !st.hasTruth);
        QVERIFY(!gen->session()->steps().back().forced);
        QCOMPARE(st.token, gen->session()->sequence().back());
        QVERIFY(near(st.modelLoss, -std::log(p[size_t(st.token)])));
    }
};

QTEST_MAIN(TestQuizDock)
#include "tst_quizdock.moc"
