// The application frame: docks and menus, layouts (default, reset, saved and restored per lesson), the
// command line (parsed in-process, and the real `arlab` binary run with QProcess).
#include "app/gui/generationcontroller.h"
#include "app/gui/lesson.h"
#include "app/gui/mainwindow.h"
#include "app/gui/startup.h"
#include "core/decoding/stageoptions.h"
#include "testutil.h"
#include "guitestutil.h"

#include <QApplication>
#include <QDockWidget>
#include <QImage>
#include <QImageReader>
#include <QLabel>
#include <QStatusBar>
#include <QMenu>
#include <QMenuBar>
#include <QSet>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

using namespace arlab;

class TestMainWindow : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_settingsDir;
    static std::unique_ptr<MainWindow> makeWindow(bool persist = false) {
        return testutil::makeWindow(QString(), testutil::Look::Hidden, persist);
    }
    static int runGui(const QStringList& args, QString* err = nullptr, QString* out = nullptr) {
        const testutil::Run r = testutil::gui(args);
        if (err) *err = r.errText();
        if (out) *out = r.outText();
        return r.code;
    }

private slots:
    void initTestCase() {
        // Keep the user's real settings out of this: QSettings goes to a temporary folder.
        QVERIFY(m_settingsDir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QCoreApplication::setOrganizationName("arlab-test");
        QCoreApplication::setApplicationName("arlab-test");
    }

    void everyDockHasNameAndViewToggle() {
        auto w = makeWindow();
        const QList<QDockWidget*> docks = w->findChildren<QDockWidget*>();
        QVERIFY(docks.size() >= 4);
        QCOMPARE(docks.size(), w->docks().size());
        QSet<QString> names;
        const QList<QAction*> viewActions = w->viewMenu()->actions();
        for (QDockWidget* d : docks) {
            QVERIFY2(!d->objectName().isEmpty(), qPrintable(d->windowTitle()));
            QVERIFY2(!names.contains(d->objectName()), qPrintable(d->objectName()));
            names.insert(d->objectName());
            QVERIFY2(viewActions.contains(d->toggleViewAction()), qPrintable(d->objectName()));
            QVERIFY(!d->toggleViewAction()->toolTip().isEmpty());
        }
        for (const char* name : {"generationDock", "nextTokenDock", "attentionDock", "modelDock"})
            QVERIFY2(names.contains(name), name);
        QVERIFY(viewActions.contains(w->resetLayoutAction()));
    }

    // Every action of every menu (every lesson built, the Export dock menu filled) has its tip, shown in the
    // status bar and as its tooltip alike (app/gui/menuaction.h).
    void everyMenuActionHasItsTip() {
        auto w = testutil::makeWindow();
        for (const auto& l : w->lessons()) QVERIFY(w->buildLesson(l->spec.id));
        int checked = 0;
        std::function<void(QMenu*)> visit = [&](QMenu* menu) {
            emit menu->aboutToShow();   // menus filled when they open (File -> Export dock)
            for (QAction* a : menu->actions()) {
                if (a->isSeparator()) continue;
                if (a->menu()) {
                    visit(a->menu());
                    continue;
                }
                const QString where = menu->title() + " -> " + a->text();
                QVERIFY2(!a->statusTip().isEmpty(), qPrintable(where + ": no status tip"));
                QVERIFY2(a->toolTip() == a->statusTip(),
                         qPrintable(where + ": the tooltip '" + a->toolTip() + "' is not the status tip '" + a->statusTip() + "'"));
                ++checked;
            }
        };
        for (QAction* top : w->menuBar()->actions())
            if (top->menu()) visit(top->menu());
        if (QTest::currentTestFailed()) return;
        // The File menu's own actions, the lesson and dock toggles, and the Export dock menu's docks at least.
        QVERIFY2(checked > 40, qPrintable(QString::number(checked)));
    }

    void viewToggleShowsAndHides() {
        auto w = makeWindow();
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.get()));
        auto* dock = w->findChild<QDockWidget*>("attentionDock");
        QVERIFY(dock->isVisible());
        dock->toggleViewAction()->trigger();
        QVERIFY(!dock->isVisible());
        dock->toggleViewAction()->trigger();
        QVERIFY(dock->isVisible());
    }

    void resetLayoutRestoresDefault() {
        auto w = makeWindow();
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.get()));
        auto* attention = w->findChild<QDockWidget*>("attentionDock");
        auto* model = w->findChild<QDockWidget*>("modelDock");
        auto* next = w->findChild<QDockWidget*>("nextTokenDock");
        const Qt::DockWidgetArea area = w->dockWidgetArea(next);
        const QRect nextGeometry = next->geometry();
        attention->hide();
        model->setFloating(true);
        w->removeDockWidget(next);
        w->addDockWidget(Qt::BottomDockWidgetArea, next);
        next->show();
        QCOMPARE(w->dockWidgetArea(next), Qt::BottomDockWidgetArea);
        w->resetLayoutAction()->trigger();
        QApplication::processEvents();
        QVERIFY(attention->isVisible());
        QVERIFY(!model->isFloating());
        QVERIFY(model->isVisible());
        QCOMPARE(w->dockWidgetArea(next), area);
        QCOMPARE(next->geometry(), nextGeometry);
    }

    void layoutIsSavedAndRestored() {
        QSettings().clear();
        {
            auto w = makeWindow(true);
            w->show();
            QVERIFY(QTest::qWaitForWindowExposed(w.get()));
            w->findChild<QDockWidget*>("modelDock")->hide();
            w->close();
        }
        QVERIFY(!QSettings().value("state/transformer").toByteArray().isEmpty());
        {
            auto w = makeWindow(true);
            w->show();
            QVERIFY(QTest::qWaitForWindowExposed(w.get()));
            QVERIFY(!w->findChild<QDockWidget*>("modelDock")->isVisible());
            QVERIFY(w->findChild<QDockWidget*>("attentionDock")->isVisible());
            w->close();
        }
        {   // Screenshot/test mode never reads the saved layout.
            auto w = makeWindow(false);
            w->show();
            QVERIFY(QTest::qWaitForWindowExposed(w.get()));
            QVERIFY(w->findChild<QDockWidget*>("modelDock")->isVisible());
        }
        QSettings().clear();
    }

    // A layout saved before the default arrangement changed (version 1: the Limits docks side by side) is not
    // restored: the lesson opens with today's default (its docks as tabs).
    void anOlderLayoutIsNotRestored() {
        QSettings().clear();
        {
            auto w = makeWindow(true);
            w->show();
            QVERIFY(QTest::qWaitForWindowExposed(w.get()));
            QVERIFY(w->activateLesson("limits"));
            auto* memory = w->findChild<QDockWidget*>("limitsMemoryDock");
            QVERIFY(!w->tabifiedDockWidgets(memory).isEmpty());
            for (QDockWidget* d : w->tabifiedDockWidgets(memory)) w->splitDockWidget(memory, d, Qt::Horizontal);
            QVERIFY(w->tabifiedDockWidgets(memory).isEmpty());
            const QByteArray sideBySide = w->QMainWindow::saveState(1);   // as the arlab before tabs saved it
            w->close();
            QSettings().setValue("state/limits", sideBySide);
        }
        auto w = makeWindow(true);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.get()));
        QVERIFY(w->activateLesson("limits"));
        QVERIFY(!w->tabifiedDockWidgets(w->findChild<QDockWidget*>("limitsMemoryDock")).isEmpty());
        QSettings().clear();
    }

    void lessonsAreListed() {
        auto w = makeWindow();
        QCOMPARE(w->lessonNames(), LessonRegistry::ids());
        QCOMPARE(w->currentLesson(), w->lessonNames().front());
        QVERIFY(!w->activateLesson("no-such-lesson"));
        for (const auto& l : w->lessons()) {
            QVERIFY(w->activateLesson(l->spec.id));
            QVERIFY(l->lesson);
            QVERIFY(l->menu);
            QVERIFY(l->pendingToggles.isEmpty());
            // It built exactly the docks its registration declares, in that order, titled from there.
            QCOMPARE(l->docks.size(), int(l->spec.docks.size()));
            for (int i = 0; i < l->docks.size(); ++i) {
                QDockWidget* d = l->docks[i];
                QCOMPARE(d->objectName(), QString(l->spec.docks[size_t(i)].objectName));
                QCOMPARE(d->windowTitle(), QString(l->spec.docks[size_t(i)].title));
                QVERIFY(l->menu->actions().contains(d->toggleViewAction()));
                QVERIFY(w->viewMenu()->actions().contains(d->toggleViewAction()));
            }
        }
    }

    // Startup builds only the lesson it shows; the others are built the first time they are shown, and their
    // dock toggles are there before that (using one builds the lesson).
    void lessonsAreBuiltOnFirstShow() {
        auto w = makeWindow();
        QCOMPARE(w->currentLesson(), QString("transformer"));
        for (const auto& l : w->lessons()) QCOMPARE(l->lesson != nullptr, l->spec.id == "transformer");
        QVERIFY(!w->findChild<QDockWidget*>("beamDock"));
        QAction* beamToggle = nullptr;
        for (QAction* a : w->viewMenu()->actions())
            if (a->text() == "Beam search") beamToggle = a;
        QVERIFY(beamToggle);
        beamToggle->trigger();
        QVERIFY(w->lesson("decoding"));
        auto* beam = w->findChild<QDockWidget*>("beamDock");
        QVERIFY(beam);
        QVERIFY(w->viewMenu()->actions().contains(beam->toggleViewAction()));
        QVERIFY(!w->lesson("pixels"));
        QCOMPARE(w->currentLesson(), QString("transformer"));
    }

    // File -> Open model goes to the lesson that opens the model's family (built and shown if need be).
    void openModelGoesToItsLesson_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("lesson");
        QTest::newRow("text") << "toy-word.safetensors" << "transformer";
        QTest::newRow("image") << "pixelcnn-digits.safetensors" << "pixels";
        QTest::newRow("translator") << "zh-en-seq2seq.safetensors" << "translate";
    }
    void openModelGoesToItsLesson() {
        QFETCH(QString, file);
        QFETCH(QString, lesson);
        auto w = makeWindow();
        QCOMPARE(w->openModelFile(testutil::sourceFile("resources/models/") + file), QString());
        QCOMPARE(w->currentLesson(), lesson);
        QVERIFY(w->lesson(lesson));
    }

    // --help names every registered lesson (from the registry, before any window exists).
    void helpNamesEveryLesson() {
        auto w = makeWindow();
        StartupOptions opt;
        const ParseOutcome r = arlab::parseCommandLine({"arlab", "--help"}, &opt);
        QVERIFY(r.exit);
        for (const QString& name : w->lessonNames()) QVERIFY2(r.output.contains(name), qPrintable(name));
    }

    // The status bar names the text model (and the position) only in the lessons that use it.
    void statusBarShowsTextModelOnlyWhereUsed_data() {
        QTest::addColumn<QString>("lesson");
        QTest::addColumn<bool>("shown");
        QTest::newRow("transformer") << "transformer" << true;
        QTest::newRow("decoding") << "decoding" << true;
        QTest::newRow("pixels") << "pixels" << false;
        QTest::newRow("translate") << "translate" << false;
    }
    void statusBarShowsTextModelOnlyWhereUsed() {
        QFETCH(QString, lesson);
        QFETCH(bool, shown);
        auto w = makeWindow();
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.get()));
        auto modelLabel = [&w]() -> QLabel* {
            for (QLabel* l : w->statusBar()->findChildren<QLabel*>())
                if (l->text().startsWith("Model: ")) return l;
            return nullptr;
        };
        QVERIFY(modelLabel());
        QVERIFY(w->activateLesson(lesson));
        QCOMPARE(modelLabel()->isVisible(), shown);
        QVERIFY(w->activateLesson("transformer"));
        QVERIFY(modelLabel()->isVisible());
    }

    void parseCommandLine_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");   // -1: no exit, go on
        QTest::addColumn<QString>("message"); // part of stderr (or stdout for exit 0)
        QTest::newRow("nothing") << QStringList{} << -1 << "";
        QTest::newRow("help") << QStringList{"--help"} << 0 << "--screenshot";
        QTest::newRow("version") << QStringList{"--version"} << 0 << ARLAB_VERSION;
        QTest::newRow("size ok") << QStringList{"--size", "800x600"} << -1 << "";
        QTest::newRow("size zero") << QStringList{"--size", "0x0"} << 2 << "--size";
        QTest::newRow("size word") << QStringList{"--size", "abc"} << 2 << "WIDTHxHEIGHT";
        QTest::newRow("size half") << QStringList{"--size", "800x"} << 2 << "--size";
        QTest::newRow("size negative") << QStringList{"--size", "-800x600"} << 2 << "--size";
        QTest::newRow("size huge") << QStringList{"--size", "90000x600"} << 2 << "--size";
        QTest::newRow("size too many digits") << QStringList{"--size", "100000x100000"} << 2
                                              << "--size: width and height must be between 200 and 8000 pixels, got 100000x100000";
        QTest::newRow("size beyond int") << QStringList{"--size", "99999999999x600"} << 2 << "must be between 200 and 8000";
        QTest::newRow("lesson unknown") << QStringList{"--lesson", "nosuch"} << 2
                                        << "arlab: error: --lesson: unknown lesson 'nosuch'; choose one of: transformer, decoding, "
                                           "pixels, translate, limits, parallel\nTry 'arlab --help'.\n";
        QTest::newRow("screenshot png") << QStringList{"--screenshot", "x.png"} << -1 << "";
        QTest::newRow("screenshot jpg") << QStringList{"--screenshot", "x.JPG"} << -1 << "";
        QTest::newRow("screenshot txt") << QStringList{"--screenshot", "x.txt"} << 2
                                        << "--screenshot: 'x.txt': the file name must end in an image format's suffix: .";
        QTest::newRow("screenshot no suffix") << QStringList{"--screenshot", "shot"} << 2 << "--screenshot: 'shot': the file name must end";
        QTest::newRow("steps word") << QStringList{"--steps", "many"} << 2 << "--steps";
        QTest::newRow("steps negative") << QStringList{"--steps", "-3"} << 2 << "--steps";
        QTest::newRow("seed bad") << QStringList{"--seed", "x"} << 2 << "--seed";
        // The sampling options: the stage registry's, parsed as arlab-cli parses them (core/decoding/stageoptions.h).
        QTest::newRow("top-p out of range") << QStringList{"--top-p", "1.5"} << 2 << "arlab: error: --top-p: top-p must be in (0, 1], got 1.5\n";
        QTest::newRow("top-p bad number") << QStringList{"--top-p", "much"} << 2 << "arlab: error: --top-p: top-p must be a number, got 'much'\n";
        QTest::newRow("temperature out of range") << QStringList{"--temperature", "-1"} << 2
                                                  << "arlab: error: --temperature: temperature must be in [0, 100] (0 = greedy), got -1\n";
        QTest::newRow("top-k bad number") << QStringList{"--top-k=2.5"} << 2 << "arlab: error: --top-k: top-k must be a whole number, got '2.5'\n";
        QTest::newRow("min-p out of range") << QStringList{"--min-p", "1"} << 2 << "arlab: error: --min-p: min-p must be in [0, 1), got 1\n";
        QTest::newRow("window out of range") << QStringList{"--repetition-window", "-4"} << 2
                                             << "arlab: error: --repetition-window: repetition window must be in [0, 1048576], got -4\n";
        QTest::newRow("unknown sampling flag") << QStringList{"--top-q", "0.5"} << 2 << "arlab: error: Unknown option 'top-q'.\n";
        QTest::newRow("sampling options") << QStringList{"--top-p", "0.9", "--repetition-penalty=1.2", "--top-k", "7"} << -1 << "";
        QTest::newRow("model missing") << QStringList{"--model", "/no/such/file.safetensors"} << 2 << "does not exist";
        QTest::newRow("tokenizer without model") << QStringList{"--tokenizer", "/no/such/tokenizer.bin"} << 2 << "--tokenizer needs --model";
        QTest::newRow("tokenizer missing") << QStringList{"--model", ".", "--tokenizer", "/no/such/tokenizer.bin"} << 2 << "not a file";
        QTest::newRow("dock without screenshot") << QStringList{"--dock", "lens"} << 2 << "--dock goes with --screenshot";
        QTest::newRow("unknown option") << QStringList{"--frobnicate"} << 2 << "frobnicate";
        QTest::newRow("stray argument") << QStringList{"hello"} << 2 << "hello";
        QTest::newRow("missing value") << QStringList{"--screenshot"} << 2 << "screenshot";
    }
    void parseCommandLine() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        StartupOptions opt;
        const ParseOutcome r = arlab::parseCommandLine(QStringList{"arlab"} + args, &opt);
        QCOMPARE(r.exit ? r.exitCode : -1, exitCode);
        if (exitCode == 2) QVERIFY2(r.error.contains(message), qPrintable(r.error));
        if (exitCode == 0) QVERIFY2(r.output.contains(message), qPrintable(r.output));
    }

    // The sampling options given: (knob key, value) in the registry's order, each as its knob holds it.
    void samplingOptionsGiveTheKnobs() {
        StartupOptions opt;
        const ParseOutcome r =
            arlab::parseCommandLine({"arlab", "--top-p", "0.9", "--repetition-penalty=1.2", "--top-k", "7", "--temperature", "0"}, &opt);
        QVERIFY2(!r.exit, qPrintable(r.error));
        const std::vector<std::pair<std::string, double>> want{{"repetition_penalty", 1.2}, {"temperature", 0.0}, {"top_k", 7.0}, {"top_p", 0.9}};
        QVERIFY(opt.samplerKnobs == want);
    }

    // --help lists every knob of the stage registry, with its value name and default (as arlab-cli's --help).
    void helpListsEverySamplingOption() {
        StartupOptions opt;
        const QString help = arlab::parseCommandLine({"arlab", "--help"}, &opt).output;
        QCOMPARE(int(ar::stageOptions().size()), 6);
        for (const ar::StageOption& o : ar::stageOptions()) {
            QVERIFY2(help.contains(QString("--%1 <%2>").arg(QString::fromStdString(o.name), QString::fromStdString(o.valueName))),
                     qPrintable(help));
            QVERIFY2(help.simplified().contains(QString::fromStdString(o.help).simplified()), o.name.c_str());
        }
    }

    void screenshotWritesPng() {
        QTemporaryDir dir;
        const QString file = dir.filePath("shot.png");
        QString err;
        QCOMPARE(runGui({"--screenshot", file, "--size", "1280x800", "--steps", "3"}, &err), 0);
        QImage img(file);
        QVERIFY2(!img.isNull(), qPrintable(err));
        QCOMPARE(img.size(), QSize(1280, 800));
        // Not blank: many distinct colours (docks, chips, plots).
        QSet<QRgb> colours;
        for (int y = 0; y < img.height(); y += 7)
            for (int x = 0; x < img.width(); x += 7) colours.insert(img.pixel(x, y));
        QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
    }

    // The screenshot is written in the format its suffix names (shot.jpg is a JPEG file, not PNG data); a suffix
    // no image format has is refused before the window is made, and nothing is written.
    void screenshotWritesTheFormatItsSuffixNames_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("format");
        QTest::newRow("png") << "shot.png" << QByteArray("png");
        QTest::newRow("jpg") << "shot.jpg" << QByteArray("jpeg");
        QTest::newRow("bmp") << "shot.bmp" << QByteArray("bmp");
    }
    void screenshotWritesTheFormatItsSuffixNames() {
        QFETCH(QString, name);
        QFETCH(QByteArray, format);
        QTemporaryDir dir;
        const QString file = dir.filePath(name);
        QString err;
        QCOMPARE(runGui({"--screenshot", file, "--size", "1280x800"}, &err), 0);
        QImageReader reader(file);
        reader.setDecideFormatFromContent(true);
        QCOMPARE(reader.format(), format);
        QCOMPARE(reader.read().size(), QSize(1280, 800));
    }
    void screenshotRefusesAnUnknownSuffix() {
        QTemporaryDir dir;
        const QString file = dir.filePath("shot.txt");
        QString err;
        QCOMPARE(runGui({"--screenshot", file}, &err), 2);
        QVERIFY2(err.contains("the file name must end in an image format's suffix: .") && err.contains(".png") &&
                     err.contains(".jpg") && err.contains("Try 'arlab --help'."),
                 qPrintable(err));
        QVERIFY(!QFile::exists(file));
    }

    void guiHelpAndVersion_data() {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QStringList>("expect");  // each must appear on stdout
        QTest::newRow("help") << "--help"
                              << QStringList{"--lesson", "--model", "--prompt", "--steps", "--screenshot", "--size", "--version"};
        QTest::newRow("version") << "--version" << QStringList{QStringLiteral("arlab " ARLAB_VERSION)};
    }
    void guiHelpAndVersion() {
        QFETCH(QString, option);
        QFETCH(QStringList, expect);
        QString err, out;
        QCOMPARE(runGui({option}, &err, &out), 0);
        for (const QString& e : expect) QVERIFY2(out.contains(e), qPrintable(out));
    }

    void guiRejectsBadValues_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("size 0x0") << QStringList{"--size", "0x0"} << "--size";
        QTest::newRow("size abc") << QStringList{"--size", "abc"} << "--size";
        QTest::newRow("lesson") << QStringList{"--lesson", "astrology"} << "transformer";
        QTest::newRow("lesson: try --help") << QStringList{"--lesson", "astrology"} << "parallel\nTry 'arlab --help'.\n";
        QTest::newRow("size 100000x100000") << QStringList{"--size", "100000x100000"} << "must be between 200 and 8000";
        QTest::newRow("prompt") << QStringList{"--prompt", "the zebra"} << "zebra";
        QTest::newRow("corrupt model") << QStringList{"--model", testutil::sourceFile("README.md")} << "--model";
        QTest::newRow("top-p 0") << QStringList{"--top-p", "0"} << "arlab: error: --top-p: top-p must be in (0, 1], got 0\n";
    }
    void guiRejectsBadValues() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString file = dir.filePath("shot.png");
        QString err;
        QCOMPARE(runGui(args + QStringList{"--screenshot", file}, &err), 2);
        QVERIFY2(err.contains(message), qPrintable(err));
        QVERIFY(!QFile::exists(file));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
