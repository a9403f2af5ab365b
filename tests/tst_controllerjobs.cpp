// The controllers whose background work runs as jobs of a JobRunner (app/gui/jobrunner.h), in the real window:
//   - an error thrown by a job reaches the controller's dock and the status bar (never swallowed): core's own
//     error where a setting makes core throw, else the runner's test seam (JobRunner::injectFailure), which
//     makes the job throw on its thread exactly where the work would have;
//   - a run that a newer request replaced delivers nothing (JobRunner::dropped), and what is shown is the newer
//     run's result.
#include "app/gui/beamcontroller.h"
#include "app/gui/comparecontroller.h"
#include "app/gui/generationcontroller.h"
#include "app/gui/jobrunner.h"
#include "app/gui/limitscontroller.h"
#include "app/gui/mainwindow.h"
#include "app/gui/pixelcontroller.h"
#include "app/gui/teacherforcingcontroller.h"
#include "app/gui/trainingcontroller.h"
#include "app/gui/translationcontroller.h"
#include "core/decoding/beamsearch.h"
#include "core/sampling/imagesampler.h"
#include "guitestutil.h"
#include "testutil.h"
#include "tinytraining.h"
#include "widgets/beamsearchpanel.h"
#include "widgets/compareview.h"
#include "widgets/pixelgridview.h"
#include "widgets/pixelpanel.h"
#include "widgets/teacherforcingview.h"
#include "widgets/trainingview.h"

#include <QDockWidget>
#include <QLabel>
#include <QSignalSpy>
#include <QStatusBar>
#include <QtTest>

#include <functional>

using namespace arlab;

namespace {

// Every text a dock shows in its labels (and the compare view's message, drawn on its canvas).
QString dockText(MainWindow& win, const QString& dock) {
    auto* d = win.findChild<QDockWidget*>(dock);
    if (!d) return QStringLiteral("<no dock %1>").arg(dock);
    QStringList texts;
    for (QLabel* l : d->findChildren<QLabel*>()) texts << l->text();
    for (CompareView* v : d->findChildren<CompareView*>()) texts << v->message();
    for (TeacherForcingView* v : d->findChildren<TeacherForcingView*>()) texts << v->summary();
    return texts.join('\n');
}

template <class C>
JobRunner* runnerOf(MainWindow& win) {
    auto* c = win.findChild<C*>();
    return c ? c->template findChild<JobRunner*>() : nullptr;
}

struct ErrorCase {
    QString lesson, dock;
    std::function<JobRunner*(MainWindow&)> runner;   // nullptr: core itself throws (no seam)
    QString kind;                                    // the job kind the seam fails
    std::function<void(MainWindow&)> trigger;        // starts the job
    QString expected;                                // in the dock and the status bar
};

const QString kInjected = QStringLiteral("injected failure 4711");

std::map<QString, ErrorCase> errorCases() {
    std::map<QString, ErrorCase> c;
    c["beam round"] = {"decoding", "beamDock", runnerOf<BeamController>, "beam-rounds",
                       [](MainWindow& w) { w.findChild<BeamController*>()->stepRound(); },
                       "Beam search stopped: " + kInjected};
    c["compare (core refuses the settings)"] = {"decoding", "compareDock", nullptr, {}, [](MainWindow& w) {
                       ar::CompareSettings s = w.findChild<CompareView*>()->settings();
                       s.samples = 33;   // core: [0, 32]
                       w.findChild<CompareController*>()->run(s);
                   }, "The comparison failed: "};
    c["compare"] = {"decoding", "compareDock", runnerOf<CompareController>, "compare",
                    [](MainWindow& w) { w.findChild<CompareController*>()->run(w.findChild<CompareView*>()->settings()); },
                    "The comparison failed: " + kInjected};
    c["teacher forcing curves"] = {"translate", "teacherForcingDock", runnerOf<TeacherForcingController>, "curves",
                                   [](MainWindow& w) { w.findChild<TeacherForcingController*>()->chooseModel(1); },
                                   "Measuring the curves failed: " + kInjected};
    c["pixel overlay"] = {"pixels", "pixelDock", runnerOf<PixelController>, "receptive-field",
                          [](MainWindow& w) { w.findChild<PixelController*>()->step(); },
                          "The receptive-field overlay failed: " + kInjected};
    c["limits kv"] = {"limits", "limitsKvDock", runnerOf<LimitsController>, "kv",
                      [](MainWindow& w) { w.findChild<LimitsController*>()->refreshKvCost(); },
                      "This view could not be computed: " + kInjected};
    c["limits memory"] = {"limits", "limitsMemoryDock", runnerOf<LimitsController>, "memory",
                          [](MainWindow& w) { w.findChild<LimitsController*>()->refreshMemory(); },
                          "This view could not be computed: " + kInjected};
    c["limits retraining"] = {"limits", "limitsMemoryDock", runnerOf<LimitsController>, "train",
                              [](MainWindow& w) { w.findChild<LimitsController*>()->train(); },
                              "failed: " + kInjected};
    c["training (core refuses the split)"] = {"transformer", "trainingDock", nullptr, {}, [](MainWindow& w) {
                                                  ar::ToyGptSettings s = testutil::tinyToyTraining(20);
                                                  s.valFraction = 0.95;   // only core's corpus split refuses it
                                                  w.findChild<TrainingView*>()->setSettings(s);
                                                  QVERIFY(w.findChild<TrainingController*>()->start());
                                              }, "validation fraction must be in (0, 0.9)"};
    return c;
}

}  // namespace

