// Mixture of experts: gradient checks (layer and balancing loss), routing against brute force (top-k, gates sum to
// 1 over the chosen experts, output = sum of gated experts), E = 1 equals a dense TinyGPT weight for weight,
// decoding = full forward, files, the trainer, and the shipped model (balanced load on held-out text, NLL against
// the dense model trained with the same recipe).
#include "testutil.h"
#include "core/error.h"
#include "core/io/modelfile.h"
#include "core/limits/moetrain.h"
#include "core/models/moegpt.h"
#include "core/models/tinygpt.h"
#include "gradcheck.h"

#include <QtTest>
#include <QJsonArray>
#include <cmath>

using namespace ar;

namespace {


nn::MoeMlp smallMoe(int C, int E, int F, int k, uint64_t seed) {
    Rng rng(seed);
    nn::MoeMlp m(C, E, F, k, rng, 0.3);
    Rng r2(seed + 1);  // larger weights than the init, so gradients are telling and router logits well separated
    for (nn::Linear* l : {&m.router}) l->weight.value() = gradcheck::randomMat(E, C, seed + 2, -1.5, 1.5);
    for (int e = 0; e < E; ++e) {
        m.fc[size_t(e)].weight.value() = gradcheck::randomMat(F, C, seed + 10 + uint64_t(e));
        m.proj[size_t(e)].weight.value() = gradcheck::randomMat(C, F, seed + 20 + uint64_t(e));
        m.fc[size_t(e)].bias.value() = gradcheck::randomMat(1, F, seed + 30 + uint64_t(e), -0.2, 0.2);
    }
    return m;
}

// Smallest gap between the k-th and (k+1)-th router logit over the rows: routing is piecewise, so finite
// differences are only meaningful when no perturbation can change the choice.
float routingMargin(const nn::MoeMlp& m, const Mat& x) {
    const Mat r = x * m.router.weight.value().transpose();
    float gap = INFINITY;
    for (Index n = 0; n < r.rows(); ++n) {
        std::vector<float> v(r.row(n).data(), r.row(n).data() + r.cols());
        std::sort(v.rbegin(), v.rend());
        if (m.topK < int(v.size())) gap = std::min(gap, v[size_t(m.topK) - 1] - v[size_t(m.topK)]);
    }
    return gap;
}

Mat gelu(const Mat& a) { return a.unaryExpr([](float v) { return 0.5f * v * (1.0f + std::erf(v * 0.70710678f)); }); }

}  // namespace

class TestMoe : public QObject {
    Q_OBJECT
private slots:
    void gradcheckLayer_data() {
        QTest::addColumn<int>("experts");
        QTest::addColumn<int>("k");
        QTest::newRow("4 experts, top-2") << 4 << 2;
        QTest::newRow("3 experts, top-1") << 3 << 1;
        QTest::newRow("2 experts, top-2 (all)") << 2 << 2;
    }
    void gradcheckLayer() {
        QFETCH(int, experts);
        QFETCH(int, k);
        const int N = 6, C = 4, F = 5;
        nn::MoeMlp base = smallMoe(C, experts, F, k, 3);
        const Mat x = gradcheck::randomMat(N, C, 4);
        gradcheck::Options opt;
        opt.eps = 1e-3;
        opt.rtol = 2e-2;
        opt.atol = 2e-3;
        // one step of eps moves a logit by at most eps * max(|W_r|, |x|) = 1.5 eps, a gap by 3 eps: keep 10x that
        QVERIFY2(routingMargin(base, x) > 10 * 3 * opt.eps, qPrintable(QString::number(routingMargin(base, x))));
        std::vector<Mat> inputs = {x, base.router.weight.value()};
        for (int e = 0; e < experts; ++e) {
            inputs.push_back(base.fc[size_t(e)].weight.value());
            inputs.push_back(base.proj[size_t(e)].weight.value());
        }
        const auto withInputs = [&](const std::vector<Var>& in) {
            nn::MoeMlp m = base;
            m.router.weight = in[1];
            for (int e = 0; e < experts; ++e) {
                m.fc[size_t(e)].weight = in[size_t(2 + 2 * e)];
                m.proj[size_t(e)].weight = in[size_t(3 + 2 * e)];
            }
            return m;
        };
        auto out = gradcheck::check([&](const std::vector<Var>& in) { return withInputs(in).forward(in[0]); }, inputs, opt);
        QVERIFY2(out.ok, out.report.c_str());
        // the balancing loss: its gradient reaches the router (and x) through the mean probabilities
        auto aux = gradcheck::check([&](const std::vector<Var>& in) {
            Var a;
            withInputs(in).forward(in[0], &a);
            return a;
        }, inputs, opt);  // the experts' weights get no gradient from it (checked as zeros)
        QVERIFY2(aux.ok, aux.report.c_str());
    }

