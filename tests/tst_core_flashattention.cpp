// Flash (tiled) attention against the standard kernel and against a plain-ops reference (minGPT's way):
// outputs, probabilities, gradients (finite differences and the standard backward), a TinyGPT with either
// kernel, the tile trace, the counted memory (linear against quadratic in T) and bad settings.
#include "core/error.h"
#include "core/models/tinygpt.h"
#include "core/nn/flashattention.h"
#include "gradcheck.h"

#include <QtTest>

using namespace ar;

namespace {

Mat randomQkv(int B, int T, int C, uint64_t seed, double range = 2.0) { return gradcheck::randomMat(Index(B) * T, 3 * C, seed, -range, range); }

// The reference: per sequence and head, softmax(mask(q k^T / sqrt(D))) v from plain ops, heads concatenated.
// rope: q and k rotated first with nn::ropeRotate (the reference is used without grad then).
// KV < H key/value heads (grouped-query): qkv is (B*T, (H + 2 KV) D) and head h reads key/value head h / (H / KV).
Mat referenceAttention(const Mat& qkv, int B, int T, int H, bool rope, int KV = 0) {
    NoGradGuard ng;
    if (KV == 0) KV = H;
    const int D = int(qkv.cols()) / (H + 2 * KV), C = H * D, K = KV * D;
    std::vector<Var> rows;
    for (int b = 0; b < B; ++b) {
        Var seq = ops::sliceRows(Var(qkv), Index(b) * T, T);
        std::vector<Var> heads;
        for (int h = 0; h < H; ++h) {
            const int g = h / (H / KV);
            Mat q = ops::sliceCols(seq, h * D, D).value(), k = ops::sliceCols(seq, C + g * D, D).value();
            if (rope)
                for (int t = 0; t < T; ++t) {
                    nn::ropeRotate(q.row(t).data(), D, t);
                    nn::ropeRotate(k.row(t).data(), D, t);
                }
            Var att = ops::scale(ops::matmulNT(Var(q), Var(k)), 1.0f / std::sqrt(float(D)));
            att = ops::softmaxRows(ops::causalMask(att));
            heads.push_back(ops::matmul(att, ops::sliceCols(seq, C + K + g * D, D)));
        }
        rows.push_back(ops::concatCols(heads));
    }
    return ops::concatRows(rows).value();
}

float maxAbs(const Mat& a) { return a.size() ? a.cwiseAbs().maxCoeff() : 0.0f; }

// Grouped-query qkv (N, (H + 2 KV) D) -> the multi-head qkv (N, 3 H D) with every key/value head repeated for
// the query heads of its group (Llama's repeat_kv).
Mat repeatKv(const Mat& x, int H, int KV) {
    const int D = int(x.cols()) / (H + 2 * KV), C = H * D, K = KV * D;
    Mat out(x.rows(), 3 * C);
    out.leftCols(C) = x.leftCols(C);
    for (int h = 0; h < H; ++h) {
        const int g = h / (H / KV);
        out.middleCols(C + h * D, D) = x.middleCols(C + g * D, D);
        out.middleCols(2 * C + h * D, D) = x.middleCols(C + K + g * D, D);
    }
    return out;
}

// The gradient w.r.t. the repeated input folded back to the grouped one: a key/value head's gradient is the sum
// over the query heads that read it.
Mat foldKv(const Mat& g3, int H, int KV) {
    const int D = int(g3.cols()) / (3 * H), C = H * D, K = KV * D;
    Mat out = Mat::Zero(g3.rows(), C + 2 * K);
    out.leftCols(C) = g3.leftCols(C);
    for (int h = 0; h < H; ++h) {
        const int g = h / (H / KV);
        out.middleCols(C + g * D, D) += g3.middleCols(C + h * D, D);
        out.middleCols(C + K + g * D, D) += g3.middleCols(2 * C + h * D, D);
    }
    return out;
}

}  // namespace

