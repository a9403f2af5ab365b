#include "widgets/limitsplot.h"

#include "widgets/fonts.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace arlab::limitsplot {

QColor curveColor(int index) {
    static const QColor colors[] = {QColor(192, 57, 43), QColor(30, 111, 217), QColor(39, 174, 96), QColor(142, 68, 173),
                                    QColor(230, 126, 34), QColor(80, 80, 80)};
    return colors[size_t(index) % std::size(colors)];
}

Qt::PenStyle curveStyle(int index) {
    static const Qt::PenStyle styles[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine};
    return styles[size_t(index) % std::size(styles)];
}

QCPScatterStyle::ScatterShape curveMarker(int index) {
    static const QCPScatterStyle::ScatterShape shapes[] = {QCPScatterStyle::ssCircle, QCPScatterStyle::ssSquare,
                                                           QCPScatterStyle::ssTriangle, QCPScatterStyle::ssDiamond,
                                                           QCPScatterStyle::ssCross, QCPScatterStyle::ssPlus};
    return shapes[size_t(index) % std::size(shapes)];
}

double markerSize(int index, int count) {
    return count <= 1 ? 7.0 : 5.0 + 7.0 * double(count - 1 - std::min(index, count - 1)) / double(count - 1);
}

LogTicker::LogTicker(double decades) {
    if (!std::isfinite(decades) || decades < 0) decades = 1;
    if (decades <= 1.3) m_mantissas = {1, 2, 3, 5, 7};
    else if (decades <= 2.6) m_mantissas = {1, 2, 5};
    else m_mantissas = {1};
    m_decadeStep = decades <= 6 ? 1 : int(std::ceil(decades / 5));
}

QVector<double> LogTicker::ticksIn(const QCPRange& range) const {
    QVector<double> ticks;
    if (!(range.lower > 0) || !(range.upper > range.lower)) return ticks;
    const int e0 = int(std::floor(std::log10(range.lower))) - m_decadeStep, e1 = int(std::ceil(std::log10(range.upper))) + 1;
    for (int e = e0; e <= e1; ++e) {
        if (((e % m_decadeStep) + m_decadeStep) % m_decadeStep) continue;
        for (double m : m_mantissas) {
            const double t = m * std::pow(10.0, e);
            if (t >= range.lower * (1 - 1e-9) && t <= range.upper * (1 + 1e-9)) ticks << t;
        }
    }
    return ticks;
}

double LogTicker::floorTick(double v) const {
    const QVector<double> t = ticksIn(QCPRange(v / std::pow(10.0, m_decadeStep + 1), v));
    return t.isEmpty() ? v : t.last();
}

double LogTicker::ceilTick(double v) const {
    const QVector<double> t = ticksIn(QCPRange(v, v * std::pow(10.0, m_decadeStep + 1)));
    return t.isEmpty() ? v : t.first();
}

QVector<double> LogTicker::createTickVector(double, const QCPRange& range) { return ticksIn(range); }
QVector<double> LogTicker::createSubTickVector(int, const QVector<double>&) { return {}; }

QString LogTicker::getTickLabel(double tick, const QLocale& locale, QChar, int) {
    // 'e' with as many decimals as the mantissa needs (1.5e-05); the axis' "eb" format draws it as 1.5·10⁻⁵
    // and 1e-05 as 10⁻⁵.
    const double mantissa = tick / std::pow(10.0, std::floor(std::log10(tick) + 1e-9));
    return locale.toString(tick, 'e', std::abs(mantissa - std::round(mantissa)) < 1e-6 ? 0 : 1);
}

QVector<double> RowTicker::createTickVector(double tickStep, const QCPRange& range) {
    const QVector<double> all = QCPAxisTickerText::createTickVector(tickStep, range);
    if (m_every <= 1 || all.size() <= 2) return all;
    // rows 0, n, 2n, ... and the last one, never two closer than n rows
    QVector<double> shown;
    const double first = all.first(), last = all.last();
    for (double t : all)
        if (t == last || (std::fmod(t - first, m_every) == 0 && last - t >= m_every)) shown << t;
    return shown;
}

