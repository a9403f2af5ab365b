#include "widgets/attentionview.h"

#include "widgets/attentiongradient.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolTip>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <cmath>
#include <limits>

namespace arlab {

namespace {

QBrush maskedBrush() { return QBrush(QColor(150, 150, 150), Qt::BDiagPattern); }

}  // namespace

AttentionView::AttentionView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Layer"), this));
    m_layerBox = new QComboBox(this);
    m_layerBox->setToolTip(tr("Which Transformer block (layer) to show"));
    row->addWidget(m_layerBox);
    row->addWidget(new QLabel(tr("Head"), this));
    m_headBox = new QComboBox(this);
    m_headBox->setToolTip(tr("Which attention head of that layer to show"));
    row->addWidget(m_headBox);
    m_allBox = new QCheckBox(tr("All heads"), this);
    m_allBox->setToolTip(tr("Show every layer (rows) and head (columns) at once; click one to open it"));
    row->addWidget(m_allBox);
    row->addStretch(1);
    layout->addLayout(row);
    connect(m_layerBox, &QComboBox::activated, this, [this](int l) { setSelection(l, m_head); });
    connect(m_headBox, &QComboBox::activated, this, [this](int h) { setSelection(m_layer, h); });
    connect(m_allBox, &QCheckBox::toggled, this, &AttentionView::setAllHeads);

    m_plot = new QCustomPlot(this);
    m_plot->setMinimumHeight(240);
    m_plot->setToolTip(QString());
    m_plot->setMouseTracking(true);
    connect(m_plot, &QCustomPlot::mouseMove, this, &AttentionView::onMouseMove);
    connect(m_plot, &QCustomPlot::mousePress, this, &AttentionView::onMousePress);
    layout->addWidget(m_plot, 1);

    m_hover = new QLabel(this);
    m_hover->setToolTip(tr("Each row is a query (the token looking back); it spreads weight 1 over the keys up to "
                           "itself. Hatched cells are the future: the causal mask hides them"));
    layout->addWidget(m_hover);
    clear(tr("No attention (this model has none, or nothing is loaded)."));
}

void AttentionView::clear(const QString& message) {
    m_maps.clear();
    m_tokens.clear();
    m_layerBox->clear();
    m_headBox->clear();
    m_hover->setText(message);
    rebuild();
}

void AttentionView::setAttention(const std::vector<std::vector<ar::Mat>>& maps, const QStringList& tokens) {
    const int oldL = layerCount(), oldH = headCount();
    m_maps = maps;
    m_tokens = tokens;
    if (layerCount() != oldL || headCount() != oldH) {
        m_layerBox->clear();
        m_headBox->clear();
        for (int l = 0; l < layerCount(); ++l) m_layerBox->addItem(tr("%1 of %2").arg(l + 1).arg(layerCount()));
        for (int h = 0; h < headCount(); ++h) m_headBox->addItem(tr("%1 of %2").arg(h + 1).arg(headCount()));
        m_layer = std::min(m_layer, std::max(0, layerCount() - 1));
        m_head = std::min(m_head, std::max(0, headCount() - 1));
    }
    m_layerBox->setCurrentIndex(m_layer);
    m_headBox->setCurrentIndex(m_head);
    if (m_maps.empty()) m_hover->setText(tr("No attention: this model has none."));
    else m_hover->setText(tr("Hover a cell: how much a query token attends to a key token."));
    rebuild();
}

void AttentionView::setSelection(int layer, int head) {
    if (layer < 0 || layer >= layerCount() || head < 0 || head >= headCount()) return;
    m_layer = layer;
    m_head = head;
    m_layerBox->setCurrentIndex(layer);
    m_headBox->setCurrentIndex(head);
    rebuild();
    emit selectionChanged(layer, head);
}

void AttentionView::setAllHeads(bool on) {
    m_allHeads = on;
    if (m_allBox->isChecked() != on) m_allBox->setChecked(on);
    m_layerBox->setEnabled(!on);
    m_headBox->setEnabled(!on);
    rebuild();
}

