#include "app/gui/startup.h"

#include "app/gui/dockexport.h"
#include "app/gui/generationcontroller.h"
#include "app/gui/language.h"
#include "app/gui/lesson.h"
#include "app/gui/mainwindow.h"
#include "app/gui/realmodeldocks.h"
#include "app/gui/presentation.h"
#include "app/gui/quizcontroller.h"
#include "app/gui/sessioncontroller.h"
#include "core/decoding/stageoptions.h"
#include "widgets/attentionview.h"
#include "widgets/quizview.h"
#include "widgets/viewexport.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QFileInfo>
#include <QFontDatabase>
#include <QIcon>
#include <QImageWriter>
#include <QPixmap>
#include <QRegularExpression>
#include <QStatusBar>
#include <QTextStream>
#include <QTimer>
#include <qcustomplot.h>

#include <cstdio>

namespace arlab {

static void setApplicationNames() {
    QCoreApplication::setOrganizationName(QStringLiteral("arlab"));
    QCoreApplication::setApplicationName(QStringLiteral("arlab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ARLAB_VERSION));
}

bool onlyPrints(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        if (a == "--help" || a == "-h" || a == "-?" || a == "--help-all" || a == "--version" || a == "-v") return true;
    }
    return false;
}

int runPrintOnly(QCoreApplication& app) {
    Q_UNUSED(app);
    setApplicationNames();
    StartupOptions opt;
    const ParseOutcome parsed = parseCommandLine(QCoreApplication::arguments(), &opt);
    fputs(qPrintable(parsed.output), stdout);
    fputs(qPrintable(parsed.error), stderr);
    return parsed.exitCode;
}

void setupApplication(QApplication& app) {
    setApplicationNames();
    QGuiApplication::setDesktopFileName(QStringLiteral("org.arlab.arlab"));   // packaging/: the .desktop file
    app.setWindowIcon(QIcon(QStringLiteral(":/icons/arlab.svg")));
    // Chinese (the translation lesson, character models) needs a CJK face; WenQuanYi Micro Hei ships with
    // the Debian package list in arlab.sh. Put it behind the default family so Latin text keeps its look.
    QFont font = app.font();
    QStringList families = font.families();
    if (families.isEmpty()) families << font.family();
    for (const QString& cjk : {QStringLiteral("WenQuanYi Micro Hei"), QStringLiteral("Noto Sans CJK SC")})
        if (!families.contains(cjk) && QFontDatabase::families().contains(cjk)) families << cjk;
    font.setFamilies(families);
    if (font.pointSizeF() > 0 && font.pointSizeF() < 10) font.setPointSizeF(10);
    app.setFont(font);
}

// The image format a screenshot is written in: the one its suffix names (shot.jpg: JPEG), empty if Qt cannot write it.
static QByteArray screenshotFormat(const QString& path) {
    const QByteArray suffix = QFileInfo(path).suffix().toLower().toLatin1();
    return QImageWriter::supportedImageFormats().contains(suffix) ? suffix : QByteArray();
}

bool parseSize(const QString& text, QSize* size, QString* error) {
    static const QRegularExpression re(QStringLiteral("^(\\d+)[xX](\\d+)$"));
    const auto m = re.match(text.trimmed());
    if (!m.hasMatch()) {
        *error = QStringLiteral("--size: expected WIDTHxHEIGHT, e.g. 1600x1000, got '%1'").arg(text);
        return false;
    }
    // Any number of digits is a size; one too large for an int is out of range like any other above 8000.
    bool okW = false, okH = false;
    const int w = m.captured(1).toInt(&okW), h = m.captured(2).toInt(&okH);
    if (!okW || !okH || w < 200 || h < 200 || w > 8000 || h > 8000) {
        *error = QStringLiteral("--size: width and height must be between 200 and 8000 pixels, got %1x%2")
                     .arg(m.captured(1), m.captured(2));
        return false;
    }
    *size = QSize(w, h);
    return true;
}

ParseOutcome parseCommandLine(const QStringList& args, StartupOptions* options) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("arlab: a lab for autoregressive models (Transformer, RNN, PixelCNN, MADE), one token at a time."));
    const QCommandLineOption helpOpt = parser.addHelpOption();
    const QCommandLineOption versionOpt = parser.addVersionOption();
    // The lessons come from the registry (app/gui/lesson.h): every registered lesson is listed, with its title.
    QStringList lessonLines;
    for (const LessonSpec& l : LessonRegistry::all()) {
        QString line = QStringLiteral("  %1: %2").arg(l.id, l.translatedTitle());
        if (*l.summary) line += QStringLiteral(", ") + QCoreApplication::translate("arlab::Lesson", l.summary);
        lessonLines << line;
    }
    const QCommandLineOption lessonOpt(QStringLiteral("lesson"),
                                       QStringLiteral("Start in lesson <name>, one of:\n%1").arg(lessonLines.join('\n')),
                                       QStringLiteral("name"));
    const QCommandLineOption modelOpt(QStringLiteral("model"),
                                      QStringLiteral("Open the model <path>: an arlab .safetensors, a GPT-2 folder (Hugging Face "
                                                     "layout) or a llama2.c .bin checkpoint."),
                                      QStringLiteral("path"));
    const QCommandLineOption tokenizerOpt(QStringLiteral("tokenizer"),
                                          QStringLiteral("With --model of a llama2.c checkpoint: its tokenizer <file> (default: "
                                                         "the tokenizer.bin next to it)."),
                                          QStringLiteral("file"));
    const QCommandLineOption promptOpt(QStringLiteral("prompt"), QStringLiteral("Start generating from <text>."),
                                       QStringLiteral("text"));
    const QCommandLineOption seedOpt(QStringLiteral("seed"), QStringLiteral("Seed of the sampler's draws (default 0)."),
                                     QStringLiteral("s"));
    const QCommandLineOption stepsOpt(QStringLiteral("steps"), QStringLiteral("Take <n> steps (tokens, pixels) at start."),
                                      QStringLiteral("n"));
    const QCommandLineOption shotOpt(QStringLiteral("screenshot"),
                                     QStringLiteral("Render the window to <file> and exit (works offscreen); its suffix names the format "
                                                    "(.png, .jpg, .bmp, ...)."),
                                     QStringLiteral("file"));
    const QCommandLineOption dockOpt(QStringLiteral("dock"),
                                     QStringLiteral("Show the dock <name> (e.g. tokenizer, lens, quiz: docks hidden by default) "
                                                    "for --screenshot; may be repeated."),
                                     QStringLiteral("name"));
    const QCommandLineOption sizeOpt(QStringLiteral("size"), QStringLiteral("Window size WxH (default 1600x1000)."),
                                     QStringLiteral("WxH"));
    const QCommandLineOption langOpt(QStringLiteral("lang"),
                                     QStringLiteral("Language of the window: en or zh_CN (default: View > Language, else the system's)."),
                                     QStringLiteral("code"));
    const QCommandLineOption presentOpt(QStringLiteral("presentation"),
                                        QStringLiteral("Start in presentation mode (large fonts, thick lines, high contrast; F5)."));
    const QCommandLineOption allHeadsOpt(QStringLiteral("all-heads"),
                                         QStringLiteral("Attention dock: show every layer and head at once (the all-heads grid)."));
    const QCommandLineOption exportOpt(QStringLiteral("export"),
                                       QStringLiteral("Export the dock <name> (e.g. attention, nextToken, beam) to --out and exit (works offscreen)."),
                                       QStringLiteral("name"));
    const QCommandLineOption outOpt(QStringLiteral("out"), QStringLiteral("File for --export: .png, .svg or .csv."),
                                    QStringLiteral("file"));
    const QCommandLineOption scaleOpt(QStringLiteral("scale"), QStringLiteral("PNG scale for --export, 1 to 4 (default 1)."),
                                      QStringLiteral("s"));
    const QCommandLineOption sessionOpt(QStringLiteral("session"),
                                        QStringLiteral("Open the saved session <file> (.arlab, File > Save session): its lesson, "
                                                       "model, prompt, branches, settings, layout and quiz."),
                                        QStringLiteral("file"));
    const QCommandLineOption quizOpt(QStringLiteral("quiz"),
                                     QStringLiteral("Play a prediction quiz round with these answers and show the Quiz dock (for "
                                                    "slides): comma-separated, a word puts 100 points on it, "
                                                    "WORD:POINTS+WORD:POINTS spreads them, e.g. \"likes,the,cat:60+dog:40\"."),
                                     QStringLiteral("answers"));
    parser.addOptions({lessonOpt, modelOpt, tokenizerOpt, promptOpt, seedOpt, stepsOpt, shotOpt, dockOpt, sizeOpt,
                       exportOpt, outOpt, scaleOpt, langOpt, presentOpt, sessionOpt, quizOpt, allHeadsOpt});
    // The sampler stages' knobs, as arlab-cli has them (core/decoding/stageoptions.h).
    for (const ar::StageOption& o : ar::stageOptions())
        parser.addOption(QCommandLineOption(QString::fromStdString(o.name), QString::fromStdString(o.help), QString::fromStdString(o.valueName)));

