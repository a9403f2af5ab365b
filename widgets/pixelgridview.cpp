#include "widgets/pixelgridview.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace arlab {

PixelGridView::PixelGridView(QWidget* parent) : QWidget(parent) {
    setGrid(28, 28);
    setMouseTracking(false);
    QSizePolicy sp(QSizePolicy::Expanding, QSizePolicy::Expanding);
    sp.setHeightForWidth(true);
    setSizePolicy(sp);
}

void PixelGridView::setGrid(int height, int width) {
    m_h = std::max(1, height);
    m_w = std::max(1, width);
    m_cells = QVector<float>(m_h * m_w, -1.0f);
    m_fixed.clear();
    m_overlay.clear();
    m_marked = -1;
    update();
}

void PixelGridView::setMode(Mode mode) {
    m_mode = mode;
    update();
}

void PixelGridView::setCells(const QVector<float>& values) {
    if (values.size() == m_h * m_w) m_cells = values;
    update();
}

void PixelGridView::setFixed(const QVector<bool>& fixed) {
    m_fixed = fixed.size() == m_h * m_w ? fixed : QVector<bool>();
    update();
}

void PixelGridView::setMarked(int index) {
    m_marked = index;
    update();
}

void PixelGridView::setOverlay(const QVector<float>& overlay) {
    m_overlay = overlay.size() == m_h * m_w ? overlay : QVector<float>();
    update();
}

QRect PixelGridView::cellRect(int index) const {
    const int cell = std::max(1, std::min(width() / m_w, height() / m_h));
    const int x0 = (width() - cell * m_w) / 2, y0 = 0;  // top-aligned: the grid sits right under its caption
    return QRect(x0 + (index % m_w) * cell, y0 + (index / m_w) * cell, cell, cell);
}

QColor PixelGridView::cellColor(float v) const {
    if (v < 0) return QColor(70, 70, 76);
    v = std::clamp(v, 0.0f, 1.0f);
    if (m_mode == Mode::Binary) {
        const int g = int(std::lround(v * 255));
        return QColor(g, g, g);
    }
    // perceptual-ish blue -> teal -> yellow scale
    const float r = 0.27f + v * (0.99f - 0.27f) * v, g = 0.0f + 0.9f * std::sqrt(v), b = 0.33f + 0.4f * v - 0.6f * v * v;
    return QColor::fromRgbF(std::clamp(r, 0.0f, 1.0f), std::clamp(g, 0.0f, 1.0f), std::clamp(b, 0.0f, 1.0f));
}

void PixelGridView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    for (int i = 0; i < m_h * m_w; ++i) {
        const QRect r = cellRect(i);
        const float v = m_cells.value(i, -1.0f);
        p.fillRect(r, cellColor(v));
        if (!m_fixed.isEmpty() && m_fixed[i]) p.fillRect(r, QColor(40, 120, 255, v > 0.5f ? 110 : 150));
        if (!m_overlay.isEmpty() && m_overlay[i] > 0) {  // a centred orange square: the pixel stays readable
            const float s = std::min(1.0f, m_overlay[i]);
            const int side = std::max(2, int(r.width() * (0.3f + 0.4f * s)));
            p.fillRect(QRect(r.center().x() - side / 2 + 1, r.center().y() - side / 2 + 1, side, side),
                       QColor(255, 120, 0, int(150 + 105 * s)));
        }
    }
    // thin grid lines when cells are big enough
    const QRect all = cellRect(0).united(cellRect(m_h * m_w - 1));
    if (cellRect(0).width() >= 8) {
        p.setPen(QColor(0, 0, 0, 60));
        for (int x = 0; x <= m_w; ++x) p.drawLine(all.left() + x * cellRect(0).width(), all.top(), all.left() + x * cellRect(0).width(), all.bottom());
        for (int y = 0; y <= m_h; ++y) p.drawLine(all.left(), all.top() + y * cellRect(0).height(), all.right(), all.top() + y * cellRect(0).height());
    }
    if (m_marked >= 0 && m_marked < m_h * m_w) {
        p.setPen(QPen(QColor(230, 20, 40), std::max(2, cellRect(0).width() / 5)));
        p.setBrush(Qt::NoBrush);
        p.drawRect(cellRect(m_marked).adjusted(-1, -1, 1, 1));
    }
}

int PixelGridView::cellAt(QPoint pt) const {
    const QRect first = cellRect(0);
    const int cell = first.width();
    const int x = (pt.x() - first.left()) / cell, y = (pt.y() - first.top()) / cell;
    if (pt.x() < first.left() || pt.y() < first.top() || x >= m_w || y >= m_h) return -1;
    return y * m_w + x;
}

void PixelGridView::paintAt(QMouseEvent* e) {
    if (!m_editable) return;
    const int i = cellAt(e->position().toPoint());
    if (i < 0 || i == m_lastPainted) return;
    m_lastPainted = i;
    const bool erase = e->buttons() & Qt::RightButton;
    emit cellPainted(i, erase ? 0 : 1);
}

void PixelGridView::mousePressEvent(QMouseEvent* e) {
    m_lastPainted = -1;
    paintAt(e);
}

void PixelGridView::mouseMoveEvent(QMouseEvent* e) {
    if (e->buttons() & (Qt::LeftButton | Qt::RightButton)) paintAt(e);
}

}  // namespace arlab
