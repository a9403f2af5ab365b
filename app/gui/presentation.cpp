#include "app/gui/presentation.h"

#include "app/gui/menuaction.h"
#include "widgets/beamtreeview.h"

#include <QAction>
#include <QApplication>
#include <QFormLayout>
#include <QInputDialog>
#include <QMainWindow>
#include <QMenu>
#include <QSettings>
#include <QStyle>
#include <qcustomplot.h>

#include <cmath>

namespace arlab {

namespace {
const char* kBasePt = "arlabBasePointSize";   // a plot element's font size before scaling
const char* kBaseWidth = "arlabBasePenWidth"; // a plot element's pen width before thickening
// A plot's: the scale of the application font its elements not styled yet were made with. An axis, colour scale or
// text item takes the plot's font when it is made, so one made while the mode is on (a colour bar or labels that
// appear with their data) starts at the scaled size; its base is that size divided by this.
const char* kMadeAt = "arlabFontsMadeAt";
constexpr double kLineScale = 2.0;

const char* kRelPt = "arlabRelativePointSize";  // a widget's font size / the application font's

double pointSize(const QFont& f) { return f.pointSizeF() > 0 ? f.pointSizeF() : f.pixelSize() * 0.75; }

double basePointSize(QObject* o, const QFont& current, double madeAt) {
    const QVariant v = o->property(kBasePt);
    if (v.isValid()) return v.toDouble();
    const double pt = pointSize(current) / madeAt;
    o->setProperty(kBasePt, pt);
    return pt;
}

QFont scaled(QObject* o, QFont f, double scale, double madeAt) {
    f.setPointSizeF(std::max(4.0, basePointSize(o, f, madeAt) * scale));
    return f;
}

QPen thick(QObject* o, const char* key, QPen pen, double scale) {
    const QByteArray name = QByteArray(kBaseWidth) + key;
    QVariant v = o->property(name.constData());
    if (!v.isValid()) {
        v = pen.widthF();
        o->setProperty(name.constData(), v);
    }
    pen.setWidthF(std::max(v.toDouble(), 1.0) * scale);
    if (scale == 1) pen.setWidthF(v.toDouble());
    return pen;
}

// Black on white with saturated accents: light greys and pastels vanish on a washed-out projector.
QPalette highContrastPalette() {
    QPalette p;
    for (QPalette::ColorGroup g : {QPalette::Active, QPalette::Inactive}) {
        p.setColor(g, QPalette::Window, Qt::white);
        p.setColor(g, QPalette::WindowText, Qt::black);
        p.setColor(g, QPalette::Base, Qt::white);
        p.setColor(g, QPalette::AlternateBase, QColor(0xee, 0xee, 0xee));
        p.setColor(g, QPalette::Text, Qt::black);
        p.setColor(g, QPalette::Button, QColor(0xdd, 0xdd, 0xdd));
        p.setColor(g, QPalette::ButtonText, Qt::black);
        p.setColor(g, QPalette::Highlight, QColor(0x00, 0x3c, 0xb4));
        p.setColor(g, QPalette::HighlightedText, Qt::white);
        p.setColor(g, QPalette::ToolTipBase, Qt::white);
        p.setColor(g, QPalette::ToolTipText, Qt::black);
        p.setColor(g, QPalette::Link, QColor(0x00, 0x3c, 0xb4));
        p.setColor(g, QPalette::Light, Qt::white);
        p.setColor(g, QPalette::Midlight, QColor(0xcc, 0xcc, 0xcc));
        p.setColor(g, QPalette::Mid, QColor(0x55, 0x55, 0x55));
        p.setColor(g, QPalette::Dark, QColor(0x22, 0x22, 0x22));
        p.setColor(g, QPalette::Shadow, Qt::black);
        p.setColor(g, QPalette::PlaceholderText, QColor(0x44, 0x44, 0x44));
    }
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x55, 0x55, 0x55));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x55, 0x55, 0x55));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x55, 0x55, 0x55));
    p.setColor(QPalette::Disabled, QPalette::Window, Qt::white);
    p.setColor(QPalette::Disabled, QPalette::Base, QColor(0xee, 0xee, 0xee));
    p.setColor(QPalette::Disabled, QPalette::Button, QColor(0xdd, 0xdd, 0xdd));
    return p;
}
}  // namespace

