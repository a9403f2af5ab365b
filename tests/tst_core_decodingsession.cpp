// DecodingSession: step / back / force / branches / reset / settings / attention, checked against the model
// computed independently (LanguageModel::logits over the whole sequence).
#include "core/decoding/decodingsession.h"
#include "core/error.h"
#include "fakemodels.h"

#include <QtTest>
#include <cmath>
#include <cstring>

using namespace ar;

// vocab: <s> </s> the cat sat on mat ; rows = previous token.
static std::shared_ptr<fake::BigramModel> bigram(int ctx = 0) {
    const std::vector<std::string> vocab{"<s>", "</s>", "the", "cat", "sat", "on", "mat"};
    Mat t = Mat::Constant(7, 7, -2.0f);
    t(0, 2) = 3;                 // <s> -> the
    t(2, 3) = 2; t(2, 6) = 1.5f; // the -> cat (mat)
    t(3, 4) = 3;                 // cat -> sat
    t(4, 5) = 3;                 // sat -> on
    t(5, 2) = 3;                 // on -> the
    t(6, 1) = 3;                 // mat -> </s>
    return std::make_shared<fake::BigramModel>(vocab, t, 0, 1, ctx);
}

static bool sameBits(const RowVec& a, const RowVec& b) {
    return a.size() == b.size() && (a.size() == 0 || std::memcmp(a.data(), b.data(), size_t(a.size()) * sizeof(float)) == 0);
}

// The model's next-token logits after `seq`, computed from scratch.
static RowVec recomputed(const LanguageModel& m, const Tokens& seq) {
    const Mat l = m.logits(seq);
    return l.row(l.rows() - 1);
}

class TestDecodingSession : public QObject {
    Q_OBJECT
private slots:
    void promptErrors_data() {
        QTest::addColumn<QString>("prompt");
        QTest::addColumn<int>("ctx");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown word") << "the zebra" << 0 << "prompt: 'zebra' (word 2) is not in the model's vocabulary";
        QTest::newRow("two unknown") << "a cat b" << 0 << "prompt: 'a' (word 1), 'b' (word 3) are not in the model's vocabulary";
        QTest::newRow("too long") << "the cat sat on the" << 4 << "prompt: 5 tokens do not fit the model's context of 4 (1 more is the start token)";
    }
    void promptErrors() {
        QFETCH(QString, prompt);
        QFETCH(int, ctx);
        QFETCH(QString, message);
        try {
            DecodingSession s(bigram(ctx), prompt.toStdString());
            QFAIL("accepted a bad prompt");
        } catch (const Error& e) {
            QCOMPARE(QString(e.what()), message);
        }
    }

    void emptyPromptNeedsBos() {
        auto noBos = std::make_shared<fake::HashModel>(5, 1);
        QVERIFY_THROWS_EXCEPTION(Error, DecodingSession(noBos, Tokens{}));
        DecodingSession s(bigram(), "");  // BOS only
        QCOMPARE(s.sequence(), Tokens{0});
        QCOMPARE(s.promptOffset(), 1);
        QVERIFY_THROWS_EXCEPTION(Error, DecodingSession(noBos, Tokens{7}));  // id outside the vocabulary
    }

    void greedyFollowsTheModel() {
        SamplerSettings g;
        g.strategy = DecodeStrategy::Greedy;
        auto m = bigram(12);
        DecodingSession s(m, "the", g);
        QCOMPARE(s.promptTokens(), Tokens{2});
        QCOMPARE(s.sequence(), (Tokens{0, 2}));
        while (s.canStep()) s.step();
        QCOMPARE(s.text(), std::string("the cat sat on the cat sat on the cat sat"));
        QCOMPARE(s.stopReason(), std::string("context full (12 tokens)"));
        QCOMPARE(s.tokenText(3), std::string("cat"));
    }

