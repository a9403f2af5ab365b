#pragma once
// TrainingWorker: trains a TinyGPT on the toy language as a long job of the Training dock's JobRunner (see
// ARCHITECTURE.md "Threads"). It owns its model (built from the settings and seed inside run(), on the job's
// thread), polls the job's atomic stop flag every step (JobRunner::stop sets it: Stop ends the run within a step,
// and the model trained so far is still handed over), sends progress at most every kProgressIntervalMs (the loss
// points since the last report, so the curve is complete) and hands the trained model over as shared_ptr<const>.
// All training logic is core's (ar::ToyGptTrainer -> ar::train); errors (settings core refuses) are thrown.
//
//   jobs->run("train", [settings](const JobContext& job) -> JobRunner::Deliver {
//       const TrainingOutcome o = TrainingWorker(settings).run(job.stopFlag(), onStarted, onProgress);
//       return [o] { show(o); };
//   });
#include "core/models/languagemodel.h"
#include "core/training/tinygpttrain.h"

#include <QMetaType>
#include <QPointF>
#include <QString>
#include <QVector>

#include <atomic>
#include <functional>
#include <memory>

namespace arlab {

struct TrainingProgress {
    int step = 0;                 // steps done
    int totalSteps = 0;
    double seconds = 0;           // since the start of training
    QVector<QPointF> train;       // (step, training loss) since the last report, nats/token
    QVector<QPointF> validation;  // (step, validation loss) since the last report
};

struct TrainingOutcome {
    std::shared_ptr<const ar::LanguageModel> model;
    ar::ToyGptSettings settings;
    int steps = 0;
    bool stopped = false;
    double trainLoss = 0, valLoss = 0;  // nats/token (train: mean of the last evaluation window)
    double seconds = 0;
    qint64 parameters = 0;
};

class TrainingWorker {
public:
    static constexpr int kProgressIntervalMs = 50;
    using Started = std::function<void(qint64 parameters)>;
    using Progressed = std::function<void(const TrainingProgress& progress)>;

    explicit TrainingWorker(const ar::ToyGptSettings& settings);
    // Trains on the calling thread until the last step or until *stop; calls `started` once, then `progressed`
    // (throttled; a final report carries the remaining points). Throws ar::Error when core refuses the settings.
    TrainingOutcome run(const std::atomic<bool>* stop, const Started& started, const Progressed& progressed);

private:
    ar::ToyGptSettings m_settings;
};

}  // namespace arlab

Q_DECLARE_METATYPE(arlab::TrainingProgress)
Q_DECLARE_METATYPE(arlab::TrainingOutcome)
