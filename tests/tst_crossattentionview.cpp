// CrossAttentionView (widgets/crossattentionview.h) alone, with fake weights: the heatmap holds exactly the
// numbers given (target rows x source columns, fixed [0, 1] scale, no interpolation), words label the axes, the
// weights are printed only on a small grid, a heavy cell is painted darker than a light one, the gold outlines
// follow the alignment, and the CSV written by the export path carries the same numbers.
#include "widgets/crossattentionview.h"
#include "guitestutil.h"

#include <QtTest>
#include <qcustomplot.h>

using namespace arlab;

Q_DECLARE_METATYPE(std::vector<std::vector<int>>)

namespace {

QStringList words(const QString& stem, int n) {
    QStringList w;
    for (int i = 0; i < n; ++i) w << stem + QString::number(i);
    return w;
}

// Rows of distinct weights that sum to 1 (as a softmax would give).
ar::Mat weights(int T, int S) {
    ar::Mat m(T, S);
    for (int t = 0; t < T; ++t) {
        for (int s = 0; s < S; ++s) m(t, s) = float(1 + (t * 7 + s * 3) % 11);
        m.row(t) /= m.row(t).sum();
    }
    return m;
}

QStringList tickLabels(QCPAxis* axis) {
    auto ticker = axis->ticker().dynamicCast<QCPAxisTickerText>();
    return ticker ? QStringList(ticker->ticks().values()) : QStringList();
}

}  // namespace

class TestCrossAttentionView : public QObject {
    Q_OBJECT
private slots:
    void showsTheWeights_data() {
        QTest::addColumn<int>("targets");
        QTest::addColumn<int>("sources");
        QTest::addColumn<bool>("numbersPrinted");   // only when the grid has at most 200 cells
        QTest::newRow("one word") << 1 << 1 << true;
        QTest::newRow("3 of 7 target words so far") << 3 << 7 << true;
        QTest::newRow("200 cells") << 10 << 20 << true;
        QTest::newRow("225 cells") << 15 << 15 << false;
    }
    void showsTheWeights() {
        QFETCH(int, targets);
        QFETCH(int, sources);
        QFETCH(bool, numbersPrinted);
        CrossAttentionView v;
        const ar::Mat a = weights(targets, sources);
        const QStringList src = words("src", sources), tgt = words("tgt", targets);
        v.setData(src, tgt, a);
        QCOMPARE(v.rows(), targets);
        QCOMPARE(v.cols(), sources);
        QCPColorMap* map = v.colorMap();
        QVERIFY(map);
        QCOMPARE(map->data()->keySize(), sources);
        QCOMPARE(map->data()->valueSize(), targets);
        QCOMPARE(map->dataRange().lower, 0.0);
        QCOMPARE(map->dataRange().upper, 1.0);
        QVERIFY(!map->interpolate());
        for (int t = 0; t < targets; ++t)
            for (int s = 0; s < sources; ++s) QCOMPARE(map->data()->cell(s, t), double(a(t, s)));
        // source words along the top, target words down the side
        QCPAxisRect* rect = v.plot()->axisRect();
        QCOMPARE(tickLabels(rect->axis(QCPAxis::atTop)), src);
        QCOMPARE(tickLabels(rect->axis(QCPAxis::atLeft)), tgt);
        QCOMPARE(testutil::itemsOf<QCPItemText>(v.plot()).size(), numbersPrinted ? targets * sources : 0);

        const testutil::Csv csv = testutil::viewCsv(&v);
        QCOMPARE(csv.header, QStringList({"target", "target_word", "source", "source_word", "weight"}));
        QCOMPARE(csv.rows.size(), targets * sources);
        for (int r = 0; r < csv.rows.size(); ++r) {
            const int t = csv.cell(r, "target").toInt(), s = csv.cell(r, "source").toInt();
            QCOMPARE(csv.cell(r, "target_word"), tgt[t]);
            QCOMPARE(csv.cell(r, "source_word"), src[s]);
            QCOMPARE(csv.num(r, "weight"), double(a(t, s)));   // unrounded
        }
    }

