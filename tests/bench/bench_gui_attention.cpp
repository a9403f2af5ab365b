// The Attention dock at real scale, in the real window offscreen (issue #13's and #11's targets):
//   a random GPT-2-layout folder (12 layers x 12 heads, small width and vocabulary so that the model is cheap and
//   the view's cost is what is measured) opened with File > Open model's code path, a long prompt, then
//   1. opening the all-heads grid (the "All heads" box ticked -> the maps on screen painted), each time on fresh
//      rows (a new prompt, so nothing is cached), and scrolling once through all 144 maps;
//   2. Space with the grid open (step -> every visible dock updated and painted), p50/p95;
//   at ~1024 tokens and at ~256 tokens.
//   QT_QPA_PLATFORM=offscreen build/tests/bench/bench_gui_attention [N_EMBD (48) [DIR: keep the model in DIR/gpt2-12x12]]
#include "app/gui/generationcontroller.h"
#include "widgets/generationdock.h"
#include "app/gui/mainwindow.h"
#include "tests/realmodelfiles.h"
#include "widgets/attentionview.h"

#include "tests/bench/benchutil.h"

#include <QApplication>
#include <QCheckBox>
#include <QDockWidget>
#include <QScrollArea>
#include <QScrollBar>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

using Clock = std::chrono::steady_clock;
using namespace arlab;

namespace {

using benchutil::ms;
using benchutil::pct;

void settle() {
    for (int i = 0; i < 3; ++i) QCoreApplication::processEvents();
}

void report(const char* what, const std::vector<double>& v) {
    std::printf("%-66s n=%3zu  p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms\n", what, v.size(), pct(v, 50), pct(v, 95),
                v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()));
}

// A prompt of exactly `tokens` tokens for the model's tokenizer (random lowercase words; variant picks the words).
QString promptOf(const ar::Tokenizer& tok, int tokens, int variant) {
    std::mt19937 rng(unsigned(variant) + 1);
    std::string text;
    while (int(tok.encode(text).ids.size()) < tokens) {
        text += char('a' + rng() % 26);
        if (rng() % 5 == 0) text += ' ';
    }
    while (!text.empty() && int(tok.encode(text).ids.size()) > tokens) text.pop_back();
    return QString::fromStdString(text);
}

void measure(MainWindow& win, int promptTokens, int steps) {
    GenerationController* gen = win.generation();
    auto* view = win.findChild<AttentionView*>();
    auto* dock = win.findChild<GenerationDock*>();
    auto* allBox = view->findChild<QCheckBox*>();
    const ar::Tokenizer& tok = gen->model()->tokenizer();
    std::vector<double> open, scroll;
    int shown = 0;
    for (int rep = 0; rep < 5; ++rep) {
        view->setAllHeads(false);
        gen->setPrompt(promptOf(tok, promptTokens, rep));
        settle();
        const auto t0 = Clock::now();
        allBox->click();   // the user's tick: the grid is laid out and the maps on screen are pooled and painted
        QCoreApplication::processEvents();
        open.push_back(ms(Clock::now() - t0));
        shown = view->grid()->renderedCount();
        const auto t1 = Clock::now();
        QScrollBar* bar = view->gridArea()->verticalScrollBar();
        for (int v = bar->value(); v < bar->maximum(); v += bar->pageStep()) {
            bar->setValue(std::min(v + bar->pageStep(), bar->maximum()));
            QCoreApplication::processEvents();
        }
        scroll.push_back(ms(Clock::now() - t1));
        if (view->grid()->renderedCount() != 144) std::printf("  (only %d maps rendered after scrolling)\n", view->grid()->renderedCount());
        bar->setValue(0);
        settle();
    }
    const int T = view->tokenCount();
    char what[160];
    std::snprintf(what, sizeof what, "open the all-heads grid at %d tokens (%d of 144 maps on screen)", T, shown);
    report(what, open);
    std::snprintf(what, sizeof what, "  then scroll through the other maps (page by page)");
    report(what, scroll);
    auto spaces = [&](int n) {
        std::vector<double> space;
        for (int i = 0; i < n && gen->session()->canStep(); ++i) {
            const auto t0 = Clock::now();
            dock->stepAction()->trigger();
            QCoreApplication::processEvents();
            space.push_back(ms(Clock::now() - t0));
        }
        return space;
    };
    // For comparison: the same steps with the Attention dock hidden (what the rest of the window costs).
    auto* attentionDock = win.findChild<QDockWidget*>("attentionDock");
    attentionDock->hide();
    settle();
    const std::vector<double> without = spaces(steps);
    for (int i = 0; i < steps; ++i) gen->back();
    attentionDock->show();
    settle();
    const std::vector<double> space = spaces(steps);
    std::snprintf(what, sizeof what, "Space with the grid open, %d -> %d tokens", T, view->tokenCount());
    report(what, space);
    report("  the same steps with the Attention dock hidden", without);
    // One head at full resolution (a click on a map of the grid).
    const auto t0 = Clock::now();
    view->setAllHeads(false);
    view->setSelection(5, 5);
    QCoreApplication::processEvents();
    std::snprintf(what, sizeof what, "open one head at full resolution (%d x %d cells)", view->tokenCount(), view->tokenCount());
    report(what, {ms(Clock::now() - t0)});
    std::vector<double> single;
    for (int i = 0; i < 5 && gen->session()->canStep(); ++i) {
        const auto t1 = Clock::now();
        dock->stepAction()->trigger();
        QCoreApplication::processEvents();
        single.push_back(ms(Clock::now() - t1));
    }
    report("  Space with that head open", single);
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    // bench_gui_attention [N_EMBD [DIR]]: DIR keeps the model folder (for README screenshots: DIR/gpt2-12x12).
    const int embd = argc > 1 ? std::atoi(argv[1]) : 48;
    QTemporaryDir tmp;
    const QString folder = (argc > 2 ? QString::fromLocal8Bit(argv[2]) : tmp.path()) + "/gpt2-12x12";
    QDir().mkpath(folder);
    realfiles::writeGpt2Folder(folder.toStdString(), realfiles::randomGpt2(4, 12, 12, embd, 1024));

    MainWindow::Options opt;
    opt.persistLayout = false;
    opt.lesson = "transformer";
    auto* win = new MainWindow(opt);
    win->resize(1600, 1000);
    win->show();
    settle();
    const auto t0 = Clock::now();
    const QString error = win->openModelFile(folder);
    if (!error.isEmpty()) {
        std::fprintf(stderr, "cannot open %s: %s\n", qPrintable(folder), qPrintable(error));
        return 1;
    }
    settle();
    std::printf("GPT-2 layout, 12 layers x 12 heads, n_embd %d, vocab %d, context 1024; attention dock %dx%d px; opened in %.0f ms\n", embd,
                win->generation()->model()->vocabSize(), win->findChild<QDockWidget*>("attentionDock")->width(),
                win->findChild<QDockWidget*>("attentionDock")->height(), ms(Clock::now() - t0));
    measure(*win, 1000, 23);
    measure(*win, 240, 16);
    delete win;
    return 0;
}
