// The beam tree dock: BeamTreeView (drawing, selection, zoom) over fake trees, and the dock (BeamSearchPanel
// + BeamController) over a fake model: stepping adds one round, clicking a node shows its prefix.
#include "app/gui/beamcontroller.h"
#include "app/gui/generationcontroller.h"
#include "core/decoding/beamsearch.h"
#include "fakemodels.h"
#include "widgets/beamsearchpanel.h"
#include "widgets/beamtreeview.h"

#include <QApplication>
#include <QFontInfo>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QLabel>
#include <QtTest>

using namespace arlab;

static std::vector<QString> vocabOf(const ar::LanguageModel& m) {
    std::vector<QString> v;
    for (int i = 0; i < m.vocabSize(); ++i) v.push_back(QString::fromStdString(m.tokenizer().token(i)));
    return v;
}

// Renders the view's viewport and returns the colour at a scene point's viewport position (+ offset).
static QColor pixelAt(BeamTreeView& view, QPointF scenePos, QPoint offset = {}) {
    const QImage img = view.viewport()->grab().toImage();
    const QPoint p = view.mapFromScene(scenePos) + offset;
    return img.pixelColor(p);
}

// Shows `view` at 900x700 with the search's tree (best node `best`, -1: none) at exact pixels (zoom 1), centred on
// the node `center`: for tests that read the pixels of nodes.
static void showAtExactPixels(BeamTreeView& view, const ar::BeamSearch& beam, const ar::LanguageModel& m, int best, int center) {
    view.resize(900, 700);
    view.show();
    view.setTree(beam.tree(), vocabOf(m), "w2", best);
    view.setZoom(1.0);
    view.centerOn(view.nodeCenter(center));
}

class TestBeamTreeView : public QObject {
    Q_OBJECT
private slots:
    void growsOneRoundAtATime() {
        auto m = std::make_shared<fake::HashModel>(8, 3, -1, 1, 0, 2.0f);
        ar::BeamSearch beam(m, ar::Tokens{2}, ar::BeamSettings{3, 6, 0.0f});
        BeamTreeView view;
        view.resize(800, 500);
        view.setTree(beam.tree(), vocabOf(*m), "w2", -1);
        QCOMPARE(view.nodeCount(), 1);
        while (beam.stepRound()) {
            const int before = view.nodeCount();
            view.setTree(beam.tree(), vocabOf(*m), "w2", beam.bestNode());
            QCOMPARE(view.nodeCount(), before + int(beam.tree().rounds.back().size()));
            QCOMPARE(view.nodeCount(), int(beam.tree().nodes.size()));
        }
        // Shrinking (a reset) drops the extra items.
        ar::BeamSearch fresh(m, ar::Tokens{2}, ar::BeamSettings{3, 6, 0.0f});
        view.setTree(fresh.tree(), vocabOf(*m), "w2", -1);
        QCOMPARE(view.nodeCount(), 1);
    }

