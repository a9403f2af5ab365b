// The non-autoregressive translator: unmasked self- and cross-attention gradients, the model's loss gradient,
// the decoding modes (one pass, Mask-Predict, semi-autoregressive), perturbation of one position's output,
// decoder passes counted in core, bad options, files, and the shipped model's test-set quality.
#include "core/data/zhencorpus.h"
#include "core/decoding/paralleldecode.h"
#include "core/error.h"
#include "core/io/safetensors.h"
#include "core/models/nat.h"
#include "core/models/seq2seq.h"
#include "core/training/nattrain.h"
#include "gradcheck.h"
#include "testutil.h"

#include <QtTest>

#include <cmath>

using namespace ar;

namespace {

const std::string kShipped = testutil::modelPath("zh-en-nat");
const std::string kShippedAr = testutil::modelPath("zh-en-seq2seq");

Tokens ids(const Tokenizer& t, const std::vector<std::string>& w) {
    Tokens out;
    for (const auto& s : w) out.push_back(t.id(s));
    return out;
}

const NatTranslator& shipped() {
    static std::unique_ptr<NatTranslator> m = loadNatTranslator(kShipped);  // throws (test fails) when missing
    return *m;
}

const ZhEnCorpus& corpus() {
    static const ZhEnCorpus c = makeZhEnCorpus(1);
    return c;
}

std::unique_ptr<NatTranslator> tinyModel() {
    NatTrainOptions o;
    o.embd = 8, o.heads = 2, o.encLayers = 1, o.decLayers = 1;
    return makeNatTranslator(corpus(), o);
}

}  // namespace

