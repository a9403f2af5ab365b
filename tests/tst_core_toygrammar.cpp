// The toy language: exact next-token distributions (sum to 1, match sampled frequencies), the exact
// entropy rate (matches a Monte-Carlo estimate), impossible prefixes, KL; and the text training data
// (boundary-aligned windows, every validation token scored once, UTF-8 errors with byte offsets).
#include "core/data/toygrammar.h"
#include "core/error.h"
#include "core/training/textdata.h"

#include <QtTest>
#include <cmath>
#include <fstream>
#include <map>

using namespace ar;

class TestToyGrammar : public QObject {
    Q_OBJECT
private slots:
    void distributionsSumToOne() {
        const ToyGrammar g;
        const Tokenizer tok = g.tokenizer();
        QCOMPARE(tok.token(0), std::string("."));
        Rng rng(3);
        int checked = 0;
        for (int s = 0; s < 200; ++s) {
            Tokens prefix = {0};  // BOS
            for (const auto& w : g.sampleSentence(rng)) {
                const auto p = g.nextDistribution(prefix, tok);
                double sum = 0;
                for (double v : p) {
                    QVERIFY(v >= 0);
                    sum += v;
                }
                QVERIFY(std::abs(sum - 1.0) < 1e-12);
                QVERIFY2(p[size_t(tok.id(w))] > 0, "a sampled word must have positive probability");
                prefix.push_back(tok.id(w));
                ++checked;
            }
        }
        QVERIFY(checked > 1000);
        // Without the BOS the prefix reads the same.
        const Tokens withBos = tok.encodeStrict(". the cat"), without = tok.encodeStrict("the cat");
        QVERIFY(g.nextDistribution(withBos, tok) == g.nextDistribution(without, tok));
    }

    void agreement_data() {
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("possible");
        QTest::addColumn<QString>("impossible");
        QTest::newRow("a + singular noun") << "a cat" << "sees" << "see";
        QTest::newRow("some + plural noun") << "some small dogs" << "chase" << "chases";
        QTest::newRow("a needs singular") << "a big" << "fox" << "foxes";
        QTest::newRow("some needs plural") << "some" << "children" << "child";
        QTest::newRow("sentence start") << "" << "the" << ".";
        QTest::newRow("after a full sentence") << "the cat sleeps ." << "some" << "cat";
    }
    void agreement() {
        QFETCH(QString, prefix);
        QFETCH(QString, possible);
        QFETCH(QString, impossible);
        const ToyGrammar g;
        const Tokenizer tok = g.tokenizer();
        const auto p = g.nextDistribution(tok.encodeStrict(prefix.toStdString()), tok);
        QVERIFY(p[size_t(tok.id(possible.toStdString()))] > 0);
        QCOMPARE(p[size_t(tok.id(impossible.toStdString()))], 0.0);
    }

