#pragma once
// DockScroll: the frameless scroll area that holds a lesson's view in its dock (MainWindow::addDock), and the cap
// MainWindow::fitDocks puts on its minimum when the window is too small for every view's.

#include <QDockWidget>
#include <QEvent>
#include <QFrame>
#include <QScrollArea>

namespace arlab {

// A lesson's view in its dock (addDock), scrolling when the dock is smaller than the view's minimum. The dock's
// minimum is the view's, except in a window too small for every view's minimum (MainWindow::fitDocks, a projector's
// 1280x800 in presentation mode): then it is capped at kMinimumCap, so a small panel (the sampler's settings) is
// not squeezed below what it needs while a large view scrolls rather than hold the window beyond the screen (three
// docks side by side or stacked stay within 1280x800).
class DockScroll : public QScrollArea {
public:
    static constexpr QSize kMinimumCap{360, 200};
    static constexpr const char* kDockScroll = "arlabDockScroll";   // (what dockView recognises it by)
    explicit DockScroll(QWidget* view) {
        setProperty(kDockScroll, true);
        setFrameShape(QFrame::NoFrame);
        setFocusPolicy(Qt::NoFocus);
        setWidgetResizable(true);
        setWidget(view);
        view->setAutoFillBackground(false);   // (setWidget turns it on): no background of its own
    }
    static DockScroll* of(QDockWidget* dock) {
        auto* scroll = qobject_cast<QScrollArea*>(dock->widget());
        return scroll && scroll->property(kDockScroll).toBool() ? static_cast<DockScroll*>(scroll) : nullptr;
    }
    void setCapped(bool capped) {
        if (capped == m_capped) return;
        m_capped = capped;
        updateGeometry();
    }
    QSize minimumSizeHint() const override {
        const QSize view = widget()->minimumSizeHint().expandedTo(widget()->minimumSize());
        return m_capped ? view.boundedTo(kMinimumCap) : view;
    }

protected:
    // The view's minimum changed (larger fonts, new content): the dock asks again (a scroll area does not pass
    // its content's layout changes on by itself).
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (watched == widget() && event->type() == QEvent::LayoutRequest) updateGeometry();
        return QScrollArea::eventFilter(watched, event);
    }

private:
    bool m_capped = false;
};

}  // namespace arlab
