// Optimizers against hand-computed steps, gradient clipping, the non-finite guard, the lr schedule, and the
// trainer end to end (an MLP learns XOR; the stop flag stops it).
#include "core/autograd/ops.h"
#include "core/nn/linear.h"
#include "core/training/optimizer.h"
#include "core/training/trainer.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <random>

using namespace ar;

namespace {

Mat row(std::initializer_list<float> v) {
    Mat m(1, Index(v.size()));
    Index i = 0;
    for (float x : v) m(0, i++) = x;
    return m;
}

bool bitIdentical(const Mat& a, const Mat& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() && (a.size() == 0 || std::memcmp(a.data(), b.data(), sizeof(float) * size_t(a.size())) == 0);
}

}  // namespace

class TestOptim : public QObject {
    Q_OBJECT
private slots:
    void adamTwoStepsByHand();
    void adamWDecaysMatricesOnly();
    void adamMatchesAScalarLoopBitForBit();
    void sgdMomentumByHand_data();
    void sgdMomentumByHand();
    void clipGradNorm_data();
    void clipGradNorm();
    void guardRefusesNonFinite_data();
    void guardRefusesNonFinite();
    void finiteGradientsWithAnOverflowingNormStep();
    void refusedStepLeavesAdamStateUntouched();
    void scheduleWarmupAndCosine_data();
    void scheduleWarmupAndCosine();
    void trainerLearnsXor();
    void trainerStopsOnFlagAndCountsRefusals();
};

void TestOptim::adamTwoStepsByHand() {
    // w = [1, -2], lr 0.1, beta1 0.9, beta2 0.999, eps 1e-8.
    // step 1, g = [0.5, -0.1]:  m = 0.1 g = [0.05, -0.01], v = 0.001 g^2 = [2.5e-4, 1e-5]
    //   m^ = m / (1 - 0.9) = g, v^ = v / (1 - 0.999) = g^2, w -= 0.1 * g / (|g| + 1e-8)  ->  w = [0.9, -1.9]
    // step 2, g = [0.2, 0.3]:   m = 0.9 m + 0.1 g = [0.065, 0.021], v = 0.999 v + 0.001 g^2 = [2.8975e-4, 9.999e-5]
    //   m^ = m / 0.19 = [0.3421053, 0.1105263], v^ = v / 0.001999 = [0.1449475, 0.0500200]
    //   sqrt(v^) = [0.3807197, 0.2236515], w -= 0.1 m^ / sqrt(v^)  ->  w = [0.8101425, -1.9494190]
    Var w = Var::param(row({1.0f, -2.0f}));
    Adam adam({{"w", w, {}}}, 0.1f);
    w.grad() = row({0.5f, -0.1f});
    QVERIFY(!adam.guardedStep(1.0f));
    QVERIFY(std::fabs(w.value()(0, 0) - 0.9f) < 1e-6f);
    QVERIFY(std::fabs(w.value()(0, 1) - -1.9f) < 1e-6f);
    QVERIFY(!w.hasGrad());  // guardedStep clears gradients
    w.grad() = row({0.2f, 0.3f});
    adam.step();
    QVERIFY2(std::fabs(w.value()(0, 0) - 0.8101425f) < 2e-6f, qPrintable(QString::number(w.value()(0, 0), 'g', 9)));
    QVERIFY2(std::fabs(w.value()(0, 1) - -1.9494190f) < 2e-6f, qPrintable(QString::number(w.value()(0, 1), 'g', 9)));
    QCOMPARE(adam.steps(), 2LL);
}

void TestOptim::adamWDecaysMatricesOnly() {
    // lr 0.1, weight decay 0.1: a matrix is first scaled by (1 - lr wd) = 0.99, then takes the Adam step, which
    // at step 1 is lr * sign(g) = 0.1. A (1, n) vector (bias, gain) is not decayed.
    Mat w0(2, 2);
    w0 << 1, 2, 3, 4;
    Var W = Var::param(w0);
    Var b = Var::param(row({1.0f, 1.0f}));
    Adam adamw({{"W", W, {}}, {"b", b, {}}}, 0.1f, 0.9f, 0.999f, 1e-8f, 0.1f);
    W.grad().setConstant(0.5f);
    b.grad().setConstant(0.5f);
    adamw.step();
    Mat want(2, 2);
    want << 0.89f, 1.88f, 2.87f, 3.86f;
    QVERIFY2((W.value() - want).cwiseAbs().maxCoeff() < 1e-6f, "matrix: 0.99 w - 0.1");
    QVERIFY((b.value() - row({0.9f, 0.9f})).cwiseAbs().maxCoeff() < 1e-6f);
}

