#pragma once
// PixelPanel: the "Pixels" dock. An image drawn pixel by pixel: the canvas (with the next pixel marked and,
// optionally, its measured receptive field), the map of P(pixel = 1 | pixels before it), the next pixel's
// probability, the transport buttons (Back, Step, Play + speed, Fast-forward, Reset), the model selector,
// temperature and seed, and the drawing tools for a completion. A view with plain setters; the
// PixelController (app/gui) drives it.
#include "widgets/exportable.h"
#include "widgets/pixelgridview.h"

#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace arlab {

class PixelPanel : public QWidget, public ExportableView {
    Q_OBJECT
public:
    ExportTable exportTable() const override;   // the numbers behind the view, for CSV (widgets/exporttables.cpp)
    explicit PixelPanel(QWidget* parent = nullptr);

    void setModels(const QStringList& names, int current);
    void setGrid(int height, int width);
    // Canvas: value per pixel (-1 not drawn), fixed (user-given) pixels, the next pixel, the overlay.
    void setCanvas(const QVector<float>& values, const QVector<bool>& fixed, int nextIndex);
    void setProbabilities(const QVector<float>& p, int nextIndex);    // -1 where not evaluated yet
    void setOverlay(const QVector<float>& overlay);                     // empty: hidden
    void setNextPixel(int y, int x, float p);                           // p < 0: none (image complete)
    void setProgress(int done, int total, double logProb);
    void setPlaying(bool playing);
    void setInfo(const QString& text);                                  // model description / messages
    void setOverlayNote(const QString& text);
    void setKeepRows(int rows);                                         // emits keepRowsChanged

    bool overlayEnabled() const;
    int speed() const;        // pixels per second
    double temperature() const;
    int seed() const;
    int keepRows() const;
    int currentModel() const;

    PixelGridView* canvas() const { return m_canvas; }
    PixelGridView* probabilityMap() const { return m_map; }
    QString nextPixelText() const;
    QString progressText() const;
    QSize sizeHint() const override { return {680, 640}; }

signals:
    void stepRequested();
    void backRequested();
    void resetRequested();
    void fastForwardRequested();
    void playToggled(bool play);
    void speedChanged(int pixelsPerSecond);
    void modelChosen(int index);
    void overlayToggled(bool on);
    void temperatureChanged(double t);
    void seedChanged(int seed);
    void keepRowsChanged(int rows);
    void cellPainted(int index, int value);
    void clearDrawingRequested();

private:
    PixelGridView* m_canvas;
    PixelGridView* m_map;
    QComboBox* m_model;
    QDoubleSpinBox* m_temperature;
    QSpinBox* m_seed;
    QSpinBox* m_keepRows;
    QPushButton *m_back, *m_step, *m_play, *m_ff, *m_reset, *m_clear;
    QSlider* m_speed;
    QLabel* m_speedLabel;
    QCheckBox* m_overlay;
    QLabel *m_next, *m_progress, *m_info, *m_overlayNote;
};

}  // namespace arlab
