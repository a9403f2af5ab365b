// The Decoding lesson: how the next token is chosen, and what different strategies make of one prompt.
//   Sampling dock      every knob of the sampler chain and of beam search (applies to the next step)
//   Beam search dock   the whole search tree, one expansion round at a time
//   Compare dock       greedy, beam(k) and seeded samples side by side, divergence marked
// --steps N runs N beam rounds (e.g. arlab --lesson decoding --steps 5 --screenshot beam.png).
#include "app/gui/beamcontroller.h"
#include "app/gui/comparecontroller.h"
#include "app/gui/generationcontroller.h"
#include "app/gui/lesson.h"
#include "app/gui/mainwindow.h"
#include "widgets/beamsearchpanel.h"
#include "widgets/beamtreeview.h"
#include "widgets/compareview.h"
#include "widgets/samplingpanel.h"

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
    win.addDock(sampling, "samplingDock", Qt::LeftDockWidgetArea, QSize(250, 0));
    QObject::connect(sampling, &SamplingPanel::settingsChanged, gen, &GenerationController::setSettings);
    QObject::connect(gen, &GenerationController::changed, sampling, [gen, sampling] {
        if (!(sampling->settings() == gen->settings())) sampling->setSettings(gen->settings());
    });

    m_beamPanel = new BeamSearchPanel;
    auto* beamPanel = m_beamPanel;
    m_beam = new BeamController(beamPanel, gen, this);
    auto* beam = m_beam;
    // The beam tree is the centre of the lesson: it gets most of the width and height; the compare dock sits
    // under it (the sampling panel keeps the whole left column).
    win.addDock(beamPanel, "beamDock", Qt::RightDockWidgetArea, QSize(1330, 650));

    // The beam width and length penalty live in both the sampling panel and the beam dock: keep them equal.
    {
        ar::SamplerSettings s = gen->settings();
        s.beamWidth = beam->settings().width;
        s.lengthPenalty = beam->settings().lengthPenalty;
        gen->setSettings(s);
        sampling->setSettings(s);
    }
    QObject::connect(gen, &GenerationController::changed, beam, [gen, beam] {
        ar::BeamSettings b = beam->settings();
        b.width = gen->settings().beamWidth;
        b.lengthPenalty = gen->settings().lengthPenalty;
        beam->setSettings(b);  // no-op when equal
    });
    QObject::connect(beamPanel, &BeamSearchPanel::settingsChanged, gen, [gen](const ar::BeamSettings& b) {
        ar::SamplerSettings s = gen->settings();
        if (s.beamWidth == b.width && s.lengthPenalty == b.lengthPenalty) return;
        s.beamWidth = b.width;
        s.lengthPenalty = b.lengthPenalty;
        gen->setSettings(s);
    });

    auto* compareView = new CompareView;
    m_compare = new CompareController(compareView, gen, this);
    win.addDock(compareView, "compareDock", Qt::RightDockWidgetArea, QSize(1330, 320));
    // The compare dock's beam row uses the shared beam width (and length penalty, see CompareController).
    auto syncCompare = [gen, compareView] {
        ar::CompareSettings c = compareView->settings();
        if (c.beamWidth == gen->settings().beamWidth) return;
        c.beamWidth = gen->settings().beamWidth;
        compareView->setSettings(c);
    };
    syncCompare();
    QObject::connect(gen, &GenerationController::changed, compareView, syncCompare);
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
