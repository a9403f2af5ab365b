#pragma once
// TrainingController: wires the Training dock (TrainingView) to a TrainingWorker run as a long job of a
// JobRunner, and on "Use this model" hands the trained model to the GenerationController, so the Generation, Next
// token, Attention and Model docks show it. Thin: settings are checked by core (ToyGptSettings::problem), training
// is core's. Stop sets the job's stop flag (the model trained so far still arrives); an error is shown in the
// dock and, through `failed`, in the status bar. Destroying the controller (window close, lesson teardown) stops
// the run and waits for its thread (bounded by one training step).
#include "app/gui/trainingworker.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace arlab {

class GenerationController;
class JobRunner;
class TrainingView;

class TrainingController : public QObject {
    Q_OBJECT
public:
    TrainingController(TrainingView* view, GenerationController* generation, QObject* parent = nullptr);
    ~TrainingController() override;

    bool isRunning() const;
    std::shared_ptr<const ar::LanguageModel> trainedModel() const { return m_outcome.model; }
    const TrainingOutcome& outcome() const { return m_outcome; }
    static QString sourceName(const TrainingOutcome& o);   // what the Model dock shows as the source

public slots:
    bool start();      // false (and the reason in the view) when the settings are refused or a run is going
    void stop();       // asks the worker to stop; the model trained so far arrives with finished()
    bool useModel();   // false when there is no trained model
    void shutdown();   // drops the run; its thread is stopped and joined by the destructor

signals:
    void progressed(const arlab::TrainingProgress& progress);   // forwarded from the worker
    void finished();                                            // a run ended (trained, stopped or failed)
    void failed(const QString& message);                        // a run failed (also in the dock's status)

private:
    void checkSettings();
    void showProgress(const TrainingProgress& progress);
    void onFinished(const TrainingOutcome& outcome);
    void onFailed(const QString& message);

    QPointer<TrainingView> m_view;
    QPointer<GenerationController> m_generation;
    JobRunner* m_jobs;                    // one kind, "train": a dropped run's progress and result never arrive
    TrainingOutcome m_outcome;
};

}  // namespace arlab
