// arlab-cli sample-image / score-image end to end: the probabilities drawn while sampling (incremental) equal
// the ones score-image computes from the written PNG (one full forward pass); same seed -> same PNG bytes;
// wrong-size and broken PNGs, unknown models and bad options are clear errors.
#include "core/io/png.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

namespace {
using testutil::cli;
using testutil::Json;
using testutil::Run;
QString model(const char* name) { return testutil::shipped(QString::fromUtf8(name)); }
}  // namespace

class TestCliImages : public QObject {
    Q_OBJECT
private slots:
    void sampleThenScore_data() {
        QTest::addColumn<QString>("name");
        for (const char* m : {"pixelcnn-digits", "gatedpixelcnn-digits", "made-digits"}) QTest::newRow(m) << QString(m);
    }
    void sampleThenScore() {
        QFETCH(QString, name);
        const QString path = model(name.toUtf8().constData());
        QTemporaryDir tmp;
        const QString png = tmp.filePath("s.png");
        const Run s = cli({"sample-image", path, "--seed", "5", "--png", png, "--json"});
        QVERIFY2(s.code == 0, s.err.constData());
        const Json sj = testutil::jsonOf(s);
        const Run again = cli({"sample-image", path, "--seed", "5", "--png", tmp.filePath("t.png")});
        QCOMPARE(again.code, 0);
        QFile f1(png), f2(tmp.filePath("t.png"));
        QVERIFY(f1.open(QIODevice::ReadOnly) && f2.open(QIODevice::ReadOnly));
        QCOMPARE(f1.readAll(), f2.readAll());

        const Run sc = cli({"score-image", path, "--image", png, "--json"});
        QVERIFY2(sc.code == 0, sc.err.constData());
        const Json j = testutil::jsonOf(sc);
        QCOMPARE(j["width"].toInt(), 28);
        QCOMPARE(j["height"].toInt(), 28);
        const QJsonArray order = j["order"].toArray();
        QCOMPARE(order.size(), 784);
        QSet<int> seen;
        for (const auto& o : order) seen.insert(o.toArray()[0].toInt() * 28 + o.toArray()[1].toInt());
        QCOMPARE(seen.size(), 784);
        const QJsonArray p = j["p"].toArray(), ps = sj["p"].toArray(), img = sj["image"].toArray();
        QCOMPARE(p.size(), 28);
        for (int y = 0; y < 28; ++y)
            for (int x = 0; x < 28; ++x) {
                const double a = p[y].toArray()[x].toDouble(), b = ps[y].toArray()[x].toDouble();
                QVERIFY(a >= 0 && a <= 1);
                QVERIFY2(std::abs(a - b) < 2e-5, qPrintable(QString("(%1,%2): %3 vs %4").arg(y).arg(x).arg(a).arg(b)));
            }
        // the sample's log-probability equals minus the score's NLL
        QVERIFY(std::abs(sj["log_prob_nats"].toDouble() + j["nll_nats"].toDouble()) < 1e-2);
        Q_UNUSED(img);
    }

    void errors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString pc = model("pixelcnn-digits");
        QTest::newRow("no such model") << QStringList{"sample-image", "nope-model"} << "nope-model";
        QTest::newRow("bad temperature") << QStringList{"sample-image", pc, "--temperature", "0"} << "--temperature";
        QTest::newRow("no image") << QStringList{"score-image", pc} << "--image";
        QTest::newRow("missing png") << QStringList{"score-image", pc, "--image", "/nonexistent.png"} << "cannot open";
        QTest::newRow("unknown kind") << QStringList{"train-image", "vae", "--out", "/tmp/x"} << "unknown image model";
        QTest::newRow("no model") << QStringList{"sample-image", "--seed", "1"} << "missing argument MODEL";
        QTest::newRow("two models") << QStringList{"score-image", pc, pc, "--image", "x.png"} << "unexpected argument";
        QTest::newRow("no kind") << QStringList{"train-image", "--out", "/tmp/x"} << "missing argument KIND";
    }
    void errors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        testutil::cliRefuses(args, message);
    }

    void wrongSizeAndBrokenPng() {
        QTemporaryDir tmp;
        ar::PngImage img;
        img.width = 20;
        img.height = 28;
        img.channels = 3;
        img.pixels.assign(20 * 28 * 3, 200);
        ar::writePng(tmp.filePath("w.png").toStdString(), img);
        Run r = cli({"score-image", model("pixelcnn-digits"), "--image", tmp.filePath("w.png"), "--json"});
        QCOMPARE(r.code, 1);
        QVERIFY2(QString(r.err).contains("is 20x28") && QString(r.err).contains("28x28"), r.err.constData());
        QFile f(tmp.filePath("b.png"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
        f.close();
        r = cli({"score-image", model("pixelcnn-digits"), "--image", tmp.filePath("b.png")});
        QCOMPARE(r.code, 1);
        QVERIFY2(QString(r.err).contains("PNG"), r.err.constData());
        // any RGB image of the right size is accepted and thresholded
        img.width = 28;
        img.pixels.assign(28 * 28 * 3, 0);
        for (int i = 0; i < 28 * 3; ++i) img.pixels[size_t(14 * 28 * 3 + i)] = 250;  // one white row
        ar::writePng(tmp.filePath("ok.png").toStdString(), img);
        r = cli({"score-image", model("pixelcnn-digits"), "--image", tmp.filePath("ok.png")});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(QString(r.out).contains("28 ink pixels"));
    }
};

QTEST_MAIN(TestCliImages)
#include "tst_core_cliimages.moc"
