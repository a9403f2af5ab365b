// Export of every dock (app/gui/dockexport.h, widgets/viewexport.h): for every dock of every registered lesson,
// the SVG is valid and not empty (QSvgRenderer), the PNG at 2x is exactly twice the dock's size, and the CSV
// parses into a header and rows. Also: CSV quoting round trips, numbers keep every digit, bad file names and a
// view without numbers give specific messages, and `arlab --export` works from the command line.
// The CSV's numbers against the core's, dock by dock: tst_dockexport_<lesson>.cpp (transformer, decoding,
// pixels, translate, limits), tst_parallellesson (the Parallel lesson's three docks), tst_quizdock (the quiz).
#include "app/gui/lesson.h"
#include "app/gui/quizcontroller.h"
#include "app/gui/realmodeldocks.h"
#include "app/gui/trainingcontroller.h"
#include "widgets/attentionview.h"
#include "widgets/lensview.h"
#include "widgets/quizview.h"
#include "widgets/trainingview.h"
#include "widgets/viewexport.h"
#include "guitestutil.h"

#include <QLabel>
#include <QtTest>

#include <cmath>

using namespace arlab;
using testutil::Csv;
using testutil::makeWindow;
using testutil::near;
using testutil::readText;

class TestDockExport : public testutil::DockExportTest {
    Q_OBJECT
private slots:
    // Every dock of every lesson, after a few steps of its lesson (the Training dock after a short run).
    void everyDockExports_data() {
        QTest::addColumn<QString>("lesson");
        QTest::addColumn<QString>("dock");
        for (const LessonSpec& spec : LessonRegistry::all())   // every registered lesson and dock
            for (const DockSpec& d : spec.docks)
                QTest::newRow(qPrintable(spec.id + "/" + d.objectName)) << spec.id << QString::fromLatin1(d.objectName);
    }
    void everyDockExports() {
        QFETCH(QString, lesson);
        QFETCH(QString, dock);
        auto win = makeWindow(lesson);
        QVERIFY(win->activateLesson(lesson));
        win->runSteps(3);
        QDockWidget* d = win->findChild<QDockWidget*>(dock);
        QVERIFY(d);
        d->show();
        if (auto* training = d->findChild<TrainingView*>()) {
            auto* ctl = win->findChild<TrainingController*>();
            QVERIFY(ctl);
            ar::ToyGptSettings s;
            s.layers = 1, s.heads = 2, s.embd = 16, s.context = 16, s.steps = 20, s.sentences = 300, s.valTokens = 300,
            s.evalEvery = 10;
            training->setSettings(s);
            QSignalSpy done(ctl, &TrainingController::finished);
            QVERIFY(ctl->start());
            QVERIFY(done.wait(60000));
        }
        if (d->findChild<QuizView*>()) {   // the quiz has numbers once a student has answered: three picks
            auto* ctl = win->findChild<QuizController*>();
            QVERIFY(ctl);
            ctl->newRound(3);
            for (int i = 0; i < 3; ++i, ctl->ask()) QVERIFY(ctl->answer(ar::QuizGuess::pick(i)));
        }
        if (auto* lens = d->findChild<LensView*>()) {   // the lens is computed by a background job once shown
            auto* ctl = win->findChild<LensController*>();
            QVERIFY(ctl && ctl->waitForIdle(30000));
            QVERIFY(!lens->data().rows.isEmpty());
        }
        QApplication::processEvents();
        const Csv csv = exportAll(d);
        QVERIFY2(!csv.rows.isEmpty(), qPrintable(dock + ": the CSV has no rows"));
    }

    void csvRoundTrips_data() {
        QTest::addColumn<QStringList>("cells");
        QTest::newRow("plain") << QStringList{"a", "1.5", "-3e-07"};
        QTest::newRow("comma") << QStringList{"a, b", "c"};
        QTest::newRow("quote") << QStringList{"say \"hi\"", ""};
        QTest::newRow("newline") << QStringList{"two\nlines", "x"};
        QTest::newRow("spaces") << QStringList{" lead", "trail "};
        QTest::newRow("chinese") << QStringList{"我 爱 你", "注意力"};
        QTest::newRow("empty cells") << QStringList{"", "", ""};
    }
    void csvRoundTrips() {
        QFETCH(QStringList, cells);
        ExportTable t{cells};
        t.addRow(cells);
        const QList<QStringList> back = ExportTable::parseCsv(t.toCsv());
        QCOMPARE(back.size(), 2);
        QCOMPARE(back[0], cells);
        QCOMPARE(back[1], cells);
    }

    void numbersKeepTheirDigits() {
        // every double reads back exactly (floats from the core too), in the shortest form that does
        for (double v : {0.1234567891, 1e-9, -2.5, 3.0, double(0.33333334f), 1.0 / 3.0, 123456789.123456789, 6.02e23, -4.9e-324})
            QCOMPARE(ExportTable::number(v).toDouble(), v);
        QCOMPARE(ExportTable::number(0.1), QString("0.1"));
        QCOMPARE(ExportTable::number(3.0), QString("3"));
        QCOMPARE(ExportTable::number(std::nan("")), QString("nan"));
    }

