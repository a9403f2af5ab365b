// The Limits lesson (each view alone with fake data: tst_memoryview, tst_kvcostview, tst_flashview,
// tst_moeroutingview, tst_positionsview): the controller's numbers against core computed independently
// (the flash trace's probabilities = the model's attention, the KV cost = the cache and the formula), the lesson
// in the real window (every view filled after the background work), retraining in the worker and stopping it.
#include "app/gui/limitscontroller.h"
#include "app/gui/mainwindow.h"
#include "app/gui/presentation.h"
#include "app/gui/startup.h"
#include "core/io/modelfile.h"
#include "core/limits/generationcost.h"
#include "core/limits/recall.h"
#include "core/models/tinygpt.h"
#include "widgets/flashview.h"
#include "widgets/kvcostview.h"
#include "widgets/memoryview.h"
#include "widgets/moeroutingview.h"
#include "widgets/positionsview.h"
#include "testpaths.h"
#include "guitestutil.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QtTest>

using namespace arlab;

namespace {

std::unique_ptr<ar::TinyGpt> toy() {
    return ar::TinyGpt::fromSafetensors(ar::readSafetensors(testutil::modelPath("toy-word")), "toy");
}

ar::Tokens sentence(const ar::TinyGpt& m, const char* text) {
    ar::Tokens ids = {m.bosToken()};
    for (int id : m.tokenizer().encodeStrict(text)) ids.push_back(id);
    return ids;
}

const char* const kDocks[] = {"limitsMemoryDock", "limitsKvDock", "limitsFlashDock", "limitsMoeDock", "limitsPositionsDock"};

// Scroll areas inside `w` (the dock's own, MainWindow::addDock, and the views' plot grids) that have something to
// scroll: "name: horizontal / vertical range", one a line.
QString scrolling(QWidget* w) {
    QStringList out;
    for (QScrollArea* a : w->findChildren<QScrollArea*>())
        if (a->isVisible() && (a->horizontalScrollBar()->maximum() > 0 || a->verticalScrollBar()->maximum() > 0))
            out << QString("%1 in %2: scrolls %3 px across, %4 px down")
                       .arg(a->metaObject()->className(), a->parentWidget() ? a->parentWidget()->metaObject()->className() : "")
                       .arg(a->horizontalScrollBar()->maximum())
                       .arg(a->verticalScrollBar()->maximum());
    return out.join('\n');
}

// A dock whose tab is in front (the others of its group are open, isVisible(), but moved out of the window).
bool inFront(QDockWidget* dock) { return dock->isVisible() && !dock->visibleRegion().isEmpty(); }

bool waitIdle(LimitsController* c, int ms = 120000) {
    QElapsedTimer t;
    t.start();
    while ((c->pendingJobs() > 0 || c->isTraining()) && t.elapsed() < ms) QTest::qWait(20);
    return c->pendingJobs() == 0 && !c->isTraining();
}

// The lesson in a window laid out offscreen at `size` (a screen, --size) once its background work is done, in
// presentation mode or not, with view `steps` alone (--steps N) or all five (0); nullptr when the work never ended.
std::unique_ptr<MainWindow> laidOut(QSize size, bool presentation, int steps = 0) {
    auto win = testutil::makeWindow("limits", testutil::Look::Hidden);
    if (!win->activateLesson("limits")) return nullptr;
    win->findChild<PresentationMode*>()->setOn(presentation);
    if (!waitIdle(win->findChild<LimitsController*>())) return nullptr;
    if (steps && !win->runSteps(steps)) return nullptr;
    layOutOffscreen(*win, size);
    return win;
}

// Data rows "size" and "presentation": a projector's 1280x800 and 1600x1000, each in normal and presentation mode.
void projectorSizes() {
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("presentation");
    QTest::newRow("1280x800") << QSize(1280, 800) << false;
    QTest::newRow("1280x800, presentation") << QSize(1280, 800) << true;
    QTest::newRow("1600x1000") << QSize(1600, 1000) << false;
    QTest::newRow("1600x1000, presentation") << QSize(1600, 1000) << true;
}

}  // namespace

class TestLimitsLesson : public QObject {
    Q_OBJECT
    QFont m_appFont = QApplication::font();
    QPalette m_appPalette = QApplication::palette();
private slots:
    void cleanup() {   // after presentation mode, even when a test failed in it
        QApplication::setFont(m_appFont);
        QApplication::setPalette(m_appPalette);
    }

