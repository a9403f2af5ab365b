#pragma once
// Shared helpers of the GUI tests (the tests that link the app library; tst_core_* use testutil.h alone):
//
//   makeWindow(lesson, look, persistLayout)
//                             a MainWindow on `lesson` ("" = the default lesson), by default without touching
//                             the saved layout; Look::Shown (default) resizes it to 1600x1000, shows it and makes
//                             it the active window; Look::Hidden leaves it as constructed.
//   readText(path)            a file as UTF-8 text ("" when it cannot be read).
//   Csv                       a parsed CSV: header, rows, cell(row, column), num(row, column).
//   exportAll(dock, dir)      exports the dock as SVG, PNG at 2x and CSV into `dir`; checks the pictures (valid,
//                             1 SVG unit = 1 widget pixel, exactly twice the size, not blank) and that every CSV
//                             row is as long as the header; returns the parsed CSV (empty after a failure).
//   csvOf(dock, path)         the dock's CSV only (exported to `path` and parsed).
//   viewCsv(view)             a view on its own (no dock, no window) written as CSV by arlab::exportView (the
//                             right-click Export... path) into a temporary file and parsed; every row must be as
//                             long as the header. A view with nothing to export fails the test.
//   near(a, b, tol)           |a - b| <= tol (1e-6 unless told).
//   itemsOf<T>(plot), plottablesOf<T>(plot)
//                             a QCustomPlot's items / plottables that are a T (QCPItemText, QCPColorMap, ...), in
//                             the order they were added.
//   showsLabel(view, text)    some QLabel inside `view` shows exactly `text`.
//   tickProblem(axis, values) "" when the axis' labelled ticks (after a replot) are distinct, at least two, and
//                             reach from at or below the lowest of `values` to at or above the highest, the range
//                             holding every value; else what is wrong, with the labels.
//   wallProblem(plot, size)   "" when every red context wall's label (items named "wall", limitsplot::addWall)
//                             lies horizontally beside its line, not across it, inside the axis rect, and covers no
//                             curve's marker or line and not the legend; else what is wrong. The plot is laid out
//                             at `size` (500x320 unless told) first.
//   DockExportTest            base of the dock-export test classes: a temporary folder m_dir and exportAll(dock)
//                             into it.
#include "app/gui/dockexport.h"
#include "app/gui/mainwindow.h"
#include "widgets/exportable.h"
#include "widgets/viewexport.h"
#include "testutil.h"

#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QMessageBox>
#include <QSet>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>

namespace testutil {

enum class Look { Shown, Hidden };

inline std::unique_ptr<arlab::MainWindow> makeWindow(const QString& lesson = QStringLiteral("transformer"), Look look = Look::Shown,
                                                     bool persistLayout = false) {
    arlab::MainWindow::Options opt;
    opt.persistLayout = persistLayout;
    opt.lesson = lesson;
    auto win = std::make_unique<arlab::MainWindow>(opt);
    if (look == Look::Shown) {
        win->resize(1600, 1000);
        win->show();
        QApplication::setActiveWindow(win.get());
    }
    return win;
}

// Runs `action`, accepting every message box it opens (looked for every 20 ms, since a box may come only after
// an event loop, e.g. a background read); returns the text of the last one ("" when none opened).
inline QString acceptingMessageBoxes(const std::function<void()>& action) {
    QString shown;
    QTimer closer;
    QObject::connect(&closer, &QTimer::timeout, [&shown] {
        if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
            shown = box->text();
            box->accept();
        }
    });
    closer.start(20);
    action();
    return shown;
}

inline QString readText(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(f.readAll());
}

inline bool near(double a, double b, double tol = 1e-6) { return std::abs(a - b) <= tol; }

template <class T>
QList<T*> itemsOf(QCustomPlot* plot) {
    QList<T*> found;
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto* item = qobject_cast<T*>(plot->item(i))) found << item;
    return found;
}

template <class T>
QList<T*> plottablesOf(QCustomPlot* plot) {
    QList<T*> found;
    for (int i = 0; i < plot->plottableCount(); ++i)
        if (auto* p = qobject_cast<T*>(plot->plottable(i))) found << p;
    return found;
}

