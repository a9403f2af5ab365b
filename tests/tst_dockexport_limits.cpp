// CSV export of the Limits lesson's five docks (their tables: widgets/limitsplot.h) against the core, in one window
// once its background computations are done:
//   Long-range memory   recall accuracy and gradient norm of every shipped recall model at every distance drawn,
//                       measured again with core; the hidden-state panel = log10 of core's keyInfluence;
//   Cost of generating  KV bytes and FLOPs per position from the formulas (2 K 4 bytes per token and layer; the
//                       README's FLOP counts), the allocated cache and the MHA/GQA/MQA variants from real caches;
//   Flash attention     every tile's running max and sum, brute force from layer 0's q and k computed here in
//                       double from the file's weights (embeddings, LayerNorm, c_attn);
//   Mixture of experts  the experts and gates of a fresh load of the model, and the gates = the router's softmax
//                       renormalised over the top k;
//   Positions           the sinusoids by their formula, the similarity matrices as plain dot products, the RoPE
//                       scores and rotation in closed form, the NLL curves from core's nllByPosition.
// 1e-6 absolute for numbers the view stores as computed; relative 1e-5 where a float computation is compared
// with a double recomputation that sums in another order.
#include "app/gui/generationcontroller.h"
#include "app/gui/limitscontroller.h"
#include "core/decoding/decodingsession.h"
#include "core/limits/generationcost.h"
#include "core/limits/moetrain.h"
#include "core/limits/positions.h"
#include "core/limits/recall.h"
#include "core/models/moegpt.h"
#include "core/models/tinygpt.h"
#include "core/random.h"
#include "widgets/flashview.h"
#include "widgets/kvcostview.h"
#include "widgets/memoryview.h"
#include "widgets/moeroutingview.h"
#include "widgets/positionsview.h"
#include "guitestutil.h"

#include <QElapsedTimer>
#include <QtTest>

#include <cmath>
#include <map>

using namespace arlab;
using testutil::Csv;
using testutil::near;

namespace {

using MatD = Eigen::MatrixXd;

bool nearRel(double a, double b, double rel = 1e-5) { return std::abs(a - b) <= rel * std::max(1.0, std::abs(b)); }

// One panel of a limitsplot table: series -> the (x, y) points in order.
std::map<QString, std::vector<std::pair<double, double>>> curves(const Csv& csv, const QString& panel) {
    std::map<QString, std::vector<std::pair<double, double>>> out;
    for (int r = 0; r < csv.rows.size(); ++r)
        if (csv.cell(r, "panel") == panel) out[csv.cell(r, "series")].emplace_back(csv.num(r, "x"), csv.num(r, "y"));
    return out;
}
// One matrix of a limitsplot table (series "row R", x = the column), as a dense matrix.
MatD matrix(const Csv& csv, const QString& panel) {
    int rows = 0, cols = 0;
    for (int r = 0; r < csv.rows.size(); ++r)
        if (csv.cell(r, "panel") == panel) {
            rows = std::max(rows, csv.cell(r, "series").section(' ', 1).toInt() + 1);
            cols = std::max(cols, csv.cell(r, "x").toInt() + 1);
        }
    MatD m = MatD::Constant(rows, cols, std::nan(""));
    for (int r = 0; r < csv.rows.size(); ++r)
        if (csv.cell(r, "panel") == panel) m(csv.cell(r, "series").section(' ', 1).toInt(), csv.cell(r, "x").toInt()) = csv.num(r, "y");
    return m;
}

std::shared_ptr<const ar::LanguageModel> shipped(const QString& name) {
    return loadTextModelResource(QStringLiteral(":/models/%1.safetensors").arg(name));
}

ar::Tokens sentence(const ar::LanguageModel& m, const std::string& text) {
    ar::Tokens ids = {m.bosToken()};
    for (int id : m.tokenizer().encodeStrict(text)) ids.push_back(id);
    return ids;
}

// LayerNorm of each row (PyTorch's: biased variance, eps 1e-5), in double.
MatD layerNorm(const MatD& x, const MatD& w, const MatD& b) {
    MatD y(x.rows(), x.cols());
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
        const double mean = x.row(i).mean();
        const double var = (x.row(i).array() - mean).square().mean();
        y.row(i) = ((x.row(i).array() - mean) / std::sqrt(var + 1e-5)).matrix().cwiseProduct(w.row(0)) + b.row(0);
    }
    return y;
}

}  // namespace

