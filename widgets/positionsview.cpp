#include "widgets/positionsview.h"

#include <qcustomplot.h>

#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace arlab {

PositionsView::PositionsView(QWidget* parent) : QWidget(parent) {
    m_sinusoid = limitsplot::makePlot(tr("Sinusoidal encoding"), tr("dimension"), tr("position"),
                                      tr("PE(p, 2i) = sin(p / 10000^(2i/C)), PE(p, 2i+1) = cos(...): fast waves on the left, "
                                         "slow ones on the right. Each row is the vector added to the token at that position."));
    m_sinSim = limitsplot::makePlot(tr("Sinusoidal: position · position"), tr("position"), tr("position"),
                                    tr("Dot product of two positions' encodings: largest on the diagonal and falling smoothly "
                                       "with the distance, the same at every place."));
    m_learnedSim = limitsplot::makePlot(tr("Learned wpe · wpe"), tr("position"), tr("position"),
                                        tr("The same for a shipped model's learned position table: what training made of it."));
    m_rope = limitsplot::makePlot(tr("RoPE: score against distance"), tr("distance between query and key"), tr("q · k after rotation"),
                                  tr("One query and key rotated to positions m + d and m: the score depends on d only, and the "
                                     "rotation angles make it wave and decay as the distance grows."));
    m_ropePlane = limitsplot::makePlot(tr("RoPE: q and k in feature pair 0"), tr("feature 0"), tr("feature 1"),
                                       tr("The query's first two features rotated to position m + d for d = 0, 1, 2, ... (one "
                                          "arrow each, the number is d) and the key's at position m (black). The pair turns by "
                                          "one radian per position, so the angle between q and k, and with it their score, "
                                          "depends on the distance d only."));
    m_ropePlane->legend->setVisible(false);
    m_nll = limitsplot::makePlot(tr("NLL by position on long text"), tr("position"), tr("nats per token"),
                                 tr("Mean loss of the token at each position, for three toy models that differ only in their "
                                    "positions. At the context limit (red) the learned-position model stops; the sinusoidal and "
                                    "RoPE models go on with a sliding window of the last T tokens."));
    limitsplot::legendBelow(m_nll);   // its three long names, wider than the data area in presentation mode
    m_note = new QLabel;
    m_note->setWordWrap(true);
    // Six plots that scroll rather than squeezing them below a readable size (all five Limits docks open share the
    // window), three columns when the view is wide enough, else two or one.
    m_plotGrid = new PlotGrid({m_sinusoid, m_sinSim, m_learnedSim, m_rope, m_ropePlane, m_nll}, 3);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plotGrid, 1);
    layout->addWidget(m_note);
}

QList<QCustomPlot*> PositionsView::plots() const { return m_plotGrid->plots(); }

void PositionsView::setSinusoid(const ar::Mat& m) { m_sinusoidMat = m; m_maps[0] = limitsplot::setHeatmap(m_sinusoid, m_maps[0], m, true, tr("value")); }
void PositionsView::setSinusoidSimilarity(const ar::Mat& m) { m_sinSimMat = m; m_maps[1] = limitsplot::setHeatmap(m_sinSim, m_maps[1], m, true, tr("dot product")); }

void PositionsView::setLearnedSimilarity(const QString& model, const ar::Mat& m) {
    m_learnedSimMat = m;
    m_maps[2] = limitsplot::setHeatmap(m_learnedSim, m_maps[2], m, true, tr("dot product"));
    if (auto* title = qobject_cast<QCPTextElement*>(m_learnedSim->plotLayout()->element(0, 0)))
        title->setText(tr("Learned wpe · wpe (%1)").arg(model));
    m_plotGrid->titlesChanged();
    m_learnedSim->replot();
}

void PositionsView::setRope(const limitsplot::Curve& scores) {
    m_ropeCurve = scores;
    limitsplot::setCurves(m_rope, {scores});
    m_rope->legend->setVisible(false);   // one curve, named by the axis
    double lo = 0, hi = 0;
    for (double y : scores.y) lo = std::min(lo, y), hi = std::max(hi, y);
    const double pad = 0.08 * std::max(1e-9, hi - lo);   // every point inside the frame, the markers too
    m_rope->yAxis->setRange(lo - pad, hi + pad);
    m_rope->replot();
}

void PositionsView::setRopePlane(const QVector<QPointF>& q, const QPointF& k) {
    m_ropePlaneCurve = {tr("q rotated to m + d, then k"), {}, {}};
    m_ropePlane->clearItems();
    double r = std::hypot(k.x(), k.y());
    const auto arrow = [&](const QPointF& p, const QColor& colour, const QString& label) {
        auto* a = new QCPItemLine(m_ropePlane);
        a->start->setCoords(0, 0);
        a->end->setCoords(p.x(), p.y());
        a->setHead(QCPLineEnding::esSpikeArrow);
        a->setPen(QPen(colour, 2));
        auto* t = new QCPItemText(m_ropePlane);
        t->position->setCoords(p.x() * 1.12, p.y() * 1.12);
        t->setColor(colour);
        t->setText(label);
        m_ropePlaneCurve.x << p.x();
        m_ropePlaneCurve.y << p.y();
        r = std::max(r, std::hypot(p.x(), p.y()));
    };
    for (int d = 0; d < q.size(); ++d) arrow(q[d], limitsplot::curveColor(d % 5), QString::number(d));
    arrow(k, QColor(40, 40, 40), tr("k"));
    m_ropePlane->xAxis->setRange(-1.3 * r, 1.3 * r);
    m_ropePlane->yAxis->setRange(-1.3 * r, 1.3 * r);
    m_ropePlane->replot();
}

void PositionsView::setNll(const QVector<limitsplot::Curve>& curves, int context) {
    m_nllCurves = curves;
    limitsplot::setCurves(m_nll, curves);
    m_nll->clearItems();
    limitsplot::addWall(m_nll, context - 0.5, tr("context limit %1").arg(context), false);
    m_nll->replot();
}

void PositionsView::setNote(const QString& text) { m_note->setText(text); }

ExportTable PositionsView::exportTable() const {
    ExportTable t = limitsplot::exportTable();
    limitsplot::addMatrix(t, QStringLiteral("sinusoidal encoding"), m_sinusoidMat);
    limitsplot::addMatrix(t, QStringLiteral("sinusoid similarity"), m_sinSimMat);
    limitsplot::addMatrix(t, QStringLiteral("learned wpe similarity"), m_learnedSimMat);
    limitsplot::addCurves(t, QStringLiteral("rope score"), {m_ropeCurve});
    limitsplot::addCurves(t, QStringLiteral("rope plane (feature pair 0)"), {m_ropePlaneCurve});
    limitsplot::addCurves(t, QStringLiteral("nll by position"), m_nllCurves);
    if (t.isEmpty()) t.emptyReason = tr("nothing computed yet");
    return t;
}

}  // namespace arlab
