// TinyGPT: gradients (finite differences), causality, attention probabilities, KV cache == full recompute,
// context overflow, files (nanoGPT names, save -> load), and the shipped toy-language model against the
// grammar's exact entropy rate.
#include "core/data/toygrammar.h"
#include "core/error.h"
#include "core/io/modelfile.h"
#include "core/models/tinygpt.h"
#include "core/training/optimizer.h"
#include "core/training/textdata.h"
#include "gradcheck.h"
#include "testpaths.h"

#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

using namespace ar;

Q_DECLARE_METATYPE(ar::PositionMode)

namespace {

void randomize(const ParamList& params, Rng& rng, double std) {
    for (const auto& p : params) {
        Mat& m = const_cast<Var&>(p.var).value();
        for (Index i = 0; i < m.size(); ++i) m.data()[i] += float(rng.normal(0.0, std));
    }
}

Tokenizer letters(int n) {
    std::vector<std::string> v;
    for (int i = 0; i < n; ++i) v.push_back(std::string(1, char('a' + i)));
    return Tokenizer(Tokenizer::Kind::Char, v);
}

TinyGpt tinyModel(PositionMode pos, int ctx = 16, int V = 7, int C = 8, int H = 2, int L = 2, uint64_t seed = 3, int KV = 0) {
    TinyGptConfig cfg;
    cfg.contextLength = ctx;
    cfg.layers = L;
    cfg.heads = H;
    cfg.kvHeads = KV;
    cfg.embd = C;
    cfg.pos = pos;
    cfg.bos = 0;
    TinyGpt m(cfg, letters(V), seed);
    Rng rng(seed + 100);
    randomize(m.parameters(), rng, 0.3);  // away from the tiny init: larger, more telling gradients and logits
    return m;
}

Tokens randomTokens(int n, int V, uint64_t seed) {
    Rng rng(seed);
    Tokens t(static_cast<size_t>(n));
    for (auto& x : t) x = int(rng.below(uint64_t(V)));
    return t;
}

void addPosRows() {
    QTest::addColumn<ar::PositionMode>("pos");
    QTest::newRow("learned") << PositionMode::Learned;
    QTest::newRow("sinusoidal") << PositionMode::Sinusoidal;
    QTest::newRow("rope") << PositionMode::Rope;
}

// TinyGPT's forward written from plain ops with the weights looked up by their nanoGPT names, as minGPT writes it:
// per head softmax(mask(q k^T / sqrt(D))) v, query head h reading key/value head h / (H / KV) of c_attn's
// [q (C) | k (K) | v (K)] columns. The positions are built here: wpe rows, the sinusoid table from its formula
// (wte scaled by sqrt(C) first), or q and k rotated by their position.
Mat referenceLogits(const TinyGpt& m, const Tokens& ids) {
    NoGradGuard ng;
    const TinyGptConfig& c = m.config();
    std::map<std::string, Var> w;
    for (const auto& p : m.parameters()) w[p.name] = p.var;
    const int T = int(ids.size()), C = c.embd, H = c.heads, KV = c.kvHeadCount(), D = C / H, K = KV * D;
    const auto linear = [&](const Var& x, const std::string& name) {
        return ops::addRow(ops::matmulNT(x, w[name + ".weight"]), w[name + ".bias"]);
    };
    const auto norm = [&](const Var& x, const std::string& name) { return ops::layerNorm(x, w[name + ".weight"], w[name + ".bias"]); };
    Var x = ops::embedding(w["transformer.wte.weight"], ids);
    if (c.pos == PositionMode::Learned) {
        Tokens pos(ids.size());
        for (int t = 0; t < T; ++t) pos[size_t(t)] = t;
        x = ops::add(x, ops::embedding(w["transformer.wpe.weight"], pos));
    } else if (c.pos == PositionMode::Sinusoidal) {
        Mat pe(T, C);
        for (int t = 0; t < T; ++t)
            for (int i = 0; i < C; ++i) {
                const double angle = t / std::pow(10000.0, double(i - i % 2) / C);
                pe(t, i) = float(i % 2 ? std::cos(angle) : std::sin(angle));
            }
        x = ops::add(ops::scale(x, std::sqrt(float(C))), Var(pe));
    }
    for (int l = 0; l < c.layers; ++l) {
        const std::string p = "transformer.h." + std::to_string(l) + ".";
        const Var qkv = linear(norm(x, p + "ln_1"), p + "attn.c_attn");
        std::vector<Var> heads;
        for (int h = 0; h < H; ++h) {
            const int g = h / (H / KV);
            Mat q = ops::sliceCols(qkv, h * D, D).value(), k = ops::sliceCols(qkv, C + g * D, D).value();
            if (c.pos == PositionMode::Rope)
                for (int t = 0; t < T; ++t) {
                    nn::ropeRotate(q.row(t).data(), D, t);
                    nn::ropeRotate(k.row(t).data(), D, t);
                }
            const Var att = ops::softmaxRows(ops::causalMask(ops::scale(ops::matmulNT(Var(q), Var(k)), 1.0f / std::sqrt(float(D)))));
            heads.push_back(ops::matmul(att, ops::sliceCols(qkv, C + K + g * D, D)));
        }
        x = ops::add(x, linear(ops::concatCols(heads), p + "attn.c_proj"));
        x = ops::add(x, linear(ops::gelu(linear(norm(x, p + "ln_2"), p + "mlp.c_fc")), p + "mlp.c_proj"));
    }
    return ops::matmulNT(norm(x, "transformer.ln_f"), w["transformer.wte.weight"]).value();
}

float maxAbs(const Mat& a) { return a.size() ? a.cwiseAbs().maxCoeff() : 0.0f; }

std::string toyModelPath() { return testutil::modelPath("toy-word"); }

}  // namespace

