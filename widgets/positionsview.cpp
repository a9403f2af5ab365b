#include "widgets/positionsview.h"

#include <qcustomplot.h>

#include <QGridLayout>
#include <QLabel>

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
    m_nll = limitsplot::makePlot(tr("NLL by position on long text"), tr("position"), tr("nats per token"),
                                 tr("Mean loss of the token at each position, for three toy models that differ only in their "
                                    "positions. At the context limit (red) the learned-position model stops; the sinusoidal and "
                                    "RoPE models go on with a sliding window of the last T tokens."));
    m_nll->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);  // clear of the wall's label
    m_note = new QLabel;
    m_note->setWordWrap(true);
    auto* grid = new QGridLayout(this);
    grid->addWidget(m_sinusoid, 0, 0);
    grid->addWidget(m_sinSim, 0, 1);
    grid->addWidget(m_learnedSim, 0, 2);
    grid->addWidget(m_rope, 1, 0);
    grid->addWidget(m_nll, 1, 1, 1, 2);
    grid->addWidget(m_note, 2, 0, 1, 3);
    grid->setRowStretch(0, 1);
    grid->setRowStretch(1, 1);
}

void PositionsView::setSinusoid(const ar::Mat& m) { m_sinusoidMat = m; m_maps[0] = limitsplot::setHeatmap(m_sinusoid, m_maps[0], m, true); }
void PositionsView::setSinusoidSimilarity(const ar::Mat& m) { m_sinSimMat = m; m_maps[1] = limitsplot::setHeatmap(m_sinSim, m_maps[1], m, true); }

void PositionsView::setLearnedSimilarity(const QString& model, const ar::Mat& m) {
    m_learnedSimMat = m;
    m_maps[2] = limitsplot::setHeatmap(m_learnedSim, m_maps[2], m, true);
    if (auto* title = qobject_cast<QCPTextElement*>(m_learnedSim->plotLayout()->element(0, 0)))
        title->setText(tr("Learned wpe · wpe (%1)").arg(model));
    m_learnedSim->replot();
}

void PositionsView::setRope(const limitsplot::Curve& scores) { m_ropeCurve = scores; limitsplot::setCurves(m_rope, {scores}); m_rope->rescaleAxes(); m_rope->replot(); }

void PositionsView::setNll(const QVector<limitsplot::Curve>& curves, int context) {
    m_nllCurves = curves;
    limitsplot::setCurves(m_nll, curves);
    m_nll->clearItems();
    auto* wall = new QCPItemStraightLine(m_nll);
    wall->point1->setCoords(context - 0.5, 0);
    wall->point2->setCoords(context - 0.5, 1);
    wall->setPen(QPen(QColor(192, 57, 43), 3));
    auto* label = new QCPItemText(m_nll);
    label->position->setTypeX(QCPItemPosition::ptPlotCoords);
    label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    label->position->setCoords(context - 0.5, 0.1);
    label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    label->setColor(QColor(192, 57, 43));
    label->setText(tr(" context limit %1").arg(context));
    m_nll->replot();
}

void PositionsView::setNote(const QString& text) { m_note->setText(text); }

ExportTable PositionsView::exportTable() const {
    ExportTable t = limitsplot::exportTable();
    limitsplot::addMatrix(t, QStringLiteral("sinusoidal encoding"), m_sinusoidMat);
    limitsplot::addMatrix(t, QStringLiteral("sinusoid similarity"), m_sinSimMat);
    limitsplot::addMatrix(t, QStringLiteral("learned wpe similarity"), m_learnedSimMat);
    limitsplot::addCurves(t, QStringLiteral("rope score"), {m_ropeCurve});
    limitsplot::addCurves(t, QStringLiteral("nll by position"), m_nllCurves);
    if (t.isEmpty()) t.emptyReason = tr("nothing computed yet");
    return t;
}

}  // namespace arlab
