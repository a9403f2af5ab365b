// Autoregressive image models: masked convolution gradients (finite differences) and values (direct loops),
// the autoregressive property by perturbation for every model, PixelCNN's blind spot measured by gradients
// (present in the plain model, absent in the gated one), incremental == naive sampling, completion, Back,
// likelihood vs the sampler's own probabilities, whole-model gradient checks (incl. position vectors), file
// round trip (and files written before position vectors existed), procedural digits.
#include "core/data/digits.h"
#include "core/error.h"
#include "core/models/gatedpixelcnn.h"
#include "core/models/made.h"
#include "core/models/pixelcnn.h"
#include "core/nn/maskedconv.h"
#include "core/sampling/imagesampler.h"
#include "core/training/imagetrain.h"
#include "gradcheck.h"
#include "testutil.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>

using namespace ar;

namespace {

// Freshly initialised position vectors are tiny (std 0.02); make them as large as trained ones so that a
// missing or misplaced position term changes probabilities by far more than the tests' tolerances.
std::shared_ptr<ImageModel> withLargePositions(std::shared_ptr<ImageModel> m, uint64_t seed) {
    Rng rng(seed + 1000);
    for (auto& p : m->params())
        if (p.name == "pos_embedding")
            for (Index i = 0; i < p.var.value().size(); ++i) p.var.value().data()[i] = float(rng.normal(0.0, 0.5));
    return m;
}

std::shared_ptr<ImageModel> smallModel(const QString& which, int h = 10, int w = 10, uint64_t seed = 7) {
    Rng rng(seed);
    // The two PixelCNNs take one config: "<kind>" (3 layers, positions), "<kind>-nopos", "<kind>-cond" (2 layers,
    // 3 classes; the gated one 5 channels wide).
    const QString kind = which.section('-', 0, 0), variant = which.section('-', 1);
    if (kind == "pixelcnn" || kind == "gated") {
        const bool gated = kind == "gated", cond = variant == "cond";
        PixelCnnConfig c;
        c.height = h; c.width = w;
        c.channels = gated && cond ? 5 : 6;
        c.layers = cond ? 2 : 3;
        c.classes = cond ? 3 : 0;
        c.positions = variant != "nopos";
        if (gated) return withLargePositions(std::make_shared<GatedPixelCnn>(c, rng), seed);
        return withLargePositions(std::make_shared<PixelCnn>(c, rng), seed);
    }
    MadeConfig c;
    c.height = h; c.width = w;
    c.hidden = which == "made-deep" ? std::vector<int>{40, 30} : std::vector<int>{50};
    c.naturalOrder = which != "made-random";
    c.masks = 3;
    auto m = std::make_shared<Made>(c, rng);
    if (which == "made-random") m->setMaskSet(2);
    return m;
}

Mat randomBinary(int rows, int cols, uint64_t seed) {
    Rng rng(seed);
    Mat x(rows, cols);
    for (Index i = 0; i < x.size(); ++i) x.data()[i] = rng.bernoulli(0.4) ? 1.0f : 0.0f;
    return x;
}

std::vector<int> labelsFor(const ImageModel& m, int batch) {
    return m.numClasses() > 0 ? std::vector<int>(size_t(batch), 1) : std::vector<int>{};
}

Mat logitsOf(const ImageModel& m, const Mat& x) {
    NoGradGuard ng;
    return m.logits(Var(x), labelsFor(m, int(x.rows()))).value();
}

using testutil::errorOf;

}  // namespace

