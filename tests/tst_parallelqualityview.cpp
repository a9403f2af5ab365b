// ParallelQualityView with fake points: one curve per mode (single points for AR and NAT), both plots, the
// table and the CSV carry the same numbers, partial updates replace the points.
#include "widgets/parallelqualityview.h"

#include <qcustomplot.h>

#include <QTableWidget>
#include <QtTest>

using namespace arlab;

namespace {
QVector<ParallelQualityPoint> fake() {
    return {{"ar", "AR (LSTM)", "", 7.1, 1.0, 1.0, 0.0, 100},
            {"nat", "NAT (one pass)", "", 1.0, 0.7, 0.88, 0.16, 100},
            {"mask-predict-1", "Mask-Predict", "K=1", 1.0, 0.7, 0.88, 0.16, 100},
            {"mask-predict-2", "Mask-Predict", "K=2", 2.0, 0.71, 0.9, 0.15, 100},
            {"semi-2", "semi-AR", "k=2", 3.3, 0.72, 0.9, 0.17, 100}};
}
}  // namespace

class TestParallelQualityView : public QObject {
    Q_OBJECT
private slots:
    void curvesTableAndCsv() {
        ParallelQualityView v;
        v.setPoints(fake());
        QCOMPARE(v.exactPlot()->graphCount(), 4);   // AR, NAT, Mask-Predict, semi-AR
        QCOMPARE(v.wordPlot()->graphCount(), 4);
        QCOMPARE(v.exactPlot()->graph(2)->dataCount(), 2);
        QCOMPARE(v.exactPlot()->graph(2)->data()->at(1)->key, 2.0);
        QCOMPARE(v.exactPlot()->graph(2)->data()->at(1)->value, 71.0);
        QCOMPARE(v.wordPlot()->graph(3)->data()->at(0)->value, 90.0);
        QCOMPARE(v.exactPlot()->graph(0)->lineStyle(), QCPGraph::lsNone);   // one point
        QCOMPARE(v.table()->rowCount(), 5);
        QCOMPARE(v.table()->item(3, 3)->text(), QString("71.00%"));
        const QString legend = v.legendText();   // one entry per curve, in graph order
        QVERIFY2(legend.indexOf("AR (LSTM)") < legend.indexOf("NAT (one pass)") && legend.indexOf("NAT") < legend.indexOf("Mask-Predict")
                     && legend.indexOf("Mask-Predict") < legend.indexOf("semi-AR"), qPrintable(legend));
        const ExportTable t = v.exportTable();
        QCOMPARE(t.rows.size(), 5);
        QCOMPARE(t.rows[3][0], QString("mask-predict-2"));
        QCOMPARE(t.rows[3][t.header.indexOf("exact_match")].toDouble(), 0.71);
        QCOMPARE(t.rows[4][t.header.indexOf("passes_per_sentence")].toDouble(), 3.3);
        QCOMPARE(t.rows[1][t.header.indexOf("repeated_rate")].toDouble(), 0.16);
    }
    // In the Parallel lesson's default dock size (740 x 360, parallellesson.cpp) the table shows at least four
    // whole rows under its header, not two behind a scroll bar.
    void tableShowsFourRows_data() {
        QTest::addColumn<QSize>("size");
        QTest::newRow("the default dock, 740x360") << QSize(740, 360);
        QTest::newRow("smaller, 600x300") << QSize(600, 300);
    }
    void tableShowsFourRows() {
        QFETCH(QSize, size);
        ParallelQualityView v;
        v.setPoints(fake());
        v.resize(size);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        int whole = 0;
        for (int r = 0; r < v.table()->rowCount(); ++r)
            whole += v.table()->viewport()->rect().contains(v.table()->visualRect(v.table()->model()->index(r, 0))) ? 1 : 0;
        QVERIFY2(whole >= 4, qPrintable(QString("%1 whole rows in a %2-pixel viewport").arg(whole).arg(v.table()->viewport()->height())));
    }
    void partialAndEmpty() {
        ParallelQualityView v;
        QVERIFY(v.exportTable().isEmpty());
        QVERIFY(!v.exportTable().emptyReason.isEmpty());
        v.setPoints(fake().mid(0, 2));
        QCOMPARE(v.exactPlot()->graphCount(), 2);
        v.setPoints(fake());
        QCOMPARE(v.exactPlot()->graphCount(), 4);
        QCOMPARE(v.table()->rowCount(), 5);
        v.setStatus("2 of 10 modes done", false);
        QCOMPARE(v.statusText(), QString("2 of 10 modes done"));
    }
};

QTEST_MAIN(TestParallelQualityView)
#include "tst_parallelqualityview.moc"
