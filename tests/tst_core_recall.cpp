// Long-range memory: the recall task, accuracy (batched decoder against a full forward), gradient flow against
// finite differences, the trainer (reproducible, refuses bad settings, stops), and the acceptance lines on the
// four shipped models: TinyGPT >= 95 % at every distance in its context, and what held for every one of seeds 1..10
// of train-recall rnn/lstm (README "Long-range memory", the multi-seed table): the LSTM recalls >= 95 % at d = 32
// and far past its training distances (d = 128), the RNN never recalls better than the LSTM, and the RNN's gradient
// at the key falls faster with the distance (a steeper log10 slope) than the LSTM's.
#include "core/error.h"
#include "core/io/modelfile.h"
#include "core/limits/recall.h"
#include "core/limits/recalltrain.h"
#include "core/models/charrnn.h"
#include "core/models/tinygpt.h"
#include "testpaths.h"

#include <QtTest>
#include <cmath>
#include <nlohmann/json.hpp>

using namespace ar;

namespace {

std::string shipped(const std::string& kind) {
    return testutil::modelPath("recall-" + kind);
}

// Accuracy from one full forward per episode (LanguageModel::logits), independent of the batched step path.
double accuracyByFullForward(const LanguageModel& m, int d, int episodes, uint64_t seed) {
    Rng rng(seed);
    int correct = 0;
    for (int i = 0; i < episodes; ++i) {
        const RecallEpisode e = RecallTask::episode(d, rng);
        const Mat logits = m.logits(e.input);
        Index best;
        logits.row(logits.rows() - 1).maxCoeff(&best);
        correct += int(best) == e.key;
    }
    return double(correct) / episodes;
}

// -log p(key | episode) from a no-grad forward.
double recallNll(const LanguageModel& m, const RecallEpisode& e) {
    const Mat logits = m.logits(e.input);
    const RowVec last = logits.row(logits.rows() - 1);
    const double mx = last.maxCoeff();
    return -(double(last(e.key)) - mx - std::log((last.array() - float(mx)).exp().cast<double>().sum()));
}

}  // namespace

class TestRecall : public QObject {
    Q_OBJECT
private slots:
    void episodes() {
        const Tokenizer tok = RecallTask::tokenizer();
        QCOMPARE(tok.size(), 13);
        QCOMPARE(tok.token(RecallTask::queryToken()), std::string("?"));
        Rng rng(3);
        std::vector<int> keyCounts(8, 0);
        for (int i = 0; i < 800; ++i) {
            const int d = i % 40;
            const RecallEpisode e = RecallTask::episode(d, rng);
            QCOMPARE(int(e.input.size()), d + 2);
            QCOMPARE(e.input.front(), e.key);
            QVERIFY(e.key >= 0 && e.key < 8);
            QCOMPARE(e.input.back(), RecallTask::queryToken());
            for (int t = 1; t <= d; ++t) QVERIFY(e.input[size_t(t)] >= 8 && e.input[size_t(t)] < 12);
            ++keyCounts[size_t(e.key)];
        }
        for (int c : keyCounts) QVERIFY(c > 60 && c < 140);  // uniform keys: 100 expected each
        QVERIFY_THROWS_EXCEPTION(Error, RecallTask::episode(-1, rng));
    }

    void accuracyMatchesFullForward_data() {
        QTest::addColumn<QString>("kind");
        for (const char* k : {"rnn", "lstm", "gru", "tinygpt"}) QTest::newRow(k) << QString(k);
    }
    void accuracyMatchesFullForward() {
        QFETCH(QString, kind);
        const auto m = loadLanguageModel(shipped(kind.toStdString()));
        for (int d : {1, 7, 32}) QCOMPARE(recallAccuracy(*m, d, 60, 5), accuracyByFullForward(*m, d, 60, 5));
    }

