// The real window, offscreen, measured the way a user meets it (issue #11's targets):
//   1. start to first frame: from main() to the first paint of the window (transformer lesson, toy-word);
//   2. Space -> every visible dock updated: the step action triggered, then the events it posts processed
//      (the docks repaint into the offscreen backing store); p50/p95 over many presses, on toy-word, and
//      with the all-heads attention grid open on a 12-layer, 12-head model at ~250 tokens;
//   3. GUI-thread jitter: a 16 ms QTimer's lateness (p99) while the Training dock trains, while a beam search
//      runs to the end on the worker thread, and while the compare dock's job runs.
//   QT_QPA_PLATFORM=offscreen nice build/tests/bench/bench_window
#include "app/gui/generationcontroller.h"
#include "widgets/generationdock.h"
#include "app/gui/mainwindow.h"
#include "core/models/tinygpt.h"
#include "widgets/attentionview.h"
#include "widgets/beamsearchpanel.h"
#include "widgets/compareview.h"
#include "widgets/trainingview.h"

#include "tests/bench/benchutil.h"

#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

using Clock = std::chrono::steady_clock;
using namespace arlab;

namespace {

using benchutil::ms;
using benchutil::pct;

class FirstPaint : public QObject {
public:
    bool painted = false;
    bool eventFilter(QObject* o, QEvent* e) override {
        if (e->type() == QEvent::Paint) painted = true;
        return QObject::eventFilter(o, e);
    }
};

void settle() {
    for (int i = 0; i < 3; ++i) QCoreApplication::processEvents();
}

// Presses Space n times (the window-wide step action), timing each press until its events are processed.
// *sync gets the part spent before the event loop runs (the model's step and the docks' change notices).
std::vector<double> timeSpace(MainWindow& win, GenerationDock* dock, int n, int backTo, std::vector<double>* sync) {
    std::vector<double> t;
    GenerationController* gen = win.generation();
    for (int i = 0; i < n; ++i) {
        if (!gen->session() || !gen->session()->canStep()) {
            if (backTo < 0) gen->reset();
            else while (gen->session()->stepCount() > backTo) gen->back();
            settle();
        }
        const auto t0 = Clock::now();
        dock->stepAction()->trigger();
        sync->push_back(ms(Clock::now() - t0));
        QCoreApplication::processEvents();
        t.push_back(ms(Clock::now() - t0));
    }
    return t;
}

// Lateness of a 16 ms timer while `busy()` is true (at most `seconds`).
std::vector<double> jitter(const std::function<bool()>& busy, double seconds) {
    std::vector<double> late;
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.setInterval(16);
    auto last = Clock::now();
    QObject::connect(&timer, &QTimer::timeout, [&] {
        const auto now = Clock::now();
        late.push_back(std::max(0.0, ms(now - last) - 16.0));
        last = now;
    });
    timer.start();
    QElapsedTimer clock;
    clock.start();
    while (busy() && clock.elapsed() < seconds * 1000) QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    return late;
}

void report(const char* what, const std::vector<double>& v) {
    std::printf("%-62s n=%4zu  p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms  max %7.2f ms\n", what, v.size(), pct(v, 50),
                pct(v, 95), pct(v, 99), v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()));
}

}  // namespace

int main(int argc, char** argv) {
    const auto start = Clock::now();
    QApplication app(argc, argv);
    MainWindow::Options opt;
    opt.persistLayout = false;
    opt.lesson = "transformer";
    auto* win = new MainWindow(opt);
    FirstPaint paint;
    win->installEventFilter(&paint);
    win->resize(1600, 1000);
    win->show();
    while (!paint.painted) QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    std::printf("start to first frame (main() -> first paint, %d lessons registered): %.0f ms\n",
                int(win->lessons().size()), ms(Clock::now() - start));
    settle();

    auto* dock = win->findChild<GenerationDock*>();
    std::vector<double> sync;
    report("Space, toy-word, transformer lesson", timeSpace(*win, dock, 300, -1, &sync));
    report("  of which step + change notices (before painting)", sync);

    {   // 12 layers x 12 heads (random weights: only the cost matters), the all-heads grid open, ~250 tokens.
        auto toy = win->generation()->model();
        ar::TinyGptConfig cfg;
        cfg.vocabSize = toy->vocabSize();
        cfg.contextLength = 256;
        cfg.layers = 12;
        cfg.heads = 12;
        cfg.embd = 192;
        win->generation()->setModel(std::make_shared<ar::TinyGpt>(cfg, toy->tokenizer(), 1), "bench 12x12");
        win->findChild<AttentionView*>()->setAllHeads(true);
        settle();
        while (win->generation()->session()->canStep() && win->generation()->session()->sequence().size() < 246)
            win->generation()->step();
        settle();
        const int at = win->generation()->session()->stepCount();
        sync.clear();
        report("Space, 12x12 model at ~250 tokens, all-heads grid", timeSpace(*win, dock, 60, at, &sync));
        report("  of which step + change notices (before painting)", sync);
        win->findChild<AttentionView*>()->setAllHeads(false);
        win->generation()->setModel(toy, GenerationController::builtinModelPath());
        settle();
    }

    report("16 ms timer lateness, idle", jitter([] { return true; }, 2));
    {   // Training dock: the default run (its worker owns the model; progress is throttled).
        auto* training = win->findChild<TrainingView*>();
        win->findChild<QDockWidget*>("trainingDock")->show();
        emit training->startRequested();
        report("16 ms timer lateness, Training dock training", jitter([] { return true; }, 6));
        emit training->stopRequested();
        settle();
    }
    {   // Beam search run to the end on the worker thread (decoding lesson).
        win->activateLesson("decoding");
        settle();
        auto* panel = win->findChild<BeamSearchPanel*>();
        ar::BeamSettings b{10, 30, 0.6f};
        panel->setSettings(b);
        emit panel->settingsChanged(b);
        settle();
        emit panel->runRequested();
        QElapsedTimer t;
        t.start();
        report("16 ms timer lateness, beam search k=10 running", jitter([&] { return t.elapsed() < 3000; }, 3));
    }
    {
        auto* compare = win->findChild<CompareView*>();
        emit compare->runRequested(compare->settings());
        QElapsedTimer t;
        t.start();
        report("16 ms timer lateness, comparison running", jitter([&] { return t.elapsed() < 3000; }, 3));
    }
    delete win;
    return 0;
}