class TestFlashAttention : public QObject {
    Q_OBJECT
private slots:
    void equalsStandard_data() {
        QTest::addColumn<int>("T");
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("D");
        QTest::addColumn<int>("bq");
        QTest::addColumn<int>("bk");
        QTest::addColumn<bool>("rope");
        for (bool rope : {false, true}) {
            const char* r = rope ? "rope" : "plain";
            QTest::addRow("T1 D2 1x1 %s", r) << 1 << 1 << 2 << 1 << 1 << rope;
            QTest::addRow("T5 D8 1x1 %s", r) << 5 << 2 << 8 << 1 << 1 << rope;
            QTest::addRow("T17 D4 4x8 %s", r) << 17 << 2 << 4 << 4 << 8 << rope;
            QTest::addRow("T33 D16 16x16 %s", r) << 33 << 2 << 16 << 16 << 16 << rope;
            QTest::addRow("T40 D6 7x3 %s", r) << 40 << 3 << 6 << 7 << 3 << rope;
            QTest::addRow("T64 D32 64x64 %s", r) << 64 << 1 << 32 << 64 << 64 << rope;
            QTest::addRow("T100 D8 blocks>T %s", r) << 100 << 2 << 8 << 128 << 256 << rope;
        }
    }
    void equalsStandard() {
        QFETCH(int, T);
        QFETCH(int, heads);
        QFETCH(int, D);
        QFETCH(int, bq);
        QFETCH(int, bk);
        QFETCH(bool, rope);
        const int B = 2, C = heads * D;
        const Mat x = randomQkv(B, T, C, uint64_t(T * 31 + D));
        NoGradGuard ng;
        nn::AttentionMaps stdMaps, flashMaps;
        const Mat standard = nn::causalSelfAttention(Var(x), B, T, heads, rope, &stdMaps).value();
        const Mat flash = nn::flashSelfAttention(Var(x), B, T, heads, rope, {bq, bk}, &flashMaps).value();
        const Mat reference = referenceAttention(x, B, T, heads, rope);
        QVERIFY2(maxAbs(flash - standard) <= 1e-5f, qPrintable(QString("flash vs standard %1").arg(maxAbs(flash - standard))));
        QVERIFY2(maxAbs(flash - reference) <= 1e-5f, qPrintable(QString("flash vs reference %1").arg(maxAbs(flash - reference))));
        QVERIFY(maxAbs(standard - reference) <= 1e-5f);
        // the probabilities rebuilt from the saved log-sum-exps are the standard ones; the future is exactly 0
        QCOMPARE(flashMaps.probs.size(), stdMaps.probs.size());
        for (size_t i = 0; i < stdMaps.probs.size(); ++i) {
            QVERIFY(maxAbs(flashMaps.probs[i] - stdMaps.probs[i]) <= 1e-5f);
            for (int r = 0; r < T; ++r)
                for (int c = r + 1; c < T; ++c) QCOMPARE(flashMaps.probs[i](r, c), 0.0f);
        }
    }

    void largeScoresStayExact() {
        // scores of several hundred: exp() overflows unless every tile subtracts the running maximum
        const int B = 1, T = 24, H = 1, D = 4;
        const Mat x = randomQkv(B, T, H * D, 5, 30.0);
        NoGradGuard ng;
        const Mat standard = nn::causalSelfAttention(Var(x), B, T, H, false).value();
        const Mat flash = nn::flashSelfAttention(Var(x), B, T, H, false, {3, 5}).value();
        QVERIFY(flash.allFinite());
        QVERIFY2(maxAbs(flash - standard) <= 1e-4f * std::max(1.0f, maxAbs(standard)), qPrintable(QString::number(maxAbs(flash - standard))));
    }