    ParseOutcome out;
    auto fail = [&out](const QString& message) {
        out.exit = true;
        out.exitCode = 2;
        out.error = QStringLiteral("arlab: error: %1\nTry 'arlab --help'.\n").arg(message);
        return out;
    };
    if (!parser.parse(args)) return fail(parser.errorText());
    if (parser.isSet(helpOpt)) {
        out.exit = true;
        out.output = parser.helpText();
        return out;
    }
    if (parser.isSet(versionOpt)) {
        out.exit = true;
        out.output = QStringLiteral("arlab %1 (Qt %2)\n").arg(QStringLiteral(ARLAB_VERSION), QString::fromLatin1(qVersion()));
        return out;
    }
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
    options->lesson = parser.value(lessonOpt);
    options->model = parser.value(modelOpt);
    options->screenshot = parser.value(shotOpt);
    options->docks = parser.values(dockOpt);
    if (!options->docks.isEmpty() && !parser.isSet(shotOpt)) return fail(QStringLiteral("--dock goes with --screenshot FILE"));
    options->prompt = parser.value(promptOpt);
    options->promptGiven = parser.isSet(promptOpt);
    if (parser.isSet(lessonOpt) && options->lesson.trimmed().isEmpty()) return fail(QStringLiteral("--lesson: empty name"));
    if (parser.isSet(modelOpt) && !QFileInfo::exists(options->model))
        return fail(QStringLiteral("--model: '%1' does not exist").arg(options->model));
    options->tokenizer = parser.value(tokenizerOpt);
    if (parser.isSet(tokenizerOpt) && !parser.isSet(modelOpt)) return fail(QStringLiteral("--tokenizer needs --model"));
    if (parser.isSet(tokenizerOpt) && !QFileInfo(options->tokenizer).isFile())
        return fail(QStringLiteral("--tokenizer: '%1' is not a file").arg(options->tokenizer));
    options->quiz = parser.value(quizOpt);
    if (parser.isSet(quizOpt) && options->quiz.trimmed().isEmpty()) return fail(QStringLiteral("--quiz: no answers"));
    options->session = parser.value(sessionOpt);
    if (parser.isSet(sessionOpt) && !QFileInfo(options->session).isFile())
        return fail(QStringLiteral("--session: '%1' is not a file").arg(options->session));
    if (parser.isSet(shotOpt) && options->screenshot.trimmed().isEmpty())
        return fail(QStringLiteral("--screenshot: empty file name"));
    if (parser.isSet(shotOpt) && screenshotFormat(options->screenshot).isEmpty()) {
        QStringList formats;
        for (const QByteArray& f : QImageWriter::supportedImageFormats()) formats << QString::fromLatin1(f);
        return fail(QStringLiteral("--screenshot: '%1': the file name must end in an image format's suffix: .%2")
                        .arg(options->screenshot, formats.join(QStringLiteral(", ."))));
    }
    if (parser.isSet(lessonOpt) && !LessonRegistry::find(options->lesson))
        return fail(QStringLiteral("--lesson: unknown lesson '%1'; choose one of: %2")
                        .arg(options->lesson, LessonRegistry::ids().join(QStringLiteral(", "))));
    if (parser.isSet(stepsOpt)) {
        bool ok = false;
        const int n = parser.value(stepsOpt).toInt(&ok);
        if (!ok || n < 0 || n > 10000)
            return fail(QStringLiteral("--steps: expected a whole number from 0 to 10000, got '%1'").arg(parser.value(stepsOpt)));
        options->steps = n;
    }
    if (parser.isSet(seedOpt)) {
        bool ok = false;
        const qint64 seed = parser.value(seedOpt).toLongLong(&ok);
        if (!ok || seed < 0)
            return fail(QStringLiteral("--seed: expected a whole number >= 0, got '%1'").arg(parser.value(seedOpt)));
        options->seed = seed;
    }
    try {
        options->samplerKnobs = ar::readStageOptions([&parser](const std::string& name) -> std::optional<std::string> {
            const QString option = QString::fromStdString(name);
            if (!parser.isSet(option)) return std::nullopt;
            return parser.value(option).toStdString();
        });
    } catch (const std::exception& e) {
        return fail(QString::fromStdString(e.what()));
    }
    if (parser.isSet(sizeOpt)) {
        QString error;
        if (!parseSize(parser.value(sizeOpt), &options->size, &error)) return fail(error);
        options->sizeGiven = true;
    }
    options->presentation = parser.isSet(presentOpt);
    options->allHeads = parser.isSet(allHeadsOpt);
    if (parser.isSet(langOpt)) {
        options->language = Language::resolve(parser.value(langOpt));
        if (options->language.isEmpty() || parser.value(langOpt).trimmed().isEmpty())
            return fail(QStringLiteral("--lang: unknown language '%1'; choose %2")
                            .arg(parser.value(langOpt), Language::codes().join(QStringLiteral(" or "))));
    }
    if (parser.isSet(exportOpt) || parser.isSet(outOpt) || parser.isSet(scaleOpt)) {
        options->exportDock = parser.value(exportOpt).trimmed();
        options->exportOut = parser.value(outOpt);
        if (!parser.isSet(exportOpt)) return fail(QStringLiteral("--out and --scale go with --export DOCK"));
        if (options->exportDock.isEmpty()) return fail(QStringLiteral("--export: empty dock name"));
        if (options->exportOut.trimmed().isEmpty()) return fail(QStringLiteral("--export needs --out FILE.png|svg|csv"));
        ExportFormat format;
        if (!exportFormatFor(options->exportOut, &format))
            return fail(QStringLiteral("--out: '%1' must end in .png, .svg or .csv").arg(options->exportOut));
        if (parser.isSet(shotOpt)) return fail(QStringLiteral("--export and --screenshot cannot be used together"));
        if (parser.isSet(scaleOpt)) {
            bool ok = false;
            const double scale = parser.value(scaleOpt).toDouble(&ok);
            if (!ok || !(scale >= 1) || scale > 4)
                return fail(QStringLiteral("--scale: expected a number from 1 to 4, got '%1'").arg(parser.value(scaleOpt)));
            if (format != ExportFormat::Png) return fail(QStringLiteral("--scale applies to PNG files only"));
            options->exportScale = scale;
        }
    }
    return out;
}

