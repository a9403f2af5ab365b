// The sampler chain: every filter on hand-checkable distributions, the selector, seeds, bad settings; on a
// large vocabulary, the recorded top candidates against a full-sort reference; GPT-2's vocabulary gives the same bits
// on 1, 2 and 3 kernel threads.
#include "core/decoding/samplerchain.h"
#include "core/decoding/samplerstages.h"
#include "core/error.h"
#include "core/nn/threads.h"
#include "core/random.h"

#include <QtTest>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <set>

using namespace ar;

Q_DECLARE_METATYPE(std::vector<float>)
Q_DECLARE_METATYPE(std::vector<int>)
Q_DECLARE_METATYPE(std::vector<double>)

// The chain as it was written before it recorded only the top candidates: every stage keeps all its
// survivors, fully sorted (an independent oracle for the large-vocabulary test; stage order and rules from
// the README's table).
struct RefStage {
    std::string name;
    std::vector<Candidate> cs;   // all survivors, sorted by p descending, ties: lower id
};
static void refRenormalise(std::vector<Candidate>& cs) {
    double mx = -INFINITY, sum = 0;
    for (const auto& c : cs) mx = std::max(mx, double(c.logit));
    for (const auto& c : cs) sum += std::exp(double(c.logit) - mx);
    for (auto& c : cs) c.p = float(std::exp(double(c.logit) - mx) / sum);
    std::stable_sort(cs.begin(), cs.end(), [](const Candidate& a, const Candidate& b) { return a.logit != b.logit ? a.logit > b.logit : a.id < b.id; });
}
static std::vector<RefStage> referenceChain(const std::vector<float>& logits, const std::vector<int>& recent, const SamplerSettings& s) {
    const float penalty = float(s.knob("repetition_penalty")), temperature = s.temperature(), topP = s.topP(),
                minP = float(s.knob("min_p"));
    const int window = int(s.knob("repetition_window")), topK = s.topK();
    std::vector<RefStage> out;
    std::vector<Candidate> cs;
    for (size_t i = 0; i < logits.size(); ++i) cs.push_back({int(i), logits[i], 0.f});
    refRenormalise(cs);
    out.push_back({"raw", cs});
    if (penalty != 1.0f) {
        const std::set<int> seen(recent.end() - std::min<std::ptrdiff_t>(std::ptrdiff_t(recent.size()), window), recent.end());
        for (auto& c : cs)
            if (seen.count(c.id)) c.logit = c.logit > 0 ? c.logit / penalty : c.logit * penalty;
        refRenormalise(cs);
        out.push_back({"repetition penalty", cs});
    }
    if (temperature != 1.0f) {
        for (auto& c : cs) c.logit /= temperature;
        refRenormalise(cs);
        out.push_back({"temperature", cs});
    }
    if (topK > 0) {
        cs.resize(std::min(cs.size(), size_t(topK)));
        refRenormalise(cs);
        out.push_back({"top-k", cs});
    }
    if (topP < 1.0f) {
        double cum = 0;
        size_t keep = cs.size();
        for (size_t i = 0; i < cs.size(); ++i)
            if ((cum += cs[i].p) >= double(topP) - 1e-6) {
                keep = i + 1;
                break;
            }
        cs.resize(keep);
        refRenormalise(cs);
        out.push_back({"top-p", cs});
    }
    if (minP > 0.0f) {
        const float threshold = minP * cs.front().p;
        std::erase_if(cs, [&](const Candidate& c) { return c.p < threshold; });
        refRenormalise(cs);
        out.push_back({"min-p", cs});
    }
    return out;
}

static bool containsId(const std::vector<Candidate>& cs, int id) {
    return std::any_of(cs.begin(), cs.end(), [id](const Candidate& c) { return c.id == id; });
}

static std::vector<float> logOf(std::vector<double> p) {
    std::vector<float> l;
    for (double x : p) l.push_back(float(std::log(x)));
    return l;
}