class TestDockExportLimits : public testutil::DockExportTest {
    Q_OBJECT
private:
    std::unique_ptr<MainWindow> m_win;
    LimitsController* m_ctl = nullptr;
    Csv exportAll(const char* dock) { return DockExportTest::exportAll(m_win->findChild<QDockWidget*>(dock)); }

private slots:
    void initTestCase() {
        m_win = testutil::makeWindow("limits");
        m_ctl = m_win->findChild<LimitsController*>();
        QVERIFY(m_ctl);
        QElapsedTimer t;
        t.start();
        while (m_ctl->pendingJobs() > 0 && t.elapsed() < 300000 * testutil::slowdown()) QTest::qWait(20);
        QCOMPARE(m_ctl->pendingJobs(), 0);
    }
    void cleanupTestCase() { m_win.reset(); }

    void memoryCsvIsTheRecallMeasurements() {
        const Csv csv = exportAll("limitsMemoryDock");
        const auto accuracy = curves(csv, "recall accuracy"), gradient = curves(csv, "gradient norm");
        QCOMPARE(accuracy.size(), size_t(4));
        QCOMPARE(gradient.size(), size_t(4));
        for (const char* kind : {"rnn", "lstm", "gru", "tinygpt"}) {
            const auto model = shipped(QStringLiteral("recall-%1").arg(kind));   // the shipped file, loaded again
            const QString name = QString(kind).toUpper();
            QVERIFY2(accuracy.count(name) && gradient.count(name), qPrintable(name));
            int distances = 0;   // every distance the dock measures that fits the model's context
            for (int d : {1, 2, 4, 8, 12, 16, 24, 32}) distances += d <= ar::maxRecallDistance(*model);
            QCOMPARE(int(accuracy.at(name).size()), distances);
            for (const auto& [d, acc] : accuracy.at(name))
                QVERIFY2(near(acc, ar::recallAccuracy(*model, int(d), 200, 7)), qPrintable(QString("%1 d=%2").arg(name).arg(d)));
            QCOMPARE(gradient.at(name).size(), size_t(17));   // d = 1, 2, 3, 4, then every other distance to 30
            for (const auto& [d, g] : gradient.at(name))
                QVERIFY2(nearRel(g, std::max(1e-30, ar::recallGradientNorm(*model, int(d), 8, 7)), 1e-9),
                         qPrintable(QString("%1 d=%2: %3").arg(name).arg(d).arg(g)));
        }
        // the hidden-state panel: log10 |d h_t / d x_0| of the model and episode the dock shows
        auto* view = m_win->findChild<MemoryView*>();
        const auto model = shipped("recall-" + view->hiddenKind());
        ar::Rng rng(3);
        const ar::Mat influence = ar::keyInfluence(*model, ar::RecallTask::episode(view->hiddenDistance(), rng));
        const MatD shown = matrix(csv, "hidden state: log10 key influence");
        QCOMPARE(shown.rows(), influence.rows());
        QCOMPARE(shown.cols(), influence.cols());
        for (Eigen::Index t = 0; t < shown.rows(); ++t)
            for (Eigen::Index u = 0; u < shown.cols(); ++u)
                QVERIFY(near(shown(t, u), std::log10(std::max(double(influence(t, u)), 1e-12))));
    }

