// The Attention dock's view alone, over fake attention of real scale (1024 tokens, 12 layers x 12 heads = 144
// maps): the single head shows every weight exactly; the all-heads grid's pixels are the max-pooling of the rows
// (computed here independently), made only for the maps on screen, and a step pools only the new row; the single
// head scrolls and zooms, and hovering names the exact weight and both tokens.
#include "app/gui/startup.h"
#include "widgets/attentiongradient.h"
#include "widgets/attentionview.h"

#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QtTest>
#include <qcustomplot.h>

#include <cmath>
#include <limits>
#include <random>

using namespace arlab;

namespace {

constexpr int kT = 1024, kL = 12, kH = 12;

// rows[q][l] = (H, q + 1), each row a distribution: noise, plus one sharp weight per head (on key q - h % 5, or
// on key 0 for every third head: an "attention sink"), so pooling that averaged would lose it.
const AttentionRows& fakeRows() {
    static const AttentionRows rows = [] {
        AttentionRows r(kT);
        std::mt19937 rng(7);
        std::uniform_real_distribution<float> u(0.0f, 1.0f);
        for (int q = 0; q < kT; ++q)
            for (int l = 0; l < kL; ++l) {
                ar::Mat m(kH, q + 1);
                for (int h = 0; h < kH; ++h) {
                    for (int k = 0; k <= q; ++k) m(h, k) = u(rng) * u(rng);
                    const int sharp = h % 3 == 0 ? 0 : std::max(0, q - h % 5);
                    m(h, sharp) += 2.0f * float(q + 1) * (0.2f + 0.05f * float(l));
                    m.row(h) /= m.row(h).sum();
                }
                r[size_t(q)].push_back(std::move(m));
            }
        return r;
    }();
    return rows;
}
std::span<const std::vector<ar::Mat>> firstRows(int T) { return std::span(fakeRows().data(), size_t(T)); }
QStringList tokens(int T) {
    QStringList t;
    for (int i = 0; i < T; ++i) t << QStringLiteral("w%1").arg(i % 97);
    return t;
}

// The documented pooling, computed here from the rows: s = the smallest power of two with ceil(T / s) <= B;
// pixel (bq, bk) = max of rows[q][l](h, k) over q in [bq*s, bq*s + s), k in [bk*s, bk*s + s), k <= q < T.
int poolSize(int T, int B) {
    int s = 1;
    while ((T + s - 1) / s > B) s *= 2;
    return s;
}
float expectedPixel(int T, int s, int l, int h, int bq, int bk) {
    float best = std::numeric_limits<float>::quiet_NaN();
    for (int q = bq * s; q < std::min(T, bq * s + s); ++q)
        for (int k = bk * s; k < std::min(q + 1, bk * s + s); ++k) {
            const float w = fakeRows()[size_t(q)][size_t(l)](h, k);
            if (std::isnan(best) || w > best) best = w;
        }
    return best;
}
void checkPooling(const AttentionGrid& grid, int T, int l, int h) {
    const int B = grid.cellSize(), s = poolSize(T, B);
    QCOMPARE(grid.tokensPerPixel(l, h), s);
    const QImage img = grid.image(l, h);
    QCPColorGradient g = attentionGradient();
    const int bins = (T + s - 1) / s;
    for (int bq = 0; bq < bins; ++bq)
        for (int bk = 0; bk < bins; ++bk) {
            const float want = expectedPixel(T, s, l, h, bq, bk), got = grid.pooled(l, h, bq, bk);
            if (std::isnan(want)) {
                QVERIFY2(std::isnan(got), qPrintable(QString("L%1 H%2 pixel (%3, %4) is wholly in the future").arg(l).arg(h).arg(bq).arg(bk)));
                QCOMPARE(qAlpha(img.pixel(bk, bq)), 0);
            } else {
                if (got != want) QFAIL(qPrintable(QString("L%1 H%2 pixel (%3, %4): %5, expected %6").arg(l).arg(h).arg(bq).arg(bk).arg(got).arg(want)));
                QCOMPARE(img.pixel(bk, bq), g.color(std::round(double(want) * 255.0) / 255.0, QCPRange(0, 1)));
            }
        }
}
// Paints what is on screen (the scroll area shows part of the grid).
void paint(AttentionView& view) {
    view.grid()->repaint();
    QApplication::processEvents();
}
// The view at width x height on screen, T tokens of attention, the all-heads grid open and painted.
void openGrid(AttentionView& view, int width, int height, int T) {
    view.resize(width, height);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setAttention(firstRows(T), tokens(T));
    view.setAllHeads(true);
    paint(view);
}
QRect visibleGridRect(AttentionView& view) {
    QScrollArea* area = view.gridArea();
    return QRect(view.grid()->mapFrom(area->viewport(), QPoint(0, 0)), area->viewport()->size());
}

}  // namespace

