// The Decoding lesson: how the next token is chosen, and what different strategies make of one prompt.
//   Sampling dock      every knob of the sampler chain and of beam search (applies to the next step)
// All three edit the one settings value that GenerationController owns; its change notices update them.
//   Beam search dock   the whole search tree, one expansion round at a time
//   Compare dock       greedy, beam(k) and seeded samples side by side, divergence marked
// --steps N runs N beam rounds (e.g. arlab --lesson decoding --steps 5 --screenshot beam.png).
#include "app/gui/beamcontroller.h"
#include "app/gui/changes.h"
#include "app/gui/comparecontroller.h"
#include "app/gui/generationcontroller.h"
#include "app/gui/lesson.h"
#include "app/gui/mainwindow.h"
#include "widgets/beamsearchpanel.h"
#include "widgets/beamtreeview.h"
#include "widgets/compareview.h"
#include "widgets/samplingpanel.h"

#include <QDockWidget>

namespace arlab {

class DecodingLesson : public Lesson {
    Q_OBJECT
public:
    explicit DecodingLesson(MainWindow& win);
    bool step(int n) override;

private:
    BeamSearchPanel* m_beamPanel = nullptr;
    BeamController* m_beam = nullptr;
    CompareController* m_compare = nullptr;
};

DecodingLesson::DecodingLesson(MainWindow& win) : Lesson(win) {
    GenerationController* gen = win.generation();

    auto* sampling = new SamplingPanel;
    sampling->setSettings(gen->settings());
    QDockWidget* samplingDock = win.addDock(sampling, "samplingDock", Qt::LeftDockWidgetArea, QSize(250, 0));
    QObject::connect(sampling, &SamplingPanel::settingsChanged, gen, &GenerationController::setSettings);

    m_beamPanel = new BeamSearchPanel;
    auto* beamPanel = m_beamPanel;
    m_beam = new BeamController(beamPanel, gen, this);
    auto* beam = m_beam;
    QObject::connect(beam, &BeamController::failed, &win, [&win](const QString& m) { win.showMessage(m, 10000); });
    // The beam tree is the centre of the lesson: it gets most of the width and height; the compare dock sits
    // under it (the sampling panel keeps the whole left column).
    QDockWidget* beamDock = win.addDock(beamPanel, "beamDock", Qt::RightDockWidgetArea, QSize(1330, 650));

    auto* compareView = new CompareView;
    m_compare = new CompareController(compareView, gen, this);
    QObject::connect(m_compare, &CompareController::failed, &win, [&win](const QString& m) { win.showMessage(m, 10000); });
    QDockWidget* compareDock = win.addDock(compareView, "compareDock", Qt::RightDockWidgetArea, QSize(1330, 320));

    // Change notices: each dock reads only what a change touches, and only while it is shown. A step of the
    // generation session (Space) touches none of them.
    auto* samplingUpdater = new DockUpdater(samplingDock, Change::Settings, [gen, sampling](Changes) {
        if (!(sampling->settings() == gen->settings())) sampling->setSettings(gen->settings());
    });
    // The three docks edit and show parts of one value (GenerationController::settings()): the beam width
    // the sampling panel sets is the one the beam dock and the compare dock's beam row use.
    auto* beamUpdater = new DockUpdater(beamDock, Changes(Change::Settings) | Change::Model | Change::Prompt,
                                        [beam](Changes what) { beam->generationChanged(what); });
    auto syncCompare = [gen, compareView](Changes) { compareView->setSettings(gen->settings().compare, gen->settings().beam.width); };
    syncCompare(Change::Settings);
    auto* compareUpdater = new DockUpdater(compareDock, Change::Settings, syncCompare);
    for (DockUpdater* u : {samplingUpdater, beamUpdater, compareUpdater})
        QObject::connect(gen, &GenerationController::changed, u, &DockUpdater::notify);
}

bool DecodingLesson::step(int n) {
    m_beam->stepRounds(n);
    m_beamPanel->treeView()->selectNode(0);  // the side panel shows the first expansion's candidates
    m_compare->runNow();
    return true;
}

ARLAB_LESSON(DecodingLesson, {.id = "decoding",
                              .title = QT_TRANSLATE_NOOP("arlab::Lesson", "Decoding"),
                              .order = 20,
                              .shortcut = "Ctrl+2",
                              .docks = {{"samplingDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Sampling")},
                                        {"beamDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Beam search")},
                                        {"compareDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Compare strategies")}},
                              .modelFamilies = {ar::ModelFamily::Text},
                              .usesTextModel = true,
                              .summary = QT_TRANSLATE_NOOP("arlab::Lesson", "how the next token is chosen: sampling, beam search, strategies compared")})

}  // namespace arlab

#include "decodinglesson.moc"
