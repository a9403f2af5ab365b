// MadeConnectivityView and MadePanel (widgets/madeview.h) alone, with a fake MADE whose masks the test builds by
// the paper's rules (hidden unit k sees input j iff m(k) >= m(j); output d sees hidden unit k iff m(d) > m(k)):
// selecting a node highlights exactly the nodes below it may see (for output d: the inputs before d in the
// ordering), a click selects the node under it (nodeSelected), the picture colours the selection and what it
// sees, the CSV lists every unit and edge; the panel shows samples and emits its controls' requests.
#include "widgets/madeview.h"
#include "widgets/pixelgridview.h"
#include "guitestutil.h"

#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using namespace arlab;

namespace {

// inputs in the ordering 2, 0, 1 (m = 3, 1, 2), hidden units m = 1, 2, 1, 2, outputs m = their input's m.
MadeNetwork fakeNetwork() {
    MadeNetwork n;
    n.numbers = {{3, 1, 2}, {1, 2, 1, 2}, {3, 1, 2}};
    ar::Mat hidden(4, 3), out(3, 4);
    for (int k = 0; k < 4; ++k)
        for (int j = 0; j < 3; ++j) hidden(k, j) = n.numbers[1][size_t(k)] >= n.numbers[0][size_t(j)] ? 1.0f : 0.0f;
    for (int d = 0; d < 3; ++d)
        for (int k = 0; k < 4; ++k) out(d, k) = n.numbers[2][size_t(d)] > n.numbers[1][size_t(k)] ? 1.0f : 0.0f;
    n.masks = {hidden, out};
    return n;
}

std::vector<bool> bits(std::initializer_list<int> v) { return std::vector<bool>(v.begin(), v.end()); }

}  // namespace

Q_DECLARE_METATYPE(std::vector<bool>)

class TestMadeView : public QObject {
    Q_OBJECT
private slots:
    void selectionShowsWhatANodeSees_data() {
        QTest::addColumn<int>("layer");
        QTest::addColumn<int>("index");
        QTest::addColumn<std::vector<bool>>("inputs");   // highlighted inputs
        QTest::addColumn<std::vector<bool>>("hidden");   // highlighted hidden units
        // output d sees exactly the inputs earlier in the ordering
        QTest::newRow("output m=3") << 2 << 0 << bits({0, 1, 1}) << bits({1, 1, 1, 1});
        QTest::newRow("output m=1 sees nothing") << 2 << 1 << bits({0, 0, 0}) << bits({0, 0, 0, 0});
        QTest::newRow("output m=2") << 2 << 2 << bits({0, 1, 0}) << bits({1, 0, 1, 0});
        QTest::newRow("hidden m=2") << 1 << 1 << bits({0, 1, 1}) << bits({0, 0, 0, 0});
        QTest::newRow("an input sees nothing") << 0 << 0 << bits({0, 0, 0}) << bits({0, 0, 0, 0});
        QTest::newRow("no selection") << -1 << -1 << bits({0, 0, 0}) << bits({0, 0, 0, 0});
    }
    void selectionShowsWhatANodeSees() {
        QFETCH(int, layer);
        QFETCH(int, index);
        QFETCH(std::vector<bool>, inputs);
        QFETCH(std::vector<bool>, hidden);
        MadeConnectivityView v;
        v.setNetwork(fakeNetwork());
        v.setSelection(layer, index);
        QCOMPARE(v.highlighted().size(), size_t(3));
        QCOMPARE(v.highlighted()[0], inputs);
        QCOMPARE(v.highlighted()[1], hidden);
        QCOMPARE(v.highlighted()[2], bits({0, 0, 0}));   // nothing above is seen; the node itself is "selected"
    }

