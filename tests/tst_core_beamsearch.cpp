// Beam search: width 1 = greedy; wide beam = brute force; log-probs add up along the tree and match the
// model; the tree holds exactly one node per expansion; one batched model call per round.
#include "core/decoding/beamsearch.h"
#include "core/decoding/decodingsession.h"
#include "core/error.h"
#include "core/io/modelfile.h"
#include "fakemodels.h"
#include "testpaths.h"

#include <QtTest>
#include <cmath>
#include <functional>

using namespace ar;

// Log-probability of `gen` after `prompt` under the model, computed independently from teacher-forced logits.
static double sequenceLogprob(const LanguageModel& m, const Tokens& prompt, const Tokens& gen) {
    Tokens seq;
    if (m.bosToken() >= 0) seq.push_back(m.bosToken());
    seq.insert(seq.end(), prompt.begin(), prompt.end());
    const size_t start = seq.size();
    seq.insert(seq.end(), gen.begin(), gen.end());
    const Mat l = m.logits(Tokens(seq.begin(), seq.end() - 1));
    double total = 0;
    for (size_t i = start; i < seq.size(); ++i) {
        const auto row = l.row(Index(i - 1));
        const double mx = row.maxCoeff();
        double z = 0;
        for (Index v = 0; v < row.size(); ++v) z += std::exp(double(row(v)) - mx);
        total += double(row(seq[i])) - mx - std::log(z);
    }
    return total;
}

class TestBeamSearch : public QObject {
    Q_OBJECT
private slots:
    void widthOneIsGreedy_data() {
        QTest::addColumn<int>("V");
        QTest::addColumn<int>("seed");
        QTest::addColumn<int>("eos");
        QTest::addColumn<int>("maxLen");
        for (int seed = 1; seed <= 6; ++seed) {
            QTest::addRow("V=7 seed %d no EOS", seed) << 7 << seed << -1 << 12;
            QTest::addRow("V=5 seed %d EOS=0", seed) << 5 << seed << 0 << 15;
        }
    }
    void widthOneIsGreedy() {
        QFETCH(int, V);
        QFETCH(int, seed);
        QFETCH(int, eos);
        QFETCH(int, maxLen);
        auto m = std::make_shared<fake::HashModel>(V, uint64_t(seed), -1, eos, 0, 1.5f);
        const Tokens prompt{1, 2};
        BeamSearch beam(m, prompt, BeamSettings{1, maxLen, 0.0f});
        beam.run();
        QVERIFY(beam.done());
        SamplerSettings g;
        g.strategy = DecodeStrategy::Greedy;
        DecodingSession s(m, prompt, g);
        while (s.canStep() && s.stepCount() < maxLen) s.step();
        const auto best = beam.nbest();
        QCOMPARE(int(best.size()), 1);
        QCOMPARE(best.front().tokens, s.generated());
        QVERIFY(std::abs(best.front().logprob - s.steps().back().logprob) < 1e-9);
    }

