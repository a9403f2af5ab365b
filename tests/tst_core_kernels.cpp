// The shared numeric kernels (core/nn/kernels.*): linearRows against a scalar reference that follows the documented
// reduction order (bit for bit) and against double precision (close); the same bits on every instruction-set path
// (SSE2; AVX2 and AVX-512 when the CPU has them, each also against SSE2 row by row, awkward tails included) for matrix-vector (1 row) and matrix-matrix (many rows) products and through a
// whole model step; training's products (forward and both backward products) and a whole training step on every
// ISA and thread count; a row's output does not depend on how many rows share the pass; columnSums against Eigen's
// colwise sums; bad shapes and ARLAB_ISA values.
#include "core/error.h"
#include "core/io/llama2c.h"
#include "core/models/gpt2.h"
#include "core/models/llama.h"
#include "core/models/tinygpt.h"
#include "core/nn/kernels.h"
#include "core/nn/threads.h"
#include "core/training/optimizer.h"
#include "gradcheck.h"
#include "kernelpaths.h"
#include "realmodelfiles.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cstring>
#include <thread>

using namespace ar;

namespace {

// kernels.h's order, written out plainly: 8 partial sums (lane j takes inputs j, j+8, ...), a fixed tree, the
// tail in order, then the bias.
Mat referenceOrder(const Mat& x, const Mat& w, const Mat* bias) {
    Mat y(x.rows(), w.rows());
    const Index in = x.cols(), in8 = in / 8 * 8;
    for (Index r = 0; r < x.rows(); ++r)
        for (Index o = 0; o < w.rows(); ++o) {
            float a[8] = {};
            for (Index i = 0; i < in8; i += 8)
                for (int j = 0; j < 8; ++j) {
                    volatile float p = x(r, i + j) * w(o, i + j);  // rounded product, then the sum: no fused op
                    a[j] += p;
                }
            float s = ((a[0] + a[4]) + (a[2] + a[6])) + ((a[1] + a[5]) + (a[3] + a[7]));
            for (Index i = in8; i < in; ++i) {
                volatile float p = x(r, i) * w(o, i);
                s += p;
            }
            y(r, o) = bias ? s + (*bias)(0, o) : s;
        }
    return y;
}

bool sameBits(const Mat& a, const Mat& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() && std::memcmp(a.data(), b.data(), size_t(a.size()) * sizeof(float)) == 0;
}

using testutil::IsaGuard;
using testutil::paths;

TinyGpt smallModel(int embd) {
    TinyGptConfig cfg;
    const Tokenizer tok = Tokenizer::build(Tokenizer::Kind::Char, "abcdefghijklmnopqrstuvwxyz0123456789.");
    cfg.vocabSize = tok.size();
    cfg.contextLength = 16;
    cfg.layers = 2;
    cfg.heads = 4;
    cfg.embd = embd;
    return TinyGpt(cfg, tok, 7);
}

}  // namespace

