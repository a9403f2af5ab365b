// JobRunner (app/gui/jobrunner.h): results arrive on the GUI thread; a newer job of the same kind drops the
// older one's result and stops it; other kinds are independent; partial results posted by a stale job are
// dropped; errors reach `failed`; destroying the runner stops and waits for running jobs; stop() lets a run
// deliver, cancel() drops it; the failure seam; shutdown(); waiting sleeps rather than spinning the GUI thread.
#include "app/gui/jobrunner.h"
#include "core/error.h"

#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <thread>

#include <time.h>

using namespace arlab;

class TestJobRunner : public QObject {
    Q_OBJECT
private slots:
    void deliversOnTheGuiThread() {
        JobRunner runner;
        QThread* worker = nullptr;
        QThread* delivered = nullptr;
        runner.run("a", [&](const JobContext&) -> JobRunner::Deliver {
            worker = QThread::currentThread();
            return [&] { delivered = QThread::currentThread(); };
        });
        QCOMPARE(runner.pending(), 1);
        QVERIFY(runner.pending("a"));
        QVERIFY(runner.waitIdle(10000));
        QVERIFY(worker && worker != QThread::currentThread());
        QCOMPARE(delivered, QThread::currentThread());
        QVERIFY(!runner.pending("a"));
    }

    void newerJobWins() {
        JobRunner runner;
        QStringList got;
        std::atomic<bool> firstStopped{false};
        runner.run("sentence", [&](const JobContext& job) -> JobRunner::Deliver {
            while (!job.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
            firstStopped = true;
            job.post([&] { got << "partial from the old job"; });
            return [&] { got << "old"; };
        });
        runner.run("other", [&](const JobContext&) -> JobRunner::Deliver { return [&] { got << "other"; }; });
        runner.run("sentence", [&](const JobContext& job) -> JobRunner::Deliver {
            job.post([&] { got << "partial"; });
            return [&] { got << "new"; };
        });
        QVERIFY(runner.waitIdle(10000));
        QVERIFY(firstStopped);
        got.sort();
        QCOMPARE(got, (QStringList{"new", "other", "partial"}));
    }

    void errorsAreReported() {
        JobRunner runner;
        QSignalSpy failed(&runner, &JobRunner::failed);
        QSignalSpy idle(&runner, &JobRunner::idle);
        runner.run("quality", [](const JobContext&) -> JobRunner::Deliver { throw ar::Error("the test set is missing"); });
        QVERIFY(runner.waitIdle(10000));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed[0][0].toString(), QString("quality"));
        QCOMPARE(failed[0][1].toString(), QString("the test set is missing"));
        QCOMPARE(idle.count(), 1);
    }