QString wrapAtSpaces(const QString& text, const QFontMetricsF& fm, double width) {
    QStringList lines;
    for (const QString& given : text.split(QLatin1Char('\n'))) {   // broken at spaces and after hyphens only
        QString line;
        for (const QString& word : given.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            const QStringList parts = QString(word).replace(QLatin1Char('-'), QStringLiteral("-\x01")).split(QChar(1), Qt::SkipEmptyParts);
            for (int i = 0; i < parts.size(); ++i) {
                const QString joined = line.isEmpty() ? parts[i] : line + (i == 0 ? QStringLiteral(" ") : QString()) + parts[i];
                if (!line.isEmpty() && fm.horizontalAdvance(joined) > width) {
                    lines << line;
                    line = parts[i];
                } else {
                    line = joined;
                }
            }
        }
        lines << line;
    }
    return lines.join(QLatin1Char('\n'));
}

QString RowTicker::getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision) {
    const QString name = QCPAxisTickerText::getTickLabel(tick, locale, formatChar, precision);
    return m_wrapWidth <= 0 ? name : wrapAtSpaces(name, QFontMetricsF(m_font), m_wrapWidth);
}

void fitTickLabels(QCustomPlot* plot) {
    if (plot->property("arlabFitTicks").toBool()) return;
    plot->setProperty("arlabFitTicks", true);
    QObject::connect(plot, &QCustomPlot::afterLayout, plot, [plot] {
        bool changed = false;
        for (QCPAxis* axis : {plot->xAxis, plot->yAxis}) {
            const bool across = axis->orientation() == Qt::Horizontal;
            const double length = across ? axis->axisRect()->width() : axis->axisRect()->height();
            const double span = axis->range().size();
            if (length <= 0 || span <= 0) continue;
            const QFontMetricsF fm(axis->tickLabelFont());
            if (auto rows = axis->ticker().dynamicCast<RowTicker>(); rows && rows->wraps()) {
                const int width = int(length / span - fm.averageCharWidth());   // one row (bar) wide, a gap between
                changed |= width != rows->wrapWidth() || axis->tickLabelFont() != rows->wrapFont();
                rows->setWrapWidth(width, axis->tickLabelFont());
            } else if (rows) {
                double name = fm.height() * 1.25;   // (a power of ten's superscript stands a little higher)
                if (across)
                    for (const QString& text : rows->ticks()) name = std::max(name, fm.horizontalAdvance(text) + fm.averageCharWidth());
                const int every = std::max(1, int(std::ceil(name / (length / span))));   // rows are one unit apart
                changed |= every != rows->every();
                rows->setEvery(every);
            } else if (!axis->ticker().dynamicCast<QCPAxisTickerText>() && axis->scaleType() == QCPAxis::stLinear) {
                double label = 2 * fm.height();
                if (across)
                    for (double v : {axis->range().lower, axis->range().upper})
                        label = std::max(label, 2 * fm.horizontalAdvance(QString::number(v, 'g', 3) + QLatin1Char('0')));
                const int count = std::clamp(int(length / label), 2, 5);
                changed |= count != axis->ticker()->tickCount();
                axis->ticker()->setTickCount(count);
            }
        }
        if (changed) plot->replot(QCustomPlot::rpQueuedReplot);
    });
}

namespace {

// How much of what `plot` shows lies under `box` (pixels): each graph's markers and line segments in it, and the
// legend when it overlaps (counted as much as a whole curve).
int coveredBy(QCustomPlot* plot, const QRectF& box) {
    int hits = 0;
    for (int g = 0; g < plot->graphCount(); ++g) {
        const QCPGraph* graph = plot->graph(g);
        if (!graph->visible()) continue;
        const double r = graph->scatterStyle().isNone() ? 1 : graph->scatterStyle().size() / 2 + 1;
        const QRectF near = box.adjusted(-r, -r, r, r);
        QPointF previous;
        bool first = true;
        for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) {
            const QPointF p(graph->keyAxis()->coordToPixel(it->key), graph->valueAxis()->coordToPixel(it->value));
            if (!std::isfinite(p.x()) || !std::isfinite(p.y())) {
                first = true;
                continue;
            }
            hits += near.contains(p);
            if (!first && graph->lineStyle() != QCPGraph::lsNone) {   // the segment crosses the box (or lies in it)
                const QLineF line(previous, p);
                const QLineF edges[] = {{box.topLeft(), box.topRight()}, {box.topRight(), box.bottomRight()},
                                        {box.bottomRight(), box.bottomLeft()}, {box.bottomLeft(), box.topLeft()}};
                bool crosses = box.contains(p) || box.contains(previous);
                for (const QLineF& e : edges) crosses |= line.intersects(e, nullptr) == QLineF::BoundedIntersection;
                hits += crosses;
            }
            previous = p;
            first = false;
        }
    }
    if (plot->legend->visible() && plot->legend->outerRect().intersects(box.toAlignedRect())) hits += 100;
    return hits;
}