class TestSamplerChain : public QObject {
    Q_OBJECT
    // The settings of a row with the columns temperature, topK, topP, minP and penalty.
    static SamplerSettings settingsOfRow(int repetitionWindow = 150) {
        QFETCH(float, temperature);
        QFETCH(int, topK);
        QFETCH(float, topP);
        QFETCH(float, minP);
        QFETCH(float, penalty);
        SamplerSettings s;
        s.setTemperature(temperature);
        s.setTopK(topK);
        s.setTopP(topP);
        s.setKnob("min_p", minP);
        s.setKnob("repetition_penalty", penalty);
        s.setKnob("repetition_window", repetitionWindow);
        return s;
    }

private slots:
    void finalStage_data() {
        QTest::addColumn<std::vector<float>>("logits");
        QTest::addColumn<float>("temperature");
        QTest::addColumn<int>("topK");
        QTest::addColumn<float>("topP");
        QTest::addColumn<float>("minP");
        QTest::addColumn<float>("penalty");
        QTest::addColumn<std::vector<int>>("recent");
        QTest::addColumn<QStringList>("stageNames");
        QTest::addColumn<std::vector<int>>("ids");
        QTest::addColumn<std::vector<double>>("ps");

        const auto p4 = logOf({0.1, 0.2, 0.3, 0.4});
        QTest::newRow("off: raw only") << p4 << 1.f << 0 << 1.f << 0.f << 1.f << std::vector<int>{}
            << QStringList{"raw"} << std::vector<int>{3, 2, 1, 0} << std::vector<double>{0.4, 0.3, 0.2, 0.1};
        QTest::newRow("top-p 0.7 keeps {0.4, 0.3}") << p4 << 1.f << 0 << 0.7f << 0.f << 1.f << std::vector<int>{}
            << QStringList{"raw", "top-p"} << std::vector<int>{3, 2} << std::vector<double>{0.571429, 0.428571};
        QTest::newRow("top-p 0.4 keeps the top token") << p4 << 1.f << 0 << 0.4f << 0.f << 1.f << std::vector<int>{}
            << QStringList{"raw", "top-p"} << std::vector<int>{3} << std::vector<double>{1.0};
        QTest::newRow("top-p 0.75 needs three") << p4 << 1.f << 0 << 0.75f << 0.f << 1.f << std::vector<int>{}
            << QStringList{"raw", "top-p"} << std::vector<int>{3, 2, 1} << std::vector<double>{0.444444, 0.333333, 0.222222};
        QTest::newRow("top-k 2") << p4 << 1.f << 2 << 1.f << 0.f << 1.f << std::vector<int>{}
            << QStringList{"raw", "top-k"} << std::vector<int>{3, 2} << std::vector<double>{0.571429, 0.428571};
        QTest::newRow("top-k 1") << p4 << 1.f << 1 << 1.f << 0.f << 1.f << std::vector<int>{}
            << QStringList{"raw", "top-k"} << std::vector<int>{3} << std::vector<double>{1.0};
        QTest::newRow("top-k larger than V") << p4 << 1.f << 10 << 1.f << 0.f << 1.f << std::vector<int>{}
            << QStringList{"raw", "top-k"} << std::vector<int>{3, 2, 1, 0} << std::vector<double>{0.4, 0.3, 0.2, 0.1};
        QTest::newRow("min-p 0.5: p >= 0.2") << p4 << 1.f << 0 << 1.f << 0.5f << 1.f << std::vector<int>{}
            << QStringList{"raw", "min-p"} << std::vector<int>{3, 2, 1} << std::vector<double>{0.444444, 0.333333, 0.222222};
        QTest::newRow("min-p 0.9: only the top") << p4 << 1.f << 0 << 1.f << 0.9f << 1.f << std::vector<int>{}
            << QStringList{"raw", "min-p"} << std::vector<int>{3} << std::vector<double>{1.0};
        QTest::newRow("temperature 0 = greedy") << p4 << 0.f << 0 << 1.f << 0.f << 1.f << std::vector<int>{}
            << QStringList{"raw", "temperature"} << std::vector<int>{3} << std::vector<double>{1.0};
        QTest::newRow("temperature 0.5 squares p") << p4 << 0.5f << 0 << 1.f << 0.f << 1.f << std::vector<int>{}
            << QStringList{"raw", "temperature"} << std::vector<int>{3, 2, 1, 0}
            << std::vector<double>{0.533333, 0.3, 0.133333, 0.033333};
        QTest::newRow("temperature 2 takes sqrt p") << p4 << 2.f << 0 << 1.f << 0.f << 1.f << std::vector<int>{}
            << QStringList{"raw", "temperature"} << std::vector<int>{3, 2, 1, 0}
            << std::vector<double>{0.325401, 0.281805, 0.230093, 0.1627};
        QTest::newRow("penalty 2, negative logit x2") << p4 << 1.f << 0 << 1.f << 0.f << 2.f << std::vector<int>{3}
            << QStringList{"raw", "repetition penalty"} << std::vector<int>{2, 1, 3, 0}
            << std::vector<double>{0.394737, 0.263158, 0.210526, 0.131579};
        QTest::newRow("penalty 2, positive logit /2") << std::vector<float>{1, 2, 3, 4} << 1.f << 0 << 1.f << 0.f << 2.f
            << std::vector<int>{3, 3} << QStringList{"raw", "repetition penalty"} << std::vector<int>{2, 1, 3, 0}
            << std::vector<double>{0.534447, 0.196612, 0.196612, 0.072329};
        QTest::newRow("penalty only looks at the window") << p4 << 1.f << 0 << 1.f << 0.f << 2.f
            << std::vector<int>{3, 0, 0, 0, 0, 0, 0, 0, 0} << QStringList{"raw", "repetition penalty"}
            << std::vector<int>{3, 2, 1, 0} << std::vector<double>{0.439560, 0.329670, 0.219780, 0.010989};
        QTest::newRow("top-k 3 then top-p 0.6") << p4 << 1.f << 3 << 0.6f << 0.f << 1.f << std::vector<int>{}
            << QStringList{"raw", "top-k", "top-p"} << std::vector<int>{3, 2} << std::vector<double>{0.571429, 0.428571};
        QTest::newRow("all five stages in order") << p4 << 0.5f << 3 << 0.9f << 0.3f << 1.5f << std::vector<int>{0}
            << QStringList{"raw", "repetition penalty", "temperature", "top-k", "top-p", "min-p"}
            << std::vector<int>{3, 2} << std::vector<double>{0.64, 0.36};
    }
    void finalStage() {
        QFETCH(std::vector<float>, logits);
        QFETCH(std::vector<int>, recent);
        QFETCH(QStringList, stageNames);
        QFETCH(std::vector<int>, ids);
        QFETCH(std::vector<double>, ps);
        SamplerChain chain(settingsOfRow(8));
        const auto stages = chain.filter(logits, recent);
        QStringList names;
        for (const auto& st : stages) names << QString::fromStdString(st.name);
        QCOMPARE(names, stageNames);
        const auto& last = stages.back().candidates;
        QCOMPARE(last.size(), ids.size());
        double sum = 0;
        for (size_t i = 0; i < ids.size(); ++i) {
            QCOMPARE(last[i].id, ids[i]);
            QVERIFY2(std::abs(last[i].p - ps[i]) < 2e-6, qPrintable(QString("p[%1] = %2, expected %3").arg(i).arg(last[i].p).arg(ps[i])));
            sum += last[i].p;
        }
        QVERIFY(std::abs(sum - 1.0) < 1e-5);
        // The removed counts add up: V - survivors.
        int removed = 0;
        for (const auto& st : stages) removed += st.removed;
        QCOMPARE(removed, int(logits.size() - last.size()));
        // Every stage is sorted by p descending.
        for (const auto& st : stages)
            for (size_t i = 1; i < st.candidates.size(); ++i) QVERIFY(st.candidates[i - 1].p >= st.candidates[i].p);
    }

