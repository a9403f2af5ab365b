#include "app/gui/jobrunner.h"

#include "core/error.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QPointer>
#include <QThread>
#include <QTimer>

#include <Eigen/Core>

#include <algorithm>
#include <cerrno>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace arlab {

namespace {
// A job thread yields the CPU to the GUI thread when both want it. QThread::LowPriority does nothing under
// Linux's default scheduler (SCHED_OTHER has one static priority), so there the thread raises its own nice
// value by kJobNice (a weight of about 1/10 of the GUI thread's). The work and its results are the same.
constexpr int kJobNice = 10;
void lowerThisThreadsPriority() {
#ifdef Q_OS_LINUX
    const auto tid = id_t(syscall(SYS_gettid));
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, tid);
    if (errno == 0) setpriority(PRIO_PROCESS, tid, std::min(19, nice + kJobNice));
#endif
}
}  // namespace

JobContext::JobContext(JobRunner* runner, QString kind, int id, std::shared_ptr<std::atomic<bool>> cancel)
    : m_runner(runner), m_kind(std::move(kind)), m_id(id), m_cancel(std::move(cancel)) {}

void JobContext::post(std::function<void()> deliver) const {
    // Not dropped here when the stop flag is set: a stopped (not cancelled) run still reports its last progress.
    // Staleness is decided on the GUI thread, when the post arrives.
    QPointer<JobRunner> runner(m_runner);
    QMetaObject::invokeMethod(m_runner, [runner, deliver, kind = m_kind, id = m_id] {
        if (runner && !runner->m_closing && runner->current(kind, id)) deliver();
    }, Qt::QueuedConnection);
}

JobRunner::JobRunner(QObject* parent) : QObject(parent) {}

JobRunner::~JobRunner() { shutdown(); }

void JobRunner::shutdown() {
    m_closing = true;
    for (auto& [kind, stop] : m_stops) stop->store(true);
    for (QThread* t : m_threads) t->wait();
    for (QThread* t : m_threads) delete t;
    m_threads.clear();
}

bool JobRunner::current(const QString& kind, int id) const {
    auto it = m_ids.find(kind);
    return it != m_ids.end() && it->second == id;
}

bool JobRunner::pending(const QString& kind) const {
    auto it = m_pendingByKind.find(kind);
    return it != m_pendingByKind.end() && it->second > 0;
}

void JobRunner::run(const QString& kind, Work work) {
    if (auto fault = m_faults.find(kind); fault != m_faults.end()) {
        work = [message = fault->second.toStdString()](const JobContext&) -> Deliver { throw ar::Error(message); };
        m_faults.erase(fault);
    }
    const int id = ++m_ids[kind];
    ++m_pending;
    ++m_pendingByKind[kind];
    auto& stop = m_stops[kind];
    if (stop) stop->store(true);   // the older run of this kind stops early; its result is dropped anyway
    stop = std::make_shared<std::atomic<bool>>(false);
    const JobContext context(this, kind, id, stop);
    QPointer<JobRunner> self(this);
    QThread* t = QThread::create([self, work = std::move(work), context, kind, id, runner = this] {
        Eigen::setNbThreads(1);
        lowerThisThreadsPriority();
        Deliver deliver;
        QString error;
        try {
            deliver = work(context);
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
            if (error.isEmpty()) error = QStringLiteral("the background job failed");
        }
        QMetaObject::invokeMethod(runner, [self, deliver, error, kind, id] {
            if (!self) return;
            --self->m_pending;
            --self->m_pendingByKind[kind];
            if (self->current(kind, id) && !self->m_closing) {
                if (!error.isEmpty()) emit self->failed(kind, error);
                else if (deliver) deliver();
            } else if (!self->m_closing) {
                emit self->dropped(kind);
            }
            if (self && self->m_pending == 0) emit self->idle();
        }, Qt::QueuedConnection);
    });
    m_threads.push_back(t);
    connect(t, &QThread::finished, this, [this, t = QPointer<QThread>(t)] {
        if (!t) return;   // shutdown() deleted it
        m_threads.erase(std::remove(m_threads.begin(), m_threads.end(), t.data()), m_threads.end());
        t->deleteLater();
    });
    t->start(QThread::LowPriority);
}

void JobRunner::cancel(const QString& kind) {
    auto stop = m_stops.find(kind);
    if (stop == m_stops.end()) return;
    stop->second->store(true);
    ++m_ids[kind];   // the running job is no longer current: its result and posts are dropped
}

void JobRunner::stop(const QString& kind) {
    if (auto stop = m_stops.find(kind); stop != m_stops.end()) stop->second->store(true);
}

bool JobRunner::waitIdle(int timeoutMs) {
    return waitUntil([this] { return m_pending == 0; }, timeoutMs);
}

bool JobRunner::waitUntil(const std::function<bool()>& done, int timeoutMs) {
    const QDeadlineTimer deadline(timeoutMs);
    QTimer wake;   // an event at the deadline, so the blocking wait below returns by then
    wake.setSingleShot(true);
    wake.setTimerType(Qt::PreciseTimer);   // (a coarse one may fire early, and the wait would then block past it)
    while (!done() && !deadline.hasExpired()) {
        if (!wake.isActive()) wake.start(int(std::max<qint64>(1, deadline.remainingTime())));
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
    }
    return done();
}

}  // namespace arlab
