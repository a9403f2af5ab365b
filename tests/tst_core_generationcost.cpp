// The cost of generating: the FLOP formulas against a reference step written with plain loops that counts every
// multiply-add (and whose logits must equal the model's, so the counted work is the real work), the KV bytes
// against the cache's matrices, the MHA/GQA/MQA variants, and the measured step times (liveness only).
#include "core/error.h"
#include "core/io/modelfile.h"
#include "core/limits/generationcost.h"
#include "core/models/tinygpt.h"
#include "testpaths.h"

#include <QtTest>
#include <cmath>
#include <map>

using namespace ar;

namespace {

struct Reference {
    std::map<std::string, Mat> w;
    int L, C, H, KV, V;
    double macs = 0;
    std::vector<std::vector<RowVec>> keys, values;  // [layer][position] (1, K), K = KV * D

    explicit Reference(const TinyGpt& m)
        : L(m.config().layers), C(m.config().embd), H(m.config().heads), KV(m.config().kvHeadCount()), V(m.vocabSize()) {
        for (const auto& p : m.parameters()) w[p.name] = p.var.value();
        keys.assign(size_t(L), {});
        values.assign(size_t(L), {});
    }
    RowVec linear(const RowVec& x, const std::string& name) {
        const Mat& W = w[name + ".weight"];
        RowVec y = w[name + ".bias"];
        for (Index o = 0; o < W.rows(); ++o)
            for (Index i = 0; i < W.cols(); ++i) y(o) += W(o, i) * x(i);
        macs += double(W.rows() * W.cols());
        return y;
    }
    RowVec norm(const RowVec& x, const std::string& name) {
        const float mu = x.mean();
        const float var = (x.array() - mu).square().mean();
        return ((x.array() - mu) / std::sqrt(var + 1e-5f) * w[name + ".weight"].array() + w[name + ".bias"].array()).matrix();
    }
    // One token at position t with the cache of positions 0..t-1; logits only when wanted (counted then).
    RowVec step(int token, int t, bool logits) {
        RowVec x = w["transformer.wte.weight"].row(token) + w["transformer.wpe.weight"].row(t);
        const int D = C / H, K = KV * D;
        for (int l = 0; l < L; ++l) {
            const std::string p = "transformer.h." + std::to_string(l) + ".";
            const RowVec qkv = linear(norm(x, p + "ln_1"), p + "attn.c_attn");  // [q (C) | k (K) | v (K)]
            keys[size_t(l)].push_back(qkv.segment(C, K));
            values[size_t(l)].push_back(qkv.segment(C + K, K));
            RowVec y = RowVec::Zero(C);
            for (int h = 0; h < H; ++h) {
                const int g = (h / (H / KV)) * D;  // the columns of the key/value head this query head reads
                std::vector<double> s(size_t(t) + 1);
                double mx = -1e300, z = 0;
                for (int j = 0; j <= t; ++j) {
                    double dot = 0;
                    for (int d = 0; d < D; ++d) dot += double(qkv(h * D + d)) * keys[size_t(l)][size_t(j)](g + d);
                    macs += D;
                    s[size_t(j)] = dot / std::sqrt(double(D));
                    mx = std::max(mx, s[size_t(j)]);
                }
                for (auto& v : s) z += (v = std::exp(v - mx));
                for (int j = 0; j <= t; ++j)
                    for (int d = 0; d < D; ++d) y(h * D + d) += float(s[size_t(j)] / z) * values[size_t(l)][size_t(j)](g + d);
                macs += double(t + 1) * D;
            }
            x += linear(y, p + "attn.c_proj");
            RowVec f = linear(norm(x, p + "ln_2"), p + "mlp.c_fc");
            f = f.unaryExpr([](float v) { return 0.5f * v * (1.0f + std::erf(v * 0.70710678f)); });
            x += linear(f, p + "mlp.c_proj");
        }
        if (!logits) return {};
        const RowVec h = norm(x, "transformer.ln_f");
        RowVec out(V);
        for (int v = 0; v < V; ++v) out(v) = h.dot(w["transformer.wte.weight"].row(v));
        macs += double(V) * C;
        return out;
    }
};

std::unique_ptr<TinyGpt> toy() {
    return TinyGpt::fromSafetensors(readSafetensors(testutil::modelPath("toy-word")), "toy");
}

// The toy model's shape and vocabulary with n_kv_heads key/value heads, random weights (learned positions).
std::unique_ptr<TinyGpt> toyShaped(int kvHeads) {
    const auto t = toy();
    TinyGptConfig cfg = t->config();
    cfg.kvHeads = kvHeads;
    auto m = std::make_unique<TinyGpt>(cfg, t->tokenizer(), 5);
    Rng rng(6);
    for (const auto& p : m->parameters())
        for (Index i = 0; i < p.var.value().size(); ++i) const_cast<Var&>(p.var).value().data()[i] += float(rng.normal(0, 0.1));
    return m;
}

}  // namespace