class TestImageModels : public QObject {
    Q_OBJECT
private slots:
    void digitsAreDeterministic() {
        const ImageSet a = makeDigits(30, 5), b = makeDigits(30, 5), c = makeDigits(30, 6);
        QCOMPARE(a.images.rows(), 30);
        QVERIFY(a.images == b.images);
        QVERIFY(a.labels == b.labels);
        QVERIFY(!(a.images == c.images));
        for (int i = 0; i < a.count(); ++i) {
            const float ink = a.images.row(i).sum();
            QVERIFY2(ink > 25 && ink < 400, qPrintable(QString("image %1 has %2 ink pixels").arg(i).arg(ink)));
            QVERIFY(a.labels[size_t(i)] >= 0 && a.labels[size_t(i)] <= 9);
            for (Index j = 0; j < a.images.cols(); ++j) QVERIFY(a.images(i, j) == 0.0f || a.images(i, j) == 1.0f);
        }
        // every digit appears in each block of ten
        std::vector<int> seen(10, 0);
        for (int i = 0; i < 10; ++i) seen[size_t(a.labels[size_t(i)])]++;
        for (int s : seen) QCOMPARE(s, 1);
        QVERIFY(!errorOf([] { Rng r(1); renderDigit(10, r); }).isEmpty());
    }

    void maskTaps_data() {
        QTest::addColumn<QString>("mask");
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("count");
        QTest::newRow("A7") << "A" << 7 << 24;
        QTest::newRow("B3") << "B" << 3 << 5;
        QTest::newRow("V3") << "V" << 3 << 6;
        QTest::newRow("HA7") << "HA" << 7 << 3;
        QTest::newRow("HB3") << "HB" << 3 << 2;
    }
    void maskTaps() {
        QFETCH(QString, mask);
        QFETCH(int, k);
        QFETCH(int, count);
        const auto taps = nn::maskTaps(nn::maskTypeFromString(mask.toStdString()), k);
        QCOMPARE(int(taps.size()), count);
        for (const auto& t : taps) {
            QVERIFY(t.dy <= 0);
            if (mask == "A" || mask == "HA") QVERIFY(t.dy < 0 || t.dx < 0);  // never the pixel itself
        }
    }

    // The conv op against direct loops over the full kernel with an explicit 0/1 mask.
    void convMatchesDirectLoops_data() { maskTaps_data(); }
    void convMatchesDirectLoops() {
        QFETCH(QString, mask);
        QFETCH(int, k);
        const nn::MaskType mt = nn::maskTypeFromString(mask.toStdString());
        Rng rng(3);
        const int cin = 2, cout = 3, B = 2, H = 5, W = 6;
        nn::MaskedConv2d conv(cin, cout, k, mt, rng);
        Mat x(B * H * W, cin);
        for (Index i = 0; i < x.size(); ++i) x.data()[i] = float(rng.normal());
        NoGradGuard ng;
        const Mat out = conv.forward(Var(x), {B, H, W}).value();
        const int r = k / 2;
        for (int b = 0; b < B; ++b)
            for (int y = 0; y < H; ++y)
                for (int xx = 0; xx < W; ++xx)
                    for (int co = 0; co < cout; ++co) {
                        double s = conv.bias.value()(0, co);
                        for (int ky = 0; ky < k; ++ky)
                            for (int kx = 0; kx < k; ++kx) {
                                const int dy = ky - r, dx = kx - r;
                                bool keep = false;
                                if (mask == "A") keep = dy < 0 || (dy == 0 && dx < 0);
                                if (mask == "B") keep = dy < 0 || (dy == 0 && dx <= 0);
                                if (mask == "V") keep = dy <= 0;
                                if (mask == "HA") keep = dy == 0 && dx < 0;
                                if (mask == "HB") keep = dy == 0 && dx <= 0;
                                const int yy = y + dy, xs = xx + dx;
                                if (!keep || yy < 0 || yy >= H || xs < 0 || xs >= W) continue;
                                for (int ci = 0; ci < cin; ++ci)
                                    s += double(conv.weight.value()(co, ci * k * k + ky * k + kx)) *
                                         x((b * H + yy) * W + xs, ci);
                            }
                        QVERIFY(std::abs(s - out((b * H + y) * W + xx, co)) < 1e-4);
                    }
        // single-position evaluation agrees with the batched op
        RowVec scratch, o(cout);
        const Mat x0 = x.topRows(H * W);
        nn::convAt(x0, conv.compact(), conv.bias.value().data(), conv.taps, H, W, 3, 2, scratch, o.data());
        QVERIFY((o - out.row(3 * W + 2)).cwiseAbs().maxCoeff() < 1e-5f);
    }

