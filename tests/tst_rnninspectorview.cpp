// RnnInspectorView (widgets/rnninspectorview.h) alone, with a fake trace (no model): the heatmap shows the chosen
// quantity (units x characters, exactly the values given, on the quantity's range), the columns are labelled
// with the character and the probability of the next one, the quantity box switches (and keeps its choice when a
// new trace comes), typing emits textEdited but setText does not, and the CSV written by the export path holds
// every value and probability; squeezed at a projector's font, the unit numbers stay apart.
#include "widgets/rnninspectorview.h"
#include "guitestutil.h"

#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QtTest>
#include <qcustomplot.h>

using namespace arlab;

namespace {

using Quantity = RnnInspectorView::Quantity;

// h: a signed state in [-1, 1]; f: a gate in [0, 1]. 3 units, 4 characters.
std::vector<Quantity> fakeTrace() {
    Quantity h{"h", ar::Mat(3, 4), -1, 1}, f{"f", ar::Mat(3, 4), 0, 1};
    for (int u = 0; u < 3; ++u)
        for (int t = 0; t < 4; ++t) {
            h.values(u, t) = float(u - t) / 4.0f;
            f.values(u, t) = float(u + t) / 8.0f;
        }
    return {h, f};
}
const QStringList kChars{"<s>", "I", " ", "a"};
const std::vector<float> kNextP{0.5f, 0.25f, 0.125f, 0.75f};

QCPColorMap* mapOf(const RnnInspectorView& v) { return testutil::plottablesOf<QCPColorMap>(v.plot()).value(0); }

}  // namespace

class TestRnnInspectorView : public QObject {
    Q_OBJECT
private slots:
    void heatmapShowsTheQuantity_data() {
        QTest::addColumn<int>("quantity");
        QTest::addColumn<double>("lo");
        QTest::addColumn<double>("hi");
        QTest::newRow("hidden state h (signed)") << 0 << -1.0 << 1.0;
        QTest::newRow("forget gate f (0..1)") << 1 << 0.0 << 1.0;
    }
    void heatmapShowsTheQuantity() {
        QFETCH(int, quantity);
        QFETCH(double, lo);
        QFETCH(double, hi);
        RnnInspectorView v;
        QCOMPARE(v.heatmapRows(), 0);
        QVERIFY(!mapOf(v));
        const std::vector<Quantity> trace = fakeTrace();
        v.setTrace(kChars, trace, kNextP);
        QCOMPARE(v.quantityCount(), 2);
        v.setQuantity(quantity);
        QCOMPARE(v.currentQuantity(), quantity);
        QCOMPARE(v.findChild<QComboBox*>("rnnQuantityBox")->currentText(), trace[size_t(quantity)].name);
        QCOMPARE(v.heatmapRows(), 3);
        QCOMPARE(v.heatmapCols(), 4);
        QCPColorMap* map = mapOf(v);
        QVERIFY(map);
        QCOMPARE(map->dataRange(), QCPRange(lo, hi));
        for (int u = 0; u < 3; ++u)
            for (int t = 0; t < 4; ++t) QCOMPARE(map->data()->cell(t, u), double(trace[size_t(quantity)].values(u, t)));
        auto ticker = map->keyAxis()->ticker().dynamicCast<QCPAxisTickerText>();
        QVERIFY(ticker);
        QCOMPARE(ticker->ticks().value(1), QString("I\n0.25"));
        QCOMPARE(ticker->ticks().value(3), QString("a\n0.75"));
        v.setQuantity(7);   // out of range: ignored
        QCOMPARE(v.currentQuantity(), quantity);
    }

    void newTraceKeepsTheChoice() {
        RnnInspectorView v;
        v.setTrace(kChars, fakeTrace(), kNextP);
        v.setQuantity(1);
        auto shorter = fakeTrace();
        for (Quantity& q : shorter) q.values.conservativeResize(3, 2);
        v.setTrace(kChars.mid(0, 2), shorter, {0.5f, 0.25f});
        QCOMPARE(v.currentQuantity(), 1);   // still f
        QCOMPARE(v.heatmapCols(), 2);
        std::vector<Quantity> gru = fakeTrace();
        gru[1].name = "z";                  // f is gone: back to the first quantity
        v.setTrace(kChars, gru, kNextP);
        QCOMPARE(v.currentQuantity(), 0);
    }

