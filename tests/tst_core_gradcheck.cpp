// Finite-difference gradient checks for every op in core/autograd/ops.h and the nn layers, plus the numerical
// edge cases (softmax at +-1000, cross-entropy ignore index, causal mask, dropout mask reuse) and a proof
// that the checker itself fails on a wrong backward.
#include "core/autograd/ops.h"
#include "core/error.h"
#include "core/nn/embedding.h"
#include "core/nn/layernorm.h"
#include "core/nn/linear.h"
#include "gradcheck.h"
#include "testpaths.h"

#include <QtTest>

#include <cmath>

using namespace ar;
using gradcheck::randomMat;
using gradcheck::randomMatAwayFromZero;

namespace {

struct Case {
    const char* name;
    std::vector<Mat> inputs;
    gradcheck::Function f;
    gradcheck::Options opt = {};
};

const std::vector<int> kIds = {2, 0, 4, 2, 1};          // repeated id 2: the scatter-add must sum
const std::vector<int> kTargets = {1, 3, 0, 2};
const std::vector<int> kTargetsIgnore = {1, -100, 0, -100};

std::vector<Case> cases() {
    std::vector<Case> c;
    const auto M = [](Index r, Index c, uint64_t seed, double lo = -1.0, double hi = 1.0) {
        return randomMat(r, c, seed, lo, hi);
    };
    // linear algebra
    c.push_back({"matmul", {M(3, 4, 1), M(4, 2, 2)}, [](auto& v) { return ops::matmul(v[0], v[1]); }});
    c.push_back({"matmulNT", {M(3, 4, 3), M(5, 4, 4)}, [](auto& v) { return ops::matmulNT(v[0], v[1]); }});
    c.push_back({"linear", {M(3, 11, 6), M(5, 11, 7), M(1, 5, 26)}, [](auto& v) { return ops::linear(v[0], v[1], v[2]); }});
    c.push_back({"matmul same input", {M(3, 3, 5)}, [](auto& v) { return ops::matmul(v[0], v[0]); }});
    c.push_back({"transpose", {M(2, 5, 6)}, [](auto& v) { return ops::transpose(v[0]); }});
    c.push_back({"reshape", {M(2, 6, 7)}, [](auto& v) { return ops::reshape(v[0], 3, 4); }});
    // elementwise
    c.push_back({"add", {M(3, 4, 8), M(3, 4, 9)}, [](auto& v) { return ops::add(v[0], v[1]); }});
    c.push_back({"add same input", {M(3, 4, 10)}, [](auto& v) { return ops::add(v[0], v[0]); }});
    c.push_back({"sub", {M(3, 4, 11), M(3, 4, 12)}, [](auto& v) { return ops::sub(v[0], v[1]); }});
    c.push_back({"mul", {M(3, 4, 13), M(3, 4, 14)}, [](auto& v) { return ops::mul(v[0], v[1]); }});
    c.push_back({"mul same input (square)", {M(3, 4, 15)}, [](auto& v) { return ops::mul(v[0], v[0]); }});
    c.push_back({"scale", {M(3, 4, 16)}, [](auto& v) { return ops::scale(v[0], -2.5f); }});
    c.push_back({"addScalar", {M(3, 4, 17)}, [](auto& v) { return ops::addScalar(v[0], 0.75f); }});
    c.push_back({"addRow", {M(4, 3, 18), M(1, 3, 19)}, [](auto& v) { return ops::addRow(v[0], v[1]); }});
    c.push_back({"mulRow", {M(4, 3, 20), M(1, 3, 21)}, [](auto& v) { return ops::mulRow(v[0], v[1]); }});
    c.push_back({"addCol", {M(4, 3, 22), M(4, 1, 23)}, [](auto& v) { return ops::addCol(v[0], v[1]); }});
    c.push_back({"mulCol", {M(4, 3, 24), M(4, 1, 25)}, [](auto& v) { return ops::mulCol(v[0], v[1]); }});
    // nonlinearities
    c.push_back({"tanh", {M(3, 4, 26, -2, 2)}, [](auto& v) { return ops::tanh(v[0]); }});
    c.push_back({"sigmoid", {M(3, 4, 27, -4, 4)}, [](auto& v) { return ops::sigmoid(v[0]); }});
    c.push_back({"relu", {randomMatAwayFromZero(3, 4, 28)}, [](auto& v) { return ops::relu(v[0]); }});
    c.push_back({"gelu", {M(3, 4, 29, -3, 3)}, [](auto& v) { return ops::gelu(v[0]); }});
    c.push_back({"geluTanh", {M(3, 4, 31, -3, 3)}, [](auto& v) { return ops::geluTanh(v[0]); }});
    // probabilities
    c.push_back({"softmaxRows", {M(3, 5, 30, -2, 2)}, [](auto& v) { return ops::softmaxRows(v[0]); }});
    c.push_back({"logSoftmaxRows", {M(3, 5, 31, -2, 2)}, [](auto& v) { return ops::logSoftmaxRows(v[0]); }});
    c.push_back({"softmaxRows at +1000", {M(3, 5, 32, 998, 1002)}, [](auto& v) { return ops::softmaxRows(v[0]); }});
    c.push_back({"logSoftmaxRows at -1000", {M(3, 5, 33, -1002, -998)},
                 [](auto& v) { return ops::logSoftmaxRows(v[0]); }});
    c.push_back({"crossEntropy", {M(4, 5, 34, -2, 2)}, [](auto& v) { return ops::crossEntropy(v[0], kTargets); }});
    c.push_back({"crossEntropy ignore index", {M(4, 5, 35, -2, 2)},
                 [](auto& v) { return ops::crossEntropy(v[0], kTargetsIgnore); }});
    c.push_back({"crossEntropy custom ignore", {M(4, 5, 36, -2, 2)},
                 [](auto& v) { return ops::crossEntropy(v[0], std::vector<int>{3, 3, 1, 0}, 3); }});
    c.push_back({"bceWithLogits", {M(3, 4, 37, -3, 3)}, [](auto& v) {
                     Mat t = (randomMat(3, 4, 38).array() > 0).cast<float>();
                     return ops::bceWithLogits(v[0], t);
                 }});
    c.push_back({"layerNorm", {M(4, 6, 39, -2, 2), M(1, 6, 40, 0.5, 1.5), M(1, 6, 41)},
                 [](auto& v) { return ops::layerNorm(v[0], v[1], v[2]); }});
    // indexing and structure
    c.push_back({"embedding", {M(5, 3, 42)}, [](auto& v) { return ops::embedding(v[0], kIds); }});
    c.push_back({"concatRows", {M(2, 3, 43), M(1, 3, 44), M(3, 3, 45)},
                 [](auto& v) { return ops::concatRows({v[0], v[1], v[2]}); }});
    c.push_back({"concatCols", {M(3, 2, 46), M(3, 1, 47)}, [](auto& v) { return ops::concatCols({v[0], v[1]}); }});
    c.push_back({"concat same input twice", {M(2, 3, 48)}, [](auto& v) { return ops::concatRows({v[0], v[0]}); }});
    c.push_back({"sliceRows", {M(5, 3, 49)}, [](auto& v) { return ops::sliceRows(v[0], 1, 3); }});
    c.push_back({"sliceCols", {M(3, 5, 50)}, [](auto& v) { return ops::sliceCols(v[0], 2, 2); }});
    c.push_back({"causalMask + softmax", {M(4, 4, 51, -2, 2)},
                 [](auto& v) { return ops::softmaxRows(ops::causalMask(v[0])); }});
    c.push_back({"causalMask with cache offset", {M(2, 5, 52, -2, 2)},
                 [](auto& v) { return ops::softmaxRows(ops::causalMask(v[0])); }});
    // reductions
    c.push_back({"sum", {M(3, 4, 53)}, [](auto& v) { return ops::sum(v[0]); }});
    c.push_back({"mean", {M(3, 4, 54)}, [](auto& v) { return ops::mean(v[0]); }});
    // regularisation: the Rng is reseeded inside f, so every evaluation draws the same mask
    c.push_back({"dropout p=0.3 (fixed mask)", {M(4, 5, 55)}, [](auto& v) {
                     Rng rng(99);
                     return ops::dropout(v[0], 0.3f, rng, true);
                 }});
    c.push_back({"dropout eval mode", {M(4, 5, 56)}, [](auto& v) {
                     Rng rng(99);
                     return ops::scale(ops::dropout(v[0], 0.3f, rng, false), 1.0f);
                 }});
    // nn layers
    c.push_back({"nn::Linear with bias", {M(4, 3, 57), M(5, 3, 58), M(1, 5, 59)}, [](auto& v) {
                     nn::Linear l;
                     l.weight = v[1];
                     l.bias = v[2];
                     return l.forward(v[0]);
                 }});
    c.push_back({"nn::Linear without bias", {M(4, 3, 60), M(2, 3, 61)}, [](auto& v) {
                     nn::Linear l;
                     l.weight = v[1];
                     return l.forward(v[0]);
                 }});
    c.push_back({"nn::Embedding", {M(6, 4, 62)}, [](auto& v) {
                     nn::Embedding e;
                     e.weight = v[0];
                     return e.forward(kIds);
                 }});
    c.push_back({"nn::LayerNorm", {M(3, 8, 63, -3, 3), M(1, 8, 64, 0.5, 1.5), M(1, 8, 65)}, [](auto& v) {
                     nn::LayerNorm ln;
                     ln.weight = v[1];
                     ln.bias = v[2];
                     return ln.forward(v[0]);
                 }});
    // a small composite: MLP + cross-entropy, the training path end to end
    c.push_back({"MLP + crossEntropy", {M(4, 3, 66), M(6, 3, 67), M(1, 6, 68), M(5, 6, 69)}, [](auto& v) {
                     Var h = ops::tanh(ops::addRow(ops::matmulNT(v[0], v[1]), v[2]));
                     return ops::crossEntropy(ops::matmulNT(h, v[3]), kTargets);
                 }});
    return c;
}

// y = x^2 with a deliberately wrong backward (factor 2.2 instead of 2).
Var badSquare(const Var& x) {
    return makeResult(x.value().cwiseProduct(x.value()), {x}, [](Node& self) {
        Node& X = *self.inputs[0];
        accumulate(X, (self.grad.array() * 2.2f * X.value.array()).matrix());
    });
}

// a*b where the backward forgets the gradient of b.
Var forgetfulMul(const Var& a, const Var& b) {
    return makeResult(a.value().cwiseProduct(b.value()), {a, b}, [](Node& self) {
        accumulate(*self.inputs[0], self.grad.cwiseProduct(self.inputs[1]->value));
    });
}

}  // namespace