    void gradcheck_data() {
        QTest::addColumn<bool>("rope");
        QTest::addColumn<int>("bq");
        QTest::addColumn<int>("bk");
        QTest::newRow("plain 2x3") << false << 2 << 3;
        QTest::newRow("rope 3x2") << true << 3 << 2;
        QTest::newRow("plain 1x1") << false << 1 << 1;
        QTest::newRow("rope one tile") << true << 16 << 16;
    }
    void gradcheck() {
        QFETCH(bool, rope);
        QFETCH(int, bq);
        QFETCH(int, bk);
        const int B = 2, T = 7, H = 2, D = 4;
        auto r = gradcheck::check([&](const std::vector<Var>& in) { return nn::flashSelfAttention(in[0], B, T, H, rope, {bq, bk}); },
                                  {randomQkv(B, T, H * D, 9, 1.0)});
        QVERIFY2(r.ok, r.report.c_str());
        QCOMPARE(r.checked, 2 * B * T * 3 * H * D);
    }

    void backwardEqualsStandard_data() {
        QTest::addColumn<bool>("rope");
        QTest::newRow("plain") << false;
        QTest::newRow("rope") << true;
    }
    void backwardEqualsStandard() {
        QFETCH(bool, rope);
        const int B = 2, T = 37, H = 2, D = 8;
        const Mat x = randomQkv(B, T, H * D, 17), w = gradcheck::randomMat(Index(B) * T, H * D, 18);
        Mat grads[2];
        for (int kernel = 0; kernel < 2; ++kernel) {
            Var qkv = Var::param(x);
            Var y = nn::selfAttention(kernel ? nn::AttentionKernel::Flash : nn::AttentionKernel::Standard, qkv, B, T, H, rope,
                                      nullptr, {5, 11});
            backward(ops::sum(ops::mul(y, Var(w))));
            grads[kernel] = qkv.grad();
        }
        QVERIFY2(maxAbs(grads[0] - grads[1]) <= 1e-5f, qPrintable(QString::number(maxAbs(grads[0] - grads[1]))));
    }

