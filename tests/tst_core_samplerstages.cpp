// The sampler chain's stage objects (core/decoding/samplerstages.h): the built-in list and its order, each
// knob's slot in SamplerSettings (default, read/write) and its range as the one check, and the one validate()
// running them. A stage added as one more file: tst_samplerstagefile.
#include "core/decoding/samplerchain.h"
#include "core/decoding/samplerstages.h"
#include "core/error.h"
#include "testutil.h"

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
    void builtInChainOrder() {
        QCOMPARE(names(), (QStringList{"repetition penalty", "temperature", "top-k", "top-p", "min-p"}));
    }

    // Every knob: a key, a label and a tooltip; its slot reads back what was written (a float knob as a float);
    // the defaults pass its check and switch the stage off.
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
                QCOMPARE(s.knob(p.key), p.defaultValue);
                checkStageValue(p, s.knob(p.key));
                QCOMPARE(findSamplerKnob(p.key), &samplerKnobs()[size_t(keys.size() - 1)]);
                const double v = p.decimals == 0 ? std::round((p.min + p.max) / 2) : 0.5 * (p.min + p.max);
                s.setKnob(p.key, v);
                QCOMPARE(s.knob(p.key), p.decimals == 0 ? v : double(float(v)));
            }
        }
        QCOMPARE(keys.size(), 6);
        QCOMPARE(int(samplerKnobs().size()), 6);
        QVERIFY(!findSamplerKnob("top_q"));
        QCOMPARE(testutil::errorOf([] { SamplerSettings().knob("top_q"); }), QString("no sampler stage has a setting 'top_q'"));
        QCOMPARE(testutil::errorOf([] { SamplerSettings().setKnob("top_q", 1); }), QString("no sampler stage has a setting 'top_q'"));
    }

    // The knob's range is its one check: the built-in stages add no other; an edge is allowed unless open, and a value
    // just past an edge is refused.
    void theRangeIsTheOneCheck() {
        for (const StageParam& p : samplerKnobs()) {
            QVERIFY2(!p.check, p.key.c_str());
            const double step = p.decimals == 0 ? 1 : 1e-3;
            if (std::isfinite(p.lowest)) {
                QCOMPARE(testutil::errorOf([&] { checkStageValue(p, p.lowest); }).isEmpty(), !p.lowestOpen);
                QVERIFY2(!testutil::errorOf([&] { checkStageValue(p, p.lowest - step); }).isEmpty(), p.key.c_str());
            }
            if (std::isfinite(p.highest)) {
                QCOMPARE(testutil::errorOf([&] { checkStageValue(p, p.highest); }).isEmpty(), !p.highestOpen);
                QVERIFY2(!testutil::errorOf([&] { checkStageValue(p, p.highest + step); }).isEmpty(), p.key.c_str());
            }
            QVERIFY(!testutil::errorOf([&] { checkStageValue(p, NAN); }).isEmpty());
            QVERIFY2(p.min >= p.lowest && p.max <= p.highest, p.key.c_str());   // the panel stays inside the range
        }
        const StageParam* k = findSamplerKnob("top_k");
        QCOMPARE(testutil::errorOf([&] { checkStageValue(*k, 2.5); }), QString("top-k must be a whole number up to 2147483647, got 2.5"));
        QCOMPARE(testutil::errorOf([&] { checkStageValue(*k, 3e9); }), QString("top-k must be a whole number up to 2147483647, got 3000000000"));
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
                s.setKnob(p.key, value);
                try {
                    checkStageValue(p, s.knob(p.key));
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
};

QTEST_GUILESS_MAIN(TestSamplerStages)
#include "tst_core_samplerstages.moc"
