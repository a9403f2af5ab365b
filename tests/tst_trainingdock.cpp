// The Training dock: a TinyGPT trained on the toy language in a worker thread, watched in the dock, then
// used by the Transformer lesson's docks. Tiny configurations keep the whole file at a few seconds.
#include "app/gui/generationcontroller.h"
#include "app/gui/mainwindow.h"
#include "app/gui/trainingcontroller.h"
#include "core/data/toygrammar.h"
#include "core/models/tinygpt.h"
#include "guitestutil.h"
#include "testutil.h"
#include "tinytraining.h"
#include "widgets/trainingview.h"

#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include <cmath>

using namespace arlab;

namespace {

qint64 parameterCount(const ar::LanguageModel& m) {
    qint64 n = 0;
    for (const auto& p : m.parameters()) n += p.var.value().size();
    return n;
}

std::unique_ptr<MainWindow> makeWindow() { return testutil::makeWindow("transformer", testutil::Look::Hidden); }

}  // namespace

class TestTrainingDock : public QObject {
    Q_OBJECT
private slots:
    void badSettingsAreRefused_data() {
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("embd");
        QTest::addColumn<QString>("pos");
        QTest::addColumn<QString>("message");  // empty = accepted
        QTest::newRow("fine") << 4 << 64 << "learned" << "";
        QTest::newRow("heads do not divide") << 3 << 64 << "learned" << "3 heads do not divide the embedding width 64";
        QTest::newRow("rope odd head width") << 8 << 24 << "rope" << "rotary positions need an even head width";
        QTest::newRow("rope even head width") << 4 << 24 << "rope" << "";
    }
    void badSettingsAreRefused() {
        QFETCH(int, heads);
        QFETCH(int, embd);
        QFETCH(QString, pos);
        QFETCH(QString, message);
        TrainingView view;
        GenerationController gen;
        TrainingController ctl(&view, &gen);
        ar::ToyGptSettings s = testutil::tinyToyTraining(20);
        s.heads = heads;
        s.embd = embd;
        s.pos = ar::parsePositionMode(pos.toStdString());
        view.setSettings(s);
        if (message.isEmpty()) {
            QVERIFY2(view.settingsProblem().isEmpty(), qPrintable(view.settingsProblem()));
            QVERIFY(view.startButton()->isEnabled());
            return;
        }
        QVERIFY2(view.settingsProblem().contains(message), qPrintable(view.settingsProblem()));
        QVERIFY(!view.startButton()->isEnabled());
        QVERIFY(!ctl.start());
        QVERIFY(!ctl.isRunning());
        // Fixing the width clears the message and enables Start again.
        view.widthBox()->setValue(heads * 8);
        QVERIFY2(view.settingsProblem().isEmpty(), qPrintable(view.settingsProblem()));
        QVERIFY(view.startButton()->isEnabled());
    }

    // A tiny model learns: the first reported loss is that of a near-uniform guess (ln V), the last one is
    // far lower; every step's loss reaches the curve although reports are throttled.
    void lossDecreasesAndProgressIsThrottled() {
        TrainingView view;
        GenerationController gen;
        TrainingController ctl(&view, &gen);
        const ar::ToyGptSettings s = testutil::tinyToyTraining(200);
        view.setSettings(s);
        QSignalSpy progress(&ctl, &TrainingController::progressed);
        QSignalSpy done(&ctl, &TrainingController::finished);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(ctl.start());
        QVERIFY(!view.startButton()->isEnabled());
        QVERIFY(view.stopButton()->isEnabled());
        QVERIFY(done.wait(30000));
        const qint64 ms = clock.elapsed();
        QVERIFY(!ctl.isRunning());
        QVector<QPointF> train, val;
        for (const auto& args : progress) {
            const auto p = args.at(0).value<TrainingProgress>();
            train += p.train;
            val += p.validation;
        }
        QCOMPARE(train.size(), s.steps);
        QCOMPARE(view.trainPointCount(), s.steps);
        QCOMPARE(val.size(), s.steps / s.evalEvery);
        QCOMPARE(view.validationPointCount(), val.size());
        // Throttled: at most one report per 50 ms of training, plus the final flush.
        QVERIFY2(progress.size() <= ms / TrainingWorker::kProgressIntervalMs + 2,
                 qPrintable(QString("%1 reports in %2 ms").arg(progress.size()).arg(ms)));
        const double lnV = std::log(double(ar::ToyGrammar().words().size()));
        QVERIFY2(std::abs(train.first().y() - lnV) < 0.3, qPrintable(QString::number(train.first().y())));
        const TrainingOutcome& o = ctl.outcome();
        QVERIFY(!o.stopped);
        QCOMPARE(o.steps, s.steps);
        QVERIFY2(o.valLoss < train.first().y() - 1.0, qPrintable(QString("first %1 final val %2").arg(train.first().y()).arg(o.valLoss)));
        QVERIFY(o.valLoss > ar::ToyGrammar().entropyRate() - 0.1);  // nothing beats the truth (up to sampling noise)
        QCOMPARE(val.last().y(), o.valLoss);
        QVERIFY(view.useButton()->isEnabled());
        QVERIFY2(view.status().contains("Done after 200 steps"), qPrintable(view.status()));
        if (qEnvironmentVariableIsSet("ARLAB_TRAINING_SHOT")) view.grab().save(qEnvironmentVariable("ARLAB_TRAINING_SHOT"));
    }