inline QString tickProblem(QCPAxis* axis, const QVector<double>& values) {
    axis->parentPlot()->replot();
    const QCPRange range = axis->range();
    QStringList labels;
    QVector<double> ticks;
    for (int i = 0; i < axis->tickVector().size(); ++i)
        if (range.contains(axis->tickVector()[i])) {
            ticks << axis->tickVector()[i];
            labels << axis->tickVectorLabels().value(i);
        }
    const QString shown = QStringLiteral(" (labels %1 over %2..%3)").arg(labels.join(QStringLiteral(", "))).arg(range.lower).arg(range.upper);
    if (ticks.size() < 2) return QStringLiteral("fewer than two labelled ticks") + shown;
    if (QSet<QString>(labels.begin(), labels.end()).size() != labels.size()) return QStringLiteral("a label repeats") + shown;
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    if (*lo < range.lower || *hi > range.upper) return QStringLiteral("a value outside the range") + shown;
    if (ticks.first() > *lo || ticks.last() < *hi)
        return QStringLiteral("values %1..%2 beyond the labelled ticks").arg(*lo).arg(*hi) + shown;
    return {};
}

inline QString wallProblem(QCustomPlot* plot, QSize size = QSize(500, 320)) {
    plot->resize(size);
    plot->setViewport(plot->rect());   // (a hidden plot gets its resize event only when shown)
    plot->replot();
    const QList<QCPItemStraightLine*> lines = itemsOf<QCPItemStraightLine>(plot);
    const QList<QCPItemText*> labels = itemsOf<QCPItemText>(plot);
    for (int i = 0; i < std::min(lines.size(), labels.size()); ++i) {
        if (lines[i]->objectName() != QLatin1String("wall") || labels[i]->objectName() != QLatin1String("wall")) continue;
        if (labels[i]->rotation() != 0) return QStringLiteral("the label is rotated");
        const double x = lines[i]->point1->pixelPosition().x(), half = lines[i]->pen().widthF() / 2;
        const QMargins pad = labels[i]->padding();   // the anchors frame the text with its padding
        const double left = labels[i]->topLeft->pixelPosition().x() + pad.left(), right = labels[i]->bottomRight->pixelPosition().x() - pad.right();
        if (right > x - half && left < x + half) return QStringLiteral("the label %1..%2 crosses the line at %3").arg(left).arg(right).arg(x);
        const QRect frame = plot->axisRect()->rect();
        if (left < frame.left() || right > frame.right()) return QStringLiteral("the label %1..%2 leaves the frame").arg(left).arg(right);
        // what the label's text covers: a curve's markers (their size) or line (sampled every pixel), the legend
        const QRectF text(QPointF(left, labels[i]->topLeft->pixelPosition().y() + pad.top()),
                          QPointF(right, labels[i]->bottomRight->pixelPosition().y() - pad.bottom()));
        for (int g = 0; g < plot->graphCount(); ++g) {
            const QCPGraph* graph = plot->graph(g);
            const double r = graph->scatterStyle().isNone() ? 0 : graph->scatterStyle().size() / 2;
            QPointF previous(qQNaN(), qQNaN());
            for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) {
                const QPointF p(graph->keyAxis()->coordToPixel(it->key), graph->valueAxis()->coordToPixel(it->value));
                if (text.adjusted(-r, -r, r, r).contains(p))
                    return QStringLiteral("the label '%1' covers the point (%2, %3) of '%4'").arg(labels[i]->text()).arg(it->key).arg(it->value).arg(graph->name());
                const int steps = std::isfinite(previous.x()) ? int(std::ceil(QLineF(previous, p).length())) : 0;
                for (int k = 1; k < steps && graph->lineStyle() != QCPGraph::lsNone; ++k)
                    if (text.contains(previous + (p - previous) * (double(k) / steps)))
                        return QStringLiteral("the label '%1' covers the line of '%2' before x = %3").arg(labels[i]->text(), graph->name()).arg(it->key);
                previous = p;
            }
        }
        if (plot->legend->visible() && QRectF(plot->legend->outerRect()).intersects(text)) return QStringLiteral("the label '%1' covers the legend").arg(labels[i]->text());
    }
    return {};
}

inline bool showsLabel(const QWidget* view, const QString& text) {
    const QList<QLabel*> labels = view->findChildren<QLabel*>();
    return std::any_of(labels.begin(), labels.end(), [&](const QLabel* l) { return l->text() == text; });
}