void layOutOffscreen(MainWindow& window, QSize size, bool keepLayout) {
    window.fitDocks(size);   // the screen is `size`
    window.setAttribute(Qt::WA_DontShowOnScreen, true);
    window.resize(size);
    window.show();
    QCoreApplication::processEvents();
    if (!keepLayout) window.resetLayout();   // dock sizes for this window size (the default arrangement)
    // Again: the window may have grown to fit docks that the default arrangement has just hidden (a lesson's
    // --steps shows one view alone), and it never shrinks back by itself.
    QCoreApplication::processEvents();
    window.resize(size);
    window.statusBar()->clearMessage();
    for (int i = 0; i < 3; ++i) QCoreApplication::processEvents();
    for (QCustomPlot* plot : window.findChildren<QCustomPlot*>())
        if (plot->isVisible()) plot->replot(QCustomPlot::rpImmediateRefresh);
    QCoreApplication::processEvents();
}

bool saveScreenshot(MainWindow& window, QSize size, const QString& path, QString* error, bool keepLayout) {
    layOutOffscreen(window, size, keepLayout);
    if (window.size() != size) {   // the docks shown do not fit: the window is as small as they allow
        const QSize min = window.minimumSizeHint().expandedTo(window.minimumSize());
        fprintf(stderr, "arlab: note: the docks shown need at least %dx%d; the screenshot is %dx%d instead of %dx%d\n",
                min.width(), min.height(), window.width(), window.height(), size.width(), size.height());
    }
    const QPixmap pixmap = window.grab();
    if (pixmap.isNull()) {
        *error = QStringLiteral("--screenshot: the window could not be rendered");
        return false;
    }
    QImageWriter writer(path, screenshotFormat(path));
    if (!writer.write(pixmap.toImage())) {
        *error = QStringLiteral("--screenshot: cannot write '%1': %2").arg(path, writer.errorString());
        return false;
    }
    return true;
}