    void gradientNormMatchesFiniteDifferences_data() { accuracyMatchesFullForward_data(); }
    void gradientNormMatchesFiniteDifferences() {
        // ||d loss / d x_0|| from the backward pass against central differences of the recall loss with respect
        // to each component of the input at the key's position (the embedding row, or wpe row 0)
        QFETCH(QString, kind);
        const auto m = loadLanguageModel(shipped(kind.toStdString()));
        const std::string probe = kind == "tinygpt" ? "transformer.wpe.weight" : "embedding.weight";
        Var var;
        for (const auto& p : m->parameters())
            if (p.name == probe) var = p.var;
        QVERIFY(var.defined());
        for (int d : {1, 3}) {  // short: float differences cannot resolve the RNN's tiny far gradients
            Rng rng(11);
            const RecallEpisode e = RecallTask::episode(d, rng);
            const Index row = kind == "tinygpt" ? 0 : e.key;
            double sq = 0;
            const double eps = 1e-2;
            for (Index c = 0; c < var.cols(); ++c) {
                float& x = var.value()(row, c);
                const float saved = x;
                x = saved + float(eps);
                const double lp = recallNll(*m, e);
                x = saved - float(eps);
                const double lm = recallNll(*m, e);
                x = saved;
                sq += std::pow((lp - lm) / (2 * eps), 2);
            }
            const double numeric = std::sqrt(sq), analytic = recallGradientNorm(*m, d, 1, 11);
            QVERIFY2(std::abs(analytic - numeric) <= 1e-6 + 0.05 * numeric,
                     qPrintable(QString("d %1: analytic %2 numeric %3").arg(d).arg(analytic).arg(numeric)));
        }
    }

    void shippedModelsMeetTheAcceptance() {
        std::map<std::string, std::shared_ptr<LanguageModel>> m;
        size_t smallest = SIZE_MAX, largest = 0;
        for (const char* k : {"rnn", "lstm", "gru", "tinygpt"}) {
            m[k] = loadLanguageModel(shipped(k));  // a missing or broken file fails here
            QCOMPARE(m[k]->kind(), std::string(k));
            size_t n = 0;
            for (const auto& p : m[k]->parameters()) n += size_t(p.var.value().size());
            smallest = std::min(smallest, n);
            largest = std::max(largest, n);
            const auto prov = nlohmann::json::parse(modelProvenance(*m[k]));
            QVERIFY(prov["command"].get<std::string>().starts_with(std::string("arlab-cli train-recall ") + k));
        }
        QVERIFY2(double(largest) / double(smallest) < 1.2, "comparable parameter counts");
        // TinyGPT: >= 95 % at every distance that fits its context (1..32)
        QCOMPARE(maxRecallDistance(*m["tinygpt"]), 32);
        for (int d = 1; d <= maxRecallDistance(*m["tinygpt"]); ++d) {
            const double a = recallAccuracy(*m["tinygpt"], d, 200, 100 + uint64_t(d));
            QVERIFY2(a >= 0.95, qPrintable(QString("TinyGPT at d = %1: %2").arg(d).arg(a)));
        }
        // Trained with seeds 1..10, the LSTM recalled 1.00 at every d = 1..128 for every seed (seed 10: 0.88 at 256),
        // while the RNN's recall at d = 32 ranged from 0.36 to 1.00 (3 seeds perfect): "the RNN is clearly below the
        // LSTM" is seed luck and is not asserted; the LSTM's recall, also 4x past its training distances, and the RNN
        // never above it are.
        for (int d : {32, 128}) {
            const double rnn = recallAccuracy(*m["rnn"], d, 1000, 9), lstm = recallAccuracy(*m["lstm"], d, 1000, 9);
            qInfo("recall accuracy at d = %d: rnn %.3f, lstm %.3f", d, rnn, lstm);
            QVERIFY2(lstm >= 0.95, qPrintable(QString("LSTM at d = %1: %2").arg(d).arg(lstm)));
            QVERIFY2(rnn <= lstm, qPrintable(QString("RNN %1 above the LSTM %2 at d = %3").arg(rnn).arg(lstm).arg(d)));
        }
        qInfo("recall accuracy at d = 32: gru %.3f, tinygpt %.3f", recallAccuracy(*m["gru"], 32, 1000, 9),
              recallAccuracy(*m["tinygpt"], 32, 1000, 9));
        // The RNN's gradient at the key falls faster with the distance than the LSTM's: a steeper least-squares
        // slope of log10 ||grad|| over d = 1..30 for every seed 1..10 (3.6x to 34x the LSTM's with the CLI's 32
        // episodes). The fall between d = 1 and d = 30 alone is not asserted: it is two noisy end points (seed 8's
        // RNN falls 2.5e3, only 59x its LSTM's 4.2e1; before the 3 December re-creation seed 10's RNN fell 1.7e2
        // against its LSTM's 1.0e2).
        std::vector<int> ds;
        for (int d = 1; d <= 30; ++d) ds.push_back(d);
        std::map<std::string, std::vector<double>> g;
        for (const char* k : {"rnn", "lstm"})
            for (int d : ds) g[k].push_back(recallGradientNorm(*m[k], d, 32, 7));  // = arlab-cli gradient-flow's defaults
        const double rnnFall = g["rnn"].front() / g["rnn"].back(), lstmFall = g["lstm"].front() / g["lstm"].back();
        qInfo("gradient fall d=1 -> d=30: rnn %.3g x (slope %.3f decades/step), lstm %.3g x (slope %.3f)", rnnFall,
              log10Slope(ds, g["rnn"]), lstmFall, log10Slope(ds, g["lstm"]));
        QVERIFY(log10Slope(ds, g["rnn"]) < log10Slope(ds, g["lstm"]));
    }

