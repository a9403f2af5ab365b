// MoeRoutingView (widgets/moeroutingview.h) alone, with fake routing (no model): the summary states the experts,
// top-k and the share of parameters used, each token's column stacks its chosen experts' colours in proportion to
// their gates, setPrompt does not emit but Enter in the prompt field emits promptEdited, and the CSV written by
// the export path has a row per layer, token and chosen expert, then the load per expert.
#include "widgets/limitsplot.h"
#include "widgets/moeroutingview.h"
#include "guitestutil.h"

#include <QLineEdit>
#include <QSignalSpy>
#include <QtTest>

using namespace arlab;

namespace {

// 1 layer, 4 experts, top-2; two tokens: "the" -> experts 1 (0.75) and 3 (0.25), "cat" -> 0 (0.5) and 2 (0.5).
MoeRoutingData fake() {
    MoeRoutingData d;
    d.tokens = {"the", "cat"};
    d.experts = 4;
    d.topK = 2;
    d.chosen = {{{1, 3}, {0, 2}}};
    d.gates = {{{0.75f, 0.25f}, {0.5f, 0.5f}}};
    d.load = {{1, 1, 1, 1}};
    d.activeParameters = 300;
    d.totalParameters = 1200;
    return d;
}

}  // namespace

class TestMoeRoutingView : public QObject {
    Q_OBJECT
private slots:
    void summaryStatesTheShare() {
        MoeRoutingView v;
        v.setData(fake());
        QCOMPARE(v.data().experts, 4);
        QCOMPARE(v.summary(), QString("4 experts per layer, each token goes to 2 of them: 300 of 1200 parameters are used per "
                                      "token (25 %)."));
        v.setMessage("no MoE model loaded");
        QCOMPARE(v.summary(), QString("no MoE model loaded"));
    }

    // Down a token's column the chosen experts' colours take heights in the ratio of their gates.
    void blocksAreAsTallAsTheirGates_data() {
        QTest::addColumn<int>("token");
        QTest::addColumn<int>("first");
        QTest::addColumn<int>("second");
        QTest::addColumn<double>("ratio");   // first's height / second's
        QTest::newRow("the: 0.75 / 0.25") << 0 << 1 << 3 << 3.0;
        QTest::newRow("cat: 0.5 / 0.5") << 1 << 0 << 2 << 1.0;
    }
    void blocksAreAsTallAsTheirGates() {
        QFETCH(int, token);
        QFETCH(int, first);
        QFETCH(int, second);
        QFETCH(double, ratio);
        MoeRoutingView v;
        v.resize(800, 500);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        v.setData(fake());
        auto* canvas = v.findChild<QWidget*>("moeRoutingCanvas");
        QVERIFY(canvas);
        const QImage img = canvas->grab().toImage();
        const double colW = std::max(14.0, (canvas->width() - 60 - 150 - 20) / 2.0);
        const int x = int(60 + token * colW + 3);   // left edge of the token's column, clear of the block's text
        int a = 0, b = 0, other = 0;
        for (int y = 0; y < img.height(); ++y) {
            const QColor c = img.pixelColor(x, y);
            if (c == limitsplot::curveColor(first)) ++a;
            else if (c == limitsplot::curveColor(second)) ++b;
            else for (int e : {0, 1, 2, 3}) other += c == limitsplot::curveColor(e) ? 1 : 0;
        }
        QVERIFY2(a > 20 && b > 5, qPrintable(QString("%1 %2").arg(a).arg(b)));
        QVERIFY2(std::abs(double(a) / b - ratio) < 0.1 * ratio, qPrintable(QString("%1 / %2").arg(a).arg(b)));
        QCOMPARE(other, 0);   // no expert that was not chosen
    }

    void promptEmitsOnEnter() {
        MoeRoutingView v;
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        QSignalSpy spy(&v, &MoeRoutingView::promptEdited);
        v.setPrompt("the cat");
        QCOMPARE(v.prompt(), QString("the cat"));
        QCOMPARE(spy.count(), 0);
        auto* edit = v.findChild<QLineEdit*>();
        QVERIFY(edit);
        edit->setFocus();
        QTest::keyClick(edit, Qt::Key_End);
        QTest::keyClicks(edit, " runs");
        QCOMPARE(spy.count(), 0);   // only Enter asks for the routing
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy[0][0].toString(), QString("the cat runs"));
    }

    void csvHasEveryChoiceAndTheLoad() {
        MoeRoutingView v;
        v.setMessage("no MoE model loaded");
        QCOMPARE(v.exportTable().emptyReason, QString("no MoE model loaded"));
        v.setData(fake());
        const testutil::Csv csv = testutil::viewCsv(&v);
        QCOMPARE(csv.header, QStringList({"layer", "position", "token", "rank", "expert", "gate"}));
        QCOMPARE(csv.rows.size(), 4 + 4);
        QCOMPARE(csv.rows[0], QStringList({"0", "0", "the", "0", "1", "0.75"}));
        QCOMPARE(csv.rows[1], QStringList({"0", "0", "the", "1", "3", "0.25"}));
        QCOMPARE(csv.rows[3], QStringList({"0", "1", "cat", "1", "2", "0.5"}));
        QCOMPARE(csv.rows[7], QStringList({"0", "load", "", "", "3", "1"}));
    }
};

QTEST_MAIN(TestMoeRoutingView)
#include "tst_moeroutingview.moc"
