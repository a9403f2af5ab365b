// TeacherForcingView (widgets/teacherforcingview.h) alone, with fake sentences and rates (no model): each row's
// cells are coloured by their state (correct, the first free-running mistake, later compounding errors, correct
// again; teacher forcing's errors stay isolated), the error curves stop where fewer than 5 sentences are that
// long, the combos emit the model and sentence chosen, and the CSV written by the export path holds both curves. A
// long sentence in a narrow dock (presentation mode at 1280x800): the table does not scroll sideways, its words
// share the width, and its three rows stay whole, also after the font grows.
#include "widgets/teacherforcingview.h"
#include "guitestutil.h"

#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableWidget>
#include <QtTest>
#include <qcustomplot.h>

using namespace arlab;

class TestTeacherForcingView : public QObject {
    Q_OBJECT
private slots:
    void cellsShowTheirState_data() {
        QTest::addColumn<QStringList>("gold");
        QTest::addColumn<QStringList>("teacherForced");
        QTest::addColumn<QStringList>("freeRunning");
        QTest::addColumn<QString>("tfStates");
        QTest::addColumn<QString>("frStates");
        QTest::newRow("isolated vs compounding") << QStringList{"I", "ate", "apples", "</s>"} << QStringList{"I", "eat", "apples", "</s>"}
                                                 << QStringList{"I", "eat", "apple", "</s>"} << "cxcc" << "cxer";
        QTest::newRow("both right") << QStringList{"I", "ate"} << QStringList{"I", "ate"} << QStringList{"I", "ate"} << "cc" << "cc";
        QTest::newRow("teacher forcing errs twice, each on its own")
            << QStringList{"a", "b", "c"} << QStringList{"x", "b", "y"} << QStringList{"a", "b", "c"} << "xcx" << "ccc";
        QTest::newRow("free running stops early") << QStringList{"I", "ate", "apples"} << QStringList{"I", "ate", "apples"}
                                                  << QStringList{"I"} << "ccc" << "c  ";
        QTest::newRow("free running runs on") << QStringList{"I"} << QStringList{"I"} << QStringList{"I", "I", "I"} << "c  " << "cxe";
    }
    void cellsShowTheirState() {
        QFETCH(QStringList, gold);
        QFETCH(QStringList, teacherForced);
        QFETCH(QStringList, freeRunning);
        QFETCH(QString, tfStates);
        QFETCH(QString, frStates);
        TeacherForcingView v;
        v.setComparison(gold, teacherForced, freeRunning);
        QCOMPARE(v.rowStates(1), tfStates);
        QCOMPARE(v.rowStates(2), frStates);
        QCOMPARE(v.rowStates(5), QString());
        QTableWidget* t = v.table();
        QCOMPARE(t->columnCount(), int(std::max({gold.size(), teacherForced.size(), freeRunning.size()})));
        for (int row = 1; row <= 2; ++row)
            for (int i = 0; i < t->columnCount(); ++i) {
                const QChar s = v.rowStates(row)[i];
                QTableWidgetItem* item = t->item(row, i);
                QCOMPARE(item != nullptr, s != ' ');
                if (!item) continue;
                QCOMPARE(item->text(), (row == 1 ? teacherForced : freeRunning)[i]);
                const QColor bg = item->background().color();
                if (s == 'c') QCOMPARE(bg, TeacherForcingView::correctColor());
                if (s == 'x') QCOMPARE(bg, TeacherForcingView::firstMistakeColor());
                if (s == 'e') QCOMPARE(bg, TeacherForcingView::compoundColor());
            }
        for (int i = 0; i < gold.size(); ++i) QVERIFY(t->item(0, i)->font().bold());   // the gold row
    }

    void curvesAndTheCsv() {
        TeacherForcingView v;
        QCOMPARE(v.exportTable().emptyReason, QString("no comparison yet"));
        v.setCurves({0.0, 0.1, 0.2, 0.3}, {0.0, 0.25, 0.5, 0.75}, {40, 30, 20, 4});   // position 4: 4 sentences, not plotted
        QCOMPARE(v.plot()->graph(0)->dataCount(), 3);
        QCOMPARE(v.plot()->graph(1)->data()->at(2)->value, 0.5);
        QCOMPARE(v.plot()->xAxis->range(), QCPRange(0.5, 3.5));
        QCOMPARE(v.plot()->yAxis->range().upper, 0.5 * 1.15);
        const testutil::Csv csv = testutil::viewCsv(&v);
        QCOMPARE(csv.header, QStringList({"position", "teacher_forced_error", "free_running_error"}));
        QCOMPARE(csv.rows.size(), 3);
        QCOMPARE(csv.rows[1], QStringList({"2", "0.1", "0.25"}));
        v.setSummary("free running: 40 % of the sentences go wrong");
        QCOMPARE(v.summary(), QString("free running: 40 % of the sentences go wrong"));
    }

    void aLongSentenceFitsANarrowDock() {
        TeacherForcingView v;
        v.resize(560, 500);   // about the dock's width at 1280x800 (the Translation lesson's default layout)
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        const QStringList gold = QString("yesterday my little brother ate three red apples tomorrow </s>").split(' ');
        QStringList fr = gold;
        fr[3] = "or";
        v.setComparison(gold, gold, fr);
        auto* table = v.findChild<QTableWidget*>("tfTable");
        QVERIFY(table);
        for (double grow : {1.0, 1.6}) {
            QFont f = v.font();
            f.setPointSizeF(f.pointSizeF() * grow);
            v.setFont(f);
            for (int i = 0; i < 3; ++i) QApplication::processEvents();
            const QString at = QString("at font x%1").arg(grow);
            QVERIFY2(!table->horizontalScrollBar()->isVisible(), qPrintable(at));
            int columns = 0;
            for (int c = 0; c < table->columnCount(); ++c) columns += table->horizontalHeader()->sectionSize(c);
            QVERIFY2(columns <= table->viewport()->width(), qPrintable(QString("%1: %2 px of columns in %3 px").arg(at).arg(columns).arg(table->viewport()->width())));
            QVERIFY2(table->rowViewportPosition(2) + table->rowHeight(2) <= table->viewport()->height(), qPrintable(at + ": the third row is cut"));
        }
    }

    void combosEmitTheChoice() {
        TeacherForcingView v;
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        QSignalSpy models(&v, &TeacherForcingView::modelChosen), pairs(&v, &TeacherForcingView::pairChosen);
        v.setModels({"LSTM (trained)", "LSTM (early)"});
        v.setPairs({"我 爱 你", "我 昨天 吃 了 三 个 苹果", "他 喝 茶"});
        v.setCurrentPair(2);   // the program's choice: no signal
        auto* pairBox = v.findChild<QComboBox*>("tfPairBox");
        QCOMPARE(pairBox->currentIndex(), 2);
        QCOMPARE(pairs.count(), 0);
        auto* modelBox = v.findChild<QComboBox*>("tfModelBox");
        modelBox->setFocus();
        QTest::keyClick(modelBox, Qt::Key_Down);
        QCOMPARE(models.count(), 1);
        QCOMPARE(models[0][0].toInt(), 1);
        pairBox->setFocus();
        QTest::keyClick(pairBox, Qt::Key_Up);
        QCOMPARE(pairs.count(), 1);
        QCOMPARE(pairs[0][0].toInt(), 1);
    }
};

QTEST_MAIN(TestTeacherForcingView)
#include "tst_teacherforcingview.moc"
