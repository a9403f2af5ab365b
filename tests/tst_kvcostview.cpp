// KvCostView (widgets/kvcostview.h) alone, with fake costs: the bytes, FLOPs and time plots hold the curves given
// (FLOPs and time on log scales), the allocated cache is a flat dashed line up to the context limit, each plot
// has the red wall at the limit (its label clear of the curves), the KV bytes per token of each attention variant are bars under their names,
// the summary states the last step's numbers, and the CSV written by the export path carries every number.
#include "widgets/kvcostview.h"
#include "guitestutil.h"

#include <QApplication>
#include <QtTest>
#include <qcustomplot.h>

using namespace arlab;

namespace {

KvCostData fake(int context) {
    KvCostData d;
    d.model = "toy (tinygpt, 2 layers, C 8)";
    d.context = context;
    d.layers = 2;
    d.position = {1, 2, 3, 4};
    d.kvFilledPerLayer = {64, 128, 192, 256};
    d.kvAllocatedPerLayer = 1024;
    d.flopsCached = {100, 100, 100, 100};
    d.flopsUncached = {100, 200, 300, 400};
    d.secondsCached = {1e-5, 1.1e-5, 1.2e-5, 1.3e-5};
    d.secondsUncached = {1e-5, 2e-5, 3e-5, 4e-5};
    d.variants = {{"multi-head", 64}, {"grouped-query", 32}, {"multi-query", 16}};
    return d;
}

QVector<double> keys(const QCPGraph* g) {
    QVector<double> v;
    for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) v << it->key;
    return v;
}
QVector<double> values(const QCPGraph* g) {
    QVector<double> v;
    for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) v << it->value;
    return v;
}

QList<double> wallsOf(QCustomPlot* plot) {
    QList<double> x;
    for (const QCPItemStraightLine* line : testutil::itemsOf<QCPItemStraightLine>(plot)) x << line->point1->coords().x();
    return x;
}

QCPBars* barsOf(const KvCostView& v) {   // the KV bytes per token of each variant (no accessor for that plot)
    for (QCustomPlot* p : v.findChildren<QCustomPlot*>())
        if (QCPBars* bars = testutil::plottablesOf<QCPBars>(p).value(0)) return bars;
    return nullptr;
}

}  // namespace