class TestParallel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        testutil::shipped("zh-en-nat");  // a missing shipped model fails the test
        testutil::shipped("zh-en-seq2seq");
    }
    // attention(q, k, v) without a mask, by finite differences, with Tq != Tk and two batch rows.
    void attentionGradient() {
        const int B = 2, Tq = 3, Tk = 4, H = 2, C = 4;
        auto r = gradcheck::check([&](const std::vector<Var>& in) { return nn::attention(in[0], in[1], in[2], B, Tq, Tk, H); },
                                  {gradcheck::randomMat(B * Tq, C, 1), gradcheck::randomMat(B * Tk, C, 2),
                                   gradcheck::randomMat(B * Tk, C, 3)});
        QVERIFY2(r.ok, r.report.c_str());
    }
    void selfAndCrossAttentionGradient() {
        const int B = 2, T = 3, S = 2, H = 2, C = 4;
        auto r = gradcheck::check([&](const std::vector<Var>& in) { return nn::selfAttention(in[0], B, T, H); },
                                  {gradcheck::randomMat(B * T, 3 * C, 4)});
        QVERIFY2(r.ok, r.report.c_str());
        r = gradcheck::check([&](const std::vector<Var>& in) { return nn::crossAttention(in[0], in[1], B, T, S, H); },
                             {gradcheck::randomMat(B * T, C, 5), gradcheck::randomMat(B * S, 2 * C, 6)});
        QVERIFY2(r.ok, r.report.c_str());
    }
    // The probabilities are a plain softmax of q k^T / sqrt(D) over ALL keys (no mask), computed here by hand;
    // and the first query's output changes when the LAST key changes (it would not under a causal mask).
    void attentionIsUnmasked() {
        const int B = 1, T = 3, H = 1, C = 2;
        const Mat qkv = gradcheck::randomMat(T, 3 * C, 7);
        nn::AttentionMaps maps;
        const Mat y = nn::selfAttention(Var(qkv), B, T, H, &maps).value();
        for (int i = 0; i < T; ++i) {
            std::vector<double> e(T);
            double z = 0;
            for (int j = 0; j < T; ++j)
                z += e[size_t(j)] = std::exp(double(qkv.row(i).head(C).dot(qkv.row(j).segment(C, C))) / std::sqrt(double(C)));
            for (int j = 0; j < T; ++j) QVERIFY(std::abs(maps.at(0, 0)(i, j) - e[size_t(j)] / z) < 1e-6);
        }
        Mat changed = qkv;
        changed(T - 1, 2 * C) += 1.0f;  // the last position's value
        QVERIFY(std::abs(nn::selfAttention(Var(changed), B, T, H).value()(0, 0) - y(0, 0)) > 1e-4);
        QVERIFY_THROWS_EXCEPTION(Error, nn::attention(Var(Mat::Zero(3, 4)), Var(Mat::Zero(2, 4)), Var(Mat::Zero(2, 4)), 1, 3, 3, 2));
        QVERIFY_THROWS_EXCEPTION(Error, nn::selfAttention(Var(Mat::Zero(3, 9)), 1, 3, 2));  // 2 heads, width 3
    }

    // The whole CMLM loss (encoder, length classifier, decoder, both attentions) against finite differences on
    // a few elements of every parameter.
    void modelLossGradient() {
        auto m = tinyModel();
        std::vector<const ZhEnPair*> batch;
        for (const auto& p : corpus().train)
            if (p.src.size() == 4 && p.tgt.size() == 4 && batch.size() < 2) batch.push_back(&p);
        QCOMPARE(int(batch.size()), 2);
        Rng r0(3);
        backward(natLoss(*m, batch, 0.5f, r0));
        auto f = [&]() {
            NoGradGuard ng;
            Rng r(3);
            return double(natLoss(*m, batch, 0.5f, r).item());
        };
        int checked = 0;
        for (const auto& p : m->parameters()) {
            Var v = p.var;
            const Mat analytic = v.hasGrad() ? v.grad() : Mat::Zero(v.rows(), v.cols());
            for (Index i = 0; i < v.value().size(); i += std::max<Index>(1, v.value().size() / 6)) {
                float& x = v.value().data()[i];
                const float keep = x, eps = 1e-2f;
                x = keep + eps;
                const double lp = f();
                x = keep - eps;
                const double lm = f();
                x = keep;
                const double num = (lp - lm) / (2.0 * eps);
                QVERIFY2(std::abs(num - analytic.data()[i]) <= 3e-3 + 3e-2 * std::abs(num),
                         qPrintable(QString("%1[%2]: analytic %3, numeric %4").arg(p.name.c_str()).arg(i).arg(analytic.data()[i]).arg(num)));
                ++checked;
            }
        }
        QVERIFY(checked > 100);
    }

    // One NAT pass: forcing any one position's output to another word (as if the model had chosen it) leaves
    // every other position's word and confidence exactly as it was: no position reads another one's output.
    // Control: the same perturbation in autoregressive decoding (semi, k = 1) changes later words.
    void natPositionsIndependentOfOutputs() {
        const NatTranslator& m = shipped();
        int perturbed = 0, arChanged = 0;
        for (size_t s = 0; s < corpus().test.size(); s += 97) {
            const Tokens src = ids(m.srcTokenizer(), corpus().test[s].src);
            ParallelOptions o;
            const ParallelTranslation base = translateParallel(m, src, o);
            ParallelOptions ar;
            ar.mode = ParallelMode::Semi;
            ar.block = 1;
            const ParallelTranslation arBase = translateParallel(m, src, ar);
            for (int j = 0; j < base.length; ++j) {
                const int other = base.tokens[size_t(j)] == 1 ? 2 : 1;
                o.forced = {{j, other}};
                const ParallelTranslation t = translateParallel(m, src, o);
                QCOMPARE(t.tokens[size_t(j)], other);
                for (int i = 0; i < base.length; ++i) {
                    if (i == j) continue;
                    QCOMPARE(t.tokens[size_t(i)], base.tokens[size_t(i)]);
                    QCOMPARE(t.iterations[0].confidence[size_t(i)], base.iterations[0].confidence[size_t(i)]);
                }
                ++perturbed;
                ar.forced = {{j, other}};
                const ParallelTranslation a = translateParallel(m, src, ar);
                for (int i = j + 1; i < a.length; ++i)
                    if (a.iterations.back().confidence[size_t(i)] != arBase.iterations.back().confidence[size_t(i)]) {
                        ++arChanged;
                        break;
                    }
            }
        }
        QVERIFY(perturbed > 30);
        QVERIFY2(arChanged > perturbed / 4, qPrintable(QString("AR control changed %1 of %2").arg(arChanged).arg(perturbed)));
    }

    // Mask-Predict with 1 iteration is the NAT pass; semi with a block as long as the sentence is one pass too.
    void maskPredictOneIterationIsNat() {
        const NatTranslator& m = shipped();
        for (size_t s = 0; s < corpus().test.size(); s += 53) {
            const Tokens src = ids(m.srcTokenizer(), corpus().test[s].src);
            const ParallelTranslation nat = translateParallel(m, src, {});
            ParallelOptions mp;
            mp.mode = ParallelMode::MaskPredict;
            mp.iterations = 1;
            const ParallelTranslation one = translateParallel(m, src, mp);
            QCOMPARE(one.tokens, nat.tokens);
            QCOMPARE(one.passes, 1);
            QCOMPARE(one.iterations.size(), size_t(1));
            QCOMPARE(one.iterations[0].confidence, nat.iterations[0].confidence);
            ParallelOptions semi;
            semi.mode = ParallelMode::Semi;
            semi.block = 64;
            QCOMPARE(translateParallel(m, src, semi).tokens, nat.tokens);
        }
    }

    // The inference pass (gradients off: plain matrices, shared kernels, the cross-attention keys and values from
    // encode()) computes what the autograd pass computes, for head widths D with and without a tail of 8 (the
    // attention sums 8 features at a time) and more than 8 source and target positions (8 keys at a time).
    void inferencePassMatchesTape_data() {
        QTest::addColumn<int>("embd");
        QTest::addColumn<int>("heads");
        QTest::newRow("D 4") << 8 << 2;
        QTest::newRow("D 12") << 24 << 2;
        QTest::newRow("D 16") << 64 << 4;
        QTest::newRow("D 20") << 40 << 2;
    }
    void inferencePassMatchesTape() {
        QFETCH(int, embd);
        QFETCH(int, heads);
        NatTrainOptions o;
        o.embd = embd, o.heads = heads, o.encLayers = 1, o.decLayers = 2;
        const auto m = makeNatTranslator(corpus(), o);
        const int S = m->config().maxSrc, T = m->config().maxLen, V = m->config().tgtVocab;
        QVERIFY(S > 8 && T > 8);
        Rng rng(5);
        std::vector<Tokens> src(2, Tokens(size_t(S)));
        for (Tokens& s : src)
            for (int& id : s) id = rng.randint(0, m->config().srcVocab - 1);
        Tokens input(size_t(2 * T));
        for (int& id : input) id = rng.bernoulli(0.5) ? m->maskToken() : rng.randint(1, V - 1);
        Mat tape;
        {
            const auto mem = m->encode(src);
            tape = m->decode(mem, input, T).value();
            clearTape();
        }
        NoGradGuard ng;
        const auto mem = m->encode(src);
        QCOMPARE(int(mem.crossKv.size()), 2);  // the inference path
        const Mat fast = m->decode(mem, input, T).value();
        QCOMPARE(fast.rows(), Index(2 * T));
        const float err = (fast - tape).cwiseAbs().maxCoeff(), scale = std::max(1.0f, tape.cwiseAbs().maxCoeff());
        QVERIFY2(err <= 2e-5f * scale, qPrintable(QString("max difference %1 (logits up to %2)").arg(err).arg(scale)));
    }

    // `passes` is the number of decoder calls the model counted, in every mode; and the pass counts follow the
    // formulas: 1, K (while the sentence has more words than K), ceil(T / k).
    void passesAreDecoderCalls_data() {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("k");
        QTest::newRow("nat") << int(ParallelMode::Nat) << 1;
        for (int k : {1, 2, 3, 4}) QTest::newRow(qPrintable(QString("mask-predict %1").arg(k))) << int(ParallelMode::MaskPredict) << k;
        for (int k : {1, 2, 4, 16}) QTest::newRow(qPrintable(QString("semi %1").arg(k))) << int(ParallelMode::Semi) << k;
    }
    void passesAreDecoderCalls() {
        QFETCH(int, mode);
        QFETCH(int, k);
        const NatTranslator& m = shipped();
        ParallelOptions o;
        o.mode = ParallelMode(mode);
        o.iterations = k;
        o.block = k;
        for (size_t s = 0; s < corpus().test.size(); s += 71) {
            const Tokens src = ids(m.srcTokenizer(), corpus().test[s].src);
            const long long before = m.decoderCalls();
            const ParallelTranslation t = translateParallel(m, src, o);
            QCOMPARE(m.decoderCalls() - before, (long long)t.passes);
            QCOMPARE(int(t.iterations.size()), t.passes);
            const int T = t.length;
            const int expected = o.mode == ParallelMode::Nat ? 1 : o.mode == ParallelMode::Semi ? (T + k - 1) / k : std::min(k, T);
            QCOMPARE(t.passes, expected);
            // every position is predicted in the first pass that has it masked; no [MASK] is left at the end
            for (int tok : t.tokens) QVERIFY(tok != m.maskToken());
        }
    }

    // Mask-Predict re-masks exactly floor(T (K - t) / K) words, the least confident ones.
    void maskPredictRemasksLeastConfident() {
        const NatTranslator& m = shipped();
        ParallelOptions o;
        o.mode = ParallelMode::MaskPredict;
        o.iterations = 4;
        o.length = 9;  // forced length: more uncertainty, distinct confidences
        const Tokens src = m.encodeSource("他们 明天 不 买 两 本 书 吗");
        const ParallelTranslation t = translateParallel(m, src, o);
        QCOMPARE(t.passes, 4);
        for (int it = 1; it < 4; ++it) {
            const auto& prev = t.iterations[size_t(it - 1)];
            const auto& cur = t.iterations[size_t(it)];
            int n = 0;
            float maxMasked = 0, minKept = 2;
            for (int i = 0; i < 9; ++i) {
                if (cur.masked[size_t(i)]) {
                    ++n;
                    maxMasked = std::max(maxMasked, prev.confidence[size_t(i)]);
                } else {
                    minKept = std::min(minKept, prev.confidence[size_t(i)]);
                    QCOMPARE(cur.tokens[size_t(i)], prev.tokens[size_t(i)]);  // kept words stay
                }
            }
            QCOMPARE(n, 9 * (4 - it) / 4);
            QVERIFY(maxMasked <= minKept);
        }
    }

    void badOptions_data() {
        QTest::addColumn<int>("iterations");
        QTest::addColumn<int>("block");
        QTest::addColumn<int>("length");
        QTest::addColumn<QString>("message");
        QTest::newRow("iterations 0") << 0 << 2 << 0 << "iterations must be in 1..100, got 0";
        QTest::newRow("block 0") << 4 << 0 << 0 << "block must be in 1..512, got 0";
        QTest::newRow("length too long") << 4 << 2 << 99 << "length must be in 1..";
    }
    void badOptions() {
        QFETCH(int, iterations);
        QFETCH(int, block);
        QFETCH(int, length);
        QFETCH(QString, message);
        ParallelOptions o;
        o.iterations = iterations;
        o.block = block;
        o.length = length;
        const QString e = testutil::errorOf([&] { translateParallel(shipped(), shipped().encodeSource("我 爱 你"), o); });
        QVERIFY2(e.startsWith(message), qPrintable(e));
    }
    void badInput() {
        QString e = testutil::errorOf([] { shipped().encodeSource("我 爱 斑马"); });
        QVERIFY2(e.contains("'斑马'"), qPrintable(e));
        QCOMPARE(testutil::errorOf([] { parseParallelMode("fast"); }),
                 QString("unknown parallel decoding mode 'fast' (choices: nat, mask-predict, semi)"));
        e = testutil::errorOf([] { loadNatTranslator(kShippedAr); });
        QVERIFY2(e.contains("holds a 'seq2seq' model, not a non-autoregressive (nat) translator"), qPrintable(e));
    }

    // Save and load: same bytes, same translations; training is reproducible from the seed.
    void filesAndReproducibility() {
        const std::string bytes = serializeSafetensors(toSafetensors(shipped().parameters(), shipped().metadata()));
        const auto again = loadNatTranslator(parseSafetensors(bytes, "copy"), "copy");
        QCOMPARE(serializeSafetensors(toSafetensors(again->parameters(), again->metadata())), bytes);
        auto a = tinyModel(), b = tinyModel();
        NatTrainOptions o;
        o.steps = 8, o.evalEvery = 0, o.embd = 8, o.heads = 2, o.encLayers = 1, o.decLayers = 1;
        ZhEnCorpus small = corpus();
        small.valid.clear();
        const TrainResult ra = trainNat(*a, small, o), rb = trainNat(*b, small, o);
        QCOMPARE(ra.trainLoss, rb.trainLoss);
        QVERIFY(std::isfinite(ra.trainLoss));
        NatTrainOptions bad = o;
        bad.heads = 3;
        QVERIFY_THROWS_EXCEPTION(Error, trainNat(*a, small, bad));
    }

    // The acceptance line: on the test split, Mask-Predict with <= 4 iterations comes within 3 points of the
    // LSTM translator's greedy exact match; one NAT pass is reported with its repeated-word rate.
    void shippedTestSetQuality() {
        const auto ar = loadSeq2Seq(kShippedAr);
        const ParallelEval greedy = evaluateArGreedy(*ar, corpus().test);
        ParallelOptions mp;
        mp.mode = ParallelMode::MaskPredict;
        mp.iterations = 4;
        const ParallelEval e4 = evaluateParallel(shipped(), corpus().test, mp);
        const ParallelEval nat = evaluateParallel(shipped(), corpus().test, {});
        qInfo("AR greedy %.2f%%, mask-predict 4: %.2f%%, nat: %.2f%% (repeated words %.2f%%)", 100 * greedy.exactMatch,
              100 * e4.exactMatch, 100 * nat.exactMatch, 100 * nat.repeatedRate);
        QVERIFY(e4.exactMatch >= greedy.exactMatch - 0.03);
        QVERIFY(e4.meanPasses <= 4.0);
        QCOMPARE(nat.meanPasses, 1.0);
        // the gold sentences never repeat a word next to itself, so every repetition is a model error
        for (const ZhEnPair& p : corpus().test) QVERIFY(!hasRepeatedWord(ids(shipped().tgtTokenizer(), p.tgt)));
    }
};

QTEST_GUILESS_MAIN(TestParallel)
#include "tst_core_parallel.moc"