    void stepRecordsExactNumbers() {
        auto m = std::make_shared<fake::HashModel>(6, 11, -1, -1, 0, 3.0f);
        SamplerSettings st;
        st.seed = 9;
        st.topK = 3;
        DecodingSession s(m, Tokens{1, 2}, st);
        double running = 0;
        for (int i = 0; i < 8; ++i) {
            const Tokens before = s.sequence();
            const DecodeStep& d = s.step();
            QCOMPARE(d.position, int(before.size()));
            // Independent: log-softmax of the recomputed logits.
            const RowVec l = recomputed(*m, before);
            const double lse = std::log((l.array() - l.maxCoeff()).exp().cast<double>().sum()) + l.maxCoeff();
            const double lp = double(l(d.token)) - lse;
            QVERIFY(std::abs(d.tokenLogprob - lp) < 1e-6);
            QVERIFY(std::abs(d.modelP - std::exp(lp)) < 1e-6);
            running += lp;
            QVERIFY(std::abs(d.logprob - running) < 1e-5);
            QCOMPARE(d.stages.front().name, std::string("raw"));
            QCOMPARE(d.stages.back().name, std::string("top-k"));
            QVERIFY(d.stages.back().find(d.token) != nullptr);  // a draw comes from the survivors
            QVERIFY(!d.forced);
            QCOMPARE(s.sequence().back(), d.token);
            // The next distribution is the model's after the new sequence.
            QVERIFY(((s.nextLogits() - recomputed(*m, s.sequence())).array().abs() < 1e-6f).all());
        }
        QCOMPARE(m->maxBatch.load(), 1);
    }

    void backRestoresBitwise() {
        auto m = std::make_shared<fake::HashModel>(8, 3);
        DecodingSession s(m, Tokens{4});
        const RowVec l0 = s.nextLogits();
        const auto stages0 = s.previewStages();
        s.step();
        const RowVec l1 = s.nextLogits();
        const Tokens seq1 = s.sequence();
        const int t2 = s.step().token;
        s.step();
        QVERIFY(s.back());
        QVERIFY(s.back());
        QVERIFY(sameBits(s.nextLogits(), l1));
        QCOMPARE(s.sequence(), seq1);
        QCOMPARE(s.stepCount(), 1);
        QCOMPARE(int(s.attentionRows().size()), int(seq1.size()));
        QCOMPARE(s.step().token, t2);  // same seed, same position: the same draw
        QVERIFY(s.back());
        QVERIFY(s.back());
        QVERIFY(!s.back());  // at the prompt
        QVERIFY(sameBits(s.nextLogits(), l0));
        const auto stagesAgain = s.previewStages();
        QCOMPARE(stagesAgain.size(), stages0.size());
        for (size_t i = 0; i < stages0.front().candidates.size(); ++i)
            QCOMPARE(stagesAgain.front().candidates[i].p, stages0.front().candidates[i].p);
        QCOMPARE(s.stepCount(), 0);
    }

    void forceContinuesFromTheForcedToken() {
        auto m = std::make_shared<fake::HashModel>(8, 5);
        SamplerSettings g;
        g.strategy = DecodeStrategy::Greedy;
        DecodingSession s(m, Tokens{1}, g);
        const int greedyFirst = s.step().token;
        QVERIFY(s.back());
        const int other = (greedyFirst + 1) % 8;
        const DecodeStep& f = s.force(other);
        QVERIFY(f.forced);
        QCOMPARE(f.token, other);
        QCOMPARE(f.p, s.steps().back().stages.back().find(other)->p);
        QCOMPARE(s.sequence(), (Tokens{1, other}));
        const DecodeStep& next = s.step();
        // Greedy continues from the forced token: the argmax of the model after {1, other}.
        const RowVec l = recomputed(*m, Tokens{1, other});
        Index arg;
        l.maxCoeff(&arg);
        QCOMPARE(next.token, int(arg));
        QCOMPARE(s.generated(), (Tokens{other, int(arg)}));
        // The abandoned greedy step is a branch of the history.
        const auto br = s.branches();
        QCOMPARE(int(br.size()), 1);
        QCOMPARE(s.branchTokens(br[0]), Tokens{greedyFirst});
        QCOMPARE(s.history()[size_t(br[0])].parent, -1);
        QCOMPARE(int(s.history().size()), 3);
        QCOMPARE(s.currentPath().size(), size_t(2));
        QVERIFY_THROWS_EXCEPTION(Error, s.force(8));
        QVERIFY_THROWS_EXCEPTION(Error, s.force(-1));
        // Switch back to the abandoned branch: exact state again.
        s.switchTo(br[0]);
        QCOMPARE(s.generated(), Tokens{greedyFirst});
        QVERIFY(sameBits(s.nextLogits(), recomputed(*m, Tokens{1, greedyFirst})));
        QCOMPARE(int(s.branches().size()), 1);  // now the forced path is the abandoned one
        QCOMPARE(s.branchTokens(s.branches()[0]), (Tokens{other, int(arg)}));
    }

