#pragma once
// Positions and the context limit: the sinusoidal encoding (position x dimension) and the dot-product similarity
// of its positions, a shipped model's learned wpe similarity, RoPE's score of one q/k pair as their distance
// grows, and the NLL of each position on long toy text with the context limit as a wall (past it: a sliding
// window; without one a learned-position model stops). A view: plain setters. The six plots keep a readable minimum
// size in a grid of three columns (two or one when narrow) that scrolls when the dock is smaller.
#include "core/tensor.h"
#include "widgets/limitsplot.h"
#include "widgets/plotgrid.h"

#include <QWidget>

class QCustomPlot;
class QCPColorMap;
class QLabel;

namespace arlab {

class PositionsView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    explicit PositionsView(QWidget* parent = nullptr);
    void setSinusoid(const ar::Mat& encoding);               // (T, C)
    void setSinusoidSimilarity(const ar::Mat& similarity);   // (T, T)
    void setLearnedSimilarity(const QString& model, const ar::Mat& similarity);
    void setRope(const limitsplot::Curve& scores);
    // RoPE as a rotation: feature pair 0 of the key at position m (k) and of the query rotated to m + d for
    // d = 0, 1, ... (q[d]), drawn as arrows from the origin in that pair's plane.
    void setRopePlane(const QVector<QPointF>& q, const QPointF& k);
    void setNll(const QVector<limitsplot::Curve>& curves, int context);
    void setNote(const QString& text);

    QCustomPlot* sinusoidPlot() const { return m_sinusoid; }
    QCustomPlot* nllPlot() const { return m_nll; }
    QCustomPlot* ropePlot() const { return m_rope; }
    QCustomPlot* ropePlanePlot() const { return m_ropePlane; }
    QList<QCustomPlot*> plots() const;         // all six, in reading order
    PlotGrid* plotGrid() const { return m_plotGrid; }
    ExportTable exportTable() const override;  // every panel's numbers

private:
    QCustomPlot* m_sinusoid;
    QCustomPlot* m_sinSim;
    QCustomPlot* m_learnedSim;
    QCustomPlot* m_rope;
    QCustomPlot* m_ropePlane;
    QCustomPlot* m_nll;
    QCPColorMap* m_maps[3] = {nullptr, nullptr, nullptr};
    QLabel* m_note;
    PlotGrid* m_plotGrid;   // the six plots: a readable minimum each, scrolling (widgets/plotgrid.h)
    ar::Mat m_sinusoidMat, m_sinSimMat, m_learnedSimMat;  // (T, C), (T, T), (T, T)
    limitsplot::Curve m_ropeCurve;
    limitsplot::Curve m_ropePlaneCurve;  // x, y of q[0], q[1], ... then k
    QVector<limitsplot::Curve> m_nllCurves;
};

}  // namespace arlab