    void wideBeamIsBruteForce_data() {
        QTest::addColumn<int>("V");
        QTest::addColumn<int>("L");
        QTest::addColumn<int>("eos");
        QTest::addColumn<float>("alpha");
        QTest::addColumn<int>("seed");
        for (int seed = 1; seed <= 4; ++seed) {
            QTest::addRow("V=3 L=3 no EOS seed %d", seed) << 3 << 3 << -1 << 0.0f << seed;
            QTest::addRow("V=4 L=3 no EOS seed %d", seed) << 4 << 3 << -1 << 0.0f << seed;
            QTest::addRow("V=2 L=6 no EOS seed %d", seed) << 2 << 6 << -1 << 0.0f << seed;
            QTest::addRow("V=4 L=3 EOS seed %d", seed) << 4 << 3 << 2 << 0.0f << seed;
            QTest::addRow("V=4 L=3 EOS alpha 1 seed %d", seed) << 4 << 3 << 2 << 1.0f << seed;
            QTest::addRow("V=3 L=3 EOS alpha 0.6 seed %d", seed) << 3 << 3 << 0 << 0.6f << seed;
        }
    }
    void wideBeamIsBruteForce() {
        QFETCH(int, V);
        QFETCH(int, L);
        QFETCH(int, eos);
        QFETCH(float, alpha);
        QFETCH(int, seed);
        auto m = std::make_shared<fake::HashModel>(V, uint64_t(seed) * 101, -1, eos, 0, 1.0f);
        const Tokens prompt{0};
        int width = 1;
        for (int i = 0; i < L; ++i) width *= V;  // V^L
        BeamSearch beam(m, prompt, BeamSettings{width, L, alpha});
        beam.run();

        // Brute force: every sequence that ends with EOS, or reaches length L.
        double bestScore = -INFINITY;
        Tokens bestSeq;
        std::function<void(Tokens)> visit = [&](Tokens seq) {
            const bool ended = !seq.empty() && seq.back() == eos;
            if (ended || int(seq.size()) == L) {
                const double sc = sequenceLogprob(*m, prompt, seq) / lengthPenalty(int(seq.size()), alpha);
                if (sc > bestScore + 1e-12) { bestScore = sc; bestSeq = seq; }
                return;
            }
            for (int v = 0; v < V; ++v) {
                Tokens next = seq;
                next.push_back(v);
                visit(next);
            }
        };
        visit({});
        const auto best = beam.nbest();
        QVERIFY(!best.empty());
        QCOMPARE(best.front().tokens, bestSeq);
        QVERIFY(std::abs(best.front().score - bestScore) < 1e-6);
    }

    void bruteForceCasesAreNotGreedy() {
        // The brute-force rows above mean something only if greedy misses the optimum on some of them.
        int differ = 0;
        for (int seed = 1; seed <= 4; ++seed)
            for (int V : {3, 4}) {
                auto m = std::make_shared<fake::HashModel>(V, uint64_t(seed) * 101, -1, -1, 0, 1.0f);
                BeamSearch narrow(m, Tokens{0}, BeamSettings{1, 3, 0.0f});
                BeamSearch wide(m, Tokens{0}, BeamSettings{V * V * V, 3, 0.0f});
                narrow.run();
                wide.run();
                differ += narrow.nbest().front().tokens != wide.nbest().front().tokens;
                QVERIFY(wide.nbest().front().logprob >= narrow.nbest().front().logprob);
            }
        QVERIFY2(differ >= 2, qPrintable(QString("greedy found the optimum in %1 of 8 cases").arg(8 - differ)));
    }

    void logprobsAddUpAlongThePath() {
        auto m = std::make_shared<fake::HashModel>(9, 77, -1, 3, 0, 2.0f);
        BeamSearch beam(m, Tokens{5}, BeamSettings{4, 8, 0.6f});
        beam.run();
        const BeamTree& t = beam.tree();
        for (const BeamNode& n : t.nodes) {
            if (n.parent < 0) continue;
            double sum = 0;
            for (int k = n.id; k > 0; k = t.nodes[size_t(k)].parent) sum += t.nodes[size_t(k)].stepLogprob;
            QVERIFY(std::abs(n.logprob - sum) < 1e-9);
            QVERIFY(std::abs(n.score - n.logprob / lengthPenalty(n.step, double(0.6f))) < 1e-9);
        }
        const auto hyps = beam.nbest();
        QVERIFY(!hyps.empty());
        for (const auto& h : hyps) {
            double sum = 0;
            for (double x : h.stepLogprobs) sum += x;
            QVERIFY(std::abs(h.logprob - sum) < 1e-9);
            QVERIFY(std::abs(h.logprob - sequenceLogprob(*m, Tokens{5}, h.tokens)) < 1e-5);  // the model's own
            QCOMPARE(h.tokens, t.path(h.node));
        }
        for (size_t i = 1; i < hyps.size(); ++i) QVERIFY(hyps[i - 1].score >= hyps[i].score);
    }