    // Grouped-query and multi-query attention: both kernels = the plain-ops reference = multi-head attention on the
    // key/value heads repeated per group; finite-difference gradients; backward = the repeated backward folded.
    void groupedQuery_data() {
        QTest::addColumn<int>("T");
        QTest::addColumn<int>("H");
        QTest::addColumn<int>("KV");
        QTest::addColumn<int>("D");
        QTest::addColumn<bool>("rope");
        QTest::newRow("T9 H4 KV2 D4") << 9 << 4 << 2 << 4 << false;
        QTest::newRow("T9 H4 KV1 D4 rope") << 9 << 4 << 1 << 4 << true;
        QTest::newRow("T17 H6 KV3 D2") << 17 << 6 << 3 << 2 << false;
        QTest::newRow("T33 H8 KV2 D8 rope") << 33 << 8 << 2 << 8 << true;
        QTest::newRow("T5 H2 KV1 D6") << 5 << 2 << 1 << 6 << false;
        QTest::newRow("T6 H3 KV3 D4 (multi-head)") << 6 << 3 << 3 << 4 << true;
    }
    void groupedQuery() {
        QFETCH(int, T);
        QFETCH(int, H);
        QFETCH(int, KV);
        QFETCH(int, D);
        QFETCH(bool, rope);
        const int B = 2, C = H * D;
        const Mat x = gradcheck::randomMat(Index(B) * T, (H + 2 * KV) * D, uint64_t(T * 7 + H + KV), -2, 2);
        const nn::Heads heads(H, KV);
        {
            NoGradGuard ng;
            nn::AttentionMaps stdMaps, flashMaps, mhaMaps;
            const Mat standard = nn::causalSelfAttention(Var(x), B, T, heads, rope, &stdMaps).value();
            const Mat flash = nn::flashSelfAttention(Var(x), B, T, heads, rope, {4, 3}, &flashMaps).value();
            const Mat mha = nn::causalSelfAttention(Var(repeatKv(x, H, KV)), B, T, H, rope, &mhaMaps).value();
            const Mat reference = referenceAttention(x, B, T, H, rope, KV);
            QCOMPARE(standard.rows(), Index(B) * T);
            QCOMPARE(standard.cols(), Index(C));
            QVERIFY2(maxAbs(standard - reference) <= 1e-5f, qPrintable(QString::number(maxAbs(standard - reference))));
            QVERIFY2(maxAbs(flash - reference) <= 1e-5f, qPrintable(QString::number(maxAbs(flash - reference))));
            QVERIFY2(maxAbs(mha - reference) <= 1e-5f, qPrintable(QString::number(maxAbs(mha - reference))));
            QCOMPARE(int(stdMaps.probs.size()), B * H);
            for (size_t i = 0; i < stdMaps.probs.size(); ++i) {
                QVERIFY(maxAbs(stdMaps.probs[i] - mhaMaps.probs[i]) <= 1e-6f);
                QVERIFY(maxAbs(flashMaps.probs[i] - mhaMaps.probs[i]) <= 1e-5f);
            }
        }
        for (auto kernel : {nn::AttentionKernel::Standard, nn::AttentionKernel::Flash}) {
            const auto r = gradcheck::check(
                [&](const std::vector<Var>& in) { return nn::selfAttention(kernel, in[0], B, T, heads, rope, nullptr, {4, 3}); }, {x},
                {.rtol = 2e-2, .atol = 1e-3, .samples = 80});
            QVERIFY2(r.ok, r.report.c_str());
            QCOMPARE(r.checked, 2 * 80);
            const Mat w = gradcheck::randomMat(Index(B) * T, C, 5);
            Var grouped = Var::param(x), repeated = Var::param(repeatKv(x, H, KV));
            backward(ops::sum(ops::mul(nn::selfAttention(kernel, grouped, B, T, heads, rope, nullptr, {4, 3}), Var(w))));
            backward(ops::sum(ops::mul(nn::selfAttention(kernel, repeated, B, T, H, rope, nullptr, {4, 3}), Var(w))));
            const Mat folded = foldKv(repeated.grad(), H, KV);
            QVERIFY2(maxAbs(grouped.grad() - folded) <= 1e-5f * std::max(1.0f, maxAbs(folded)),
                     qPrintable(QString::number(maxAbs(grouped.grad() - folded))));
        }
    }

    void groupedQueryBadShapes() {
        const Mat x = gradcheck::randomMat(4, (4 + 2 * 2) * 2, 1);  // H 4, KV 2, D 2
        NoGradGuard ng;
        QCOMPARE(nn::causalSelfAttention(Var(x), 1, 4, nn::Heads(4, 2), false).cols(), Index(8));
        const auto message = [&](nn::Heads heads, Index cols) {
            try {
                nn::flashSelfAttention(Var(gradcheck::randomMat(4, cols, 1)), 1, 4, heads, false);
            } catch (const Error& e) {
                return QString(e.what());
            }
            return QString();
        };
        QCOMPARE(message(nn::Heads(4, 3), 20), QString("attention: 3 key/value heads do not divide 4 query heads"));
        QCOMPARE(message(nn::Heads(4, 8), 40), QString("attention: 8 key/value heads do not divide 4 query heads"));
        QCOMPARE(message(nn::Heads(4, 0), 8), QString("attention: 0 key/value heads do not divide 4 query heads"));
        QCOMPARE(message(nn::Heads(4, 2), 17),
                 QString("attention: qkv has 17 columns, not (H + 2 KV) D for 4 query and 2 key/value heads"));
    }