class TestGenerationCost : public QObject {
    Q_OBJECT
private slots:
    void flopsEqualCountedWork_data() {
        QTest::addColumn<int>("kvHeads");  // 0: the shipped toy model (multi-head)
        QTest::newRow("toy model (multi-head)") << 0;
        QTest::newRow("grouped-query, 2 kv heads") << 2;
        QTest::newRow("multi-query") << 1;
    }
    void flopsEqualCountedWork() {
        QFETCH(int, kvHeads);
        const auto m = kvHeads ? toyShaped(kvHeads) : toy();
        const GenerationShape s = GenerationShape::of(m->config());
        const Tokens ids = m->tokenizer().encodeStrict("the small cat sees a dog . the dog sleeps");
        Reference cached(*m);
        auto state = m->newState();
        DecodeState* st = state.get();
        for (int t = 0; t < int(ids.size()); ++t) {
            const double before = cached.macs;
            const RowVec ref = cached.step(ids[size_t(t)], t, true);
            const Mat got = m->step(std::span<DecodeState* const>(&st, 1), std::span<const int>(&ids[size_t(t)], 1));
            QVERIFY2((got.row(0) - ref).cwiseAbs().maxCoeff() < 1e-4f, "the counted reference computes the model's logits");
            QCOMPARE(2 * (cached.macs - before), flopsCachedStep(s, t));
            // without the cache: positions 0..t again from nothing, logits for the last only
            Reference full(*m);
            for (int i = 0; i <= t; ++i) full.step(ids[size_t(i)], i, i == t);
            QCOMPARE(2 * full.macs, flopsUncachedStep(s, t));
        }
        // the cache's advantage grows with the position
        QVERIFY(flopsUncachedStep(s, 31) / flopsCachedStep(s, 31) > 20);
    }

    void kvBytesAreTheCache_data() {
        QTest::addColumn<int>("kvHeads");
        QTest::newRow("toy model (multi-head)") << 0;
        QTest::newRow("grouped-query, 2 kv heads") << 2;
        QTest::newRow("multi-query") << 1;
    }
    void kvBytesAreTheCache() {
        QFETCH(int, kvHeads);
        const auto m = kvHeads ? toyShaped(kvHeads) : toy();
        const GenerationShape s = GenerationShape::of(m->config());
        const int K = m->config().kvHeadCount() * (s.embd / s.heads);
        auto state = m->newState();
        auto* st = dynamic_cast<TinyGptState*>(state.get());
        DecodeState* p = state.get();
        const Tokens ids = m->tokenizer().encodeStrict("the cat sleeps");
        for (size_t i = 0; i < ids.size(); ++i) {
            m->step(std::span<DecodeState* const>(&p, 1), std::span<const int>(&ids[i], 1));
            for (int l = 0; l < s.layers; ++l) {
                QCOMPARE(kvFilledBytes(*st, l), size_t(2 * K * 4) * (i + 1));  // k and v, K floats each
                QCOMPARE(kvFilledBytes(*st, l), kvBytesPerTokenPerLayer(s) * (i + 1));
                // allocated: the matrices as they are in memory
                QCOMPARE(kvAllocatedBytes(*st, l), size_t(st->k[size_t(l)].size() + st->v[size_t(l)].size()) * sizeof(float));
                QCOMPARE(kvAllocatedBytes(*st, l), size_t(2 * K * 4 * m->contextLength()));
                QVERIFY(kvAllocatedBytes(*st, l) >= kvFilledBytes(*st, l));
            }
        }
        QCOMPARE(state->bytes(), kvBytesPerToken(s) * size_t(m->contextLength()));
        QCOMPARE(kvBytesPerToken(s), size_t(2 * s.layers * K * 4));
        QVERIFY_THROWS_EXCEPTION(Error, kvAllocatedBytes(*st, s.layers));
        QVERIFY_THROWS_EXCEPTION(Error, kvFilledBytes(*st, -1));
    }

    void variantsAreRealCaches() {
        // every variant's bytes = what a real TinyGPT of that n_kv_heads allocates for its cache, per token
        const auto m = toy();
        const auto v = kvVariants(m->config());
        QCOMPARE(int(v.size()), 3);  // the toy model has 4 heads: 4, 2, 1 key/value heads
        const int kv[3] = {4, 2, 1};
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(v[size_t(i)].kvHeads, kv[i]);
            const auto real = kv[i] == 4 ? toy() : toyShaped(kv[i]);
            QCOMPARE(v[size_t(i)].bytesPerToken, real->newState()->bytes() / size_t(real->contextLength()));
        }
        QCOMPARE(v[0].bytesPerToken, size_t(1024));  // 2 layers x (k, v) x 64 floats x 4 bytes
        QCOMPARE(v[1].bytesPerToken * 2, v[0].bytesPerToken);
        QCOMPARE(v[2].bytesPerToken * 4, v[0].bytesPerToken);
        TinyGptConfig big = m->config();
        big.heads = 8;
        big.embd = 256;
        big.layers = 4;
        big.contextLength = 512;
        const auto b = kvVariants(big);
        QCOMPARE(b[0].bytesPerToken, size_t(2 * 4 * 256 * 4));
        QCOMPARE(b[1].kvHeads, 4);
        QCOMPARE(b[2].bytesPerToken * 8, b[0].bytesPerToken);
        big.heads = 2;
        QCOMPARE(int(kvVariants(big).size()), 2);  // no distinct grouped-query shape
    }

    void stepTimesAreMeasured() {
        const auto m = toy();
        const Tokens ids(20, 1);
        const StepTimes t = measureStepTimes(*m, ids, 1);
        QCOMPARE(t.cached.size(), ids.size());
        for (size_t i = 0; i < ids.size(); ++i) QVERIFY(t.cached[i] > 0 && t.uncached[i] > 0 && t.cached[i] < 10);
        QVERIFY_THROWS_EXCEPTION(Error, measureStepTimes(*m, Tokens(40, 1), 1));
    }
};

QTEST_APPLESS_MAIN(TestGenerationCost)
#include "tst_core_generationcost.moc"
