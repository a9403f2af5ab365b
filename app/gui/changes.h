#pragma once
// Typed change notices (after Okular's DocumentObserver and its change flags): a controller says WHAT changed,
// each view updates only what that touches, and a dock that is hidden defers its work until it is shown.
//
//   connect(gen, &GenerationController::changed, updater, &DockUpdater::notify);
//   auto* updater = new DockUpdater(dock, Change::StepAppended | Change::StepRemoved, [=](Changes) { ... });
#include <QFlags>
#include <QMetaType>
#include <QObject>

#include <functional>

class QDockWidget;

namespace arlab {

enum class Change : unsigned {
    StepAppended = 1u << 0,   // tokens added at the end (Step, Play, a forced token)
    StepRemoved = 1u << 1,    // tokens taken off the end (Back, Reset, a switch to another branch)
    Settings = 1u << 2,       // the decoding settings (sampler, beam, compare)
    Prompt = 1u << 3,         // a new prompt: the session was rebuilt
    Model = 1u << 4,          // a new model: the session was rebuilt
};
Q_DECLARE_FLAGS(Changes, Change)
Q_DECLARE_OPERATORS_FOR_FLAGS(Changes)

// Everything that changes the sequence of tokens.
constexpr Changes kSequenceChanges = Changes(Change::StepAppended) | Change::StepRemoved | Change::Prompt | Change::Model;
constexpr Changes kAllChanges = kSequenceChanges | Change::Settings;

// Runs `update(changes)` for the notices in `interest`: at once while `dock` is shown (not hidden), else once,
// with every change since merged, when the dock is shown again. runs() counts the updates (for tests).
class DockUpdater : public QObject {
    Q_OBJECT
public:
    DockUpdater(QDockWidget* dock, Changes interest, std::function<void(Changes)> update);
    int runs() const { return m_runs; }
    Changes pending() const { return m_pending; }

public slots:
    void notify(arlab::Changes changes);

private:
    void flush();

    QDockWidget* m_dock;
    Changes m_interest;
    Changes m_pending;
    std::function<void(Changes)> m_update;
    int m_runs = 0;
};

}  // namespace arlab

Q_DECLARE_METATYPE(arlab::Changes)
