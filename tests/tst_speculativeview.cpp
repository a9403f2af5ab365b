// SpeculativeView with a fake run: accepted, rejected and unchecked drafts, the resampled and bonus tokens,
// tokens per target call, the speedup curves (measured calls, theory, wall time), the CSV, the controls.
#include "widgets/speculativeview.h"
#include "guitestutil.h"

#include <qcustomplot.h>

#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

using namespace arlab;

namespace {
SpeculativeRunData fake() {
    SpeculativeRunData r;
    r.prompt = "the";
    r.gamma = 3;
    SpeculativeRoundData a;   // all kept, bonus
    a.draft = {{"cat", 0.5, 0.4, SpeculativeDraftToken::Accepted}, {"sees", 0.3, 0.3, SpeculativeDraftToken::Accepted},
               {"a", 0.9, 0.8, SpeculativeDraftToken::Accepted}};
    a.next = "dog";
    a.bonus = true;
    SpeculativeRoundData b;   // second draft rejected
    b.draft = {{".", 0.9, 0.9, SpeculativeDraftToken::Accepted}, {"red", 0.05, 0.41, SpeculativeDraftToken::Rejected},
               {"bird", 0.2, 0.3, SpeculativeDraftToken::Unchecked}};
    b.next = "the";
    r.rounds = {a, b};
    r.tokens = 7;   // made-up totals: the view shows them as given
    r.targetCalls = 2;
    r.draftCalls = 6;
    r.acceptance = 0.8;
    r.expectedAcceptance = 0.75;
    return r;
}
}  // namespace

class TestSpeculativeView : public QObject {
    Q_OBJECT
private slots:
    void rounds() {
        SpeculativeView v;
        v.resize(700, 700);
        v.setRun(fake());
        QCOMPARE(v.roundText(0), QString("cat+ sees+ a+ -> dog"));
        QCOMPARE(v.roundText(1), QString(".+ red- bird~ -> the"));
        QCOMPARE(v.roundText(2), QString());
        QVERIFY2(v.summary().contains("7 tokens in 2 target calls = 3.50 tokens per target call"), qPrintable(v.summary()));
        QVERIFY(v.summary().contains("0.800") && v.summary().contains("0.750"));
        // theory with alpha = 0.75, gamma = 3: (1 - 0.75^4) / 0.25 = 2.734
        QVERIFY2(v.summary().contains("2.73 tokens per call"), qPrintable(v.summary()));
        const ExportTable t = v.exportTable();
        QCOMPARE(t.rows.size(), 8);   // 3 drafts + next, twice
        const int status = int(t.header.indexOf("status")), p = int(t.header.indexOf("p")), q = int(t.header.indexOf("q"));
        QCOMPARE(t.rows[5][status], QString("rejected"));
        QCOMPARE(t.rows[5][p].toDouble(), 0.05);
        QCOMPARE(t.rows[5][q].toDouble(), 0.41);
        QCOMPARE(t.rows[6][status], QString("unchecked"));
        QVERIFY(t.rows[6][p].isEmpty());
        QCOMPARE(t.rows[3][status], QString("bonus"));
        QCOMPARE(t.rows[7][status], QString("resampled"));
        QCOMPARE(t.rows[7][t.header.indexOf("token")], QString("the"));
    }
    void speedup() {
        SpeculativeView v;
        QVector<SpeculativeSpeedPoint> pts;
        for (int g = 1; g <= 8; ++g)
            pts.push_back({g, 0.9, 1.0 + 0.8 * g, (1 - std::pow(0.9, g + 1)) / 0.1, 1.0 + 0.1 * g, 0.5, 0.9 + 0.1 * g, 1.2 + 0.1 * g});
        v.setSpeedup(pts, 2.0, 320);
        QCOMPARE(v.plot()->graphCount(), 3);
        QCOMPARE(v.plot()->graph(0)->dataCount(), 8);
        QCOMPARE(v.plot()->graph(1)->data()->at(3)->value, (1 - std::pow(0.9, 5)) / 0.1);
        QCOMPARE(v.plot()->graph(2)->data()->at(7)->value, 1.8);
        QVERIFY2(v.speedupSummary().contains("Best γ = 8: 1.80×") && v.speedupSummary().contains("6.25 ms per token"),
                 qPrintable(v.speedupSummary()));
        const ExportTable t = v.exportTable();
        QCOMPARE(t.rows.size(), 8);
        QCOMPARE(t.rows[2][t.header.indexOf("round_or_gamma")], QString("3"));
        QCOMPARE(t.rows[2][t.header.indexOf("speedup_wall")].toDouble(), 1.3);
        QCOMPARE(t.rows[2][t.header.indexOf("speedup_wall_lowest")].toDouble(), 1.2);
        QCOMPARE(t.rows[2][t.header.indexOf("speedup_wall_highest")].toDouble(), 1.5);
        // the wall time's spread: an error bar on each wall point from the lowest to the highest pair, inside the frame
        const QList<QCPErrorBars*> bars = testutil::plottablesOf<QCPErrorBars>(v.plot());
        QCOMPARE(bars.size(), 1);
        QCOMPARE(bars[0]->dataPlottable(), v.plot()->graph(2));
        QCOMPARE(bars[0]->dataCount(), 8);
        QVERIFY(testutil::near(bars[0]->data()->at(2).errorMinus, 1.3 - 1.2, 1e-12));
        QVERIFY(testutil::near(bars[0]->data()->at(2).errorPlus, 1.5 - 1.3, 1e-12));
        QVERIFY(v.plot()->yAxis->range().upper >= 2.0 * 1.0);
        QVERIFY(v.plot()->yAxis->range().upper >= 1.2 + 0.8);
        QVERIFY(v.plot()->graph(2)->name().contains("measured on this computer"));
        v.setSpeedup(pts, 2.0, 320);   // measured again: the bars are replaced, not added
        QCOMPARE(testutil::plottablesOf<QCPErrorBars>(v.plot()).size(), 1);
        v.setSpeedup({}, 0, 0);
        QVERIFY(v.speedupSummary().contains("not measured"));
    }
    void controlsAndErrors() {
        SpeculativeView v;
        QSignalSpy run(&v, &SpeculativeView::runRequested);
        v.gammaBox()->setValue(6);
        QCOMPARE(v.gamma(), 6);
        QCOMPARE(run.count(), 1);
        QCOMPARE(v.gammaBox()->maximum(), 8);
        v.setRun(fake());
        v.clearRun("prompt: 'zebra' is not in the vocabulary");
        QCOMPARE(v.statusText(), QString("prompt: 'zebra' is not in the vocabulary"));
        QVERIFY(v.run().rounds.isEmpty());
        QVERIFY(v.exportTable().isEmpty());
        QVERIFY(!v.exportTable().emptyReason.isEmpty());
        v.setRun(fake());
        QCOMPARE(v.statusText(), QString());
    }
};

QTEST_MAIN(TestSpeculativeView)
#include "tst_speculativeview.moc"