    void badExportsSayWhy() {
        QLabel plain("just a label");
        plain.resize(200, 50);
        QVERIFY(exportView(&plain, m_dir.filePath("x.bmp"), "Label").contains("must end in .png, .svg or .csv"));
        QVERIFY(exportView(&plain, m_dir.filePath("x.csv"), "Label").contains("shows no numbers to export as CSV"));
        QVERIFY(!QFile::exists(m_dir.filePath("x.csv")));
        QVERIFY(exportView(&plain, "/nonexistent-dir/x.png", "Label").contains("cannot write '/nonexistent-dir/x.png'"));
        // A view with nothing yet says so, and an existing file is left as it was.
        AttentionView empty;
        empty.resize(300, 300);
        QFile old(m_dir.filePath("keep.csv"));
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("old\n");
        old.close();
        QVERIFY(exportView(&empty, old.fileName(), "Attention").contains("has no numbers to export yet: no attention yet"));
        QCOMPARE(readText(old.fileName()), QString("old\n"));
        // PNG sizes at 1x and 3x.
        QCOMPARE(exportView(&plain, m_dir.filePath("x1.png"), "Label", 1), QString());
        QCOMPARE(QImage(m_dir.filePath("x1.png")).size(), QSize(200, 50));
        QCOMPARE(exportView(&plain, m_dir.filePath("x3.png"), "Label", 3), QString());
        QCOMPARE(QImage(m_dir.filePath("x3.png")).size(), QSize(600, 150));
    }

    // arlab --export, as a process: a CSV with the attention of the toy model after 3 steps; bad arguments.
    void commandLineExport_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("csv") << QStringList{"--lesson", "transformer", "--steps", "3", "--export", "attention", "--out", "@/a.csv"} << 0 << "";
        QTest::newRow("svg by title") << QStringList{"--lesson", "decoding", "--steps", "2", "--export", "Beam search", "--out", "@/b.svg"} << 0 << "";
        QTest::newRow("png 2x") << QStringList{"--export", "nextTokenDock", "--out", "@/n.png", "--scale", "2", "--size", "1200x800"} << 0 << "";
        QTest::newRow("unknown dock") << QStringList{"--export", "nosuch", "--out", "@/x.csv"} << 2 << "--export: no dock 'nosuch'; docks: ";
        QTest::newRow("bad suffix") << QStringList{"--export", "attention", "--out", "@/x.jpg"} << 2 << "must end in .png, .svg or .csv";
        QTest::newRow("no out") << QStringList{"--export", "attention"} << 2 << "--export needs --out FILE.png|svg|csv";
        QTest::newRow("out alone") << QStringList{"--out", "@/x.csv"} << 2 << "--out and --scale go with --export DOCK";
        QTest::newRow("bad scale") << QStringList{"--export", "attention", "--out", "@/x.png", "--scale", "9"} << 2 << "--scale: expected a number from 1 to 4, got '9'";
        QTest::newRow("scale on csv") << QStringList{"--export", "attention", "--out", "@/x.csv", "--scale", "2"} << 2 << "--scale applies to PNG files only";
        QTest::newRow("with screenshot") << QStringList{"--export", "attention", "--out", "@/x.csv", "--screenshot", "@/s.png"} << 2 << "cannot be used together";
        QTest::newRow("unwritable") << QStringList{"--export", "attention", "--out", "/nonexistent-dir/a.csv"} << 1 << "cannot write '/nonexistent-dir/a.csv'";
    }
    void commandLineExport() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        for (QString& a : args) a.replace("@", m_dir.path());
        const testutil::Run r = testutil::gui(args);
        const QString err = r.errText();
        QVERIFY2(r.code == exitCode, qPrintable(err));
        if (!message.isEmpty()) QVERIFY2(err.contains(message), qPrintable(err));
        if (exitCode != 0) return;
        const QString out = args[args.indexOf("--out") + 1];
        QVERIFY(QFile::exists(out));
        if (out.endsWith(".csv")) {
            const QList<QStringList> rows = ExportTable::parseCsv(readText(out));
            QCOMPARE(rows.front(), (QStringList{"layer", "head", "query", "query_token", "key", "key_token", "weight"}));
            QCOMPARE(rows.size() - 1, 2 * 4 * 7 * 8 / 2);   // 2 layers x 4 heads x the 7 tokens after 3 steps (BOS + 3 + 3)
        } else if (out.endsWith(".svg")) {
            QVERIFY(QSvgRenderer(out).isValid());
        } else {
            const QImage png(out);
            QVERIFY(!png.isNull());
            QVERIFY(png.width() > 400);
        }
    }
};

QTEST_MAIN(TestDockExport)
#include "tst_dockexport.moc"