class TestTinyGpt : public QObject {
    Q_OBJECT
private slots:
    void attentionGradient_data() {
        QTest::addColumn<bool>("rope");
        QTest::addColumn<int>("heads");
        QTest::newRow("plain, 2 heads") << false << 2;
        QTest::newRow("rope, 2 heads") << true << 2;
        QTest::newRow("plain, 1 head") << false << 1;
    }
    void attentionGradient() {
        QFETCH(bool, rope);
        QFETCH(int, heads);
        const int B = 2, T = 5, C = 8;
        Rng rng(7);
        Mat x(B * T, 3 * C), w(B * T, C);
        for (Index i = 0; i < x.size(); ++i) x.data()[i] = float(rng.normal());
        for (Index i = 0; i < w.size(); ++i) w.data()[i] = float(rng.normal());
        Var qkv = Var::param(x);
        Var weights(w);
        ParamList params = {{"qkv", qkv, {}}};
        auto lossFn = [&] { return ops::sum(ops::mul(nn::causalSelfAttention(qkv, B, T, heads, rope), weights)); };
        const gradcheck::Result rep = gradcheck::checkParams(params, lossFn, {.rtol = 2e-2, .atol = 1e-3, .seed = 11, .samples = 60});
        QVERIFY2(rep.ok, rep.report.c_str());
        QCOMPARE(rep.checked, 60);
    }

    void modelGradient_data() { addPosRows(); }
    void modelGradient() {
        QFETCH(ar::PositionMode, pos);
        TinyGpt m = tinyModel(pos);
        const int B = 2, T = 6;
        const Tokens in = randomTokens(B * T, 7, 5), tgt = randomTokens(B * T, 7, 6);
        const ParamList params = m.parameters();
        const gradcheck::Result rep = gradcheck::checkParams(params, [&] { return m.loss(in, tgt, B, T, false, nullptr); },
                                                             {.rtol = 3e-2, .atol = 2e-3, .seed = 13, .samples = 24});
        QVERIFY2(rep.ok, rep.report.c_str());
        QVERIFY(rep.checked >= 24 * 20);
    }

