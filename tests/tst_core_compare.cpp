// compareStrategies: greedy / beam / seeded samples on one prompt, with the model's real probabilities.
#include "core/decoding/beamsearch.h"
#include "core/decoding/compare.h"
#include "core/decoding/decodingsession.h"
#include "core/error.h"
#include "fakemodels.h"

#include <QtTest>
#include <cmath>

using namespace ar;

Q_DECLARE_METATYPE(ar::Tokens)

class TestCompare : public QObject {
    Q_OBJECT
private slots:
    void divergence_data() {
        QTest::addColumn<Tokens>("a");
        QTest::addColumn<Tokens>("b");
        QTest::addColumn<int>("expected");
        QTest::newRow("equal") << Tokens{1, 2, 3} << Tokens{1, 2, 3} << -1;
        QTest::newRow("second differs") << Tokens{1, 2, 3} << Tokens{1, 5, 3} << 1;
        QTest::newRow("first differs") << Tokens{1, 2} << Tokens{4, 2} << 0;
        QTest::newRow("prefix") << Tokens{1, 2} << Tokens{1, 2, 3} << 2;
        QTest::newRow("empty vs one") << Tokens{} << Tokens{1} << 0;
        QTest::newRow("both empty") << Tokens{} << Tokens{} << -1;
    }
    void divergence() {
        QFETCH(Tokens, a);
        QFETCH(Tokens, b);
        QFETCH(int, expected);
        QCOMPARE(firstDivergence(a, b), expected);
        QCOMPARE(firstDivergence(b, a), expected);
    }

    void rowsMatchIndependentRuns() {
        auto m = std::make_shared<fake::HashModel>(12, 21, -1, 0, 0, 1.5f);
        SamplerSettings cs;
        cs.compare.maxNewTokens = 10;
        cs.beam.width = 3;
        cs.compare.samples = 4;
        cs.compare.seed = 100;
        cs.setTemperature(0.9f);
        cs.setTopK(6);
        const Tokens prompt{3, 4};
        const auto rows = compareStrategies(m, prompt, cs);
        QCOMPARE(int(rows.size()), 1 + 1 + 4);
        QCOMPARE(rows[0].label, std::string("greedy"));
        QCOMPARE(rows[1].label, std::string("beam k=3"));
        QCOMPARE(rows[2].label, std::string("sample seed=100"));
        QCOMPARE(rows[0].divergence, -1);

        SamplerSettings g;
        g.strategy = DecodeStrategy::Greedy;
        DecodingSession gs(m, prompt, g);
        while (gs.canStep() && gs.stepCount() < 10) gs.step();
        QCOMPARE(rows[0].tokens, gs.generated());
        // The beam row is checked against BeamSearch in beamRowIsTheBeamSearch.

        for (int i = 0; i < 4; ++i) {
            SamplerSettings s = cs;
            s.seed = 100 + uint64_t(i);
            DecodingSession ss(m, prompt, s);
            while (ss.canStep() && ss.stepCount() < 10) ss.step();
            QCOMPARE(rows[size_t(2 + i)].tokens, ss.generated());
            QCOMPARE(rows[size_t(2 + i)].seed, s.seed);
        }
        bool someDiverge = false;
        for (const auto& r : rows) {
            QCOMPARE(r.probs.size(), r.tokens.size());
            QCOMPARE(r.pieces.size(), r.tokens.size());
            double sum = 0;
            for (float p : r.probs) {
                QVERIFY(p > 0 && p <= 1);
                sum += std::log(double(p));
            }
            QVERIFY(std::abs(sum - r.logprob) < 1e-4);
            QCOMPARE(r.divergence, firstDivergence(rows[0].tokens, r.tokens));
            someDiverge |= r.divergence >= 0;
        }
        QVERIFY(someDiverge);
        // The model's probability of each token, recomputed from scratch.
        Tokens seq = prompt;
        const auto& r = rows[3];
        for (size_t i = 0; i < r.tokens.size(); ++i) {
            const Mat l = m->logits(seq);
            const RowVec row = l.row(l.rows() - 1);
            const double z = (row.array() - row.maxCoeff()).exp().cast<double>().sum();
            const double p = std::exp(double(row(r.tokens[i]) - row.maxCoeff())) / z;
            QVERIFY(std::abs(p - r.probs[i]) < 1e-6);
            seq.push_back(r.tokens[i]);
        }
    }

