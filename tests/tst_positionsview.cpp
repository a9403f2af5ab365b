// PositionsView (widgets/positionsview.h) alone, with fake matrices and curves: the heatmaps hold the cells
// given on a range symmetric around 0, the learned-similarity title names its model, the RoPE score is a curve
// and the RoPE plane one arrow per rotated query plus the key, the NLL plot has the wall just before the context
// limit, the note is shown, and the CSV written by the export path carries every panel's numbers.
#include "widgets/positionsview.h"
#include "guitestutil.h"

#include <QtTest>
#include <qcustomplot.h>

using namespace arlab;

namespace {

ar::Mat matrix(int rows, int cols, float scale) {
    ar::Mat m(rows, cols);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) m(r, c) = scale * float(r - c) / float(rows + cols);
    return m;
}

QCPColorMap* mapOf(QCustomPlot* plot) { return testutil::plottablesOf<QCPColorMap>(plot).value(0); }

QString titleOf(QCustomPlot* plot) {
    auto* t = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0));
    return t ? t->text() : QString();
}

// The plot whose title starts with `title` (the view keeps no accessor for every panel).
QCustomPlot* plotTitled(const QWidget& view, const QString& title) {
    for (QCustomPlot* p : view.findChildren<QCustomPlot*>())
        if (titleOf(p).startsWith(title)) return p;
    return nullptr;
}

}  // namespace

