// LensView (widgets/lensview.h) alone, with fake data: the table is layers x top tokens with the values given,
// the chosen token is bold, the commitment strip draws one chip per generated token (its layer, "—" for
// never), a click on a chip emits its step, and the CSV holds exactly the numbers shown.
#include "widgets/lensview.h"

#include <QSignalSpy>
#include <QTableWidget>
#include <QtTest>

using namespace arlab;

namespace {
LensData fake() {
    LensData d;
    d.title = "<b>Step 2</b>";
    d.rowNames = {"embedding", "layer 1", "layer 2 (output)"};
    d.rows = {{{3, "the", 0.2}, {5, "a", 0.1}}, {{5, "a", 0.4}, {3, "the", 0.3}}, {{5, "a", 0.7}, {7, "cat", 0.2}}};
    d.chosen = 5;
    d.layers = 2;
    d.commitment = {{5, "a", 1, 0}, {7, "cat", -1, 1}, {3, "the", 0, 2}};
    d.selectedStep = 1;
    return d;
}
}  // namespace

class TestLensView : public QObject {
    Q_OBJECT
private slots:
    void tableShowsTheRows() {
        LensView v;
        v.resize(640, 420);
        v.show();
        v.setData(fake());
        QTableWidget* t = v.table();
        QCOMPARE(t->rowCount(), 3);
        QCOMPARE(t->columnCount(), 2);
        QCOMPARE(t->verticalHeaderItem(2)->text(), QString("layer 2 (output)"));
        QCOMPARE(t->item(1, 0)->text(), QString("a   0.400"));
        QVERIFY(t->item(0, 1)->font().bold());     // the chosen token
        QVERIFY(!t->item(0, 0)->font().bold());
        // Darker for the more probable.
        QVERIFY(t->item(2, 0)->background().color().lightness() < t->item(2, 1)->background().color().lightness());
    }
    void stripClicksSelectSteps() {
        LensView v;
        v.resize(640, 420);
        v.show();
        v.setData(fake());
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        QSignalSpy spy(&v, &LensView::stepClicked);
        for (int i = 0; i < 3; ++i) {
            const QRect r = v.chipRect(i);
            QVERIFY(!r.isEmpty());
            QWidget* strip = v.findChild<QWidget*>("commitmentStrip");
            QTest::mouseClick(strip, Qt::LeftButton, {}, strip->mapFrom(&v, r.center()));
        }
        QCOMPARE(spy.count(), 3);
        QCOMPARE(spy[1][0].toInt(), 1);
        QCOMPARE(spy[2][0].toInt(), 2);
        // Early commitment is darker than late.
        QVERIFY(LensView::colorForLayer(0, 12).lightness() < LensView::colorForLayer(12, 12).lightness());
        v.grab();
    }
    void csvHoldsTheNumbers() {
        LensView v;
        QVERIFY(v.exportTable().isEmpty());
        v.setData(fake());
        const ExportTable t = v.exportTable();
        QCOMPARE(t.rows.size(), 6 + 3);
        const int p = int(t.header.indexOf("p")), layer = int(t.header.indexOf("layer")), id = int(t.header.indexOf("token_id"));
        QCOMPARE(t.rows[4][p].toDouble(), 0.7);
        QCOMPARE(t.rows[4][layer], QString("2"));
        QCOMPARE(t.rows[4][id], QString("5"));
        QCOMPARE(t.rows[7][0], QString("commitment"));
        QCOMPARE(t.rows[7][layer], QString("-1"));
        QCOMPARE(t.rows[7][id], QString("7"));
        v.clear("No model loaded.");
        QVERIFY(v.exportTable().isEmpty());
        v.grab();
    }
};

QTEST_MAIN(TestLensView)
#include "tst_lensview.moc"