    // The window keeps the size asked for (--size, a projector's screen), with the five views open together or
    // with one alone (--steps N, as the screenshots are made): no dock's minimum size forces it taller or wider.
    void windowKeepsItsSize_data() {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<int>("steps");
        QTest::newRow("every view, 1600x1000") << QSize(1600, 1000) << 0;
        QTest::newRow("every view, 1280x800") << QSize(1280, 800) << 0;
        for (int n = 1; n <= 5; ++n) QTest::addRow("view %d alone, 1600x1000", n) << QSize(1600, 1000) << n;
    }
    void windowKeepsItsSize() {
        QFETCH(QSize, size);
        QFETCH(int, steps);
        const auto w = laidOut(size, false, steps);
        QVERIFY(w);
        MainWindow& win = *w;
        QStringList shown;   // open: in front or a tab behind it (its View toggle checked)
        for (const char* name : kDocks)
            if (!win.findChild<QDockWidget*>(name)->isHidden()) shown << name;
        QCOMPARE(shown.size(), steps ? 1 : 5);
        const QSize min = win.minimumSizeHint();
        QVERIFY2(min.width() <= size.width() && min.height() <= size.height(),
                 qPrintable(QString("the docks need %1x%2").arg(min.width()).arg(min.height())));
        QCOMPARE(win.size(), size);
    }