void TestOptim::adamMatchesAScalarLoopBitForBit() {
    // AdamW's update is elementwise IEEE arithmetic with a correctly rounded square root, so a plain scalar loop in the
    // same order gives the same bits (an approximate packet sqrt, like Eigen's fast-math rsqrtps path, would not, and
    // would differ between CPU vendors). A 37 x 29 matrix (decayed) and a 1 x 29 row (not), three steps.
    const float lr = 3e-3f, b1 = 0.9f, b2 = 0.95f, eps = 1e-8f, wd = 0.1f;
    std::mt19937 gen(5);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    auto random = [&](Index r, Index c) {
        Mat m(r, c);
        for (Index i = 0; i < m.size(); ++i) m.data()[i] = u(gen) * std::pow(10.0f, 3.0f * u(gen));
        return m;
    };
    Var W = Var::param(random(37, 29)), b = Var::param(random(1, 29));
    Adam adam({{"W", W, {}}, {"b", b, {}}}, lr, b1, b2, eps, wd);
    std::vector<Mat> w = {W.value(), b.value()}, m = {Mat::Zero(37, 29), Mat::Zero(1, 29)}, v = m;
    for (int t = 1; t <= 3; ++t) {
        const Mat gW = random(37, 29), gb = random(1, 29);
        W.grad() = gW;
        b.grad() = gb;
        adam.step();
        const float bc1 = 1.0f - std::pow(b1, float(t)), bc2 = 1.0f - std::pow(b2, float(t));
        const float stepSize = lr / bc1, sqrtBc2 = std::sqrt(bc2);
        for (size_t p = 0; p < 2; ++p) {
            const Mat& g = p == 0 ? gW : gb;
            for (Index i = 0; i < g.size(); ++i) {
                float &wi = w[p].data()[i], &mi = m[p].data()[i], &vi = v[p].data()[i];
                const float gi = g.data()[i];
                if (p == 0) wi *= (1.0f - lr * wd);
                mi = b1 * mi + (1.0f - b1) * gi;
                vi = b2 * vi + (1.0f - b2) * (gi * gi);
                wi -= stepSize * mi / (std::sqrt(vi) / sqrtBc2 + eps);
            }
        }
        QVERIFY2(bitIdentical(W.value(), w[0]), qPrintable(QString("matrix, step %1").arg(t)));
        QVERIFY2(bitIdentical(b.value(), w[1]), qPrintable(QString("row, step %1").arg(t)));
    }
}

void TestOptim::sgdMomentumByHand_data() {
    QTest::addColumn<float>("momentum");
    QTest::addColumn<float>("w3");
    // w = 1, lr 0.1, gradients 0.5, 0.5, -1.
    // momentum 0:   w = 1 - 0.05 - 0.05 + 0.1 = 1.0
    // momentum 0.9: v = 0.5 -> w = 0.95; v = 0.9*0.5 + 0.5 = 0.95 -> w = 0.855; v = 0.855 - 1 = -0.145 -> w = 0.8695
    QTest::newRow("plain") << 0.0f << 1.0f;
    QTest::newRow("momentum 0.9") << 0.9f << 0.8695f;
}

void TestOptim::sgdMomentumByHand() {
    QFETCH(float, momentum);
    QFETCH(float, w3);
    Var w = Var::param(row({1.0f}));
    Sgd sgd({{"w", w, {}}}, 0.1f, momentum);
    for (float g : {0.5f, 0.5f, -1.0f}) {
        w.grad()(0, 0) = g;
        QVERIFY(!sgd.guardedStep(0.0f));
    }
    QVERIFY2(std::fabs(w.value()(0, 0) - w3) < 1e-6f, qPrintable(QString::number(w.value()(0, 0), 'g', 9)));
}

void TestOptim::clipGradNorm_data() {
    QTest::addColumn<float>("maxNorm");
    QTest::addColumn<float>("scale");
    // gradients [3, 4] and [12]: global norm sqrt(9 + 16 + 144) = 13
    QTest::newRow("clipped to 1") << 1.0f << 1.0f / 13.0f;
    QTest::newRow("clipped to 6.5") << 6.5f << 0.5f;
    QTest::newRow("below the limit") << 20.0f << 1.0f;
}

void TestOptim::clipGradNorm() {
    QFETCH(float, maxNorm);
    QFETCH(float, scale);
    Var a = Var::param(row({0, 0})), b = Var::param(row({0})), c = Var::param(row({7}));  // c: no gradient
    ParamList ps = {{"a", a, {}}, {"b", b, {}}, {"c", c, {}}};
    a.grad() = row({3, 4});
    b.grad() = row({12});
    QCOMPARE(gradNorm(ps), 13.0f);
    const float before = ar::clipGradNorm(ps, maxNorm);
    QCOMPARE(before, 13.0f);
    QVERIFY(std::fabs(a.grad()(0, 0) - 3 * scale) < 1e-5f);
    QVERIFY(std::fabs(a.grad()(0, 1) - 4 * scale) < 1e-5f);
    QVERIFY(std::fabs(b.grad()(0, 0) - 12 * scale) < 1e-5f);
    QVERIFY(gradNorm(ps) <= maxNorm * (1 + 1e-5f));
    QVERIFY(!c.hasGrad());
}

