// The Parallel lesson: AR generation is sequential (one model pass per word); what can be done in fewer
// sequential passes. Three docks: one Chinese sentence translated by AR, one-pass NAT, Mask-Predict and
// semi-AR side by side, stepped pass by pass (slider, Space); the test-set quality of every mode against its
// sequential passes; speculative decoding on the toy language, round by round, with its measured speedup for
// γ = 1..8. `--steps N` waits for the background work, then shows every mode after N sequential passes.
#include "app/gui/lesson.h"
#include "app/gui/mainwindow.h"
#include "app/gui/parallelcontroller.h"
#include "core/error.h"

#include <QDockWidget>
#include <QFileInfo>

namespace arlab {

class ParallelLesson : public Lesson {
    Q_OBJECT
public:
    explicit ParallelLesson(MainWindow& win) : Lesson(win) {
        ParallelController::Views v;
        v.decode = new ParallelDecodeView;
        v.quality = new ParallelQualityView;
        v.speculative = new SpeculativeView;
        win.addDock(v.decode, "parallelDecodeDock", Qt::LeftDockWidgetArea, QSize(860, 0));
        win.addDock(v.quality, "parallelQualityDock", Qt::RightDockWidgetArea, QSize(740, 360));
        win.addDock(v.speculative, "speculativeDock", Qt::RightDockWidgetArea, QSize(740, 600));
        m_ctl = new ParallelController(v, this);
        m_decode = v.decode;
        m_ctl->start();
    }
    bool step(int n) override {
        m_ctl->waitIdle(600000);
        m_decode->setPass(m_decode->pass() + n);
        return true;
    }
    void openModel(const ar::OpenedModel& model, const QString& path) override {
        if (!model.parallel) throw ar::Error("not a parallel (NAT/CMLM) translator");
        m_ctl->addCheckpoint(QFileInfo(path).fileName(), path, model.parallel);
    }

private:
    ParallelController* m_ctl = nullptr;
    ParallelDecodeView* m_decode = nullptr;
};

ARLAB_LESSON(ParallelLesson, {.id = "parallel",
                              .title = QT_TRANSLATE_NOOP("arlab::Lesson", "Parallel"),
                              .order = 60,
                              .shortcut = "Ctrl+6",
                              .docks = {{"parallelDecodeDock", QT_TRANSLATE_NOOP("arlab::Lesson", "One word at a time vs all at once")},
                                        {"parallelQualityDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Quality vs sequential passes")},
                                        {"speculativeDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Speculative decoding")}},
                              .modelFamilies = {ar::ModelFamily::ParallelTranslator},
                              .summary = QT_TRANSLATE_NOOP("arlab::Lesson", "non-autoregressive translation, Mask-Predict, semi-AR and speculative decoding")})

}  // namespace arlab

#include "parallellesson.moc"