    // With all five views open at a projector's size (in presentation mode too), the plots of the Positions dock
    // (six) and of the Cost of generating dock (four) stay readable: each title whole in its plot, a data area
    // (axis rect) of at least 120x90 px, and each plot whole across the dock (the grid scrolls vertically rather
    // than squeezing the plots or cutting them at the side).
    void plotsStayReadable_data() {
        QTest::addColumn<QString>("dock");
        QTest::addColumn<int>("plots");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<bool>("presentation");
        for (const auto& [dock, plots] : {std::pair{"limitsPositionsDock", 6}, std::pair{"limitsKvDock", 4}}) {
            QTest::addRow("%s, 1600x1000", dock) << dock << plots << QSize(1600, 1000) << false;
            QTest::addRow("%s, 1280x800", dock) << dock << plots << QSize(1280, 800) << false;
            QTest::addRow("%s, 1280x800, presentation", dock) << dock << plots << QSize(1280, 800) << true;
        }
    }
    void plotsStayReadable() {
        QFETCH(QString, dock);
        QFETCH(int, plots);
        QFETCH(QSize, size);
        QFETCH(bool, presentation);
        const auto w = laidOut(size, presentation);
        QVERIFY(w);
        MainWindow& win = *w;
        QCOMPARE(win.size(), size);
        auto* d = win.findChild<QDockWidget*>(dock);
        QVERIFY(d);
        d->raise();   // its tab in front
        QApplication::processEvents();
        QVERIFY(inFront(d));
        const QList<QCustomPlot*> all = d->findChildren<QCustomPlot*>();
        QCOMPARE(all.size(), plots);
        for (QCustomPlot* plot : all) {
            plot->replot();
            auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0));
            QVERIFY(title);
            const QString what = title->text();
            const int textWidth = QFontMetrics(title->font()).horizontalAdvance(what);
            QVERIFY2(textWidth <= title->rect().width(), qPrintable(QString("%1: title %2 px wide in %3 px").arg(what).arg(textWidth).arg(title->rect().width())));
            const QRect data = plot->axisRect()->rect();
            QVERIFY2(data.width() >= 120 && data.height() >= 90,
                     qPrintable(QString("%1: data area %2x%3 px in a %4x%5 plot").arg(what).arg(data.width()).arg(data.height()).arg(plot->width()).arg(plot->height())));
            const QRect inDock(plot->mapTo(d, QPoint(0, 0)), plot->size());
            QVERIFY2(inDock.left() >= 0 && inDock.right() < d->width(), qPrintable(QString("%1: cut at the side").arg(what)));
        }
    }

    // In the Long-range memory and Positions docks (at 1280x800 and 1600x1000, in presentation mode too) every
    // legend lies whole inside its plot's data area or whole beside it, with its entries whole in it (the NLL
    // plot's three long names once stuck out of the data area on the left), and every axis label is shown whole:
    // each of its lines no longer than its axis (the recall plot's "distance d (fillers between key and query)"
    // was cut in presentation mode).
    void legendsAndAxisLabelsFit_data() {
        projectorSizes();
    }
    void legendsAndAxisLabelsFit() {
        QFETCH(QSize, size);
        QFETCH(bool, presentation);
        const auto w = laidOut(size, presentation);
        QVERIFY(w && w->size() == size);
        int legends = 0;
        QStringList problems;   // every one, not only the first
        for (const char* name : {"limitsMemoryDock", "limitsPositionsDock"}) {
            auto* d = w->findChild<QDockWidget*>(name);
            QVERIFY(d);
            d->raise();   // its tab in front
            for (int i = 0; i < 3; ++i) QApplication::processEvents();
            QVERIFY(inFront(d));
            for (QCustomPlot* plot : d->findChildren<QCustomPlot*>()) {
                for (int i = 0; i < 3; ++i) {   // and the replots that the fitting queues
                    plot->replot();
                    QApplication::processEvents();
                }
                const QString what = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0))->text();
                if (plot->legend->visible() && plot->legend->itemCount() > 0) {
                    ++legends;
                    const QRect legend = plot->legend->outerRect();
                    const QSize needs = plot->legend->minimumOuterSizeHint();
                    // in the data area (the axis rect's inset) or in a place of its own in the plot, beside it
                    const QRect data = plot->axisRect()->rect();
                    const bool inside = data.contains(legend) || (plot->viewport().contains(legend) && !data.intersects(legend));
                    if (!inside || needs.width() > legend.width() || needs.height() > legend.height())
                        problems << QString("%1: legend at (%2, %3) %4x%5 (its entries need %6x%7), data area at (%8, %9) %10x%11")
                                        .arg(what).arg(legend.left()).arg(legend.top()).arg(legend.width()).arg(legend.height())
                                        .arg(needs.width()).arg(needs.height()).arg(data.left()).arg(data.top()).arg(data.width()).arg(data.height());
                }
                for (QCPAxis* axis : {plot->xAxis, plot->yAxis}) {
                    const int length = axis->orientation() == Qt::Horizontal ? axis->axisRect()->width() : axis->axisRect()->height();
                    const QFontMetrics fm(axis->labelFont());
                    for (const QString& line : axis->label().split('\n'))
                        if (fm.horizontalAdvance(line) > length)
                            problems << QString("%1: axis label \"%2\" %3 px long on a %4 px axis").arg(what, line).arg(fm.horizontalAdvance(line)).arg(length);
                }
            }
        }
        QCOMPARE(legends, 3);   // recall accuracy, gradient, NLL
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
    }

    // On a projector (1280x800, in presentation mode too) and at 1600x1000, every view is read whole without
    // scrolling: the five docks are tabs of one group (Qt's tabifyDockWidget), each with the whole window, in the
    // lesson's order, the first in front. Their View toggles still hide and show each (back in its group), and
    // the arrangement (tabs, the one in front) is saved and restored with the lesson.
    void everyViewIsReadWithoutScrolling_data() {
        projectorSizes();
    }
    void everyViewIsReadWithoutScrolling() {
        QFETCH(QSize, size);
        QFETCH(bool, presentation);
        QList<QDockWidget*> docks;
        const auto w = laidOut(size, presentation);
        QVERIFY(w && w->size() == size);
        MainWindow& win = *w;
        for (const char* name : kDocks) docks << win.findChild<QDockWidget*>(name);
        QVERIFY(inFront(docks[0]));   // the first view
        for (QDockWidget* d : docks) {
            QVERIFY2(!d->isHidden(), qPrintable(d->objectName()));
            QCOMPARE(win.tabifiedDockWidgets(d).size(), 4);
            d->raise();
            for (int i = 0; i < 3; ++i) QApplication::processEvents();
            for (QDockWidget* other : docks) QCOMPARE(inFront(other), other == d);
            const QString problem = scrolling(d);
            QVERIFY2(problem.isEmpty(), qPrintable(QString("%1 (%2x%3):\n%4").arg(d->objectName()).arg(d->width()).arg(d->height()).arg(problem)));
        }
        // View: hide one, show it again: a tab of the group once more
        docks[2]->toggleViewAction()->trigger();
        QVERIFY(docks[2]->isHidden() && !inFront(docks[2]));
        docks[2]->toggleViewAction()->trigger();
        QVERIFY(!docks[2]->isHidden() && !docks[2]->isFloating());
        QCOMPARE(win.tabifiedDockWidgets(docks[2]).size(), 4);
        docks[2]->raise();
        QApplication::processEvents();
        QVERIFY(inFront(docks[2]) && scrolling(docks[2]).isEmpty());
        // another lesson and back: the same tabs, the one in front (Cost) still in front
        docks[1]->raise();
        QApplication::processEvents();
        QVERIFY(win.activateLesson("transformer"));
        QVERIFY(win.activateLesson("limits"));
        for (int i = 0; i < 3; ++i) QApplication::processEvents();
        QCOMPARE(win.tabifiedDockWidgets(docks[0]).size(), 4);
        for (QDockWidget* d : docks) QCOMPARE(inFront(d), d == docks[1]);
        // and View -> Reset layout: the first view in front again
        win.resetLayout();
        for (int i = 0; i < 3; ++i) QApplication::processEvents();
        for (QDockWidget* d : docks) QCOMPARE(inFront(d), d == docks[0]);
    }

    // Each view alone (--steps N, as the README's screenshots are made) is read without scrolling too.
    void aViewAloneIsReadWithoutScrolling_data() {
        QTest::addColumn<int>("steps");
        QTest::addColumn<bool>("presentation");
        for (int n = 1; n <= 5; ++n)
            for (bool on : {false, true}) QTest::addRow("view %d alone, 1280x800%s", n, on ? ", presentation" : "") << n << on;
    }
    void aViewAloneIsReadWithoutScrolling() {
        QFETCH(int, steps);
        QFETCH(bool, presentation);
        const auto w = laidOut(QSize(1280, 800), presentation, steps);
        QVERIFY(w);
        QDockWidget* d = w->findChild<QDockWidget*>(kDocks[steps - 1]);
        QVERIFY(inFront(d));
        const QString problem = scrolling(d);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void flashTraceIsTheModelsAttention() {
        const auto m = toy();
        const ar::Tokens ids = sentence(*m, "the small cat sees a happy dog . the dog runs");
        const int T = int(ids.size());
        const auto maps = m->attentionMaps(ids);
        for (int head : {0, 3}) {
            const FlashViewData d = LimitsController::flashData(*m, ids, head, 4, 4);
            // the probabilities rebuilt from the trace's log-sum-exps are the model's own attention (layer 0)
            QCOMPARE(d.probabilities.rows(), ar::Index(T));
            QVERIFY2((d.probabilities - maps[0][size_t(head)]).cwiseAbs().maxCoeff() < 1e-5f, "flash trace = the model's attention");
            // and the last tile of each row ends with the row's log-sum-exp
            for (const auto& t : d.tiles)
                for (int i = 0; i < t.nq; ++i)
                    if (t.k0 + t.nk >= t.q0 + i + 1) {  // the row's last tile
                        QVERIFY(std::isfinite(t.maxAfter[size_t(i)] + std::log(t.sumAfter[size_t(i)])));
                        QVERIFY(std::abs(d.probabilities.row(t.q0 + i).head(t.q0 + i + 1).sum() - 1.0) < 1e-5);
                    }
            QVERIFY(d.flashBytes > 0 && d.standardBytes > 0);
            QCOMPARE(d.tokens.size(), T);
            int visited = 0;
            for (const auto& t : d.tiles)
                for (int i = 0; i < t.nq; ++i) visited += std::min(t.nk, t.q0 + i - t.k0 + 1);
            QCOMPARE(visited, T * (T + 1) / 2);  // every visible score once
        }
    }

    void kvCostIsTheCacheAndTheFormula_data() {
        QTest::addColumn<int>("kvHeads");  // 0: the shipped toy model as it is (multi-head)
        QTest::newRow("toy model") << 0;
        QTest::newRow("toy shape, grouped-query") << 2;
        QTest::newRow("toy shape, multi-query") << 1;
    }
    void kvCostIsTheCacheAndTheFormula() {
        QFETCH(int, kvHeads);
        auto m = toy();
        if (kvHeads) {  // the same shape and vocabulary with fewer key/value heads (fresh weights)
            ar::TinyGptConfig cfg = m->config();
            cfg.kvHeads = kvHeads;
            m = std::make_unique<ar::TinyGpt>(cfg, m->tokenizer(), 3);
        }
        const ar::Tokens ids = sentence(*m, "the cat sees a dog .");
        const KvCostData d = LimitsController::kvCostData(*m, ids, "toy", false);
        const ar::GenerationShape s = ar::GenerationShape::of(m->config());
        QCOMPARE(d.position.size(), int(ids.size()));
        // the bytes: a cache fed the same tokens, read back (the core counter); the FLOPs: the README's formula
        auto fed = m->newState();
        ar::DecodeState* f = fed.get();
        const int D = m->config().embd / m->config().heads, K = m->config().kvHeadCount() * D, C = m->config().embd;
        for (int i = 0; i < d.position.size(); ++i) {
            m->step(std::span<ar::DecodeState* const>(&f, 1), std::span<const int>(&ids[size_t(i)], 1));
            QCOMPARE(d.kvFilledPerLayer[i], double(ar::kvFilledBytes(*dynamic_cast<ar::TinyGptState*>(f), 0)));
            QCOMPARE(d.kvFilledPerLayer[i], double(2 * K * 4 * (i + 1)));
            const double L = s.layers, V = s.vocab, t = i, n = i + 1;
            QCOMPARE(d.flopsCached[i], L * (20 * C * C + 4 * C * K + 4 * C * (t + 1)) + 2 * C * V);
            QCOMPARE(d.flopsUncached[i], L * ((20 * C * C + 4 * C * K) * n + 2 * C * n * (n + 1)) + 2 * C * V);
        }
        auto state = m->newState();
        QCOMPARE(d.kvAllocatedPerLayer, double(ar::kvAllocatedBytes(*dynamic_cast<ar::TinyGptState*>(state.get()), 0)));
        QCOMPARE(d.context, m->contextLength());
        // MHA / GQA / MQA: real caches of the same shape (4, 2, 1 key/value heads), per token
        QCOMPARE(d.variants.size(), 3);
        const int kv[3] = {4, 2, 1};
        for (int i = 0; i < 3; ++i) {
            ar::TinyGptConfig cfg = m->config();
            cfg.kvHeads = kv[i];
            const ar::TinyGpt real(cfg, m->tokenizer(), 1);
            QCOMPARE(d.variants[i].second, double(real.newState()->bytes() / size_t(real.contextLength())));
        }
    }

    void lessonFillsEveryView() {
        const auto w = testutil::makeWindow("limits", testutil::Look::Hidden);
        MainWindow& win = *w;
        QVERIFY(win.activateLesson("limits"));
        auto* ctl = win.findChild<LimitsController*>();
        QVERIFY(ctl);
        QVERIFY(waitIdle(ctl));
        auto* mem = win.findChild<MemoryView*>();
        QCOMPARE(mem->accuracyPlot()->graphCount(), 4);
        QCOMPARE(mem->gradientPlot()->graphCount(), 4);
        QCOMPARE(ctl->recallModels().size(), size_t(4));
        auto* kv = win.findChild<KvCostView*>();
        QVERIFY(!kv->data().position.isEmpty());
        QCOMPARE(kv->data().secondsCached.size(), kv->data().position.size());
        auto* flash = win.findChild<FlashView*>();
        QVERIFY(flash->frameCount() > 0);
        auto* moe = win.findChild<MoeRoutingView*>();
        QVERIFY(!moe->data().tokens.isEmpty());
        QCOMPARE(moe->data().chosen.size(), 2);
        auto* pos = win.findChild<PositionsView*>();
        // sinusoidal, RoPE, learned: the learned model stops at its context (32), the other two slide past it
        QCOMPARE(pos->nllPlot()->graphCount(), 3);
        QVERIFY(pos->nllPlot()->graph(2)->name().startsWith("learned"));
        QCOMPARE(pos->nllPlot()->graph(2)->dataCount(), 32);
        QCOMPARE(pos->nllPlot()->graph(2)->data()->at(31)->key, 31.0);
        for (int g = 0; g < 2; ++g) {
            QCOMPARE(pos->nllPlot()->graph(g)->dataCount(), 48);
            for (int p = 0; p < 48; ++p) QVERIFY(std::isfinite(pos->nllPlot()->graph(g)->data()->at(p)->value));
        }
        // RoPE as a rotation: q's feature pair 0 turns by exactly 1 radian per position (10000^0), its length kept
        {
            QVector<QPointF> tips;
            for (int i = 0; i < pos->ropePlanePlot()->itemCount(); ++i)
                if (auto* line = qobject_cast<QCPItemLine*>(pos->ropePlanePlot()->item(i))) tips << line->end->coords();
            QCOMPARE(tips.size(), 7);  // q at m + 0..5, then k
            for (int d = 1; d < 6; ++d) {
                const double turn = std::remainder(std::atan2(tips[d].y(), tips[d].x()) - std::atan2(tips[0].y(), tips[0].x()) - d, 2 * M_PI);
                QVERIFY2(std::abs(turn) < 1e-4, qPrintable(QString("d = %1: %2").arg(d).arg(turn)));
                QVERIFY(std::abs(std::hypot(tips[d].x(), tips[d].y()) - std::hypot(tips[0].x(), tips[0].y())) < 1e-4);
            }
        }
        // the hidden-state panel shows log10 of the key's influence on every unit (core's keyInfluence, same episode)
        {
            const auto rnn = ctl->recallModels().at(mem->hiddenKind());
            ar::Rng rng(3);
            const ar::Mat inf = ar::keyInfluence(*rnn, ar::RecallTask::episode(mem->hiddenDistance(), rng));
            auto* map = qobject_cast<QCPColorMap*>(mem->hiddenPlot()->plottable(0));
            QVERIFY(map);
            QCOMPARE(map->data()->valueSize(), int(inf.rows()));
            QCOMPARE(map->data()->keySize(), int(inf.cols()));
            for (int r = 0; r < int(inf.rows()); ++r)
                for (int c = 0; c < int(inf.cols()); ++c)
                    QCOMPARE(float(map->data()->cell(c, r)), float(std::log10(std::max(double(inf(r, c)), 1e-12))));
        }
        // every view exports its numbers; the flash and MoE tables are their data row by row
        for (const ExportableView* v : std::initializer_list<const ExportableView*>{mem, kv, flash, moe, pos})
            QVERIFY(!v->exportTable().isEmpty());
        const ExportTable ft = flash->exportTable();
        int row = 0;
        for (size_t i = 0; i < flash->data().tiles.size(); ++i)
            for (int r = 0; r < flash->data().tiles[i].nq; ++r, ++row) {
                QCOMPARE(ft.rows[row][0].toInt(), int(i));
                QCOMPARE(ft.rows[row][5].toFloat(), flash->data().tiles[i].maxAfter[size_t(r)]);
                QCOMPARE(ft.rows[row][6].toFloat(), flash->data().tiles[i].sumAfter[size_t(r)]);
            }
        QCOMPARE(row, int(ft.rows.size()));
        int gates = 0;
        for (const QStringList& r : moe->exportTable().rows)
            if (r[1] != "load") {
                QCOMPARE(r[5].toFloat(), moe->data().gates[r[0].toInt()][r[1].toInt()][r[3].toInt()]);
                ++gates;
            }
        QCOMPARE(gates, 2 * int(moe->data().tokens.size()) * moe->data().topK);
        for (const char* name : kDocks) QVERIFY2(win.findChild<QDockWidget*>(name), name);
        // a bad text for the router: a clear message, the old routing stays
        const int tokens = int(moe->data().tokens.size());
        ctl->setMoePrompt("the zebra");
        QVERIFY(moe->summary().contains("zebra"));
        QCOMPARE(int(moe->data().tokens.size()), tokens);
    }

    void retrainInTheWorkerAndStop() {
        const auto w = testutil::makeWindow("limits", testutil::Look::Hidden);
        MainWindow& win = *w;
        auto* ctl = win.findChild<LimitsController*>();
        QVERIFY(waitIdle(ctl));
        auto* mem = win.findChild<MemoryView*>();
        QSignalSpy done(ctl, &LimitsController::trainingFinished);
        const auto before = ctl->recallModels().at("gru");
        mem->trainButton()->click();
        QVERIFY(ctl->isTraining());
        QVERIFY(!mem->trainButton()->isEnabled());
        QTest::qWait(300);
        mem->stopButton()->click();
        QVERIFY(done.wait(60000));
        QCOMPARE(done.at(0).at(0).toString(), QString("rnn"));
        QVERIFY(done.at(0).at(1).toBool());  // stopped
        QVERIFY(mem->trainButton()->isEnabled());
        QVERIFY(ctl->recallModels().at("rnn") != nullptr);
        QCOMPARE(ctl->recallModels().at("gru"), before);
        QVERIFY(waitIdle(ctl));
    }
};

QTEST_MAIN(TestLimitsLesson)
#include "tst_limitslesson.moc"
