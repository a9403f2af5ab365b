#include "app/gui/jobrunner.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QPointer>
#include <QThread>

#include <Eigen/Core>

#include <algorithm>

namespace arlab {

JobContext::JobContext(JobRunner* runner, QString kind, int id, std::shared_ptr<std::atomic<bool>> cancel)
    : m_runner(runner), m_kind(std::move(kind)), m_id(id), m_cancel(std::move(cancel)) {}

void JobContext::post(std::function<void()> deliver) const {
    if (cancelled()) return;
    QPointer<JobRunner> runner(m_runner);
    QMetaObject::invokeMethod(m_runner, [runner, deliver, kind = m_kind, id = m_id] {
        if (runner && runner->current(kind, id)) deliver();
    }, Qt::QueuedConnection);
}

JobRunner::JobRunner(QObject* parent) : QObject(parent) {}

JobRunner::~JobRunner() {
    m_closing = true;
    for (auto& [kind, stop] : m_stops) stop->store(true);
    for (QThread* t : m_threads) t->wait();
    for (QThread* t : m_threads) delete t;
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
        Deliver deliver;
        QString error;
        try {
            deliver = work(context);
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(runner, [self, deliver, error, kind, id] {
            if (!self) return;
            --self->m_pending;
            --self->m_pendingByKind[kind];
            if (self->current(kind, id) && !self->m_closing) {
                if (!error.isEmpty()) emit self->failed(kind, error);
                else if (deliver) deliver();
            }
            if (self && self->m_pending == 0) emit self->idle();
        }, Qt::QueuedConnection);
    });
    m_threads.push_back(t);
    connect(t, &QThread::finished, this, [this, t] {
        m_threads.erase(std::remove(m_threads.begin(), m_threads.end(), t), m_threads.end());
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

bool JobRunner::waitIdle(int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (m_pending > 0 && timer.elapsed() < timeoutMs) QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    return m_pending == 0;
}

}  // namespace arlab