class TestGradcheck : public QObject {
    Q_OBJECT
private slots:
    void everyOp_data();
    void everyOp();
    void checkerCatchesWrongBackward_data();
    void checkerCatchesWrongBackward();
    void softmaxStableAtExtremes_data();
    void softmaxStableAtExtremes();
    void crossEntropyIgnoreIndex();
    void crossEntropyAtExtremeLogits();
    void causalMaskValues();
    void dropoutBackwardUsesForwardMask();
    void opsListIsComplete();
};

void TestGradcheck::everyOp_data() {
    QTest::addColumn<int>("index");
    const auto all = cases();
    for (size_t i = 0; i < all.size(); ++i) QTest::newRow(all[i].name) << int(i);
}

void TestGradcheck::everyOp() {
    QFETCH(int, index);
    const Case c = cases()[size_t(index)];
    const gradcheck::Result r = gradcheck::check(c.f, c.inputs, c.opt);
    QVERIFY2(r.ok, r.report.c_str());
    QVERIFY(r.checked > 0);
    QCOMPARE(tapeSize(), size_t(0));  // backward cleared the tape
}

void TestGradcheck::checkerCatchesWrongBackward_data() {
    QTest::addColumn<int>("which");
    QTest::newRow("gradient off by a factor 1.1") << 0;
    QTest::newRow("gradient missing for one input") << 1;
}