    void kvCsvIsTheCacheFormulas() {
        const Csv csv = exportAll("limitsKvDock");
        // the dock follows the live session's model and text (a TinyGPT: the toy model)
        const auto live = std::dynamic_pointer_cast<const ar::TinyGpt>(m_win->generation()->model());
        QVERIFY(live && m_win->generation()->session());
        const auto model = std::dynamic_pointer_cast<const ar::TinyGpt>(shipped("toy-word"));
        QVERIFY(model && model->config().embd == live->config().embd && model->config().layers == live->config().layers);
        const int n = std::min(int(m_win->generation()->session()->sequence().size()), model->contextLength());
        const ar::TinyGptConfig& cfg = model->config();
        const double L = cfg.layers, C = cfg.embd, V = model->tokenizer().size(), K = cfg.kvHeadCount() * (cfg.embd / cfg.heads);
        const auto filled = curves(csv, "kv bytes per layer").at("filled");
        const auto flops = curves(csv, "flops per token");
        const auto seconds = curves(csv, "seconds per step");
        QCOMPARE(int(filled.size()), n);
        for (int i = 0; i < n; ++i) {
            const double t = i, len = i + 1;
            QCOMPARE(filled[size_t(i)].first, len);
            QCOMPARE(filled[size_t(i)].second, 2 * K * 4 * len);   // a key and a value of K floats per token
            QCOMPARE(flops.at("with cache")[size_t(i)].second, L * (20 * C * C + 4 * C * K + 4 * C * (t + 1)) + 2 * C * V);
            QCOMPARE(flops.at("without cache")[size_t(i)].second, L * ((20 * C * C + 4 * C * K) * len + 2 * C * len * (len + 1)) + 2 * C * V);
            for (const char* s : {"with cache", "without cache"}) QVERIFY(seconds.at(s)[size_t(i)].second > 0);   // measured
        }
        std::map<QString, double> single;
        std::vector<double> variants;
        for (int r = 0; r < csv.rows.size(); ++r) {
            if (csv.cell(r, "panel") == "kv bytes per token") variants.push_back(csv.num(r, "y"));
            else if (csv.cell(r, "x").isEmpty()) single[csv.cell(r, "panel")] = csv.num(r, "y");
        }
        const auto fresh = model->newState();
        QCOMPARE(single.at("kv bytes allocated per layer"), double(ar::kvAllocatedBytes(*dynamic_cast<ar::TinyGptState*>(fresh.get()), 0)));
        QCOMPARE(single.at("context limit"), double(model->contextLength()));
        QCOMPARE(variants.size(), size_t(3));   // multi-head, grouped-query, multi-query: real caches of that shape
        const int kvHeads[3] = {cfg.heads, cfg.heads / 2, 1};
        for (int i = 0; i < 3; ++i) {
            ar::TinyGptConfig c = cfg;
            c.kvHeads = kvHeads[i];
            const ar::TinyGpt real(c, model->tokenizer(), 1);
            QCOMPARE(variants[size_t(i)], double(real.newState()->bytes() / size_t(real.contextLength())));
        }
    }

    void flashCsvIsTheRunningMaxAndSum() {
        const Csv csv = exportAll("limitsFlashDock");
        // the model and tokens the dock traces: the live session's, or the toy model on its sample sentence
        const auto model = std::dynamic_pointer_cast<const ar::TinyGpt>(shipped("toy-word"));
        QVERIFY(model);
        ar::Tokens ids = m_win->generation()->session()->sequence();
        if (ids.size() < 8) ids = sentence(*model, "the small cat sees a happy dog . the dog runs .");
        const FlashViewData& data = m_win->findChild<FlashView*>()->data();
        QCOMPARE(data.tokens.size(), int(ids.size()));
        for (size_t i = 0; i < ids.size(); ++i) QCOMPARE(data.tokens[int(i)], QString::fromStdString(model->tokenizer().display(ids[i])));
        // layer 0, head 0: x = wte[id] + wpe[t], q k = LayerNorm(x) c_attn, in double
        std::map<std::string, MatD> p;
        for (const auto& np : model->parameters()) p[np.name] = np.var.value().cast<double>();
        const int T = int(ids.size()), C = model->config().embd, D = C / model->config().heads;
        MatD x(T, C);
        for (int t = 0; t < T; ++t) x.row(t) = p["transformer.wte.weight"].row(ids[size_t(t)]) + p["transformer.wpe.weight"].row(t);
        const MatD h = layerNorm(x, p["transformer.h.0.ln_1.weight"], p["transformer.h.0.ln_1.bias"]);
        const MatD qkv = (h * p["transformer.h.0.attn.c_attn.weight"].transpose()).rowwise() + p["transformer.h.0.attn.c_attn.bias"].row(0);
        const MatD s = qkv.leftCols(D) * qkv.middleCols(C, D).transpose() / std::sqrt(double(D));   // (T, T) scores
        const auto maxOver = [&](int i, int keys) {   // max of s(i, 0..keys-1), -inf for none
            double m = -INFINITY;
            for (int j = 0; j < keys; ++j) m = std::max(m, s(i, j));
            return m;
        };
        int rows = 0;
        std::map<int, int> lastKeyEnd;   // query row -> keys seen so far (tiles run left to right)
        for (int r = 0; r < csv.rows.size(); ++r, ++rows) {
            const int i = csv.cell(r, "row").toInt(), k0 = csv.cell(r, "key_block").toInt();
            const int q0 = csv.cell(r, "query_block").toInt();
            QVERIFY(i >= q0 && i < q0 + data.blockQ && i < T);
            QCOMPARE(k0, lastKeyEnd[i]);
            const int seen = std::min(i + 1, k0 + data.blockK);   // causal: keys 0..i
            lastKeyEnd[i] = k0 + data.blockK;
            const double before = maxOver(i, std::min(i + 1, k0)), after = maxOver(i, seen);
            double sum = 0;
            for (int j = 0; j < seen; ++j) sum += std::exp(s(i, j) - after);
            const QString info = csv.rows[r].join(',');
            if (std::isinf(before)) QCOMPARE(csv.cell(r, "max_before"), QString("-inf"));
            else QVERIFY2(nearRel(csv.num(r, "max_before"), before), qPrintable(info));
            QVERIFY2(nearRel(csv.num(r, "max_after"), after), qPrintable(info));
            QVERIFY2(nearRel(csv.num(r, "sum_after"), sum), qPrintable(info));
            if (std::isinf(before) || std::abs(after - before) > 1e-4)   // (a near tie may round either way in float)
                QCOMPARE(csv.cell(r, "rescaled") == "1", !std::isinf(before) && after > before);
        }
        QVERIFY(rows > 0);
        for (int i = 0; i < T; ++i) QVERIFY2(lastKeyEnd[i] >= i + 1, "every row sees all its keys");
    }

