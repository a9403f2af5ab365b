// Rng: a fixed seed gives the same numbers on every machine and compiler (golden values written as literals,
// checked identical with GCC -O0/-O2/-mavx2 -mfma and Clang -ffp-contract=fast), and the distributions are
// right (moments, frequencies, and normal() against a libm Box-Muller on the same uniforms).
#include "core/random.h"

#include <QtTest>

#include <cmath>
#include <numbers>

using namespace ar;

class TestRandom : public QObject {
    Q_OBJECT
private slots:
    void goldenU64();
    void goldenUniform();
    void goldenNormal();
    void goldenBelowAndCategorical();
    void reseedRestarts();
    void normalMatchesLibmBoxMuller();
    void uniformMoments();
    void normalMoments_data();
    void normalMoments();
    void belowIsUniform_data();
    void belowIsUniform();
    void categoricalFrequencies();
    void categoricalEdgeCases();
};

void TestRandom::goldenU64() {
    Rng r(42);
    QCOMPARE(r.nextU64(), 1546998764402558742ull);
    QCOMPARE(r.nextU64(), 6990951692964543102ull);
    QCOMPARE(r.nextU64(), 12544586762248559009ull);
    QCOMPARE(r.nextU64(), 17057574109182124193ull);
}

void TestRandom::goldenUniform() {
    Rng r(42);
    // exact equality: these are bit patterns, not approximations
    QVERIFY(r.uniform() == 0.083862971059882163);
    QVERIFY(r.uniform() == 0.37898025066266861);
    QVERIFY(r.uniform() == 0.68004341102813937);
    Rng f(42);  // uniformf: the top 24 bits of the same draws, so it can never round up to 1.0f
    QVERIFY(f.uniformf() == 0.0838629603f);
    QVERIFY(f.uniformf() == 0.378980219f);
    QVERIFY(f.uniformf() == 0.680043399f);
    QVERIFY(float(0.99999999999) == 1.0f);  // why uniformf() does not just round uniform()
}

void TestRandom::goldenNormal() {
    Rng r(42);
    const double golden[] = {-1.6132237513849159, 1.5344873235334191,  0.78169204505734902,
                             -0.40019349432348456, 0.015871293375984849, -0.12730993137685462};
    for (double g : golden) {
        const double x = r.normal();
        QVERIFY2(x == g, qPrintable(QString("got %1, golden %2").arg(x, 0, 'g', 17).arg(g, 0, 'g', 17)));
    }
}

void TestRandom::goldenBelowAndCategorical() {
    Rng r(42);
    const uint64_t below[] = {83, 378, 680, 924, 991, 769};
    for (uint64_t b : below) QCOMPARE(r.below(1000), b);
    Rng c(42);
    const std::vector<float> w = {0.1f, 0.2f, 0.3f, 0.4f};
    const int cat[] = {0, 2, 3, 3, 3, 3, 3, 3};
    for (int k : cat) QCOMPARE(c.categorical(w), k);
}

void TestRandom::reseedRestarts() {
    Rng a(123);
    const double first = a.normal();  // leaves a spare behind
    a.reseed(123);
    QVERIFY(a.normal() == first);  // reseed drops the cached spare
    Rng b(124);
    QVERIFY(b.nextU64() != Rng(123).nextU64());
}

void TestRandom::normalMatchesLibmBoxMuller() {
    // Same uniforms, libm's log/sin/cos: our exact-arithmetic versions agree to ~1e-15.
    Rng ours(7), uniforms(7);
    double worst = 0;
    for (int i = 0; i < 200000; ++i) {
        const double x = ours.normal(), y = ours.normal();
        const double u1 = (double(uniforms.nextU64() >> 11) + 0.5) * 0x1.0p-53;
        const double u2 = uniforms.uniform();
        const double r = std::sqrt(-2.0 * std::log(u1));
        const double a = 2.0 * std::numbers::pi * u2;
        worst = std::max({worst, std::fabs(x - r * std::cos(a)), std::fabs(y - r * std::sin(a))});
    }
    QVERIFY2(worst < 1e-13, qPrintable(QString::number(worst)));
}

