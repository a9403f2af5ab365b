// JobRunner (app/gui/jobrunner.h): results arrive on the GUI thread; a newer job of the same kind drops the
// older one's result and stops it; other kinds are independent; partial results posted by a stale job are
// dropped; errors reach `failed`; destroying the runner stops and waits for running jobs.
#include "app/gui/jobrunner.h"
#include "core/error.h"

#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <thread>

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
};

QTEST_MAIN(TestJobRunner)
#include "tst_jobrunner.moc"