    // The picture: the cell of weight 1 is dark blue, the cells of weight 0 stay light.
    void heavyCellsArePaintedDark() {
        CrossAttentionView v;
        v.resize(500, 360);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        ar::Mat a(2, 3);
        a << 1, 0, 0, 0, 0, 1;
        v.setData({"a", "b", "c"}, {"x", "y"}, a);
        v.plot()->replot();
        const QImage img = v.plot()->grab().toImage();
        QCPColorMap* map = v.colorMap();
        QVERIFY(map);
        // sample off the cell centre, where the printed number sits
        const auto colour = [&](int t, int s) {
            const QPointF p(map->keyAxis()->coordToPixel(s + 0.3), map->valueAxis()->coordToPixel(t + 0.3));
            return img.pixelColor(p.toPoint());
        };
        for (auto [t, s] : {std::pair{0, 0}, std::pair{1, 2}}) {
            const QColor heavy = colour(t, s);
            QVERIFY2(heavy.lightness() < 80 && heavy.blue() > heavy.red(), qPrintable(heavy.name()));
        }
        for (auto [t, s] : {std::pair{0, 1}, std::pair{0, 2}, std::pair{1, 0}})
            QVERIFY2(colour(t, s).lightness() > 230, qPrintable(colour(t, s).name()));
    }

    void goldOutlines_data() {
        QTest::addColumn<bool>("shown");
        QTest::addColumn<std::vector<std::vector<int>>>("gold");
        QTest::addColumn<int>("outlines");
        QTest::newRow("hidden") << false << std::vector<std::vector<int>>{{0}, {1, 2}} << 0;
        QTest::newRow("one per word") << true << std::vector<std::vector<int>>{{0}, {2}, {1}} << 3;
        QTest::newRow("a word from two sources") << true << std::vector<std::vector<int>>{{0}, {1, 2}} << 3;
        QTest::newRow("an unaligned word") << true << std::vector<std::vector<int>>{{}, {1}} << 1;
        QTest::newRow("gold for rows not decoded yet") << true << std::vector<std::vector<int>>{{0}, {1}, {2}, {0}, {1}} << 3;
        QTest::newRow("no gold known") << true << std::vector<std::vector<int>>{} << 0;
    }
    void goldOutlines() {
        QFETCH(bool, shown);
        QFETCH(std::vector<std::vector<int>>, gold);
        QFETCH(int, outlines);
        CrossAttentionView v;
        v.setData({"a", "b", "c"}, {"x", "y", "z"}, weights(3, 3));
        v.setGold(gold);
        v.setShowGold(shown);
        QCOMPARE(v.showGold(), shown);
        QCOMPARE(v.goldOutlines(), outlines);
        QCOMPARE(testutil::itemsOf<QCPItemRect>(v.plot()).size(), outlines);
        v.setShowGold(false);
        QCOMPARE(v.goldOutlines(), 0);
    }

    // Weights that do not fit the source words draw no heatmap (nothing misplaced); clear() empties the view and
    // the CSV export then refuses with the reason.
    void mismatchAndClear() {
        CrossAttentionView v;
        v.setData({"a", "b"}, {"x"}, weights(1, 3));
        QVERIFY(!v.colorMap());
        v.setData({"a", "b", "c"}, {"x"}, weights(1, 3));
        QVERIFY(v.colorMap());
        v.clear();
        QCOMPARE(v.rows(), 0);
        QVERIFY(!v.colorMap());
        QVERIFY(testutil::itemsOf<QCPItemText>(v.plot()).isEmpty());
        const ExportTable t = v.exportTable();
        QVERIFY(t.isEmpty());
        QCOMPARE(t.emptyReason, QString("nothing translated yet"));
        QTemporaryDir dir;
        const QString error = exportView(&v, dir.filePath("x.csv"), "Cross-attention");
        QVERIFY2(error.contains("nothing translated yet"), qPrintable(error));
        QVERIFY(!QFile::exists(dir.filePath("x.csv")));
    }
};

QTEST_MAIN(TestCrossAttentionView)
#include "tst_crossattentionview.moc"