    void convGradcheck_data() { maskTaps_data(); }
    void convGradcheck() {
        QFETCH(QString, mask);
        QFETCH(int, k);
        const nn::MaskType mt = nn::maskTypeFromString(mask.toStdString());
        Rng rng(11);
        const int cin = 2, cout = 3;
        const nn::ImageShape s{2, 4, 5};
        nn::MaskedConv2d conv(cin, cout, k, mt, rng);
        Var x = Var::param(Mat(s.rows(), cin));
        for (Index i = 0; i < x.value().size(); ++i) x.value().data()[i] = float(rng.normal());
        Mat R(s.rows(), cout);
        for (Index i = 0; i < R.size(); ++i) R.data()[i] = float(rng.normal());
        Var loss = ops::sum(ops::mul(conv.forward(x, s), Var(R)));
        backward(loss);
        // masked weight entries get exactly zero gradient
        std::vector<char> kept(size_t(k * k), 0);
        for (const auto& t : conv.taps) kept[size_t(t.kernel)] = 1;
        for (Index i = 0; i < conv.weight.value().size(); ++i)
            if (!kept[size_t(i % (k * k))]) QCOMPARE(double(conv.weight.grad().data()[i]), 0.0);
        // input, bias and weights (kept taps) match finite differences
        const gradcheck::Result r = gradcheck::checkVars({{"x", x}, {"bias", conv.bias}, {"weight", conv.weight}},
                                                         [&] { return conv.forward(x, s); }, {.rtol = 2e-2, .atol = 2e-2});
        QVERIFY2(r.ok, r.report.c_str());
    }

    void shiftDownGradcheck() {
        const nn::ImageShape s{2, 3, 4};
        Rng rng(2);
        Var x = Var::param(Mat(s.rows(), 3));
        for (Index i = 0; i < x.value().size(); ++i) x.value().data()[i] = float(rng.normal());
        const Mat y = [&] { NoGradGuard ng; return nn::shiftDown(x, s).value(); }();
        for (int b = 0; b < 2; ++b)
            for (int r = 0; r < 3; ++r)
                for (int c = 0; c < 4; ++c) {
                    const Index n = (b * 3 + r) * 4 + c;
                    if (r == 0) QVERIFY(y.row(n).isZero());
                    else QVERIFY(y.row(n) == x.value().row(n - 4));
                }
        const gradcheck::Result r = gradcheck::checkVars({{"x", x}}, [&] { return nn::shiftDown(x, s); }, {.rtol = 0, .atol = 1e-2});
        QVERIFY2(r.ok, r.report.c_str());
    }

    void models_data() {
        QTest::addColumn<QString>("which");
        for (const char* m : {"pixelcnn", "pixelcnn-nopos", "pixelcnn-cond", "gated", "gated-nopos", "gated-cond", "made",
                              "made-deep", "made-random"})
            QTest::newRow(m) << QString(m);
    }

    // Changing pixel j never changes p(pixel i) for i at or before j in the model's order; and it does change
    // some later pixel (so the check can fail).
    void autoregressiveByPerturbation_data() { models_data(); }
    void autoregressiveByPerturbation() {
        QFETCH(QString, which);
        auto m = smallModel(which);
        const std::vector<int> order = m->order();
        std::vector<int> pos(order.size());
        for (size_t s = 0; s < order.size(); ++s) pos[size_t(order[s])] = int(s);
        const Mat x = randomBinary(1, m->pixels(), 99);
        const Mat base = logitsOf(*m, x);
        int influences = 0;
        for (int j = 0; j < m->pixels(); ++j) {
            Mat x2 = x;
            x2(0, j) = 1.0f - x2(0, j);
            const Mat z = logitsOf(*m, x2);
            for (int i = 0; i < m->pixels(); ++i) {
                if (pos[size_t(i)] <= pos[size_t(j)]) {
                    QVERIFY2(z(0, i) == base(0, i),
                             qPrintable(QString("pixel %1 changed p(pixel %2), which comes no later").arg(j).arg(i)));
                } else if (z(0, i) != base(0, i)) {
                    ++influences;
                }
            }
        }
        QVERIFY2(influences > m->pixels(), "changing pixels hardly ever changes later probabilities");
    }