void TestRandom::uniformMoments() {
    Rng r(1);
    const int n = 200000;
    double s = 0, s2 = 0, lo = 1, hi = 0;
    for (int i = 0; i < n; ++i) {
        const double u = r.uniform();
        QVERIFY(u >= 0.0 && u < 1.0);
        s += u;
        s2 += u * u;
        lo = std::min(lo, u);
        hi = std::max(hi, u);
    }
    const double mean = s / n, var = s2 / n - mean * mean;
    QVERIFY(std::fabs(mean - 0.5) < 0.005);       // sd of the mean: 0.29 / sqrt(n) = 0.00065
    QVERIFY(std::fabs(var - 1.0 / 12) < 0.002);
    QVERIFY(lo < 1e-4 && hi > 1 - 1e-4);
}

void TestRandom::normalMoments_data() {
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<double>("mu");
    QTest::addColumn<double>("sd");
    QTest::newRow("standard") << quint64(3) << 0.0 << 1.0;
    QTest::newRow("shifted") << quint64(4) << 5.0 << 0.02;
    QTest::newRow("wide") << quint64(5) << -2.0 << 10.0;
}

void TestRandom::normalMoments() {
    QFETCH(quint64, seed);
    QFETCH(double, mu);
    QFETCH(double, sd);
    Rng r(seed);
    const int n = 200000;
    double s = 0, s2 = 0, s3 = 0, s4 = 0;
    int within1 = 0;
    for (int i = 0; i < n; ++i) {
        const double x = r.normal(mu, sd);
        QVERIFY(std::isfinite(x));
        const double z = (x - mu) / sd;
        s += z;
        s2 += z * z;
        s3 += z * z * z;
        s4 += z * z * z * z;
        within1 += std::fabs(z) < 1.0;
    }
    QVERIFY2(std::fabs(s / n) < 0.01, qPrintable(QString::number(s / n)));
    QVERIFY2(std::fabs(s2 / n - 1) < 0.015, qPrintable(QString::number(s2 / n)));
    QVERIFY2(std::fabs(s3 / n) < 0.03, qPrintable(QString::number(s3 / n)));      // skewness 0
    QVERIFY2(std::fabs(s4 / n - 3) < 0.08, qPrintable(QString::number(s4 / n)));  // kurtosis 3
    QVERIFY(std::fabs(double(within1) / n - 0.682689) < 0.005);
}

void TestRandom::belowIsUniform_data() {
    QTest::addColumn<quint64>("n");
    QTest::newRow("2") << quint64(2);
    QTest::newRow("3") << quint64(3);
    QTest::newRow("7") << quint64(7);
    QTest::newRow("10") << quint64(10);
}

void TestRandom::belowIsUniform() {
    QFETCH(quint64, n);
    Rng r(9);
    std::vector<int> count(n, 0);
    const int draws = 70000;
    for (int i = 0; i < draws; ++i) {
        const uint64_t k = r.below(n);
        QVERIFY(k < n);
        ++count[k];
    }
    // chi-square with n-1 dof; 40 is far beyond the 99.99% point for n <= 10
    double chi2 = 0;
    const double e = double(draws) / double(n);
    for (int c : count) chi2 += (c - e) * (c - e) / e;
    QVERIFY2(chi2 < 40, qPrintable(QString::number(chi2)));
    QCOMPARE(r.below(1), uint64_t(0));
    QCOMPARE(r.below(0), uint64_t(0));
}

void TestRandom::categoricalFrequencies() {
    Rng r(11);
    const std::vector<double> w = {1.0, 0.0, 3.0, 6.0};
    std::vector<int> count(4, 0);
    const int n = 100000;
    for (int i = 0; i < n; ++i) ++count[size_t(r.categorical(w))];
    QCOMPARE(count[1], 0);  // weight 0 is never drawn
    QVERIFY(std::fabs(count[0] / double(n) - 0.1) < 0.006);
    QVERIFY(std::fabs(count[2] / double(n) - 0.3) < 0.006);
    QVERIFY(std::fabs(count[3] / double(n) - 0.6) < 0.006);
}

void TestRandom::categoricalEdgeCases() {
    Rng r(12);
    const std::vector<float> one = {0.0f, 0.0f, 2.0f};
    for (int i = 0; i < 100; ++i) QCOMPARE(r.categorical(one), 2);
    const std::vector<float> zeros = {0.0f, 0.0f};
    QCOMPARE(r.categorical(zeros), 0);
    QCOMPARE(r.categorical(std::span<const float>()), 0);
}

QTEST_APPLESS_MAIN(TestRandom)
#include "tst_core_random.moc"