class TestKvCostView : public QObject {
    Q_OBJECT
private slots:
    void plotsHoldTheCurves_data() {
        QTest::addColumn<int>("context");
        QTest::newRow("context limit 6") << 6;
        QTest::newRow("no context limit") << 0;
    }
    void plotsHoldTheCurves() {
        QFETCH(int, context);
        KvCostView v;
        const KvCostData d = fake(context);
        v.setData(d);
        QCOMPARE(v.data().model, d.model);
        QCustomPlot* bytes = v.bytesPlot();
        QCOMPARE(bytes->graphCount(), 2);
        QCOMPARE(keys(bytes->graph(0)), d.position);
        QCOMPARE(values(bytes->graph(0)), d.kvFilledPerLayer);
        // allocated once: flat, from the first token to the wall (or over the tokens fed when there is none)
        const QVector<double> allocatedX = context ? QVector<double>{1, double(context)} : d.position;
        QCOMPARE(keys(bytes->graph(1)), allocatedX);
        for (double y : values(bytes->graph(1))) QCOMPARE(y, d.kvAllocatedPerLayer);
        QCOMPARE(bytes->graph(1)->pen().style(), Qt::DashLine);
        for (auto [plot, cached, uncached] : {std::tuple{v.flopsPlot(), d.flopsCached, d.flopsUncached},
                                              std::tuple{v.timePlot(), d.secondsCached, d.secondsUncached}}) {
            QCOMPARE(plot->graphCount(), 2);
            QCOMPARE(values(plot->graph(0)), cached);
            QCOMPARE(values(plot->graph(1)), uncached);
            QCOMPARE(plot->yAxis->scaleType(), QCPAxis::stLogarithmic);
        }
        for (QCustomPlot* plot : {bytes, v.flopsPlot(), v.timePlot()}) {
            QCOMPARE(wallsOf(plot), context ? QList<double>{double(context)} : QList<double>{});
            if (context) QCOMPARE(plot->xAxis->range().upper, context + 2.0);
        }
        QCPBars* bars = barsOf(v);
        QVERIFY(bars);
        QCOMPARE(bars->data()->size(), 3);
        auto ticker = bars->keyAxis()->ticker().dynamicCast<QCPAxisTickerText>();
        QVERIFY(ticker);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(bars->data()->at(i)->value, d.variants[i].second);
            QCOMPARE(ticker->ticks().value(i), d.variants[i].first);
        }
        const QString s = v.summary();
        QVERIFY2(s.contains("4 tokens fed of " + QString::number(context)), qPrintable(s));
        QVERIFY2(s.contains("KV cache 256 bytes per layer (512 for all 2 layers)"), qPrintable(s));
        QVERIFY2(s.contains("100 FLOPs with the cache, 400 without"), qPrintable(s));
    }

    // The log axes of FLOPs and time label distinct values from below the lowest point (the cached line, the point
    // of the plot) to above the highest, whatever the span; the walls' labels sit beside the lines.
    void logAxesAndWallsAreReadable_data() {
        QTest::addColumn<QVector<double>>("cached");
        QTest::addColumn<QVector<double>>("uncached");
        QTest::newRow("less than a decade") << QVector<double>{1e-5, 1.1e-5, 1.2e-5, 1.3e-5} << QVector<double>{1e-5, 2e-5, 3e-5, 4e-5};
        QTest::newRow("1.2 decades (the toy model's step times)") << QVector<double>{6.5e-6, 7e-6, 7.5e-6, 8e-6}
                                                                  << QVector<double>{1.3e-5, 4e-5, 7e-5, 1.1e-4};
        QTest::newRow("two decades (FLOPs)") << QVector<double>{2.0e5, 2.01e5, 2.02e5, 2.03e5} << QVector<double>{2e5, 1e6, 5e6, 2.1e7};
        QTest::newRow("five decades") << QVector<double>{3e2, 3e2, 3e2, 3e2} << QVector<double>{1e3, 1e5, 1e6, 3e7};
        QTest::newRow("twelve decades") << QVector<double>{1e-9, 1e-9, 1e-9, 1e-9} << QVector<double>{1e-6, 1e-3, 1, 1e3};
    }
    void logAxesAndWallsAreReadable() {
        QFETCH(QVector<double>, cached);
        QFETCH(QVector<double>, uncached);
        KvCostView v;
        KvCostData d = fake(6);
        d.flopsCached = d.secondsCached = cached;
        d.flopsUncached = d.secondsUncached = uncached;
        v.setData(d);
        for (QCustomPlot* plot : {v.flopsPlot(), v.timePlot()}) {
            plot->resize(500, 320);
            const QString problem = testutil::tickProblem(plot->yAxis, cached + uncached);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        }
        for (QCustomPlot* plot : {v.bytesPlot(), v.flopsPlot(), v.timePlot()}) {
            QCOMPARE(wallsOf(plot), QList<double>{6.0});
            const QString problem = testutil::wallProblem(plot);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        }
    }

    // The context limit's label covers no curve and not the legend, whether few tokens are fed (the label's usual
    // place, left of the wall at mid-height, is free), about half the context (the rising lines pass there) or
    // almost all of it (the curves reach the wall), on a desktop plot and a small one, in normal and presentation
    // fonts (x1.6).
    void wallLabelsCoverNoData_data() {
        QTest::addColumn<int>("fed");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<double>("fontScale");
        for (int fed : {4, 15, 24, 31})
            for (QSize size : {QSize(500, 320), QSize(600, 280), QSize(400, 260), QSize(330, 220)})
                for (double scale : {1.0, 1.6})
                    QTest::addRow("%d of 32 fed, %dx%d, fonts x%.1f", fed, size.width(), size.height(), scale) << fed << size << scale;
    }
    void wallLabelsCoverNoData() {
        QFETCH(int, fed);
        QFETCH(QSize, size);
        QFETCH(double, fontScale);
        KvCostData d = fake(32);   // the toy model's shape: 2 layers, C = 64, vocabulary 265
        d.position.clear();
        d.kvFilledPerLayer.clear();
        d.flopsCached.clear();
        d.flopsUncached.clear();
        d.secondsCached.clear();
        d.secondsUncached.clear();
        d.kvAllocatedPerLayer = 2 * 64 * 4 * 32;
        for (int i = 1; i <= fed; ++i) {
            d.position << i;
            d.kvFilledPerLayer << 2 * 64 * 4 * i;
            d.flopsCached << 2 * (20 * 64 * 64 + 4 * 64 * 64 + 4 * 64 * i) + 2 * 64 * 265;
            d.flopsUncached << 2 * ((24 * 64 * 64) * i + 2 * 64 * i * (i + 1)) + 2 * 64 * 265;
            d.secondsCached << 6e-6 + 1e-8 * i;
            d.secondsUncached << 1e-5 * i;
        }
        KvCostView v;
        v.setData(d);
        for (QCustomPlot* plot : {v.bytesPlot(), v.flopsPlot(), v.timePlot()}) {
            for (QCPItemText* label : testutil::itemsOf<QCPItemText>(plot)) {
                QFont f = label->font();
                f.setPointSizeF(f.pointSizeF() * fontScale);
                label->setFont(f);
            }
            const QString problem = testutil::wallProblem(plot, size);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        }
    }

    // The names under the MHA / GQA / MQA bars never run into each other: each is broken at its spaces (and after
    // a hyphen) into lines no wider than its bar's place, on a projector's half width and a small plot, in normal
    // and presentation fonts (x1.6).
    void barNamesDoNotOverlap_data() {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<double>("fontScale");
        for (QSize size : {QSize(640, 300), QSize(420, 260), QSize(900, 400)})
            for (double scale : {1.0, 1.6}) QTest::addRow("%dx%d, fonts x%.1f", size.width(), size.height(), scale) << size << scale;
    }
    void barNamesDoNotOverlap() {
        QFETCH(QSize, size);
        QFETCH(double, fontScale);
        KvCostView v;
        KvCostData d = fake(6);
        d.variants = {{"multi-head\n4 key/value heads", 64}, {"grouped-query\n2 key/value heads", 32}, {"multi-query\n1 key/value heads", 16}};
        v.setData(d);
        QCustomPlot* plot = barsOf(v)->parentPlot();
        QFont f = plot->xAxis->tickLabelFont();
        f.setPointSizeF(f.pointSizeF() * fontScale);
        plot->xAxis->setTickLabelFont(f);
        plot->resize(size);
        plot->setViewport(plot->rect());   // (hidden: no resize event)
        for (int i = 0; i < 3; ++i) {   // the layout settles (new line breaks replot once more, queued)
            plot->replot();
            QApplication::processEvents();
        }
        const QVector<double> ticks = plot->xAxis->tickVector();
        const QVector<QString> names = plot->xAxis->tickVectorLabels();
        QCOMPARE(ticks.size(), 3);
        const QFontMetricsF fm(f);
        const auto width = [&](const QString& name) {
            double w = 0;
            for (const QString& line : name.split('\n')) w = std::max(w, fm.horizontalAdvance(line));
            return w;
        };
        for (int i = 0; i < 3; ++i)   // every word, in order (a line may end after a hyphen)
            QCOMPARE(QString(names[i]).replace("-\n", "-").simplified(), d.variants[i].first.simplified());
        for (int i = 1; i < 3; ++i) {
            const double gap = plot->xAxis->coordToPixel(ticks[i]) - plot->xAxis->coordToPixel(ticks[i - 1]);
            const double need = (width(names[i - 1]) + width(names[i])) / 2;
            QVERIFY2(gap >= need, qPrintable(QString("'%1' and '%2': %3 px apart, they need %4").arg(names[i - 1], names[i]).arg(gap).arg(need)));
        }
    }

    void csvCarriesEveryNumber() {
        KvCostView v;
        const KvCostData d = fake(6);
        v.setData(d);
        const testutil::Csv csv = testutil::viewCsv(&v);
        QCOMPARE(csv.header, QStringList({"panel", "series", "x", "y"}));
        QCOMPARE(csv.rows.size(), 4 + 2 * 4 + 2 * 4 + 2 + 3);
        QMap<QString, int> perPanel;
        for (const QStringList& r : csv.rows) ++perPanel[r[0]];
        QCOMPARE(perPanel.value("kv bytes per layer"), 4);
        QCOMPARE(perPanel.value("flops per token"), 8);
        QCOMPARE(perPanel.value("seconds per step"), 8);
        QCOMPARE(perPanel.value("kv bytes per token"), 3);
        for (int r = 0; r < csv.rows.size(); ++r) {
            const QString panel = csv.cell(r, "panel"), series = csv.cell(r, "series");
            const int i = int(csv.num(r, "x")) - 1;
            if (panel == "kv bytes per layer") QCOMPARE(csv.num(r, "y"), d.kvFilledPerLayer[i]);
            else if (panel == "seconds per step" && series == "without cache") QCOMPARE(csv.num(r, "y"), d.secondsUncached[i]);
            else if (panel == "kv bytes allocated per layer") QCOMPARE(csv.num(r, "y"), 1024.0);
            else if (panel == "context limit") QCOMPARE(csv.num(r, "y"), 6.0);
        }
        QCOMPARE(csv.rows.back(), QStringList({"kv bytes per token", "multi-query", "", "16"}));
    }

    // Before any data (or for a model without a KV cache) the view shows a message, and the CSV export refuses
    // with that message.
    void messageWithoutData() {
        KvCostView v;
        v.setMessage("no TinyGPT in the session");
        QCOMPARE(v.summary(), QString("no TinyGPT in the session"));
        QVERIFY(v.exportTable().isEmpty());
        QTemporaryDir dir;
        const QString error = exportView(&v, dir.filePath("kv.csv"), "KV cost");
        QVERIFY2(error.contains("no TinyGPT in the session"), qPrintable(error));
    }
};

QTEST_MAIN(TestKvCostView)
#include "tst_kvcostview.moc"