void TestGradcheck::checkerCatchesWrongBackward() {
    QFETCH(int, which);
    gradcheck::Result r;
    if (which == 0) r = gradcheck::check([](auto& v) { return badSquare(v[0]); }, {randomMatAwayFromZero(3, 3, 70)});
    else r = gradcheck::check([](auto& v) { return forgetfulMul(v[0], v[1]); }, {randomMat(2, 3, 71), randomMat(2, 3, 72)});
    QVERIFY2(!r.ok, "the gradient check accepted a wrong backward");
    QVERIFY(r.report.find("analytic") != std::string::npos);
    // the same checker accepts the correct versions
    const auto good = which == 0 ? gradcheck::check([](auto& v) { return ops::mul(v[0], v[0]); }, {randomMatAwayFromZero(3, 3, 70)})
                                 : gradcheck::check([](auto& v) { return ops::mul(v[0], v[1]); }, {randomMat(2, 3, 71), randomMat(2, 3, 72)});
    QVERIFY2(good.ok, good.report.c_str());
}

void TestGradcheck::softmaxStableAtExtremes_data() {
    QTest::addColumn<float>("a");
    QTest::addColumn<float>("b");
    QTest::addColumn<float>("c");
    QTest::newRow("+1000 -1000 0") << 1000.0f << -1000.0f << 0.0f;
    QTest::newRow("1000 999 998") << 1000.0f << 999.0f << 998.0f;
    QTest::newRow("-1000 -999 -998") << -1000.0f << -999.0f << -998.0f;
    QTest::newRow("equal 1000") << 1000.0f << 1000.0f << 1000.0f;
    QTest::newRow("-inf in a row") << -INFINITY << 1.0f << 2.0f;
}

