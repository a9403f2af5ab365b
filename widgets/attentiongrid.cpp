#include "widgets/attentiongrid.h"

#include "widgets/attentiongradient.h"
#include "widgets/fonts.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPaintEvent>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace arlab {

namespace {

constexpr float kNan = std::numeric_limits<float>::quiet_NaN();

// The attention colour scale as a 256-entry table (QCPColorGradient's own table is 350 entries: the same
// colours, a table lookup per pixel).
const std::array<QRgb, 256>& colourTable() {
    static const std::array<QRgb, 256> table = [] {
        std::array<QRgb, 256> t{};
        QCPColorGradient g = attentionGradient();
        for (int i = 0; i < 256; ++i) t[size_t(i)] = g.color(i / 255.0, QCPRange(0, 1));
        return t;
    }();
    return table;
}

QRgb colourOf(float v) {
    if (std::isnan(v)) return qRgba(0, 0, 0, 0);
    return colourTable()[size_t(std::clamp(int(std::lround(double(v) * 255.0)), 0, 255))];
}

}  // namespace

AttentionGrid::AttentionGrid(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void AttentionGrid::setSource(const AttentionRows* rows, const QStringList* tokens) {
    m_rows = rows;
    m_tokens = tokens;
    resetPools();
    relayout();
}

int AttentionGrid::layerCount() const { return m_rows && !m_rows->empty() ? int(m_rows->front().size()) : 0; }
int AttentionGrid::headCount() const {
    return layerCount() > 0 ? int(m_rows->front().front().rows()) : 0;
}

void AttentionGrid::resetPools() {
    m_pools.assign(size_t(layerCount() * headCount()), Pool{});
}

void AttentionGrid::rowsChanged(int unchanged) {
    if (m_pools.size() != size_t(layerCount() * headCount()) || unchanged == 0) {   // other maps altogether
        resetPools();
        relayout();
        return;
    }
    const int B = m_cell;
    for (Pool& p : m_pools) {
        if (p.s == 0 || p.rows <= unchanged) continue;
        // Un-pool the rows taken away: the bin rows from the one holding row `unchanged` on are made again.
        const int keep = (unchanged / p.s) * p.s;
        for (int bq = keep / p.s; bq <= (p.rows - 1) / p.s && bq < B; ++bq) {
            std::fill_n(p.max.begin() + ptrdiff_t(bq) * B, B, kNan);
            std::fill_n(reinterpret_cast<QRgb*>(p.image.scanLine(bq)), B, qRgba(0, 0, 0, 0));
        }
        p.rows = keep;
    }
    update();
}

void AttentionGrid::setViewportWidth(int width) {
    m_viewportWidth = width;
    relayout();
}

void AttentionGrid::relayout() {
    const int H = std::max(1, headCount()), L = layerCount();
    const int cell = std::clamp((m_viewportWidth - kLeft - H * kGap) / H, kMinCell, kMaxCell);
    if (cell != m_cell) {
        m_cell = cell;
        resetPools();   // the images are made for a cell size
    }
    setFixedSize(kLeft + H * (m_cell + kGap), kTop + L * (m_cell + kGap));
    update();
}

QRect AttentionGrid::cellRect(int layer, int head) const {
    return QRect(kLeft + head * (m_cell + kGap), kTop + layer * (m_cell + kGap), m_cell, m_cell);
}

bool AttentionGrid::cellAt(QPoint p, int* layer, int* head, int* query, int* key) const {
    const int T = tokenCount();
    if (T == 0 || p.x() < kLeft || p.y() < kTop) return false;
    const int h = (p.x() - kLeft) / (m_cell + kGap), l = (p.y() - kTop) / (m_cell + kGap);
    if (h >= headCount() || l >= layerCount()) return false;
    const QRect r = cellRect(l, h);
    if (!r.contains(p)) return false;
    *layer = l;
    *head = h;
    *query = std::min(T - 1, int(double(p.y() - r.top()) * T / m_cell));
    *key = std::min(T - 1, int(double(p.x() - r.left()) * T / m_cell));
    return true;
}

QPoint AttentionGrid::pointOf(int layer, int head, int query, int key) const {
    const QRect r = cellRect(layer, head);
    const double T = std::max(1, tokenCount());
    return QPoint(r.left() + int((key + 0.5) * m_cell / T), r.top() + int((query + 0.5) * m_cell / T));
}

const AttentionGrid::Pool* AttentionGrid::poolIf(int layer, int head) const {
    if (layer < 0 || head < 0 || layer >= layerCount() || head >= headCount()) return nullptr;
    const size_t i = size_t(layer * headCount() + head);
    return i < m_pools.size() ? &m_pools[i] : nullptr;
}

int AttentionGrid::tokensPerPixel(int layer, int head) const {
    const Pool* p = poolIf(layer, head);
    return p ? p->s : 0;
}

float AttentionGrid::pooled(int layer, int head, int bq, int bk) const {
    const Pool* p = poolIf(layer, head);
    if (!p || p->s == 0 || bq < 0 || bk < 0 || bq >= m_cell || bk >= m_cell) return kNan;
    return p->max[size_t(bq) * size_t(m_cell) + size_t(bk)];
}

QImage AttentionGrid::image(int layer, int head) const {
    const Pool* p = poolIf(layer, head);
    return p ? p->image : QImage();
}

int AttentionGrid::renderedCount() const {
    return int(std::count_if(m_pools.begin(), m_pools.end(), [](const Pool& p) { return p.s > 0; }));
}

bool AttentionGrid::rendered(int layer, int head) const { return tokensPerPixel(layer, head) > 0; }

int AttentionGrid::pooledRows(int layer, int head) const {
    const Pool* p = poolIf(layer, head);
    return p ? p->pooledTotal : 0;
}

int AttentionGrid::tokensPerPixelFor(int tokens, int cell) {
    int s = 1;
    while ((tokens + s - 1) / s > std::max(1, cell)) s *= 2;
    return s;
}

void AttentionGrid::bringUpToDate(int layer, int head) {
    const int T = tokenCount(), B = m_cell;
    if (T == 0) return;
    Pool& p = pool(layer, head);
    const int s = tokensPerPixelFor(T, B);
    auto recolour = [&p, B](int bq, int bins) {
        auto* line = reinterpret_cast<QRgb*>(p.image.scanLine(bq));
        const float* m = p.max.data() + size_t(bq) * size_t(B);
        for (int bk = 0; bk < bins; ++bk) line[bk] = colourOf(m[bk]);
    };
    if (p.s == 0 || s < p.s) {   // first use, or the context shrank below this resolution: start again
        p.s = s;
        p.rows = 0;
        p.max.assign(size_t(B) * size_t(B), kNan);
        p.image = QImage(B, B, QImage::Format_ARGB32);
        p.image.fill(Qt::transparent);
    } else if (s > p.s) {        // the context outgrew the image: merge f × f pixels (max of maxes)
        const int f = s / p.s;
        std::vector<float> merged(size_t(B) * size_t(B), kNan);
        for (int bq = 0; bq < B; ++bq)
            for (int bk = 0; bk <= bq; ++bk) {
                const float v = p.max[size_t(bq) * size_t(B) + size_t(bk)];
                float& d = merged[size_t(bq / f) * size_t(B) + size_t(bk / f)];
                if (!std::isnan(v) && !(d >= v)) d = v;
            }
        p.max.swap(merged);
        p.s = s;
        for (int bq = 0; bq < B; ++bq) recolour(bq, B);
    }
    // Pool the new query rows: row q lands in pixel row q / s; its keys 0..q in pixels 0..q / s.
    for (int q = p.rows; q < T; ++q) {
        const ar::Mat& m = (*m_rows)[size_t(q)][size_t(layer)];
        const float* w = m.data() + ptrdiff_t(head) * m.cols();   // row `head` (row-major), q + 1 weights
        const int bq = q / s;
        float* dst = p.max.data() + size_t(bq) * size_t(B);
        for (int k0 = 0, bk = 0; k0 <= q; k0 += s, ++bk) {
            const float v = *std::max_element(w + k0, w + std::min(k0 + s, q + 1));
            if (!(dst[bk] >= v)) dst[bk] = v;
        }
        ++p.pooledTotal;
        if (q + 1 == T || (q + 1) % s == 0) recolour(bq, q / s + 1);
    }
    p.rows = T;
}

void AttentionGrid::paintEvent(QPaintEvent* e) {
    QPainter painter(this);
    // Only what is on screen: the exposed part of the visible region (the scroll area clips the rest).
    const QRect area = e->rect() & visibleRegion().boundingRect();
    painter.fillRect(area, palette().base());
    const int T = tokenCount();
    if (T == 0) return;
    painter.setFont(scaledFont(font(), 0.85));
    painter.setPen(palette().text().color());
    for (int h = 0; h < headCount(); ++h) {
        const QRect r = cellRect(0, h);
        painter.drawText(QRect(r.left(), 0, m_cell, kTop), Qt::AlignCenter, QStringLiteral("H%1").arg(h + 1));
    }
    const QBrush masked(QColor(150, 150, 150), Qt::BDiagPattern);
    for (int l = 0; l < layerCount(); ++l) {
        const QRect first = cellRect(l, 0);
        if (!area.intersects(QRect(0, first.top(), width(), m_cell))) continue;
        painter.setPen(palette().text().color());
        painter.drawText(QRect(0, first.top(), kLeft - 4, m_cell), Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("L%1").arg(l + 1));
        for (int h = 0; h < headCount(); ++h) {
            const QRect r = cellRect(l, h);
            if (!area.intersects(r)) continue;
            bringUpToDate(l, h);
            const Pool& p = pool(l, h);
            painter.fillRect(r, Qt::white);
            painter.fillRect(r, masked);
            // The pooled pixels cover T / s tokens per side; nearest neighbour, never smoothed.
            const double side = double(T) / p.s;
            painter.drawImage(QRectF(r), p.image, QRectF(0, 0, side, side));
            painter.setPen(QColor(180, 180, 180));
            painter.drawRect(r.adjusted(0, 0, -1, -1));
        }
    }
}

void AttentionGrid::mouseMoveEvent(QMouseEvent* e) {
    int l, h, q, k;
    if (cellAt(e->position().toPoint(), &l, &h, &q, &k)) emit hovered(l, h, q, k);
    else emit hovered(-1, -1, -1, -1);
}

void AttentionGrid::mousePressEvent(QMouseEvent* e) {
    int l, h, q, k;
    if (e->button() == Qt::LeftButton && cellAt(e->position().toPoint(), &l, &h, &q, &k)) emit clicked(l, h);
}

void AttentionGrid::leaveEvent(QEvent* e) {
    emit hovered(-1, -1, -1, -1);
    QWidget::leaveEvent(e);
}

}  // namespace arlab