class TestAttentionView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QCOMPARE(int(fakeRows().size()), kT); }

    // The single head at full resolution: every cell the model's weight, the future NaN (masked, not zero).
    void singleHeadIsExact_data() {
        QTest::addColumn<int>("T");
        QTest::addColumn<int>("layer");
        QTest::addColumn<int>("head");
        QTest::newRow("7 tokens") << 7 << 0 << 0;
        QTest::newRow("300 tokens") << 300 << 5 << 11;
        QTest::newRow("1024 tokens") << 1024 << 11 << 7;
    }
    void singleHeadIsExact() {
        QFETCH(int, T);
        QFETCH(int, layer);
        QFETCH(int, head);
        AttentionView view;
        view.resize(700, 600);
        view.setAttention(firstRows(T), tokens(T));
        QCOMPARE(view.layerCount(), kL);
        QCOMPARE(view.headCount(), kH);
        QCOMPARE(view.tokenCount(), T);
        view.setSelection(layer, head);
        QCPColorMap* map = view.colorMap();
        QVERIFY(map);
        QVERIFY(!map->interpolate());
        QCOMPARE(map->data()->keySize(), T);
        QCOMPARE(map->data()->valueSize(), T);
        for (int q = 0; q < T; ++q)
            for (int k = 0; k < T; ++k) {
                const double cell = map->data()->cell(k, q);
                if (k > q) {
                    if (!std::isnan(cell)) QFAIL("a future cell is not masked");
                } else if (cell != double(fakeRows()[size_t(q)][size_t(layer)](head, k))) {
                    QFAIL(qPrintable(QString("cell (%1, %2) = %3").arg(q).arg(k).arg(cell)));
                }
            }
        // The text names both tokens and the exact weight.
        const int q = T - 1, k = T / 3;
        const QString text = view.cellText(q, k);
        const float w = fakeRows()[size_t(q)][size_t(layer)](head, k);
        QCOMPARE(text, QString("query '%1' (%2) → key '%3' (%4): %5").arg(tokens(T)[q]).arg(q).arg(tokens(T)[k]).arg(k)
                           .arg(QString::number(double(w), 'g', 6)));
        QVERIFY(view.cellText(0, 1).contains("masked"));
    }

    // Each small map of the grid is the max-pooling of the rows, as documented, at every size.
    void gridPixelsAreMaxPooledRows_data() {
        QTest::addColumn<int>("T");
        QTest::addColumn<int>("width");
        QTest::newRow("50 tokens, 1 per pixel") << 50 << 1400;
        QTest::newRow("333 tokens") << 333 << 900;
        QTest::newRow("1024 tokens") << 1024 << 700;
    }
    void gridPixelsAreMaxPooledRows() {
        QFETCH(int, T);
        QFETCH(int, width);
        AttentionView view;
        openGrid(view, width, 700, T);
        QVERIFY(!QTest::currentTestFailed());
        QVERIFY(!view.colorMap());
        AttentionGrid* grid = view.grid();
        QVERIFY(grid->cellSize() >= AttentionGrid::kMinCell);
        QVERIFY(grid->rendered(0, 0));
        for (int h : {0, 1, 4, kH - 1}) checkPooling(*grid, T, 0, h);
        // The legend says how the maps are reduced.
        const int s = poolSize(T, grid->cellSize());
        const QString legend = grid->toolTip();
        if (s > 1) QVERIFY2(legend.contains("max-pooled") && legend.contains(QString("%1 × %1").arg(s)), qPrintable(legend));
        else QVERIFY2(legend.contains("nothing pooled"), qPrintable(legend));
    }

    // Only the maps on screen are made; scrolling makes the others.
    void gridRendersOnlyVisibleMaps() {
        AttentionView view;
        openGrid(view, 700, 500, kT);
        QVERIFY(!QTest::currentTestFailed());
        AttentionGrid* grid = view.grid();
        const QRect visible = visibleGridRect(view);
        int shown = 0;
        for (int l = 0; l < kL; ++l)
            for (int h = 0; h < kH; ++h) {
                const bool onScreen = visible.intersects(grid->cellRect(l, h));
                shown += onScreen;
                QVERIFY2(grid->rendered(l, h) == onScreen, qPrintable(QString("L%1 H%2").arg(l + 1).arg(h + 1)));
                QCOMPARE(grid->pooledRows(l, h), onScreen ? kT : 0);
            }
        QVERIFY2(shown > 0 && shown < kL * kH, qPrintable(QString::number(shown)));
        QCOMPARE(grid->renderedCount(), shown);
        QVERIFY(!grid->rendered(kL - 1, 0));
        view.gridArea()->verticalScrollBar()->setValue(view.gridArea()->verticalScrollBar()->maximum());
        paint(view);
        QVERIFY(grid->rendered(kL - 1, 0));
        QVERIFY(grid->renderedCount() > shown);
        checkPooling(*grid, kT, kL - 1, 3);
    }

    // A step adds one row: each map on screen pools exactly that row; a Back un-pools only its partial pixel row;
    // growing past the image's resolution merges pixels without reading any row again.
    void stepPoolsOnlyTheNewRow_data() {
        QTest::addColumn<int>("from");
        QTest::newRow("1000 -> 1001") << 1000;
        QTest::newRow("across a resolution step") << -1;   // T = B * s exactly, so T + 1 needs 2s
    }
    void stepPoolsOnlyTheNewRow() {
        QFETCH(int, from);
        AttentionView view;
        view.resize(700, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setAllHeads(true);
        view.setAttention(firstRows(kT), tokens(kT));   // (the layout with its scroll bar: the cell size to use)
        paint(view);
        AttentionGrid* grid = view.grid();
        const int B = grid->cellSize();
        if (from < 0) from = B * 4;
        QVERIFY(from < kT);
        view.setAttention(firstRows(from), tokens(from));
        paint(view);
        std::vector<int> before;
        for (int l = 0; l < kL; ++l)
            for (int h = 0; h < kH; ++h) before.push_back(grid->pooledRows(l, h));
        view.setAttention(firstRows(from + 1), tokens(from + 1), from);
        paint(view);
        QCOMPARE(grid->cellSize(), B);
        for (int l = 0; l < kL; ++l)
            for (int h = 0; h < kH; ++h) {
                const int b = before[size_t(l * kH + h)];
                QCOMPARE(grid->pooledRows(l, h), b > 0 ? b + 1 : 0);
            }
        QCOMPARE(poolSize(from + 1, B) > poolSize(from, B), QTest::currentDataTag() == QString("across a resolution step"));
        checkPooling(*grid, from + 1, 0, 0);
        checkPooling(*grid, from + 1, 1, 2);
        // Back: the rows of the pixel row holding the removed row are pooled again, no more.
        const int s = poolSize(from + 1, B);
        view.setAttention(firstRows(from), tokens(from), from);
        paint(view);
        // (back below the resolution step, the map is made again at the finer resolution: every row)
        const int expect = poolSize(from, B) < s ? from : from % s;
        const int again = grid->pooledRows(0, 0) - (before[0] + 1);
        QVERIFY2(again == expect, qPrintable(QString("%1 rows pooled again, expected %2").arg(again).arg(expect)));
        checkPooling(*grid, from, 0, 0);
    }

    // The single head scrolls and zooms (wheel, Shift+wheel, Ctrl+wheel, +/- and 0), never off the matrix, and
    // the zoomed window survives a step; hovering a cell names it exactly.
    void singleHeadScrollsAndZooms() {
        AttentionView view;
        view.resize(700, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setAttention(firstRows(kT), tokens(kT));
        view.setSelection(2, 3);
        QCustomPlot* plot = view.plot();
        plot->replot();
        const double lo = -0.5, hi = kT - 0.5;
        QCOMPARE(view.visibleTokens(), QRectF(QPointF(lo, lo), QPointF(hi, hi)));
        auto inside = [&] {
            const QRectF w = view.visibleTokens();
            return w.left() >= lo - 1e-9 && w.right() <= hi + 1e-9 && w.top() >= lo - 1e-9 && w.bottom() <= hi + 1e-9;
        };
        view.setFocus();
        QTest::keyClick(&view, Qt::Key_Plus);
        QVERIFY(std::abs(view.visibleTokens().width() - kT / 1.25) < 1e-6);
        QTest::keyClick(&view, Qt::Key_Minus);
        QVERIFY(std::abs(view.visibleTokens().width() - kT) < 1e-6);
        QTest::keyClick(&view, Qt::Key_Plus);
        QTest::keyClick(&view, Qt::Key_0);
        QCOMPARE(view.visibleTokens(), QRectF(QPointF(lo, lo), QPointF(hi, hi)));

        auto wheel = [&](int delta, Qt::KeyboardModifiers mods) {
            const QPointF at = plot->axisRect()->center();
            QWheelEvent e(at, plot->mapToGlobal(at), QPoint(), QPoint(0, delta), Qt::NoButton, mods, Qt::NoScrollPhase, false);
            QApplication::sendEvent(plot, &e);
        };
        for (int i = 0; i < 8; ++i) wheel(120, Qt::ControlModifier);   // zoom in 1.25^8 = ~6x
        QRectF w = view.visibleTokens();
        QVERIFY2(w.width() < kT / 5.0 && w.height() < kT / 5.0, qPrintable(QString::number(w.width())));
        QVERIFY(inside());
        wheel(-120, Qt::NoModifier);   // scroll down: later queries
        QVERIFY(view.visibleTokens().top() > w.top());
        QCOMPARE(view.visibleTokens().left(), w.left());
        w = view.visibleTokens();
        wheel(-120, Qt::ShiftModifier);   // the keys
        QVERIFY(view.visibleTokens().left() > w.left());
        QCOMPARE(view.visibleTokens().top(), w.top());
        for (int i = 0; i < 100; ++i) wheel(-120, Qt::NoModifier);   // far past the end: stops at the last query
        QVERIFY(inside());
        QVERIFY(std::abs(view.visibleTokens().bottom() - hi) < 1e-6);
        // The window stays across a step (the view does not jump back to the whole matrix).
        w = view.visibleTokens();
        view.setAttention(firstRows(kT), tokens(kT), kT - 1);
        QVERIFY(view.colorMap());
        QVERIFY(std::abs(view.visibleTokens().width() - w.width()) < 1e-6);
        // Hover: the cell under the mouse, exactly.
        plot->replot();
        const int q = int(std::lround(w.center().y())), k = std::min(q, int(std::lround(w.center().x())));
        const QPointF at(view.colorMap()->keyAxis()->coordToPixel(k), view.colorMap()->valueAxis()->coordToPixel(q));
        QMouseEvent move(QEvent::MouseMove, at, plot->mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(plot, &move);
        QCOMPARE(view.hoverText(), view.cellText(q, k));
        QVERIFY(view.hoverText().endsWith(QString::number(double(fakeRows()[size_t(q)][2](3, k)), 'g', 6)));
    }

    // The grid: hovering names the exact weight and the pooled pixel; a click opens that map at full resolution.
    void gridHoverAndClick() {
        AttentionView view;
        openGrid(view, 700, 500, kT);
        QVERIFY(!QTest::currentTestFailed());
        AttentionGrid* grid = view.grid();
        const int l = 1, h = 4, q = 700, k = 698;
        const QPoint at = grid->pointOf(l, h, q, k);
        int gl, gh, gq, gk;
        QVERIFY(grid->cellAt(at, &gl, &gh, &gq, &gk));
        QCOMPARE(gl, l);
        QCOMPARE(gh, h);
        QMouseEvent move(QEvent::MouseMove, at, grid->mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(grid, &move);
        const QString text = view.hoverText();
        QVERIFY2(text.startsWith(QString("L2 H5: ") + view.cellText(l, h, gq, gk)), qPrintable(text));
        const int s = grid->tokensPerPixel(l, h);
        QVERIFY(s > 1);
        QVERIFY2(text.contains(QString("this pixel: max %1 over queries %2–%3").arg(QString::number(double(expectedPixel(kT, s, l, h, gq / s, gk / s)), 'g', 6))
                                   .arg(gq / s * s).arg(gq / s * s + s - 1)),
                 qPrintable(text));
        QSignalSpy selected(&view, &AttentionView::selectionChanged);
        QTest::mouseClick(grid, Qt::LeftButton, Qt::NoModifier, at);
        QVERIFY(!view.allHeads());
        QCOMPARE(view.layer(), l);
        QCOMPARE(view.head(), h);
        QCOMPARE(selected.count(), 1);
        QVERIFY(view.colorMap());
        QCOMPARE(view.colorMap()->data()->cell(k, q), double(fakeRows()[q][l](h, k)));
    }

    // `arlab --all-heads` (for screenshots and slides) asks for the grid; without it the single head shows.
    void allHeadsOption() {
        StartupOptions with, without;
        QVERIFY(!arlab::parseCommandLine({"arlab", "--all-heads", "--steps", "3"}, &with).exit);
        QVERIFY(with.allHeads);
        QVERIFY(!arlab::parseCommandLine({"arlab", "--steps", "3"}, &without).exit);
        QVERIFY(!without.allHeads);
        const ParseOutcome help = arlab::parseCommandLine({"arlab", "--help"}, &without);
        QVERIFY(help.output.contains("--all-heads"));
    }
};

QTEST_MAIN(TestAttentionView)
#include "tst_attentionview.moc"
