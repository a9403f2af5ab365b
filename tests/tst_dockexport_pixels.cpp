// CSV export of the Images lesson's docks against the core: the Pixels dock (every drawn pixel and P(ink) are
// the sampler's draws, P(ink) also a full recompute of the network) and the MADE dock (every unit's connectivity
// number and every edge are core's makeMadeMasks for the same configuration, mask set and ordering, and obey
// MADE's rule, checked here by brute force).
#include "app/gui/madecontroller.h"
#include "app/gui/pixelcontroller.h"
#include "core/models/made.h"
#include "core/sampling/imagesampler.h"
#include "widgets/madeview.h"
#include "guitestutil.h"

#include <QtTest>

#include <set>
#include <tuple>

using namespace arlab;
using testutil::Csv;
using testutil::makeWindow;
using testutil::near;

class TestDockExportPixels : public testutil::DockExportTest {
    Q_OBJECT
private slots:
    // Pixels: every drawn pixel's value and P(ink) are the sampler's draws, and P(ink) matches a full
    // recompute of the network on the image so far.
    void pixelCsvIsTheSamplersDraws() {
        auto win = makeWindow("pixels");
        win->runSteps(40);
        auto* ctl = win->findChild<PixelController*>();
        QVERIFY(ctl && ctl->sampler());
        const ar::ImageSampler& s = *ctl->sampler();
        const Csv csv = exportAll(win->findChild<QDockWidget*>("pixelDock"));
        const int W = s.model().width();
        QCOMPARE(csv.rows.size(), W * s.model().height());
        QCOMPARE(int(s.draws().size()), 40);
        for (const ar::PixelDraw& d : s.draws()) {
            const int r = d.index;   // rows are in raster order
            QCOMPARE(csv.cell(r, "y").toInt() * W + csv.cell(r, "x").toInt(), d.index);
            QVERIFY(near(csv.num(r, "value"), d.value));
            QVERIFY2(near(csv.num(r, "p"), d.p), qPrintable(csv.rows[r].join(',')));
        }
    }

    // MADE: the small network the dock draws (3x3 inputs, hidden 8-8, mask seed 7: MadeController's picture),
    // unit by unit and edge by edge, for the ordering and mask set chosen in the dock.
    void madeCsvIsCoresMasks_data() {
        QTest::addColumn<bool>("natural");
        QTest::addColumn<int>("resamples");
        QTest::newRow("natural order, mask set 0") << true << 0;
        QTest::newRow("random order, mask set 2") << false << 2;
    }
    void madeCsvIsCoresMasks() {
        QFETCH(bool, natural);
        QFETCH(int, resamples);
        auto win = makeWindow("pixels");
        auto* ctl = win->findChild<MadeController*>();
        QVERIFY(ctl);
        auto* panel = win->findChild<MadePanel*>();
        QVERIFY(panel);
        ctl->setNaturalOrder(natural);
        for (int i = 0; i < resamples; ++i) ctl->resample();
        QCOMPARE(ctl->maskSet(), resamples);
        const Csv csv = exportAll(win->findChild<QDockWidget*>("madeDock"));

        ar::MadeConfig small;
        small.height = 3, small.width = 3, small.hidden = {8, 8}, small.naturalOrder = natural, small.maskSeed = 7;
        const ar::MadeMasks core = ar::makeMadeMasks(small, resamples);
        std::vector<std::vector<int>> numbers = core.m;
        numbers.push_back(core.m.front());   // output d carries input d's number
        std::vector<std::vector<int>> seen(numbers.size());
        std::set<std::tuple<int, int, int>> edges;   // (layer, unit, from_unit)
        for (int r = 0; r < csv.rows.size(); ++r) {
            const int l = csv.cell(r, "layer").toInt(), u = csv.cell(r, "unit").toInt();
            QVERIFY(l >= 0 && l < int(numbers.size()) && u >= 0 && u < int(numbers[size_t(l)].size()));
            if (csv.cell(r, "kind") == "unit") {
                QCOMPARE(csv.cell(r, "number").toInt(), numbers[size_t(l)][size_t(u)]);
                seen[size_t(l)].push_back(u);
            } else {
                QCOMPARE(csv.cell(r, "kind"), QString("edge"));
                QVERIFY(l >= 1);
                edges.insert({l, u, csv.cell(r, "from_unit").toInt()});
            }
        }
        for (size_t l = 0; l < numbers.size(); ++l) QCOMPARE(seen[l].size(), numbers[l].size());   // every unit once
        // every edge of core's masks, no other; and MADE's rule, by brute force over every pair of units: into a
        // hidden unit from every unit of the layer below with a number <= its own, into output d only from hidden
        // units with a number < d's (so output d never sees input d or a later one)
        const size_t outputs = numbers.size() - 1;
        int expected = 0;
        for (size_t l = 1; l < numbers.size(); ++l)
            for (size_t j = 0; j < numbers[l].size(); ++j)
                for (size_t i = 0; i < numbers[l - 1].size(); ++i) {
                    const bool mask = core.masks[l - 1](ar::Index(j), ar::Index(i)) != 0;
                    const bool rule = l == outputs ? numbers[l][j] > numbers[l - 1][i] : numbers[l][j] >= numbers[l - 1][i];
                    QCOMPARE(mask, rule);
                    QCOMPARE(edges.count({int(l), int(j), int(i)}) == 1, mask);
                    expected += mask;
                }
        QCOMPARE(int(edges.size()), expected);
        QVERIFY(expected > 0);
    }
};

QTEST_MAIN(TestDockExportPixels)
#include "tst_dockexport_pixels.moc"