QString playQuiz(MainWindow& window, const QString& answers, QDockWidget** dock) {
    window.activateLesson(QStringLiteral("transformer"));
    auto* ctl = window.findChild<QuizController*>();
    *dock = window.findChild<QDockWidget*>(QStringLiteral("quizDock"));
    const ar::DecodingSession* s = window.generation()->session();
    if (!ctl || !*dock || !s) return QStringLiteral("the Transformer lesson has no model to quiz");
    (*dock)->show();
    const QStringList list = answers.split(QLatin1Char(','), Qt::SkipEmptyParts);
    ctl->newRound(std::max<int>(int(list.size()), (*dock)->findChild<QuizView*>()->roundLength()));
    for (const QString& answer : list) {
        ar::QuizGuess guess;
        for (const QString& part : answer.split(QLatin1Char('+'))) {
            const QString word = part.section(QLatin1Char(':'), 0, 0).trimmed();
            const int id = s->model().tokenizer().id(word.toStdString());
            if (id < 0) return QStringLiteral("'%1' is not in the model's vocabulary").arg(word);
            bool ok = true;
            const int points = part.contains(QLatin1Char(':')) ? part.section(QLatin1Char(':'), 1).trimmed().toInt(&ok) : ar::kQuizPoints;
            if (!ok) return QStringLiteral("'%1': expected WORD:POINTS").arg(part);
            guess.points.emplace_back(id, points);
        }
        try {
            guess.validate(s->model().vocabSize());
        } catch (const std::exception& e) {
            return QStringLiteral("'%1': %2").arg(answer, QString::fromStdString(e.what()));
        }
        ctl->ask();
        if (!ctl->answer(guess)) return QStringLiteral("the text cannot go on after %1 answers").arg(ctl->round().steps().size());
        s = window.generation()->session();
    }
    return {};
}