    // Receptive field measured by the gradient of one output logit w.r.t. the input image (union over a few
    // random images). Plain PixelCNN: pixels up-right of the current one are never seen (blind spot);
    // gated: every pixel of the causal neighbourhood is seen, nothing at or after the pixel.
    void blindSpot() {
        const int H = 16, W = 16, py = 10, px = 6;
        Rng r1(1), r2(1);
        PixelCnnConfig pc;
        pc.height = H; pc.width = W; pc.channels = 8; pc.layers = 4;
        PixelCnn plain(pc, r1);
        GatedPixelCnnConfig gc;
        gc.height = H; gc.width = W; gc.channels = 8; gc.layers = 4;
        GatedPixelCnn gated(gc, r2);
        auto field = [&](const ImageModel& m) {
            Mat seen = Mat::Zero(H, W);
            for (uint64_t s = 0; s < 6; ++s) {
                Var x = Var::param(randomBinary(1, H * W, 100 + s));
                Var z = m.logits(x);
                backward(ops::sliceCols(z, py * W + px, 1));
                for (int i = 0; i < H * W; ++i)
                    if (x.grad()(0, i) != 0.0f) seen(i / W, i % W) = 1;
            }
            return seen;
        };
        const Mat fp = field(plain), fg = field(gated);
        for (int y = 0; y < H; ++y)
            for (int x = 0; x < W; ++x)
                if (y > py || (y == py && x >= px)) {
                    QCOMPARE(fp(y, x), 0.0f);
                    QCOMPARE(fg(y, x), 0.0f);
                }
        // the blind spot: one row up, 4 and 5 columns right; two rows up, 5 and 6 right
        for (auto [dy, dx] : {std::pair{-1, 4}, {-1, 5}, {-2, 5}, {-2, 6}}) {
            QVERIFY2(fp(py + dy, px + dx) == 0.0f, qPrintable(QString("plain sees (%1,%2)").arg(dy).arg(dx)));
            QVERIFY2(fg(py + dy, px + dx) != 0.0f, qPrintable(QString("gated misses (%1,%2)").arg(dy).arg(dx)));
        }
        // plain still sees its neighbourhood (left, above, up to 3 right one row up)
        for (auto [dy, dx] : {std::pair{0, -1}, {0, -3}, {-1, 0}, {-1, 3}, {-3, -3}, {-2, 4}})
            QVERIFY2(fp(py + dy, px + dx) != 0.0f, qPrintable(QString("plain misses (%1,%2)").arg(dy).arg(dx)));
        // gated: the full causal neighbourhood, no hole
        for (int dy = -3; dy <= -1; ++dy)
            for (int dx = -6; dx <= 6; ++dx)
                if (px + dx >= 0 && px + dx < W)
                    QVERIFY2(fg(py + dy, px + dx) != 0.0f, qPrintable(QString("gated misses (%1,%2)").arg(dy).arg(dx)));
        for (int dx = -3; dx <= -1; ++dx) QVERIFY(fg(py, px + dx) != 0.0f);
    }