PresentationMode::PresentationMode(QMainWindow* window, bool persist)
    : QObject(window), m_window(window), m_persist(persist) {
    m_baseFontPt = QApplication::font().pointSizeF() > 0 ? QApplication::font().pointSizeF() : 10;
    m_basePalette = QApplication::palette();
    m_toggle = makeAction(tr("&Presentation mode"), tr("Large fonts, thick lines, high contrast and fewer controls, for a projector (F5)"),
                          this, Qt::Key_F5);
    m_toggle->setCheckable(true);
    connect(m_toggle, &QAction::toggled, this, &PresentationMode::setOn);
    window->addAction(m_toggle);
    if (m_persist) {
        QSettings s;
        m_fontScale = std::clamp(s.value(QStringLiteral("ui/presentationFontScale"), 1.6).toDouble(), 1.0, 3.0);
        m_zoom = std::clamp(s.value(QStringLiteral("ui/zoom"), 0).toInt(), -5, 12);
        m_on = s.value(QStringLiteral("ui/presentation"), false).toBool();
        m_toggle->setChecked(m_on);
    }
    window->installEventFilter(this);
    apply();
}

void PresentationMode::addActions(QMenu* viewMenu) {
    viewMenu->addAction(m_toggle);
    QAction* size = setTip(viewMenu->addAction(tr("Presentation &font size…")), tr("How much larger fonts are in presentation mode"));
    connect(size, &QAction::triggered, this, [this] {
        bool ok = false;
        const double v = QInputDialog::getDouble(m_window, tr("Presentation font size"),
                                                 tr("Font size in presentation mode (× normal):"), m_fontScale, 1.0, 3.0, 1, &ok);
        if (ok) setFontScale(v);
    });
    QMenu* zoom = viewMenu->addMenu(tr("&Zoom"));
    auto add = [&](const QString& text, const QString& tip, const QList<QKeySequence>& keys, void (PresentationMode::*slot)()) {
        QAction* a = setTip(zoom->addAction(text), tip);
        a->setShortcuts(keys);
        a->setShortcutContext(Qt::WindowShortcut);
        connect(a, &QAction::triggered, this, slot);
        m_window->addAction(a);
    };
    add(tr("Zoom &in"), tr("Make all text and plots of the window larger"),
        {QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus)}, &PresentationMode::zoomIn);
    add(tr("Zoom &out"), tr("Make all text and plots of the window smaller"), {QKeySequence(Qt::CTRL | Qt::Key_Minus)},
        &PresentationMode::zoomOut);
    add(tr("&Reset zoom"), tr("Back to the normal size of text and plots"), {QKeySequence(Qt::CTRL | Qt::Key_0)},
        &PresentationMode::resetZoom);
}

double PresentationMode::effectiveScale() const { return (m_on ? m_fontScale : 1.0) * std::pow(1.1, m_zoom); }

void PresentationMode::markAdvanced(QWidget* w) { w->setProperty("arlabAdvanced", true); }

void PresentationMode::setOn(bool on) {
    if (on == m_on && m_toggle->isChecked() == on) return;
    m_on = on;
    if (m_toggle->isChecked() != on) m_toggle->setChecked(on);
    apply();
}

void PresentationMode::setFontScale(double scale) {
    m_fontScale = std::clamp(scale, 1.0, 3.0);
    apply();
}

