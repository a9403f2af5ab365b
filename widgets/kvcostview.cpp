#include "widgets/kvcostview.h"

#include <qcustomplot.h>

#include <QLabel>
#include <QVBoxLayout>

namespace arlab {

KvCostView::KvCostView(QWidget* parent) : QWidget(parent) {
    m_bytes = limitsplot::makePlot(tr("KV cache per layer"), tr("tokens fed"), tr("bytes"),
                                   tr("Keys and values kept for every token fed, per layer: they grow by a fixed number of bytes "
                                      "per token until the context is full. Dashed: what the cache allocated."));
    m_flops = limitsplot::makePlot(tr("FLOPs per token"), tr("position"), tr("FLOPs"),
                                   tr("Matrix-product FLOPs of one decoding step. With the cache only the new token is computed; "
                                      "without it the whole prefix is recomputed at every step."));
    m_time = limitsplot::makePlot(tr("Measured step time"), tr("position"), tr("seconds"),
                                  tr("Wall-clock time of each step on this computer, with the cache (step) and without it "
                                     "(a full forward over the prefix), the fastest of three runs."));
    m_variants = limitsplot::makePlot(tr("KV bytes per token"), QString(), tr("bytes"),
                                      tr("The same model shape with one key/value head per query head (multi-head), per group of "
                                         "two query heads (grouped-query) or one for all heads (multi-query)."));
    limitsplot::fitTickLabels(m_variants);
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    // Two columns (one when narrow) that scroll rather than squeezing the plots (all five Limits docks open).
    m_plotGrid = new PlotGrid({m_bytes, m_flops, m_time, m_variants}, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_plotGrid, 1);
    layout->addWidget(m_summary);
}

void KvCostView::setMessage(const QString& text) { m_summary->setText(text); }
QString KvCostView::summary() const { return m_summary->text(); }

void KvCostView::setData(const KvCostData& d) {
    m_data = d;
    // allocated once for the whole context: a flat line from the first token to the wall
    const QVector<double> allocX = d.context > 0 ? QVector<double>{1.0, double(d.context)} : d.position;
    const QVector<double> alloc(allocX.size(), d.kvAllocatedPerLayer);
    limitsplot::setCurves(m_bytes, {{tr("filled"), d.position, d.kvFilledPerLayer}, {tr("allocated"), allocX, alloc}});
    if (m_bytes->graphCount() > 1) m_bytes->graph(1)->setPen(QPen(QColor(80, 80, 80), 1.5, Qt::DashLine));
    limitsplot::setCurves(m_flops, {{tr("with KV cache"), d.position, d.flopsCached}, {tr("without cache"), d.position, d.flopsUncached}}, true);
    limitsplot::setCurves(m_time, {{tr("with KV cache"), d.position, d.secondsCached}, {tr("without cache"), d.position, d.secondsUncached}}, true);
    for (QCustomPlot* p : {m_bytes, m_flops, m_time}) {
        p->clearItems();
        if (d.context > 0) {
            p->xAxis->setRange(0, d.context + 2);
            limitsplot::addWall(p, d.context, tr("context limit %1").arg(d.context), true, 0.45);
        }
        p->replot();
    }
    m_variants->clearPlottables();
    auto* bars = new QCPBars(m_variants->xAxis, m_variants->yAxis);
    bars->setName(tr("KV bytes per token"));
    bars->setBrush(limitsplot::curveColor(1));
    auto ticker = QSharedPointer<limitsplot::RowTicker>::create(true);   // each name wrapped to its bar's width
    double top = 0;
    for (int i = 0; i < d.variants.size(); ++i) {
        bars->addData(i, d.variants[i].second);
        ticker->addTick(i, d.variants[i].first);
        top = std::max(top, d.variants[i].second);
    }
    m_variants->xAxis->setTicker(ticker);
    m_variants->xAxis->setRange(-0.6, d.variants.size() - 0.4);
    m_variants->yAxis->setRange(0, top * 1.15 + 1);
    m_variants->legend->setVisible(false);
    m_variants->replot();
    const int n = d.position.isEmpty() ? 0 : int(d.position.last());
    m_summary->setText(
        tr("%1: %2 tokens fed of %3. KV cache %4 bytes per layer (%5 for all %6 layers); this step %7 FLOPs with the cache, "
           "%8 without.")
            .arg(d.model)
            .arg(n)
            .arg(d.context)
            .arg(d.kvFilledPerLayer.isEmpty() ? 0.0 : d.kvFilledPerLayer.last(), 0, 'f', 0)
            .arg(d.kvFilledPerLayer.isEmpty() ? 0.0 : d.kvFilledPerLayer.last() * d.layers, 0, 'f', 0)
            .arg(d.layers)
            .arg(d.flopsCached.isEmpty() ? 0.0 : d.flopsCached.last(), 0, 'g', 4)
            .arg(d.flopsUncached.isEmpty() ? 0.0 : d.flopsUncached.last(), 0, 'g', 4));
}

ExportTable KvCostView::exportTable() const {
    ExportTable t = limitsplot::exportTable();
    const auto curve = [&](const QString& name, const QVector<double>& y) { return limitsplot::Curve{name, m_data.position, y}; };
    limitsplot::addCurves(t, QStringLiteral("kv bytes per layer"), {curve(QStringLiteral("filled"), m_data.kvFilledPerLayer)});
    limitsplot::addCurves(t, QStringLiteral("flops per token"),
                          {curve(QStringLiteral("with cache"), m_data.flopsCached), curve(QStringLiteral("without cache"), m_data.flopsUncached)});
    limitsplot::addCurves(t, QStringLiteral("seconds per step"),
                          {curve(QStringLiteral("with cache"), m_data.secondsCached), curve(QStringLiteral("without cache"), m_data.secondsUncached)});
    if (!t.isEmpty()) {
        t.addRow({QStringLiteral("kv bytes allocated per layer"), m_data.model, QString(), ExportTable::number(m_data.kvAllocatedPerLayer)});
        t.addRow({QStringLiteral("context limit"), m_data.model, QString(), QString::number(m_data.context)});
    }
    for (const auto& [name, bytes] : m_data.variants)
        t.addRow({QStringLiteral("kv bytes per token"), name, QString(), ExportTable::number(bytes)});
    if (t.isEmpty()) t.emptyReason = summary();
    return t;
}

}  // namespace arlab