    // The same on the shipped, trained models (what the Pixels dock shows): at pixel (14, 14) the plain
    // PixelCNN never sees (13, 18) or (13, 19); the gated one does; nothing at or after the pixel is seen.
    void pretrainedBlindSpot() {
        const std::string dir = testutil::sourcePath("resources/models/");
        auto plain = loadImageModel(dir + "pixelcnn-digits.safetensors");
        auto gated = loadImageModel(dir + "gatedpixelcnn-digits.safetensors");
        const int p = 14 * 28 + 14;
        auto field = [&](const ImageModel& m) {
            std::vector<float> seen(784, 0.0f);
            const ImageSet digits = makeDigits(4, 77);
            for (int i = 0; i < 4; ++i) {
                std::vector<uint8_t> img(784);
                for (int j = 0; j < 784; ++j) img[size_t(j)] = digits.images(i, j) > 0 ? 1 : 0;
                const auto g = receptiveField(m, img, p);
                for (int j = 0; j < 784; ++j) seen[size_t(j)] += g[size_t(j)];
            }
            return seen;
        };
        const auto fp = field(*plain), fg = field(*gated);
        for (int j = p; j < 784; ++j) {
            QCOMPARE(fp[size_t(j)], 0.0f);
            QCOMPARE(fg[size_t(j)], 0.0f);
        }
        for (int j : {13 * 28 + 18, 13 * 28 + 19, 12 * 28 + 20}) {
            QCOMPARE(fp[size_t(j)], 0.0f);
            QVERIFY(fg[size_t(j)] > 0.0f);
        }
        QVERIFY(fp[size_t(13 * 28 + 14)] > 0.0f && fp[size_t(14 * 28 + 13)] > 0.0f);
    }

    // Incremental evaluation draws exactly the naive image with the same probabilities.
    void incrementalEqualsNaive_data() {
        QTest::addColumn<QString>("which");
        QTest::addColumn<float>("temperature");
        QTest::addColumn<bool>("complete");
        for (const char* m : {"pixelcnn", "pixelcnn-nopos", "pixelcnn-cond", "gated", "gated-nopos", "gated-cond", "made",
                              "made-deep", "made-random"}) {
            QTest::newRow((std::string(m) + " T=1").c_str()) << QString(m) << 1.0f << false;
            QTest::newRow((std::string(m) + " T=0.7 completion").c_str()) << QString(m) << 0.7f << true;
        }
    }
    void incrementalEqualsNaive() {
        QFETCH(QString, which);
        QFETCH(float, temperature);
        QFETCH(bool, complete);
        auto m = smallModel(which, 9, 11);
        SampleOptions o;
        o.temperature = temperature;
        o.label = m->numClasses() > 0 ? 2 : -1;
        if (complete) {
            const Mat g = randomBinary(1, m->pixels(), 5);
            o.given.assign(size_t(m->pixels()), -1);
            for (int i = 0; i < m->pixels() / 2; ++i) o.given[size_t(i)] = int8_t(g(0, i));  // top half given
        }
        for (uint64_t seed : {1ull, 2ull, 3ull}) {
            o.incremental = true;
            const ImageSample a = sampleImage(m, seed, o);
            o.incremental = false;
            const ImageSample b = sampleImage(m, seed, o);
            QVERIFY(a.image == b.image);
            QCOMPARE(a.draws.size(), b.draws.size());
            float maxDiff = 0;
            for (size_t s = 0; s < a.draws.size(); ++s) {
                QCOMPARE(a.draws[s].index, b.draws[s].index);
                maxDiff = std::max(maxDiff, std::abs(a.draws[s].p - b.draws[s].p));
            }
            QVERIFY2(maxDiff < 1e-5f, qPrintable(QString("max |p diff| %1").arg(maxDiff)));
            if (complete)
                for (int i = 0; i < m->pixels(); ++i)
                    if (o.given[size_t(i)] >= 0) QCOMPARE(int(a.image[size_t(i)]), int(o.given[size_t(i)]));
            // the probabilities recorded while sampling are the model's: one full forward pass agrees
            if (temperature == 1.0f) {
                const auto p = pixelProbabilities(*m, a.image, o.label);
                for (const auto& d : a.draws) QVERIFY(std::abs(p[size_t(d.index)] - d.p) < 1e-5f);
            }
        }
    }