// Puts each wall label where it covers no data: at its height and side as asked (addWall) when that is free,
// else at the free height nearest to it on that side, else on the other side, else on two lines or more (a
// narrow plot); where nothing is free, where it covers the least. Runs after the layout, before the items are drawn (their pixel positions are known).
void placeWallLabels(QCustomPlot* plot) {
    const QRectF frame = plot->axisRect()->rect();
    for (int i = 0; i < plot->itemCount(); ++i) {
        auto* label = qobject_cast<QCPItemText*>(plot->item(i));
        if (!label || label->objectName() != QLatin1String("wall")) continue;
        const bool left = label->property("arlabLeft").toBool();
        const double ratio = label->property("arlabRatio").toDouble();
        const double wall = plot->xAxis->coordToPixel(label->position->coords().x());
        const QFontMetricsF fm(label->font());
        const double clear = fm.averageCharWidth() / 2;   // kept free around the text, not only under it
        QList<double> heights{ratio};   // the one asked for, then the others from the nearest
        for (int k = 1; k <= 24; ++k)
            for (double h : {ratio - k / 25.0, ratio + k / 25.0})
                if (h >= 0 && h <= 1) heights << h;
        // the text on one line; where that fits beside the wall nowhere (a narrow plot), broken after its first
        // word, then at every space
        const QString given = label->property("arlabText").toString();
        const QChar space(QLatin1Char(' '));
        QStringList texts{given};
        if (given.contains(space))
            texts << given.section(space, 0, 0) + QLatin1Char('\n') + given.section(space, 1) << QString(given).replace(space, QLatin1Char('\n'));
        int best = -1;
        std::tuple<bool, double, QString> chosen{left, ratio, given};
        for (const QString& t : texts) {
            const QSizeF text = fm.size(0, t) + QSizeF(6, 0);
            for (bool side : {left, !left})
                for (double h : heights) {
                    const QRectF box(side ? wall - text.width() : wall, frame.top() + h * frame.height(), text.width(), text.height());
                    if (best == 0 || box.left() < frame.left() || box.right() > frame.right() || box.bottom() > frame.bottom()) continue;
                    const int hits = coveredBy(plot, box.adjusted(-clear, -clear, clear, clear));
                    if (best < 0 || hits < best) best = hits, chosen = {side, h, t};
                }
        }
        label->setText(std::get<2>(chosen));
        const bool onLeft = std::get<0>(chosen);
        label->position->setCoords(label->position->coords().x(), std::get<1>(chosen));
        label->setPositionAlignment((onLeft ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop);
        label->setPadding(onLeft ? QMargins(0, 0, 6, 0) : QMargins(6, 0, 0, 0));   // clear of the line's 3 px
    }
}

}  // namespace