    void routingMatchesBruteForce() {
        const int N = 40, C = 8, E = 5, F = 6, k = 2;
        const nn::MoeMlp m = smallMoe(C, E, F, k, 9);
        const Mat x = gradcheck::randomMat(N, C, 10);
        NoGradGuard ng;
        nn::MoeRouting r;
        Var aux;
        const Mat y = m.forward(Var(x), &aux, &r).value();
        QCOMPARE(r.experts.rows(), Index(N));
        QCOMPARE(r.experts.cols(), Index(k));
        std::vector<int> load(E, 0);
        for (Index n = 0; n < N; ++n) {
            // brute force: the router's softmax, the two largest, their renormalised probabilities
            RowVec logits = x.row(n) * m.router.weight.value().transpose();
            RowVec p = (logits.array() - logits.maxCoeff()).exp();
            p /= p.sum();
            QVERIFY((p - r.probs.row(n)).cwiseAbs().maxCoeff() < 1e-6f);
            std::vector<int> idx(E);
            std::iota(idx.begin(), idx.end(), 0);
            std::sort(idx.begin(), idx.end(), [&](int a, int b) { return p(a) > p(b); });
            const double chosenMass = p(idx[0]) + p(idx[1]);
            RowVec expect = RowVec::Zero(C);
            for (int j = 0; j < k; ++j) {
                QCOMPARE(r.experts(n, j), idx[size_t(j)]);
                QVERIFY(std::abs(r.gates(n, j) - p(idx[size_t(j)]) / chosenMass) < 1e-6);
                ++load[size_t(idx[size_t(j)])];
                const int e = idx[size_t(j)];
                const RowVec h = gelu(x.row(n) * m.fc[size_t(e)].weight.value().transpose() + m.fc[size_t(e)].bias.value());
                expect += r.gates(n, j) * (h * m.proj[size_t(e)].weight.value().transpose() + m.proj[size_t(e)].bias.value());
            }
            QVERIFY(std::abs(r.gates.row(n).sum() - 1.0f) < 1e-6f);  // gates sum to 1 over the chosen experts
            QVERIFY((y.row(n) - expect).cwiseAbs().maxCoeff() < 1e-5f);
        }
        QCOMPARE(r.load, load);
        // aux = E * sum_e f_e * mean_n p[n, e]
        double ref = 0;
        for (int e = 0; e < E; ++e) ref += double(load[size_t(e)]) / (N * k) * r.probs.col(e).mean();
        QVERIFY(std::abs(aux.item() - E * ref) < 1e-5);
    }