void TestOptim::guardRefusesNonFinite_data() {
    QTest::addColumn<float>("loss");
    QTest::addColumn<float>("badGrad");
    QTest::addColumn<QString>("message");
    QTest::newRow("NaN loss") << float(NAN) << 0.25f << "loss is nan";
    QTest::newRow("Inf loss") << float(INFINITY) << 0.25f << "loss is inf";
    QTest::newRow("Inf gradient") << 1.0f << float(INFINITY) << "gradient of 'layer.weight' is not finite";
    QTest::newRow("NaN gradient") << 1.0f << float(NAN) << "gradient of 'layer.weight' is not finite";
}

void TestOptim::guardRefusesNonFinite() {
    QFETCH(float, loss);
    QFETCH(float, badGrad);
    QFETCH(QString, message);
    // Adam and SGD; without the gradient norm, and with it as the training loop passes it (NaN or inf here, so the
    // gradients are scanned all the same)
    for (int kind = 0; kind < 4; ++kind) {
        Var ok = Var::param(row({0.5f, -0.5f}));
        Var w = Var::param(row({1.0f, 2.0f, 3.0f}));
        const Mat okBefore = ok.value(), wBefore = w.value();
        ParamList ps = {{"layer.bias", ok, {}}, {"layer.weight", w, {}}};
        std::unique_ptr<Optimizer> opt;
        if (kind % 2 == 0) opt = std::make_unique<Adam>(ps, 0.1f);
        else opt = std::make_unique<Sgd>(ps, 0.1f, 0.9f);
        ok.grad() = row({1.0f, 1.0f});
        w.grad() = row({0.1f, badGrad, 0.1f});
        const auto refused = kind < 2 ? opt->guardedStep(loss) : opt->guardedStep(loss, gradNorm(ps));
        QVERIFY(refused.has_value());
        QVERIFY2(QString::fromStdString(*refused).contains(message), refused->c_str());
        QVERIFY(QString::fromStdString(*refused).startsWith("step refused, weights unchanged"));
        QVERIFY(bitIdentical(ok.value(), okBefore));  // no parameter moved, not even the healthy one
        QVERIFY(bitIdentical(w.value(), wBefore));
        QVERIFY(!ok.hasGrad() && !w.hasGrad());      // gradients cleared for the next batch
    }
}

void TestOptim::finiteGradientsWithAnOverflowingNormStep() {
    // Gradients near the float maximum are finite, but their norm overflows a float: the step scans them and goes on.
    Var w = Var::param(row({1.0f, 2.0f}));
    Sgd sgd({{"w", w, {}}}, 1e-39f);
    w.grad() = row({3e38f, -3e38f});
    const float norm = gradNorm(sgd.params());
    QVERIFY(std::isinf(norm));
    QVERIFY(!sgd.guardedStep(1.0f, norm).has_value());
    QVERIFY(w.value()(0, 0) != 1.0f || w.value()(0, 1) != 2.0f);  // it moved
    // A finite norm and a non-finite loss: refused, the loss named.
    w.grad() = row({0.5f, 0.5f});
    const auto refused = sgd.guardedStep(float(NAN), gradNorm(sgd.params()));
    QVERIFY(refused.has_value());
    QVERIFY2(QString::fromStdString(*refused).contains("loss is"), refused->c_str());
}

void TestOptim::refusedStepLeavesAdamStateUntouched() {
    // A refused step must not advance Adam's moments or step count: A (good, bad, good) == B (good, good).
    Var a = Var::param(row({1.0f, -1.0f})), b = Var::param(row({1.0f, -1.0f}));
    Adam oa({{"p", a, {}}}, 0.05f), ob({{"p", b, {}}}, 0.05f);
    a.grad() = row({0.3f, 0.1f});
    b.grad() = row({0.3f, 0.1f});
    oa.guardedStep(1.0f);
    ob.guardedStep(1.0f);
    a.grad() = row({float(NAN), 0.2f});
    QVERIFY(oa.guardedStep(1.0f).has_value());
    a.grad() = row({-0.2f, 0.4f});
    b.grad() = row({-0.2f, 0.4f});
    oa.guardedStep(1.0f);
    ob.guardedStep(1.0f);
    QVERIFY(bitIdentical(a.value(), b.value()));
    QCOMPARE(oa.steps(), ob.steps());
}