void addWall(QCustomPlot* plot, double x, const QString& text, bool labelLeft, double yRatio) {
    for (int i = plot->itemCount() - 1; i >= 0; --i)
        if (plot->item(i)->objectName() == QLatin1String("wall")) plot->removeItem(i);
    const QColor red(192, 57, 43);
    auto* wall = new QCPItemStraightLine(plot);
    wall->setObjectName(QStringLiteral("wall"));
    wall->point1->setCoords(x, 0);
    wall->point2->setCoords(x, 1);
    wall->setPen(QPen(red, 3));
    auto* label = new QCPItemText(plot);
    label->setObjectName(QStringLiteral("wall"));
    label->setProperty("arlabLeft", labelLeft);
    label->setProperty("arlabRatio", yRatio);
    label->setProperty("arlabText", text);
    label->position->setTypeX(QCPItemPosition::ptPlotCoords);
    label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    label->position->setCoords(x, yRatio);
    label->setPositionAlignment((labelLeft ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop);
    label->setPadding(labelLeft ? QMargins(0, 0, 6, 0) : QMargins(6, 0, 0, 0));   // clear of the line's 3 px
    label->setColor(red);
    label->setText(text);
    if (!plot->property("arlabWallLabels").toBool()) {
        plot->setProperty("arlabWallLabels", true);
        QObject::connect(plot, &QCustomPlot::afterLayout, plot, [plot] { placeWallLabels(plot); });
    }
}

void legendBelow(QCustomPlot* plot) {
    QCPLegend* legend = plot->legend;
    plot->axisRect()->insetLayout()->take(legend);
    plot->axisRect()->insetLayout()->simplify();
    QCPLayoutGrid* grid = plot->plotLayout();
    const int row = grid->rowCount();
    grid->addElement(row, 0, legend);
    grid->setRowStretchFactor(row, 0.001);   // only the entries' height; the data area keeps the rest
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setFont(scaledFont(plot->font(), 0.8, 7));   // the data area keeps more height
    legend->setRowSpacing(0);
    QObject::connect(plot, &QCustomPlot::afterLayout, plot, [plot] {
        // as many columns as the plot's width holds (the entries fill the rows in order), at least one; a name
        // wider than the plot broken into lines
        QCPLegend* legend = plot->legend;
        QList<QCPAbstractLegendItem*> items;   // in order (the grid's cells past the last entry are empty)
        for (int i = 0; i < legend->elementCount(); ++i)
            if (auto* item = qobject_cast<QCPAbstractLegendItem*>(legend->elementAt(i))) items << item;
        const int n = int(items.size());
        const int room = plot->viewport().width() - legend->margins().left() - legend->margins().right();
        bool renamed = false;
        for (int i = 0; i < n; ++i) {
            auto* entry = qobject_cast<QCPPlottableLegendItem*>(items[i]);
            if (!entry) continue;
            QCPAbstractPlottable* p = entry->plottable();
            if (p->name() != p->property("arlabWrapped").toString()) p->setProperty("arlabName", p->name());
            const int text = room - entry->margins().left() - entry->margins().right() - legend->iconSize().width() - legend->iconTextPadding();
            const QString wrapped = wrapAtSpaces(p->property("arlabName").toString(), QFontMetricsF(entry->font()), text);
            p->setProperty("arlabWrapped", wrapped);
            renamed |= wrapped != p->name();
            p->setName(wrapped);
        }
        int columns = 1;
        for (int c = n; c > 1 && columns == 1; --c) {
            int width = (c - 1) * legend->columnSpacing();
            for (int col = 0; col < c; ++col) {
                int widest = 0;
                for (int i = col; i < n; i += c) widest = std::max(widest, items[i]->minimumOuterSizeHint().width());
                width += widest;
            }
            if (width <= room) columns = c;
        }
        if (n == 0 || (legend->wrap() == columns && !renamed)) return;
        legend->setWrap(columns);
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
        plot->replot(QCustomPlot::rpQueuedReplot);
    });
}

QCustomPlot* makePlot(const QString& title, const QString& xLabel, const QString& yLabel, const QString& tooltip) {
    auto* plot = new QCustomPlot;
    plot->setMinimumSize(190, 110);   // small enough for all five Limits views in 1280x800
    plot->setToolTip(tooltip);
    plot->plotLayout()->insertRow(0);
    auto* t = new QCPTextElement(plot, title, QFont(plot->font().family(), plot->font().pointSize(), QFont::Bold));
    plot->plotLayout()->addElement(0, 0, t);
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    plot->legend->setVisible(true);
    plot->legend->setFont(scaledFont(plot->font(), 0.9, 7));
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    // Axis labels broken at their spaces into lines no longer than their axis (presentation mode's larger fonts,
    // a narrow plot), after each layout; a label set later (setLabel) is taken as given.
    QObject::connect(plot, &QCustomPlot::afterLayout, plot, [plot] {
        bool changed = false;
        for (QCPAxis* axis : {plot->xAxis, plot->yAxis}) {
            const double length = axis->orientation() == Qt::Horizontal ? axis->axisRect()->width() : axis->axisRect()->height();
            if (length <= 0) continue;
            if (axis->label() != axis->property("arlabWrapped").toString()) axis->setProperty("arlabLabel", axis->label());
            const QString wrapped = wrapAtSpaces(axis->property("arlabLabel").toString(), QFontMetricsF(axis->labelFont()), length);
            axis->setProperty("arlabWrapped", wrapped);
            if (wrapped == axis->label()) continue;
            axis->setLabel(wrapped);
            changed = true;
        }
        if (changed) plot->replot(QCustomPlot::rpQueuedReplot);
    });
    return plot;
}

void setCurves(QCustomPlot* plot, const QVector<Curve>& curves, bool logY) {
    plot->clearGraphs();
    if (logY) {
        plot->yAxis->setScaleType(QCPAxis::stLogarithmic);
        plot->yAxis->setTicker(QSharedPointer<LogTicker>::create(1.0));
        plot->yAxis->setNumberFormat("eb");
        plot->yAxis->setNumberPrecision(0);
    }
    double lo = 0, hi = 0;
    for (int i = 0; i < curves.size(); ++i) {
        QCPGraph* g = plot->addGraph();
        g->setName(curves[i].name);
        g->setPen(QPen(curveColor(i), 2, curveStyle(i)));
        g->setScatterStyle(QCPScatterStyle(curveMarker(i), QPen(curveColor(i), 1.5), QBrush(Qt::NoBrush), markerSize(i, int(curves.size()))));
        g->setData(curves[i].x, curves[i].y);
        for (double y : curves[i].y)
            if (y > 0 && std::isfinite(y)) {
                lo = lo > 0 ? std::min(lo, y) : y;
                hi = std::max(hi, y);
            }
    }
    plot->rescaleAxes();
    const QCPRange x = plot->xAxis->range();   // the first and last markers whole inside the frame
    plot->xAxis->setRange(x.lower - 0.02 * x.size(), x.upper + 0.02 * x.size());
    QCPRange r = plot->yAxis->range();
    if (!logY) {
        plot->yAxis->setRange(std::min(0.0, r.lower), r.upper + 0.05 * std::max(1e-9, r.size()));
    } else if (lo > 0) {   // from the labelled tick below the lowest point to the one above the highest
        auto ticker = QSharedPointer<LogTicker>::create(std::log10(hi / lo));
        plot->yAxis->setTicker(ticker);
        plot->yAxis->setRange(ticker->floorTick(lo / 1.1), ticker->ceilTick(hi * 1.1));
    }
    plot->replot();
}

QCPColorMap* setHeatmap(QCustomPlot* plot, QCPColorMap* map, const ar::Mat& m, bool signedRange, const QString& scaleLabel) {
    if (!map) {
        map = new QCPColorMap(plot->xAxis, plot->yAxis);
        auto* scale = new QCPColorScale(plot);   // the colour bar on the right, its range the map's
        scale->setType(QCPAxis::atRight);
        scale->setLabel(scaleLabel);
        scale->setBarWidth(10);
        scale->setRangeDrag(false);
        scale->setRangeZoom(false);
        // Row 0 is the title; the map and its colour bar share row 1 in a grid of their own, so the title spans
        // both (a second column of the plot's grid would narrow the title's cell to the map's width).
        QCPAxisRect* rect = plot->axisRect();
        auto* row = new QCPLayoutGrid;
        plot->plotLayout()->take(rect);
        plot->plotLayout()->addElement(1, 0, row);
        row->addElement(0, 0, rect);
        row->addElement(0, 1, scale);
        auto* margins = new QCPMarginGroup(plot);
        plot->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
        scale->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
        map->setColorScale(scale);
        map->setGradient(QCPColorGradient(signedRange ? QCPColorGradient::gpPolar : QCPColorGradient::gpThermal));
        map->setInterpolate(false);
        plot->legend->setVisible(false);
        plot->yAxis->setRangeReversed(true);
        fitTickLabels(plot);
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
