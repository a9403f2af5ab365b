// PixelGridView (widgets/pixelgridview.h) alone, with fake cells: each cell is painted in its value's colour
// (binary: grey levels; probability: the blue -> yellow scale; not drawn yet: dark grey), fixed cells get a blue
// tint, the overlay an orange square, the marked cell a red outline; cells of the wrong count are refused; when
// editable, left-drag paints and right-drag erases each cell once (cellPainted), and nothing when not editable.
#include "widgets/pixelgridview.h"

#include <QMouseEvent>
#include <QSignalSpy>
#include <QtTest>

using namespace arlab;

Q_DECLARE_METATYPE(arlab::PixelGridView::Mode)

namespace {

// A 4 x 5 grid of 56-pixel cells in a 280 x 280 view.
void setUp(PixelGridView& v) {
    v.resize(280, 280);
    v.setGrid(4, 5);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
}

// Colours compared as 8-bit RGB (what a painted pixel holds).
QRgb centreOf(const QImage& img, const QRect& cell) { return img.pixel(cell.center()) | 0xff000000u; }
QRgb rgb(const QColor& c) { return c.rgb(); }

// A mouse event with explicit buttons (a drag is a move with a button held).
void send(PixelGridView& v, QEvent::Type type, int cell, Qt::MouseButton button, Qt::MouseButtons held) {
    const QPointF at = v.cellRect(cell).center();
    QMouseEvent e(type, at, v.mapToGlobal(at), button, held, Qt::NoModifier);
    QApplication::sendEvent(&v, &e);
}

}  // namespace

class TestPixelGridView : public QObject {
    Q_OBJECT
private slots:
    void cellsArePaintedInTheirColour_data() {
        QTest::addColumn<PixelGridView::Mode>("mode");
        QTest::addColumn<float>("value");
        QTest::addColumn<QColor>("expected");
        QTest::newRow("binary ink") << PixelGridView::Mode::Binary << 1.0f << QColor(255, 255, 255);
        QTest::newRow("binary paper") << PixelGridView::Mode::Binary << 0.0f << QColor(0, 0, 0);
        QTest::newRow("binary grey") << PixelGridView::Mode::Binary << 0.5f << QColor(128, 128, 128);
        QTest::newRow("binary, above 1 clamps") << PixelGridView::Mode::Binary << 3.0f << QColor(255, 255, 255);
        QTest::newRow("not drawn yet") << PixelGridView::Mode::Binary << -1.0f << QColor(70, 70, 76);
        QTest::newRow("probability 0: blue") << PixelGridView::Mode::Probability << 0.0f << QColor::fromRgbF(0.27f, 0.0f, 0.33f);
        QTest::newRow("probability 1: yellow") << PixelGridView::Mode::Probability << 1.0f << QColor::fromRgbF(0.99f, 0.9f, 0.13f);
    }
    void cellsArePaintedInTheirColour() {
        QFETCH(PixelGridView::Mode, mode);
        QFETCH(float, value);
        QFETCH(QColor, expected);
        PixelGridView v;
        setUp(v);
        v.setMode(mode);
        QCOMPARE(rgb(v.cellColor(value)), rgb(expected));
        QVector<float> cells(20, 0.25f);
        cells[7] = value;
        v.setCells(cells);
        QCOMPARE(v.cells(), cells);
        const QImage img = v.grab().toImage();
        QCOMPARE(centreOf(img, v.cellRect(7)), rgb(expected));
        QCOMPARE(centreOf(img, v.cellRect(8)), rgb(v.cellColor(0.25f)));
        // the grid: 5 columns of 56 pixels, centred, row by row from the top
        QCOMPARE(v.cellRect(0), QRect(0, 0, 56, 56));
        QCOMPARE(v.cellRect(7), QRect(2 * 56, 56, 56, 56));
    }

