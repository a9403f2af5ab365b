#pragma once
// Small helpers shared by the Limits lesson's views: a titled QCustomPlot, a curve, a heatmap of a matrix with
// its colour scale, the context limit as a wall, a log-axis ticker, and the colours of the four models of the
// long-range-memory comparison.
#include "core/tensor.h"
#include "widgets/exportable.h"

#include <QColor>
#include <QString>
#include <QVector>

#include <algorithm>
#include <qcustomplot.h>

namespace arlab::limitsplot {

struct Curve {
    QString name;
    QVector<double> x, y;
};

// A plot with a title row, axis labels (broken into lines where one is longer than its axis) and a legend in
// the top right corner.
QCustomPlot* makePlot(const QString& title, const QString& xLabel, const QString& yLabel, const QString& tooltip);
// Moves the legend out of the data area into a row of its own below it, in a font a point smaller than the other
// legends', its entries in as many columns as the plot's width holds (one under the other when narrow) and a name
// wider than the plot broken into lines (the graph's name), chosen again after each layout.
void legendBelow(QCustomPlot* plot);
// `text` broken at its spaces (and after hyphens) into lines of at most `width` px in `fm` (a word wider stays whole).
QString wrapAtSpaces(const QString& text, const QFontMetricsF& fm, double width);
// Replaces every graph of `plot` with `curves` and rescales the axes. Curve i has colour curveColor(i), line
// style curveStyle(i) and marker curveMarker(i) of size markerSize(i, n), so curves lying on top of each other
// stay distinguishable; the x range has 2 % of room on both sides.
// With logY the y axis is logarithmic with a LogTicker, its range from a labelled tick below the lowest point
// to one above the highest.
void setCurves(QCustomPlot* plot, const QVector<Curve>& curves, bool logY = false);
QColor curveColor(int index);
Qt::PenStyle curveStyle(int index);
QCPScatterStyle::ScatterShape curveMarker(int index);
// The hollow marker of curve `index` of `count`: from 12 px for the first down to 5 px for the last, so the
// markers of curves through the same point nest inside each other instead of hiding each other.
double markerSize(int index, int count);
// A heatmap of m (rows along y from the top, columns along x), colour range symmetric when `signedRange`, with
// a colour scale on the right labelled `scaleLabel` (created with the map; the label is the caller's, translated).
QCPColorMap* setHeatmap(QCustomPlot* plot, QCPColorMap* existing, const ar::Mat& m, bool signedRange,
                        const QString& scaleLabel = QString());
// The context limit as a red vertical line at x, replacing any wall already there, labelled `text` horizontally
// beside the line (never across it): on its left when `labelLeft` (nothing is plotted past the wall), on its
// right otherwise, at `yRatio` of the plot's height from the top, unless the label would cover data there (a
// curve's markers or line, the legend): then at the nearest height where it covers none, on that side or else on
// the other, or on two lines where one is too wide for the plot (placed again at each replot, as the curves, the
// size and the fonts change).
void addWall(QCustomPlot* plot, double x, const QString& text, bool labelLeft, double yRatio = 0.1);

// Ticks of a logarithmic axis whose labels are distinct and readable over the data's whole span: mantissas
// 1, 2, 3, 5, 7 of each decade over up to 1.3 decades, 1, 2, 5 up to 2.6, powers of ten up to 6, every
// second, third... power beyond. Labels carry the one decimal a mantissa like 1.5 needs (never two equal).
class LogTicker : public QCPAxisTicker {
public:
    explicit LogTicker(double decades);   // the data's span, log10(max / min)
    QVector<double> ticksIn(const QCPRange& range) const;
    double floorTick(double v) const;     // the largest tick <= v (v > 0)
    double ceilTick(double v) const;      // the smallest tick >= v

protected:
    QVector<double> createTickVector(double tickStep, const QCPRange& range) override;
    QVector<double> createSubTickVector(int subTickCount, const QVector<double>& ticks) override;
    QString getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision) override;

private:
    QVector<double> m_mantissas;
    int m_decadeStep = 1;
};

// The names of a heatmap's rows (every row named, as in QCPAxisTickerText's ticks()), of which only every n-th is
// drawn: the first row, every n-th after it and the last, n = every(). Or, with `wrap` (bars, each one named),
// every name drawn, broken at its spaces (and after hyphens) into lines of at most wrapWidth() px. fitTickLabels
// sets both from the size on screen.
class RowTicker : public QCPAxisTickerText {
public:
    explicit RowTicker(bool wrap = false) : m_wrap(wrap) {}
    bool wraps() const { return m_wrap; }
    int every() const { return m_every; }
    void setEvery(int n) { m_every = std::max(1, n); }
    int wrapWidth() const { return m_wrapWidth; }
    const QFont& wrapFont() const { return m_font; }
    void setWrapWidth(int px, const QFont& font) { m_wrapWidth = px, m_font = font; }

protected:
    QVector<double> createTickVector(double tickStep, const QCPRange& range) override;
    QString getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision) override;

private:
    bool m_wrap;
    int m_every = 1;
    int m_wrapWidth = 0;   // 0: as given
    QFont m_font;
};

// Tick labels that never overlap, whatever the plot's size and fonts (presentation mode): after each layout a
// RowTicker axis draws as many row names as the rows' height (width) on screen holds one line (name) of its font
// (or wraps its names to the rows' width),
// a numeric axis asks for as many ticks as hold two widths (heights) of its widest label each; when that changes
// the ticks, the plot is replotted once more (queued). setHeatmap calls it for its plot.
void fitTickLabels(QCustomPlot* plot);

// CSV export of these views: one long table (panel, series, x, y). A curve adds one row per point; a matrix
// adds one row per cell (series "row R", x = the column).
ExportTable exportTable();
void addCurves(ExportTable& table, const QString& panel, const QVector<Curve>& curves);
void addMatrix(ExportTable& table, const QString& panel, const ar::Mat& m);

}  // namespace arlab::limitsplot