    void rawStageIsTheModelSoftmax() {
        const std::vector<float> logits{2.0f, -1.0f, 0.5f, 3.0f, 0.0f};
        SamplerSettings s;
        s.setTopK(2);
        SamplerChain chain(s);
        const auto stages = chain.filter(logits, {});
        double z = 0;
        for (float x : logits) z += std::exp(double(x));
        for (const auto& c : stages.front().candidates) {
            QCOMPARE(c.logit, logits[size_t(c.id)]);
            QVERIFY(std::abs(c.p - std::exp(double(logits[size_t(c.id)])) / z) < 1e-7);
        }
        QCOMPARE(int(stages.front().candidates.size()), 5);
        QCOMPARE(stages[1].setting, std::string("k = 2"));
        QCOMPARE(stages[1].removed, 3);
    }

    void greedySelectsArgmaxAndLeavesRngAlone() {
        SamplerSettings s;
        s.strategy = DecodeStrategy::Greedy;
        SamplerChain chain(s);
        Rng rng(5), copy(5);
        const auto r = chain.sample(logOf({0.1, 0.2, 0.3, 0.4}), {}, rng);
        QCOMPARE(r.token, 3);
        QVERIFY(std::abs(r.p - 0.4f) < 1e-6);
        QVERIFY(std::abs(r.modelP - 0.4f) < 1e-6);
        QVERIFY(std::abs(r.tokenLogprob - std::log(0.4)) < 1e-6);
        QCOMPARE(rng.nextU64(), copy.nextU64());
    }