    void tinyGptSameLogits_data() {
        QTest::addColumn<ar::PositionMode>("pos");
        QTest::addColumn<int>("kvHeads");
        QTest::newRow("learned") << PositionMode::Learned << 4;
        QTest::newRow("sinusoidal") << PositionMode::Sinusoidal << 4;
        QTest::newRow("rope") << PositionMode::Rope << 4;
        QTest::newRow("rope, grouped-query (2 kv heads)") << PositionMode::Rope << 2;
        QTest::newRow("learned, multi-query") << PositionMode::Learned << 1;
    }
    void tinyGptSameLogits() {
        QFETCH(ar::PositionMode, pos);
        QFETCH(int, kvHeads);
        TinyGptConfig cfg;
        cfg.contextLength = 48;
        cfg.layers = 2;
        cfg.heads = 4;
        cfg.kvHeads = kvHeads;
        cfg.embd = 32;
        cfg.pos = pos;
        std::vector<std::string> letters;
        for (char c = 'a'; c < 'a' + 11; ++c) letters.push_back(std::string(1, c));
        TinyGpt m(cfg, Tokenizer(Tokenizer::Kind::Char, letters), 4);
        Rng rng(8);
        for (auto& p : m.parameters())
            for (Index i = 0; i < p.var.value().size(); ++i) const_cast<Var&>(p.var).value().data()[i] += float(rng.normal(0, 0.3));
        Tokens toks(45);
        for (auto& t : toks) t = int(rng.below(11));
        QCOMPARE(m.attentionKernel(), nn::AttentionKernel::Standard);
        const Mat standard = m.logits(toks);
        const auto stdMaps = m.attentionMaps(toks);
        m.setAttentionKernel(nn::AttentionKernel::Flash);
        const Mat flash = m.logits(toks);
        const auto flashMaps = m.attentionMaps(toks);
        QVERIFY2(maxAbs(flash - standard) <= 1e-5f * std::max(1.0f, maxAbs(standard)), qPrintable(QString::number(maxAbs(flash - standard))));
        for (size_t l = 0; l < stdMaps.size(); ++l)
            for (size_t h = 0; h < stdMaps[l].size(); ++h) QVERIFY(maxAbs(flashMaps[l][h] - stdMaps[l][h]) <= 1e-5f);
        // and the KV-cached decoder (standard arithmetic, step by step) agrees with the flash forward
        auto state = m.newState();
        DecodeState* s = state.get();
        for (size_t i = 0; i < toks.size(); ++i) {
            const Mat row = m.step(std::span<DecodeState* const>(&s, 1), std::span<const int>(&toks[i], 1));
            QVERIFY(maxAbs(row - flash.row(Index(i))) <= 1e-4f);
        }
    }

    void traceCoversTheCausalTriangle() {
        const int T = 19, D = 4;
        const Mat qkv = randomQkv(1, T, D, 3, 3.0);
        Mat q = qkv.leftCols(D), k = qkv.middleCols(D, D), v = qkv.rightCols(D), y;
        ColVec lse;
        std::vector<nn::FlashTile> trace;
        nn::flashHeadForward(q, k, v, 0.5f, {4, 6}, y, lse, nullptr, &trace);
        Eigen::MatrixXi seen = Eigen::MatrixXi::Zero(T, T);
        int rescales = 0;
        std::vector<float> lastMax(T), lastSum(T);
        for (const auto& t : trace) {
            QVERIFY(t.k0 <= t.q0 + t.nq - 1);  // no tile lies wholly above the diagonal
            for (int i = 0; i < t.nq; ++i) {
                QVERIFY(t.maxAfter[size_t(i)] >= t.maxBefore[size_t(i)]);
                rescales += t.rescaled[size_t(i)];
                lastMax[size_t(t.q0 + i)] = t.maxAfter[size_t(i)];
                lastSum[size_t(t.q0 + i)] = t.sumAfter[size_t(i)];
                for (int j = 0; j < t.nk; ++j) seen(t.q0 + i, t.k0 + j) += 1;
            }
        }
        for (int i = 0; i < T; ++i) {
            for (int j = 0; j <= i; ++j) QCOMPARE(seen(i, j), 1);  // every visible score exactly once
            // the final running max and sum give the row's log-sum-exp, computed here directly
            const RowVec s = q.row(i) * k.topRows(i + 1).transpose() * 0.5f;
            const float lseDirect = s.maxCoeff() + std::log((s.array() - s.maxCoeff()).exp().sum());
            QVERIFY(std::abs(lastMax[size_t(i)] + std::log(lastSum[size_t(i)]) - lseDirect) < 1e-5f);
            QVERIFY(std::abs(lse(i) - lseDirect) < 1e-5f);
        }
        QVERIFY2(rescales > 0, "random scores must raise some running maximum after the first tile");
    }

