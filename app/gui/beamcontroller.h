#pragma once
// BeamController: runs an ar::BeamSearch for the beam dock (BeamSearchPanel) over the app's current text
// model and prompt (GenerationController). Rounds run as a job of a JobRunner (a long "Run to end" on a big model
// can take more than a frame); the search object is touched by one thread at a time: the GUI thread only
// reads it while no job runs on it. A new model, prompt or setting cancels the running rounds (their search is
// dropped with them) and starts a fresh search; a model error ends the rounds and is shown in the dock and,
// through `failed`, in the status bar.
#include "app/gui/changes.h"
#include "core/decoding/beamsearch.h"

#include <QObject>
#include <QString>

#include <memory>

namespace arlab {

class BeamSearchPanel;
class JobRunner;
class GenerationController;

class BeamController : public QObject {
    Q_OBJECT
public:
    BeamController(BeamSearchPanel* panel, GenerationController* generation, QObject* parent = nullptr);
    ~BeamController() override;

    const ar::BeamSearch* search() const { return m_busy ? nullptr : m_search.get(); }
    bool isBusy() const { return m_busy; }
    // The beam part of the one settings value (GenerationController::settings().beam).
    const ar::BeamSettings& settings() const;
    // Blocks until the running rounds are done and shown (tests, --steps, screenshots).
    void waitForIdle();

public slots:
    void rebuild();            // a fresh search from the current model, prompt and settings
    void stepRound();          // one expansion round (asynchronous)
    void runToEnd();           // rounds until done (asynchronous)
    void stepRounds(int n);    // n rounds, waiting for them (the --steps handler)
    // Writes the beam part of the one settings value; its change notice rebuilds the search (generationChanged).
    void setSettings(const ar::BeamSettings& settings);
    // Connect GenerationController::changed here (directly, or through a DockUpdater so a hidden dock waits):
    // a new model, prompt or beam setting starts a fresh search; steps of the generation session and the
    // sampler's other settings do not concern it.
    void generationChanged(arlab::Changes what);

signals:
    void updated();            // the panel shows a new tree
    void failed(const QString& message);   // a round failed (the model threw): also shown in the panel

private:
    void start(int rounds);
    void finishWork(const QString& error);
    void publish();

    BeamSearchPanel* m_panel;
    GenerationController* m_generation;
    std::shared_ptr<ar::BeamSearch> m_search;
    QString m_error;
    JobRunner* m_jobs;
    bool m_busy = false;
    QString m_roundError;                         // the last round's failure, shown in the panel's status
};

}  // namespace arlab