    void impossiblePrefix() {
        const ToyGrammar g;
        const Tokenizer tok = g.tokenizer();
        QCOMPARE(g.stateAfter(tok.encodeStrict("a cats"), tok), -1);
        try {
            g.nextDistribution(tok.encodeStrict("the cat sees sees"), tok);
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("cannot produce 'sees' at word 4"), e.what());
        }
        // A vocabulary that lacks a word the grammar needs is reported, never silently renormalised.
        const Tokenizer small(Tokenizer::Kind::Word, {".", "the"});
        QVERIFY_THROWS_EXCEPTION(Error, g.nextDistribution(small.encodeStrict("the"), small));
    }

    void empiricalFrequencies() {
        // Count (state, next word) in sampled text; each truth probability must lie within 5 standard errors.
        const ToyGrammar g;
        const Tokenizer tok = g.tokenizer();
        Rng rng(11);
        std::map<int, std::map<int, int>> counts;
        std::map<int, int> visits;
        for (int s = 0; s < 20000; ++s) {
            int state = 0;
            for (const auto& w : g.sampleSentence(rng)) {
                const int id = tok.id(w);
                ++counts[state][id];
                ++visits[state];
                const Tokens one = {id};
                (void)one;
                for (const auto& a : g.arcs(state))
                    if (g.words()[size_t(a.word)] == w) {
                        state = a.next < 0 ? 0 : a.next;
                        break;
                    }
            }
        }
        int compared = 0;
        for (const auto& [state, n] : visits) {
            if (n < 2000) continue;
            for (const auto& a : g.arcs(state)) {
                const double p = a.p, f = double(counts[state][tok.id(g.words()[size_t(a.word)])]) / n;
                const double se = std::sqrt(p * (1 - p) / n);
                QVERIFY2(std::abs(f - p) <= 5 * se + 1e-9,
                         qPrintable(QString("state '%1', word '%2': p %3, frequency %4")
                                        .arg(QString::fromStdString(g.stateName(state)))
                                        .arg(QString::fromStdString(g.words()[size_t(a.word)]))
                                        .arg(p)
                                        .arg(f)));
                ++compared;
            }
        }
        QVERIFY(compared > 30);
    }

    void entropyRateMatchesMonteCarlo() {
        // Per-token average of -log P(x_t | x_<t) over a long sample, using nextDistribution on the prefix.
        const ToyGrammar g;
        const Tokenizer tok = g.tokenizer();
        Rng rng(2024);
        double nll = 0;
        long long tokens = 0, sentences = 0;
        for (; sentences < 20000; ++sentences) {
            Tokens prefix = {0};
            for (const auto& w : g.sampleSentence(rng)) {
                const int id = tok.id(w);
                nll -= std::log(g.nextDistribution(prefix, tok)[size_t(id)]);
                prefix.push_back(id);
                ++tokens;
            }
        }
        const double mc = nll / double(tokens);
        qInfo("entropy rate: exact %.5f, Monte-Carlo %.5f nats/token; mean sentence length exact %.4f, sampled %.4f",
              g.entropyRate(), mc, g.meanSentenceLength(), double(tokens) / double(sentences));
        QVERIFY(std::abs(mc / g.entropyRate() - 1) < 0.01);
        QVERIFY(std::abs(double(tokens) / double(sentences) / g.meanSentenceLength() - 1) < 0.01);
        QVERIFY(std::abs(g.sentenceEntropy() - g.entropyRate() * g.meanSentenceLength()) < 1e-12);
    }

    void klDivergence() {
        const std::vector<double> truth = {0.5, 0.25, 0.25, 0.0};
        const std::vector<float> exact = {std::log(0.5f) + 3, std::log(0.25f) + 3, std::log(0.25f) + 3, -1e30f};
        QVERIFY(std::abs(ToyGrammar::klDivergence(truth, exact)) < 1e-6);
        const std::vector<float> uniform = {0, 0, 0, 0};
        // KL(p || uniform over 4) = log 4 - H(p) = log 4 - 1.5 log 2 = 0.5 log 2
        QVERIFY(std::abs(ToyGrammar::klDivergence(truth, uniform) - 0.5 * std::log(2.0)) < 1e-9);
    }

    void sameSeedSameCorpus() {
        const ToyGrammar g;
        Rng a(5), b(5), c(6);
        const std::string ta = g.sample(a, 50);
        QCOMPARE(ta, g.sample(b, 50));
        QVERIFY(ta != g.sample(c, 50));
    }

    void windowsStartAtBoundaries() {
        const ToyGrammar g;
        Rng rng(1);
        const TextData data(g.sample(rng, 2000), g.tokenizer(), 0, 0.1, 24);
        QCOMPARE(data.train().front(), 0);
        QCOMPARE(data.val().front(), 0);  // the split is cut at a boundary
        Rng br(2);
        const TextBatch b = data.sampleBatch(8, br);
        QCOMPARE(int(b.inputs.size()), 8 * 24);
        for (int w = 0; w < 8; ++w) {
            QCOMPARE(b.inputs[size_t(w * 24)], 0);
            for (int t = 0; t + 1 < 24; ++t) QCOMPARE(b.targets[size_t(w * 24 + t)], b.inputs[size_t(w * 24 + t + 1)]);
        }
    }

    void validationScoresEveryTokenOnce_data() {
        QTest::addColumn<int>("boundary");
        QTest::addColumn<int>("context");
        QTest::newRow("sentence-aligned, T=16") << 0 << 16;
        QTest::newRow("sentence-aligned, T=5 (shorter than some sentences)") << 0 << 5;
        QTest::newRow("no boundary, T=7") << -1 << 7;
    }
    void validationScoresEveryTokenOnce() {
        QFETCH(int, boundary);
        QFETCH(int, context);
        const ToyGrammar g;
        Rng rng(8);
        Tokens stream = g.tokenizer().encodeStrict(g.sample(rng, 300));
        stream.insert(stream.begin(), 0);
        const auto batches = TextData::scoringBatches(stream, boundary, context, 4, 1 << 30);
        // Reconstruct which stream position each scored target is, by matching windows back to the stream.
        std::vector<int> scored(stream.size(), 0);
        int total = 0;
        size_t searchFrom = 0;
        for (const auto& b : batches) {
            for (int w = 0; w < b.B; ++w) {
                // locate the window: first position >= searchFrom... windows are in stream order
                size_t start = searchFrom;
                for (; start < stream.size(); ++start) {
                    bool match = true;
                    for (int t = 0; t < b.T && start + size_t(t) + 1 < stream.size() && match; ++t)
                        match = stream[start + size_t(t)] == b.inputs[size_t(w * b.T + t)];
                    if (match) break;
                }
                QVERIFY(start < stream.size());
                for (int t = 0; t < b.T; ++t) {
                    const int target = b.targets[size_t(w * b.T + t)];
                    if (target == TextBatch::kIgnore) continue;
                    QCOMPARE(target, stream[start + size_t(t) + 1]);
                    ++scored[start + size_t(t) + 1];
                    ++total;
                }
                searchFrom = start;
            }
            total += 0;
        }
        QCOMPARE(total, int(stream.size()) - 1);
        for (size_t i = 1; i < stream.size(); ++i) QCOMPARE(scored[i], 1);
        // A token limit is respected.
        int limited = 0;
        for (const auto& b : TextData::scoringBatches(stream, boundary, context, 4, 100)) limited += b.counted;
        QCOMPARE(limited, 100);
    }

    void corpusErrors() {
        const std::string dir = QDir::tempPath().toStdString();
        const std::string bad = dir + "/tst_toygrammar_bad.txt";
        {
            std::ofstream f(bad, std::ios::binary);
            f << "hello w\xC3" << "orld";
        }
        try {
            readTextFile(bad, "corpus");
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("invalid UTF-8 at byte offset 7"), e.what());
        }
        QVERIFY_THROWS_EXCEPTION(Error, readTextFile(dir + "/no/such/file.txt", "corpus"));
        try {
            TextData(". the cat .", ToyGrammar().tokenizer(), 0, 0.1, 32);
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("too short"), e.what());
        }
        try {
            TextData("the zebra sleeps .", ToyGrammar().tokenizer(), 0, 0.1, 2);
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("'zebra'"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestToyGrammar)
#include "tst_core_toygrammar.moc"