    void realModelStatesFollowTheirPaths_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<float>("alpha");
        QTest::newRow("k=2") << 2 << 0.0f;
        QTest::newRow("k=5 alpha 0.6") << 5 << 0.6f;
        QTest::newRow("k=8 alpha 1") << 8 << 1.0f;
    }
    void realModelStatesFollowTheirPaths() {
        // The shipped TinyGPT (KV-cache states): a round moves each parent's state into its last alive child
        // and clones it for the others. Every node's cumulative log-prob must equal the model's teacher-forced
        // log-prob of that node's path, so no child may have read a sibling's or a moved-from state.
        const std::string path = testutil::modelPath("toy-word");
        const std::shared_ptr<const LanguageModel> m = loadLanguageModel(path);  // shipped: missing or broken fails
        QFETCH(int, width);
        QFETCH(float, alpha);
        const Tokens prompt = m->tokenizer().encodeStrict("the small cat");
        BeamSearch beam(m, prompt, BeamSettings{width, 9, alpha});
        beam.run();
        const BeamTree& t = beam.tree();
        int checked = 0, deep = 0;
        for (const BeamNode& n : t.nodes) {
            if (n.id == 0) continue;
            const double ref = sequenceLogprob(*m, prompt, t.path(n.id));
            QVERIFY2(std::abs(n.logprob - ref) < 1e-4,
                     qPrintable(QString("node %1 (step %2): %3 vs teacher-forced %4").arg(n.id).arg(n.step).arg(n.logprob).arg(ref)));
            ++checked;
            deep += n.step >= 3;
        }
        QVERIFY(deep > 0);
        QCOMPARE(checked, t.expansions());
        QVERIFY(!beam.nbest().empty());
    }

    void nodeCountEqualsExpansions_data() {
        QTest::addColumn<int>("V");
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("eos");
        QTest::newRow("k=3 no EOS") << 10 << 3 << -1;
        QTest::newRow("k=3 EOS") << 10 << 3 << 1;
        QTest::newRow("k=5 EOS") << 6 << 5 << 0;
        QTest::newRow("k > V") << 4 << 8 << 2;
    }
    void nodeCountEqualsExpansions() {
        QFETCH(int, V);
        QFETCH(int, k);
        QFETCH(int, eos);
        auto m = std::make_shared<fake::HashModel>(V, 5, -1, eos, 0, 2.0f);
        BeamSearch beam(m, Tokens{1}, BeamSettings{k, 10, 0.0f});
        const int M = std::min(V, eos >= 0 ? k + 1 : k);
        int expected = 0;
        int aliveBefore = 1;  // the root
        while (!beam.done()) {
            const int callsBefore = m->calls;
            const size_t nodesBefore = beam.tree().nodes.size();
            QVERIFY(beam.stepRound());
            QCOMPARE(m->calls - callsBefore, 1);  // one batched model call per round
            const auto& round = beam.tree().rounds.back();
            QCOMPARE(int(round.size()), aliveBefore * M);  // every alive hypothesis expands into M nodes
            QCOMPARE(beam.tree().nodes.size() - nodesBefore, round.size());
            expected += aliveBefore * M;
            aliveBefore = 0;
            for (int id : round) aliveBefore += beam.tree().nodes[size_t(id)].status == BeamStatus::Alive;
            QVERIFY(aliveBefore <= k);
        }
        QVERIFY(!beam.stepRound());
        QCOMPARE(beam.tree().expansions(), expected);
        QCOMPARE(int(beam.tree().nodes.size()), 1 + expected);
        QVERIFY(m->maxBatch <= k);
        // Every node except the root belongs to exactly one round, and its parent to the round before.
        std::vector<int> seen(beam.tree().nodes.size(), 0);
        for (size_t r = 0; r < beam.tree().rounds.size(); ++r)
            for (int id : beam.tree().rounds[r]) {
                seen[size_t(id)]++;
                const int parent = beam.tree().nodes[size_t(id)].parent;
                QCOMPARE(beam.tree().nodes[size_t(parent)].round, int(r));
            }
        for (size_t i = 1; i < seen.size(); ++i) QCOMPARE(seen[i], 1);
        // No node is left alive once the search is done; leaves are pruned or finished.
        for (const auto& n : beam.tree().nodes)
            if (n.children.empty() && n.id > 0) QVERIFY(n.status != BeamStatus::Alive);
    }

    void batchedWidthUsesOneCall() {
        auto m = std::make_shared<fake::HashModel>(20, 9);
        BeamSearch beam(m, Tokens{3, 4}, BeamSettings{5, 6, 0.0f});
        beam.stepRound();
        beam.stepRound();
        QCOMPARE(m->maxBatch.load(), 5);
    }

    void earlyStopWhenNothingCanImprove() {
        // A bigram model where EOS is almost certain after every token: everything finishes in round 1-2.
        Mat t = Mat::Constant(4, 4, 0.0f);
        t.col(1).setConstant(6.0f);  // EOS = 1
        auto m = std::make_shared<fake::BigramModel>(std::vector<std::string>{"a", "</s>", "b", "c"}, t, -1, 1);
        BeamSearch beam(m, Tokens{0}, BeamSettings{2, 50, 0.0f});
        beam.run();
        QVERIFY(beam.round() <= 3);
        QVERIFY(!beam.stopReason().empty());
        QCOMPARE(beam.nbest().front().tokens, Tokens{1});
    }

    void maxLengthFinishesTruncated() {
        auto m = std::make_shared<fake::HashModel>(5, 3);
        BeamSearch beam(m, Tokens{0}, BeamSettings{3, 4, 0.0f});
        beam.run();
        QCOMPARE(beam.round(), 4);
        const auto best = beam.nbest();
        QCOMPARE(int(best.size()), 3);
        for (const auto& h : best) {
            QCOMPARE(int(h.tokens.size()), 4);
            QVERIFY(!h.eos);
        }
        QCOMPARE(beam.stopReason(), std::string("max length reached"));
    }

    void badSettings_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("maxLen");
        QTest::addColumn<float>("alpha");
        QTest::addColumn<int>("ctx");
        QTest::addColumn<QString>("message");
        QTest::newRow("width 0") << 0 << 5 << 0.f << 0 << "beam width must be in [1, 64], got 0";
        QTest::newRow("width 65") << 65 << 5 << 0.f << 0 << "beam width must be in [1, 64], got 65";
        QTest::newRow("max 0") << 2 << 0 << 0.f << 0 << "max length must be in [1, 4096], got 0";
        QTest::newRow("alpha -1") << 2 << 5 << -1.f << 0 << "length penalty must be in [0, 5], got -1";
        QTest::newRow("context") << 2 << 9 << 0.f << 8 << "max length 9 does not fit the model's context of 8 tokens after this prompt: at most 7";
    }
    void badSettings() {
        QFETCH(int, width);
        QFETCH(int, maxLen);
        QFETCH(float, alpha);
        QFETCH(int, ctx);
        QFETCH(QString, message);
        auto m = std::make_shared<fake::HashModel>(5, 3, -1, -1, ctx);
        try {
            BeamSearch beam(m, Tokens{0, 1}, BeamSettings{width, maxLen, alpha});
            QFAIL("accepted bad settings");
        } catch (const Error& e) {
            QCOMPARE(QString(e.what()), message);
        }
    }

    void contextIsRespected() {
        auto m = std::make_shared<fake::HashModel>(5, 3, -1, -1, 8);  // throws on overflow
        BeamSearch beam(m, Tokens{0, 1}, BeamSettings{3, 7, 0.0f});
        beam.run();
        QCOMPARE(int(beam.nbest().front().tokens.size()), 7);
    }
};

QTEST_GUILESS_MAIN(TestBeamSearch)
#include "tst_core_beamsearch.moc"
