// ToyGptTrainer: settings are refused with the specific problem, a run is reproducible from its seed, stops
// on the flag, and leaves its numbers in the model's provenance.
#include "core/data/toygrammar.h"
#include "core/error.h"
#include "core/training/tinygpttrain.h"
#include "tinytraining.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>

namespace {

// The shared toy run (tests/tinytraining.h), shorter and on its own seed.
ar::ToyGptSettings tiny(int steps) {
    ar::ToyGptSettings s = testutil::tinyToyTraining(steps);
    s.warmup = 5;
    s.sentences = 400;
    s.valTokens = 300;
    s.evalEvery = 10;
    s.seed = 3;
    return s;
}

}  // namespace

class TestToyGptTrain : public QObject {
    Q_OBJECT
private slots:
    void badSettings_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<int>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("layers 0") << "layers" << 0 << "layers must be 1 to 8, got 0";
        QTest::newRow("heads 0") << "heads" << 0 << "heads must be at least 1, got 0";
        QTest::newRow("heads 3") << "heads" << 3 << "3 heads do not divide the embedding width 16 (each head gets C/H columns)";
        QTest::newRow("context 1") << "context" << 1 << "context must be 2 to 256 tokens, got 1";
        QTest::newRow("steps 0") << "steps" << 0 << "steps must be at least 1, got 0";
        QTest::newRow("sentences 10") << "sentences" << 10 << "the corpus needs at least 100 sentences, got 10";
        QTest::newRow("rope odd head width") << "rope-heads" << 8 << "rotary positions need an even head width, but 24 / 8 = 3";
    }
    void badSettings() {
        QFETCH(QString, field);
        QFETCH(int, value);
        QFETCH(QString, message);
        ar::ToyGptSettings s = tiny(5);
        if (field == "layers") s.layers = value;
        if (field == "heads") s.heads = value;
        if (field == "context") s.context = value;
        if (field == "steps") s.steps = value;
        if (field == "sentences") s.sentences = value;
        if (field == "rope-heads") {
            s.heads = value;
            s.embd = 24;
            QVERIFY(s.problem().empty());   // learned positions take any head width
            s.pos = ar::PositionMode::Rope;
        }
        QCOMPARE(QString::fromStdString(s.problem()), message);
        try {
            ar::ToyGptTrainer t(s);
            QFAIL("constructed a trainer from refused settings");
        } catch (const ar::Error& e) {
            QCOMPARE(QString::fromStdString(e.what()), message);
        }
    }

    void reproducibleAndLearns() {
        const ar::ToyGptSettings s = tiny(60);
        auto runOnce = [&](std::vector<float>* losses) {
            ar::ToyGptTrainer t(s);
            const ar::TrainResult r = t.run([&](const ar::TrainProgress& p) { losses->push_back(p.trainLoss); }, nullptr);
            return std::make_pair(r, t.takeModel());
        };
        std::vector<float> a, b;
        auto [ra, ma] = runOnce(&a);
        auto [rb, mb] = runOnce(&b);
        QCOMPARE(int(a.size()), s.steps);
        QCOMPARE(a, b);                     // same seed, same run
        QCOMPARE(ra.valLoss, rb.valLoss);
        // Starts at about ln V (small random weights), ends well below it and not below the truth.
        const double lnV = std::log(double(ar::ToyGrammar().words().size()));
        QVERIFY(std::abs(a.front() - lnV) < 0.3);
        QVERIFY2(ra.valLoss < a.front() - 0.8, qPrintable(QString::number(ra.valLoss)));
        QVERIFY(ra.valLoss > ar::ToyGrammar().entropyRate() - 0.1);
        // The provenance carries the run's numbers.
        const auto j = nlohmann::json::parse(ma->provenance());
        QCOMPARE(j.at("steps").get<int>(), s.steps);
        QCOMPARE(j.at("val_loss").get<float>(), ra.valLoss);
        QCOMPARE(j.at("stopped_early").get<bool>(), false);
        QCOMPARE(ma->config().embd, s.embd);
        QCOMPARE(ma->config().contextLength, s.context);
        QCOMPARE(ma->bosToken(), ma->tokenizer().id("."));
        // A different seed gives a different run.
        ar::ToyGptSettings other = s;
        other.seed = 4;
        std::vector<float> c;
        ar::ToyGptTrainer t(other);
        t.run([&](const ar::TrainProgress& p) { c.push_back(p.trainLoss); }, nullptr);
        QVERIFY(c != a);
    }

    void stopFlag() {
        ar::ToyGptTrainer t(tiny(100000));
        std::atomic<bool> stop{false};
        int seen = 0;
        const ar::TrainResult r = t.run(
            [&](const ar::TrainProgress& p) {
                seen = p.step;
                if (p.step == 7) stop.store(true);
            },
            &stop);
        QVERIFY(r.stopped);
        QCOMPARE(r.steps, 7);
        QCOMPARE(seen, 7);
        QVERIFY(std::isfinite(r.valLoss));
        QVERIFY(t.takeModel());
        QVERIFY_THROWS_EXCEPTION(ar::Error, t.run({}, nullptr));
    }
};

QTEST_MAIN(TestToyGptTrain)
#include "tst_core_tinygpttrain.moc"
