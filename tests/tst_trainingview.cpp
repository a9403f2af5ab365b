// TrainingView (widgets/trainingview.h) alone, with fake curves and settings: the form round-trips the settings
// (the hidden ones kept), editing a field emits settingsChanged, the buttons follow running / problem / model
// available and emit their requests, the curves hold the points appended and the y range follows them and the
// entropy rate (a dashed line with its value), and the CSV written by the export path has one row per step.
#include "widgets/trainingview.h"
#include "guitestutil.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>
#include <qcustomplot.h>

using namespace arlab;

class TestTrainingView : public QObject {
    Q_OBJECT
private slots:
    void settingsRoundTrip_data() {
        QTest::addColumn<int>("layers");
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("embd");
        QTest::addColumn<QString>("pos");
        QTest::addColumn<int>("seed");
        QTest::newRow("defaults") << 2 << 4 << 64 << "learned" << 1;
        QTest::newRow("rope, one layer") << 1 << 2 << 32 << "rope" << 7;
        QTest::newRow("sinusoidal, wide") << 4 << 8 << 128 << "sinusoidal" << 123456;
    }
    void settingsRoundTrip() {
        QFETCH(int, layers);
        QFETCH(int, heads);
        QFETCH(int, embd);
        QFETCH(QString, pos);
        QFETCH(int, seed);
        TrainingView v;
        ar::ToyGptSettings s;
        s.layers = layers;
        s.heads = heads;
        s.embd = embd;
        s.context = 16;
        s.pos = ar::parsePositionMode(pos.toStdString());
        s.steps = 310;
        s.lr = 0.002f;
        s.seed = uint64_t(seed);
        s.batch = 5;           // not in the form: kept as given
        s.sentences = 123;
        v.setSettings(s);
        const ar::ToyGptSettings got = v.settings();
        QCOMPARE(got.layers, layers);
        QCOMPARE(got.heads, heads);
        QCOMPARE(got.embd, embd);
        QCOMPARE(got.context, 16);
        QCOMPARE(QString::fromStdString(ar::positionModeName(got.pos)), pos);
        QCOMPARE(got.steps, 310);
        QCOMPARE(got.lr, 0.002f);
        QCOMPARE(got.seed, uint64_t(seed));
        QCOMPARE(got.batch, 5);
        QCOMPARE(got.sentences, 123);
        QCOMPARE(v.headsBox()->value(), heads);
        QCOMPARE(v.widthBox()->value(), embd);
    }

    void editingEmitsSettingsChanged() {
        TrainingView v;
        QSignalSpy spy(&v, &TrainingView::settingsChanged);
        v.headsBox()->setValue(2);
        QCOMPARE(spy.count(), 1);
        v.widthBox()->setValue(48);
        QCOMPARE(spy.count(), 2);
        auto* pos = v.findChild<QComboBox*>();
        QVERIFY(pos);
        pos->setCurrentIndex(2);
        QCOMPARE(spy.count(), 3);
        QCOMPARE(v.settings().pos, ar::PositionMode::Rope);
        v.findChild<QDoubleSpinBox*>()->setValue(0.01);
        QCOMPARE(spy.count(), 4);
    }

    void buttonsFollowTheState_data() {
        QTest::addColumn<bool>("running");
        QTest::addColumn<QString>("problem");
        QTest::addColumn<bool>("model");
        QTest::addColumn<bool>("start");
        QTest::addColumn<bool>("stop");
        QTest::addColumn<bool>("use");
        QTest::addColumn<bool>("form");
        QTest::newRow("idle, no model") << false << "" << false << true << false << false << true;
        QTest::newRow("idle, a model") << false << "" << true << true << false << true << true;
        QTest::newRow("running") << true << "" << true << false << true << false << false;
        QTest::newRow("bad settings") << false << "4 heads do not divide the width 30" << true << false << false << true << true;
    }
    void buttonsFollowTheState() {
        QFETCH(bool, running);
        QFETCH(QString, problem);
        QFETCH(bool, model);
        QFETCH(bool, start);
        QFETCH(bool, stop);
        QFETCH(bool, use);
        QFETCH(bool, form);
        TrainingView v;
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        v.setSettingsProblem(problem);
        v.setRunning(running);
        v.setModelAvailable(model);
        QCOMPARE(v.settingsProblem(), problem);
        QCOMPARE(v.startButton()->isEnabled(), start);
        QCOMPARE(v.stopButton()->isEnabled(), stop);
        QCOMPARE(v.useButton()->isEnabled(), use);
        QCOMPARE(v.headsBox()->isEnabled(), form);
        QSignalSpy started(&v, &TrainingView::startRequested), stopped(&v, &TrainingView::stopRequested),
            used(&v, &TrainingView::useRequested);
        for (QPushButton* b : {v.startButton(), v.stopButton(), v.useButton()}) QTest::mouseClick(b, Qt::LeftButton);
        QCOMPARE(started.count(), start ? 1 : 0);   // a disabled button emits nothing
        QCOMPARE(stopped.count(), stop ? 1 : 0);
        QCOMPARE(used.count(), use ? 1 : 0);
    }

    void curvesAndTheEntropyRate() {
        TrainingView v;
        QCPItemStraightLine* line = testutil::itemsOf<QCPItemStraightLine>(v.plot()).value(0);
        QVERIFY(line);
        QVERIFY(!line->visible());
        v.setEntropyRate(1.25);
        QVERIFY(line->visible());
        QCOMPARE(line->point1->coords().y(), 1.25);
        QCOMPARE(line->pen().style(), Qt::DashLine);
        const QList<QCPItemText*> labels = testutil::itemsOf<QCPItemText>(v.plot());
        QCOMPARE(labels.size(), 1);
        QCOMPARE(labels[0]->text(), QString("true entropy rate 1.250"));

        v.setTotalSteps(200);
        QCOMPARE(v.plot()->xAxis->range(), QCPRange(0, 200));
        v.appendCurves({{1, 3.5}, {2, 3.0}}, {});
        v.appendCurves({{3, 2.5}}, {{3, 2.75}});
        QCOMPARE(v.trainPointCount(), 3);
        QCOMPARE(v.validationPointCount(), 1);
        QCOMPARE(v.plot()->graph(0)->data()->at(2)->value, 2.5);
        // the y range shows every point and the entropy rate below them
        const QCPRange y = v.plot()->yAxis->range();
        QVERIFY2(y.lower < 1.25 && y.upper > 3.5, qPrintable(QString("%1 .. %2").arg(y.lower).arg(y.upper)));

        const testutil::Csv csv = testutil::viewCsv(&v);
        QCOMPARE(csv.header, QStringList({"step", "train_loss", "validation_loss"}));
        QCOMPARE(csv.rows.size(), 3);
        QCOMPARE(csv.rows[0], QStringList({"1", "3.5", ""}));
        QCOMPARE(csv.rows[2], QStringList({"3", "2.5", "2.75"}));

        v.setEntropyRate(std::nan(""));
        QVERIFY(!line->visible());
        v.clearCurves();
        QCOMPARE(v.trainPointCount(), 0);
        QCOMPARE(v.exportTable().emptyReason, QString("no training run yet"));
        v.setStatus("step 3 of 200");
        QCOMPARE(v.status(), QString("step 3 of 200"));
    }
};

QTEST_MAIN(TestTrainingView)
#include "tst_trainingview.moc"