    // Back undoes exactly: stepping again gives the same draws.
    void backReplaysExactly_data() { models_data(); }
    void backReplaysExactly() {
        QFETCH(QString, which);
        auto m = smallModel(which);
        SampleOptions o;
        o.label = m->numClasses() > 0 ? 0 : -1;
        ImageSampler s(m, 42, o);
        for (int i = 0; i < 57; ++i) s.step();
        const auto ref = s.draws();
        for (int i = 0; i < 23; ++i) s.back();
        QCOMPARE(s.position(), 34);
        for (size_t i = 34; i < ref.size(); ++i) s.image();  // untouched
        for (int i = 0; i < 23; ++i) s.step();
        for (size_t i = 0; i < ref.size(); ++i) {
            QCOMPARE(s.draws()[i].value, ref[i].value);
            QVERIFY(std::abs(s.draws()[i].p - ref[i].p) < 1e-6f);
        }
        s.reset();
        QCOMPARE(s.position(), 0);
        s.step();
        QVERIFY(std::abs(s.draws()[0].p - ref[0].p) < 1e-6f);
    }

    void likelihoodMatchesSampler() {
        auto m = smallModel("gated");
        const ImageSample a = sampleImage(m, 9);
        Mat x(1, m->pixels());
        for (int i = 0; i < m->pixels(); ++i) x(0, i) = a.image[size_t(i)];
        const Likelihood l = negLogLikelihood(*m, x);
        QVERIFY2(std::abs(l.natsPerImage + a.logProb) < 1e-3,
                 qPrintable(QString("nll %1 vs sampler %2").arg(l.natsPerImage).arg(-a.logProb)));
        QVERIFY(std::abs(l.bitsPerDim - l.natsPerImage / (m->pixels() * std::log(2.0))) < 1e-9);
    }

    void badOptionsAreErrors() {
        auto m = smallModel("pixelcnn");
        SampleOptions o;
        o.temperature = 0;
        QVERIFY(errorOf([&] { ImageSampler s(m, 1, o); }).contains("temperature"));
        o.temperature = 1;
        o.given.assign(5, -1);
        QVERIFY(errorOf([&] { ImageSampler s(m, 1, o); }).contains("given"));
        auto c = smallModel("gated-cond");
        QVERIFY(errorOf([&] { ImageSampler s(c, 1, {}); }).contains("class-conditional"));
        QVERIFY(errorOf([&] { pixelProbabilities(*m, std::vector<uint8_t>(7, 0)); }).contains("expects 100"));
        QVERIFY(errorOf([&] { makeImageModel("pixelcnn", "{not json", 1); }).contains("configuration"));
        QVERIFY(errorOf([&] { makeImageModel("vae", "{}", 1); }).contains("unknown image model"));
    }

    void fileRoundTrip_data() { models_data(); }
    void fileRoundTrip() {
        QFETCH(QString, which);
        auto m = smallModel(which);
        m->provenance = "{\"seed\": 3}";
        const std::string bytes = serializeSafetensors(toSafetensors(*m));
        auto back = loadImageModel(parseSafetensors(bytes, "test"), "test");
        QCOMPARE(QString::fromStdString(back->kind()), QString::fromStdString(m->kind()));
        QCOMPARE(back->provenance, m->provenance);
        const Mat x = randomBinary(2, m->pixels(), 4);
        if (which == "made-random") static_cast<Made&>(*back).setMaskSet(2);
        QVERIFY(logitsOf(*m, x) == logitsOf(*back, x));
        SafeTensors wrong = toSafetensors(*m);
        wrong.metadata["arlab.kind"] = "tinygpt";
        QVERIFY(errorOf([&] { loadImageModel(wrong, "f"); }).contains("not an image model"));
    }