struct Csv {
    QStringList header;
    QList<QStringList> rows;
    int column(const QString& name) const { return int(header.indexOf(name)); }
    QString cell(int row, const QString& name) const { return rows[row].value(column(name)); }
    double num(int row, const QString& name) const { return cell(row, name).toDouble(); }
};

inline Csv parseCsvFile(const QString& path) {
    Csv csv;
    const QList<QStringList> all = arlab::ExportTable::parseCsv(readText(path));
    if (all.isEmpty()) return csv;
    csv.header = all.front();
    csv.rows = all.mid(1);
    return csv;
}

inline Csv csvOf(QDockWidget* dock, const QString& path) {
    Csv csv;
    [&] {
        QVERIFY2(dock, "no such dock");
        const QString error = arlab::DockExporter::exportDock(dock, path);
        QVERIFY2(error.isEmpty(), qPrintable(QStringLiteral("%1: %2 — implement ExportableView (widgets/exportable.h) "
                                                           "on the dock's view").arg(dock->objectName(), error)));
        csv = parseCsvFile(path);
        QVERIFY2(!csv.header.isEmpty() && !csv.rows.isEmpty(), qPrintable(dock->objectName() + ": the CSV has no rows"));
        for (const QStringList& r : csv.rows) QCOMPARE(r.size(), csv.header.size());
    }();
    return csv;
}

inline Csv viewCsv(QWidget* view) {
    Csv csv;
    [&] {
        QTemporaryDir dir;
        QVERIFY2(dir.isValid(), "no temporary folder");
        const QString path = dir.filePath(QStringLiteral("view.csv"));
        const QString error = arlab::exportView(view, path, view->objectName());
        QVERIFY2(error.isEmpty(), qPrintable(error));
        csv = parseCsvFile(path);
        QVERIFY2(!csv.header.isEmpty(), "the CSV has no header");
        for (const QStringList& r : csv.rows) QCOMPARE(r.size(), csv.header.size());
    }();
    return csv;
}

inline Csv exportAll(QDockWidget* dock, const QString& dir) {
    Csv csv;
    [&] {
        QVERIFY2(dock, "no such dock");
        const QString stem = dir + QLatin1Char('/') + dock->objectName();
        QWidget* view = arlab::MainWindow::dockView(dock);
        QCOMPARE(arlab::DockExporter::exportDock(dock, stem + ".svg"), QString());
        QSvgRenderer svg(stem + ".svg");
        QVERIFY2(svg.isValid(), qPrintable(dock->objectName()));
        QVERIFY(!svg.defaultSize().isEmpty());
        QCOMPARE(svg.viewBoxF(), QRectF(QPointF(0, 0), QSizeF(view->size())));   // 1 unit = 1 widget pixel
        const QString text = readText(stem + ".svg");
        int shapes = 0;
        for (const char* tag : {"<path", "<polyline", "<rect", "<text", "<image"}) shapes += int(text.count(QLatin1String(tag)));
        QVERIFY2(shapes > 5, "the SVG draws next to nothing");

        QCOMPARE(arlab::DockExporter::exportDock(dock, stem + ".png", 2), QString());
        const QImage png(stem + ".png");
        QVERIFY(!png.isNull());
        QCOMPARE(png.size(), view->size() * 2);
        QSet<QRgb> colours;   // not blank: more than a handful of distinct colours
        for (int y = 0; y < png.height(); y += 7)
            for (int x = 0; x < png.width(); x += 7) colours.insert(png.pixel(x, y));
        QVERIFY2(colours.size() > 3, "the PNG is blank");
    }();
    if (QTest::currentTestFailed()) return csv;
    return csvOf(dock, dir + QLatin1Char('/') + dock->objectName() + ".csv");
}

// No Q_OBJECT of its own (a header moc does not see): the test class deriving from it has one.
class DockExportTest : public QObject {
protected:
    QTemporaryDir m_dir;
    Csv exportAll(QDockWidget* dock) {
        [&] { QVERIFY2(m_dir.isValid(), "no temporary folder"); }();
        return QTest::currentTestFailed() ? Csv() : testutil::exportAll(dock, m_dir.path());
    }
};

}  // namespace testutil