    void beamRowIsTheBeamSearch_data() {
        QTest::addColumn<float>("alpha");
        QTest::addColumn<QString>("label");
        QTest::newRow("no length penalty") << 0.0f << "beam k=3";
        QTest::newRow("alpha 0.6") << 0.6f << "beam k=3 a=0.6";
    }
    void beamRowIsTheBeamSearch() {
        // The beam row scores with the given alpha: the same result as a BeamSearch with that alpha, and the
        // label says so.
        QFETCH(float, alpha);
        QFETCH(QString, label);
        auto m = std::make_shared<fake::HashModel>(9, 33, -1, 2, 0, 1.5f);
        SamplerSettings cs;
        cs.compare.maxNewTokens = 8;
        cs.beam.width = 3;
        cs.compare.samples = 0;
        cs.beam.lengthPenalty = alpha;
        const Tokens prompt{1};
        const auto rows = compareStrategies(m, prompt, cs);
        QCOMPARE(int(rows.size()), 2);
        QCOMPARE(QString::fromStdString(rows[1].label), label);
        BeamSearch beam(m, prompt, BeamSettings{3, 8, alpha});
        beam.run();
        QCOMPARE(rows[1].tokens, beam.nbest().front().tokens);
        QVERIFY(std::abs(rows[1].score - beam.nbest().front().score) < 1e-9);
    }

    void sameSeedSameRows() {
        auto m = std::make_shared<fake::HashModel>(9, 4);
        SamplerSettings cs;
        cs.compare.samples = 3;
        const auto a = compareStrategies(m, Tokens{1}, cs);
        const auto b = compareStrategies(m, Tokens{1}, cs);
        for (size_t i = 0; i < a.size(); ++i) QCOMPARE(a[i].tokens, b[i].tokens);
    }

    void noBeamRowAndContext() {
        auto m = std::make_shared<fake::HashModel>(6, 4, -1, -1, 6);
        SamplerSettings cs;
        cs.compare.beamRow = false;
        cs.compare.samples = 1;
        cs.compare.maxNewTokens = 50;
        const auto rows = compareStrategies(m, Tokens{1, 2}, cs);
        QCOMPARE(int(rows.size()), 2);
        QCOMPARE(int(rows[0].tokens.size()), 4);  // context 6 - prompt 2
        cs.compare.beamRow = true;
        cs.beam.width = 2;
        const auto withBeam = compareStrategies(m, Tokens{1, 2}, cs);
        QCOMPARE(int(withBeam[1].tokens.size()), 4);
    }

    void badSettings_data() {
        QTest::addColumn<int>("samples");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("maxNew");
        QTest::addColumn<QString>("message");
        QTest::newRow("samples") << 33 << 2 << 5 << "samples must be in [0, 32], got 33";
        QTest::newRow("width") << 2 << 70 << 5 << "beam width must be in [1, 64], got 70";
        QTest::newRow("max new") << 2 << 2 << 0 << "max new tokens must be in [1, 4096], got 0";
    }
    void badSettings() {
        QFETCH(int, samples);
        QFETCH(int, width);
        QFETCH(int, maxNew);
        QFETCH(QString, message);
        SamplerSettings cs;
        cs.compare.samples = samples;
        cs.beam.width = width;
        cs.compare.maxNewTokens = maxNew;
        try {
            compareStrategies(std::make_shared<fake::HashModel>(4, 1), Tokens{0}, cs);
            QFAIL("accepted bad settings");
        } catch (const Error& e) {
            QCOMPARE(QString(e.what()), message);
        }
    }
};

QTEST_GUILESS_MAIN(TestCompare)
#include "tst_core_compare.moc"