    void causality_data() { addPosRows(); }
    void causality() {
        QFETCH(ar::PositionMode, pos);
        TinyGpt m = tinyModel(pos);
        const Tokens base = randomTokens(12, 7, 21);
        const Mat ref = m.logits(base);
        for (size_t p = 0; p < base.size(); ++p) {
            Tokens changed = base;
            changed[p] = (base[p] + 1) % 7;
            const Mat out = m.logits(changed);
            for (Index i = 0; i < Index(p); ++i)
                QVERIFY2(out.row(i) == ref.row(i), qPrintable(QString("position %1 changed when token %2 changed").arg(i).arg(p)));
            QVERIFY2((out.row(Index(p)) - ref.row(Index(p))).cwiseAbs().maxCoeff() > 1e-4, "the changed position must change");
        }
    }

    void attentionProbabilities_data() { addPosRows(); }
    void attentionProbabilities() {
        QFETCH(ar::PositionMode, pos);
        TinyGpt m = tinyModel(pos);
        const Tokens toks = randomTokens(9, 7, 31);
        const auto maps = m.attentionMaps(toks);  // [layer][head] (T, T)
        QCOMPARE(int(maps.size()), 2);
        auto state = m.newState();
        DecodeState* s = state.get();
        for (size_t i = 0; i < toks.size(); ++i) {
            m.step(std::span<DecodeState* const>(&s, 1), std::span<const int>(&toks[i], 1));
            const auto rows = m.lastAttention(*s);  // per layer (H, i + 1)
            for (size_t l = 0; l < maps.size(); ++l) {
                QCOMPARE(rows[l].rows(), Index(2));
                QCOMPARE(rows[l].cols(), Index(i + 1));
                for (int h = 0; h < 2; ++h) {
                    const Mat& P = maps[l][size_t(h)];
                    QVERIFY(std::abs(P.row(Index(i)).sum() - 1.0f) < 1e-5f);
                    for (Index j = Index(i) + 1; j < P.cols(); ++j) QCOMPARE(P(Index(i), j), 0.0f);  // exactly 0
                    QVERIFY(std::abs(rows[l].row(h).sum() - 1.0f) < 1e-5f);
                    QVERIFY((rows[l].row(h) - P.row(Index(i)).head(Index(i + 1))).cwiseAbs().maxCoeff() < 1e-5f);
                }
            }
        }
    }

    void kvCacheEqualsRecompute_data() { addPosRows(); }
    void kvCacheEqualsRecompute() {
        QFETCH(ar::PositionMode, pos);
        const int ctx = 20;
        TinyGpt m = tinyModel(pos, ctx, 9, 16, 4, 2, 5);
        // Three sequences; states brought to different lengths first (0, 3, 7), then stepped together.
        std::vector<Tokens> seqs = {randomTokens(ctx, 9, 1), randomTokens(ctx, 9, 2), randomTokens(ctx, 9, 3)};
        std::vector<Mat> full;
        for (const auto& s : seqs) full.push_back(m.logits(s));
        std::vector<std::unique_ptr<DecodeState>> states;
        const int lead[3] = {0, 3, 7};
        double worst = 0;
        for (int b = 0; b < 3; ++b) {
            states.push_back(m.newState());
            DecodeState* s = states.back().get();
            for (int t = 0; t < lead[b]; ++t) {
                const Mat l = m.step(std::span<DecodeState* const>(&s, 1), std::span<const int>(&seqs[size_t(b)][size_t(t)], 1));
                worst = std::max(worst, double((l.row(0) - full[size_t(b)].row(t)).cwiseAbs().maxCoeff()));
            }
        }
        for (int round = 0; round < ctx - 7; ++round) {
            std::vector<DecodeState*> ptrs;
            Tokens toks;
            for (int b = 0; b < 3; ++b) {
                ptrs.push_back(states[size_t(b)].get());
                toks.push_back(seqs[size_t(b)][size_t(lead[b] + round)]);
            }
            const Mat l = m.step(ptrs, toks);  // (3, V), one batched call
            QCOMPARE(l.rows(), Index(3));
            for (int b = 0; b < 3; ++b)
                worst = std::max(worst, double((l.row(b) - full[size_t(b)].row(lead[b] + round)).cwiseAbs().maxCoeff()));
        }
        QVERIFY2(worst < 1e-5, qPrintable(QString("max |cached - recomputed| = %1").arg(worst)));
        // Clones continue exactly like the original (beam search relies on it).
        auto c = states[0]->clone();
        DecodeState* a = states[0].get();
        DecodeState* bb = c.get();
        const int t = 1;
        const Mat la = m.step(std::span<DecodeState* const>(&a, 1), std::span<const int>(&t, 1));
        const Mat lb = m.step(std::span<DecodeState* const>(&bb, 1), std::span<const int>(&t, 1));
        QVERIFY(la == lb);
    }