    void trainerIsReproducibleAndLearns() {
        RecallTrainSettings s;
        s.kind = "gru";
        s.steps = 150;
        s.maxDistance = 4;
        s.evalEvery = 50;
        std::vector<Mat> first;
        for (int run = 0; run < 2; ++run) {
            RecallTrainer t(s);
            const TrainResult r = t.run(nullptr, nullptr);
            QCOMPARE(r.steps, 150);
            auto m = t.takeModel();
            std::vector<Mat> now;
            for (const auto& p : m->parameters()) now.push_back(p.var.value());
            if (run == 0) {
                first = now;
                QVERIFY2(recallAccuracy(*m, 4, 200, 1) > 0.5, "a GRU learns d = 4 in 150 steps");
                QVERIFY(r.valLoss < std::log(8.0));
            } else {
                for (size_t i = 0; i < now.size(); ++i) QVERIFY(now[i] == first[i]);  // bit for bit
            }
        }
    }

    void trainerStops() {
        RecallTrainSettings s;
        s.kind = "tinygpt";
        s.steps = 100000;
        RecallTrainer t(s);
        std::atomic<bool> stop{false};
        int seen = 0;
        const TrainResult r = t.run([&](const TrainProgress& p) { seen = p.step; if (p.step == 3) stop = true; }, &stop);
        QVERIFY(r.stopped);
        QCOMPARE(r.steps, 3);
        QCOMPARE(seen, 3);
    }