    void seedReproducesTheText() {
        auto m = std::make_shared<fake::HashModel>(10, 7);
        SamplerSettings a;
        a.seed = 123;
        auto run = [&](uint64_t seed) {
            SamplerSettings x;
            x.seed = seed;
            DecodingSession s(m, Tokens{0}, x);
            for (int i = 0; i < 20; ++i) s.step();
            return s.generated();
        };
        QCOMPARE(run(123), run(123));
        QVERIFY(run(123) != run(124));
    }

    void settingsApplyToTheNextStep() {
        auto m = std::make_shared<fake::HashModel>(10, 8, -1, -1, 0, 0.5f);  // flat: samples rarely argmax
        DecodingSession s(m, Tokens{0});
        for (int i = 0; i < 3; ++i) s.step();
        const Tokens firstThree = s.generated();
        SamplerSettings g;
        g.strategy = DecodeStrategy::Greedy;
        s.setSettings(g);
        for (int i = 0; i < 5; ++i) {
            const RowVec l = s.nextLogits();
            Index arg;
            l.maxCoeff(&arg);
            QCOMPARE(s.step().token, int(arg));
        }
        const Tokens all = s.generated();
        QCOMPARE(Tokens(all.begin(), all.begin() + 3), firstThree);
        SamplerSettings bad;
        bad.topP = 2;
        QVERIFY_THROWS_EXCEPTION(Error, s.setSettings(bad));
        QCOMPARE(s.settings().strategy, DecodeStrategy::Greedy);
    }

    void eosFinishes() {
        SamplerSettings g;
        g.strategy = DecodeStrategy::Greedy;
        DecodingSession s(bigram(), "the mat", g);
        const DecodeStep& d = s.step();
        QCOMPARE(d.token, 1);  // </s>
        QVERIFY(s.finished());
        QVERIFY(!s.canStep());
        QCOMPARE(s.stopReason(), std::string("end of sequence"));
        QVERIFY_THROWS_EXCEPTION(Error, s.step());
        QVERIFY_THROWS_EXCEPTION(Error, s.force(2));
        QVERIFY(s.back());
        QVERIFY(s.canStep());
    }

    void contextFullStops() {
        auto m = std::make_shared<fake::HashModel>(5, 2, -1, -1, 4);
        DecodingSession s(m, Tokens{0, 1});
        s.step();
        s.step();
        QCOMPARE(int(s.sequence().size()), 4);
        QVERIFY(!s.canStep());
        QCOMPARE(s.stopReason(), std::string("context full (4 tokens)"));
        QVERIFY_THROWS_EXCEPTION(Error, s.step());
    }

    void attentionForEveryPosition() {
        auto m = std::make_shared<fake::HashModel>(6, 4, 0);
        DecodingSession s(m, Tokens{2, 3, 4});
        for (int i = 0; i < 3; ++i) s.step();
        QCOMPARE(int(s.sequence().size()), 7);  // BOS + 3 + 3
        QCOMPARE(int(s.attentionRows().size()), 7);
        QCOMPARE(s.layerCount(), 1);
        QCOMPARE(s.headCount(), 2);
        for (size_t i = 0; i < 7; ++i) QCOMPARE(s.attentionRows()[i][0].cols(), Index(i + 1));
        const Mat a = s.attentionMatrix(0, 1);
        QCOMPARE(a.rows(), Index(7));
        for (Index i = 0; i < 7; ++i) {
            QVERIFY(std::abs(a.row(i).sum() - 1.0f) < 1e-5f);
            for (Index j = i + 1; j < 7; ++j) QCOMPARE(a(i, j), 0.f);
        }
        // A step's attention is the row of the query that produced its distribution.
        for (const auto& st : s.steps()) {
            QCOMPARE(st.attention.size(), size_t(1));
            QVERIFY(st.attention[0] == s.attentionRows()[size_t(st.position - 1)][0]);
        }
        QVERIFY_THROWS_EXCEPTION(Error, s.attentionMatrix(1, 0));
        QVERIFY_THROWS_EXCEPTION(Error, s.attentionMatrix(0, 2));
    }

    void resetClearsEverything() {
        auto m = std::make_shared<fake::HashModel>(6, 4);
        DecodingSession s(m, Tokens{2});
        const RowVec l0 = s.nextLogits();
        s.step();
        s.back();
        s.force(3);
        s.step();
        s.reset();
        QCOMPARE(s.stepCount(), 0);
        QVERIFY(s.history().empty());
        QVERIFY(s.branches().empty());
        QCOMPARE(s.sequence(), Tokens{2});
        QVERIFY(sameBits(s.nextLogits(), l0));
    }
};

QTEST_GUILESS_MAIN(TestDecodingSession)
#include "tst_core_decodingsession.moc"