    void tieGoesToTheLowerId() {
        SamplerSettings s;
        s.strategy = DecodeStrategy::Greedy;
        Rng rng(1);
        QCOMPARE(SamplerChain(s).sample(std::vector<float>{0.f, 1.f, 1.f}, {}, rng).token, 1);
    }

    void seedReproducesTheDraw() {
        SamplerChain chain;  // sample, no filters
        const auto logits = logOf({0.1, 0.2, 0.3, 0.4});
        std::vector<int> a, b, c;
        Rng r1(42), r2(42), r3(43);
        for (int i = 0; i < 50; ++i) {
            a.push_back(chain.sample(logits, {}, r1).token);
            b.push_back(chain.sample(logits, {}, r2).token);
            c.push_back(chain.sample(logits, {}, r3).token);
        }
        QCOMPARE(a, b);
        QVERIFY(a != c);
    }

    void drawsFollowTheFinalStage() {
        // top-k 2 on {0.1, 0.2, 0.3, 0.4}: draws only 3 and 2, with frequencies 4/7 and 3/7.
        SamplerSettings s;
        s.setTopK(2);
        SamplerChain chain(s);
        const auto logits = logOf({0.1, 0.2, 0.3, 0.4});
        Rng rng(7);
        int counts[4] = {0, 0, 0, 0};
        const int n = 20000;
        for (int i = 0; i < n; ++i) counts[chain.sample(logits, {}, rng).token]++;
        QCOMPARE(counts[0] + counts[1], 0);
        QVERIFY(std::abs(counts[3] / double(n) - 4.0 / 7.0) < 0.015);
        // A draw reports its probability in the final stage and in the raw model.
        Rng r(1);
        const auto res = chain.sample(logits, {}, r);
        QVERIFY(std::abs(res.p - (res.token == 3 ? 4.0 / 7.0 : 3.0 / 7.0)) < 1e-6);
        QVERIFY(std::abs(res.modelP - (res.token == 3 ? 0.4 : 0.3)) < 1e-6);
    }

    void forcedTokenOutsideTheFilters() {
        SamplerSettings s;
        s.setTopK(1);
        SamplerChain chain(s);
        const auto r = chain.forced(logOf({0.1, 0.2, 0.3, 0.4}), {}, 0);
        QCOMPARE(r.token, 0);
        QCOMPARE(r.p, 0.f);  // top-k removed it
        QVERIFY(std::abs(r.modelP - 0.1f) < 1e-6);
        QVERIFY_THROWS_EXCEPTION(Error, chain.forced(logOf({0.5, 0.5}), {}, 2));
        QVERIFY_THROWS_EXCEPTION(Error, chain.forced(logOf({0.5, 0.5}), {}, -1));
    }

    void badLogits() {
        SamplerChain chain;
        QVERIFY_THROWS_EXCEPTION(Error, chain.filter(std::vector<float>{}, {}));
        QVERIFY_THROWS_EXCEPTION(Error, chain.filter(std::vector<float>{0.f, NAN}, {}));
        QVERIFY_THROWS_EXCEPTION(Error, chain.filter(std::vector<float>{0.f, INFINITY}, {}));
    }