void TestGradcheck::softmaxStableAtExtremes() {
    QFETCH(float, a);
    QFETCH(float, b);
    QFETCH(float, c);
    Mat x(1, 3);
    x << a, b, c;
    // independent computation in long double
    long double m = std::max({(long double)a, (long double)b, (long double)c});
    long double z = 0;
    for (float v : {a, b, c}) z += std::exp((long double)v - m);
    const Mat p = ops::softmaxRows(Var(x)).value();
    const Mat lp = ops::logSoftmaxRows(Var(x)).value();
    for (int j = 0; j < 3; ++j) {
        const long double want = std::exp((long double)x(0, j) - m) / z;
        const long double wantLog = (long double)x(0, j) - m - std::log(z);
        QVERIFY2(std::isfinite(p(0, j)), "softmax produced a non-finite value");
        QVERIFY(std::fabs(double(p(0, j) - want)) < 1e-6);
        if (std::isinf(x(0, j))) {
            QVERIFY(p(0, j) == 0.0f);
            QVERIFY(std::isinf(lp(0, j)) && lp(0, j) < 0);
        } else {
            QVERIFY(std::isfinite(lp(0, j)));
            QVERIFY2(std::fabs(double(lp(0, j) - wantLog)) < 1e-5,
                     qPrintable(QString("log-softmax %1 vs %2").arg(lp(0, j)).arg(double(wantLog))));
        }
    }
    QVERIFY(std::fabs(p.sum() - 1.0f) < 1e-6f);
}

void TestGradcheck::crossEntropyIgnoreIndex() {
    // loss = mean over non-ignored rows of -log softmax[target]; ignored rows get exactly zero gradient
    Mat x = randomMat(4, 5, 80, -2, 2);
    Var logits = Var::param(x);
    Var loss = ops::crossEntropy(logits, kTargetsIgnore);
    double want = 0;
    int n = 0;
    for (int r = 0; r < 4; ++r) {
        if (kTargetsIgnore[size_t(r)] == -100) continue;
        double z = 0;
        for (int j = 0; j < 5; ++j) z += std::exp(double(x(r, j)));
        want -= double(x(r, kTargetsIgnore[size_t(r)])) - std::log(z);
        ++n;
    }
    QVERIFY(std::fabs(loss.item() - want / n) < 1e-5);
    backward(loss);
    QVERIFY(logits.grad().row(1).isZero(0));
    QVERIFY(logits.grad().row(3).isZero(0));
    QVERIFY(!logits.grad().row(0).isZero(0));
    // all rows ignored: loss 0, no gradient, no NaN
    Var l2 = Var::param(x);
    Var allIgnored = ops::crossEntropy(l2, std::vector<int>{-100, -100, -100, -100});
    QCOMPARE(allIgnored.item(), 0.0f);
    backward(allIgnored);
    QVERIFY(!l2.hasGrad() || l2.grad().isZero(0));
    // a target outside the vocabulary is an error, not a crash
    const std::vector<int> outside = {0, 1, 5, 2};
    bool threw = false;
    try {
        ops::crossEntropy(Var(x), outside);
    } catch (const ar::Error& e) {
        threw = QString(e.what()).contains("target id 5 outside the vocabulary of 5");
    }
    QVERIFY(threw);
    clearTape();
}