    // Fitted into a dock-sized view, the tree is as large as fits but its token text stays readable (at least 0.8x
    // the window's text; a larger tree scrolls), the root is in sight, and no two nodes overlap (tall alive
    // nodes above short pruned ones included).
    void fitsReadablyWithoutOverlap_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("rounds");
        QTest::newRow("one round") << 2 << 1;
        QTest::newRow("decoding lesson, 5 rounds of 3") << 3 << 5;
        QTest::newRow("8 rounds of 4") << 4 << 8;
    }
    void fitsReadablyWithoutOverlap() {
        QFETCH(int, width);
        QFETCH(int, rounds);
        auto m = std::make_shared<fake::HashModel>(8, 5, -1, 1, 0, 2.0f);
        ar::BeamSearch beam(m, ar::Tokens{2}, ar::BeamSettings{width, rounds + 1, 0.0f});
        for (int r = 0; r < rounds && beam.stepRound(); ++r) {
        }
        QVERIFY(int(beam.tree().rounds.size()) >= std::min(rounds, 5));
        BeamTreeView view;
        view.resize(940, 470);
        view.show();
        view.setTree(beam.tree(), vocabOf(*m), "w2", -1);
        QApplication::processEvents();
        const int n = view.nodeCount();
        QVERIFY(n > 1);
        for (int i = 0; i < n; ++i)
            for (int j = i + 1; j < n; ++j)
                QVERIFY2(!view.nodeRect(i).intersects(view.nodeRect(j)), qPrintable(QString("nodes %1 and %2 overlap").arg(i).arg(j)));
        const QRect port = view.viewport()->rect();
        const QRect root = view.mapFromScene(view.nodeRect(0)).boundingRect();
        QVERIFY2(port.contains(root), "the root is out of sight");
        QVERIFY2(!root.intersects(view.legendRect()), "the root is under the legend");
        const double textPx = view.zoomFactor() * BeamTreeView::tokenTextPixels();
        QVERIFY2(textPx >= 0.8 * QFontInfo(view.font()).pixelSize() - 1e-6, qPrintable(QString::number(textPx)));
        QVERIFY2(textPx >= 9, qPrintable(QString::number(textPx)));
        QRectF nodes;
        for (int i = 0; i < n; ++i) nodes |= view.nodeRect(i);
        const QRect shown = view.mapFromScene(nodes).boundingRect();
        if (port.contains(shown)) {   // the whole tree fits: it fills the view's width or height (or is drawn at 1.5x)
            QVERIFY2(shown.width() > 0.75 * port.width() || shown.height() > 0.75 * port.height() || view.zoomFactor() >= 1.5 - 1e-9,
                     qPrintable(QString("%1x%2 in %3x%4").arg(shown.width()).arg(shown.height()).arg(port.width()).arg(port.height())));
        } else {   // too large: drawn at the readable zoom exactly, the newest round scrolled to
            QCOMPARE(view.zoomFactor(), view.minReadableZoom());
        }
    }

    // The decoding lesson's tree (5 rounds of 3) in the beam dock's size at 1600x1000 and 1280x800, in normal and in
    // presentation mode (the window's text 1.6x): the default view shows the path from the root to the best
    // hypothesis (while searching: to the best-ranked newest node) whole, clear of the legend (in presentation mode
    // in the small window, where the path is wider than the view, its newest three nodes), and the smallest text
    // (pruned nodes, scores) is at least 0.7x the window's text, so it grows with presentation mode.
    void bestPathInSightAndPrunedTextReadable_data() {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<double>("fontScale");
        QTest::addColumn<bool>("finished");   // run to the end (a best hypothesis) or 5 rounds in
        QTest::addColumn<bool>("path");       // check the path in sight (else: the text sizes)
        for (const auto& [name, size] : {std::pair{"1600x1000", QSize(960, 480)}, std::pair{"1280x800", QSize(740, 360)}})
            for (double scale : {1.0, 1.6})
                for (bool finished : {true, false})
                    for (bool path : {true, false})
                        QTest::addRow("%s window, fonts x%.1f, %s: %s", name, scale, finished ? "finished" : "5 rounds in",
                                      path ? "best path in sight" : "pruned text readable")
                            << size << scale << finished << path;
    }
    void bestPathInSightAndPrunedTextReadable() {
        QFETCH(QSize, size);
        QFETCH(double, fontScale);
        QFETCH(bool, finished);
        QFETCH(bool, path);
        auto m = std::make_shared<fake::HashModel>(8, 5, -1, 1, 0, 2.0f);
        ar::BeamSearch beam(m, ar::Tokens{2}, ar::BeamSettings{3, 6, 0.0f});
        for (int r = 0; r < 5 && beam.stepRound(); ++r) {
        }
        if (finished) beam.run();
        const int best = finished ? beam.bestNode() : -1;
        QVERIFY(!finished || best > 0);
        BeamTreeView view;
        QFont font = view.font();
        font.setPointSizeF(font.pointSizeF() * fontScale);
        view.setFont(font);
        view.resize(size);
        view.show();
        view.setTree(beam.tree(), vocabOf(*m), "w2", best);
        QApplication::processEvents();
        if (!path) {
            const double window = QFontInfo(view.font()).pixelSize();
            const double small = view.zoomFactor() * BeamTreeView::smallTextPixels();
            QVERIFY2(small >= 0.7 * window - 1e-6, qPrintable(QString("pruned text %1 px, window text %2 px").arg(small).arg(window)));
            QVERIFY(view.zoomFactor() * BeamTreeView::tokenTextPixels() >= 0.8 * window - 1e-6);
            return;
        }
        // the node whose path must be seen: the best hypothesis, or the newest round's best-ranked node
        int focus = best;
        if (!finished)
            for (int id : beam.tree().rounds.back())
                if (beam.tree().nodes[size_t(id)].rank == 0) focus = id;
        QVERIFY(focus > 0);
        QCOMPARE(view.focusNode(), focus);
        const QRect port = view.viewport()->rect();
        // the whole path, or when it is wider than the view (presentation fonts in a small window) its newest end
        const bool wholePath = (view.nodeRect(focus) | view.nodeRect(0)).width() * view.zoomFactor() <= port.width() - 40;
        QVERIFY(wholePath || fontScale > 1);
        for (int k = focus; k >= 0; k = beam.tree().nodes[size_t(k)].parent) {
            if (!wholePath && beam.tree().nodes[size_t(k)].step < beam.tree().nodes[size_t(focus)].step - 2) break;
            const QRect r = view.mapFromScene(view.nodeRect(k)).boundingRect();
            QVERIFY2(port.contains(r), qPrintable(QString("node %1 of the path (step %2) is at %3,%4 %5x%6, out of the %7x%8 view")
                                                      .arg(k).arg(beam.tree().nodes[size_t(k)].step).arg(r.x()).arg(r.y())
                                                      .arg(r.width()).arg(r.height()).arg(port.width()).arg(port.height())));
            QVERIFY2(!r.intersects(view.legendRect()), qPrintable(QString("node %1 of the path is under the legend").arg(k)));
        }
    }

    void statusesLookDifferent() {
        auto m = std::make_shared<fake::HashModel>(8, 5, -1, 1, 0, 2.0f);
        ar::BeamSearch beam(m, ar::Tokens{2}, ar::BeamSettings{2, 3, 0.0f});
        beam.stepRound();
        beam.stepRound();
        BeamTreeView view;
        showAtExactPixels(view, beam, *m, -1, beam.tree().rounds.back().front());
        int checked[3] = {0, 0, 0};
        for (int id : beam.tree().rounds.back()) {
            const auto& n = beam.tree().nodes[size_t(id)];
            const QPointF c = view.nodeCenter(id);
            if (!view.viewport()->rect().contains(view.mapFromScene(c))) continue;
            // Most of the box (inside the border) has the status' fill colour.
            const QImage img = view.viewport()->grab().toImage();
            const QPoint vc = view.mapFromScene(c);
            const int h = n.status == ar::BeamStatus::Pruned ? 15 : 36;
            const QRect box(vc.x() - 104 / 2 + 4, vc.y() - h / 2 + 3, 104 - 8, h - 6);
            const QColor want = BeamTreeView::fillColor(n.status);
            int match = 0, total = 0;
            for (int y = box.top(); y <= box.bottom(); ++y)
                for (int x = box.left(); x <= box.right(); ++x) {
                    const QColor got = img.pixelColor(x, y);
                    ++total;
                    match += std::abs(got.red() - want.red()) + std::abs(got.green() - want.green()) + std::abs(got.blue() - want.blue()) < 12;
                }
            QVERIFY2(match > total / 2, qPrintable(QString("node %1 (%2): %3 of %4 pixels are %5")
                                                     .arg(id).arg(QString::fromStdString(ar::beamStatusName(n.status))).arg(match).arg(total).arg(want.name())));
            checked[int(n.status)]++;
        }
        QVERIFY(checked[int(ar::BeamStatus::Alive)] > 0);
        QVERIFY(checked[int(ar::BeamStatus::Pruned)] > 0);
        QVERIFY(BeamTreeView::fillColor(ar::BeamStatus::Alive) != BeamTreeView::fillColor(ar::BeamStatus::Pruned));
        QVERIFY(BeamTreeView::fillColor(ar::BeamStatus::Finished) != BeamTreeView::fillColor(ar::BeamStatus::Alive));
    }

    void bestHypothesisHighlighted() {
        auto m = std::make_shared<fake::HashModel>(6, 9, -1, 1, 0, 2.0f);
        ar::BeamSearch beam(m, ar::Tokens{2}, ar::BeamSettings{2, 3, 0.0f});
        beam.run();
        const int best = beam.bestNode();
        QVERIFY(best > 0);
        BeamTreeView view;
        showAtExactPixels(view, beam, *m, best, best);
        QCOMPARE(view.bestNode(), best);
        const QColor got = pixelAt(view, view.nodeCenter(best) - QPointF(104 / 2 - 8, 0));
        QCOMPARE(got.name(), QColor(0xff, 0xf1, 0xc9).name());
    }

    void clickSelectsNode() {
        auto m = std::make_shared<fake::HashModel>(8, 3, -1, 1, 0, 2.0f);
        ar::BeamSearch beam(m, ar::Tokens{2}, ar::BeamSettings{3, 6, 0.0f});
        beam.stepRound();
        beam.stepRound();
        BeamSearchPanel panel;
        panel.resize(1000, 600);
        panel.show();
        panel.setSearch(beam.tree(), vocabOf(*m), "w2", beam.nbest(), beam.done(), "");
        BeamTreeView* view = panel.treeView();
        view->setZoom(1.0);
        // An alive node of round 1 that was expanded in round 2.
        int target = -1;
        for (int id : beam.tree().rounds[0])
            if (!beam.tree().nodes[size_t(id)].children.empty()) target = id;
        QVERIFY(target > 0);
        view->centerOn(view->nodeCenter(target));
        QSignalSpy spy(view, &BeamTreeView::nodeSelected);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->mapFromScene(view->nodeCenter(target)));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toInt(), target);
        QCOMPARE(view->selectedNode(), target);
        // The side panel: the prefix (prompt + the node's token) and its candidates.
        const QString token = QString::fromStdString(m->tokenizer().token(beam.tree().nodes[size_t(target)].token));
        QVERIFY2(panel.prefixText().contains(token), qPrintable(panel.prefixText()));
        QVERIFY(panel.prefixText().contains("w2"));
        QCOMPARE(panel.candidateTable()->rowCount(), int(beam.tree().nodes[size_t(target)].children.size()));
        const auto& first = beam.tree().nodes[size_t(beam.tree().nodes[size_t(target)].children.front())];
        QCOMPARE(panel.candidateTable()->item(0, 0)->text(), QString::fromStdString(m->tokenizer().token(first.token)));
        // Clicking empty space keeps the selection; selectNode(-1) clears it.
        view->selectNode(-1);
        QCOMPARE(view->selectedNode(), -1);
    }

    void zoomKeysAndWheel() {
        auto m = std::make_shared<fake::HashModel>(8, 3);
        ar::BeamSearch beam(m, ar::Tokens{2}, ar::BeamSettings{3, 4, 0.0f});
        beam.run();
        BeamTreeView view;
        view.resize(600, 400);
        view.show();
        view.setTree(beam.tree(), vocabOf(*m), "w2", beam.bestNode());
        const double z0 = view.zoomFactor();
        QTest::keyClick(&view, Qt::Key_Equal, Qt::ControlModifier);
        QVERIFY(view.zoomFactor() > z0 * 1.2);
        QTest::keyClick(&view, Qt::Key_Minus, Qt::ControlModifier);
        QTest::keyClick(&view, Qt::Key_Minus, Qt::ControlModifier);
        QVERIFY(view.zoomFactor() < z0);
        QWheelEvent wheel(QPointF(100, 100), view.viewport()->mapToGlobal(QPointF(100, 100)), QPoint(), QPoint(0, 240),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        const double z1 = view.zoomFactor();
        QApplication::sendEvent(view.viewport(), &wheel);
        QVERIFY(view.zoomFactor() > z1);
    }

    void dockStepsOneRoundPerClick() {
        GenerationController gen;
        auto m = std::make_shared<fake::HashModel>(10, 4, 0, 1, 0, 2.0f);
        gen.setModel(m, "fake");
        gen.setPrompt("w2 w3");
        QVERIFY(gen.session());
        BeamSearchPanel panel;
        BeamController ctl(&panel, &gen);
        connect(&gen, &GenerationController::changed, &ctl, &BeamController::generationChanged);
        panel.resize(1000, 600);
        panel.show();
        QVERIFY(ctl.search());
        QCOMPARE(ctl.search()->round(), 0);
        QCOMPARE(panel.treeView()->nodeCount(), 1);
        QSignalSpy updated(&ctl, &BeamController::updated);
        QTest::mouseClick(panel.stepButton(), Qt::LeftButton);
        QTRY_COMPARE(updated.count(), 1);
        QCOMPARE(ctl.search()->round(), 1);
        QCOMPARE(panel.treeView()->nodeCount(), int(ctl.search()->tree().nodes.size()));
        const int afterOne = panel.treeView()->nodeCount();
        QTest::mouseClick(panel.stepButton(), Qt::LeftButton);
        QTRY_COMPARE(updated.count(), 2);
        QCOMPARE(ctl.search()->round(), 2);
        QCOMPARE(panel.treeView()->nodeCount(), afterOne + int(ctl.search()->tree().rounds[1].size()));
        // Run to end, then Reset.
        QTest::mouseClick(panel.runButton(), Qt::LeftButton);
        QTRY_COMPARE(updated.count(), 3);
        QVERIFY(ctl.search()->done());
        QVERIFY(!panel.stepButton()->isEnabled());
        QTest::mouseClick(panel.resetButton(), Qt::LeftButton);
        QCOMPARE(ctl.search()->round(), 0);
        QCOMPARE(panel.treeView()->nodeCount(), 1);
        // A new prompt restarts the search; a prompt that does not encode shows why.
        ctl.stepRounds(2);
        gen.setPrompt("w5");
        QCOMPARE(ctl.search()->round(), 0);
        QCOMPARE(ctl.search()->prompt(), ar::Tokens{5});
        gen.setPrompt("zebra");
        QVERIFY(!ctl.search());
        QCOMPARE(panel.treeView()->nodeCount(), 0);
    }

    // A model that fails mid-search: the error reaches the panel and failed() (the status bar), never lost.
    void modelErrorIsShown() {
        struct FailingModel : fake::HashModel {
            using fake::HashModel::HashModel;
            mutable std::atomic<int> callsLeft{1000};   // step() calls before it breaks
            ar::Mat step(std::span<ar::DecodeState* const> states, std::span<const int> tokens) const override {
                if (--callsLeft < 0) throw std::runtime_error("the fake model broke");
                return fake::HashModel::step(states, tokens);
            }
        };
        GenerationController gen;
        auto model = std::make_shared<FailingModel>(10, 4, 0, 1, 0, 2.0f);
        gen.setModel(model, "fake");
        gen.setPrompt("w2 w3");
        BeamSearchPanel panel;
        BeamController ctl(&panel, &gen);
        QVERIFY(ctl.search());
        model->callsLeft = 2;   // two rounds, then the model fails
        QSignalSpy failed(&ctl, &BeamController::failed);
        ctl.stepRounds(10);
        QCOMPARE(failed.count(), 1);
        QVERIFY2(failed.at(0).at(0).toString().contains("the fake model broke"), qPrintable(failed.at(0).at(0).toString()));
        QVERIFY(panel.findChild<QLabel*>() != nullptr);
        bool shown = false;
        for (QLabel* l : panel.findChildren<QLabel*>()) shown = shown || l->text().contains("the fake model broke");
        QVERIFY(shown);
    }
};

QTEST_MAIN(TestBeamTreeView)
#include "tst_beamtreeview.moc"