    // Grouped-query / multi-query TinyGPT (n_kv_heads < n_head): the full forward (standard and flash kernels) and the
    // KV-cached decoder equal the plain-ops reference, the gradients pass the finite-difference check, and the cache
    // holds KV heads' keys and values: its bytes are KV / H of the multi-head model's.
    void groupedQuery_data() {
        QTest::addColumn<ar::PositionMode>("pos");
        QTest::addColumn<int>("kvHeads");
        for (auto pos : {PositionMode::Learned, PositionMode::Sinusoidal, PositionMode::Rope})
            for (int kv : {4, 2, 1})
                QTest::addRow("%s, %d kv heads", positionModeName(pos).c_str(), kv) << pos << kv;
    }
    void groupedQuery() {
        QFETCH(ar::PositionMode, pos);
        QFETCH(int, kvHeads);
        const int ctx = 12, V = 7, C = 16, H = 4, L = 2, D = C / H;
        TinyGpt m = tinyModel(pos, ctx, V, C, H, L, 21, kvHeads);
        QCOMPARE(m.config().kvHeadCount(), kvHeads);
        for (const auto& p : m.parameters())
            if (p.name.find("attn.c_attn.weight") != std::string::npos) QCOMPARE(p.var.rows(), Index(C + 2 * kvHeads * D));
        const Tokens ids = randomTokens(ctx, V, 4);
        const Mat reference = referenceLogits(m, ids);
        const Mat standard = m.logits(ids);
        QVERIFY2(maxAbs(standard - reference) <= 1e-4f, qPrintable(QString::number(maxAbs(standard - reference))));
        m.setAttentionKernel(nn::AttentionKernel::Flash);
        const Mat flash = m.logits(ids);
        QVERIFY2(maxAbs(flash - reference) <= 1e-4f, qPrintable(QString::number(maxAbs(flash - reference))));
        m.setAttentionKernel(nn::AttentionKernel::Standard);
        // decoding: token by token, and two tokens in one extend() call
        auto state = m.newState();
        DecodeState* s = state.get();
        for (int t = 0; t < ctx - 2; ++t) {
            const Mat row = m.step(std::span<DecodeState* const>(&s, 1), std::span<const int>(&ids[size_t(t)], 1));
            QVERIFY2(maxAbs(row - reference.row(t)) <= 1e-4f, qPrintable(QString("position %1").arg(t)));
        }
        const Mat two = m.extend(*state, std::span<const int>(ids).subspan(size_t(ctx - 2)));
        QVERIFY(maxAbs(two - reference.bottomRows(2)) <= 1e-4f);
        // the cache holds KV heads: 2 (k, v) x L layers x context x KV*D floats
        QCOMPARE(state->bytes(), size_t(2 * L * ctx * kvHeads * D) * sizeof(float));
        const TinyGpt mha = tinyModel(pos, ctx, V, C, H, L, 21);
        QCOMPARE(state->bytes() * size_t(H), mha.newState()->bytes() * size_t(kvHeads));
        // gradients of the loss over every parameter, by finite differences
        const int B = 2, T = 5;
        const Tokens in = randomTokens(B * T, V, 5), tgt = randomTokens(B * T, V, 6);
        const gradcheck::Result rep = gradcheck::checkParams(m.parameters(), [&] { return m.loss(in, tgt, B, T, false, nullptr); },
                                                             {.rtol = 3e-2, .atol = 2e-3, .seed = 17, .samples = 16});
        QVERIFY2(rep.ok, rep.report.c_str());
    }

