// CompareView: rows as chips in aligned columns, the first divergence from greedy marked in red.
#include "widgets/compareview.h"

#include <QApplication>
#include <QScrollArea>
#include <QSignalSpy>
#include <QPushButton>
#include <QtTest>

using namespace arlab;

static ar::CompareRow row(const std::string& label, std::vector<std::string> pieces, std::vector<float> probs) {
    ar::CompareRow r;
    r.label = label;
    for (size_t i = 0; i < pieces.size(); ++i) r.tokens.push_back(int(pieces[i][0]));
    r.pieces = std::move(pieces);
    r.probs = std::move(probs);
    for (float p : r.probs) r.logprob += std::log(double(p));
    return r;
}

static int redPixels(const QImage& img, QRect area) {
    int n = 0;
    area = area.intersected(img.rect());
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x) {
            const QColor c = img.pixelColor(x, y);
            if (c.red() > 180 && c.green() < 90 && c.blue() < 90) ++n;
        }
    return n;
}

class TestCompareView : public QObject {
    Q_OBJECT
private slots:
    void marksTheDivergence() {
        std::vector<ar::CompareRow> rows{row("greedy", {"the", "cat", "sat"}, {0.5f, 0.4f, 0.3f}),
                                         row("beam k=2", {"the", "cat", "ran"}, {0.5f, 0.4f, 0.2f}),
                                         row("sample seed=1", {"the", "cat", "sat"}, {0.5f, 0.4f, 0.3f}),
                                         row("sample seed=2", {"a", "dog"}, {0.1f, 0.2f})};
        rows[0].divergence = -1;
        rows[1].divergence = ar::firstDivergence(rows[0].tokens, rows[1].tokens);
        rows[2].divergence = ar::firstDivergence(rows[0].tokens, rows[2].tokens);
        rows[3].divergence = ar::firstDivergence(rows[0].tokens, rows[3].tokens);
        QCOMPARE(rows[1].divergence, 2);
        QCOMPARE(rows[2].divergence, -1);
        QCOMPARE(rows[3].divergence, 0);
        CompareView view;
        view.resize(900, 400);
        view.show();
        view.setRows(rows, "prompt");
        QCOMPARE(view.markedDivergence(1), 2);
        QCOMPARE(view.markedDivergence(2), -1);
        const QImage img = view.canvas()->grab().toImage();
        // Red frame around the divergent chip; none around the chips before it, none in identical rows.
        QVERIFY(redPixels(img, view.chipRect(1, 2).adjusted(-3, -3, 3, 3)) > 20);
        QCOMPARE(redPixels(img, view.chipRect(1, 0).adjusted(1, 1, -1, -1)), 0);
        QCOMPARE(redPixels(img, view.chipRect(1, 1).adjusted(1, 1, -1, -1)), 0);
        for (int i = 0; i < 3; ++i) QCOMPARE(redPixels(img, view.chipRect(2, i).adjusted(-3, -3, 3, 3)), 0);
        QCOMPARE(redPixels(img, view.chipRect(0, 0).adjusted(-3, -3, 3, 3)), 0);
        QVERIFY(redPixels(img, view.chipRect(3, 0).adjusted(-3, -3, 3, 3)) > 20);
        // Chips are coloured by probability: a likelier token is darker.
        QVERIFY(view.chipColor(0.9f).lightness() < view.chipColor(0.1f).lightness());
        const QColor c = img.pixelColor(view.chipRect(0, 0).center() + QPoint(0, 9));
        QVERIFY(std::abs(c.lightness() - view.chipColor(0.5f).lightness()) < 10);
        // Columns line up across rows.
        QCOMPARE(view.chipRect(0, 2).left(), view.chipRect(3, 2).left());
    }

    // Laid out at its minimum height, the view shows every row whole, the last row's probabilities included
    // (they were cut off at the bottom of the Decoding lesson's dock); in presentation mode's larger font too.
    void everyRowFits_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<double>("fontScale");
        QTest::newRow("5 rows") << 5 << 1.0;
        QTest::newRow("5 rows, larger font") << 5 << 1.6;
        QTest::newRow("8 rows") << 8 << 1.0;
    }
    void everyRowFits() {
        QFETCH(int, rows);
        QFETCH(double, fontScale);
        std::vector<ar::CompareRow> list;
        for (int r = 0; r < rows; ++r) list.push_back(row("sample seed=" + std::to_string(r), {"the", "cat", "sat", "."}, {0.5f, 0.4f, 0.3f, 0.9f}));
        CompareView view;
        QFont f = view.font();
        f.setPointSizeF(f.pointSizeF() * fontScale);
        view.setFont(f);
        view.setRows(list, "prompt");
        view.resize(900, view.minimumSizeHint().height());
        view.show();
        QApplication::processEvents();
        auto* scroll = view.findChild<QScrollArea*>();
        QVERIFY(scroll);
        // The last row's probability text: under its chip, in the small font.
        const QRect last = view.chipRect(rows - 1, 0);
        QFont small = f;
        small.setPointSizeF(f.pointSizeF() * 0.75);
        const int bottom = last.bottom() + 1 + QFontMetrics(small).height();
        QVERIFY2(bottom <= scroll->viewport()->height(),
                 qPrintable(QString("probabilities end at %1 px, the view shows %2 px").arg(bottom).arg(scroll->viewport()->height())));
        QVERIFY(last.height() >= QFontMetrics(f).height());   // the chip holds its token in the view's font
    }

    void runButtonEmitsSettings() {
        CompareView view;
        ar::CompareSettings s;
        s.samples = 5;
        s.maxNewTokens = 7;
        s.seed = 9;
        view.setSettings(s, 2);
        QSignalSpy spy(&view, &CompareView::runRequested);
        QTest::mouseClick(view.runButton(), Qt::LeftButton);
        QCOMPARE(spy.count(), 1);
        const auto got = spy.at(0).at(0).value<ar::CompareSettings>();
        QCOMPARE(got.samples, 5);
        QVERIFY(got.beamRow);
        QCOMPARE(view.beamWidth(), 2);
        QCOMPARE(got.maxNewTokens, 7);
        QCOMPARE(got.seed, uint64_t(9));
    }

    void messageWhenEmpty() {
        CompareView view;
        view.setMessage("No text model loaded.");
        QVERIFY(view.rows().empty());
    }
};

Q_DECLARE_METATYPE(ar::CompareSettings)
QTEST_MAIN(TestCompareView)
#include "tst_compareview.moc"