class TestControllerJobs : public QObject {
    Q_OBJECT
private slots:
    void errorReachesDockAndStatusBar_data() {
        QTest::addColumn<QString>("row");
        for (const auto& [name, c] : errorCases()) QTest::newRow(qPrintable(name)) << name;
    }
    void errorReachesDockAndStatusBar() {
        QFETCH(QString, row);
        const ErrorCase c = errorCases().at(row);
        auto win = testutil::makeWindow(c.lesson, testutil::Look::Hidden);
        QCOMPARE(win->currentLesson(), c.lesson);
        // Whatever the lesson started when it was built has settled (the seam fails the NEXT run of its kind).
        for (JobRunner* r : win->findChildren<JobRunner*>()) QVERIFY(r->waitIdle(int(120000 * testutil::slowdown())));
        if (c.runner) {
            JobRunner* runner = c.runner(*win);
            QVERIFY(runner);
            runner->injectFailure(c.kind, kInjected);
        }
        win->statusBar()->clearMessage();
        c.trigger(*win);
        if (QTest::currentTestFailed()) return;
        QTRY_VERIFY2_WITH_TIMEOUT(win->statusBar()->currentMessage().contains(c.expected),
                                  qPrintable(win->statusBar()->currentMessage()), int(60000 * testutil::slowdown()));
        QVERIFY2(dockText(*win, c.dock).contains(c.expected), qPrintable(dockText(*win, c.dock)));
        // The window goes on working: nothing is left pending.
        for (JobRunner* r : win->findChildren<JobRunner*>()) QVERIFY(r->waitIdle(int(120000 * testutil::slowdown())));
    }

    // Beam: a new setting while rounds run starts a fresh search; the old rounds' result is dropped.
    void beamStaleRoundsAreDropped() {
        auto win = testutil::makeWindow("decoding", testutil::Look::Hidden);
        auto* beam = win->findChild<BeamController*>();
        JobRunner* runner = runnerOf<BeamController>(*win);
        QVERIFY(beam && runner);
        QSignalSpy dropped(runner, &JobRunner::dropped);
        QSignalSpy updated(beam, &BeamController::updated);
        beam->runToEnd();
        QVERIFY(beam->isBusy());
        ar::BeamSettings s = beam->settings();
        s.width = s.width == 2 ? 3 : 2;
        beam->setSettings(s);   // before the event loop ran: the running rounds are stale for certain
        QVERIFY(!beam->isBusy());
        QCOMPARE(updated.count(), 1);   // the fresh search, at round 0
        QVERIFY(runner->waitIdle(int(60000 * testutil::slowdown())));
        QCOMPARE(dropped.count(), 1);
        QCOMPARE(updated.count(), 1);   // nothing arrived from the old rounds
        QCOMPARE(beam->search()->round(), 0);
        QCOMPARE(beam->search()->settings().width, s.width);
        beam->stepRounds(2);
        QCOMPARE(beam->search()->round(), 2);
    }

    // Compare: Run while a comparison runs: only the newer one's rows arrive.
    void compareStaleRunIsDropped() {
        auto win = testutil::makeWindow("decoding", testutil::Look::Hidden);
        auto* ctl = win->findChild<CompareController*>();
        auto* view = win->findChild<CompareView*>();
        JobRunner* runner = runnerOf<CompareController>(*win);
        QVERIFY(ctl && view && runner);
        QSignalSpy dropped(runner, &JobRunner::dropped);
        QSignalSpy finished(ctl, &CompareController::finished);
        ar::CompareSettings a = view->settings(), b = a;
        a.samples = 1;
        b.samples = 4;
        ctl->run(a);
        ctl->run(b);
        QVERIFY(finished.wait(int(60000 * testutil::slowdown())));
        QVERIFY(runner->waitIdle(int(60000 * testutil::slowdown())));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(dropped.count(), 1);
        const int beamRows = b.beamRow ? 1 : 0;
        QCOMPARE(int(view->rows().size()), 1 + beamRows + b.samples);
    }