    void destructionStopsAndWaits() {
        auto stopped = std::make_shared<std::atomic<bool>>(false);
        bool delivered = false;
        {
            JobRunner runner;
            runner.run("long", [stopped, &delivered](const JobContext& job) -> JobRunner::Deliver {
                while (!job.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
                *stopped = true;
                return [&delivered] { delivered = true; };
            });
            QTest::qWait(30);
        }   // the destructor returns only after the job saw its stop flag
        QVERIFY(stopped->load());
        QCoreApplication::processEvents();
        QVERIFY(!delivered);
    }

    // stop() is the cooperative stop of a long run (Training's Stop): the job returns early, and what it posts
    // after the stop and returns is still delivered; cancel() drops both and announces the drop.
    void stopDeliversCancelDrops_data() {
        QTest::addColumn<bool>("cancel");
        QTest::newRow("stop") << false;
        QTest::newRow("cancel") << true;
    }
    void stopDeliversCancelDrops() {
        QFETCH(bool, cancel);
        JobRunner runner;
        QSignalSpy dropped(&runner, &JobRunner::dropped);
        QStringList got;
        std::atomic<bool> running{false};
        runner.run("train", [&](const JobContext& job) -> JobRunner::Deliver {
            running = true;
            while (!job.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
            job.post([&] { got << "last progress"; });
            return [&] { got << "model"; };
        });
        QTRY_VERIFY_WITH_TIMEOUT(running.load(), 10000);
        cancel ? runner.cancel("train") : runner.stop("train");
        QVERIFY(runner.waitIdle(10000));
        QCOMPARE(got, cancel ? QStringList{} : (QStringList{"last progress", "model"}));
        QCOMPARE(dropped.count(), cancel ? 1 : 0);
        if (cancel) QCOMPARE(dropped[0][0].toString(), QString("train"));
    }

    // The test seam: the next run of the kind throws on its thread with the message; the run after it works.
    void injectedFailureFailsTheNextRunOnly() {
        JobRunner runner;
        QSignalSpy failed(&runner, &JobRunner::failed);
        bool workRan = false, delivered = false;
        runner.injectFailure("curves", "the disk is on fire");
        runner.run("other", [](const JobContext&) -> JobRunner::Deliver { return [] {}; });
        runner.run("curves", [&](const JobContext&) -> JobRunner::Deliver {
            workRan = true;
            return [] {};
        });
        QVERIFY(runner.waitIdle(10000));
        QVERIFY(!workRan);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed[0][0].toString(), QString("curves"));
        QCOMPARE(failed[0][1].toString(), QString("the disk is on fire"));
        runner.run("curves", [&](const JobContext&) -> JobRunner::Deliver { return [&] { delivered = true; }; });
        QVERIFY(runner.waitIdle(10000));
        QVERIFY(delivered);
        QCOMPARE(failed.count(), 1);
    }

    // waitIdle() and waitUntil() sleep between events: the GUI thread's CPU time over a 400 ms wait stays far below
    // 400 ms (a processEvents() loop spins the whole time, and on a busy machine starves the niced job threads).
    // A condition that never holds returns false at the deadline.
    void waitingSleeps_data() {
        QTest::addColumn<bool>("idle");      // waitIdle(), else waitUntil() on a flag set by the delivery
        QTest::addColumn<bool>("reached");   // the job delivers in time, else the wait times out
        QTest::newRow("waitIdle") << true << true;
        QTest::newRow("waitUntil") << false << true;
        QTest::newRow("waitUntil times out") << false << false;
    }
    void waitingSleeps() {
        QFETCH(bool, idle);
        QFETCH(bool, reached);
        JobRunner runner;
        bool delivered = false;
        runner.run("slow", [&](const JobContext& job) -> JobRunner::Deliver {
            for (int i = 0; i < (reached ? 40 : 200) && !job.cancelled(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
            return [&] { delivered = true; };
        });
        const auto threadCpu = [] {
            timespec t{};
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
            return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
        };
        QElapsedTimer wall;
        wall.start();
        const double cpu0 = threadCpu();
        const int timeoutMs = reached ? 10000 : 400;
        const bool ok = idle ? runner.waitIdle(timeoutMs) : runner.waitUntil([&] { return delivered; }, timeoutMs);
        const double cpu = threadCpu() - cpu0;
        QCOMPARE(ok, reached);
        QCOMPARE(delivered, reached);
        QVERIFY2(wall.elapsed() >= 380, qPrintable(QString::number(wall.elapsed())));
        QVERIFY2(cpu < 0.1, qPrintable(QString("the GUI thread used %1 s of CPU while waiting %2 ms").arg(cpu).arg(wall.elapsed())));
        runner.shutdown();
    }

    // shutdown(): stops and joins every job now (an owner calls it before its members go); nothing is delivered
    // afterwards, and the destructor after it has nothing left to do.
    void shutdownJoinsEveryJob() {
        JobRunner runner;
        auto finished = std::make_shared<std::atomic<int>>(0);
        bool delivered = false;
        for (const char* kind : {"a", "b", "c"})
            runner.run(kind, [finished, &delivered](const JobContext& job) -> JobRunner::Deliver {
                while (!job.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
                ++*finished;
                return [&delivered] { delivered = true; };
            });
        runner.shutdown();
        QCOMPARE(finished->load(), 3);
        QCoreApplication::processEvents();
        QVERIFY(!delivered);
    }
};

QTEST_MAIN(TestJobRunner)
#include "tst_jobrunner.moc"