    void fixedOverlayAndMark() {
        PixelGridView v;
        setUp(v);
        v.setCells(QVector<float>(20, 0.0f));
        QVector<bool> fixed(20, false);
        fixed[1] = true;
        v.setFixed(fixed);
        QVector<float> overlay(20, 0.0f);
        overlay[2] = 1.0f;
        v.setOverlay(overlay);
        v.setMarked(3);
        QCOMPARE(v.marked(), 3);
        const QImage img = v.grab().toImage();
        const QColor tinted = img.pixelColor(v.cellRect(1).center()), orange = img.pixelColor(v.cellRect(2).center());
        QCOMPARE(centreOf(img, v.cellRect(0)), qRgb(0, 0, 0));
        QVERIFY2(tinted.blue() > 80 && tinted.blue() > tinted.red(), qPrintable(tinted.name()));
        QVERIFY2(orange.red() > 200 && orange.green() > 80 && orange.blue() < 40, qPrintable(orange.name()));
        // the overlay is a square in the middle: the cell's own colour shows around it
        QCOMPARE(img.pixel(v.cellRect(2).topLeft() + QPoint(3, 3)) | 0xff000000u, qRgb(0, 0, 0));
        // the marked cell's outline is red, its middle keeps its colour
        const QColor edge = img.pixelColor(v.cellRect(3).left() + 1, v.cellRect(3).center().y());
        QVERIFY2(edge.red() > 200 && edge.green() < 60, qPrintable(edge.name()));
        QCOMPARE(centreOf(img, v.cellRect(3)), qRgb(0, 0, 0));
    }

    // Setters with the wrong number of cells change nothing (cells) or clear (fixed, overlay); setGrid resets.
    void wrongSizesAreRefused() {
        PixelGridView v;
        v.setGrid(2, 3);
        QCOMPARE(v.cells(), QVector<float>(6, -1.0f));
        v.setCells({0, 1, 0, 1, 0, 1});
        v.setCells({1, 1});
        QCOMPARE(v.cells(), QVector<float>({0, 1, 0, 1, 0, 1}));
        v.setOverlay(QVector<float>(6, 0.5f));
        QCOMPARE(v.overlay().size(), 6);
        v.setOverlay(QVector<float>(5, 0.5f));
        QVERIFY(v.overlay().isEmpty());
        v.setMarked(4);
        v.setGrid(0, -3);   // at least 1 x 1
        QCOMPARE(v.gridHeight(), 1);
        QCOMPARE(v.gridWidth(), 1);
        QCOMPARE(v.cells(), QVector<float>(1, -1.0f));
        QCOMPARE(v.marked(), -1);
    }

    void dragPaintsEachCellOnce_data() {
        QTest::addColumn<bool>("editable");
        QTest::addColumn<int>("button");   // Qt::MouseButton
        QTest::addColumn<QList<int>>("cells");
        QTest::addColumn<int>("value");
        QTest::newRow("left paints ink") << true << int(Qt::LeftButton) << QList<int>{6, 7, 8} << 1;
        QTest::newRow("right erases") << true << int(Qt::RightButton) << QList<int>{12, 7, 2} << 0;
        QTest::newRow("not editable") << false << int(Qt::LeftButton) << QList<int>{} << 1;
    }
    void dragPaintsEachCellOnce() {
        QFETCH(bool, editable);
        QFETCH(int, button);
        QFETCH(QList<int>, cells);
        QFETCH(int, value);
        PixelGridView v;
        setUp(v);
        v.setEditable(editable);
        QSignalSpy spy(&v, &PixelGridView::cellPainted);
        const auto b = Qt::MouseButton(button);
        const QList<int> path = editable ? cells : QList<int>{6, 7, 8};
        send(v, QEvent::MouseButtonPress, path[0], b, b);
        for (int i = 0; i < path.size(); ++i) {
            send(v, QEvent::MouseMove, path[i], Qt::NoButton, b);
            send(v, QEvent::MouseMove, path[i], Qt::NoButton, b);   // still in the same cell: no new signal
        }
        send(v, QEvent::MouseButtonRelease, path.back(), b, Qt::NoButton);
        send(v, QEvent::MouseMove, 19, Qt::NoButton, Qt::NoButton);   // hovering paints nothing
        QCOMPARE(spy.count(), cells.size());
        for (int i = 0; i < cells.size(); ++i) {
            QCOMPARE(spy[i][0].toInt(), cells[i]);
            QCOMPARE(spy[i][1].toInt(), value);
        }
        // the view itself does not change: the owner decides (a plain view)
        QCOMPARE(v.cells(), QVector<float>(20, -1.0f));
    }
};

QTEST_MAIN(TestPixelGridView)
#include "tst_pixelgridview.moc"