class TestPositionsView : public QObject {
    Q_OBJECT
private slots:
    void heatmapsHoldTheCells_data() {
        QTest::addColumn<QString>("panel");   // title of the plot the setter fills
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::newRow("sinusoid (T, C)") << "Sinusoidal encoding" << 6 << 8;
        QTest::newRow("sinusoid similarity (T, T)") << "Sinusoidal: position" << 5 << 5;
        QTest::newRow("learned similarity (T, T)") << "Learned wpe" << 4 << 4;
    }
    void heatmapsHoldTheCells() {
        QFETCH(QString, panel);
        QFETCH(int, rows);
        QFETCH(int, cols);
        PositionsView v;
        const ar::Mat m = matrix(rows, cols, 3.0f);
        if (panel.startsWith("Sinusoidal enc")) v.setSinusoid(m);
        else if (panel.startsWith("Sinusoidal:")) v.setSinusoidSimilarity(m);
        else v.setLearnedSimilarity("toy-word", m);
        QCustomPlot* plot = plotTitled(v, panel);
        QVERIFY(plot);
        QCPColorMap* map = mapOf(plot);
        QVERIFY(map);
        QCOMPARE(map->data()->keySize(), cols);
        QCOMPARE(map->data()->valueSize(), rows);
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c) QCOMPARE(map->data()->cell(c, r), double(m(r, c)));
        const double a = m.cwiseAbs().maxCoeff();
        QCOMPARE(map->dataRange().lower, -a);   // symmetric: 0 is the middle colour
        QCOMPARE(map->dataRange().upper, a);
        if (panel.startsWith("Learned")) QCOMPARE(titleOf(plot), QString("Learned wpe · wpe (toy-word)"));
        // a colour scale beside the map, on the map's range, labelled
        QVERIFY(map->colorScale());
        QCOMPARE(map->colorScale()->dataRange(), map->dataRange());
        QVERIFY(!map->colorScale()->label().isEmpty());
        // beside the map: right of its axis rect, in the row under the title (which spans both: a whole title)
        auto* row = qobject_cast<QCPLayoutGrid*>(plot->plotLayout()->element(1, 0));
        QVERIFY(row);
        QCOMPARE(row->element(0, 0), static_cast<QCPLayoutElement*>(plot->axisRect()));
        QCOMPARE(row->element(0, 1), static_cast<QCPLayoutElement*>(map->colorScale()));
        QCOMPARE(plot->plotLayout()->columnCount(), 1);
        // only that panel is filled
        int maps = 0;
        for (QCustomPlot* p : v.findChildren<QCustomPlot*>()) maps += mapOf(p) ? 1 : 0;
        QCOMPARE(maps, 1);
    }

    void ropeAndNll() {
        PositionsView v;
        v.setRope({"q · k", {0, 1, 2, 3}, {1.0, 0.5, -0.25, 0.1}});
        QCOMPARE(v.ropePlot()->graphCount(), 1);
        QCOMPARE(v.ropePlot()->graph(0)->dataCount(), 4);
        QCOMPARE(v.ropePlot()->graph(0)->data()->at(2)->value, -0.25);
        // every point (and its marker) inside the frame, no legend on the curve
        const QCPRange ropeY = v.ropePlot()->yAxis->range(), ropeX = v.ropePlot()->xAxis->range();
        QVERIFY2(ropeY.lower < -0.25 && ropeY.upper > 1.0, qPrintable(QString("%1..%2").arg(ropeY.lower).arg(ropeY.upper)));
        QVERIFY(ropeX.lower < 0 && ropeX.upper > 3);
        QVERIFY(!v.ropePlot()->legend->visible());

        v.setRopePlane({{1, 0}, {0.54, 0.84}, {-0.42, 0.91}}, {2, 0});
        QCOMPARE(testutil::itemsOf<QCPItemLine>(v.ropePlanePlot()).size(), 4);   // q at d = 0, 1, 2 and k
        QCOMPARE(testutil::itemsOf<QCPItemText>(v.ropePlanePlot()).size(), 4);
        QCOMPARE(v.ropePlanePlot()->xAxis->range().upper, 1.3 * 2);   // the longest arrow (k) fits
        QCOMPARE(v.ropePlanePlot()->yAxis->range().lower, -1.3 * 2);

        v.setNll({{"learned", {0, 1, 2}, {3, 2, 1.5}}, {"rope", {0, 1, 2, 3, 4}, {3, 2, 1.5, 1.4, 1.4}}}, 3);
        QCOMPARE(v.nllPlot()->graphCount(), 2);
        QCOMPARE(v.nllPlot()->graph(1)->dataCount(), 5);
        QCOMPARE(testutil::itemsOf<QCPItemStraightLine>(v.nllPlot()).size(), 1);
        auto* wall = qobject_cast<QCPItemStraightLine*>(v.nllPlot()->item(0));
        QVERIFY(wall);
        QCOMPARE(wall->point1->coords().x(), 2.5);   // between the last position inside and the first outside
        const QString problem = testutil::wallProblem(v.nllPlot());   // its label beside it, not across
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY(v.nllPlot()->xAxis->range().lower < 0 && v.nllPlot()->xAxis->range().upper > 4);   // the curves' ends inside
        v.setNll({{"learned", {0, 1}, {3, 2}}}, 8);  // a new call replaces the wall, not adds one
        QCOMPARE(testutil::itemsOf<QCPItemStraightLine>(v.nllPlot()).size(), 1);
        QCOMPARE(v.nllPlot()->graphCount(), 1);

        v.setNote("sliding window past T");
        QVERIFY(testutil::showsLabel(&v, "sliding window past T"));
    }

    void csvCarriesEveryPanel() {
        PositionsView v;
        QVERIFY(v.exportTable().isEmpty());
        QCOMPARE(v.exportTable().emptyReason, QString("nothing computed yet"));
        const ar::Mat sin = matrix(3, 4, 1.0f), sim = matrix(3, 3, 2.0f), learned = matrix(2, 2, 5.0f);
        v.setSinusoid(sin);
        v.setSinusoidSimilarity(sim);
        v.setLearnedSimilarity("toy-word", learned);
        v.setRope({"score", {0, 1}, {1, 0.5}});
        v.setRopePlane({{1, 0}}, {0, 1});
        v.setNll({{"sinusoidal", {0, 1, 2}, {2, 1.5, 1.25}}}, 2);
        const testutil::Csv csv = testutil::viewCsv(&v);
        QCOMPARE(csv.header, QStringList({"panel", "series", "x", "y"}));
        QCOMPARE(csv.rows.size(), 12 + 9 + 4 + 2 + 2 + 3);
        QMap<QString, int> perPanel;
        for (const QStringList& r : csv.rows) ++perPanel[r[0]];
        QCOMPARE(perPanel.value("sinusoidal encoding"), 12);
        QCOMPARE(perPanel.value("learned wpe similarity"), 4);
        QCOMPARE(perPanel.value("rope plane (feature pair 0)"), 2);   // q, then k
        for (int r = 0; r < csv.rows.size(); ++r) {
            if (csv.cell(r, "panel") != "sinusoidal encoding") continue;
            const int row = csv.cell(r, "series").mid(4).toInt(), col = csv.cell(r, "x").toInt();
            QCOMPARE(csv.num(r, "y"), double(sin(row, col)));
        }
        QCOMPARE(csv.rows.back(), QStringList({"nll by position", "sinusoidal", "2", "1.25"}));
    }
};

QTEST_MAIN(TestPositionsView)
#include "tst_positionsview.moc"
