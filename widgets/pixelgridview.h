#pragma once
// PixelGridView: an H x W grid of cells, the canvas of the image lessons. A view with plain setters:
//   cells:    value in [0,1] per cell, or < 0 for "not drawn yet" (dark grey)
//             Binary mode: 0 black, 1 white.  Probability mode: a blue (0) -> yellow (1) colour scale.
//   fixed:    cells the user fixed for a completion get a blue tint
//   marked:   one cell outlined in red (the pixel drawn next)
//   overlay:  strength in [0,1] per cell painted over it in orange (receptive field); empty = none
// When editable, left-drag paints ink (1) and right-drag erases (0): cellPainted(index, value).
#include <QVector>
#include <QWidget>

namespace arlab {

class PixelGridView : public QWidget {
    Q_OBJECT
public:
    enum class Mode { Binary, Probability };
    explicit PixelGridView(QWidget* parent = nullptr);

    void setGrid(int height, int width);
    void setMode(Mode mode);
    void setCells(const QVector<float>& values);     // H*W
    void setFixed(const QVector<bool>& fixed);       // H*W or empty
    void setMarked(int index);                       // -1: none
    void setOverlay(const QVector<float>& overlay);  // H*W or empty
    void setEditable(bool editable) { m_editable = editable; }

    int gridHeight() const { return m_h; }
    int gridWidth() const { return m_w; }
    const QVector<float>& cells() const { return m_cells; }
    const QVector<float>& overlay() const { return m_overlay; }
    int marked() const { return m_marked; }
    QRect cellRect(int index) const;                 // where a cell is painted (for tests and tooltips)
    QColor cellColor(float value) const;             // colour of a value in the current mode
    QSize sizeHint() const override { return {300, 300}; }
    QSize minimumSizeHint() const override { return {120, 120}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int w) const override { return w; }

signals:
    void cellPainted(int index, int value);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;

private:
    int cellAt(QPoint p) const;
    void paintAt(QMouseEvent* e);
    int m_h = 28, m_w = 28;
    Mode m_mode = Mode::Binary;
    QVector<float> m_cells;
    QVector<bool> m_fixed;
    QVector<float> m_overlay;
    int m_marked = -1;
    bool m_editable = false;
    int m_lastPainted = -1;
};

}  // namespace arlab
