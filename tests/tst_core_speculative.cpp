// Speculative decoding: TinyGpt::extend against one step at a time, the output distribution of the first two
// tokens against the target's exact distribution (chi-square, fixed significance level; the same test with a
// deliberately wrong acceptance rule kept here must fail), the acceptance rate against sum min(p, q), greedy
// equality with plain decoding, and bad arguments.
#include "core/data/toygrammar.h"
#include "core/decoding/speculative.h"
#include "core/decoding/speculativespeed.h"
#include "core/error.h"
#include "core/io/safetensors.h"

#include "testutil.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <map>

using namespace ar;

namespace {

const std::string kTarget = testutil::modelPath("toy-target");
const std::string kDraft = testutil::modelPath("toy-draft");

const TinyGpt& target() {
    static auto m = TinyGpt::fromSafetensors(readSafetensors(kTarget), "target");  // missing file: the test fails
    return *m;
}
const TinyGpt& draft() {
    static auto m = TinyGpt::fromSafetensors(readSafetensors(kDraft), "draft");
    return *m;
}
// An untrained draft: nearly uniform q, so the draft is far from the target and rejections are common.
const TinyGpt& untrainedDraft() {
    static TinyGpt m = [] {
        TinyGptConfig c = target().config();
        c.layers = 1, c.embd = 16, c.heads = 2;
        return TinyGpt(c, target().tokenizer(), 99);
    }();
    return m;
}

Tokens prompt() { return {target().bosToken(), target().tokenizer().id("the")}; }

// Chi-square critical value at significance 0.001 (Wilson-Hilferty; z = 3.0902).
double critical(int df) {
    const double a = 2.0 / (9.0 * df);
    return df * std::pow(1.0 - a + 3.0902 * std::sqrt(a), 3.0);
}

// The target's exact (filtered) distribution of the first two tokens after the prompt, by teacher forcing.
std::map<std::pair<int, int>, double> exactPairs(const SamplerSettings& s) {
    const SamplerChain chain(s);
    std::map<std::pair<int, int>, double> out;
    const Tokens pre = prompt();
    const Mat l1 = target().logits(pre);
    const auto r1 = l1.row(l1.rows() - 1);
    const auto p1 = chainDistribution(chain, std::span<const float>(r1.data(), size_t(r1.size())), pre);
    for (size_t a = 0; a < p1.size(); ++a) {
        if (p1[a] <= 0) continue;
        Tokens pa = pre;
        pa.push_back(int(a));
        const Mat l2 = target().logits(pa);
        const auto r2 = l2.row(l2.rows() - 1);
        const auto p2 = chainDistribution(chain, std::span<const float>(r2.data(), size_t(r2.size())), pa);
        for (size_t b = 0; b < p2.size(); ++b)
            if (p2[b] > 0) out[{int(a), int(b)}] = p1[a] * p2[b];
    }
    return out;
}

struct ChiSquare {
    double statistic = 0, critical = 0;
    int df = 0;
    bool pass() const { return statistic < critical; }
};

ChiSquare firstTwoTokens(const TinyGpt& d, const SpeculativeOptions& base, int runs) {
    const auto exact = exactPairs(base.sampler);
    std::map<std::pair<int, int>, int> seen;
    for (int s = 0; s < runs; ++s) {
        SpeculativeOptions o = base;
        o.steps = 2;
        o.sampler.seed = uint64_t(1000 + s);
        const SpeculativeResult r = speculativeDecode(target(), d, prompt(), o);
        ++seen[{r.tokens[0], r.tokens[1]}];
    }
    // bins: every pair expected at least 5 times; the rest (and anything the target cannot produce) pooled
    ChiSquare c;
    double pooledExpected = 0;
    int pooledSeen = 0, bins = 0;
    for (const auto& [pair, p] : exact) {
        const double e = p * runs;
        const int o = seen.count(pair) ? seen[pair] : 0;
        if (e >= 5) {
            c.statistic += (o - e) * (o - e) / e;
            ++bins;
        } else {
            pooledExpected += e;
            pooledSeen += o;
        }
    }
    for (const auto& [pair, n] : seen)
        if (!exact.count(pair)) pooledSeen += n;  // impossible under the target
    if (pooledExpected > 0 || pooledSeen > 0) {
        const double e = std::max(pooledExpected, 1e-9);
        c.statistic += (pooledSeen - e) * (pooledSeen - e) / e;
        ++bins;
    }
    c.df = bins - 1;
    c.critical = critical(c.df);
    return c;
}

}  // namespace