void TestGradcheck::crossEntropyAtExtremeLogits() {
    Mat x(2, 3);
    x << 1000, -1000, 0, -1000, 1000, 999;
    Var logits = Var::param(x);
    Var loss = ops::crossEntropy(logits, std::vector<int>{1, 2});
    // row 0: target logit -1000 vs max 1000 -> 2000; row 1: 1 + log(1 + e^-1) (the e^-2000 terms vanish)
    const double want = (2000.0 + 1.0 + std::log1p(std::exp(-1.0))) / 2.0;
    QVERIFY2(std::fabs(loss.item() - want) < 1e-3, qPrintable(QString::number(loss.item())));
    backward(loss);
    QVERIFY(logits.grad().allFinite());
    Var bce = ops::bceWithLogits(Var(x), Mat::Zero(2, 3));
    QVERIFY(std::isfinite(bce.item()));
}

void TestGradcheck::causalMaskValues() {
    Mat s = randomMat(3, 3, 81);
    const Mat m = ops::causalMask(Var(s)).value();
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
            if (j > i) QVERIFY(std::isinf(m(i, j)) && m(i, j) < 0);
            else QCOMPARE(m(i, j), s(i, j));
        }
    const Mat p = ops::softmaxRows(ops::causalMask(Var(s))).value();
    QCOMPARE(p(0, 0), 1.0f);  // the first query sees only itself
    QVERIFY(p(1, 2) == 0.0f && p(0, 1) == 0.0f && p(0, 2) == 0.0f);
    // with a cache: 2 queries over 4 keys, query 0 sees keys 0..2
    const Mat c = ops::causalMask(Var(randomMat(2, 4, 82))).value();
    QVERIFY(std::isfinite(c(0, 2)) && std::isinf(c(0, 3)) && std::isfinite(c(1, 3)));
}

void TestGradcheck::dropoutBackwardUsesForwardMask() {
    const float p = 0.4f;
    Mat x = randomMatAwayFromZero(10, 10, 83);
    Var v = Var::param(x);
    Rng rng(5);
    Var y = ops::dropout(v, p, rng, true);
    backward(ops::sum(y));
    const Mat& g = v.grad();
    int dropped = 0;
    for (Index i = 0; i < x.size(); ++i) {
        const float yi = y.value().data()[i];
        if (yi == 0.0f) {
            ++dropped;
            QCOMPARE(g.data()[i], 0.0f);  // dropped in forward -> no gradient
        } else {
            QCOMPARE(yi, x.data()[i] / (1.0f - p));
            QCOMPARE(g.data()[i], 1.0f / (1.0f - p));
        }
    }
    QVERIFY(dropped > 20 && dropped < 60);  // about 40 of 100
    // same seed, same mask
    Rng a(5), b(5);
    QCOMPARE(ops::dropout(Var(x), p, a, true).value(), ops::dropout(Var(x), p, b, true).value());
    // eval mode and p = 0 are the identity
    Rng c(5);
    QCOMPARE(ops::dropout(Var(x), p, c, false).value(), x);
    QCOMPARE(ops::dropout(Var(x), 0.0f, c, true).value(), x);
}

void TestGradcheck::opsListIsComplete() {
    // Every function declared in ops.h has a row above: a new op without a gradient check fails here.
    QFile header(QString::fromStdString(testutil::sourcePath("core/autograd/ops.h")));
    QVERIFY(header.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(header.readAll());
    QRegularExpression decl(QStringLiteral("^Var (\\w+)\\("), QRegularExpression::MultilineOption);
    QStringList covered;
    for (const Case& c : cases()) covered << QString::fromUtf8(c.name).section(' ', 0, 0).section('+', 0, 0);
    QStringList missing;
    for (auto it = decl.globalMatch(text); it.hasNext();) {
        const QString op = it.next().captured(1);
        if (!covered.contains(op)) missing << op;
    }
    QVERIFY2(missing.isEmpty(), qPrintable("ops without a gradient check: " + missing.join(", ")));
}

QTEST_APPLESS_MAIN(TestGradcheck)
#include "tst_core_gradcheck.moc"
