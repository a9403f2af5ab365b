// DecodingSession: step / back / force / branches / reset / settings / attention, checked against the model
// computed independently (LanguageModel::logits over the whole sequence).
#include "core/decoding/decodingsession.h"
#include "core/error.h"
#include "core/models/tinygpt.h"
#include "fakemodels.h"

#include <QtTest>
#include <cmath>
#include <cstring>

using namespace ar;

Q_DECLARE_METATYPE(ar::PositionMode)

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

// A TinyGPT with random weights (context `ctx`) behind a wrapper that counts the tokens fed through step().
class CountingGpt final : public LanguageModel {
public:
    CountingGpt(PositionMode pos, int ctx) {
        TinyGptConfig cfg;
        cfg.contextLength = ctx;
        cfg.layers = 2;
        cfg.heads = 2;
        cfg.embd = 16;
        cfg.pos = pos;
        cfg.bos = 0;
        std::vector<std::string> letters;
        for (int i = 0; i < 11; ++i) letters.push_back(std::string(1, char('a' + i)));
        gpt = std::make_unique<TinyGpt>(cfg, Tokenizer(Tokenizer::Kind::Char, letters), 7);
        Rng rng(8);
        for (const auto& p : gpt->parameters()) {  // away from the tiny init: telling logits and attention
            Mat& m = const_cast<Var&>(p.var).value();
            for (Index i = 0; i < m.size(); ++i) m.data()[i] += float(rng.normal(0.0, 0.3));
        }
    }
    std::string kind() const override { return "counting-tinygpt"; }
    const Tokenizer& tokenizer() const override { return gpt->tokenizer(); }
    int contextLength() const override { return gpt->contextLength(); }
    int bosToken() const override { return gpt->bosToken(); }
    std::unique_ptr<DecodeState> newState() const override { return gpt->newState(); }
    Mat step(std::span<DecodeState* const> states, std::span<const int> tokens) const override {
        fed += int(tokens.size());
        return gpt->step(states, tokens);
    }
    Mat logits(std::span<const int> tokens) const override { return gpt->logits(tokens); }
    std::vector<Mat> lastAttention(const DecodeState& state) const override { return gpt->lastAttention(state); }
    ParamList parameters() const override { return gpt->parameters(); }
    Metadata metadata() const override { return gpt->metadata(); }

    std::unique_ptr<TinyGpt> gpt;
    mutable int fed = 0;
};

static float maxDiff(const RowVec& a, const RowVec& b) { return (a - b).cwiseAbs().maxCoeff(); }

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
        st.setTopK(3);
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
        bad.setTopP(2);
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

// --- the decoding state: one live cache, O(1) back, branches sharing their prefix -----------------------

    void longSessionMatchesFullForward_data() {
        QTest::addColumn<ar::PositionMode>("pos");
        QTest::newRow("learned") << PositionMode::Learned;
        QTest::newRow("rope") << PositionMode::Rope;
    }
    // The acceptance scenario: 1000 steps, 500 Backs, switches between 3 branches. After every operation the
    // next-token logits equal the last row of a fresh full forward of sequence() (checked every 10th
    // operation), and at the end every position of the final path does (walking back to the prompt).
    void longSessionMatchesFullForward() {
        QFETCH(ar::PositionMode, pos);
        auto m = std::make_shared<CountingGpt>(pos, 1100);
        SamplerSettings set;
        set.seed = 11;
        DecodingSession s(m, "abc", set);
        const size_t oneCache = s.cacheBytes();
        QVERIFY(oneCache > 0);
        Rng rng(5);
        int steps = 0, backs = 0, switches = 0, ops = 0, checks = 0;
        float worst = 0;
        while (steps < 1000 || backs < 500) {
            const int fedBefore = m->fed;
            const uint64_t r = rng.below(100);
            if (ops % 50 == 49 && !s.branches().empty()) {  // one of the 3 most recent branches
                const std::vector<int> b = s.branches();
                s.switchTo(b[b.size() - 1 - size_t(rng.below(std::min<uint64_t>(3, b.size())))]);
                ++switches;
            } else if (backs < 500 && r < 34 && s.stepCount() > 0) {
                QVERIFY(s.back());
                QVERIFY(m->fed - fedBefore <= 1);  // O(1) truncation + the new last token re-fed (or a parked cache ends there)
                ++backs;
            } else if (steps < 1000) {
                if (r < 44) s.force(int(rng.below(11)));
                else s.step();
                QCOMPARE(m->fed - fedBefore, 1);  // no copy, no replay: exactly the new token
                ++steps;
            }
            QVERIFY(s.cacheCount() <= 1 + DecodingSession::kParkedCaches);
            QVERIFY(s.cacheBytes() <= oneCache * size_t(1 + DecodingSession::kParkedCaches));
            QCOMPARE(int(s.attentionRows().size()), int(s.sequence().size()));
            if (++ops % 10 == 0) {
                worst = std::max(worst, maxDiff(s.nextLogits(), recomputed(*m, s.sequence())));
                ++checks;
            }
        }
        QVERIFY(switches >= 20);
        QVERIFY(int(s.sequence().size()) > 300);
        // Every position of the final path, and the attention rows recorded along it.
        const Tokens seq = s.sequence();
        const Mat full = m->logits(seq);
        const auto maps = m->gpt->attentionMaps(seq);
        for (size_t i = 0; i < seq.size(); ++i) {
            const auto& row = s.attentionRows()[i];
            for (size_t l = 0; l < maps.size(); ++l)
                for (int h = 0; h < 2; ++h)
                    worst = std::max(worst, (row[l].row(h) - maps[l][size_t(h)].row(Index(i)).head(Index(i) + 1)).cwiseAbs().maxCoeff());
        }
        for (Index i = Index(seq.size()) - 1;; --i) {
            worst = std::max(worst, maxDiff(s.nextLogits(), full.row(i)));
            if (!s.back()) break;
        }
        QCOMPARE(s.sequence().size(), size_t(4));  // BOS + "abc"
        QVERIFY2(worst < 1e-5f, qPrintable(QString("max |session - full forward| = %1 over %2 checks").arg(worst).arg(checks)));
    }

    // Switching back to a branch that was just left costs nothing (its cache was parked); switching to an old
    // branch re-feeds only the tokens after the fork point.
    void switchingRefeedsOnlyTheSuffix() {
        auto m = std::make_shared<CountingGpt>(PositionMode::Learned, 64);
        DecodingSession s(m, "ab");
        for (int i = 0; i < 10; ++i) s.force(1 + i % 5);  // branch A: 10 tokens
        const int leafA = s.currentPath().back();
        const RowVec logitsA = s.nextLogits();
        for (int i = 0; i < 6; ++i) s.back();             // fork after 4 tokens
        for (int i = 0; i < 8; ++i) s.force(6);           // branch B: 4 + 8 tokens
        const int leafB = s.currentPath().back();
        const RowVec logitsB = s.nextLogits();
        int before = m->fed;
        s.switchTo(leafA);
        QCOMPARE(m->fed - before, 6);                      // A's 6 tokens after the fork, B parked
        QVERIFY(sameBits(s.nextLogits(), logitsA));
        before = m->fed;
        s.switchTo(leafB);
        QCOMPARE(m->fed - before, 0);                      // B's parked cache ends exactly there
        QVERIFY(sameBits(s.nextLogits(), logitsB));
        QCOMPARE(s.cacheCount(), 2);
        s.reset();
        QCOMPARE(s.cacheCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestDecodingSession)
#include "tst_core_decodingsession.moc"