    void moeCsvIsTheRouting() {
        const Csv csv = exportAll("limitsMoeDock");
        const auto moe = std::dynamic_pointer_cast<const ar::MoeGpt>(shipped("moe-toy"));
        QVERIFY(moe);
        const ar::Tokens ids = sentence(*moe, m_win->findChild<MoeRoutingView*>()->prompt().toStdString());
        const std::vector<ar::nn::MoeRouting> routing = moe->routing(ids);
        const int k = moe->config().topK;
        std::map<std::pair<int, int>, int> routed;   // (layer, expert) -> tokens routed there, counted from the rows
        int gates = 0;
        for (int r = 0; r < csv.rows.size(); ++r) {
            const int l = csv.cell(r, "layer").toInt(), e = csv.cell(r, "expert").toInt();
            QVERIFY(l >= 0 && l < int(routing.size()));
            const ar::nn::MoeRouting& route = routing[size_t(l)];
            if (csv.cell(r, "position") == "load") {
                QCOMPARE(csv.cell(r, "gate").toInt(), route.load[size_t(e)]);
                QCOMPARE(csv.cell(r, "gate").toInt(), routed[std::make_pair(l, e)]);
                continue;
            }
            const int i = csv.cell(r, "position").toInt(), j = csv.cell(r, "rank").toInt();
            QCOMPARE(csv.cell(r, "token"), QString::fromStdString(moe->tokenizer().display(ids[size_t(i)])));
            QCOMPARE(e, int(route.experts(i, j)));
            QVERIFY(near(csv.num(r, "gate"), route.gates(i, j)));
            // independently: the k most probable experts of the router's softmax, gates renormalised over them
            const ar::RowVec probs = route.probs.row(i);
            int better = 0;
            for (int f = 0; f < probs.size(); ++f) better += probs(f) > probs(e) || (probs(f) == probs(e) && f < e);
            QCOMPARE(better, j);
            double chosen = 0;
            for (int jj = 0; jj < k; ++jj) chosen += probs(route.experts(i, jj));
            QVERIFY2(nearRel(csv.num(r, "gate"), probs(e) / chosen), qPrintable(csv.rows[r].join(',')));
            ++routed[std::make_pair(l, e)];
            ++gates;
        }
        QCOMPARE(gates, int(routing.size() * ids.size()) * k);
    }