namespace {
QStringList& rememberedArguments() {
    static QStringList args;
    return args;
}
}  // namespace

void rememberArguments(int argc, char** argv) {
    rememberedArguments().clear();
    for (int i = 0; i < argc; ++i) rememberedArguments() << QString::fromLocal8Bit(argv[i]);
}

int runArlab(QApplication& app) {
    setupApplication(app);
    StartupOptions opt;
    const QStringList args = rememberedArguments().isEmpty() ? QCoreApplication::arguments() : rememberedArguments();
    const ParseOutcome parsed = parseCommandLine(args, &opt);
    if (parsed.exit) {
        fputs(qPrintable(parsed.output), stdout);
        fputs(qPrintable(parsed.error), stderr);
        return parsed.exitCode;
    }
    Language::instance().apply(Language::startupChoice(opt.language));
    const bool shot = !opt.screenshot.isEmpty();
    const bool exporting = !opt.exportDock.isEmpty();
    MainWindow::Options wopt;
    wopt.persistLayout = !shot && !exporting;
    wopt.lesson = opt.lesson;
    auto fail = [](const QString& message) {
        fprintf(stderr, "arlab: error: %s\n", qPrintable(message));
        return 2;
    };
    MainWindow window(wopt);   // builds only the lesson it shows first
    if (opt.presentation)
        if (auto* mode = window.findChild<PresentationMode*>()) mode->setOn(true);
    if (!opt.session.isEmpty()) {
        const QString error = window.sessions()->openFrom(opt.session);
        if (!error.isEmpty()) return fail(QStringLiteral("--session: %1").arg(error));
    } else if (!shot && !exporting) {
        QTimer::singleShot(0, window.sessions(), &SessionController::offerRestore);   // after a crash: offer the autosave
    }
    if (!opt.model.isEmpty()) {
        const QString error = window.openModelFile(opt.model, opt.tokenizer);
        if (!error.isEmpty()) return fail(QStringLiteral("--model: %1").arg(error));
    }
    {
        ar::SamplerSettings settings = window.generation()->settings();
        if (opt.seed >= 0) settings.seed = uint64_t(opt.seed);
        for (const auto& [key, value] : opt.samplerKnobs) settings.setKnob(key, value);
        try {
            window.generation()->setSettings(settings);
        } catch (const std::exception& e) {
            return fail(QString::fromStdString(e.what()));
        }
    }
    if (opt.promptGiven) {
        window.ensureTextModel();
        window.generation()->setPrompt(opt.prompt);
        if (!window.generation()->session())
            return fail(QStringLiteral("--prompt: %1").arg(window.generation()->promptError()));
    }
    if (opt.steps > 0 && !window.runSteps(opt.steps))
        return fail(QStringLiteral("--steps: the %1 lesson has nothing to step").arg(window.currentLesson()));
    if (opt.allHeads)
        for (AttentionView* view : window.findChildren<AttentionView*>()) view->setAllHeads(true);
    QDockWidget* quizDock = nullptr;
    if (!opt.quiz.isEmpty()) {
        const QString error = playQuiz(window, opt.quiz, &quizDock);
        if (!error.isEmpty()) return fail(QStringLiteral("--quiz: %1").arg(error));
    }
    if (shot) {
        QString error;
        bool keep = !opt.session.isEmpty();
        if (quizDock && !keep) {   // the default layout, then the Quiz dock (hidden by default) shown in it
            layOutOffscreen(window, opt.size);
            quizDock->show();
            for (int i = 0; i < 3; ++i) QCoreApplication::processEvents();   // it takes its place (a queued tabify)
            keep = true;
        }
        if (!opt.docks.isEmpty()) {   // the default layout, then the docks asked for shown in it
            if (!keep) layOutOffscreen(window, opt.size);
            for (const QString& name : opt.docks) {
                QDockWidget* dock = DockExporter::findDock(&window, name);
                if (!dock) return fail(QStringLiteral("--dock: no dock '%1' in the %2 lesson").arg(name, window.currentLesson()));
                dock->show();
                dock->raise();
            }
            for (int i = 0; i < 3; ++i) QCoreApplication::processEvents();
            for (LensController* lens : window.findChildren<LensController*>()) lens->waitForIdle(60000);   // its background job
            keep = true;
        }
        if (!saveScreenshot(window, opt.size, opt.screenshot, &error, keep)) {
            fprintf(stderr, "arlab: error: %s\n", qPrintable(error));
            return 1;
        }
        return 0;
    }
    if (exporting) {
        QDockWidget* dock = DockExporter::findDock(&window, opt.exportDock);
        if (!dock) {   // a dock of a lesson not built yet: build the lesson that declares it
            for (const LessonSpec& spec : LessonRegistry::all())
                for (const DockSpec& d : spec.docks)
                    if (!dock && (!opt.exportDock.compare(QLatin1String(d.objectName), Qt::CaseInsensitive) ||
                                  !(opt.exportDock + QLatin1String("Dock")).compare(QLatin1String(d.objectName), Qt::CaseInsensitive) ||
                                  !opt.exportDock.compare(spec.dockTitle(QLatin1String(d.objectName)), Qt::CaseInsensitive))) {
                        window.buildLesson(spec.id);
                        dock = DockExporter::findDock(&window, QLatin1String(d.objectName));
                    }
        }
        if (!dock) {
            QStringList names;
            for (const LessonSpec& spec : LessonRegistry::all())
                for (const DockSpec& d : spec.docks) names << QLatin1String(d.objectName);
            return fail(QStringLiteral("--export: no dock '%1'; docks: %2").arg(opt.exportDock, names.join(QStringLiteral(", "))));
        }
        layOutOffscreen(window, opt.size);
        if (dock->isHidden()) {   // a dock of another lesson, or one hidden by default: show it where it belongs
            dock->show();
            for (int i = 0; i < 3; ++i) QCoreApplication::processEvents();
            for (LensController* lens : window.findChildren<LensController*>()) lens->waitForIdle(60000);   // its background job
            for (QCustomPlot* plot : dock->findChildren<QCustomPlot*>()) plot->replot(QCustomPlot::rpImmediateRefresh);
        }
        const QString error = DockExporter::exportDock(dock, opt.exportOut, opt.exportScale);
        if (!error.isEmpty()) {
            fprintf(stderr, "arlab: error: --export: %s\n", qPrintable(error));
            return 1;
        }
        return 0;
    }
    if (opt.sizeGiven) window.resize(opt.size);
    window.show();
    return app.exec();
}

}  // namespace arlab