class TestSpeculative : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        testutil::shipped("toy-target");  // a missing shipped model fails the test
        testutil::shipped("toy-draft");
    }
    // extend() over n tokens = n single steps (every position's logits), for each position encoding; cutting
    // len back and extending again gives the same logits as a fresh state.
    void extendEqualsSteps_data() {
        QTest::addColumn<int>("pos");
        QTest::newRow("learned") << int(PositionMode::Learned);
        QTest::newRow("sinusoidal") << int(PositionMode::Sinusoidal);
        QTest::newRow("rope") << int(PositionMode::Rope);
    }
    void extendEqualsSteps() {
        QFETCH(int, pos);
        TinyGptConfig c;
        c.contextLength = 16, c.layers = 2, c.heads = 2, c.embd = 8, c.pos = PositionMode(pos);
        const TinyGpt m(c, ToyGrammar().tokenizer(), 5);
        const Tokens toks = {0, 3, 7, 2, 9, 4};
        auto a = m.newState(), b = m.newState();
        const Mat all = m.extend(*a, toks);
        QCOMPARE(a->length(), 6);
        DecodeState* bs = b.get();
        for (size_t i = 0; i < toks.size(); ++i) {
            const Mat one = m.step(std::span<DecodeState* const>(&bs, 1), std::span<const int>(&toks[i], 1));
            QVERIFY2((one.row(0) - all.row(Index(i))).cwiseAbs().maxCoeff() < 1e-5f, qPrintable(QString("position %1").arg(i)));
        }
        static_cast<TinyGptState&>(*a).len = 2;  // drop the last four
        const Tokens other = {5, 1};
        const Mat again = m.extend(*a, other);
        auto fresh = m.newState();
        const Tokens seq = {0, 3, 5, 1};
        const Mat ref = m.extend(*fresh, seq);
        QVERIFY((again - ref.bottomRows(2)).cwiseAbs().maxCoeff() < 1e-5f);
        QVERIFY((ref - m.logits(seq)).cwiseAbs().maxCoeff() < 1e-4f);  // and the full (no-cache) forward
    }

    // The invariant: over many seeds, the first two tokens follow the target's exact distribution, for the
    // shipped draft, for an untrained draft, and with the sampler chain's filters applied to p and q alike.
    void outputDistribution_data() {
        QTest::addColumn<bool>("trained");
        QTest::addColumn<int>("gamma");
        QTest::addColumn<float>("temperature");
        QTest::addColumn<int>("topK");
        QTest::newRow("shipped draft, gamma 3") << true << 3 << 1.0f << 0;
        QTest::newRow("untrained draft, gamma 2") << false << 2 << 1.0f << 0;
        QTest::newRow("untrained draft, T 0.7, top-k 4") << false << 4 << 0.7f << 4;
    }
    void outputDistribution() {
        QFETCH(bool, trained);
        QFETCH(int, gamma);
        QFETCH(float, temperature);
        QFETCH(int, topK);
        SpeculativeOptions o;
        o.gamma = gamma;
        o.sampler.setTemperature(temperature);
        o.sampler.setTopK(topK);
        const ChiSquare c = firstTwoTokens(trained ? draft() : untrainedDraft(), o, 1500);
        qInfo("chi-square %.1f, df %d, critical (0.001) %.1f", c.statistic, c.df, c.critical);
        QVERIFY(c.df >= 3);
        QVERIFY2(c.pass(), qPrintable(QString("chi-square %1 >= %2").arg(c.statistic).arg(c.critical)));
    }

    // The same test with a deliberately wrong acceptance rule: keeping every draft (the output is then the
    // draft's distribution). It must fail, so the test above can fail.
    void wrongAcceptanceRuleIsCaught() {
        SpeculativeOptions o;
        o.gamma = 2;
        o.acceptance = [](double, double) { return 1.0; };  // WRONG on purpose
        const ChiSquare c = firstTwoTokens(untrainedDraft(), o, 600);
        qInfo("wrong rule: chi-square %.1f, df %d, critical %.1f", c.statistic, c.df, c.critical);
        QVERIFY(!c.pass());
        o.acceptance = [](double p, double q) { return std::min(1.0, q / std::max(p, 1e-12)); };  // p and q swapped
        QVERIFY(!firstTwoTokens(untrainedDraft(), o, 600).pass());
    }

    // The measured acceptance rate matches the mean of sum_x min(p(x), q(x)) over the examined positions,
    // within 3 standard errors (sqrt(sum beta (1 - beta)) / n for the n Bernoulli(beta_i) outcomes).
    void acceptanceRateMatchesOverlap() {
        for (const TinyGpt* d : {&draft(), &untrainedDraft()}) {
            double kept = 0, expected = 0, var = 0;
            long long n = 0;
            for (int s = 0; s < 80; ++s) {
                SpeculativeOptions o;
                o.gamma = 4;
                o.steps = 30;
                o.sampler.seed = uint64_t(s);
                const SpeculativeResult r = speculativeDecode(target(), *d, prompt(), o);
                for (const auto& round : r.rounds) {
                    kept += round.accepted;
                    for (float b : round.overlap) {
                        expected += b;
                        var += b * (1 - b);
                        ++n;
                    }
                }
                QCOMPARE(r.targetCalls, int(r.rounds.size()));
                QCOMPARE(int(r.tokens.size()), 30);
            }
            const double se = std::sqrt(var) / double(n);
            qInfo("acceptance %.4f, expected %.4f, standard error %.4f (%lld drafts)", kept / n, expected / n, se, n);
            QVERIFY(std::abs(kept / n - expected / n) <= 3 * se);
        }
    }

    // Greedy: speculative decoding returns exactly the target's greedy tokens, for every gamma; draft calls =
    // gamma per round.
    void greedyEqualsPlainGreedy() {
        SamplerSettings g;
        g.strategy = DecodeStrategy::Greedy;
        const Tokens plain = autoregressiveDecode(target(), prompt(), 40, g);
        for (int gamma = 1; gamma <= 6; ++gamma) {
            SpeculativeOptions o;
            o.gamma = gamma;
            o.steps = 40;
            o.sampler = g;
            const SpeculativeResult r = speculativeDecode(target(), untrainedDraft(), prompt(), o);
            QCOMPARE(r.tokens, plain);
            QVERIFY(r.draftCalls <= gamma * r.targetCalls);
        }
    }

    // The speed measurement times plain AR and speculative decoding in pairs: one wall-time speedup per repeat
    // and gamma (the AR time of the pair over its speculative time), the median and the spread of those, the
    // same tokens decoded in every repeat.
    void speedIsTimedInPairs_data() {
        QTest::addColumn<int>("repeats");
        QTest::newRow("3 pairs") << 3;
        QTest::newRow("4 pairs (median of the middle two)") << 4;
    }
    void speedIsTimedInPairs() {
        QFETCH(int, repeats);
        SpeculativeSpeedOptions o;
        o.runs = 2, o.steps = 6, o.maxGamma = 2, o.repeats = repeats;
        const SpeculativeSpeed m = measureSpeculativeSpeed(target(), draft(), prompt(), o);
        QCOMPARE(m.rows.size(), size_t(2));
        QCOMPARE(m.arOutputs.size(), size_t(2));
        QVERIFY(m.arSeconds > 0);
        for (const SpeculativeSpeedRow& row : m.rows) {
            QCOMPARE(row.wallSpeedups.size(), size_t(repeats));
            QVERIFY(row.arSeconds >= m.arSeconds && row.seconds > 0);
            std::vector<double> s = row.wallSpeedups;
            std::sort(s.begin(), s.end());
            const double median = repeats % 2 ? s[size_t(repeats / 2)] : 0.5 * (s[size_t(repeats / 2 - 1)] + s[size_t(repeats / 2)]);
            QCOMPARE(row.wallSpeedup(), median);
            QCOMPARE(row.wallSpeedupMin(), s.front());
            QCOMPARE(row.wallSpeedupMax(), s.back());
            QVERIFY(row.wallSpeedupMin() > 0);
            QCOMPARE(row.outputs.size(), size_t(o.runs));
        }
        QCOMPARE(SpeculativeSpeedRow{}.wallSpeedup(), 0.0);
    }

    void badArguments() {
        SpeculativeOptions o;
        const auto message = [&](const TinyGpt& d, const Tokens& p) {
            return testutil::errorOf([&] { speculativeDecode(target(), d, p, o); });
        };
        o.gamma = 0;
        QCOMPARE(message(draft(), prompt()), QString("gamma must be in 1..32, got 0"));
        o.gamma = 4;
        o.steps = 500;
        QVERIFY(message(draft(), prompt()).contains("do not fit the target's context"));
        o.steps = 5;
        QVERIFY(message(draft(), {}).contains("empty prompt"));
        TinyGptConfig c;
        const TinyGpt chars(c, Tokenizer(Tokenizer::Kind::Char, {"a", "b", "c"}), 1);
        QCOMPARE(message(chars, prompt()), QString("speculative decoding: the draft and the target have different vocabularies"));
        o.sampler.strategy = DecodeStrategy::Beam;
        QVERIFY(message(draft(), prompt()).contains("beam search is not a sampler"));
    }
};

QTEST_GUILESS_MAIN(TestSpeculative)
#include "tst_core_speculative.moc"
