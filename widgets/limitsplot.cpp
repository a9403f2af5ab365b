#include "widgets/limitsplot.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace arlab::limitsplot {

QColor curveColor(int index) {
    static const QColor colors[] = {QColor(192, 57, 43), QColor(30, 111, 217), QColor(39, 174, 96), QColor(142, 68, 173),
                                    QColor(230, 126, 34), QColor(80, 80, 80)};
    return colors[size_t(index) % std::size(colors)];
}

QCustomPlot* makePlot(const QString& title, const QString& xLabel, const QString& yLabel, const QString& tooltip) {
    auto* plot = new QCustomPlot;
    plot->setMinimumSize(260, 190);
    plot->setToolTip(tooltip);
    plot->plotLayout()->insertRow(0);
    auto* t = new QCPTextElement(plot, title, QFont(plot->font().family(), plot->font().pointSize(), QFont::Bold));
    plot->plotLayout()->addElement(0, 0, t);
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    plot->legend->setVisible(true);
    plot->legend->setFont(QFont(plot->font().family(), std::max(7, plot->font().pointSize() - 1)));
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    return plot;
}

void setCurves(QCustomPlot* plot, const QVector<Curve>& curves, bool logY) {
    plot->clearGraphs();
    if (logY) {
        plot->yAxis->setScaleType(QCPAxis::stLogarithmic);
        plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
        plot->yAxis->setNumberFormat("eb");
        plot->yAxis->setNumberPrecision(0);
    }
    for (int i = 0; i < curves.size(); ++i) {
        QCPGraph* g = plot->addGraph();
        g->setName(curves[i].name);
        g->setPen(QPen(curveColor(i), 2));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
        g->setData(curves[i].x, curves[i].y);
    }
    plot->rescaleAxes();
    QCPRange r = plot->yAxis->range();
    if (!logY) plot->yAxis->setRange(std::min(0.0, r.lower), r.upper + 0.05 * std::max(1e-9, r.size()));
    else if (r.lower > 0) plot->yAxis->setRange(r.lower / 1.6, r.upper * 1.6);  // the extreme points stay inside the frame
    plot->replot();
}

QCPColorMap* setHeatmap(QCustomPlot* plot, QCPColorMap* map, const ar::Mat& m, bool signedRange) {
    if (!map) {
        map = new QCPColorMap(plot->xAxis, plot->yAxis);
        QCPColorGradient g(signedRange ? QCPColorGradient::gpPolar : QCPColorGradient::gpThermal);
        map->setGradient(g);
        map->setInterpolate(false);
        plot->legend->setVisible(false);
        plot->yAxis->setRangeReversed(true);
    }
    const int rows = int(m.rows()), cols = int(m.cols());
    map->data()->setSize(std::max(1, cols), std::max(1, rows));
    map->data()->setRange(QCPRange(0, std::max(0, cols - 1)), QCPRange(0, std::max(0, rows - 1)));
    double lo = 0, hi = 0;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            map->data()->setCell(c, r, m(r, c));
            lo = std::min(lo, double(m(r, c)));
            hi = std::max(hi, double(m(r, c)));
        }
    if (signedRange) {
        const double a = std::max({std::abs(lo), std::abs(hi), 1e-9});
        map->setDataRange(QCPRange(-a, a));
    } else {
        map->setDataRange(QCPRange(lo, std::max(hi, lo + 1e-9)));
    }
    plot->xAxis->setRange(-0.5, cols - 0.5);
    plot->yAxis->setRange(-0.5, rows - 0.5);
    plot->replot();
    return map;
}

ExportTable exportTable() { return ExportTable{{"panel", "series", "x", "y"}, {}, {}}; }

void addCurves(ExportTable& table, const QString& panel, const QVector<Curve>& curves) {
    for (const Curve& c : curves)
        for (int i = 0; i < std::min(c.x.size(), c.y.size()); ++i)
            table.addRow({panel, c.name, ExportTable::number(c.x[i]), ExportTable::number(c.y[i])});
}

void addMatrix(ExportTable& table, const QString& panel, const ar::Mat& m) {
    for (ar::Index r = 0; r < m.rows(); ++r)
        for (ar::Index c = 0; c < m.cols(); ++c)
            table.addRow({panel, QStringLiteral("row %1").arg(r), QString::number(c), ExportTable::number(m(r, c))});
}

}  // namespace arlab::limitsplot
