// Worker threads started and cancelled many times:
//   - the Training dock's TrainingWorker, driven exactly as its controller drives it (a long job of a JobRunner,
//     progress posted, Stop = JobRunner::stop), 100 times, stopped at different moments: at once (maybe before
//     the first step), after a progress report, and by destroying the runner while it trains (closing the
//     window). Every stopped run delivers a model and says it was stopped; no thread is left behind.
//   - the JobRunner (app/gui/jobrunner.h) that every lesson's background work goes through, 100 times: a job that
//     trains a real model step by step and posts partial results is cancelled by a newer job of its kind, by
//     the runner's destruction, or right as it starts; only the newest job's result is delivered.
// CI runs this under ThreadSanitizer (bash arlab.sh tsan): 0 reports is the bar. It links only core, the worker
// and the job runner, so the TSan build compiles nothing else.
#include "app/gui/jobrunner.h"
#include "app/gui/trainingworker.h"
#include "testutil.h"
#include "tinytraining.h"

#include <QThread>
#include <QtTest>

using namespace arlab;


constexpr int kNeverReached = 100000;  // training steps: every run here is stopped or cancelled first

class TestWorkerThreads : public QObject {
    Q_OBJECT
private slots:
    void trainingStartCancel100Times() {
        const int liveness = int(20000 * testutil::slowdown());  // generous: a step takes milliseconds
        int stopped = 0, torn = 0;
        for (int i = 0; i < 100; ++i) {
            int reports = 0;
            bool done = false, failed = false, startedReported = false;
            TrainingOutcome outcome;
            const int mode = i % 3;
            {
                JobRunner runner;
                connect(&runner, &JobRunner::failed, &runner, [&] { failed = true; });
                runner.run("train", [&](const JobContext& job) -> JobRunner::Deliver {
                    const TrainingOutcome o = TrainingWorker(testutil::tinyToyTraining(kNeverReached)).run(
                        job.stopFlag(), [&](qint64) { job.post([&] { startedReported = true; }); },
                        [&](const TrainingProgress&) { job.post([&] { ++reports; }); });
                    return [&, o] {
                        outcome = o;
                        done = true;
                    };
                });
                if (mode >= 1) QTRY_VERIFY_WITH_TIMEOUT(reports > 0, liveness);  // mode 0: stop at once
                if (mode <= 1) {
                    runner.stop("train");   // the Stop button: the model trained so far still arrives
                    QVERIFY(runner.waitIdle(liveness));
                    QVERIFY2(!failed, qPrintable(QString("run %1 failed").arg(i)));
                    QVERIFY(done && startedReported);
                    QVERIFY(outcome.stopped && outcome.steps < 100000 && outcome.model);
                    ++stopped;
                } else {
                    ++torn;  // the close path: no waiting for the result, the runner stops and joins the job
                }
            }
            QCoreApplication::processEvents();
            if (mode == 2) QVERIFY2(!done, qPrintable(QString("run %1: a torn-down run delivered").arg(i)));
        }
        QCOMPARE(stopped, 67);
        QCOMPARE(torn, 33);
    }

    void jobRunnerStartCancel100Times() {
        const int liveness = int(20000 * testutil::slowdown());
        // A job that trains a small TinyGPT until it is cancelled, posting each step's loss (shared state: the
        // model lives on the job's thread, the losses cross to the GUI thread through post()).
        const auto trainingJob = [](std::atomic<int>* started, std::atomic<int>* stoppedJobs, QVector<float>* losses) {
            return [=](const JobContext& job) -> JobRunner::Deliver {
                ar::ToyGptTrainer trainer(testutil::tinyToyTraining(kNeverReached));
                ++*started;
                const ar::TrainResult r = trainer.run(
                    [&](const ar::TrainProgress& p) { job.post([losses, loss = p.trainLoss] { losses->push_back(loss); }); },
                    job.stopFlag());
                if (r.stopped) ++*stoppedJobs;
                return [losses] { losses->push_back(-1); };   // a cancelled job's result is never delivered
            };
        };
        int replaced = 0, destroyed = 0, immediate = 0;
        for (int i = 0; i < 100; ++i) {
            std::atomic<int> started{0}, stoppedJobs{0};
            QVector<float> losses;
            bool newest = false;
            const int mode = i % 3;
            {
                JobRunner runner;
                runner.run("train", trainingJob(&started, &stoppedJobs, &losses));
                if (mode >= 1) QTRY_VERIFY_WITH_TIMEOUT(!losses.isEmpty(), liveness);   // mode 0: cancel at once
                if (mode <= 1) {
                    // A newer job of the same kind stops the running one; only its result arrives.
                    runner.run("train", [&](const JobContext&) -> JobRunner::Deliver { return [&] { newest = true; }; });
                    QVERIFY(runner.waitIdle(liveness));
                    QVERIFY(newest);
                    mode == 0 ? ++immediate : ++replaced;
                } else {
                    ++destroyed;   // the runner is destroyed while its job trains: it stops and joins it
                }
            }   // the runner's destructor joins every thread it started
            QCOMPARE(started.load(), 1);
            QCOMPARE(stoppedJobs.load(), 1);
            QCoreApplication::processEvents();
            QVERIFY2(!losses.contains(-1), qPrintable(QString("run %1: a cancelled job's result was delivered").arg(i)));
        }
        QCOMPARE(immediate + replaced, 67);
        QCOMPARE(destroyed, 33);
    }
};

QTEST_GUILESS_MAIN(TestWorkerThreads)
#include "tst_workerthreads.moc"