    void invalidSettings_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("top-p 1.5") << "top_p" << 1.5 << "top-p must be in (0, 1], got 1.5";
        QTest::newRow("top-p 0") << "top_p" << 0.0 << "top-p must be in (0, 1], got 0";
        QTest::newRow("top-p nan") << "top_p" << double(NAN) << "top-p must be in (0, 1], got nan";
        QTest::newRow("temperature -1") << "temperature" << -1.0 << "temperature must be in [0, 100] (0 = greedy), got -1";
        QTest::newRow("top-k -3") << "top_k" << -3.0 << "top-k must be >= 0 (0 = off), got -3";
        QTest::newRow("min-p 1") << "min_p" << 1.0 << "min-p must be in [0, 1), got 1";
        QTest::newRow("min-p -0.1") << "min_p" << -0.1 << "min-p must be in [0, 1), got -0.1";
        QTest::newRow("penalty 0") << "repetition_penalty" << 0.0 << "repetition penalty must be in (0, 10] (1 = off), got 0";
        QTest::newRow("beam width 0") << "beamWidth" << 0.0 << "beam width must be in [1, 64], got 0";
        QTest::newRow("length penalty 9") << "lengthPenalty" << 9.0 << "length penalty must be in [0, 5], got 9";
        QTest::newRow("max new 0") << "maxNew" << 0.0 << "max new tokens must be in [1, 4096], got 0";
    }
    void invalidSettings() {
        QFETCH(QString, field);
        QFETCH(double, value);
        QFETCH(QString, message);
        SamplerSettings s;
        if (findSamplerKnob(field.toStdString())) s.setKnob(field.toStdString(), value);   // a stage's knob, by key
        if (field == "beamWidth") s.beam.width = int(value);
        if (field == "lengthPenalty") s.beam.lengthPenalty = float(value);
        if (field == "maxNew") s.maxNewTokens = int(value);
        try {
            SamplerChain chain(s);
            QFAIL("accepted invalid settings");
        } catch (const Error& e) {
            QCOMPARE(QString(e.what()), message);
        }
        SamplerChain ok;
        QVERIFY_THROWS_EXCEPTION(Error, ok.setSettings(s));
        QCOMPARE(ok.settings(), SamplerSettings{});  // unchanged
    }

    // V = 5000: each recorded stage lists exactly the reference's top kRecordedCandidates (same ids, same
    // order, p equal to float rounding), then the raw-listed survivors and the chosen token; kept, the mass
    // of the rest and the entropy match the reference over ALL survivors; the selector draws from all of them.
    void largeVocabularyRecordsTheTopExactly_data() {
        QTest::addColumn<float>("temperature");
        QTest::addColumn<int>("topK");
        QTest::addColumn<float>("topP");
        QTest::addColumn<float>("minP");
        QTest::addColumn<float>("penalty");
        QTest::newRow("raw only") << 1.f << 0 << 1.f << 0.f << 1.f;
        QTest::newRow("T 0.7") << 0.7f << 0 << 1.f << 0.f << 1.f;
        QTest::newRow("top-k 300 (> 64)") << 1.f << 300 << 1.f << 0.f << 1.f;
        QTest::newRow("top-k 10") << 1.f << 10 << 1.f << 0.f << 1.f;
        QTest::newRow("top-p 0.95 (walks past 64)") << 1.5f << 0 << 0.95f << 0.f << 1.f;
        QTest::newRow("all") << 0.9f << 2000 << 0.9f << 0.001f << 1.4f;
    }
    void largeVocabularyRecordsTheTopExactly() {
        const SamplerSettings s = settingsOfRow();
        Rng rng(5);
        std::vector<float> logits(5000);
        for (float& x : logits) x = float(2.5 * rng.normal());
        logits[17] = logits[4000] = logits[123];   // ties
        std::vector<int> recent;
        for (int i = 0; i < 200; ++i) recent.push_back(int(rng.uniform() * 5000) % 5000);
        const SamplerChain chain(s);
        const auto ref = referenceChain(logits, recent, s);
        for (uint64_t seed = 0; seed < 6; ++seed) {
            Rng draw(seed);
            const SampleResult r = chain.sample(logits, recent, draw);
            QCOMPARE(r.stages.size(), ref.size());
            std::set<int> rawListed;
            for (size_t st = 0; st < ref.size(); ++st) {
                const SamplerStage& got = r.stages[st];
                const std::vector<Candidate>& all = ref[st].cs;
                QCOMPARE(got.name, ref[st].name);
                QCOMPARE(got.kept, int(all.size()));
                const size_t top = std::min(all.size(), size_t(kRecordedCandidates));
                QVERIFY(got.candidates.size() >= top);
                std::map<int, float> refP;
                for (const Candidate& c : all) refP[c.id] = c.p;
                for (size_t i = 0; i < top; ++i) {
                    QCOMPARE(got.candidates[i].id, all[i].id);
                    QVERIFY(std::abs(got.candidates[i].p - all[i].p) <= 1e-6f * std::max(1.f, all[i].p));
                }
                double listed = 0, h = 0;
                for (const Candidate& c : got.candidates) {
                    QVERIFY2(refP.count(c.id), "a listed token the stage removed");
                    QVERIFY(std::abs(c.p - refP[c.id]) <= 1e-6f);
                    listed += c.p;
                }
                for (const Candidate& c : all)
                    if (c.p > 0) h -= double(c.p) * std::log(double(c.p));
                QVERIFY2(std::abs(listed + got.otherMass - 1.0) < 1e-5, qPrintable(QString::number(listed + got.otherMass)));
                QVERIFY(std::abs(got.entropy - h) < 1e-6 * std::max(1.0, h));
                // Every raw-listed token this stage kept is listed, and the chosen one wherever it survived.
                if (st == 0)
                    for (const Candidate& c : got.candidates) rawListed.insert(c.id);
                for (int id : rawListed)
                    if (refP.count(id)) QVERIFY2(got.find(id), qPrintable(QString("stage %1 lost token %2").arg(st).arg(id)));
                if (refP.count(r.token)) QVERIFY(got.find(r.token));
                QCOMPARE(got.complete(), all.size() <= size_t(kRecordedCandidates));
            }
            QVERIFY2(containsId(ref.back().cs, r.token), "the draw came from outside the last stage");
        }
        // distribution(): the last stage's p over the whole vocabulary.
        const std::vector<double> d = chain.distribution(logits, recent);
        double sum = 0;
        for (double x : d) sum += x;
        QVERIFY(std::abs(sum - 1.0) < 1e-5);
        for (const Candidate& c : ref.back().cs) QVERIFY(std::abs(d[size_t(c.id)] - c.p) <= 1e-6);
    }

    // GPT-2's vocabulary: renormalise and the entropy split their exp, division and log over the kernel threads
    // (from kSplitCandidates candidates); every recorded number has the same bits on 1, 2 and 3 threads.
    void sameBitsOnAnyThreadCount_data() {
        largeVocabularyRecordsTheTopExactly_data();
        QTest::newRow("T 0 (greedy: generate --temperature 0)") << 0.f << 0 << 1.f << 0.f << 1.f;
    }
    void sameBitsOnAnyThreadCount() {
        const SamplerSettings s = settingsOfRow();
        const int V = 50257;
        QVERIFY(V >= 2 * kSplitCandidates);
        Rng rng(8);
        std::vector<float> logits(static_cast<size_t>(V));
        for (float& x : logits) x = float(3.0 * rng.normal());
        logits[40000] = logits[7];  // a tie
        std::vector<int> recent;
        for (int i = 0; i < 200; ++i) recent.push_back(int(rng.uniform() * V) % V);
        const SamplerChain chain(s);
        const auto bits = [](double v) {
            uint64_t u;
            std::memcpy(&u, &v, 8);
            return u;
        };
        const auto fingerprint = [&](const SampleResult& r, const std::vector<double>& d) {
            std::vector<uint64_t> f = {uint64_t(r.token), bits(r.tokenLogprob), bits(r.p), bits(r.modelP)};
            for (const SamplerStage& st : r.stages) {
                f.insert(f.end(), {uint64_t(st.kept), uint64_t(st.removed), bits(st.otherMass), bits(st.entropy),
                                   uint64_t(st.candidates.size())});
                for (const Candidate& c : st.candidates) f.insert(f.end(), {uint64_t(c.id), bits(c.logit), bits(c.p)});
            }
            for (double x : d) f.push_back(bits(x));
            return f;
        };
        std::vector<uint64_t> one;
        for (int threads : {1, 2, 3}) {
            nn::setKernelThreads(threads);
            std::vector<uint64_t> f;
            for (uint64_t seed : {0, 1}) {
                Rng draw(seed);
                const auto part = fingerprint(chain.sample(logits, recent, draw), chain.distribution(logits, recent));
                f.insert(f.end(), part.begin(), part.end());
            }
            if (threads == 1) one = f;
            else QVERIFY2(f == one, qPrintable(QString("%1 threads: different bits").arg(threads)));
        }
        nn::setKernelThreads(1);
    }

    void strategyNames() {
        for (auto s : {DecodeStrategy::Greedy, DecodeStrategy::Sample, DecodeStrategy::Beam})
            QCOMPARE(strategyFromName(strategyName(s)), s);
        QVERIFY_THROWS_EXCEPTION(Error, strategyFromName("nucleus"));
    }
};

QTEST_GUILESS_MAIN(TestSamplerChain)
#include "tst_core_samplerchain.moc"