    void badSettings_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("maxDistance");
        QTest::addColumn<int>("heads");
        QTest::addColumn<QString>("message");
        QTest::newRow("kind") << "transformer" << 32 << 2 << "model kind 'transformer' is not one of rnn, lstm, gru, tinygpt";
        QTest::newRow("distance") << "lstm" << 0 << 2 << "the longest distance must be between 1 and 512, got 0";
        QTest::newRow("heads") << "tinygpt" << 32 << 3 << "3 heads do not divide the width 16";
    }
    void badSettings() {
        QFETCH(QString, kind);
        QFETCH(int, maxDistance);
        QFETCH(int, heads);
        QFETCH(QString, message);
        RecallTrainSettings s;
        s.kind = kind.toStdString();
        s.maxDistance = maxDistance;
        s.heads = heads;
        QCOMPARE(QString::fromStdString(s.problem()), message);
        try {
            RecallTrainer t(s);
            QFAIL("the trainer must refuse");
        } catch (const Error& e) {
            QCOMPARE(QString(e.what()), message);
        }
    }

    // The key's influence on every hidden unit along an episode: = central finite differences of the model's own
    // trace with the key's embedding row perturbed; on the shipped models it vanishes across 30 fillers for the RNN
    // and not for the LSTM.
    void keyInfluenceFades() {
        Rng rng(3);
        const RecallEpisode e = RecallTask::episode(30, rng);
        const int T = int(e.input.size());
        std::map<std::string, double> kept;  // ||influence|| after '?' / after the key
        for (const char* k : {"rnn", "lstm", "gru"}) {
            auto m = loadLanguageModel(shipped(k));
            auto* rnn = dynamic_cast<CharRnn*>(m.get());
            QVERIFY(rnn);
            const Mat inf = keyInfluence(*m, e);
            QCOMPARE(inf.rows(), Index(T));
            QCOMPARE(inf.cols(), Index(rnn->config().hidden));
            kept[k] = inf.row(T - 1).norm() / inf.row(0).norm();
            // finite differences at steps 0, 1, 3 and every unit: perturb the key's embedding row, run trace()
            const Tokens ids = RecallTask::modelIds(*m);
            Tokens in;
            for (int t = 0; t < T; ++t) in.push_back(ids[size_t(e.input[size_t(t)])]);
            Mat& emb = const_cast<Var&>(rnn->embedding.weight).value();
            const Index row = ids[size_t(e.input[0])];
            const int E = int(emb.cols()), H = int(inf.cols());
            const float eps = 1e-2f;
            for (int t : {0, 1, 3}) {
                Mat jac(H, E);  // (H, E) d h_t / d x_0
                for (int j = 0; j < E; ++j) {
                    const float keep = emb(row, j);
                    emb(row, j) = keep + eps;
                    const RowVec plus = rnn->trace(in)[size_t(t)].h.back();
                    emb(row, j) = keep - eps;
                    const RowVec minus = rnn->trace(in)[size_t(t)].h.back();
                    emb(row, j) = keep;
                    jac.col(j) = ((plus - minus) / (2 * eps)).transpose();
                }
                const ColVec fd = jac.rowwise().norm();
                for (int u = 0; u < H; ++u)
                    QVERIFY2(std::abs(fd(u) - inf(t, u)) <= 2e-3 + 3e-2 * std::abs(fd(u)),
                             qPrintable(QString("%1 t=%2 unit %3: %4 vs %5").arg(k).arg(t).arg(u).arg(inf(t, u)).arg(fd(u))));
            }
        }
        qInfo("key influence after 30 fillers and '?', relative to after the key: rnn %.3g, lstm %.3g, gru %.3g", kept["rnn"],
              kept["lstm"], kept["gru"]);
        // over seeds 1..10 of train-recall on this episode: the RNN kept 2.3e-21 .. 2.2e-6 (seed 6: 0, below float's
        // range), the same seed's LSTM 3.6e3x (seed 4) to 1e18x more
        QVERIFY(kept["rnn"] < 1e-6);
        QVERIFY(kept["lstm"] > 1e2 * kept["rnn"]);
        // only recurrent models have a hidden state; an episode must start with a key
        try {
            keyInfluence(*loadLanguageModel(shipped("tinygpt")), e);
            QFAIL("must refuse");
        } catch (const Error& err) {
            QCOMPARE(QString(err.what()), QString("the key's influence needs a recurrent model (RNN, LSTM or GRU), not a tinygpt"));
        }
        RecallEpisode bad = e;
        bad.input[0] = RecallTask::queryToken();
        QVERIFY_THROWS_EXCEPTION(Error, keyInfluence(*loadLanguageModel(shipped("rnn")), bad));
        bad.input.clear();
        QVERIFY_THROWS_EXCEPTION(Error, keyInfluence(*loadLanguageModel(shipped("rnn")), bad));
    }

    void refusesOtherModels() {
        const auto toy = loadLanguageModel(testutil::modelPath("toy-word"));
        try {
            recallAccuracy(*toy, 1, 1, 1);
            QFAIL("must refuse");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("was not trained on the recall task: its vocabulary lacks 'A'"), e.what());
        }
        const auto gpt = loadLanguageModel(shipped("tinygpt"));
        QVERIFY_THROWS_EXCEPTION(Error, recallAccuracy(*gpt, 33, 1, 1));  // 35 tokens do not fit 34
        QVERIFY_THROWS_EXCEPTION(Error, recallGradientNorm(*gpt, 40, 1, 1));
    }
};

QTEST_APPLESS_MAIN(TestRecall)
#include "tst_core_recall.moc"
