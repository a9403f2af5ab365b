#pragma once
// Presentation mode (F5) and UI zoom (Ctrl+= / Ctrl+- / Ctrl+0), for a class in front of a projector.
//
//   presentation on:  fonts x fontScale (1.6 by default, View -> Presentation font size), lines in plots twice
//                     as thick, a high-contrast palette (black on white, saturated accents: a washed-out
//                     projector loses light greys and pastel colours first), advanced controls hidden;
//   zoom:             every font x 1.1^n, in either mode.
//
// Fonts: the application font; every widget with a font set explicitly or a style sheet (Qt leaves a styled
// widget's font as it was when the application font changes) kept at the same multiple of the application font; and
// QCustomPlot's axis, legend and text fonts. Plot pens are re-applied before every replot, so
// plottables a view creates later are scaled too. Advanced controls are widgets with the dynamic property
// "arlabAdvanced" set to true (PresentationMode::markAdvanced). The state is remembered (QSettings:
// ui/presentation, ui/presentationFontScale, ui/zoom) unless `persist` is false (screenshots, tests).
#include <QObject>
#include <QPalette>
#include <QPointer>

class QAction;
class QCustomPlot;
class QMainWindow;
class QMenu;
class QWidget;

namespace arlab {

class PresentationMode : public QObject {
    Q_OBJECT
public:
    PresentationMode(QMainWindow* window, bool persist);

    // View-menu entries: Presentation mode (F5), font size, Zoom in / out / reset.
    void addActions(QMenu* viewMenu);
    QAction* toggleAction() const { return m_toggle; }

    bool isOn() const { return m_on; }
    double fontScale() const { return m_fontScale; }     // in presentation mode
    int zoomSteps() const { return m_zoom; }             // font x 1.1^zoomSteps
    double effectiveScale() const;                       // what fonts are multiplied by now

    static void markAdvanced(QWidget* w);                // hidden in presentation mode

public slots:
    void setOn(bool on);
    void setFontScale(double scale);                     // 1.0 .. 3.0
    void zoomIn();
    void zoomOut();
    void resetZoom();

signals:
    void changed();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void setZoom(int steps);
    void apply();
    void applyFonts(double scale);
    void applyPalette();
    void applyAdvanced();
    void hookPlots(double madeAt);   // madeAt: the font scale the plots not hooked yet were made with
    void unhookPlots();
    void stylePlot(QCustomPlot* plot);
    void save() const;
    bool forwardZoomKey(int key);

    QMainWindow* m_window;
    bool m_persist;
    bool m_on = false;
    double m_fontScale = 1.6;
    int m_zoom = 0;
    double m_baseFontPt = 0;
    double m_appliedScale = 1.0;   // the application font's scale, as the last apply() set it
    QAction* m_toggle = nullptr;
    QPalette m_basePalette;
    QList<QPointer<QWidget>> m_hidden;   // advanced widgets this mode hid (shown again when it ends)
};

}  // namespace arlab
