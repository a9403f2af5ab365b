// The Limits lesson: what autoregressive models do badly, measured on real models, and the remedies that came
// after. Five docks: long-range memory (recall, gradient flow, hidden state), the cost of generating (follows the
// live session's text model), flash attention (one head, animated), mixture of experts (routing) and positions
// (encodings and the context limit). `--steps N` (1..5) shows view N alone once its computations are done: the
// README's screenshots are made that way.
#include "app/gui/changes.h"
#include "app/gui/generationcontroller.h"
#include "app/gui/lesson.h"
#include "app/gui/limitscontroller.h"
#include "app/gui/mainwindow.h"
#include "widgets/flashview.h"
#include "widgets/kvcostview.h"
#include "widgets/memoryview.h"
#include "widgets/moeroutingview.h"
#include "widgets/positionsview.h"

#include <QDockWidget>

namespace arlab {

class LimitsLesson : public Lesson {
    Q_OBJECT
public:
    explicit LimitsLesson(MainWindow& win) : Lesson(win) {
        LimitsController::Views v;
        v.memory = new MemoryView;
        v.kv = new KvCostView;
        v.flash = new FlashView;
        v.moe = new MoeRoutingView;
        v.positions = new PositionsView;
        // One tab per view, in the lesson's order, each with the whole window (a projector's 1280x800, in presentation
        // mode too): side by side, five views only fitted by scrolling each. The tab bar and View toggle the others.
        m_docks << win.addDock(v.memory, "limitsMemoryDock", Qt::LeftDockWidgetArea);
        m_docks << win.addDock(v.kv, "limitsKvDock", Qt::LeftDockWidgetArea);
        m_docks << win.addDock(v.flash, "limitsFlashDock", Qt::LeftDockWidgetArea);
        m_docks << win.addDock(v.moe, "limitsMoeDock", Qt::LeftDockWidgetArea);
        m_docks << win.addDock(v.positions, "limitsPositionsDock", Qt::LeftDockWidgetArea);
        for (int i = 1; i < m_docks.size(); ++i) win.setTabbedByDefault(m_docks[0], m_docks[i]);
        m_ctl = new LimitsController(v, win.generation(), this);
        connect(m_ctl, &LimitsController::failed, &win, [&win](const QString& m) { win.showMessage(m, 10000); });
        m_ctl->refreshAll();
        // The KV and flash docks follow the live session; hidden, they defer the work until shown.
        auto* kv = new DockUpdater(m_docks[1], kSequenceChanges, [this](Changes) { m_ctl->refreshKvCost(); });
        auto* flash = new DockUpdater(m_docks[2], Changes(Change::Model) | Change::Prompt | Change::StepAppended | Change::StepRemoved,
                                      [this](Changes) { m_ctl->refreshFlash(); });
        for (DockUpdater* u : {kv, flash}) connect(win.generation(), &GenerationController::changed, u, &DockUpdater::notify);
    }
    bool step(int n) override {
        m_ctl->waitIdle(300000);
        if (n >= 1 && n <= m_docks.size())
            for (int i = 0; i < m_docks.size(); ++i)
                if (i != n - 1) window().setHiddenByDefault(m_docks[i]);
        return true;
    }

private:
    LimitsController* m_ctl = nullptr;
    QList<QDockWidget*> m_docks;
};

ARLAB_LESSON(LimitsLesson, {.id = "limits",
                            .title = QT_TRANSLATE_NOOP("arlab::Lesson", "Limits"),
                            .order = 50,
                            .shortcut = "Ctrl+5",
                            .docks = {{"limitsMemoryDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Long-range memory")},
                                      {"limitsKvDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Cost of generating")},
                                      {"limitsFlashDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Flash attention")},
                                      {"limitsMoeDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Mixture of experts")},
                                      {"limitsPositionsDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Positions")}},
                            .usesTextModel = true,
                            .summary = QT_TRANSLATE_NOOP("arlab::Lesson", "limits of AR models measured: memory, cost, flash attention, experts, positions")})

}  // namespace arlab

#include "limitslesson.moc"
