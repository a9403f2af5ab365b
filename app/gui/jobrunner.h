#pragma once
// JobRunner: background work for a controller, so the GUI thread never runs anything long (ARCHITECTURE.md
// "Threads"). A job is a function run on its own thread that returns what to do with its result; that
// continuation runs on the runner's (GUI) thread, and only if no newer job of the same kind was started since
// (a run id per kind drops stale results). Errors thrown by the work are handed to `failed` on the GUI thread.
// Every job has a stop flag, set when a newer job of its kind starts, on cancel() or stop(), or when the runner
// shuts down; a long job polls `cancelled()` (or hands `stopFlag()` to core) and returns early. cancel() drops
// what the job still delivers; stop() is the cooperative stop of a long run (Training's Stop button): the job
// returns early and its result (the model trained so far) is still delivered. A result or error that is not
// delivered because its run is stale is announced by `dropped`. shutdown() (and the destructor) sets every flag
// and waits for every thread: an owner whose jobs read its members calls it first in its destructor.
// Every thread the app's GUI starts is started here (app/gui has no other QThread).
//
//   m_jobs->run("quality", [this, model](const JobContext& job) -> JobRunner::Deliver {
//       for (int k = 1; k <= 6 && !job.cancelled(); ++k) {
//           const auto point = computeSlowly(*model, k);                      // the job's thread
//           job.post([this, point] { m_view->addPoint(point); });             // GUI thread, if still current
//       }
//       return [this] { m_view->setDone(); };                                 // GUI thread, if still current
//   });
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <vector>

class QThread;

namespace arlab {

class JobRunner;

// What a running job sees: the stop flag and a way to hand partial results to the GUI thread.
class JobContext {
public:
    bool cancelled() const { return m_cancel->load(); }
    const std::atomic<bool>* stopFlag() const { return m_cancel.get(); }
    // Runs `deliver` on the GUI thread unless the job is stale by then (progress, partial results).
    void post(std::function<void()> deliver) const;
    int id() const { return m_id; }

private:
    friend class JobRunner;
    JobContext(JobRunner* runner, QString kind, int id, std::shared_ptr<std::atomic<bool>> cancel);
    JobRunner* m_runner;
    QString m_kind;
    int m_id;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

class JobRunner : public QObject {
    Q_OBJECT
public:
    using Deliver = std::function<void()>;
    using Work = std::function<Deliver(const JobContext&)>;

    explicit JobRunner(QObject* parent = nullptr);
    ~JobRunner() override;   // cancels, then waits for every job's thread

    // Starts `work` on a new thread; a newer run of the same `kind` makes this one's result stale and stops it.
    void run(const QString& kind, Work work);
    // Stops the newest job of `kind` and drops its result (its thread may finish in the background; nothing it
    // returns or posts is delivered). Nothing happens when no job of that kind runs.
    void cancel(const QString& kind);
    // Asks the newest job of `kind` to stop early; unlike cancel() what it returns is still delivered.
    void stop(const QString& kind);
    // Cancels every job and waits for every thread; afterwards nothing is delivered (the destructor calls it).
    void shutdown();
    // Test seam: the next run of `kind` throws ar::Error(message) on its thread instead of running its work,
    // so a test can show that a controller puts a job's error in its dock and the status bar.
    void injectFailure(const QString& kind, const QString& message) { m_faults[kind] = message; }
    int pending() const { return m_pending; }                 // jobs whose result has not been handled yet
    bool pending(const QString& kind) const;
    // Processes events until nothing is pending or `timeoutMs` passed (tests and --steps); true when idle.
    bool waitIdle(int timeoutMs);
    // Processes events until `done()` holds or `timeoutMs` passed; true when it holds. Between events the GUI
    // thread sleeps: a processEvents() loop would spin a core at normal priority while the jobs, niced, wait
    // for it (on a busy machine, a 20 s wait became 300 s). `done` is checked after every event.
    bool waitUntil(const std::function<bool()>& done, int timeoutMs);

signals:
    void failed(const QString& kind, const QString& message);   // a job threw
    void idle();                                                 // the last pending job was handled
    void dropped(const QString& kind);                           // a stale job's result or error was not delivered

private:
    friend class JobContext;
    bool current(const QString& kind, int id) const;   // GUI thread
    std::map<QString, int> m_ids;                       // the newest run id per kind
    std::map<QString, std::shared_ptr<std::atomic<bool>>> m_stops;   // the newest run's stop flag per kind
    bool m_closing = false;
    std::vector<QThread*> m_threads;
    int m_pending = 0;
    std::map<QString, int> m_pendingByKind;
    std::map<QString, QString> m_faults;                // injectFailure()
};

}  // namespace arlab