// The beam tree zooms itself with the same keys: it keeps them while it has the focus.
bool PresentationMode::forwardZoomKey(int key) {
    auto* tree = qobject_cast<BeamTreeView*>(QApplication::focusWidget());
    if (!tree) return false;
    if (key == Qt::Key_Equal) tree->zoomIn();
    else if (key == Qt::Key_Minus) tree->zoomOut();
    else tree->fitAll();
    return true;
}

void PresentationMode::zoomIn() {
    if (!forwardZoomKey(Qt::Key_Equal)) setZoom(m_zoom + 1);
}
void PresentationMode::zoomOut() {
    if (!forwardZoomKey(Qt::Key_Minus)) setZoom(m_zoom - 1);
}
void PresentationMode::resetZoom() {
    if (!forwardZoomKey(Qt::Key_0)) setZoom(0);
}

void PresentationMode::setZoom(int steps) {
    m_zoom = std::clamp(steps, -5, 12);
    apply();
}

void PresentationMode::apply() {
    const double before = m_appliedScale;   // what the plots not hooked yet were made with
    m_appliedScale = effectiveScale();
    applyFonts(m_appliedScale);
    applyPalette();
    applyAdvanced();
    if (m_on || m_zoom != 0) hookPlots(before);
    else unhookPlots();
    save();
    emit changed();
}

// Widgets that do not simply inherit the application font get theirs set, at the same multiple of the application
// font as before: those with a font of their own (titles, chips, big translation text) and those with a style sheet
// (grey notes, red errors, highlighted buttons), which Qt leaves at the size they were polished with when the
// application font changes. The multiple is measured against the application font the widget was made with (the one
// before this change), so a widget built while the mode is on (a lesson shown for the first time) comes back right.
void PresentationMode::applyFonts(double scale) {
    QFont app = QApplication::font();
    const double before = app.pointSizeF() > 0 ? app.pointSizeF() : m_baseFontPt;
    app.setPointSizeF(m_baseFontPt * scale);
    QApplication::setFont(app);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::ApplicationFontChange);   // now: a lesson built next starts at it
    for (QWidget* w : m_window->findChildren<QWidget*>()) {
        if (!w->testAttribute(Qt::WA_SetFont) && !w->testAttribute(Qt::WA_StyleSheet) && !w->property(kRelPt).isValid()) continue;
        QVariant rel = w->property(kRelPt);
        if (!rel.isValid()) {
            rel = pointSize(w->font()) / before;
            w->setProperty(kRelPt, rel);
        }
        QFont f = w->font();
        f.setPointSizeF(std::max(4.0, rel.toDouble() * app.pointSizeF()));
        w->setFont(f);
    }
}

void PresentationMode::applyPalette() {
    QApplication::setPalette(m_on ? highContrastPalette() : m_basePalette);
}

void PresentationMode::applyAdvanced() {
    if (m_on) {
        for (QWidget* w : m_window->findChildren<QWidget*>()) {
            if (!w->property("arlabAdvanced").toBool() || w->isHidden()) continue;
            QList<QWidget*> row{w};
            // In a form, the row's label goes with it.
            if (QWidget* parent = w->parentWidget())
                for (QFormLayout* form : parent->findChildren<QFormLayout*>())
                    if (QWidget* label = form->labelForField(w)) row << label;
            for (QWidget* x : row) {
                x->hide();
                m_hidden << x;
            }
        }
    } else {
        for (const QPointer<QWidget>& w : m_hidden)
            if (w) w->show();
        m_hidden.clear();
    }
}

void PresentationMode::hookPlots(double madeAt) {
    for (QCustomPlot* plot : m_window->findChildren<QCustomPlot*>()) {
        if (!plot->property("arlabStyled").isValid()) {
            plot->setProperty("arlabStyled", true);
            plot->setProperty(kMadeAt, madeAt);
            connect(plot, &QCustomPlot::beforeReplot, this, [this, plot] { stylePlot(plot); });
        }
        plot->replot();
    }
}

