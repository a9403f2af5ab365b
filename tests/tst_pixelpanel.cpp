// Pixels dock and MADE dock: stepping through the GUI fills the canvas with the sampler's pixels, the shown
// probability is the model's (checked against one full forward pass), Back/Reset, the measured receptive
// field overlay (blind spot of the shipped plain PixelCNN, none in the shipped gated one), drawing a completion,
// the rendered canvas; MADE picture selection = masked reachability.
#include "app/gui/madecontroller.h"
#include "app/gui/pixelcontroller.h"
#include "core/models/gatedpixelcnn.h"
#include "core/models/made.h"
#include "core/models/pixelcnn.h"
#include "widgets/madeview.h"
#include "widgets/pixelpanel.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using namespace arlab;

namespace {
std::shared_ptr<ar::ImageModel> tinyPixelCnn() {
    ar::Rng rng(3);
    ar::PixelCnnConfig c;
    c.height = 8; c.width = 8; c.channels = 4; c.layers = 2;
    return std::make_shared<ar::PixelCnn>(c, rng);
}
QPushButton* button(QWidget* w, const QString& text) {
    for (auto* b : w->findChildren<QPushButton*>())
        if (b->text().contains(text)) return b;
    return nullptr;
}
}  // namespace

class TestPixelPanel : public QObject {
    Q_OBJECT
private slots:
    void stepsFillTheCanvas() {
        PixelPanel panel;
        PixelController ctl(&panel);
        auto model = tinyPixelCnn();
        ctl.addModel("tiny", model);
        panel.resize(700, 700);
        QPushButton* step = button(&panel, "Step");
        QVERIFY(step);
        for (int i = 0; i < 20; ++i) QTest::mouseClick(step, Qt::LeftButton);
        const ar::ImageSampler* s = ctl.sampler();
        QCOMPARE(s->position(), 20);
        const QVector<float>& cells = panel.canvas()->cells();
        for (int i = 0; i < 64; ++i) {
            if (i < 20) QCOMPARE(cells[i], float(s->image()[size_t(i)]));
            else QCOMPARE(cells[i], -1.0f);
        }
        QCOMPARE(panel.canvas()->marked(), 20);
        // the probability shown for the next pixel is the model's: one full forward pass on the image so far
        const auto p = ar::pixelProbabilities(*model, s->image());
        QVERIFY2(panel.nextPixelText().contains(QString::number(double(p[20]), 'f', 4)), qPrintable(panel.nextPixelText()));
        QVERIFY(panel.nextPixelText().contains("row 2, column 4"));
        for (int i = 0; i < 20; ++i) QVERIFY(std::abs(panel.probabilityMap()->cells()[i] - p[size_t(i)]) < 1e-5f);
        QVERIFY(panel.progressText().startsWith("20 of 64"));
        // Back, then Reset
        QTest::mouseClick(button(&panel, "Back"), Qt::LeftButton);
        QCOMPARE(s->position(), 19);
        QCOMPARE(panel.canvas()->cells()[19], -1.0f);
        QCOMPARE(panel.canvas()->marked(), 19);
        QTest::mouseClick(button(&panel, "Reset"), Qt::LeftButton);
        QCOMPARE(ctl.sampler()->position(), 0);
        // the rendered canvas: after a step, the drawn cell has its colour and the next cell a red frame
        panel.setOverlay({});
        ctl.stepPixels(1);
        panel.setOverlay({});
        const QImage img = panel.canvas()->grab().toImage();
        const QRect r0 = panel.canvas()->cellRect(0);
        const QColor c0 = img.pixelColor(r0.center());
        QCOMPARE(c0, panel.canvas()->cellColor(float(ctl.sampler()->image()[0])));
        const QRect r1 = panel.canvas()->cellRect(1);
        const QColor frame = img.pixelColor(r1.left(), r1.center().y());
        QVERIFY2(frame.red() > 180 && frame.green() < 80, qPrintable(frame.name()));
    }

    // The overlay is the measured gradient: non-zero only before the next pixel, and (for plain PixelCNN)
    // never in the blind spot.
    void overlayIsMeasured() {
        PixelPanel panel;
        PixelController ctl(&panel);
        ar::Rng rng(5);
        ar::PixelCnnConfig c;
        c.height = 12; c.width = 12; c.channels = 6; c.layers = 3;
        ctl.addModel("plain", std::make_shared<ar::PixelCnn>(c, rng));
        ctl.stepPixels(5 * 12 + 4);  // next pixel (5, 4)
        const QVector<float> ov = panel.canvas()->overlay();
        QCOMPARE(ov.size(), 144);
        int seen = 0;
        for (int i = 0; i < 144; ++i) {
            if (i >= 5 * 12 + 4) QCOMPARE(ov[i], 0.0f);
            seen += ov[i] > 0;
        }
        QVERIFY(seen > 10);
        QCOMPARE(ov[4 * 12 + 4 + 5], 0.0f);  // one row up, five right: the blind spot
        // asynchronous path: a step requests the field from the worker thread
        QSignalSpy spy(&ctl, &PixelController::overlayUpdated);
        QTest::mouseClick(button(&panel, "Step"), Qt::LeftButton);
        QVERIFY(spy.wait(5000));
        for (int i = 5 * 12 + 5; i < 144; ++i) QCOMPARE(panel.canvas()->overlay()[i], 0.0f);
    }

