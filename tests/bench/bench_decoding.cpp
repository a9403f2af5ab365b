// Beam tree drawing benchmark: lay out and draw a 1000+ node tree (BeamTreeView::setTree + rendering the
// whole scene into a QImage offscreen), and the cost of adding one round to a tree that is already drawn.
//   QT_QPA_PLATFORM=offscreen build/tests/bench/bench_decoding
#include "core/decoding/beamsearch.h"
#include "tests/fakemodels.h"
#include "widgets/beamtreeview.h"

#include <QApplication>
#include <QGraphicsScene>
#include <QImage>
#include <QPainter>
#include <algorithm>
#include <chrono>
#include <cstdio>

using Clock = std::chrono::steady_clock;

static double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    auto model = std::make_shared<fake::HashModel>(40, 3, -1, -1, 0, 1.0f);
    std::vector<QString> vocab;
    for (int i = 0; i < model->vocabSize(); ++i) vocab.push_back(QString::fromStdString(model->tokenizer().token(i)));

    // k = 10, no EOS: M = 10 candidates per hypothesis, 100 nodes per round.
    ar::BeamSearch beam(model, ar::Tokens{2}, ar::BeamSettings{10, 40, 0.0f});
    std::vector<ar::BeamTree> snapshots;
    while (!beam.done() && beam.tree().nodes.size() < 1000) {
        beam.stepRound();
        snapshots.push_back(beam.tree());
    }
    const ar::BeamTree& tree = beam.tree();
    std::printf("tree: %zu nodes, %d rounds\n", tree.nodes.size(), beam.round());

    std::vector<double> full, render, incremental, layoutOnly, viewport, detailed;
    for (int rep = 0; rep < 15; ++rep) {
        arlab::BeamTreeView view;
        view.resize(1200, 800);
        // Full: layout a 1000-node tree into a fresh view and draw the whole scene.
        auto t0 = Clock::now();
        view.setTree(tree, vocab, "w2", beam.bestNode());
        layoutOnly.push_back(ms(Clock::now() - t0));
        // The whole scene, scaled to fit a 1200 x 800 image (every node drawn, small).
        const QRectF r = view.scene()->itemsBoundingRect();
        QImage img(1200, 800, QImage::Format_ARGB32_Premultiplied);
        img.fill(Qt::white);
        {
            QPainter p(&img);
            p.setRenderHint(QPainter::Antialiasing);
            view.scene()->render(&p, QRectF(img.rect()), r, Qt::KeepAspectRatio);
        }
        full.push_back(ms(Clock::now() - t0));
        // Drawing again (items cached; no relayout).
        t0 = Clock::now();
        {
            QPainter p(&img);
            view.scene()->render(&p, QRectF(img.rect()), r, Qt::KeepAspectRatio);
        }
        render.push_back(ms(Clock::now() - t0));
        // Every node with its text: the whole scene at zoom 0.5 (the smallest zoom the view fits to is 0.45;
        // below 0.3 nodes are drawn as boxes only) into one tall image.
        {
            QImage big((r.size() * 0.5).toSize(), QImage::Format_ARGB32_Premultiplied);
            big.fill(Qt::white);
            t0 = Clock::now();
            QPainter p(&big);
            p.setRenderHint(QPainter::Antialiasing);
            view.scene()->render(&p, QRectF(big.rect()), r, Qt::KeepAspectRatio);
            p.end();
            detailed.push_back(ms(Clock::now() - t0));
            if (rep == 0) std::printf("whole scene at zoom 0.5: %d x %d px\n", big.width(), big.height());
        }
        // As the user sees it: a fresh view, the tree fitted, the viewport painted.
        arlab::BeamTreeView view3;
        view3.resize(1200, 800);
        t0 = Clock::now();
        view3.setTree(tree, vocab, "w2", beam.bestNode());
        {
            QImage vp(view3.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
            QPainter p(&vp);
            view3.render(&p);
        }
        viewport.push_back(ms(Clock::now() - t0));
        // Incremental: a view showing all rounds but the last receives the last one.
        arlab::BeamTreeView view2;
        view2.resize(1200, 800);
        view2.setTree(snapshots[snapshots.size() - 2], vocab, "w2", -1);
        t0 = Clock::now();
        view2.setTree(tree, vocab, "w2", beam.bestNode());
        QImage vp(view2.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
        {
            QPainter p(&vp);
            view2.render(&p);
        }
        incremental.push_back(ms(Clock::now() - t0));
    }
    auto med = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    std::printf("layout + draw whole scene into 1200x800 (%zu nodes): %6.1f ms (median of %zu)\n", tree.nodes.size(), med(full), full.size());
    std::printf("  of which setTree (items + layout)   : %6.1f ms\n", med(layoutOnly));
    std::printf("setTree + paint the fitted 1200x800 view: %6.1f ms\n", med(viewport));
    std::printf("draw whole scene again                : %6.1f ms\n", med(render));
    std::printf("draw all nodes with text (zoom 0.5)   : %6.1f ms\n", med(detailed));
    std::printf("add the last round + repaint the view : %6.1f ms\n", med(incremental));
    return 0;
}
