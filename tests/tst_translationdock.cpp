// The Translation lesson's controllers over their views (each view alone with fake data: tst_translationview,
// tst_crossattentionview, tst_teacherforcingview, tst_rnninspectorview): step a translation and check the heatmap
// grows one row per word with one column per source word; unknown words are flagged; the gold outline; the RNN
// inspector's heatmap shape; the lesson's docks inside MainWindow.
#include "app/gui/mainwindow.h"
#include "app/gui/rnninspectorcontroller.h"
#include "app/gui/translationcontroller.h"
#include "widgets/crossattentionview.h"
#include "widgets/rnninspectorview.h"
#include "widgets/translationview.h"

#include <QDockWidget>
#include <QPushButton>
#include <QtTest>
#include <qcustomplot.h>

using namespace arlab;

class TestTranslationDock : public QObject {
    Q_OBJECT
private slots:
    void stepsGrowTheHeatmap() {
        TranslationView view;
        TranslationController ctl(&view);
        ctl.setModel(loadTranslatorResource(":/models/zh-en-seq2seq.safetensors"));
        ctl.setSource("我 昨天 吃 了 三 个 苹果");
        QVERIFY(ctl.sourceOk());
        QCOMPARE(view.heatmap()->rows(), 0);
        for (int n = 1; n <= 3; ++n) {
            ctl.step();
            QCOMPARE(view.heatmap()->rows(), n);
            QCOMPARE(view.heatmap()->cols(), 7);
            QCPColorMap* map = view.heatmap()->colorMap();
            QVERIFY(map);
            QCOMPARE(map->data()->keySize(), 7);
            QCOMPARE(map->data()->valueSize(), n);
            QCOMPARE(map->dataRange().lower, 0.0);
            QCOMPARE(map->dataRange().upper, 1.0);
            QVERIFY(!map->interpolate());
            // the heatmap shows the controller's (the model's) numbers, rows summing to 1
            for (int t = 0; t < n; ++t) {
                double s = 0;
                for (int k = 0; k < 7; ++k) {
                    QCOMPARE(map->data()->cell(k, t), double(ctl.attention()(t, k)));
                    s += map->data()->cell(k, t);
                }
                QVERIFY(std::abs(s - 1.0) < 1e-5);
            }
        }
        QCOMPARE(ctl.targetWords(), QStringList({"I", "ate", "three"}));
        // gold alignment of a corpus sentence: I<-我, ate<-吃 and 了, three<-三 = 4 outlines over 3 rows
        view.heatmap()->setShowGold(true);
        QCOMPARE(view.heatmap()->goldOutlines(), 4);
        view.heatmap()->setShowGold(false);
        QCOMPARE(view.heatmap()->goldOutlines(), 0);
        ctl.run();
        QVERIFY(ctl.finished());
        QCOMPARE(ctl.targetWords().join(' '), QString("I ate three apples yesterday </s>"));
        QCOMPARE(view.heatmap()->rows(), 6);
        ctl.restart();
        QCOMPARE(view.heatmap()->rows(), 0);
    }

    void unknownWordsAreFlagged() {
        TranslationView view;
        TranslationController ctl(&view);
        ctl.setModel(loadTranslatorResource(":/models/zh-en-seq2seq.safetensors"));
        ctl.setSource("我 爱 熊猫");
        QVERIFY(!ctl.sourceOk());
        QVERIFY(view.statusText().contains("熊猫"));
        QVERIFY(view.sourceWordsHtml().contains("line-through"));
        QVERIFY(!view.findChild<QPushButton*>("stepButton")->isEnabled());
        ctl.step();  // ignored, no crash
        QCOMPARE(view.heatmap()->rows(), 0);
        ctl.setSource("我 爱 你");
        QVERIFY(ctl.sourceOk());
        QVERIFY(view.findChild<QPushButton*>("stepButton")->isEnabled());
    }

    void rnnInspector() {
        RnnInspectorView view;
        RnnInspectorController ctl(&view);
        ctl.setModel(loadCharRnnResource(":/models/en-char-lstm.safetensors"));
        ctl.setText("I ate");
        QCOMPARE(view.quantityCount(), 6);  // h, c, i, f, g, o
        QCOMPARE(view.heatmapCols(), 6);    // BOS + 5 characters
        QCOMPARE(view.heatmapRows(), ctl.model()->config().hidden);
        view.setQuantity(3);
        QCOMPARE(view.currentQuantity(), 3);
    }

    void lessonInMainWindow() {
        MainWindow::Options o;
        o.persistLayout = false;
        o.lesson = "translate";
        MainWindow win(o);
        QVERIFY(win.lessonNames().contains("translate"));
        QCOMPARE(win.currentLesson(), QString("translate"));
        QStringList names;
        for (QDockWidget* d : win.docks()) names << d->objectName();
        for (const char* n : {"translationDock", "translationBeamDock", "teacherForcingDock", "rnnInspectorDock"})
            QVERIFY2(names.contains(n), n);
        QVERIFY(win.runSteps(3));
        auto* heat = win.findChild<CrossAttentionView*>("crossAttentionView");
        QVERIFY(heat);
        QCOMPARE(heat->rows(), 3);
        QCOMPARE(heat->cols(), 7);
    }
};

QTEST_MAIN(TestTranslationDock)
#include "tst_translationdock.moc"
