#pragma once
// The cost of generating, for the model and text of the live session: the KV cache's bytes per layer as tokens
// are fed (filled, and what is allocated), the context limit as a wall, FLOPs per token with and without the
// cache (formula in core/limits/generationcost.h), the measured time of each step with and without the cache,
// and the KV bytes per token of multi-head, grouped-query and multi-query attention for the same shape. The four
// plots keep a readable minimum size in two columns (one when narrow) that scroll when the dock is smaller.
#include "widgets/limitsplot.h"
#include "widgets/plotgrid.h"

#include <QWidget>

class QCustomPlot;
class QLabel;

namespace arlab {

struct KvCostData {
    QString model;                       // "toy-word (tinygpt, 2 layers, C 64)"
    int context = 0;                     // the wall
    int layers = 0;
    QVector<double> position;            // 1..n tokens fed
    QVector<double> kvFilledPerLayer;    // bytes
    double kvAllocatedPerLayer = 0;      // bytes (the cache's buffers)
    QVector<double> flopsCached, flopsUncached;
    QVector<double> secondsCached, secondsUncached;  // measured
    QVector<QPair<QString, double>> variants;         // name -> KV bytes per token
};

class KvCostView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    explicit KvCostView(QWidget* parent = nullptr);
    void setData(const KvCostData& data);
    void setMessage(const QString& text);   // e.g. "no TinyGPT in the session"

    const KvCostData& data() const { return m_data; }
    QCustomPlot* bytesPlot() const { return m_bytes; }
    QCustomPlot* flopsPlot() const { return m_flops; }
    QCustomPlot* timePlot() const { return m_time; }
    PlotGrid* plotGrid() const { return m_plotGrid; }   // the four plots, in reading order
    QString summary() const;
    ExportTable exportTable() const override;  // bytes, FLOPs and seconds by position; KV bytes per variant

private:
    KvCostData m_data;
    QCustomPlot* m_bytes;
    QCustomPlot* m_flops;
    QCustomPlot* m_time;
    QCustomPlot* m_variants;
    QLabel* m_summary;
    PlotGrid* m_plotGrid;   // a readable minimum each, scrolling (widgets/plotgrid.h)
};

}  // namespace arlab