    void oneExpertIsDenseTinyGpt() {
        MoeGptConfig cfg;
        cfg.gpt.contextLength = 16;
        cfg.gpt.layers = 2;
        cfg.gpt.heads = 2;
        cfg.gpt.embd = 8;
        cfg.experts = 1;
        cfg.topK = 1;
        cfg.expertHidden = 32;
        const Tokenizer tok(Tokenizer::Kind::Char, {"a", "b", "c", "d", "e"});
        MoeGpt moe(cfg, tok, 5);
        Rng rng(6);
        for (const auto& p : moe.parameters())
            for (Index i = 0; i < p.var.value().size(); ++i) const_cast<Var&>(p.var).value().data()[i] += float(rng.normal(0, 0.3));
        TinyGpt dense(cfg.gpt, tok, 1);
        std::map<std::string, Var> byName;
        for (const auto& p : moe.parameters()) byName[p.name] = p.var;
        for (const auto& p : dense.parameters()) {
            std::string name = p.name;
            if (auto at = name.find("mlp."); at != std::string::npos) name.insert(at + 4, "experts.0.");
            QVERIFY2(byName.count(name), name.c_str());
            const_cast<Var&>(p.var).value() = byName[name].value();
        }
        const Tokens ids = {0, 3, 1, 4, 2, 2, 0, 1};
        const Mat a = moe.logits(ids), b = dense.logits(ids);
        QVERIFY2((a - b).cwiseAbs().maxCoeff() < 1e-5f, "E = 1, k = 1 must be the dense TinyGPT");
        // and decoding step by step equals the full forward
        auto st = moe.newState();
        DecodeState* s = st.get();
        for (size_t i = 0; i < ids.size(); ++i) {
            const Mat row = moe.step(std::span<DecodeState* const>(&s, 1), std::span<const int>(&ids[i], 1));
            QVERIFY((row - a.row(Index(i))).cwiseAbs().maxCoeff() < 1e-5f);
        }
    }

    void filesRoundTrip() {
        MoeTrainSettings s;
        s.steps = 3;
        s.sentences = 200;
        MoeTrainer t(s);
        t.run(nullptr, nullptr);
        const auto m = t.takeModel();
        const QString path = QDir::temp().filePath("arlab_moe_roundtrip.safetensors");
        m->save(path.toStdString());
        const auto back = loadLanguageModel(path.toStdString());
        QCOMPARE(back->kind(), std::string("moegpt"));
        const Tokens ids = {0, 5, 7, 2};
        QCOMPARE(back->logits(ids), m->logits(ids));
        QFile::remove(path);
        SafeTensors f = toSafetensors(m->parameters(), m->metadata());
        f.metadata["arlab.config"] = "{\"vocab_size\": 3}";
        QVERIFY_THROWS_EXCEPTION(Error, loadLanguageModel(f, "bad"));
    }

    void trainerIsReproducible() {
        MoeTrainSettings s;
        s.steps = 5;
        s.sentences = 200;
        std::vector<Mat> first;
        for (int run = 0; run < 2; ++run) {
            MoeTrainer t(s);
            t.run(nullptr, nullptr);
            std::vector<Mat> now;
            for (const auto& p : t.model().parameters()) now.push_back(p.var.value());
            if (run == 0) first = now;
            else
                for (size_t i = 0; i < now.size(); ++i) QVERIFY(now[i] == first[i]);
        }
    }

    void badSettings_data() {
        QTest::addColumn<int>("experts");
        QTest::addColumn<int>("k");
        QTest::addColumn<QString>("message");
        QTest::newRow("k > E") << 2 << 3 << "top-k must be between 1 and the number of experts (2), got 3";
        QTest::newRow("no experts") << 0 << 1 << "experts must be between 1 and 64, got 0";
    }
    void badSettings() {
        QFETCH(int, experts);
        QFETCH(int, k);
        QFETCH(QString, message);
        MoeTrainSettings s;
        s.experts = experts;
        s.topK = k;
        QCOMPARE(QString::fromStdString(s.problem()), message);
        QVERIFY_THROWS_EXCEPTION(Error, MoeTrainer{s});
    }