    void typingEmitsTextEdited() {
        RnnInspectorView v;
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        QSignalSpy spy(&v, &RnnInspectorView::textEdited);
        v.setText("I a");
        QCOMPARE(spy.count(), 0);
        auto* edit = v.findChild<QLineEdit*>("rnnTextEdit");
        QVERIFY(edit);
        QCOMPARE(edit->text(), QString("I a"));
        edit->setFocus();
        QTest::keyClick(edit, Qt::Key_End);
        QTest::keyClick(edit, 'm');
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy[0][0].toString(), QString("I am"));
    }

    // Squeezed to its minimum (a dock on a projector's 1280x800), at a normal and at presentation mode's fonts, the
    // heatmap keeps its unit numbers apart (each tick at least a line of text from the next) and a data area.
    void unitNumbersStayApart_data() {
        QTest::addColumn<double>("fontScale");
        QTest::newRow("normal") << 1.0;
        QTest::newRow("presentation") << 1.6;
        QTest::newRow("x2") << 2.0;
    }
    void unitNumbersStayApart() {
        QFETCH(double, fontScale);
        RnnInspectorView v;
        QFont f = v.font();
        f.setPointSizeF(f.pointSizeF() * fontScale);
        v.setFont(f);
        Quantity h{"h", ar::Mat(128, 30), -1, 1};
        h.values.setZero();
        QStringList chars;
        std::vector<float> p;
        for (int t = 0; t < 30; ++t) chars << QString(QChar('a' + t % 26)), p.push_back(0.5f);
        v.setTrace(chars, {h}, p);
        v.resize(1200, v.minimumSizeHint().height());
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        v.plot()->replot();
        QCPAxis* y = mapOf(v)->valueAxis();
        const QVector<double> ticks = y->tickVector();
        QVERIFY(ticks.size() >= 2);
        const double lineHeight = QFontMetricsF(y->tickLabelFont()).height();
        for (int i = 1; i < ticks.size(); ++i)
            QVERIFY2(std::abs(y->coordToPixel(ticks[i]) - y->coordToPixel(ticks[i - 1])) >= lineHeight,
                     qPrintable(QString("ticks %1 and %2 are %3 px apart, a line is %4 px").arg(ticks[i - 1]).arg(ticks[i])
                                    .arg(std::abs(y->coordToPixel(ticks[i]) - y->coordToPixel(ticks[i - 1]))).arg(lineHeight)));
        QVERIFY(y->axisRect()->height() >= 4 * lineHeight);
    }

    void csvHoldsEveryValue() {
        RnnInspectorView v;
        QCOMPARE(v.exportTable().emptyReason, QString("no text traced yet"));
        const std::vector<Quantity> trace = fakeTrace();
        v.setTrace(kChars, trace, kNextP);
        const testutil::Csv csv = testutil::viewCsv(&v);
        QCOMPARE(csv.header, QStringList({"quantity", "unit", "position", "char", "value"}));
        QCOMPARE(csv.rows.size(), 2 * 3 * 4 + 4);
        for (int r = 0; r < csv.rows.size(); ++r) {
            const QString q = csv.cell(r, "quantity");
            const int t = csv.cell(r, "position").toInt();
            QCOMPARE(csv.cell(r, "char"), kChars[t]);
            if (q == "p_next") {
                QCOMPARE(csv.num(r, "value"), double(kNextP[size_t(t)]));
            } else {
                const Quantity& x = trace[q == "h" ? 0 : 1];
                QCOMPARE(x.name, q);
                QCOMPARE(csv.num(r, "value"), double(x.values(csv.cell(r, "unit").toInt(), t)));
            }
        }
    }
};

QTEST_MAIN(TestRnnInspectorView)
#include "tst_rnninspectorview.moc"
