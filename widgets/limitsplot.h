#pragma once
// Small helpers shared by the Limits lesson's views: a titled QCustomPlot, a curve, a heatmap of a matrix, and
// the colours of the four models of the long-range-memory comparison.
#include "core/tensor.h"
#include "widgets/exportable.h"

#include <QColor>
#include <QString>
#include <QVector>

class QCustomPlot;
class QCPColorMap;
class QCPGraph;

namespace arlab::limitsplot {

struct Curve {
    QString name;
    QVector<double> x, y;
};

// A plot with a title row, axis labels and a legend in the top right corner.
QCustomPlot* makePlot(const QString& title, const QString& xLabel, const QString& yLabel, const QString& tooltip);
// Replaces every graph of `plot` with `curves` (colours from curveColor by index) and rescales the axes.
void setCurves(QCustomPlot* plot, const QVector<Curve>& curves, bool logY = false);
QColor curveColor(int index);
// A heatmap of m (rows along y from the top, columns along x), colour range symmetric when `signedRange`.
QCPColorMap* setHeatmap(QCustomPlot* plot, QCPColorMap* existing, const ar::Mat& m, bool signedRange);

// CSV export of these views: one long table (panel, series, x, y). A curve adds one row per point; a matrix
// adds one row per cell (series "row R", x = the column).
ExportTable exportTable();
void addCurves(ExportTable& table, const QString& panel, const QVector<Curve>& curves);
void addMatrix(ExportTable& table, const QString& panel, const ar::Mat& m);

}  // namespace arlab::limitsplot
