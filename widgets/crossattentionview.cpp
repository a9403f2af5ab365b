#include "widgets/crossattentionview.h"

#include "widgets/attentiongradient.h"
#include "widgets/fonts.h"

#include <QVBoxLayout>
#include <qcustomplot.h>

namespace arlab {

CrossAttentionView::CrossAttentionView(QWidget* parent) : QWidget(parent) {
    setObjectName("crossAttentionView");
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_plot = new QCustomPlot(this);
    m_plot->setObjectName("crossAttentionPlot");
    m_plot->setMinimumSize(320, 240);
    layout->addWidget(m_plot);
    rebuild();
}

void CrossAttentionView::setData(const QStringList& source, const QStringList& target, const ar::Mat& attention) {
    m_source = source;
    m_target = target;
    m_attention = attention;
    rebuild();
}

void CrossAttentionView::setGold(const std::vector<std::vector<int>>& gold) {
    m_gold = gold;
    rebuild();
}

void CrossAttentionView::setShowGold(bool on) {
    m_showGold = on;
    rebuild();
}

void CrossAttentionView::clear() {
    m_source.clear();
    m_target.clear();
    m_attention.resize(0, 0);
    m_gold.clear();
    rebuild();
}

void CrossAttentionView::rebuild() {
    m_plot->clearItems();
    m_plot->clearPlottables();
    m_plot->plotLayout()->clear();
    m_map = nullptr;
    m_goldOutlines = 0;
    auto* rect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(0, 0, rect);
    auto* scale = newAttentionScale(m_plot, tr("attention weight"));
    m_plot->plotLayout()->addElement(0, 1, scale);
    auto* margins = new QCPMarginGroup(m_plot);
    rect->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    scale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);

    QCPAxis* x = rect->axis(QCPAxis::atTop);   // source words along the top, like a reading line
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    rect->axis(QCPAxis::atBottom)->setVisible(false);
    x->setVisible(true);
    const int S = int(m_source.size());
    const int T = std::max<int>(int(m_attention.rows()), 1);
    x->setRange(-0.5, std::max(S, 1) - 0.5);
    y->setRange(-0.5, T - 0.5);
    y->setRangeReversed(true);
    const QFont f = scaledFont(font(), 1.15);
    for (QCPAxis* a : {x, y}) {
        a->grid()->setVisible(false);
        a->setSubTicks(false);
        a->setTickLength(0, 3);
        a->setTickLabelFont(f);
    }
    QSharedPointer<QCPAxisTickerText> tx(new QCPAxisTickerText), ty(new QCPAxisTickerText);
    for (int s = 0; s < S; ++s) tx->addTick(s, m_source[s]);
    for (int t = 0; t < int(m_attention.rows()); ++t) ty->addTick(t, t < m_target.size() ? m_target[t] : QString());
    x->setTicker(tx);
    y->setTicker(ty);
    x->setLabel(tr("source (Chinese)"));
    y->setLabel(tr("target (English), one row per step"));

    if (S > 0 && m_attention.rows() > 0 && m_attention.cols() == S) {
        m_map = new QCPColorMap(rect->axis(QCPAxis::atBottom), y);
        rect->axis(QCPAxis::atBottom)->setRange(-0.5, S - 0.5);
        m_map->setInterpolate(false);
        m_map->setTightBoundary(false);
        m_map->data()->setSize(S, int(m_attention.rows()));
        m_map->data()->setRange(QCPRange(0, S - 1), QCPRange(0, m_attention.rows() - 1));
        for (int t = 0; t < m_attention.rows(); ++t)
            for (int s = 0; s < S; ++s) m_map->data()->setCell(s, t, double(m_attention(t, s)));
        m_map->setGradient(attentionGradient());
        m_map->setDataRange(QCPRange(0, 1));
        m_map->setColorScale(scale);
        scale->setDataRange(QCPRange(0, 1));
        // the weights as numbers, when the grid is small enough to read them
        if (S * m_attention.rows() <= 200) {
            const QFont small = scaledFont(font(), 0.85);
            for (int t = 0; t < m_attention.rows(); ++t)
                for (int s = 0; s < S; ++s) {
                    auto* label = new QCPItemText(m_plot);
                    label->setClipAxisRect(rect);
                    label->position->setAxes(rect->axis(QCPAxis::atBottom), y);
                    label->position->setCoords(s, t);
                    label->setText(QString::number(double(m_attention(t, s)), 'f', 2));
                    label->setFont(small);
                    label->setColor(m_attention(t, s) > 0.5f ? Qt::white : QColor(60, 60, 60));
                }
        }
        if (m_showGold && !m_gold.empty()) {
            QPen pen(QColor(230, 120, 0), 3);
            for (int t = 0; t < m_attention.rows() && t < int(m_gold.size()); ++t)
                for (int s : m_gold[size_t(t)]) {
                    auto* r = new QCPItemRect(m_plot);
                    r->setClipAxisRect(rect);
                    r->topLeft->setAxes(rect->axis(QCPAxis::atBottom), y);
                    r->bottomRight->setAxes(rect->axis(QCPAxis::atBottom), y);
                    r->topLeft->setCoords(s - 0.46, t - 0.46);
                    r->bottomRight->setCoords(s + 0.46, t + 0.46);
                    r->setPen(pen);
                    r->setBrush(Qt::NoBrush);
                    ++m_goldOutlines;
                }
        }
    }
    m_plot->replot();
}

}  // namespace arlab
