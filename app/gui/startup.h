#pragma once
// The arlab command line and what main() does with it (kept here, in arapp, so tests can call it).
//
//   arlab [--lesson NAME] [--model PATH [--tokenizer FILE]] [--prompt TEXT] [--seed S]
//         [--steps N] [--screenshot FILE [--size WxH]] [--export DOCK --out FILE.png|svg|csv [--scale S]]
//         [--session FILE.arlab] [--quiz ANSWERS] [--temperature T] [--top-k K] [--top-p P] ...
//
// The sampling options (--temperature T, --top-k K, ..., one per knob of the sampler stages) come from the stage
// registry through the code path arlab-cli uses (core/decoding/stageoptions.h), with the knob's message on a bad
// value ("--top-p: top-p must be in (0, 1], got 1.5").
//
// --screenshot renders the window offscreen (works with QT_QPA_PLATFORM=offscreen) after --lesson, --model
// and --steps are applied, writes a PNG and exits. It uses the default layout (never the user's saved one)
// so screenshots are reproducible. --export does the same for one dock (app/gui/dockexport.h): PNG (at
// --scale 1..4), SVG or CSV by the suffix of --out. Bad values print a specific message on stderr and exit
// with code 2.
#include <QSize>
#include <QString>
#include <QStringList>

#include <string>
#include <utility>
#include <vector>

class QApplication;
class QCoreApplication;
class QDockWidget;

namespace arlab {

class MainWindow;

struct StartupOptions {
    QString lesson;
    QString model;
    QString tokenizer;      // --tokenizer: a llama2.c tokenizer.bin for --model
    QString session;       // --session FILE.arlab: opened at start (app/gui/sessioncontroller.h)
    QStringList docks;     // --dock NAME (repeatable): shown before --screenshot
    QString quiz;          // --quiz ANSWERS: a quiz round played with these answers (slides, screenshots)
    QString prompt;
    bool promptGiven = false;
    QString screenshot;
    int steps = 0;
    qint64 seed = -1;      // -1: keep the default
    std::vector<std::pair<std::string, double>> samplerKnobs;   // the sampling options given: (knob key, value)
    bool presentation = false;   // --presentation: start in presentation mode (F5)
    bool allHeads = false;       // --all-heads: the Attention dock shows every layer and head (the grid)
    QString language;      // --lang: "en" | "zh_CN" ("" = the saved choice or the system locale)
    QString exportDock;    // --export: dock name (objectName with or without "Dock", or title)
    QString exportOut;
    double exportScale = 1;
    QSize size{1600, 1000};
    bool sizeGiven = false;
};

struct ParseOutcome {
    bool exit = false;      // true: print `output` (stdout) or `error` (stderr) and exit with exitCode
    int exitCode = 0;
    QString output;
    QString error;
};

// Application name, organisation (QSettings "arlab"/"arlab"), version, fonts (CJK fallback), icon.
void setupApplication(QApplication& app);
// Parses arguments (args[0] = program). Handles --help and --version (exit 0) and bad values (exit 2).
ParseOutcome parseCommandLine(const QStringList& args, StartupOptions* options);
// Parses "WxH" (each 200..8000); false with a message otherwise.
bool parseSize(const QString& text, QSize* size, QString* error);
// Shows `window` offscreen at `size` in the current lesson's default layout (or the layout it has, with
// keepLayout: a restored session), plots replotted.
void layOutOffscreen(MainWindow& window, QSize size, bool keepLayout = false);
// Renders `window` at `size` and writes a PNG to `path` (docks laid out, plots replotted first).
bool saveScreenshot(MainWindow& window, QSize size, const QString& path, QString* error, bool keepLayout = false);
// --quiz: plays a quiz round in the Transformer lesson with `answers` ("likes,the,cat:60+dog:40") and shows
// the Quiz dock (*dock); "" or the error (a word not in the vocabulary, points that do not add up to 100).
QString playQuiz(MainWindow& window, const QString& answers, QDockWidget** dock);
// The command line as main() got it, before QApplication takes the arguments it knows for itself (it consumes
// "--session ID", X11 session management): call before constructing QApplication.
void rememberArguments(int argc, char** argv);
// The whole of main(): returns the exit code.
int runArlab(QApplication& app);
// True when the arguments ask only for --help or --version (answered without a GUI platform by runPrintOnly).
bool onlyPrints(int argc, char** argv);
int runPrintOnly(QCoreApplication& app);

}  // namespace arlab