// Back to the plots' own fonts and pens, and out of their way (a view may change them itself later).
void PresentationMode::unhookPlots() {
    for (QCustomPlot* plot : m_window->findChildren<QCustomPlot*>()) {
        if (!plot->property("arlabStyled").isValid()) continue;
        stylePlot(plot);   // scale 1: the recorded sizes and widths
        disconnect(plot, &QCustomPlot::beforeReplot, this, nullptr);
        plot->setProperty("arlabStyled", QVariant());
        plot->replot();
    }
}

// Fonts and pens of one plot for the current mode, re-applied before each replot.
void PresentationMode::stylePlot(QCustomPlot* plot) {
    const double fs = effectiveScale();
    const double madeAt = plot->property(kMadeAt).isValid() ? plot->property(kMadeAt).toDouble() : 1.0;
    const auto scaled = [madeAt](QObject* o, const QFont& f, double scale) { return arlab::scaled(o, f, scale, madeAt); };
    const double ls = m_on ? kLineScale : 1.0;
    QList<QCPAxis*> axes;
    for (QCPAxisRect* rect : plot->axisRects()) axes += rect->axes();
    // A colour scale draws its axis in an axis rect of its own that axisRects() does not list. Left alone, its fonts
    // would be measured at their own size but drawn at the widget's (scaled) one, pushing the label off the plot.
    for (QCPLayoutElement* element : plot->plotLayout()->elements(true))
        if (auto* scale = qobject_cast<QCPColorScale*>(element)) axes << scale->axis();
    for (QCPAxis* axis : axes) {
        axis->setTickLabelFont(scaled(axis, axis->tickLabelFont(), fs));
        QObject* labelKey = axis->grid();   // a second object to keep the label's base size apart
        axis->setLabelFont(scaled(labelKey, axis->labelFont(), fs));
        axis->setBasePen(thick(axis, "base", axis->basePen(), ls));
        axis->setTickPen(thick(axis, "tick", axis->tickPen(), ls));
        axis->grid()->setPen(thick(axis->grid(), "grid", axis->grid()->pen(), m_on ? 1.5 : 1.0));
    }
    if (plot->legend) plot->legend->setFont(scaled(plot->legend, plot->legend->font(), fs));
    for (int i = 0; i < plot->plottableCount(); ++i) {
        QCPAbstractPlottable* p = plot->plottable(i);
        p->setPen(thick(p, "pen", p->pen(), ls));
    }
    for (int i = 0; i < plot->itemCount(); ++i) {
        QCPAbstractItem* item = plot->item(i);
        if (auto* text = qobject_cast<QCPItemText*>(item)) text->setFont(scaled(text, text->font(), fs));
        else if (auto* line = qobject_cast<QCPItemStraightLine*>(item)) line->setPen(thick(line, "pen", line->pen(), ls));
        else if (auto* l2 = qobject_cast<QCPItemLine*>(item)) l2->setPen(thick(l2, "pen", l2->pen(), ls));
    }
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i)
        if (auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->elementAt(i)))
            title->setFont(scaled(title, title->font(), fs));
    plot->setProperty(kMadeAt, fs);   // elements made from now on take the plot's font at this scale
}

bool PresentationMode::eventFilter(QObject* watched, QEvent* event) {
    // Docks and plots created after the mode was switched on (a lesson built on first show) follow it.
    if (watched == m_window && event->type() == QEvent::ChildPolished && (m_on || m_zoom != 0)) hookPlots(m_appliedScale);
    return QObject::eventFilter(watched, event);
}

void PresentationMode::save() const {
    if (!m_persist) return;
    QSettings s;
    s.setValue(QStringLiteral("ui/presentation"), m_on);
    s.setValue(QStringLiteral("ui/presentationFontScale"), m_fontScale);
    s.setValue(QStringLiteral("ui/zoom"), m_zoom);
}

}  // namespace arlab