    void positionsCsvIsTheirFormulas() {
        const Csv csv = exportAll("limitsPositionsDock");
        // the sinusoids: PE(p, 2i) = sin(p / 10000^(2i/C)), PE(p, 2i+1) = cos(...), 64 positions x 64 features
        const MatD pe = matrix(csv, "sinusoidal encoding");
        QCOMPARE(pe.rows(), 64);
        QCOMPARE(pe.cols(), 64);
        MatD want(64, 64);
        for (int pos = 0; pos < 64; ++pos)
            for (int c = 0; c < 64; ++c) {
                const double angle = pos / std::pow(10000.0, double(c - c % 2) / 64);
                want(pos, c) = c % 2 ? std::cos(angle) : std::sin(angle);
            }
        QVERIFY2((pe - want).cwiseAbs().maxCoeff() < 1e-6, "sinusoidal encoding");
        const MatD sim = matrix(csv, "sinusoid similarity"), wantSim = want * want.transpose();
        QCOMPARE(sim.rows(), 64);
        QVERIFY2(((sim - wantSim).cwiseAbs().array() / wantSim.cwiseAbs().array().max(1.0)).maxCoeff() < 1e-5, "sinusoid similarity");
        // the learned positions of the toy model: its wpe rows' dot products
        const auto toy = std::dynamic_pointer_cast<const ar::TinyGpt>(shipped("toy-word"));
        MatD wpe;
        for (const auto& np : toy->parameters())
            if (np.name == "transformer.wpe.weight") wpe = np.var.value().cast<double>();
        const MatD learned = matrix(csv, "learned wpe similarity"), wantLearned = wpe * wpe.transpose();
        QCOMPARE(learned.rows(), toy->contextLength());
        QVERIFY2(((learned - wantLearned).cwiseAbs().array() / wantLearned.cwiseAbs().array().max(1.0)).maxCoeff() < 1e-5, "learned similarity");
        // RoPE: q rotated to position d (pair i by d * 10000^(-2i/16)) against k at position 0, in closed form; the
        // picture: q's pair 0 at d = 0..5 (1 radian per position), then k's pair 0
        ar::Rng rng(5);   // the dock's q and k
        std::vector<double> q(16), k(16);
        for (int i = 0; i < 16; ++i) {
            const float qi = float(rng.normal());
            const float ki = qi + float(0.3 * rng.normal());
            q[size_t(i)] = qi;
            k[size_t(i)] = ki;
        }
        const auto rope = curves(csv, "rope score");
        QCOMPARE(rope.size(), size_t(1));
        const auto& score = rope.begin()->second;
        QCOMPARE(score.size(), size_t(65));
        for (const auto& [d, value] : score) {
            double dot = 0;
            for (int i = 0; i < 8; ++i) {
                const double a = d * std::pow(10000.0, -2.0 * i / 16), q0 = q[size_t(2 * i)], q1 = q[size_t(2 * i + 1)];
                dot += (q0 * std::cos(a) - q1 * std::sin(a)) * k[size_t(2 * i)] + (q0 * std::sin(a) + q1 * std::cos(a)) * k[size_t(2 * i + 1)];
            }
            QVERIFY2(nearRel(value, dot), qPrintable(QString("d = %1: %2 vs %3").arg(d).arg(value).arg(dot)));
        }
        const auto plane = curves(csv, "rope plane (feature pair 0)").begin()->second;
        QCOMPARE(plane.size(), size_t(7));
        for (int d = 0; d < 6; ++d) {
            QVERIFY(nearRel(plane[size_t(d)].first, q[0] * std::cos(d) - q[1] * std::sin(d)));
            QVERIFY(nearRel(plane[size_t(d)].second, q[0] * std::sin(d) + q[1] * std::cos(d)));
        }
        QVERIFY(near(plane[6].first, k[0]) && near(plane[6].second, k[1]));
        // NLL by position: core's measurement of each of the three models on the same held-out text
        const auto nll = curves(csv, "nll by position");
        QCOMPARE(nll.size(), size_t(3));
        for (const auto& [name, points] : nll) {
            const QString file = name.startsWith("learned") ? "toy-word" : name.startsWith("sinusoidal") ? "toy-word-sinusoidal" : "toy-word-rope";
            QVERIFY2(name.startsWith("learned") || name.startsWith("sinusoidal") || name.startsWith("RoPE"), qPrintable(name));
            const auto model = std::dynamic_pointer_cast<const ar::TinyGpt>(shipped(file));
            const int ctx = model->contextLength();
            const std::vector<double> want = ar::nllByPosition(*model, ar::heldOutToyTokens(model->tokenizer(), 7, 400), ctx + 16, 24);
            QCOMPARE(int(points.size()), name.startsWith("learned") ? ctx : ctx + 16);
            for (size_t p = 0; p < points.size(); ++p) {
                QCOMPARE(points[p].first, double(p));
                QVERIFY2(near(points[p].second, want[p]), qPrintable(QString("%1, position %2").arg(name).arg(p)));
            }
        }
    }
};

QTEST_MAIN(TestDockExportLimits)
#include "tst_dockexport_limits.moc"
