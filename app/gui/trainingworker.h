#pragma once
// TrainingWorker: trains a TinyGPT on the toy language in a QThread (see ARCHITECTURE.md "Threads").
// It owns its model (built from the settings and seed inside run(), on the worker thread), polls a stop
// flag every step, sends progress at most every kProgressIntervalMs (the loss points since the last
// report, so the curve is complete) and hands the trained model over as shared_ptr<const> at the end or
// after a stop. All training logic is core's (ar::ToyGptTrainer -> ar::train).
//
//   auto* w = new TrainingWorker(settings);  w->moveToThread(thread);
//   connect(thread, &QThread::started, w, &TrainingWorker::run);
//   w->requestStop();                         // any thread
#include "core/models/languagemodel.h"
#include "core/training/tinygpttrain.h"

#include <QMetaType>
#include <QObject>
#include <QPointF>
#include <QString>
#include <QVector>

#include <atomic>
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

class TrainingWorker : public QObject {
    Q_OBJECT
public:
    static constexpr int kProgressIntervalMs = 50;

    explicit TrainingWorker(const ar::ToyGptSettings& settings, QObject* parent = nullptr);
    void requestStop() { m_stop.store(true); }   // thread-safe
    bool stopRequested() const { return m_stop.load(); }

public slots:
    void run();   // trains; emits progressed* then finished or failed

signals:
    void started(qint64 parameters);
    void progressed(const arlab::TrainingProgress& progress);
    void finished(const arlab::TrainingOutcome& outcome);
    void failed(const QString& message);

private:
    ar::ToyGptSettings m_settings;
    std::atomic<bool> m_stop{false};
};

}  // namespace arlab

Q_DECLARE_METATYPE(arlab::TrainingProgress)
Q_DECLARE_METATYPE(arlab::TrainingOutcome)