    // Stop ends a long run within a step or two and still gives a usable model.
    void stopIsQuickAndKeepsTheModel() {
        TrainingView view;
        GenerationController gen;
        TrainingController ctl(&view, &gen);
        ar::ToyGptSettings s = testutil::tinyToyTraining(100000);
        view.setSettings(s);
        QSignalSpy progress(&ctl, &TrainingController::progressed);
        QSignalSpy done(&ctl, &TrainingController::finished);
        QVERIFY(ctl.start());
        QVERIFY(progress.wait(10000));
        QElapsedTimer clock;
        clock.start();
        QTest::mouseClick(view.stopButton(), Qt::LeftButton);
        // Liveness only, generously (a step takes milliseconds; sanitizer builds scale the bound).
        QVERIFY(done.wait(int(20000 * testutil::slowdown())));
        QVERIFY2(clock.elapsed() < 10000 * testutil::slowdown(), qPrintable(QString::number(clock.elapsed())));
        const TrainingOutcome& o = ctl.outcome();
        QVERIFY(o.stopped);
        QVERIFY(o.steps > 0 && o.steps < s.steps);
        QVERIFY(o.model);
        QVERIFY(std::isfinite(o.valLoss));
        QVERIFY2(view.status().startsWith("Stopped"), qPrintable(view.status()));
        QVERIFY(view.useButton()->isEnabled());
        QVERIFY(ctl.useModel());
        QCOMPARE(gen.model().get(), o.model.get());
        QVERIFY(gen.session());
        QVERIFY(gen.step());
    }

    // Settings only core's corpus split refuses (a hidden one: the validation share): the worker fails with
    // core's message, nothing hangs, and a second run with usable settings works.
    void failureIsReportedAndTheNextRunWorks() {
        TrainingView view;
        GenerationController gen;
        TrainingController ctl(&view, &gen);
        ar::ToyGptSettings s = testutil::tinyToyTraining(20);
        s.valFraction = 0.95;
        view.setSettings(s);
        QSignalSpy done(&ctl, &TrainingController::finished);
        QVERIFY(ctl.start());
        QVERIFY(done.wait(10000));
        QVERIFY2(view.status().startsWith("Training failed: ") && view.status().contains("validation fraction must be in (0, 0.9)"), qPrintable(view.status()));
        QVERIFY(!ctl.trainedModel());
        QVERIFY(!view.useButton()->isEnabled());
        QVERIFY(view.startButton()->isEnabled());
        view.setSettings(testutil::tinyToyTraining(20));
        QVERIFY(ctl.start());
        QVERIFY(done.wait(10000));
        QVERIFY(ctl.trainedModel());
        QCOMPARE(ctl.outcome().steps, 20);
    }