class TestKernels : public QObject {
    Q_OBJECT
private slots:
    void linearRowsMatchesItsOrder_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("in");
        QTest::addColumn<int>("out");
        QTest::addColumn<bool>("bias");
        QTest::newRow("gemv 1x256 -> 768") << 1 << 256 << 768 << true;
        QTest::newRow("gemv 1x7 -> 5 (tail only)") << 1 << 7 << 5 << true;
        // A weight over 2 MB streams (kernels.cpp: kStreamBytes): a single row takes the prefetching 2-row tile, here
        // with an input tail and a last block of one output; 5 rows: a 4-row block, then one row on that tile.
        QTest::newRow("gemv 1 x 777 -> 1001 (a streamed weight)") << 1 << 777 << 1001 << true;
        QTest::newRow("5 rows, 768 -> 1001 (a streamed weight)") << 5 << 768 << 1001 << false;
        QTest::newRow("2 rows, odd sizes") << 2 << 37 << 13 << false;
        QTest::newRow("3 rows") << 3 << 64 << 9 << true;
        QTest::newRow("5 rows, 64 -> 192 (a NAT pass: 4-row tiles, then 1 row)") << 5 << 64 << 192 << true;
        QTest::newRow("6 rows, 256 -> 67 (2-row tiles, one-output tail)") << 6 << 256 << 67 << false;
        QTest::newRow("7 rows (verify pass)") << 7 << 256 << 1030 << true;
        QTest::newRow("gemm 128^3") << 128 << 128 << 128 << false;
        QTest::newRow("gemm 65 x 129 -> 67") << 65 << 129 << 67 << true;
    }
    void linearRowsMatchesItsOrder() {
        QFETCH(int, rows);
        QFETCH(int, in);
        QFETCH(int, out);
        QFETCH(bool, bias);
        IsaGuard guard;
        const Mat x = gradcheck::randomMat(rows, in, 1, -2, 2), w = gradcheck::randomMat(out, in, 2, -1, 1);
        const Mat b = gradcheck::randomMat(1, out, 3, -1, 1);
        const Mat ref = referenceOrder(x, w, bias ? &b : nullptr);
        // Double precision: the order only moves the last bits.
        Eigen::MatrixXd exact = x.cast<double>() * w.cast<double>().transpose();
        if (bias) exact.rowwise() += b.cast<double>().row(0);
        for (nn::Isa isa : paths()) {
            nn::setIsa(isa);
            const Mat y = nn::linearRows(x, w, bias ? &b : nullptr);
            QVERIFY2(sameBits(y, ref), qPrintable(QString::fromStdString(nn::isaName(isa)) + " differs from the documented order"));
            QVERIFY((y.cast<double>() - exact).cwiseAbs().maxCoeff() < 1e-4 * std::sqrt(double(in)));
            // Each row alone gives the same bits as in the batch (extend() == n single steps).
            for (int r = 0; r < rows; r += std::max(1, rows / 5)) {
                const Mat one = nn::linearRows(x.row(r), w, bias ? &b : nullptr);
                QVERIFY(sameBits(one, y.row(r)));
            }
        }
    }

    // Each wider path against SSE2, bit for bit, on 1 and 2 threads: products (GEMM, GEMV, row counts 1-7 that leave
    // 1-3 rows after the 4-row blocks, weight-row counts that are not a multiple of 8 or 16, inputs that are not a
    // multiple of 8), a training step and decode steps. A CPU without the path skips its rows and says which.
    void widerPathsGiveSse2Bits_data() {
        QTest::addColumn<QString>("isa");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("in");
        QTest::addColumn<int>("out");
        for (const char* isa : {"avx2", "avx512"}) {
            const auto row = [&](const char* name, const char* kind, int n, int in, int out) {
                QTest::addRow("%s: %s", isa, name) << QString(isa) << QString(kind) << n << in << out;
            };
            row("gemm 128^3", "product", 128, 128, 128);
            row("gemm 65 x 129 -> 67", "product", 65, 129, 67);
            row("gemv 1 x 768 -> 768", "product", 1, 768, 768);
            row("gemv 1 x 9 -> 17", "product", 1, 9, 17);
            row("gemv 1 x 777 -> 1001 (a streamed weight: the prefetching 2-row tile)", "product", 1, 777, 1001);
            row("n 1, in 1, out 1", "product", 1, 1, 1);
            row("n 2, in 7, out 3", "product", 2, 7, 3);
            row("n 3, in 9, out 13", "product", 3, 9, 13);
            row("n 4, in 1, out 31", "product", 4, 1, 31);
            row("n 4, in 8, out 15 (8 + 4 + 2 + 1 outputs)", "product", 4, 8, 15);
            row("n 5, in 768, out 23", "product", 5, 768, 23);
            row("n 6, in 17, out 33", "product", 6, 17, 33);
            row("n 7, in 300, out 1001 (split over threads)", "product", 7, 300, 1001);
            row("n 96, in 128, out 384 (a training product)", "product", 96, 128, 384);
            row("training step, C 128", "training step", 0, 128, 0);
            row("training step, C 44 (input tails)", "training step", 0, 44, 0);
            row("decode steps, C 128", "decode step", 0, 128, 0);
            row("decode steps, C 44 (input tails)", "decode step", 0, 44, 0);
        }
    }
    void widerPathsGiveSse2Bits() {
        QFETCH(QString, isa);
        QFETCH(QString, kind);
        QFETCH(int, n);
        QFETCH(int, in);
        QFETCH(int, out);
        const nn::Isa wide = isa == "avx2" ? nn::Isa::Avx2 : nn::Isa::Avx512;
        QCOMPARE(QString::fromStdString(nn::isaName(wide)), isa);
        if (!nn::isaSupported(wide))
            QSKIP(qPrintable("this CPU has no " + isa + " (__builtin_cpu_supports): the " + isa + " path cannot run here"));
        IsaGuard guard;
        // The outputs of one run: the product (with a bias, and without), or every parameter after one AdamW step,
        // or the logits of two extend() passes and single steps.
        const auto runOn = [&](nn::Isa path, int threads) {
            nn::setIsa(path);
            nn::setKernelThreads(threads);
            std::vector<Mat> outs;
            if (kind == "product") {
                const Mat x = gradcheck::randomMat(n, in, 51, -2, 2), w = gradcheck::randomMat(out, in, 52, -1, 1);
                const Mat b = gradcheck::randomMat(1, out, 53, -1, 1);
                outs.push_back(nn::linearRows(x, w, &b));
                outs.push_back(nn::linearRows(x, w));
                outs.push_back(nn::matmulTN(x.transpose(), w.transpose()));
                outs.push_back(nn::matmulNN(x, w.transpose()));
            } else if (kind == "training step") {
                TinyGpt model = smallModel(in);
                Adam opt(model.parameters(), 1e-2f, 0.9f, 0.999f, 1e-8f, 0.1f);
                const Tokens tokens{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, target{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
                Var loss = model.loss(tokens, target, 3, 4, true, nullptr);  // 3 sequences of 4: 12 rows
                opt.zeroGrad();
                backward(loss);
                opt.step();
                outs.push_back(loss.value());
                for (const auto& p : model.parameters()) outs.push_back(p.var.value());
            } else {
                const TinyGpt model = smallModel(in);
                auto s = model.newState();
                outs.push_back(model.extend(*s, Tokens{1, 2, 3, 4, 5, 6, 7}));  // 7 rows: a 4-row block and 3
                DecodeState* one = s.get();
                for (int token : {8, 9, 10}) outs.push_back(model.step({&one, 1}, {&token, 1}));
            }
            return outs;
        };
        for (int threads : {1, 2}) {
            const std::vector<Mat> ref = runOn(nn::Isa::Sse2, threads), got = runOn(wide, threads);
            QCOMPARE(got.size(), ref.size());
            for (size_t i = 0; i < ref.size(); ++i)
                QVERIFY2(sameBits(got[i], ref[i]), qPrintable(QString("%1 output %2 differs from sse2 on %3 threads").arg(isa).arg(i).arg(threads)));
        }
        if (kind == "product") {  // and both follow the documented order
            const Mat x = gradcheck::randomMat(n, in, 51, -2, 2), w = gradcheck::randomMat(out, in, 52, -1, 1);
            const Mat b = gradcheck::randomMat(1, out, 53, -1, 1);
            nn::setIsa(wide);
            QVERIFY(sameBits(nn::linearRows(x, w, &b), referenceOrder(x, w, &b)));
        }
    }

    // The order must be able to fail: a plain dot product (one running sum) differs in some bits.
    void referenceDiffersFromANaiveSum() {
        const Mat x = gradcheck::randomMat(4, 256, 4, -2, 2), w = gradcheck::randomMat(64, 256, 5, -1, 1);
        const Mat naive = (x.cast<double>() * w.cast<double>().transpose()).cast<float>();
        QVERIFY(!sameBits(naive, nn::linearRows(x, w)));
    }

    // One decode step of a whole model (every kernel path it takes) gives identical bits on every ISA.
    void modelStepSameBitsOnEveryIsa() {
        IsaGuard guard;
        const TinyGpt model = smallModel(44);  // 44: not a multiple of 8, the tail is exercised
        std::vector<Mat> outs;
        for (nn::Isa isa : paths()) {
            nn::setIsa(isa);
            auto s = model.newState();
            model.extend(*s, Tokens{1, 2, 3});
            outs.push_back(model.extend(*s, Tokens{4, 5, 6, 7, 8}));
        }
        for (const Mat& m : outs) QVERIFY(sameBits(m, outs[0]));
    }

    // 1, 2 and 3 kernel threads: the same bits for a product big enough to be split, and for a model's passes.
    void threadsGiveTheSameBits() {
        IsaGuard guard;
        const Mat x = gradcheck::randomMat(7, 300, 8, -2, 2), w = gradcheck::randomMat(1001, 300, 9, -1, 1);
        const Mat b = gradcheck::randomMat(1, 1001, 10, -1, 1);
        const TinyGpt model = smallModel(256);  // 256 x 768 per step: split with more than one thread
        std::vector<Mat> products, steps;
        for (int threads : {1, 2, 3}) {
            nn::setKernelThreads(threads);
            products.push_back(nn::linearRows(x, w, &b));
            auto s = model.newState();
            model.extend(*s, Tokens{1, 2, 3});
            steps.push_back(model.extend(*s, Tokens{4, 5, 6, 7}));
        }
        QVERIFY(sameBits(products[0], referenceOrder(x, w, &b)));
        for (size_t i = 1; i < products.size(); ++i) {
            QVERIFY(sameBits(products[i], products[0]));
            QVERIFY(sameBits(steps[i], steps[0]));
        }
    }

    // KV-cached decode steps long enough that the step's attention is split over the threads by heads give the
    // same bits on 1 and 2 threads: every step's logits and the last step's attention rows, for the three step
    // paths (a TinyGPT, a GPT-2 folder read into one with tanh GELU, a llama2.c checkpoint with grouped-query
    // attention), each 4 heads of width 32, 180 steps (split from 128 positions on).
    void decodeStepsWithSplitAttention_data() {
        QTest::addColumn<QString>("family");
        QTest::newRow("tinygpt") << "tinygpt";
        QTest::newRow("gpt2") << "gpt2";
        QTest::newRow("llama, 2 kv heads") << "llama";
    }
    void decodeStepsWithSplitAttention() {
        QFETCH(QString, family);
        IsaGuard guard;
        constexpr int kSteps = 180, kContext = 192, kEmbd = 128, kHeads = 4;
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        std::unique_ptr<LanguageModel> model;
        nn::Heads heads(kHeads);
        if (family == "tinygpt") {
            TinyGpt m = smallModel(kEmbd);
            TinyGptConfig cfg = m.config();
            cfg.contextLength = kContext;
            model = std::make_unique<TinyGpt>(cfg, m.tokenizer(), 7);
        } else if (family == "gpt2") {
            realfiles::writeGpt2Folder(dir.path().toStdString(), realfiles::randomGpt2(4, 2, kHeads, kEmbd, kContext));
            model = loadGpt2(dir.path().toStdString());
        } else {
            realfiles::LlamaShape s;
            s.dim = kEmbd;
            s.hidden = 256;
            s.heads = kHeads;
            s.kvHeads = 2;
            s.seqLen = kContext;
            heads = nn::Heads(kHeads, s.kvHeads);
            const std::string path = (dir.path() + "/model.bin").toStdString();
            realfiles::writeFile(path, realfiles::llamaLegacyBytes(s, realfiles::randomLlama(s, 3)));
            realfiles::writeFile((dir.path() + "/tokenizer.bin").toStdString(), realfiles::llamaTokenizerBin(s.vocab));
            model = loadLlama2c(path);
        }
        QCOMPARE(model->contextLength(), kContext);
        const nn::QkvLayout lay{heads, kEmbd / kHeads, kEmbd, heads.kv * (kEmbd / kHeads)};
        std::vector<Mat> logits, attention;
        for (int threads : {1, 2}) {
            nn::setKernelThreads(threads);
            // The split must happen on 2 threads for the later steps (else this test proves nothing), never on 1:
            // attendCached's work over n positions is 2 H n D multiply-adds in H parts.
            QCOMPARE(nn::worthSplitting(2.0 * kHeads * kSteps * lay.D, kHeads), threads > 1);
            QVERIFY(!nn::worthSplitting(2.0 * kHeads * 8 * lay.D, kHeads));  // the first steps are not split
            auto state = model->newState();
            DecodeState* s = state.get();
            Mat rows(kSteps, model->vocabSize());
            for (int t = 0; t < kSteps; ++t) {
                const int token = (7 * t + 3) % model->vocabSize();
                rows.row(t) = model->step({&s, 1}, {&token, 1}).row(0);
            }
            logits.push_back(std::move(rows));
            const std::vector<Mat> att = model->lastAttention(*state);
            QCOMPARE(int(att.size()), 2);
            QCOMPARE(att[0].rows(), Index(kHeads));
            QCOMPARE(att[0].cols(), Index(kSteps));
            attention.insert(attention.end(), att.begin(), att.end());
        }
        QVERIFY(sameBits(logits[1], logits[0]));
        QVERIFY(sameBits(attention[2], attention[0]));
        QVERIFY(sameBits(attention[3], attention[1]));
    }

    // Two callers at once (two decoding jobs): the second finds the pool busy and works alone; both are right.
    void concurrentCallers() {
        IsaGuard guard;
        nn::setKernelThreads(2);
        const Mat x = gradcheck::randomMat(4, 256, 11, -2, 2), w = gradcheck::randomMat(2048, 256, 12, -1, 1);
        const Mat ref = referenceOrder(x, w, nullptr);
        std::atomic<int> wrong{0};
        std::vector<std::thread> callers;
        for (int c = 0; c < 3; ++c)
            callers.emplace_back([&] {
                for (int i = 0; i < 20; ++i)
                    if (!sameBits(nn::linearRows(x, w), ref)) ++wrong;
            });
        for (auto& t : callers) t.join();
        QCOMPARE(wrong.load(), 0);
    }

    // One training step (forward, backward, AdamW) gives the same weights whatever ISA and thread count.
    void trainingStepSameBits() {
        IsaGuard guard;
        std::vector<std::vector<float>> after;
        for (nn::Isa isa : paths())
            for (int threads : {1, 2}) {
                nn::setIsa(isa);
                nn::setKernelThreads(threads);
                TinyGpt model = smallModel(128);  // qkv 8 x 128 -> 384 and its dW: big enough to be split
                Adam opt(model.parameters(), 1e-2f, 0.9f, 0.999f, 1e-8f, 0.1f);  // AdamW: decoupled weight decay 0.1
                const Tokens in{1, 2, 3, 4, 5, 6, 7, 8}, target{2, 3, 4, 5, 6, 7, 8, 9};
                Var loss = model.loss(in, target, 2, 4, true, nullptr);
                opt.zeroGrad();
                backward(loss);
                opt.step();
                std::vector<float> w;
                for (const auto& p : model.parameters()) w.insert(w.end(), p.var.value().data(), p.var.value().data() + p.var.value().size());
                after.push_back(std::move(w));
            }
        for (const auto& w : after) QVERIFY(w == after[0]);
    }

    // Training's products: matmulNN, matmulTN and matmulNT of 16 rows or more read both operands along their rows
    // (kernels_product_body.h: the 8 partial sums in 8 registers, B or b^T packed in strips, A^T's rows packed);
    // matmulNT of fewer rows is linearRows. Each equals the documented order (with matmulNT's bias too), bit for
    // bit, on every ISA and thread count. Shapes: split
    // over threads; rows not a multiple of 8 (single rows after the 8-row blocks); columns that leave a one-register
    // strip and single columns (32 + 16 + 2); K below 8 (the tail only), exactly 8 (no tail) and with a tail.
    void trainingProductsFollowTheOrder_data() {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("m");
        QTest::newRow("B*T 96, C 128 -> 384") << 96 << 128 << 384;
        QTest::newRow("odd 67 x 131 -> 45") << 67 << 131 << 45;
        QTest::newRow("one row") << 1 << 300 << 1001;
        QTest::newRow("K 5: the tail only") << 9 << 5 << 20;
        QTest::newRow("K 8: one add per partial sum, no tail") << 8 << 8 << 16;
        QTest::newRow("17 x 64 -> 50 (32 + 16 + 2 columns)") << 17 << 64 << 50;
        QTest::newRow("dW-like 128 x 200 -> 96, split") << 128 << 200 << 96;
    }
    void trainingProductsFollowTheOrder() {
        QFETCH(int, n);
        QFETCH(int, k);
        QFETCH(int, m);
        IsaGuard guard;
        const Mat a = gradcheck::randomMat(n, k, 21, -2, 2), b = gradcheck::randomMat(m, k, 22, -1, 1);  // (N, K), (M, K)
        const Mat bKM = b.transpose(), aKN = a.transpose();                                              // (K, M), (K, N)
        const Mat ref = referenceOrder(a, b, nullptr);                                                   // (N, M)
        const Mat bias = gradcheck::randomMat(1, m, 23, -1, 1);
        const Mat refBias = referenceOrder(a, b, &bias);
        for (nn::Isa isa : paths())
            for (int threads : {1, 2}) {
                nn::setIsa(isa);
                nn::setKernelThreads(threads);
                const QString where = QString::fromStdString(nn::isaName(isa)) + QString(", %1 threads").arg(threads);
                QVERIFY2(sameBits(nn::matmulNT(a, b), ref), qPrintable("matmulNT, " + where));
                QVERIFY2(sameBits(nn::matmulNT(a, b, &bias), refBias), qPrintable("matmulNT + bias, " + where));
                QVERIFY2(sameBits(nn::matmulNN(a, bKM), ref), qPrintable("matmulNN, " + where));
                QVERIFY2(sameBits(nn::matmulTN(aKN, bKM), ref), qPrintable("matmulTN, " + where));
                // A block of a larger matrix (a row stride that is not its width) gives the same bits.
                Mat wide = Mat::Zero(n, k + 5);
                wide.leftCols(k) = a;
                QVERIFY2(sameBits(nn::matmulNT(wide.leftCols(k), b), ref), qPrintable("strided a, " + where));
                Mat wideB = Mat::Zero(m, k + 3);
                wideB.rightCols(k) = b;
                QVERIFY2(sameBits(nn::matmulNT(a, wideB.rightCols(k)), ref), qPrintable("strided b, " + where));
                QVERIFY2(sameBits(nn::matmulNN(wide.leftCols(k), bKM), ref), qPrintable("strided NN, " + where));
                Mat wideK = Mat::Zero(k, m + 2);
                wideK.leftCols(m) = bKM;
                QVERIFY2(sameBits(nn::matmulTN(aKN, wideK.leftCols(m)), ref), qPrintable("strided TN, " + where));
                Mat wideA = Mat::Zero(k, n + 3);
                wideA.rightCols(n) = aKN;
                QVERIFY2(sameBits(nn::matmulTN(wideA.rightCols(n), bKM), ref), qPrintable("strided TN a, " + where));
            }
    }

    // columnSums against Eigen's colwise().sum() (and of a cwiseProduct), bit for bit: row counts around the groups of
    // four, column counts around Eigen's packets (whole packets, a tail, fewer columns than a packet), special values.
    void columnSumsAreEigensBits_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        for (int n : {1, 2, 3, 4, 5, 6, 9, 64, 767, 768})
            for (int m : {1, 3, 4, 5, 17, 128, 131})
                QTest::newRow(qPrintable(QString("%1 x %2").arg(n).arg(m))) << n << m;
    }
    void columnSumsAreEigensBits() {
        QFETCH(int, rows);
        QFETCH(int, cols);
        Mat a = gradcheck::randomMat(rows, cols, 51, -3, 3), b = gradcheck::randomMat(rows, cols, 52, -2, 2);
        a(0, 0) = 1e30f;  // large terms make the order of the additions show in the bits
        if (a.size() > 2) a.data()[a.size() - 1] = -1e30f;
        const Mat sum = a.colwise().sum(), product = a.cwiseProduct(b).colwise().sum();
        QVERIFY(sameBits(nn::columnSums(a), sum));
        QVERIFY(sameBits(nn::columnSums(a, &b), product));
    }
    void columnSumsRefusesMismatchedShapes() {
        const Mat a = Mat::Ones(3, 4), b = Mat::Ones(4, 3);
        try {
            nn::columnSums(a, &b);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(QString(e.what()), QString("columnSums: (3, 4) against (4, 3)"));
        }
    }

    // A row's softmax and log-softmax do not depend on where the row sits in memory: the same values at each offset
    // of a packet (row b of a (B, S) block starts at b*S floats) give the bits of the aligned row. Before the kernels'
    // scratch row, Eigen did the elements before the first aligned one with std::exp and the rest with its packet exp.
    void softmaxIgnoresAlignment_data() {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("offset");
        for (int n : {1, 3, 4, 5, 7, 8, 13, 64, 101})
            for (int offset : {1, 2, 3, 5})
                QTest::newRow(qPrintable(QString("n %1, offset %2").arg(n).arg(offset))) << n << offset;
    }
    void softmaxIgnoresAlignment() {
        QFETCH(int, n);
        QFETCH(int, offset);
        const Mat x = gradcheck::randomMat(1, n, 61 + n, -30, 30);
        for (auto kernel : {&nn::softmaxInPlace, &nn::logSoftmaxInPlace}) {
            RowVec aligned = x.row(0), buffer = RowVec::Constant(n + 8, -7.0f);
            buffer.segment(offset, n) = x.row(0);
            kernel(aligned.data(), n);
            kernel(buffer.data() + offset, n);
            QVERIFY(sameBits(buffer.segment(offset, n), aligned));
            QCOMPARE(buffer.head(offset), RowVec::Constant(offset, -7.0f));  // nothing written outside the row
            QCOMPARE(buffer.tail(8 - offset), RowVec::Constant(8 - offset, -7.0f));
        }
        // and the values are a softmax (against double precision)
        RowVec p = x.row(0);
        nn::softmaxInPlace(p.data(), n);
        const Eigen::RowVectorXd e = (x.row(0).cast<double>().array() - double(x.maxCoeff())).exp().matrix();
        QVERIFY((p.cast<double>() - e / e.sum()).cwiseAbs().maxCoeff() < 1e-6);
    }

    // LayerNorm gives a row the same bits alone and among other rows (its 1 / sqrt is exact for every row: Eigen's
    // fast-math packet rsqrt, an rsqrtps approximation, used to take groups of 4 rows and the scalar path the rest).
    void layerNormRowAloneOrInAGroup_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        for (int n : {4, 5, 8, 9})
            for (int c : {7, 64, 768}) QTest::newRow(qPrintable(QString("%1 x %2").arg(n).arg(c))) << n << c;
    }
    void layerNormRowAloneOrInAGroup() {
        QFETCH(int, rows);
        QFETCH(int, cols);
        const Mat x = gradcheck::randomMat(rows, cols, 71, -4, 4), gamma = gradcheck::randomMat(1, cols, 72, 0.5, 1.5),
                  beta = gradcheck::randomMat(1, cols, 73, -1, 1);
        ColVec rstd;
        const Mat all = nn::layerNormRows(x, gamma, beta, 1e-5f, nullptr, &rstd);
        for (Index r = 0; r < rows; ++r) {
            QVERIFY2(sameBits(nn::layerNormRows(x.row(r), gamma, beta, 1e-5f), all.row(r)), qPrintable(QString("row %1").arg(r)));
            const float mean = x.row(r).mean(), var = (x.row(r).array() - mean).square().sum() / float(cols);
            QCOMPARE(rstd(r), 1.0f / std::sqrt(var + 1e-5f));  // correctly rounded sqrt, then the division
        }
    }

    // ops::matmul and ops::matmulNT: the forward and both backward products give the same bits on every ISA
    // and thread count, and the gradients are right (finite differences, tests/gradcheck.h).
    void matmulBackwardSameBitsAndRight() {
        IsaGuard guard;
        const Mat x = gradcheck::randomMat(96, 128, 31), w = gradcheck::randomMat(384, 128, 32), g = gradcheck::randomMat(96, 384, 33);
        std::vector<std::vector<Mat>> runs;
        for (nn::Isa isa : paths())
            for (int threads : {1, 2}) {
                nn::setIsa(isa);
                nn::setKernelThreads(threads);
                Var xv = Var::param(x), wv = Var::param(w), wt = Var::param(w.transpose());
                Var y1 = ops::matmulNT(xv, wv), y2 = ops::matmul(xv, wt);  // both (96, 384)
                backward(ops::sum(ops::mul(ops::add(y1, y2), Var(g))));
                runs.push_back({y1.value(), y2.value(), xv.grad(), wv.grad(), wt.grad()});
            }
        for (const auto& r : runs)
            for (size_t i = 0; i < r.size(); ++i) QVERIFY2(sameBits(r[i], runs[0][i]), qPrintable(QString("product %1").arg(i)));
        QVERIFY(sameBits(runs[0][0], runs[0][1]));  // x W^T and x (W^T): the same rows, the same order
        // ops::linear (a Linear layer's node) gives the bits of matmulNT then addRow, forward and backward.
        const Mat bias = gradcheck::randomMat(1, 384, 34);
        for (nn::Isa isa : paths())
            for (int threads : {1, 2}) {
                nn::setIsa(isa);
                nn::setKernelThreads(threads);
                std::vector<Mat> twoOps, oneOp;
                for (bool fused : {false, true}) {
                    Var xv = Var::param(x), wv = Var::param(w), bv = Var::param(bias);
                    Var y = fused ? ops::linear(xv, wv, bv) : ops::addRow(ops::matmulNT(xv, wv), bv);
                    backward(ops::sum(ops::mul(y, Var(g))));
                    (fused ? oneOp : twoOps) = {y.value(), xv.grad(), wv.grad(), bv.grad()};
                }
                for (size_t i = 0; i < oneOp.size(); ++i) QVERIFY2(sameBits(oneOp[i], twoOps[i]), qPrintable(QString("linear %1").arg(i)));
            }
        for (int threads : {1, 2}) {
            nn::setKernelThreads(threads);
            auto nt = gradcheck::check([](const std::vector<Var>& in) { return ops::matmulNT(in[0], in[1]); },
                                       {gradcheck::randomMat(5, 19, 41), gradcheck::randomMat(11, 19, 42)});
            QVERIFY2(nt.ok, nt.report.c_str());
            auto nn = gradcheck::check([](const std::vector<Var>& in) { return ops::matmul(in[0], in[1]); },
                                       {gradcheck::randomMat(5, 19, 43), gradcheck::randomMat(19, 11, 44)});
            QVERIFY2(nn.ok, nn.report.c_str());
        }
    }

    void badThreadCounts() {
        QVERIFY(testutil::errorOf([] { nn::parseThreadCount("0", "--threads"); }).contains("--threads '0' is not a thread count from 1 to 64"));
        QVERIFY(testutil::errorOf([] { nn::parseThreadCount("two", "ARLAB_THREADS"); }).contains("ARLAB_THREADS 'two'"));
        QVERIFY(testutil::errorOf([] { nn::parseThreadCount("3x", "--threads"); }).contains("'3x'"));
        QVERIFY(testutil::errorOf([] { nn::setKernelThreads(65); }).contains("from 1 to 64"));
        QCOMPARE(nn::parseThreadCount("2", "--threads"), 2);
    }

    // The path a user runs: arlab-cli with --threads 1 / 2 and ARLAB_ISA=sse2 / the default prints the same logits
    // and draws the same tokens; bad values are named.
    void cliThreadsAndIsa() {
        const QStringList args{"generate", testutil::shipped("toy-target"), "--steps", "12", "--seed", "3", "--json"};
        const testutil::Run one = testutil::cli(args + QStringList{"--threads", "1"});
        QCOMPARE(one.code, 0);
        const testutil::Run two = testutil::cli(QStringList{"generate", "--threads", "2"} + args.mid(1));
        QCOMPARE(two.code, 0);
        QCOMPARE(two.out, one.out);
        testutil::RunOptions sse2;
        sse2.env.insert("ARLAB_ISA", "sse2");
        sse2.env.insert("ARLAB_THREADS", "2");
        const testutil::Run forced = testutil::cli(args, sse2);
        QCOMPARE(forced.code, 0);
        QCOMPARE(forced.out, one.out);
        for (nn::Isa isa : paths()) {  // every path this CPU has, forced by name
            testutil::RunOptions opt;
            opt.env.insert("ARLAB_ISA", QString::fromStdString(nn::isaName(isa)));
            const testutil::Run run = testutil::cli(args, opt);
            QCOMPARE(run.code, 0);
            QCOMPARE(run.out, one.out);
        }

        QCOMPARE(testutil::cli(args + QStringList{"--threads", "0"}).code, 1);
        QVERIFY(testutil::cli(args + QStringList{"--threads", "0"}).errText().contains("--threads '0' is not a thread count from 1 to 64"));
        QVERIFY(testutil::cli(args + QStringList{"--threads"}).errText().contains("--threads needs a value"));
        testutil::RunOptions bad;
        bad.env.insert("ARLAB_ISA", "neon");
        const testutil::Run isa = testutil::cli(args, bad);
        QCOMPARE(isa.code, 1);
        QVERIFY(isa.errText().contains("ARLAB_ISA='neon' is not one of sse2, avx2, avx512"));
        for (nn::Isa missing : {nn::Isa::Avx2, nn::Isa::Avx512})  // forcing a path this CPU lacks (none here, maybe)
            if (!nn::isaSupported(missing)) {
                const QString name = QString::fromStdString(nn::isaName(missing));
                bad.env.insert("ARLAB_ISA", name);
                const testutil::Run lacks = testutil::cli(args, bad);
                QCOMPARE(lacks.code, 1);
                QVERIFY(lacks.errText().contains("ARLAB_ISA=" + name + ": this CPU has no " + name));
            }
        bad.env.insert("ARLAB_ISA", "sse2");
        bad.env.insert("ARLAB_THREADS", "many");
        QVERIFY(testutil::cli(args, bad).errText().contains("ARLAB_THREADS 'many' is not a thread count"));
    }

    void badShapesAndIsaNames() {
        const Mat x(2, 5), w(3, 4), b(1, 2);
        QVERIFY(testutil::errorOf([&] { nn::matmulNN(x, w); }).contains("matmulNN: inner dimensions differ ((2, 5) and (3, 4))"));
        QVERIFY(testutil::errorOf([&] { nn::matmulTN(x, w); }).contains("matmulTN: inner dimensions differ"));
        QVERIFY(testutil::errorOf([&] { nn::matmulNT(x, w); }).contains("matmulNT: inner dimensions differ"));
        QVERIFY(testutil::errorOf([&] { nn::linearRows(x, w); }).contains("5 inputs against a (3, 4) weight"));
        const Mat w5(3, 5);
        QVERIFY(testutil::errorOf([&] { nn::linearRows(x, w5, &b); }).contains("2 biases"));
    }

    // ARLAB_ISA's values: each path by name (or, on a CPU without it, the error naming it), anything else named
    // with the choices.
    void isaNames_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("isa");  // -1: not a path's name
        QTest::newRow("sse2") << "sse2" << int(nn::Isa::Sse2);
        QTest::newRow("avx2") << "avx2" << int(nn::Isa::Avx2);
        QTest::newRow("avx512") << "avx512" << int(nn::Isa::Avx512);
        QTest::newRow("neon") << "neon" << -1;
        QTest::newRow("upper case") << "AVX512" << -1;
        QTest::newRow("avx512f (the CPU flag, not the path)") << "avx512f" << -1;
        QTest::newRow("avx1024") << "avx1024" << -1;
        QTest::newRow("trailing space") << "avx2 " << -1;
    }
    void isaNames() {
        QFETCH(QString, value);
        QFETCH(int, isa);
        const std::string name = value.toStdString();
        if (isa < 0) {
            QVERIFY(testutil::errorOf([&] { nn::parseIsa(name); }).contains("ARLAB_ISA='" + value + "' is not one of sse2, avx2, avx512"));
            return;
        }
        QCOMPARE(nn::isaName(nn::Isa(isa)), name);
        if (nn::isaSupported(nn::Isa(isa))) {
            QCOMPARE(nn::parseIsa(name), nn::Isa(isa));
        } else {
            QVERIFY(testutil::errorOf([&] { nn::parseIsa(name); }).contains("ARLAB_ISA=" + value + ": this CPU has no " + value));
            QVERIFY(testutil::errorOf([&] { nn::setIsa(nn::Isa(isa)); }).contains("this CPU has no " + value));
        }
    }
};

QTEST_APPLESS_MAIN(TestKernels)
#include "tst_core_kernels.moc"