    void groupedQueryFiles() {
        // n_kv_heads is written only when it differs from n_head, and a grouped-query model survives its file.
        TinyGpt gqa = tinyModel(PositionMode::Rope, 10, 7, 16, 4, 2, 8, 2);
        QVERIFY(gqa.metadata().at("arlab.config").find("\"n_kv_heads\":2") != std::string::npos);
        const std::string path = QDir::tempPath().toStdString() + "/tst_tinygpt_gqa.safetensors";
        gqa.save(path);
        auto loaded = loadLanguageModel(path);
        const Tokens ids = randomTokens(10, 7, 2);
        QVERIFY(loaded->logits(ids) == gqa.logits(ids));
        QCOMPARE(dynamic_cast<TinyGpt&>(*loaded).config().kvHeadCount(), 2);
        QCOMPARE(serializeSafetensors(readSafetensors(path)), serializeSafetensors(dynamic_cast<TinyGpt&>(*loaded).toSafetensors()));
        std::filesystem::remove(path);
        // n_kv_heads = n_head is multi-head attention: the same bytes as a config that never names it (nanoGPT's)
        const TinyGpt plain = tinyModel(PositionMode::Learned, 10, 7, 16, 4, 2, 8);
        const TinyGpt named = tinyModel(PositionMode::Learned, 10, 7, 16, 4, 2, 8, 4);
        QVERIFY(plain.metadata().at("arlab.config").find("n_kv_heads") == std::string::npos);
        QCOMPARE(serializeSafetensors(named.toSafetensors()), serializeSafetensors(plain.toSafetensors()));
        // the shipped (multi-head) toy model: read and written again, byte for byte
        std::ifstream f(toyModelPath(), std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        QVERIFY(!bytes.empty());
        const auto toy = TinyGpt::fromSafetensors(parseSafetensors(bytes, "toy"), "toy");
        QCOMPARE(toy->config().kvHeadCount(), toy->config().heads);
        QVERIFY(serializeSafetensors(toy->toSafetensors()) == bytes);
    }

    void groupedQueryBadConfig_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("does not divide") << "3" << "n_kv_heads (3) must divide n_head (4)";
        QTest::newRow("more than n_head") << "8" << "n_kv_heads must be between 1 and n_head (4), got 8";
        QTest::newRow("zero") << "0" << "config: 'n_kv_heads' = 0 is outside 1..4096";
        QTest::newRow("negative") << "-2" << "config: 'n_kv_heads' = -2 is outside 1..4096";
        QTest::newRow("not an integer") << "2.5" << "config: 'n_kv_heads' must be an integer, got 2.5";
        QTest::newRow("a string") << "\"2\"" << "config: 'n_kv_heads' must be an integer, got \"2\"";
    }
    void groupedQueryBadConfig() {
        QFETCH(QString, value);
        QFETCH(QString, message);
        const std::string json = R"({"vocab_size":7,"block_size":8,"n_layer":1,"n_head":4,"n_embd":16,"n_kv_heads":)" +
                                 value.toStdString() + "}";
        try {
            TinyGptConfig::fromJson(json);
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
        // the same number in code (not through a file) is refused by validate()
        bool ok = false;
        const int kv = value.toInt(&ok);
        if (ok && kv > 0) {
            TinyGptConfig cfg;
            cfg.embd = 16, cfg.heads = 4, cfg.kvHeads = kv;
            QVERIFY_THROWS_EXCEPTION(Error, TinyGpt(cfg, letters(7), 1));
        }
    }

    void groupedQueryWeightsMustFit() {
        // a file whose config says 2 kv heads but whose c_attn is the multi-head shape is refused by name
        const TinyGpt mha = tinyModel(PositionMode::Learned, 10, 7, 16, 4, 1, 8);
        SafeTensors f = mha.toSafetensors();
        TinyGptConfig cfg = mha.config();
        cfg.kvHeads = 2;
        f.metadata["arlab.config"] = cfg.toJson();
        try {
            TinyGpt::fromSafetensors(f, "model 'x'");
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("c_attn"), e.what());
        }
    }

