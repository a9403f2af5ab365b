#include "widgets/rnninspectorview.h"

#include "widgets/fonts.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace arlab {

RnnInspectorView::RnnInspectorView(QWidget* parent) : QWidget(parent) {
    setObjectName("rnnInspectorView");
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Text:"), this));
    m_edit = new QLineEdit(this);
    m_edit->setObjectName("rnnTextEdit");
    row->addWidget(m_edit, 1);
    row->addWidget(new QLabel(tr("Show:"), this));
    m_box = new QComboBox(this);
    m_box->setObjectName("rnnQuantityBox");
    row->addWidget(m_box);
    layout->addLayout(row);
    m_info = new QLabel(this);
    m_info->setWordWrap(true);
    layout->addWidget(m_info);
    m_plot = new QCustomPlot(this);
    m_plot->setObjectName("rnnHeatmap");
    fitToFont();
    layout->addWidget(m_plot, 1);
    connect(m_edit, &QLineEdit::textEdited, this, &RnnInspectorView::textEdited);
    connect(m_box, &QComboBox::activated, this, &RnnInspectorView::setQuantity);
}

void RnnInspectorView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) fitToFont();
}

// 150 px at a normal font, more with a larger one (presentation mode): squeezed, the unit numbers overlapped and the
// heatmap was a strip; the dock scrolls instead.
void RnnInspectorView::fitToFont() { m_plot->setMinimumHeight(std::max(150, 10 * fontMetrics().height())); }

void RnnInspectorView::setText(const QString& text) {
    if (m_edit->text() != text) m_edit->setText(text);
}

void RnnInspectorView::setModelInfo(const QString& text) { m_info->setText(text); }

void RnnInspectorView::setTrace(const QStringList& chars, const std::vector<Quantity>& q, const std::vector<float>& nextP) {
    m_chars = chars;
    m_quantities = q;
    m_nextP = nextP;
    const QString keep = m_box->currentText();
    m_box->clear();
    for (const auto& x : q) m_box->addItem(x.name);
    const int i = m_box->findText(keep);
    m_current = i >= 0 ? i : 0;
    m_box->setCurrentIndex(m_current);
    rebuild();
}

void RnnInspectorView::setQuantity(int index) {
    if (index < 0 || index >= int(m_quantities.size())) return;
    m_current = index;
    m_box->setCurrentIndex(index);
    rebuild();
}

int RnnInspectorView::heatmapRows() const {
    return m_quantities.empty() ? 0 : int(m_quantities[size_t(m_current)].values.rows());
}
int RnnInspectorView::heatmapCols() const {
    return m_quantities.empty() ? 0 : int(m_quantities[size_t(m_current)].values.cols());
}

void RnnInspectorView::rebuild() {
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_plot->plotLayout()->clear();
    auto* rect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(0, 0, rect);
    if (m_quantities.empty()) {
        m_plot->replot();
        return;
    }
    const Quantity& q = m_quantities[size_t(m_current)];
    const int units = int(q.values.rows()), steps = int(q.values.cols());
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    auto* map = new QCPColorMap(x, y);
    map->setInterpolate(false);
    map->setTightBoundary(false);
    map->data()->setSize(steps, units);
    map->data()->setRange(QCPRange(0, steps - 1), QCPRange(0, units - 1));
    for (int t = 0; t < steps; ++t)
        for (int u = 0; u < units; ++u) map->data()->setCell(t, u, double(q.values(u, t)));
    QCPColorGradient g;
    g.clearColorStops();
    if (q.lo < 0) {  // signed quantity: blue - white - red
        g.setColorStopAt(0.0, QColor(30, 80, 200));
        g.setColorStopAt(0.5, QColor(255, 255, 255));
        g.setColorStopAt(1.0, QColor(200, 40, 30));
    } else {         // a gate in [0, 1]: white (closed) to dark green (open)
        g.setColorStopAt(0.0, QColor(255, 255, 255));
        g.setColorStopAt(1.0, QColor(0, 100, 40));
    }
    map->setGradient(g);
    map->setDataRange(QCPRange(q.lo, q.hi));
    auto* scale = new QCPColorScale(m_plot);
    scale->setType(QCPAxis::atRight);
    scale->setGradient(g);
    scale->setDataRange(QCPRange(q.lo, q.hi));
    scale->setBarWidth(10);
    scale->setLabel(q.name);
    m_plot->plotLayout()->addElement(0, 1, scale);
    x->setRange(-0.5, steps - 0.5);
    y->setRange(-0.5, units - 0.5);
    y->setRangeReversed(true);
    QSharedPointer<QCPAxisTickerText> tx(new QCPAxisTickerText);
    for (int t = 0; t < steps; ++t) {
        QString label = t < m_chars.size() ? m_chars[t] : QString();
        if (size_t(t) < m_nextP.size()) label += QString("\n%1").arg(double(m_nextP[size_t(t)]), 0, 'f', 2);
        tx->addTick(t, label);
    }
    x->setTicker(tx);
    x->setTickLabelFont(scaledFont(m_plot->font(), 0.85));   // a character and its probability per column: compact
    y->ticker()->setTickCount(4);
    x->setSubTicks(false);
    x->grid()->setVisible(false);
    y->grid()->setVisible(false);
    x->setLabel(tr("character read (below it: the probability the model gave it)"));
    y->setLabel(tr("unit"));
    m_plot->replot();
}

}  // namespace arlab