QCPColorMap* AttentionView::addMap(QCPAxisRect* rect, const ar::Mat& m, bool labels) {
    const int T = int(m.rows());
    auto* map = new QCPColorMap(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    map->setInterpolate(false);
    map->setTightBoundary(false);
    map->data()->setSize(T, T);
    map->data()->setRange(QCPRange(0, T - 1), QCPRange(0, T - 1));
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (int q = 0; q < T; ++q)
        for (int k = 0; k < T; ++k) map->data()->setCell(k, q, k <= q ? double(m(q, k)) : nan);
    map->setGradient(attentionGradient());
    map->setDataRange(QCPRange(0, 1));
    rect->setBackground(maskedBrush());
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    x->setRange(-0.5, T - 0.5);
    y->setRange(-0.5, T - 0.5);
    y->setRangeReversed(true);  // query 0 at the top, like a matrix
    for (QCPAxis* a : {x, y}) {
        a->grid()->setVisible(false);
        a->setSubTicks(false);
        a->setTickLength(0, 2);
    }
    if (labels) {
        QSharedPointer<QCPAxisTickerText> tx(new QCPAxisTickerText), ty(new QCPAxisTickerText);
        for (int i = 0; i < T; ++i) {
            const QString t = i < m_tokens.size() ? m_tokens[i] : QString::number(i);
            tx->addTick(i, t);
            ty->addTick(i, t);
        }
        x->setTicker(tx);
        y->setTicker(ty);
        x->setTickLabelRotation(60);
        x->setLabel(tr("key (attended to)"));
        y->setLabel(tr("query (looking back)"));
        QFont f = font();
        if (T > 24) f.setPointSizeF(f.pointSizeF() * 0.85);
        x->setTickLabelFont(f);
        y->setTickLabelFont(f);
    } else {
        x->setTickLabels(false);
        y->setTickLabels(false);
        x->setTicks(false);
        y->setTicks(false);
    }
    return map;
}

void AttentionView::rebuild() {
    m_plot->clearItems();
    m_plot->clearPlottables();
    m_plot->plotLayout()->clear();
    m_single = nullptr;
    m_gridMaps.clear();
    if (m_maps.empty() || m_maps.front().empty()) {
        m_plot->replot();
        return;
    }
    auto* scale = new QCPColorScale(m_plot);
    scale->setType(QCPAxis::atRight);
    scale->setDataRange(QCPRange(0, 1));
    scale->setGradient(attentionGradient());
    scale->setLabel(tr("attention weight"));
    scale->setBarWidth(12);
    scale->setRangeDrag(false);
    scale->setRangeZoom(false);
    if (!m_allHeads) {
        auto* rect = new QCPAxisRect(m_plot);
        m_plot->plotLayout()->addElement(0, 0, rect);
        m_plot->plotLayout()->addElement(0, 1, scale);
        auto* title = new QCPTextElement(m_plot, tr("Layer %1, head %2").arg(m_layer + 1).arg(m_head + 1),
                                         QFont(font().family(), int(font().pointSizeF() + 1), QFont::Bold));
        m_plot->plotLayout()->insertRow(0);
        m_plot->plotLayout()->addElement(0, 0, title);
        m_single = addMap(rect, m_maps[size_t(m_layer)][size_t(m_head)], true);
    } else {
        auto* grid = new QCPLayoutGrid;
        grid->setRowSpacing(6);
        grid->setColumnSpacing(6);
        m_plot->plotLayout()->addElement(0, 0, grid);
        m_plot->plotLayout()->addElement(0, 1, scale);
        QFont small = font();
        small.setPointSizeF(small.pointSizeF() * 0.9);
        for (int l = 0; l < layerCount(); ++l)
            for (int h = 0; h < headCount(); ++h) {
                auto* rect = new QCPAxisRect(m_plot);
                rect->setAutoMargins(QCP::msNone);
                rect->setMargins(QMargins(2, 16, 2, 2));
                grid->addElement(l, h, rect);
                QCPColorMap* map = addMap(rect, m_maps[size_t(l)][size_t(h)], false);
                m_gridMaps.push_back({map, {l, h}});
                auto* label = new QCPItemText(m_plot);
                label->setClipToAxisRect(false);
                label->position->setType(QCPItemPosition::ptAxisRectRatio);
                label->position->setAxisRect(rect);
                label->position->setCoords(0.5, 0);
                label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
                label->setText(tr("L%1 H%2").arg(l + 1).arg(h + 1));
                label->setFont(small);
            }
    }
    m_plot->replot();
}

QString AttentionView::cellText(int query, int key) const { return cellText(m_layer, m_head, query, key); }

QString AttentionView::cellText(int layer, int head, int query, int key) const {
    if (layer < 0 || layer >= layerCount() || head < 0 || head >= headCount()) return {};
    const ar::Mat& m = m_maps[size_t(layer)][size_t(head)];
    if (query < 0 || key < 0 || query >= m.rows() || key >= m.cols()) return {};
    auto tok = [this](int i) { return i < m_tokens.size() ? m_tokens[i] : QString::number(i); };
    if (key > query)
        return tr("query '%1' (position %2) cannot see key '%3' (position %4): it is in the future (masked)")
            .arg(tok(query)).arg(query).arg(tok(key)).arg(key);
    return tr("query '%1' (%2) → key '%3' (%4): %5").arg(tok(query)).arg(query).arg(tok(key)).arg(key).arg(double(m(query, key)), 0, 'f', 3);
}

QString AttentionView::hoverText() const { return m_hover->text(); }

void AttentionView::onMouseMove(QMouseEvent* e) {
    if (m_maps.empty()) return;
    QCPAxisRect* rect = m_plot->axisRectAt(e->position());
    if (!rect) return;
    int layer = m_layer, head = m_head;
    for (const auto& [map, lh] : m_gridMaps)
        if (map->keyAxis()->axisRect() == rect) std::tie(layer, head) = lh;
    const int key = int(std::lround(rect->axis(QCPAxis::atBottom)->pixelToCoord(e->position().x())));
    const int query = int(std::lround(rect->axis(QCPAxis::atLeft)->pixelToCoord(e->position().y())));
    const int T = int(m_maps[size_t(layer)][size_t(head)].rows());
    if (key < 0 || query < 0 || key >= T || query >= T) return;
    QString text = cellText(layer, head, query, key);
    if (m_allHeads) text = tr("L%1 H%2: ").arg(layer + 1).arg(head + 1) + text;
    m_hover->setText(text);
    QToolTip::showText(e->globalPosition().toPoint(), text, m_plot);
}

void AttentionView::onMousePress(QMouseEvent* e) {
    if (!m_allHeads) return;
    QCPAxisRect* rect = m_plot->axisRectAt(e->position());
    for (const auto& [map, lh] : m_gridMaps)
        if (map->keyAxis()->axisRect() == rect) {
            m_layer = lh.first;
            m_head = lh.second;
            setAllHeads(false);
            setSelection(lh.first, lh.second);
            return;
        }
}

}  // namespace arlab