    // In the real window: the dock is registered (hidden by default), and "Use this model" puts the trained
    // model behind the Generation / Model docks; Space then steps with it.
    void useThisModelInTheWindow() {
        auto win = makeWindow();
        win->show();
        QApplication::setActiveWindow(win.get());
        QVERIFY(QTest::qWaitForWindowActive(win.get()));
        auto* dock = win->findChild<QDockWidget*>("trainingDock");
        QVERIFY(dock);
        QVERIFY(win->docks().contains(dock));
        QVERIFY(win->findChild<QDockWidget*>("modelDock")->isVisible());
        QVERIFY(!dock->isVisible());   // the lesson's first look is unchanged
        bool inLessonMenu = false;
        for (const auto& l : win->lessons())
            if (l->spec.id == "transformer") inLessonMenu = l->docks.contains(dock) && l->menu->actions().contains(dock->toggleViewAction());
        QVERIFY(inLessonMenu);
        dock->toggleViewAction()->trigger();
        QVERIFY(dock->isVisible());
        auto* view = qobject_cast<TrainingView*>(MainWindow::dockView(dock));
        auto* ctl = win->findChild<TrainingController*>("trainingController");
        QVERIFY(view && ctl);
        QVERIFY(!view->useButton()->isEnabled());
        const ar::ToyGptSettings s = testutil::tinyToyTraining(40);
        view->setSettings(s);
        QSignalSpy done(ctl, &TrainingController::finished);
        QTest::mouseClick(view->startButton(), Qt::LeftButton);
        QVERIFY(done.wait(30000));
        const auto builtin = win->generation()->model();
        QVERIFY(view->useButton()->isEnabled());
        QTest::mouseClick(view->useButton(), Qt::LeftButton);
        const auto m = win->generation()->model();
        QVERIFY(m.get() != builtin.get());
        QCOMPARE(m.get(), ctl->trainedModel().get());
        const auto* gpt = dynamic_cast<const ar::TinyGpt*>(m.get());
        QVERIFY(gpt);
        QCOMPARE(gpt->config().layers, s.layers);
        QCOMPARE(gpt->config().heads, s.heads);
        QCOMPARE(gpt->config().embd, s.embd);
        QCOMPARE(gpt->config().contextLength, s.context);
        QCOMPARE(parameterCount(*m), ctl->outcome().parameters);
        QVERIFY2(win->generation()->modelSource().contains("trained in the app"), qPrintable(win->generation()->modelSource()));
        QVERIFY(win->generation()->hasTrueDistribution());
        QVERIFY(win->generation()->session());
        const int before = win->generation()->session()->stepCount();
        QWidget* target = QApplication::focusWidget() ? QApplication::focusWidget() : win.get();
        QTest::keyClick(target, Qt::Key_Space);
        QCOMPARE(win->generation()->session()->stepCount(), before + 1);
        QCOMPARE(&win->generation()->session()->model(), m.get());
    }

    // The defaults a teacher gets, timed in the real window (about 10 s on one core, so opt-in):
    //   ARLAB_TRAINING_DEFAULTS=/tmp/window.png tst_trainingdock defaultSettingsInTheWindow
    void defaultSettingsInTheWindow() {
        const QString shot = qEnvironmentVariable("ARLAB_TRAINING_DEFAULTS");
        if (shot.isEmpty()) QSKIP("set ARLAB_TRAINING_DEFAULTS=<png> to time the default settings");
        auto win = makeWindow();
        win->resize(1600, 1000);
        win->show();
        auto* dock = win->findChild<QDockWidget*>("trainingDock");
        dock->show();
        auto* view = qobject_cast<TrainingView*>(MainWindow::dockView(dock));
        auto* ctl = win->findChild<TrainingController*>("trainingController");
        QSignalSpy done(ctl, &TrainingController::finished);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(ctl->start());
        QVERIFY(done.wait(120000));
        const TrainingOutcome& o = ctl->outcome();
        qInfo("defaults: %lld parameters, %d steps in %.1f s (worker %.1f s): train %.4f, validation %.4f nats/token, entropy rate %.4f",
              o.parameters, o.steps, clock.elapsed() / 1000.0, o.seconds, o.trainLoss, o.valLoss, ar::ToyGrammar().entropyRate());
        QVERIFY(ctl->useModel());
        win->generation()->stepN(8);
        QVERIFY(win->grab().save(shot));
    }

    // Closing the window in the middle of a run neither crashes nor hangs.
    void closingWhileTrainingStopsTheRun() {
        auto win = makeWindow();
        auto* view = win->findChild<TrainingView*>();
        auto* ctl = win->findChild<TrainingController*>("trainingController");
        view->setSettings(testutil::tinyToyTraining(100000));
        QSignalSpy progress(ctl, &TrainingController::progressed);
        QVERIFY(ctl->start());
        QVERIFY(progress.wait(10000));
        QElapsedTimer clock;
        clock.start();
        win->close();
        win.reset();
        // Liveness only: closing must not wait for the 100000 steps (minutes); generous under sanitizers too.
        QVERIFY2(clock.elapsed() < 15000 * testutil::slowdown(), qPrintable(QString::number(clock.elapsed())));
    }
};

QTEST_MAIN(TestTrainingDock)
#include "tst_trainingdock.moc"
