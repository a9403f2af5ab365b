// Recurrent cells and the CharRnn language model: finite-difference gradient checks of the fused cells,
// PyTorch's conventions checked against steps computed by hand, causality, truncated BPTT.
#include "core/io/modelfile.h"
#include "core/models/charrnn.h"
#include "core/nn/recurrent.h"
#include "core/random.h"
#include "core/training/optimizer.h"
#include "gradcheck.h"

#include "core/error.h"
#include "testpaths.h"

#include <QDir>
#include <QtTest>

#include <cmath>
#include <functional>

using namespace ar;

namespace {

Mat randomMat(Index r, Index c, Rng& rng, float scale = 0.5f) {
    Mat m(r, c);
    for (Index i = 0; i < m.size(); ++i) m.data()[i] = float(rng.normal(0.0, scale));
    return m;
}

double sigm(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Checks d(out)/d(input) of every input (in place: module parameters too) against central differences.
void gradCheck(const std::vector<Var>& inputs, const gradcheck::Function& f) {
    const gradcheck::Result r = gradcheck::checkFunction(f, inputs, {.rtol = 2e-2, .atol = 2e-3, .seed = 7});
    QVERIFY2(r.ok, r.report.c_str());
}

}  // namespace

class TestRecurrent : public QObject {
    Q_OBJECT
private slots:
    void cellGradients_data() {
        QTest::addColumn<QString>("cell");
        QTest::newRow("rnn") << "rnn";
        QTest::newRow("lstm") << "lstm";
        QTest::newRow("gru") << "gru";
    }
    void cellGradients() {
        QFETCH(QString, cell);
        const nn::CellType t = nn::parseCellType(cell.toStdString());
        const int G = nn::gateCount(t), B = 3, In = 4, H = 5;
        Rng rng(1);
        std::vector<Var> in = {Var::param(randomMat(B, In, rng)), Var::param(randomMat(B, H, rng)),
                               Var::param(randomMat(B, H, rng)),  // c (unused except LSTM)
                               Var::param(randomMat(G * H, In, rng)), Var::param(randomMat(G * H, H, rng)),
                               Var::param(randomMat(1, G * H, rng)), Var::param(randomMat(1, G * H, rng))};
        gradCheck(in, [t](const std::vector<Var>& v) {
            switch (t) {
            case nn::CellType::Rnn: return nn::rnnCell(v[0], v[1], v[3], v[4], v[5], v[6]);
            case nn::CellType::Gru: return nn::gruCell(v[0], v[1], v[3], v[4], v[5], v[6]);
            default: return nn::lstmCell(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
            }
        });
    }

    // Two steps through a 2-layer stack: gradients flow through time and across layers (and the c slices).
    void stackGradients_data() { cellGradients_data(); }
    void stackGradients() {
        QFETCH(QString, cell);
        Rng rng(2);
        nn::Recurrent r(nn::parseCellType(cell.toStdString()), 3, 4, 2, rng);
        std::vector<Var> in = {Var::param(randomMat(2, 3, rng)), Var::param(randomMat(2, 3, rng)), r.wih[0], r.whh[1],
                               r.bih[1], r.bhh[0]};
        gradCheck(in, [&r](const std::vector<Var>& v) {
            nn::RecurrentState s = r.zeroState(2);
            r.step(v[0], s);
            Var top = r.step(v[1], s);
            return s.c.empty() ? top : ops::concatCols({top, s.c[0]});
        });
    }

    // PyTorch gate order i, f, g, o: with every weight zero and only the forget-gate block of bias_ih set,
    // i = o = sigmoid(0) = 1/2, g = tanh(0) = 0, so c' = sigmoid(b_f) * c and h' = tanh(c') / 2.
    void lstmForgetGateBiasOnly() {
        const int H = 3;
        Var x(Mat::Zero(1, 2)), h(Mat::Zero(1, H));
        Mat c0(1, H);
        c0 << 1.0f, -2.0f, 0.5f;
        Mat bih = Mat::Zero(1, 4 * H);
        bih.middleCols(H, H).setConstant(2.0f);  // the forget block is the SECOND block
        Var out = nn::lstmCell(x, h, Var(c0), Var(Mat::Zero(4 * H, 2)), Var(Mat::Zero(4 * H, H)), Var(bih),
                               Var(Mat::Zero(1, 4 * H)));
        for (int j = 0; j < H; ++j) {
            const double c1 = sigm(2.0) * c0(0, j);
            QVERIFY(std::abs(out.value()(0, H + j) - c1) < 1e-6);
            QVERIFY(std::abs(out.value()(0, j) - 0.5 * std::tanh(c1)) < 1e-6);
        }
    }

    // A full LSTM and GRU step computed element by element with the PyTorch documentation's formulas.
    void handComputedSteps() {
        Rng rng(3);
        const int In = 3, H = 4;
        const Mat x = randomMat(1, In, rng), h = randomMat(1, H, rng), c = randomMat(1, H, rng);
        {
            const Mat wih = randomMat(4 * H, In, rng), whh = randomMat(4 * H, H, rng);
            const Mat bih = randomMat(1, 4 * H, rng), bhh = randomMat(1, 4 * H, rng);
            Var out = nn::lstmCell(Var(x), Var(h), Var(c), Var(wih), Var(whh), Var(bih), Var(bhh));
            auto pre = [&](int gate, int j) {
                const int row = gate * H + j;
                double s = bih(0, row) + bhh(0, row);
                for (int k = 0; k < In; ++k) s += double(wih(row, k)) * x(0, k);
                for (int k = 0; k < H; ++k) s += double(whh(row, k)) * h(0, k);
                return s;
            };
            for (int j = 0; j < H; ++j) {
                const double i = sigm(pre(0, j)), f = sigm(pre(1, j)), g = std::tanh(pre(2, j)), o = sigm(pre(3, j));
                const double c1 = f * c(0, j) + i * g, h1 = o * std::tanh(c1);
                QVERIFY(std::abs(out.value()(0, j) - h1) < 1e-5);
                QVERIFY(std::abs(out.value()(0, H + j) - c1) < 1e-5);
            }
        }
        {
            const Mat wih = randomMat(3 * H, In, rng), whh = randomMat(3 * H, H, rng);
            const Mat bih = randomMat(1, 3 * H, rng), bhh = randomMat(1, 3 * H, rng);
            Var out = nn::gruCell(Var(x), Var(h), Var(wih), Var(whh), Var(bih), Var(bhh));
            auto lin = [&](const Mat& w, const Mat& b, const Mat& v, int row) {
                double s = b(0, row);
                for (Index k = 0; k < v.cols(); ++k) s += double(w(row, k)) * v(0, k);
                return s;
            };
            for (int j = 0; j < H; ++j) {
                const double r = sigm(lin(wih, bih, x, j) + lin(whh, bhh, h, j));
                const double z = sigm(lin(wih, bih, x, H + j) + lin(whh, bhh, h, H + j));
                const double n = std::tanh(lin(wih, bih, x, 2 * H + j) + r * lin(whh, bhh, h, 2 * H + j));
                const double h1 = (1 - z) * n + z * h(0, j);
                QVERIFY(std::abs(out.value()(0, j) - h1) < 1e-5);
            }
        }
    }

    void pytorchNames_data() { cellGradients_data(); }
    void pytorchNames() {
        QFETCH(QString, cell);
        Rng rng(4);
        const int V = 7, E = 5, H = 6;
        CharRnnConfig cfg;
        cfg.cell = nn::parseCellType(cell.toStdString());
        cfg.vocabSize = V, cfg.embd = E, cfg.hidden = H, cfg.layers = 2;
        CharRnn m(cfg, Tokenizer(Tokenizer::Kind::Char, {"a", "b", "c", "d", "e", "f", "g"}), rng);
        const int G = nn::gateCount(cfg.cell);
        std::map<std::string, std::vector<Index>> want = {
            {"embedding.weight", {V, E}}, {"rnn.weight_ih_l0", {G * H, E}}, {"rnn.weight_hh_l0", {G * H, H}},
            {"rnn.bias_ih_l0", {G * H}}, {"rnn.bias_hh_l0", {G * H}}, {"rnn.weight_ih_l1", {G * H, H}},
            {"rnn.weight_hh_l1", {G * H, H}}, {"rnn.bias_ih_l1", {G * H}}, {"rnn.bias_hh_l1", {G * H}},
            {"fc.weight", {V, H}}, {"fc.bias", {V}}};
        const ParamList p = m.parameters();
        QCOMPARE(p.size(), want.size());
        for (const auto& np : p) {
            QVERIFY2(want.count(np.name), np.name.c_str());
            const std::vector<Index> shape = np.shape.empty() ? std::vector<Index>{np.var.rows(), np.var.cols()} : np.shape;
            QVERIFY2(shape == want[np.name], np.name.c_str());
        }
        QCOMPARE(QString::fromStdString(m.kind()), cell);
    }

    // A later input never changes an earlier output; batched step == one-by-one step.
    void causalityAndBatching_data() { cellGradients_data(); }
    void causalityAndBatching() {
        QFETCH(QString, cell);
        Rng rng(5);
        CharRnnConfig cfg;
        cfg.cell = nn::parseCellType(cell.toStdString());
        cfg.vocabSize = 6, cfg.embd = 4, cfg.hidden = 8, cfg.layers = 2;
        CharRnn m(cfg, Tokenizer(Tokenizer::Kind::Char, {"a", "b", "c", "d", "e", "f"}), rng);
        const Tokens a = {0, 1, 2, 3, 4, 5, 1}, b = {0, 1, 2, 5, 5, 0, 0};
        const Mat la = m.logits(a), lb = m.logits(b);
        QVERIFY((la.topRows(3) - lb.topRows(3)).cwiseAbs().maxCoeff() == 0.0f);  // identical prefix
        QVERIFY((la.row(3) - lb.row(3)).cwiseAbs().maxCoeff() > 1e-4f);          // the change is seen
        // batched: two states at once give the same logits as one at a time
        auto s1 = m.newState(), s2 = m.newState();
        DecodeState* both[2] = {s1.get(), s2.get()};
        Mat last;
        for (size_t t = 0; t < a.size(); ++t) {
            const int toks[2] = {a[t], b[t]};
            last = m.step(std::span<DecodeState* const>(both, 2), std::span<const int>(toks, 2));
        }
        QVERIFY((last.row(0) - la.bottomRows(1)).cwiseAbs().maxCoeff() < 1e-5f);
        QVERIFY((last.row(1) - lb.bottomRows(1)).cwiseAbs().maxCoeff() < 1e-5f);
        QCOMPARE(s1->length(), int(a.size()));
        // chunkLoss (the training path) agrees with step(): the same logits give the same loss
        nn::RecurrentState st = m.zeroState(1);
        Tokens in(a.begin(), a.end() - 1), tg(a.begin() + 1, a.end());
        const float loss = m.chunkLoss({in}, {tg}, st).value()(0, 0);
        clearTape();
        const Mat l = m.logits(in);
        double ref = 0;
        for (Index t = 0; t < l.rows(); ++t) {
            const double mx = l.row(t).maxCoeff();
            double z = 0;
            for (Index v = 0; v < l.cols(); ++v) z += std::exp(double(l(t, v)) - mx);
            ref -= double(l(t, tg[size_t(t)])) - mx - std::log(z);
        }
        QVERIFY(std::abs(loss - ref / double(l.rows())) < 1e-4);
    }

    // Truncated BPTT: the hidden state carried over (detached) between chunks; the loss falls on a
    // periodic stream that needs memory longer than one chunk... at least the model learns the stream.
    void truncatedBpttLearns() {
        Rng rng(6);
        CharRnnConfig cfg;
        cfg.cell = nn::CellType::Lstm;
        cfg.vocabSize = 4, cfg.embd = 8, cfg.hidden = 16, cfg.layers = 1;
        CharRnn m(cfg, Tokenizer(Tokenizer::Kind::Char, {"a", "b", "c", "d"}), rng);
        Tokens stream;
        for (int i = 0; i < 400; ++i) stream.push_back((i * 3 + i / 4) % 4);
        Adam opt(m.parameters(), 1e-2f);
        const int T = 10, B = 4, per = int(stream.size()) / B;
        nn::RecurrentState carry = m.zeroState(B);
        float first = 0, last = 0;
        for (int epoch = 0; epoch < 30; ++epoch) {
            carry = m.zeroState(B);
            float sum = 0;
            int n = 0;
            for (int off = 0; off + T + 1 <= per; off += T) {
                std::vector<Tokens> in(B), tg(B);
                for (int b = 0; b < B; ++b) {
                    in[b].assign(stream.begin() + b * per + off, stream.begin() + b * per + off + T);
                    tg[b].assign(stream.begin() + b * per + off + 1, stream.begin() + b * per + off + T + 1);
                }
                carry = carry.detached();
                Var loss = m.chunkLoss(in, tg, carry);
                backward(loss);
                QVERIFY(!opt.guardedStep(loss.item()).has_value());
                sum += loss.item();
                ++n;
            }
            if (epoch == 0) first = sum / n;
            last = sum / n;
        }
        QVERIFY2(last < 0.3f * first, qPrintable(QString("loss %1 -> %2").arg(first).arg(last)));
    }
    // The shipped character LSTM loads by name through the generic loader, round-trips through a file
    // bit for bit, and prefers a grammatical sentence to the same letters scrambled.
    void shippedCharLstm() {
        const std::string path = testutil::modelPath("en-char-lstm");
        auto lm = loadLanguageModel(path);
        QCOMPARE(QString::fromStdString(lm->kind()), QString("lstm"));
        auto* rnn = dynamic_cast<CharRnn*>(lm.get());
        QVERIFY(rnn);
        const std::string tmp = QDir::tempPath().toStdString() + "/arlab-tst-charrnn.safetensors";
        saveCharRnn(*rnn, tmp);
        auto again = loadLanguageModel(tmp);
        const Tokens good = lm->tokenizer().encodeStrict("\nI ate apples yesterday\n");
        const Tokens bad = lm->tokenizer().encodeStrict("\nI apples ate yesterday\n");
        QVERIFY((lm->logits(good) - again->logits(good)).cwiseAbs().maxCoeff() == 0.0f);
        auto nll = [&](const Tokens& t) {
            const Mat l = lm->logits(t);
            double s = 0;
            for (size_t i = 0; i + 1 < t.size(); ++i) {
                const double mx = l.row(Index(i)).maxCoeff();
                s -= double(l(Index(i), t[i + 1])) - mx - std::log((l.row(Index(i)).array() - float(mx)).exp().sum());
            }
            return s;
        };
        QVERIFY(nll(good) + 5.0 < nll(bad));
        // a corrupted config is a clear error, not a crash
        SafeTensors f = readSafetensors(path);
        f.metadata["arlab.config"] = "{\"cell\":\"lstm\",\"vocab_size\":3}";
        try {
            loadLanguageModel(f, "model 'x'");
            QFAIL("a bad config was accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).startsWith("model 'x'"), e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestRecurrent)
#include "tst_core_recurrent.moc"