    void clickSelectsAndPaints() {
        MadeConnectivityView v;
        v.resize(600, 360);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        v.setNetwork(fakeNetwork());
        QSignalSpy spy(&v, &MadeConnectivityView::nodeSelected);
        QTest::mouseClick(&v, Qt::LeftButton, {}, v.nodePos(2, 0).toPoint() + QPoint(3, -2));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy[0][0].toInt(), 2);
        QCOMPARE(spy[0][1].toInt(), 0);
        QCOMPARE(v.highlighted()[0], bits({0, 1, 1}));
        const QImage img = v.grab().toImage();
        const auto fill = [&](int l, int i) { return img.pixelColor(v.nodePos(l, i).toPoint() + QPoint(-8, 0)); };
        QCOMPARE(fill(2, 0), QColor(230, 40, 50));    // selected: red
        QCOMPARE(fill(0, 1), QColor(255, 190, 120));  // seen: orange
        QCOMPARE(fill(0, 0), QColor(200, 225, 255));  // an input not seen: light blue
        QCOMPARE(fill(2, 1), QColor(220, 245, 210));  // another output: light green
        // a click between the nodes clears the selection
        QTest::mouseClick(&v, Qt::LeftButton, {}, QPoint(5, 180));
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy[1][0].toInt(), -1);
        QCOMPARE(v.highlighted()[0], bits({0, 0, 0}));
    }

    void csvListsUnitsAndEdges() {
        MadeConnectivityView v;
        QVERIFY(v.exportTable().isEmpty());
        QCOMPARE(v.exportTable().emptyReason, QString("no MADE model loaded"));
        v.grab();   // an empty network paints (a white page) without a crash
        const MadeNetwork n = fakeNetwork();
        v.setNetwork(n);
        const testutil::Csv csv = testutil::viewCsv(&v);
        QCOMPARE(csv.header, QStringList({"kind", "layer", "unit", "number", "from_unit"}));
        const int edges = int(n.masks[0].sum() + n.masks[1].sum());
        QCOMPARE(csv.rows.size(), 10 + edges);
        int units = 0, listed = 0;
        for (int r = 0; r < csv.rows.size(); ++r) {
            const int layer = csv.cell(r, "layer").toInt(), unit = csv.cell(r, "unit").toInt();
            if (csv.cell(r, "kind") == "unit") {
                ++units;
                QCOMPARE(csv.cell(r, "number").toInt(), n.numbers[size_t(layer)][size_t(unit)]);
            } else {
                QCOMPARE(csv.cell(r, "kind"), QString("edge"));
                QCOMPARE(n.masks[size_t(layer - 1)](unit, csv.cell(r, "from_unit").toInt()), 1.0f);
                ++listed;
            }
        }
        QCOMPARE(units, 10);
        QCOMPARE(listed, edges);
    }

    void panelShowsSamplesAndEmitsRequests() {
        MadePanel p;
        p.show();
        QVERIFY(QTest::qWaitForWindowExposed(&p));
        QVERIFY(p.connectivity());
        QCOMPARE(p.sampleCount(), 6);
        p.setSamples({{1, 0, 0, 1}, {0, 1, 1, 0}}, 2, 2);
        QCOMPARE(p.sample(0)->cells(), QVector<float>({1, 0, 0, 1}));
        QCOMPARE(p.sample(1)->cells(), QVector<float>({0, 1, 1, 0}));
        QCOMPARE(p.sample(5)->gridWidth(), 2);
        QCOMPARE(p.sample(5)->cells(), QVector<float>(4, -1.0f));   // no sample for it: not drawn
        p.setMaskInfo("mask set 3 of 8");
        p.setNote("samples from the pretrained MADE");
        QVERIFY(testutil::showsLabel(&p, "mask set 3 of 8"));
        QVERIFY(testutil::showsLabel(&p, "samples from the pretrained MADE"));

        QSignalSpy order(&p, &MadePanel::orderChanged), resample(&p, &MadePanel::resampleRequested),
            fresh(&p, &MadePanel::newSamplesRequested);
        QVERIFY(p.naturalOrder());
        auto* combo = p.findChild<QComboBox*>();
        QVERIFY(combo);
        combo->setCurrentIndex(1);
        QVERIFY(!p.naturalOrder());
        QCOMPARE(order.count(), 1);
        QCOMPARE(order[0][0].toBool(), false);
        for (QPushButton* b : p.findChildren<QPushButton*>()) QTest::mouseClick(b, Qt::LeftButton);
        QCOMPARE(resample.count(), 1);
        QCOMPARE(fresh.count(), 1);
    }
};

QTEST_MAIN(TestMadeView)
#include "tst_madeview.moc"