    // Teacher forcing: choosing the other model while the curves are measured drops the first model's curves;
    // the ones shown are the chosen model's.
    void teacherForcingStaleCurvesAreDropped() {
        auto win = testutil::makeWindow("translate", testutil::Look::Hidden);
        auto* ctl = win->findChild<TeacherForcingController*>();
        JobRunner* runner = runnerOf<TeacherForcingController>(*win);
        QVERIFY(ctl && runner);
        QVERIFY(runner->waitIdle(int(120000 * testutil::slowdown())));
        QSignalSpy dropped(runner, &JobRunner::dropped);
        QSignalSpy computed(ctl, &TeacherForcingController::curvesComputed);
        ctl->chooseModel(0);
        ctl->chooseModel(1);
        QVERIFY(runner->waitIdle(int(120000 * testutil::slowdown())));
        QCOMPARE(dropped.count(), 1);
        QCOMPARE(computed.count(), 1);
        QVERIFY(ctl->curvesReady());
        // The independent check: the chosen (fully trained) model's evaluation, computed here.
        const ar::TranslationEval want = ar::evaluateTranslator(*loadTranslatorResource(":/models/zh-en-seq2seq.safetensors"), ctl->pairs());
        QCOMPARE(ctl->evaluation().exactMatch, want.exactMatch);
        QCOMPARE(ctl->evaluation().tfError, want.tfError);
        QCOMPARE(ctl->evaluation().frError, want.frError);
    }

    // Pixels: requests coalesce (one overlay job at a time); steps taken while one runs are asked for again when
    // it ends, so the overlay shown at the end is the gradient of the latest state, not of a stale one.
    void pixelOverlayFollowsTheLatestState() {
        auto win = testutil::makeWindow("pixels", testutil::Look::Hidden);
        auto* ctl = win->findChild<PixelController*>();
        auto* panel = win->findChild<PixelPanel*>();
        JobRunner* runner = runnerOf<PixelController>(*win);
        QVERIFY(ctl && panel && runner);
        QVERIFY(runner->waitIdle(int(60000 * testutil::slowdown())));
        QVERIFY(panel->overlayEnabled());
        QSignalSpy updated(ctl, &PixelController::overlayUpdated);
        for (int i = 0; i < 40; ++i) ctl->step();   // the first asks; the other 39 find it in flight
        QVERIFY(ctl->overlayPending());
        QVERIFY(runner->waitIdle(int(60000 * testutil::slowdown())));
        QVERIFY(!ctl->overlayPending());
        QCOMPARE(updated.count(), 2);   // the first job's overlay (one step behind), then the latest state's
        const ar::ImageSampler* s = ctl->sampler();
        QCOMPARE(s->position(), 40);
        const ar::ImageModel& model = s->model();   // no job runs: the GUI thread may use it
        const std::vector<float> field = ar::receptiveField(model, s->image(), s->nextIndex(), model.numClasses() > 0 ? 0 : -1);
        const QVector<float> ov = panel->canvas()->overlay();
        QCOMPARE(ov.size(), int(field.size()));
        for (int i = 0; i < ov.size(); ++i) QCOMPARE(ov[i] > 0, field[size_t(i)] > 0);
    }

    // Limits: a second request of a view while the first runs: one delivery, the first dropped.
    void limitsStaleViewIsDropped() {
        auto win = testutil::makeWindow("limits", testutil::Look::Hidden);
        auto* ctl = win->findChild<LimitsController*>();
        JobRunner* runner = runnerOf<LimitsController>(*win);
        QVERIFY(ctl && runner);
        QVERIFY(runner->waitIdle(int(300000 * testutil::slowdown())));
        QSignalSpy dropped(runner, &JobRunner::dropped);
        QSignalSpy kv(ctl, &LimitsController::kvUpdated);
        ctl->refreshKvCost();
        ctl->refreshKvCost();
        QVERIFY(runner->waitIdle(int(60000 * testutil::slowdown())));
        QCOMPARE(kv.count(), 1);
        QCOMPARE(dropped.count(), 1);
    }

    // Training: a dropped run (the dock closing) posts no more progress and delivers no model.
    void trainingDroppedRunDeliversNothing() {
        TrainingView view;
        GenerationController gen;
        TrainingController ctl(&view, &gen);
        JobRunner* runner = ctl.findChild<JobRunner*>();
        QVERIFY(runner);
        view.setSettings(testutil::tinyToyTraining(100000));
        QSignalSpy dropped(runner, &JobRunner::dropped);
        QSignalSpy progress(&ctl, &TrainingController::progressed);
        QSignalSpy finished(&ctl, &TrainingController::finished);
        QVERIFY(ctl.start());
        QVERIFY(progress.wait(int(20000 * testutil::slowdown())));
        ctl.shutdown();
        const int reports = progress.count();
        QVERIFY(runner->waitIdle(int(20000 * testutil::slowdown())));
        QCOMPARE(dropped.count(), 1);
        QCOMPARE(progress.count(), reports);
        QCOMPARE(finished.count(), 0);
        QVERIFY(!ctl.trainedModel());
        QVERIFY(!ctl.isRunning());
    }
};

QTEST_MAIN(TestControllerJobs)
#include "tst_controllerjobs.moc"