    void shippedModelIsBalancedAndReported() {
        const auto moe = MoeGpt::fromSafetensors(readSafetensors(testutil::modelPath("moe-toy")), "moe-toy");
        const auto dense = MoeGpt::fromSafetensors(readSafetensors(testutil::modelPath("moe-toy-dense")), "moe-toy-dense");
        QCOMPARE(moe->config().experts, 4);
        QCOMPARE(moe->config().topK, 2);
        QVERIFY(moe->config().balance > 0);
        QCOMPARE(dense->config().experts, 1);
        // same compute per token: k * F = the dense 4C
        QCOMPARE(moe->config().topK * moe->config().expertHidden, dense->config().expertHidden);
        QCOMPARE(moe->activeParametersPerToken() - dense->activeParametersPerToken(), size_t(2 * (3 * 32 + 32)));  // per layer: 3 more router rows of C, expert biases 2(F + C) - (4C + C)
        const Tokens held = heldOutToyTokens(moe->tokenizer(), 1, 600);
        const auto load = moeLoad(*moe, held);
        for (size_t l = 0; l < load.size(); ++l) {
            const double mean = double(std::accumulate(load[l].begin(), load[l].end(), 0)) / double(load[l].size());
            QCOMPARE(std::accumulate(load[l].begin(), load[l].end(), 0), int(held.size()) * 2);
            for (size_t e = 0; e < load[l].size(); ++e) {
                qInfo("layer %zu expert %zu: load %.2f x the mean", l, e, load[l][e] / mean);
                QVERIFY2(load[l][e] <= 2.0 * mean, "no expert takes more than twice the mean load");
            }
        }
        const auto batches = TextData::scoringBatches(held, moe->tokenizer().id("."), moe->contextLength(), 16, 100000);
        const double nllMoe = moeValidationNll(*moe, batches), nllDense = moeValidationNll(*dense, batches);
        qInfo("held-out NLL: moe %.4f, dense %.4f nats/token (entropy rate 1.5033)", nllMoe, nllDense);
        QVERIFY(nllMoe < 1.55 && nllDense < 1.55);
        QVERIFY(std::abs(nllMoe - nllDense) < 0.05);
    }

    void cliRouting() {
        const auto r = testutil::cli({"moe-routing", "moe-toy", "--prompt", "the small cat sees a dog", "--json"});
        QCOMPARE(r.code, 0);
        const QJsonObject j = testutil::jsonOf(r).raw();
        const auto moe = MoeGpt::fromSafetensors(readSafetensors(testutil::modelPath("moe-toy")), "moe-toy");
        Tokens ids = {moe->bosToken()};
        for (int id : moe->tokenizer().encodeStrict("the small cat sees a dog")) ids.push_back(id);
        const auto routing = moe->routing(ids);
        const QJsonArray layers = j["layers"].toArray();
        QCOMPARE(layers.size(), 2);
        QCOMPARE(j["tokens"].toArray().size(), int(ids.size()));
        for (int l = 0; l < 2; ++l) {
            const QJsonArray toks = layers[l].toArray();
            QCOMPARE(toks.size(), int(ids.size()));
            for (int t = 0; t < toks.size(); ++t) {
                const QJsonArray e = toks[t].toObject()["experts"].toArray(), g = toks[t].toObject()["gates"].toArray();
                QCOMPARE(e.size(), 2);
                double sum = 0;
                for (int i = 0; i < 2; ++i) {
                    QCOMPARE(e[i].toInt(), routing[size_t(l)].experts(t, i));
                    QVERIFY(std::abs(g[i].toDouble() - routing[size_t(l)].gates(t, i)) < 1e-6);
                    sum += g[i].toDouble();
                }
                QVERIFY(std::abs(sum - 1) < 1e-6);
            }
        }
        QCOMPARE(qint64(j["parameters_total"].toDouble()), qint64(moe->totalParameters()));
        const auto bad = testutil::cli({"moe-routing", "toy-word", "--prompt", "the"});
        QCOMPARE(bad.code, 1);
        QVERIFY(bad.err.contains("moe-routing needs a mixture-of-experts model (kind moegpt); this is a 'tinygpt' model"));
        const auto unknown = testutil::cli({"moe-routing", "moe-toy", "--prompt", "the zebra"});
        QCOMPARE(unknown.code, 1);
        QVERIFY(unknown.err.contains("'zebra'"));
    }
};

QTEST_GUILESS_MAIN(TestMoe)
#include "tst_core_moe.moc"