void TestOptim::scheduleWarmupAndCosine_data() {
    QTest::addColumn<int>("step");
    QTest::addColumn<float>("lr");
    // lr 1, warmup 10, 110 steps, floor 0.1: warmup (s+1)/10, then 0.1 + 0.9 * 0.5 (1 + cos(pi p))
    QTest::newRow("first warmup step") << 0 << 0.1f;
    QTest::newRow("last warmup step") << 9 << 1.0f;
    QTest::newRow("cosine start") << 10 << 1.0f;
    QTest::newRow("cosine middle") << 60 << 0.55f;
    QTest::newRow("cosine quarter") << 35 << float(0.1 + 0.9 * 0.5 * (1 + std::cos(M_PI * 0.25)));
    QTest::newRow("end") << 110 << 0.1f;
}

void TestOptim::scheduleWarmupAndCosine() {
    QFETCH(int, step);
    QFETCH(float, lr);
    TrainConfig cfg;
    cfg.lr = 1.0f;
    cfg.warmup = 10;
    cfg.steps = 110;
    cfg.minLrFraction = 0.1f;
    QVERIFY2(std::fabs(scheduledLr(cfg, step) - lr) < 1e-6f, qPrintable(QString::number(scheduledLr(cfg, step))));
}

void TestOptim::trainerLearnsXor() {
    Rng rng(3);
    nn::Linear l1(2, 8, true, rng), l2(8, 2, true, rng);
    ParamList ps;
    l1.collect(ps, "fc1.");
    l2.collect(ps, "fc2.");
    Mat x(4, 2);
    x << 0, 0, 0, 1, 1, 0, 1, 1;
    const std::vector<int> y = {0, 1, 1, 0};
    const auto forward = [&] { return l2.forward(ops::tanh(l1.forward(Var(x)))); };
    Adam adam(ps, 0.05f);
    TrainConfig cfg;
    cfg.steps = 400;
    cfg.lr = 0.05f;
    cfg.evalEvery = 100;
    int calls = 0;
    float firstLoss = 0;
    TrainHooks hooks;
    hooks.batchLoss = [&](int) { return ops::crossEntropy(forward(), y); };
    hooks.validationLoss = [&] {
        NoGradGuard ng;
        return ops::crossEntropy(forward(), y).item();
    };
    hooks.onStep = [&](const TrainProgress& p) {
        if (calls++ == 0) firstLoss = p.trainLoss;
        QVERIFY(p.problem.empty());
    };
    const TrainResult r = train(adam, cfg, hooks);
    QCOMPARE(r.steps, 400);
    QCOMPARE(calls, 400);
    QCOMPARE(r.refusedSteps, 0);
    QVERIFY(firstLoss > 0.5f);  // ~log 2 at the start
    QVERIFY2(r.valLoss < 0.01f, qPrintable(QString("final loss %1").arg(r.valLoss)));
    NoGradGuard ng;
    const Mat logits = forward().value();
    for (int i = 0; i < 4; ++i) {
        Index arg;
        logits.row(i).maxCoeff(&arg);
        QCOMPARE(int(arg), y[size_t(i)]);
    }
    QCOMPARE(tapeSize(), size_t(0));
}

void TestOptim::trainerStopsOnFlagAndCountsRefusals() {
    Var w = Var::param(row({1.0f, 2.0f}));
    Sgd sgd({{"w", w, {}}}, 0.1f);
    std::atomic<bool> stop{false};
    TrainConfig cfg;
    cfg.steps = 1000;
    cfg.lr = 0.1f;
    cfg.clip = 0;
    std::vector<std::string> problems;
    TrainHooks hooks;
    hooks.batchLoss = [&](int step) {
        Var l = ops::sum(ops::mul(w, w));
        return step == 3 ? ops::scale(l, float(NAN)) : l;  // step 3 blows up
    };
    hooks.onStep = [&](const TrainProgress& p) {
        problems.push_back(p.problem);
        if (p.step == 10) stop = true;
    };
    const TrainResult r = train(sgd, cfg, hooks, &stop);
    QVERIFY(r.stopped);
    QCOMPARE(r.steps, 10);
    QCOMPARE(r.refusedSteps, 1);
    QVERIFY(problems[3].find("loss is nan") != std::string::npos);
    QVERIFY(problems[2].empty() && problems[4].empty());
    // 9 accepted SGD steps on sum(w^2) (gradient 2w): w *= (1 - 2 lr_t) with the scheduled lr; step 3 skipped
    double want = 1.0;
    for (int s = 0; s < 10; ++s)
        if (s != 3) want *= 1.0 - 2.0 * double(scheduledLr(cfg, s));
    QVERIFY2(std::fabs(w.value()(0, 0) - want) < 1e-5, qPrintable(QString("%1 vs %2").arg(w.value()(0, 0)).arg(want)));
}

QTEST_APPLESS_MAIN(TestOptim)
#include "tst_core_optim.moc"