    // Whole-model gradients of the training loss (mean BCE) against central differences, for every parameter
    // tensor (a few entries each), including the position vectors and the class vectors.
    void modelGradcheck_data() {
        QTest::addColumn<QString>("which");
        for (const char* m : {"pixelcnn", "pixelcnn-nopos", "pixelcnn-cond", "gated", "gated-nopos", "gated-cond"})
            QTest::newRow(m) << QString(m);
    }
    void modelGradcheck() {
        QFETCH(QString, which);
        auto m = smallModel(which, 5, 6);
        const Mat x = randomBinary(2, m->pixels(), 21);
        const std::vector<int> labels = labelsFor(*m, 2);
        const ParamList ps = m->params();
        const gradcheck::Result r = gradcheck::checkParams(ps, [&] { return ops::bceWithLogits(m->logits(Var(x), labels), x); },
                                                           {.eps = 1e-3, .rtol = 3e-2, .atol = 1e-3, .seed = 5, .samples = 6});
        QVERIFY2(r.ok, r.report.c_str());
        bool sawPositions = false;
        for (const auto& p : ps) {
            sawPositions |= p.name == "pos_embedding";
            QVERIFY2(p.var.hasGrad(), qPrintable(QString::fromStdString(p.name + " has no gradient")));
        }
        QCOMPARE(sawPositions, !which.endsWith("-nopos"));
    }

    // A file written before the position vectors existed (no "positions" key in its config) loads as a model
    // without them, and gives the same logits as the model that wrote it.
    void configWithoutPositionsKey_data() {
        QTest::addColumn<QString>("which");
        QTest::newRow("pixelcnn") << "pixelcnn-nopos";
        QTest::newRow("gated") << "gated-nopos";
    }
    void configWithoutPositionsKey() {
        QFETCH(QString, which);
        auto m = smallModel(which);
        SafeTensors file = toSafetensors(*m);
        auto cfg = nlohmann::json::parse(file.metadata.at("arlab.config"));
        QCOMPARE(cfg.value("positions", true), false);
        cfg.erase("positions");
        file.metadata["arlab.config"] = cfg.dump();
        auto back = loadImageModel(parseSafetensors(serializeSafetensors(file), "old"), "old");
        const Mat x = randomBinary(2, m->pixels(), 8);
        QVERIFY(logitsOf(*m, x) == logitsOf(*back, x));
        for (const auto& p : back->params()) QVERIFY(p.name != "pos_embedding");
        QVERIFY(!PixelCnn::parseConfig("{\"height\": 28, \"width\": 28}").positions);
        QVERIFY(!GatedPixelCnn::parseConfig("{\"height\": 28, \"width\": 28}").positions);
        // and a file whose config asks for positions but lacks the tensor is refused
        auto withPos = smallModel(which.section('-', 0, 0));
        SafeTensors noTensor = toSafetensors(*withPos);
        std::erase_if(noTensor.tensors, [](const TensorEntry& t) { return t.name == "pos_embedding"; });
        QVERIFY(!errorOf([&] { loadImageModel(noTensor, "f"); }).isEmpty());
    }

    void trainingLowersLoss() {
        const ImageSet data = makeDigits(200, 1, 12, 12), val = makeDigits(50, 2, 12, 12);
        auto m = smallModel("made", 12, 12);
        ImageTrainOptions o;
        o.train.steps = 60;
        o.train.lr = 3e-3f;
        o.train.evalEvery = 0;
        o.batch = 16;
        const float before = float(negLogLikelihood(*m, val.images).natsPerImage);
        trainImageModel(*m, data, val, o);
        const float after = float(negLogLikelihood(*m, val.images).natsPerImage);
        QVERIFY2(after < 0.8f * before, qPrintable(QString("nll %1 -> %2").arg(before).arg(after)));
    }
};

QTEST_APPLESS_MAIN(TestImageModels)
#include "tst_core_imagemodels.moc"
