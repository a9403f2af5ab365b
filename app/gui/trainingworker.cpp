#include "app/gui/trainingworker.h"

#include "core/memory.h"

#include <QElapsedTimer>

#include <Eigen/Core>

#include <cmath>

namespace arlab {

TrainingWorker::TrainingWorker(const ar::ToyGptSettings& settings) : m_settings(settings) {}

TrainingOutcome TrainingWorker::run(const std::atomic<bool>* stop, const Started& started, const Progressed& progressed) {
    Eigen::setNbThreads(1);  // one core: the same seed gives the same model, and the GUI stays responsive
    // Every step allocates and frees the same few matrices of 0.1-1 MB; with glibc's defaults in a thread each
    // was a fresh mmap and page faults (28 s instead of 9.4 s for the default settings). arlab's main() tunes
    // the allocator already; this covers tests and other hosts of the worker (idempotent, process-wide).
    ar::tuneAllocator();
    ar::ToyGptTrainer trainer(m_settings);
    started(qint64(trainer.parameterCount()));
    TrainingProgress pending;
    QElapsedTimer sinceReport;
    sinceReport.start();
    auto flush = [&] {
        progressed(pending);
        pending.train.clear();
        pending.validation.clear();
        sinceReport.restart();
    };
    const ar::TrainResult r = trainer.run(
        [&](const ar::TrainProgress& p) {
            pending.step = p.step;
            pending.totalSteps = p.totalSteps;
            pending.seconds = p.seconds;
            if (std::isfinite(p.trainLoss)) pending.train << QPointF(p.step, p.trainLoss);
            if (std::isfinite(p.valLoss)) pending.validation << QPointF(p.step, p.valLoss);
            if (sinceReport.elapsed() >= kProgressIntervalMs) flush();
        },
        stop);
    // After a stop the trainer scores the validation set once more: that point belongs on the curve too.
    if (r.stopped && std::isfinite(r.valLoss)) pending.validation << QPointF(r.steps, r.valLoss);
    if (!pending.train.isEmpty() || !pending.validation.isEmpty()) flush();
    TrainingOutcome out;
    out.settings = m_settings;
    out.steps = r.steps;
    out.stopped = r.stopped;
    out.trainLoss = r.trainLoss;
    out.valLoss = r.valLoss;
    out.seconds = pending.seconds;
    out.parameters = qint64(trainer.parameterCount());
    out.model = std::shared_ptr<const ar::LanguageModel>(trainer.takeModel());
    return out;
}

}  // namespace arlab
