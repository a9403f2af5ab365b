// MemoryView (widgets/memoryview.h) alone, with fake curves and states: the accuracy plot holds one curve per
// model on [0, 1.05], the gradient plot is logarithmic, the hidden-state heatmap holds the cells with a token per
// row (names that never overlap), the controls emit their requests (train, stop, another hidden-state model or distance) and follow
// setRunning, and the CSV written by the export path carries every panel's numbers.
#include "widgets/memoryview.h"
#include "guitestutil.h"

#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>
#include <qcustomplot.h>

using namespace arlab;
Q_DECLARE_METATYPE(QVector<arlab::limitsplot::Curve>)

namespace {

QVector<limitsplot::Curve> accuracy() {
    return {{"RNN", {1, 4, 16}, {1.0, 0.5, 0.125}}, {"LSTM", {1, 4, 16}, {1.0, 1.0, 0.75}}, {"TinyGPT", {1, 4, 16}, {1, 1, 1}}};
}

}  // namespace

class TestMemoryView : public QObject {
    Q_OBJECT
private slots:
    void plotsHoldTheData() {
        MemoryView v;
        v.setAccuracy(accuracy());
        QCustomPlot* acc = v.accuracyPlot();
        QCOMPARE(acc->graphCount(), 3);
        for (int g = 0; g < 3; ++g) {
            QCOMPARE(acc->graph(g)->name(), accuracy()[g].name);
            QCOMPARE(acc->graph(g)->data()->at(1)->value, accuracy()[g].y[1]);
        }
        QCOMPARE(acc->yAxis->range(), QCPRange(0, 1.05));
        QCOMPARE(acc->graph(0)->pen().color(), limitsplot::curveColor(0));   // one colour per model
        QVERIFY(acc->graph(1)->pen().color() != acc->graph(0)->pen().color());

        v.setGradientFlow({{"RNN", {1, 2, 4}, {1e-1, 1e-3, 1e-7}}});
        QCOMPARE(v.gradientPlot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
        QCOMPARE(v.gradientPlot()->graph(0)->data()->at(2)->value, 1e-7);

        ar::Mat states(3, 2);   // (T, H)
        states << -1, -2, -3, -4, -5, -6.5f;
        v.setHiddenState("LSTM, d = 1", states, {"key", "filler", "?"});
        QCustomPlot* hidden = v.hiddenPlot();
        QCPColorMap* map = qobject_cast<QCPColorMap*>(hidden->plottable(0));
        QVERIFY(map);
        QCOMPARE(map->data()->keySize(), 2);     // units along x
        QCOMPARE(map->data()->valueSize(), 3);   // time down
        QCOMPARE(map->data()->cell(1, 2), -6.5);
        QCOMPARE(map->dataRange(), QCPRange(-6.5, 0));   // unsigned scale from the lowest to the highest (and 0)
        QCOMPARE(hidden->yAxis->label(), QString("LSTM, d = 1"));
        auto ticker = hidden->yAxis->ticker().dynamicCast<QCPAxisTickerText>();
        QVERIFY(ticker);
        QCOMPARE(QStringList(ticker->ticks().values()), QStringList({"key", "filler", "?"}));
        v.setHiddenState("GRU", states.topRows(2), {"key", "?"});   // the same heatmap, resized
        QCOMPARE(hidden->plottableCount(), 1);
        QCOMPARE(map->data()->valueSize(), 2);
    }

    // The hidden-state heatmap's row names (token and norm) and unit numbers never overlap, at a projector's and a
    // desktop's size, in normal and presentation fonts (x1.6), for a short and a long episode: only every n-th row
    // is named when the rows are lower than a line (the key's row and the query's always), the units are numbered
    // as sparsely as their labels' width needs.
    void hiddenStateLabelsDoNotOverlap_data() {
        QTest::addColumn<QSize>("size");        // of the view
        QTest::addColumn<double>("fontScale");  // of the plot's tick labels
        QTest::addColumn<int>("rows");          // tokens of the episode: d + 2
        for (QSize size : {QSize(1280, 700), QSize(900, 330), QSize(1600, 900)})
            for (double scale : {1.0, 1.6})
                for (int rows : {14, 34})
                    QTest::addRow("%dx%d, fonts x%.1f, %d rows", size.width(), size.height(), scale, rows) << size << scale << rows;
    }
    void hiddenStateLabelsDoNotOverlap() {
        QFETCH(QSize, size);
        QFETCH(double, fontScale);
        QFETCH(int, rows);
        MemoryView v;
        v.resize(size);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        ar::Mat states(rows, 64);
        QStringList tokens;
        for (int r = 0; r < rows; ++r) {
            tokens << QString("%1  %2").arg(r == 0 ? "F" : r == rows - 1 ? "?" : "w").arg(std::pow(10.0, -0.3 * r), 0, 'e', 1);
            for (int c = 0; c < 64; ++c) states(r, c) = -0.3f * float(r) - 0.01f * float(c);
        }
        v.setHiddenState("RNN", states, tokens);
        QCustomPlot* plot = v.hiddenPlot();
        for (QCPAxis* axis : {plot->xAxis, plot->yAxis}) {
            QFont f = axis->tickLabelFont();
            f.setPointSizeF(f.pointSizeF() * fontScale);
            axis->setTickLabelFont(f);
        }
        for (int i = 0; i < 3; ++i) {   // the layout settles (a changed thinning replots once more, queued)
            plot->replot();
            QApplication::processEvents();
        }
        const QRect data = plot->axisRect()->rect();
        QVERIFY2(data.height() > 50, qPrintable(QString("data area %1x%2").arg(data.width()).arg(data.height())));
        // rows: one line of the tick font apart at least, the first and the last named
        const QVector<double> ys = plot->yAxis->tickVector();
        QVERIFY(ys.size() >= 2);
        QCOMPARE(ys.first(), 0.0);
        QCOMPARE(ys.last(), double(rows - 1));
        const double line = QFontMetricsF(plot->yAxis->tickLabelFont()).height();
        for (int i = 1; i < ys.size(); ++i) {
            const double gap = std::abs(plot->yAxis->coordToPixel(ys[i]) - plot->yAxis->coordToPixel(ys[i - 1]));
            QVERIFY2(gap >= line, qPrintable(QString("rows %1 and %2 named %3 px apart, a line is %4 px (%5 rows in %6 px)")
                                                 .arg(ys[i - 1]).arg(ys[i]).arg(gap).arg(line).arg(rows).arg(data.height())));
        }
        // units: each number clear of the next
        const QVector<double> xs = plot->xAxis->tickVector();
        const QVector<QString> names = plot->xAxis->tickVectorLabels();
        QVERIFY(xs.size() >= 2);
        const QFontMetricsF fm(plot->xAxis->tickLabelFont());
        for (int i = 1; i < xs.size(); ++i) {
            const double gap = plot->xAxis->coordToPixel(xs[i]) - plot->xAxis->coordToPixel(xs[i - 1]);
            const double need = (fm.horizontalAdvance(names[i - 1]) + fm.horizontalAdvance(names[i])) / 2;
            QVERIFY2(gap >= need, qPrintable(QString("units %1 and %2: %3 px apart, their labels need %4 (%5 px wide)")
                                                 .arg(names[i - 1], names[i]).arg(gap).arg(need).arg(data.width())));
        }
    }

    // Models with the same accuracy (several at 1.0) draw their curves on the same points: each curve keeps its
    // values, but no two curves share a line style, a marker shape or a marker size (the markers nest), and a
    // curve identical to an earlier one says so in the legend.
    void overlappingCurvesStayApart_data() {
        QTest::addColumn<QVector<limitsplot::Curve>>("curves");
        QTest::addColumn<QStringList>("legend");
        const QVector<double> d = {1, 4, 16}, one = {1, 1, 1};
        QTest::newRow("three of four at 1.0")
            << QVector<limitsplot::Curve>{{"RNN", d, {0.9, 0.5, 0.2}}, {"LSTM", d, one}, {"GRU", d, one}, {"TinyGPT", d, one}}
            << QStringList{"RNN", "LSTM", "GRU (= LSTM)", "TinyGPT (= LSTM)"};
        QTest::newRow("equal in one point only")
            << QVector<limitsplot::Curve>{{"RNN", d, {1, 0.5, 0.2}}, {"LSTM", d, {1, 0.9, 0.8}}}
            << QStringList{"RNN", "LSTM"};
    }
    void overlappingCurvesStayApart() {
        QFETCH(QVector<limitsplot::Curve>, curves);
        QFETCH(QStringList, legend);
        MemoryView v;
        v.setAccuracy(curves);
        QCustomPlot* acc = v.accuracyPlot();
        QCOMPARE(acc->graphCount(), int(curves.size()));
        QSet<int> styles, shapes;
        QSet<double> sizes;
        for (int g = 0; g < acc->graphCount(); ++g) {
            QCOMPARE(acc->graph(g)->name(), legend[g]);
            for (int i = 0; i < curves[g].y.size(); ++i) QCOMPARE(acc->graph(g)->data()->at(i)->value, curves[g].y[i]);
            styles << int(acc->graph(g)->pen().style());
            shapes << int(acc->graph(g)->scatterStyle().shape());
            sizes << acc->graph(g)->scatterStyle().size();
            QCOMPARE(acc->graph(g)->scatterStyle().brush().style(), Qt::NoBrush);   // hollow: the smaller ones show inside
        }
        QCOMPARE(styles.size(), acc->graphCount());
        QCOMPARE(shapes.size(), acc->graphCount());
        QCOMPARE(sizes.size(), acc->graphCount());
        QCOMPARE(testutil::viewCsv(&v).rows.value(3).value(1), curves[1].name);   // the CSV keeps the model's name
    }

    void controlsEmitRequests() {
        MemoryView v;
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        QSignalSpy train(&v, &MemoryView::trainRequested), stop(&v, &MemoryView::stopRequested),
            hidden(&v, &MemoryView::hiddenRequested);
        QVERIFY(v.trainButton()->isEnabled());
        QVERIFY(!v.stopButton()->isEnabled());
        QTest::mouseClick(v.trainButton(), Qt::LeftButton);
        QCOMPARE(train.count(), 1);
        v.setRunning(true);
        QVERIFY(!v.trainButton()->isEnabled());
        QVERIFY(v.stopButton()->isEnabled());
        QTest::mouseClick(v.trainButton(), Qt::LeftButton);   // disabled while running
        QTest::mouseClick(v.stopButton(), Qt::LeftButton);
        QCOMPARE(train.count(), 1);
        QCOMPARE(stop.count(), 1);

        QCOMPARE(v.trainKind(), QString("rnn"));
        QCOMPARE(v.hiddenKind(), QString("rnn"));
        const QList<QComboBox*> boxes = v.findChildren<QComboBox*>();
        QCOMPARE(boxes.size(), 2);
        QComboBox* hiddenBox = boxes[0]->count() == 3 ? boxes[0] : boxes[1];
        hiddenBox->setCurrentIndex(2);
        QCOMPARE(v.hiddenKind(), QString("gru"));
        QCOMPARE(hidden.count(), 1);
        v.findChild<QSpinBox*>()->setValue(20);
        QCOMPARE(v.hiddenDistance(), 20);
        QCOMPARE(hidden.count(), 2);
        v.setStatus("LSTM: step 300 of 1500");
        QCOMPARE(v.status(), QString("LSTM: step 300 of 1500"));
    }

    void csvCarriesEveryPanel() {
        MemoryView v;
        QCOMPARE(v.exportTable().emptyReason, QString("no curves computed yet"));
        v.setAccuracy(accuracy());
        v.setGradientFlow({{"RNN", {1, 2}, {1e-1, 1e-3}}});
        ar::Mat states(2, 3);
        states << 0, -1, -2, -3, -4, -5;
        v.setHiddenState("RNN", states, {"key", "?"});
        const testutil::Csv csv = testutil::viewCsv(&v);
        QCOMPARE(csv.header, QStringList({"panel", "series", "x", "y"}));
        QCOMPARE(csv.rows.size(), 9 + 2 + 6);
        QCOMPARE(csv.rows[3], QStringList({"recall accuracy", "LSTM", "1", "1"}));
        QCOMPARE(csv.rows[10], QStringList({"gradient norm", "RNN", "2", "0.001"}));
        QCOMPARE(csv.rows[16], QStringList({"hidden state: log10 key influence", "row 1", "2", "-5"}));
    }
};

QTEST_MAIN(TestMemoryView)
#include "tst_memoryview.moc"
