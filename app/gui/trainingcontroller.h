#pragma once
// TrainingController: wires the Training dock (TrainingView) to a TrainingWorker in its own QThread, and on
// "Use this model" hands the trained model to the GenerationController, so the Generation, Next token,
// Attention and Model docks show it. Thin: settings are checked by core (ToyGptSettings::problem), training
// is core's. Destroying the controller (window close, lesson teardown) stops the run: stop flag, quit(),
// wait().
#include "app/gui/trainingworker.h"

#include <QObject>
#include <QPointer>

#include <memory>

class QThread;

namespace arlab {

class GenerationController;
class TrainingView;

class TrainingController : public QObject {
    Q_OBJECT
public:
    TrainingController(TrainingView* view, GenerationController* generation, QObject* parent = nullptr);
    ~TrainingController() override;

    bool isRunning() const { return m_thread != nullptr; }
    std::shared_ptr<const ar::LanguageModel> trainedModel() const { return m_outcome.model; }
    const TrainingOutcome& outcome() const { return m_outcome; }
    static QString sourceName(const TrainingOutcome& o);   // what the Model dock shows as the source

public slots:
    bool start();      // false (and the reason in the view) when the settings are refused or a run is going
    void stop();       // asks the worker to stop; the model trained so far arrives with finished()
    bool useModel();   // false when there is no trained model
    void shutdown();   // stop, quit, wait (blocking, bounded by one training step)

signals:
    void progressed(const arlab::TrainingProgress& progress);   // forwarded from the worker
    void finished();                                            // a run ended (trained, stopped or failed)

private:
    void checkSettings();
    void onFinished(const TrainingOutcome& outcome);
    void onFailed(const QString& message);
    void joinThread();

    QPointer<TrainingView> m_view;
    QPointer<GenerationController> m_generation;
    QThread* m_thread = nullptr;
    TrainingWorker* m_worker = nullptr;   // lives in m_thread; deleted after it ended
    int m_run = 0;                        // id of the current run: late signals of an old run are ignored
    TrainingOutcome m_outcome;
};

}  // namespace arlab
