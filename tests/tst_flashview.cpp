// FlashView (widgets/flashview.h) alone, with a fake tile trace (no model): it opens on the last tile, Step and the
// slider move through the tiles (clamped, -1 = before the first), the row table shows the running max and sum of
// the current tile and the rescaling factor where a new maximum appeared (no number or token of it ever broken
// across lines), Play animates to the end and stops, the grid paints done cells blue and the current tile orange,
// and the CSV written by the export path has one row per tile and query row.
#include "widgets/flashview.h"
#include "guitestutil.h"

#include <QApplication>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>
#include <QTextTable>
#include <QtTest>

#include <cmath>

using namespace arlab;

namespace {

ar::nn::FlashTile tile(int q0, int nq, int k0, int nk, std::vector<float> before, std::vector<float> after,
                       std::vector<float> sum, std::vector<char> rescaled) {
    ar::nn::FlashTile t;
    t.q0 = q0, t.nq = nq, t.k0 = k0, t.nk = nk;
    t.maxBefore = std::move(before);
    t.maxAfter = std::move(after);
    t.sumAfter = std::move(sum);
    t.rescaled = std::move(rescaled);
    return t;
}

// T = 4, blocks 2 x 2: (rows 0-1, keys 0-1), (rows 2-3, keys 0-1), (rows 2-3, keys 2-3); row 3 finds a new max.
FlashViewData fake() {
    FlashViewData d;
    d.tokens = {"the", "cat", "sat", "."};
    d.blockQ = d.blockK = 2;
    const float inf = INFINITY;
    d.tiles = {tile(0, 2, 0, 2, {-inf, -inf}, {1.0f, 2.0f}, {1.0f, 1.5f}, {0, 0}),
               tile(2, 2, 0, 2, {-inf, -inf}, {0.5f, 1.0f}, {1.25f, 2.0f}, {0, 0}),
               tile(2, 2, 2, 2, {0.5f, 1.0f}, {0.5f, 3.0f}, {1.5f, 1.125f}, {0, 1})};
    d.probabilities = ar::Mat::Constant(4, 4, 0.25f);
    d.flashBytes = 1234;
    d.standardBytes = 56789;
    d.title = "layer 0, head 1";
    return d;
}

}  // namespace

class TestFlashView : public QObject {
    Q_OBJECT
private slots:
    void framesMoveThroughTheTiles_data() {
        QTest::addColumn<int>("frame");     // asked for
        QTest::addColumn<int>("shown");     // after clamping
        QTest::addColumn<QString>("text");  // in the row table
        QTest::newRow("before the first") << -1 << -1 << "Before the first tile";
        QTest::newRow("below: clamped") << -9 << -1 << "Before the first tile";
        QTest::newRow("first tile") << 0 << 0 << "<b>Tile 1 of 3</b>: queries 0–1 × keys 0–1";
        QTest::newRow("the rescaling tile") << 2 << 2 << "new max: earlier sums × 0.135";   // exp(1 - 3)
        QTest::newRow("past the end: clamped") << 7 << 2 << "<b>Tile 3 of 3</b>";
    }
    void framesMoveThroughTheTiles() {
        QFETCH(int, frame);
        QFETCH(int, shown);
        QFETCH(QString, text);
        FlashView v;
        v.setData(fake());
        QCOMPARE(v.frameCount(), 3);
        QCOMPARE(v.frame(), 2);   // opens on the last tile: the whole trace done
        v.setFrame(frame);
        QCOMPARE(v.frame(), shown);
        QVERIFY2(v.rowText().contains(text), qPrintable(v.rowText()));
        QCOMPARE(v.findChild<QSlider*>()->value(), shown + 1);
    }

    void stepSliderAndPlay() {
        FlashView v;
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        v.setData(fake());
        v.setFrame(-1);
        QPushButton* step = nullptr;
        QPushButton* play = nullptr;
        for (QPushButton* b : v.findChildren<QPushButton*>()) (b->text() == "Step" ? step : play) = b;
        QVERIFY(step && play);
        QTest::mouseClick(step, Qt::LeftButton);
        QCOMPARE(v.frame(), 0);
        QVERIFY(v.rowText().contains("<td>cat</td><td>−∞</td><td>2.000</td><td>1.500</td>"));
        v.findChild<QSlider*>()->setValue(2);   // the slider counts "before the first" as 0
        QCOMPARE(v.frame(), 1);
        QTest::mouseClick(play, Qt::LeftButton);
        QVERIFY(v.isPlaying());
        QCOMPARE(play->text(), QString("Pause"));
        QTRY_VERIFY_WITH_TIMEOUT(!v.isPlaying(), 10000);   // plays to the last tile and stops
        QCOMPARE(v.frame(), 2);
        QCOMPARE(play->text(), QString("Play"));
        v.setPlaying(true);   // at the end: starts again from the beginning
        QCOMPARE(v.frame(), -1);
        v.setPlaying(false);
    }

    // Grey above the diagonal (masked), blue for cells folded in, orange for the current tile.
    void gridPaintsTheTiles() {
        FlashView v;
        v.resize(900, 600);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        v.setData(fake());
        v.setFrame(1);
        auto* grid = v.findChild<QWidget*>("flashGrid");
        QVERIFY(grid);
        const QImage img = grid->grab().toImage();
        const double cell = std::max(2.0, std::min((grid->width() - 70) / 4.0, (grid->height() - 70) / 4.0));
        const auto at = [&](int r, int c) { return img.pixelColor(QPointF(60 + (c + 0.3) * cell, 60 + (r + 0.3) * cell).toPoint()); };
        const QColor masked = at(0, 3), done = at(1, 0), current = at(3, 1), later = at(3, 3);
        QCOMPARE(masked, QColor(235, 235, 235));
        QCOMPARE(current, QColor(243, 156, 18));
        QCOMPARE(later, QColor(250, 250, 250));   // visible but not processed yet
        QVERIFY2(done.blue() > done.red() + 50, qPrintable(done.name()));
    }