    void memoryLinearVsQuadratic() {
        const int H = 1, D = 16;
        std::vector<size_t> flash, standard;
        for (int T : {512, 1024, 2048, 4096}) {
            flash.push_back(nn::measureAttentionPeakBytes(nn::AttentionKernel::Flash, T, H, D));
            standard.push_back(nn::measureAttentionPeakBytes(nn::AttentionKernel::Standard, T, H, D));
            QCOMPARE(standard.back(), nn::standardAttentionBytes(1, T, H, D, false));
            qInfo("T %d: standard %zu bytes, flash %zu bytes", T, standard.back(), flash.back());
        }
        for (size_t i = 1; i < flash.size(); ++i) {
            const double f = double(flash[i]) / double(flash[i - 1]), s = double(standard[i]) / double(standard[i - 1]);
            QVERIFY2(f > 1.8 && f < 2.1, qPrintable(QString("flash grew %1x when T doubled").arg(f)));
            QVERIFY2(s > 3.5, qPrintable(QString("standard grew %1x when T doubled").arg(s)));
        }
        // at T = 4096 the standard kernel holds the 64 MB probability matrix; the tiled one its output, one head's
        // q, k, v, y copies (4 x 256 KB), the log-sum-exps and one tile: under 2 MB
        QVERIFY(standard.back() >= size_t(4096) * 4096 * 4);
        QVERIFY2(flash.back() < size_t(2) << 20, qPrintable(QString::number(flash.back())));
    }

    void probeCountsEveryLayer() {
        TinyGptConfig cfg;
        cfg.contextLength = 32;
        cfg.layers = 3;
        cfg.heads = 2;
        cfg.embd = 8;
        TinyGpt m(cfg, Tokenizer(Tokenizer::Kind::Char, {"a", "b", "c"}), 1);
        const Tokens toks(20, 1);
        for (auto kernel : {nn::AttentionKernel::Standard, nn::AttentionKernel::Flash}) {
            m.setAttentionKernel(kernel);
            nn::AttentionMemoryProbe probe;
            m.logits(toks);
            QCOMPARE(probe.calls(), 3);
            QVERIFY(probe.peakBytes() > 0);
        }
    }

    void badSettings() {
        QVERIFY_THROWS_EXCEPTION(Error, nn::parseAttentionKernel("fast"));
        try {
            nn::parseAttentionKernel("fast");
        } catch (const Error& e) {
            QCOMPARE(QString(e.what()), QString("attention kernel 'fast' is not one of standard, flash"));
        }
        QCOMPARE(nn::parseAttentionKernel("flash"), nn::AttentionKernel::Flash);
        QCOMPARE(nn::attentionKernelName(nn::AttentionKernel::Standard), std::string("standard"));
        const Mat x = randomQkv(1, 4, 4, 1);
        QVERIFY_THROWS_EXCEPTION(Error, nn::flashSelfAttention(Var(x), 1, 4, 2, false, {0, 4}));
        QVERIFY_THROWS_EXCEPTION(Error, nn::flashSelfAttention(Var(x), 1, 4, 3, false));   // 3 heads do not divide 4
        QVERIFY_THROWS_EXCEPTION(Error, nn::flashSelfAttention(Var(x), 2, 4, 2, false));   // 4 rows are not 2*4
        QVERIFY_THROWS_EXCEPTION(Error, nn::flashSelfAttention(Var(randomQkv(1, 4, 6, 1)), 1, 4, 2, true));  // D = 3, rope
    }
};

QTEST_APPLESS_MAIN(TestFlashAttention)
#include "tst_core_flashattention.moc"