    void contextOverflow() {
        TinyGpt m = tinyModel(PositionMode::Learned, 4);
        auto full = m.newState(), fresh = m.newState();
        DecodeState* f = full.get();
        for (int t = 0; t < 4; ++t) m.step(std::span<DecodeState* const>(&f, 1), std::span<const int>(&t, 1));
        QCOMPARE(full->length(), 4);
        std::vector<DecodeState*> both = {fresh.get(), full.get()};
        const Tokens toks = {1, 2};
        try {
            m.step(both, toks);
            QFAIL("stepping a full context must throw");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("context of 4 tokens is full") != std::string::npos, e.what());
        }
        QCOMPARE(fresh->length(), 0);  // nothing changed
        QCOMPARE(full->length(), 4);
        QVERIFY_THROWS_EXCEPTION(Error, m.logits(randomTokens(5, 7, 1)));
        const int bad = 99;
        DecodeState* fr = fresh.get();
        QVERIFY_THROWS_EXCEPTION(Error, m.step(std::span<DecodeState* const>(&fr, 1), std::span<const int>(&bad, 1)));
    }

    void configErrors_data() {
        QTest::addColumn<int>("embd");
        QTest::addColumn<int>("heads");
        QTest::addColumn<QString>("pos");
        QTest::addColumn<QString>("message");
        QTest::newRow("heads do not divide") << 10 << 3 << "learned" << "must divide";
        QTest::newRow("rope odd head width") << 6 << 2 << "rope" << "even head width";
        QTest::newRow("sinusoidal odd width") << 5 << 1 << "sinusoidal" << "even embedding width";
        QTest::newRow("unknown position") << 8 << 2 << "alibi" << "not one of learned, sinusoidal, rope";
    }
    void configErrors() {
        QFETCH(int, embd);
        QFETCH(int, heads);
        QFETCH(QString, pos);
        QFETCH(QString, message);
        try {
            TinyGptConfig cfg;
            cfg.embd = embd;
            cfg.heads = heads;
            cfg.pos = parsePositionMode(pos.toStdString());
            TinyGpt m(cfg, letters(5), 1);
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
    }

    void saveLoad_data() { addPosRows(); }
    void saveLoad() {
        QFETCH(ar::PositionMode, pos);
        // A Chinese + ASCII character vocabulary survives the file (tokenizer round trip).
        const std::string text = "你好，世界! hello\n";
        const Tokenizer tok = Tokenizer::build(Tokenizer::Kind::Char, text);
        const Tokens ids = tok.encodeStrict(text);
        QCOMPARE(tok.decode(ids), text);
        QCOMPARE(int(ids.size()), 13);  // one token per character (5 Chinese, "!", " ", "hello", "\n")
        TinyGptConfig cfg;
        cfg.contextLength = 16;
        cfg.embd = 8;
        cfg.heads = 2;
        cfg.pos = pos;
        cfg.bos = tok.id("\n");
        TinyGpt m(cfg, tok, 9);
        m.setProvenance(R"({"corpus":"test"})");
        const std::string path = QDir::tempPath().toStdString() + "/tst_tinygpt_" + positionModeName(pos) + ".safetensors";
        m.save(path);
        auto loaded = loadLanguageModel(path);
        QCOMPARE(QString::fromStdString(loaded->kind()), QString("tinygpt"));
        QVERIFY(loaded->tokenizer().vocab() == tok.vocab());
        QCOMPARE(loaded->tokenizer().decode(loaded->tokenizer().encodeStrict(text)), text);
        QVERIFY(loaded->logits(ids) == m.logits(ids));
        QCOMPARE(loaded->bosToken(), cfg.bos);
        QCOMPARE(QString::fromStdString(loaded->metadata().at("arlab.provenance")), QString(R"({"corpus":"test"})"));

        // nanoGPT's state_dict names and shapes.
        const SafeTensors f = readSafetensors(path);
        const int C = 8, V = tok.size();
        std::map<std::string, std::vector<int64_t>> expected = {
            {"transformer.wte.weight", {V, C}}, {"lm_head.weight", {V, C}},
            {"transformer.ln_f.weight", {C}}, {"transformer.ln_f.bias", {C}}};
        for (int l = 0; l < 2; ++l) {
            const std::string p = "transformer.h." + std::to_string(l) + ".";
            expected[p + "ln_1.weight"] = {C};
            expected[p + "ln_1.bias"] = {C};
            expected[p + "attn.c_attn.weight"] = {3 * C, C};
            expected[p + "attn.c_attn.bias"] = {3 * C};
            expected[p + "attn.c_proj.weight"] = {C, C};
            expected[p + "attn.c_proj.bias"] = {C};
            expected[p + "ln_2.weight"] = {C};
            expected[p + "ln_2.bias"] = {C};
            expected[p + "mlp.c_fc.weight"] = {4 * C, C};
            expected[p + "mlp.c_fc.bias"] = {4 * C};
            expected[p + "mlp.c_proj.weight"] = {C, 4 * C};
            expected[p + "mlp.c_proj.bias"] = {C};
        }
        if (pos == PositionMode::Learned) expected["transformer.wpe.weight"] = {16, C};
        QCOMPARE(f.tensors.size(), expected.size());
        for (const auto& [name, shape] : expected) {
            const TensorEntry* e = f.find(name);
            QVERIFY2(e, name.c_str());
            QVERIFY2(e->shape == shape, name.c_str());
        }
        QVERIFY(f.find("lm_head.weight")->data == f.find("transformer.wte.weight")->data);

        // An lm_head that is not the tied copy is refused with a clear message.
        SafeTensors bad = f;
        for (auto& t : bad.tensors)
            if (t.name == "lm_head.weight") t.data[0] += 1.0f;
        try {
            loadLanguageModel(bad, "model 'bad'");
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("lm_head.weight differs"), e.what());
        }
        std::filesystem::remove(path);
    }

    void dropoutOnlyWhileTraining() {
        TinyGptConfig cfg;
        cfg.contextLength = 8;
        cfg.embd = 8;
        cfg.heads = 2;
        cfg.dropout = 0.3f;
        const TinyGpt m(cfg, letters(5), 1);
        const Tokens in = randomTokens(8, 5, 1);
        Rng r1(1), r2(2);
        NoGradGuard ng;
        const Mat eval1 = m.forward(in, 1, 8, false, &r1).value(), eval2 = m.forward(in, 1, 8, false, &r2).value();
        QVERIFY(eval1 == eval2);                       // no dropout at inference, whatever the Rng
        QVERIFY(eval1 == m.logits(in));
        const Mat train1 = m.forward(in, 1, 8, true, &r1).value();
        QVERIFY((train1 - eval1).cwiseAbs().maxCoeff() > 1e-4f);  // dropout active while training
    }

    void trainingLowersLoss_data() { addPosRows(); }
    void trainingLowersLoss() {
        // A few steps on the toy language must lower the loss (the whole pipeline learns), in every position mode.
        QFETCH(ar::PositionMode, pos);
        ToyGrammar g;
        Rng rng(4);
        const TextData data(g.sample(rng, 400), g.tokenizer(), 0, 0.2, 16);
        TinyGptConfig cfg;
        cfg.contextLength = 16;
        cfg.embd = 16;
        cfg.heads = 2;
        cfg.layers = 1;
        cfg.pos = pos;
        TinyGpt m(cfg, g.tokenizer(), 1);
        const auto val = data.validationBatches(16, 2000);
        const auto lossOf = [&](const TextBatch& b) { return m.loss(b.inputs, b.targets, b.B, b.T, false, nullptr).item(); };
        const double before = meanLoss(val, lossOf);
        Adam opt(m.parameters(), 1e-2f);
        Rng br(2);
        for (int s = 0; s < 40; ++s) {
            const TextBatch b = data.sampleBatch(16, br);
            Var loss = m.loss(b.inputs, b.targets, b.B, b.T, true, &br);
            backward(loss);
            opt.guardedStep(loss.item());
        }
        const double after = meanLoss(val, lossOf);
        QVERIFY2(after < before - 0.5, qPrintable(QString("loss %1 -> %2").arg(before).arg(after)));
    }

    void shippedToyModelMatchesEntropyRate() {
        const std::string path = toyModelPath();
        QVERIFY2(std::filesystem::exists(path), "resources/models/toy-word.safetensors is missing");
        auto model = loadLanguageModel(path);
        const ToyGrammar g;
        QVERIFY(model->tokenizer().vocab() == g.tokenizer().vocab());
        QCOMPARE(model->bosToken(), 0);  // "."
        // Held-out text from the grammar (a seed the training never used), scored with sentence-aligned windows.
        Rng rng(987654321);
        Tokens stream = model->tokenizer().encodeStrict(g.sample(rng, 3000));
        stream.insert(stream.begin(), 0);
        const auto batches = TextData::scoringBatches(stream, 0, model->contextLength(), 32, 1 << 30);
        int counted = 0;
        double modelNll = 0, trueNll = 0;
        for (const auto& b : batches) {
            counted += b.counted;
            for (int w = 0; w < b.B; ++w) {
                const std::span<const int> in(b.inputs.data() + w * b.T, size_t(b.T));
                const Mat logits = model->logits(in);
                for (int t = 0; t < b.T; ++t) {
                    const int target = b.targets[size_t(w * b.T + t)];
                    if (target == TextBatch::kIgnore) continue;
                    const auto row = logits.row(t);
                    const double m = row.maxCoeff();
                    modelNll -= double(row(target)) - m - std::log((row.array() - float(m)).exp().sum());
                    const auto truth = g.nextDistribution(in.first(size_t(t) + 1), model->tokenizer());
                    trueNll -= std::log(truth[size_t(target)]);
                }
            }
        }
        QCOMPARE(counted, int(stream.size()) - 1);  // every held-out token scored once
        modelNll /= counted;
        trueNll /= counted;
        const double h = g.entropyRate();
        qInfo("held-out: %d tokens, model NLL %.4f, grammar NLL %.4f, entropy rate %.4f nats/token (model %.2f%% above)",
              counted, modelNll, trueNll, h, 100 * (modelNll / h - 1));
        QVERIFY2(std::abs(trueNll / h - 1) < 0.02, "the held-out sample is representative");  // sanity
        QVERIFY2(std::abs(modelNll / h - 1) < 0.05, "the shipped model must be within 5% of the entropy rate");
        QVERIFY(modelNll >= trueNll - 0.01);  // no model beats the truth (beyond sampling noise)
    }
};

QTEST_GUILESS_MAIN(TestTinyGpt)
#include "tst_core_tinygpt.moc"