    // The three shipped models load from the resources, and the overlay the dock shows halfway through a
    // sample (what the README screenshot shows) has the plain PixelCNN's blind spot and not the gated one's.
    void builtInModelsShowTheBlindSpot() {
        PixelPanel panel;
        PixelController ctl(&panel);
        ctl.loadBuiltInModels();
        QCOMPARE(ctl.modelCount(), 3);
        QCOMPARE(panel.currentModel(), 0);
        QCOMPARE(QString::fromStdString(ctl.sampler()->model().kind()), QString("pixelcnn"));
        const int next = 14 * 28 + 14;
        ctl.stepPixels(next);
        QCOMPARE(ctl.sampler()->nextIndex(), next);
        const QVector<float> plain = panel.canvas()->overlay();
        ctl.selectModel(1);
        ctl.stepPixels(next);
        QCOMPARE(ctl.sampler()->nextIndex(), next);
        const QVector<float> gated = panel.canvas()->overlay();
        QCOMPARE(QString::fromStdString(ctl.sampler()->model().kind()), QString("gatedpixelcnn"));
        QCOMPARE(plain.size(), 784);
        QCOMPARE(gated.size(), 784);
        for (int i = next; i < 784; ++i) {
            QCOMPARE(plain[i], 0.0f);
            QCOMPARE(gated[i], 0.0f);
        }
        for (int i : {13 * 28 + 18, 13 * 28 + 19, 12 * 28 + 19, 12 * 28 + 20}) {  // up and to the right
            QVERIFY2(plain[i] == 0.0f, qPrintable(QString("plain sees pixel %1").arg(i)));
            QVERIFY2(gated[i] > 0.0f, qPrintable(QString("gated misses pixel %1").arg(i)));
        }
        for (int i : {13 * 28 + 14, 13 * 28 + 17, 14 * 28 + 6, 6 * 28 + 14}) QVERIFY(plain[i] > 0.0f);
    }

    void drawingIsKeptInACompletion() {
        PixelPanel panel;
        PixelController ctl(&panel);
        ctl.addModel("gated", [] {
            ar::Rng rng(2);
            ar::GatedPixelCnnConfig c;
            c.height = 8; c.width = 8; c.channels = 4; c.layers = 2;
            return std::make_shared<ar::GatedPixelCnn>(c, rng);
        }());
        panel.setKeepRows(4);
        ctl.paintCell(9, 1);
        ctl.paintCell(10, 1);
        ctl.paintCell(50, 1);  // below the kept rows: not fixed
        ctl.stepPixels(64);
        const auto& img = ctl.sampler()->image();
        QCOMPARE(int(img[9]), 1);
        QCOMPARE(int(img[10]), 1);
        for (int i = 0; i < 64; ++i)
            if (i != 9 && i != 10 && i < 32) QCOMPARE(int(img[size_t(i)]), 0);  // kept rows: the drawing exactly
        for (const auto& d : ctl.sampler()->draws()) QCOMPARE(d.given, d.index < 32);
    }

    void fastForwardFinishesInTicks() {
        PixelPanel panel;
        PixelController ctl(&panel);
        ctl.addModel("tiny", tinyPixelCnn());
        QTest::mouseClick(button(&panel, "Fast-forward"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(ctl.sampler()->done(), 5000);
        QVERIFY(panel.nextPixelText().contains("complete"));
    }

    void madeSelectionIsReachability() {
        MadePanel panel;
        MadeController ctl(&panel);
        const ar::MadeMasks& mm = ctl.smallMasks();
        const int outputLayer = int(mm.m.size());
        for (int d = 0; d < 9; ++d) {
            panel.connectivity()->setSelection(outputLayer, d);
            const auto& seen = panel.connectivity()->highlighted();
            for (int j = 0; j < 9; ++j)
                if (seen[0][size_t(j)]) QVERIFY2(mm.m[0][size_t(j)] < mm.m[0][size_t(d)], "an output sees an input at or after it");
        }
        // the last output in the ordering may see something; the first sees nothing
        int first = 0, last = 0;
        for (int d = 0; d < 9; ++d) {
            if (mm.m[0][size_t(d)] == 0) first = d;
            if (mm.m[0][size_t(d)] == 8) last = d;
        }
        panel.connectivity()->setSelection(outputLayer, first);
        for (bool b : panel.connectivity()->highlighted()[0]) QVERIFY(!b);
        panel.connectivity()->setSelection(outputLayer, last);
        int n = 0;
        for (bool b : panel.connectivity()->highlighted()[0]) n += b;
        QVERIFY(n > 0);
        // resampling changes the masks; random ordering permutes the inputs' numbers
        const auto before = ctl.smallMasks().m;
        QTest::mouseClick(button(&panel, "Resample"), Qt::LeftButton);
        QCOMPARE(ctl.maskSet(), 1);
        QVERIFY(ctl.smallMasks().m != before);
        ctl.setNaturalOrder(false);
        std::vector<int> natural(9);
        for (int i = 0; i < 9; ++i) natural[size_t(i)] = i;
        QVERIFY(ctl.smallMasks().m[0] != natural);
    }
};

QTEST_MAIN(TestPixelPanel)
#include "tst_pixelpanel.moc"
