// The sampler chain's stage objects (core/decoding/samplerstages.h): the built-in list and its order, each
// knob's read/write and check, the one validate() running the checks, and an added stage taking part in the
// chain without any other edit.
#include "core/decoding/samplerchain.h"
#include "core/decoding/samplerstages.h"
#include "core/error.h"
#include "fakestage.h"

#include <QtTest>
#include <cmath>

using namespace ar;

namespace {
QStringList names() {
    QStringList out;
    for (const SamplerStageKind* s : samplerStages()) out << QString::fromStdString(s->name());
    return out;
}
}  // namespace

class TestSamplerStages : public QObject {
    Q_OBJECT
private slots:
    void cleanup() {
        removeAddedSamplerStages();
        fake::g_everyNth = 1;
    }

    void builtInChainOrder() {
        QCOMPARE(names(), (QStringList{"repetition penalty", "temperature", "top-k", "top-p", "min-p"}));
    }

    // Every knob: a key, a label and a tooltip; get(set(x)) = x; the defaults pass its check and switch the
    // stage off.
    void everyKnobDescribesItself() {
        const SamplerSettings defaults;
        QSet<QString> keys;
        for (const SamplerStageKind* stage : samplerStages()) {
            QVERIFY(!stage->active(defaults));
            QVERIFY(!stage->description().empty());
            QVERIFY(!stage->params().empty());
            for (const StageParam& p : stage->params()) {
                QVERIFY2(!keys.contains(QString::fromStdString(p.key)), p.key.c_str());
                keys << QString::fromStdString(p.key);
                QVERIFY(!p.label.empty());
                QVERIFY2(p.tooltip.size() > 30, p.key.c_str());
                QVERIFY(p.min < p.max);
                SamplerSettings s;
                p.check(s);
                const double v = p.decimals == 0 ? std::round((p.min + p.max) / 2) : 0.5 * (p.min + p.max);
                p.set(s, v);
                QCOMPARE(p.get(s), p.decimals == 0 ? v : double(float(v)));
            }
        }
        QCOMPARE(keys.size(), 6);
    }

    // validate() is the stages' checks (plus the beam and compare parts): one message per field.
    void validateRunsTheStageChecks_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("temperature") << "temperature" << -1.0 << "temperature must be in [0, 100] (0 = greedy), got -1";
        QTest::newRow("top-k") << "top_k" << -2.0 << "top-k must be >= 0 (0 = off), got -2";
        QTest::newRow("top-p") << "top_p" << 0.0 << "top-p must be in (0, 1], got 0";
        QTest::newRow("min-p") << "min_p" << 1.0 << "min-p must be in [0, 1), got 1";
        QTest::newRow("penalty") << "repetition_penalty" << 11.0 << "repetition penalty must be in (0, 10] (1 = off), got 11";
        QTest::newRow("window") << "repetition_window" << -1.0 << "repetition window must be in [0, 1048576], got -1";
    }
    void validateRunsTheStageChecks() {
        QFETCH(QString, key);
        QFETCH(double, value);
        QFETCH(QString, message);
        for (const SamplerStageKind* stage : samplerStages())
            for (const StageParam& p : stage->params()) {
                if (QString::fromStdString(p.key) != key) continue;
                SamplerSettings s;
                p.set(s, value);
                try {
                    p.check(s);
                    QFAIL("the check accepted it");
                } catch (const Error& e) {
                    QCOMPARE(QString(e.what()), message);
                }
                try {
                    s.validate();
                    QFAIL("validate accepted it");
                } catch (const Error& e) {
                    QCOMPARE(QString(e.what()), message);
                }
                return;
            }
        QFAIL("no such knob");
    }

    // An added stage runs last, is recorded with its name and setting, and its check is part of validate().
    void anAddedStageJoinsTheChain() {
        fake::addEveryNthStage();
        QCOMPARE(names().last(), QString("every n-th"));
        const std::vector<float> logits{0.1f, 0.4f, 0.2f, 0.3f, 0.5f, 0.0f};
        SamplerChain chain;
        QCOMPARE(int(chain.filter(logits, {}).size()), 1);   // off: raw only
        fake::g_everyNth = 2;
        const auto stages = chain.filter(logits, {});
        QCOMPARE(int(stages.size()), 2);
        QCOMPARE(stages.back().name, std::string("every n-th"));
        QCOMPARE(stages.back().setting, std::string("n = 2"));
        QCOMPARE(stages.back().removed, 3);
        // Ids 0, 2, 4 renormalised: softmax of {0.1, 0.2, 0.5}, sorted.
        double z = std::exp(0.1) + std::exp(0.2) + std::exp(0.5);
        QCOMPARE(stages.back().candidates[0].id, 4);
        QCOMPARE(stages.back().candidates[2].id, 0);
        QVERIFY(std::abs(stages.back().candidates[0].p - std::exp(0.5) / z) < 1e-6);
        fake::g_everyNth = 0;
        QVERIFY_THROWS_EXCEPTION(Error, SamplerSettings{}.validate());
        removeAddedSamplerStages();
        QCOMPARE(names().size(), 5);
        SamplerSettings{}.validate();
    }
};

QTEST_GUILESS_MAIN(TestSamplerStages)
#include "tst_core_samplerstages.moc"