    // The token labels beside the grid are drawn in the window's font (presentation mode enlarges it, here the
    // view's font x1.6), not at a fixed 9 pt: the ink of the first row's label ("the") is measured left of the grid.
    void tokenLabelsFollowTheFont_data() {
        QTest::addColumn<double>("fontScale");
        QTest::newRow("normal") << 1.0;
        QTest::newRow("presentation mode, fonts x1.6") << 1.6;
    }
    void tokenLabelsFollowTheFont() {
        QFETCH(double, fontScale);
        FlashView v;
        QFont font = v.font();
        font.setPointSizeF(font.pointSizeF() * fontScale);
        v.setFont(font);
        v.resize(900, 600);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        v.setData(fake());
        auto* grid = v.findChild<QWidget*>("flashGrid");
        QVERIFY(grid);
        const QImage img = grid->grab().toImage();
        // rows with ink left of x = 55 (the grid starts at x >= 60), in runs: "q \ k" at the top, then "the"
        QList<std::pair<int, int>> runs;
        for (int y = 0; y < img.height(); ++y) {
            bool ink = false;
            for (int x = 0; x < 55 && !ink; ++x) ink = qGray(img.pixel(x, y)) < 120;
            if (!ink) continue;
            if (!runs.isEmpty() && y - runs.back().second <= 2) runs.back().second = y;
            else runs.append({y, y});
        }
        QVERIFY2(runs.size() >= 2, "no row label found");
        const int ink = runs[1].second - runs[1].first + 1;
        const int ascent = QFontMetrics(grid->font()).ascent();
        QVERIFY2(ink >= 0.6 * ascent, qPrintable(QString("'the' is %1 px high, the font's ascent %2 px").arg(ink).arg(ascent)));
    }

    // No number (nor token) of the row table is ever broken across lines: the table laid out as the label lays it
    // out (its font, its width, and breaking inside a word where a column is too narrow) has every cell on one line
    // and fits the label's width (nothing cut off), in every frame, in normal and presentation fonts (x1.6), in a view half a projector wide and a narrow one.
    void tableCellsNeverWrap_data() {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<double>("fontScale");
        for (QSize size : {QSize(640, 500), QSize(420, 400)})
            for (double scale : {1.0, 1.6}) QTest::addRow("%dx%d, fonts x%.1f", size.width(), size.height(), scale) << size << scale;
    }
    void tableCellsNeverWrap() {
        QFETCH(QSize, size);
        QFETCH(double, fontScale);
        FlashView v;
        QFont font = v.font();
        font.setPointSizeF(font.pointSizeF() * fontScale);
        v.setFont(font);
        FlashViewData d = fake();
        d.tokens = {"the", "happiest", "sat", "."};
        d.tiles[2].maxBefore = {-10.125f, 1.0f};
        d.tiles[2].maxAfter = {-10.125f, 13.5f};
        d.tiles[2].sumAfter = {123.456f, 12.595f};
        v.setData(d);
        v.resize(size);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        QLabel* rows = nullptr;
        for (QLabel* l : v.findChildren<QLabel*>())
            if (l->text() == v.rowText()) rows = l;
        QVERIFY(rows);
        for (int frame = 0; frame < v.frameCount(); ++frame) {
            v.setFrame(frame);
            QApplication::processEvents();
            QTextDocument doc;
            doc.setDefaultFont(rows->font());
            QTextOption option;
            option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
            doc.setDefaultTextOption(option);
            doc.setHtml(rows->text());
            doc.setTextWidth(rows->contentsRect().width());
            QVERIFY2(doc.size().width() <= rows->contentsRect().width() + 0.5,   // (laid out) nothing cut off on the right
                     qPrintable(QString("frame %1: the table needs %2 px, the label is %3 px").arg(frame).arg(doc.size().width()).arg(rows->contentsRect().width())));
            QTextTable* table = nullptr;
            for (QTextFrame* f : doc.rootFrame()->childFrames())
                if (auto* t = qobject_cast<QTextTable*>(f)) table = t;
            QVERIFY(table);
            QCOMPARE(table->rows(), 3);
            for (int r = 0; r < table->rows(); ++r)
                for (int c = 0; c < 4; ++c) {   // query, m before, m after, l
                    const QTextTableCell cell = table->cellAt(r, c);
                    const QTextBlock block = cell.firstCursorPosition().block();
                    QVERIFY2(block.layout() && block.layout()->lineCount() == 1,
                             qPrintable(QString("frame %1: '%2' on %3 lines in a %4 px label").arg(frame).arg(block.text()).arg(block.layout() ? block.layout()->lineCount() : 0).arg(rows->width())));
                }
        }
    }

    void csvHasOneRowPerTileRow() {
        FlashView v;
        QCOMPARE(v.exportTable().emptyReason, QString("no prompt traced yet"));
        v.setData(fake());
        const testutil::Csv csv = testutil::viewCsv(&v);
        QCOMPARE(csv.header, QStringList({"tile", "query_block", "key_block", "row", "max_before", "max_after", "sum_after", "rescaled"}));
        QCOMPARE(csv.rows.size(), 6);
        QCOMPARE(csv.rows[5], QStringList({"2", "2", "2", "3", "1", "3", "1.125", "1"}));
        QCOMPARE(csv.cell(0, "max_before"), QString("-inf"));   // no maximum yet
        v.setMessage("positions are not learned");
        QVERIFY(testutil::showsLabel(&v, "positions are not learned"));
    }
};

QTEST_MAIN(TestFlashView)
#include "tst_flashview.moc"
