// llama2.c checkpoints: tiny files in the legacy and version-1 formats and a tiny tokenizer.bin, written by
// the test. The model's logits (KV-cached steps) equal a plain reference forward built from the autograd ops
// on the weights the test generated (1e-5), with grouped-query attention (kv_heads < heads) and without; the
// logit lens's last layer is the model's output; bad headers and files get specific errors.
#include "core/error.h"
#include "core/io/llama2c.h"
#include "core/models/lens.h"
#include "core/nn/attention.h"
#include "realmodelfiles.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

using namespace ar;
using realfiles::LlamaShape;
using realfiles::LlamaWeights;

namespace {
using testutil::errorOf;

// RMSNorm from ops: x * (1 / sqrt(mean(x^2) + eps)) per row, times the weight row.
Var rms(const Var& x, const Mat& w) {
    ColVec inv = ((x.value().array().square().rowwise().mean()) + 1e-5f).rsqrt();
    return ops::mulRow(ops::mulCol(x, Var(Mat(inv))), Var(w));
}

// Meta's model.py written with arlab's ops: no cache, the whole sequence at once, a causal mask.
Mat referenceLogits(const LlamaShape& s, const LlamaWeights& w, const Tokens& ids) {
    NoGradGuard ng;
    const int T = int(ids.size()), D = s.headSize(), group = s.heads / s.kvHeads;
    Var x = ops::embedding(Var(w.tokEmb), ids);  // (T, C)
    for (int l = 0; l < s.layers; ++l) {
        Var xb = rms(x, w.attnNorm[size_t(l)]);
        Mat q = ops::matmulNT(xb, Var(w.wq[size_t(l)])).value();  // (T, C)
        Mat k = ops::matmulNT(xb, Var(w.wk[size_t(l)])).value();  // (T, K)
        Var v = ops::matmulNT(xb, Var(w.wv[size_t(l)]));
        for (int t = 0; t < T; ++t) {
            for (int h = 0; h < s.heads; ++h) nn::ropeRotate(q.row(t).data() + h * D, D, t);
            for (int h = 0; h < s.kvHeads; ++h) nn::ropeRotate(k.row(t).data() + h * D, D, t);
        }
        const Var qv(q), kv(k);
        std::vector<Var> heads;
        for (int h = 0; h < s.heads; ++h) {  // repeat_kv: query head h reads kv head h / group
            Var qh = ops::sliceCols(qv, h * D, D), kh = ops::sliceCols(kv, (h / group) * D, D), vh = ops::sliceCols(v, (h / group) * D, D);
            Var att = ops::softmaxRows(ops::causalMask(ops::scale(ops::matmulNT(qh, kh), 1.0f / std::sqrt(float(D)))));
            heads.push_back(ops::matmul(att, vh));
        }
        x = ops::add(x, ops::matmulNT(ops::concatCols(heads), Var(w.wo[size_t(l)])));
        Var xf = rms(x, w.ffnNorm[size_t(l)]);
        Var h1 = ops::matmulNT(xf, Var(w.w1[size_t(l)])), h3 = ops::matmulNT(xf, Var(w.w3[size_t(l)]));
        x = ops::add(x, ops::matmulNT(ops::mul(ops::mul(h1, ops::sigmoid(h1)), h3), Var(w.w2[size_t(l)])));
    }
    return ops::matmulNT(rms(x, w.norm), Var(s.shared ? w.tokEmb : w.cls)).value();
}

struct Written {
    QTemporaryDir dir;
    std::string checkpoint;
};
void writeModel(Written& out, const LlamaShape& s, const LlamaWeights& w, int version, bool tokenizer = true) {
    out.checkpoint = (out.dir.path() + "/model.bin").toStdString();
    realfiles::writeFile(out.checkpoint, version == 0 ? realfiles::llamaLegacyBytes(s, w) : realfiles::llamaV1Bytes(s, w));
    if (tokenizer) realfiles::writeFile((out.dir.path() + "/tokenizer.bin").toStdString(), realfiles::llamaTokenizerBin(s.vocab));
}
float maxDiff(const Mat& a, const Mat& b) { return a.rows() == b.rows() && a.cols() == b.cols() ? (a - b).cwiseAbs().maxCoeff() : 1e30f; }
}  // namespace

class TestLlama : public QObject {
    Q_OBJECT
private slots:
    void logitsEqualReference_data();
    void logitsEqualReference();
    void batchedStepsAndClones();
    void lensLastLayerIsTheOutput();
    void tokenizerFlag();
    void badFiles_data();
    void badFiles();
};

void TestLlama::logitsEqualReference_data() {
    QTest::addColumn<int>("version");
    QTest::addColumn<int>("heads");
    QTest::addColumn<int>("kvHeads");
    QTest::addColumn<bool>("shared");
    for (int version : {0, 1})
        for (bool shared : {true, false}) {
            QTest::addRow("v%d gqa 4/2 %s", version, shared ? "shared" : "unshared") << version << 4 << 2 << shared;
            QTest::addRow("v%d mha 4/4 %s", version, shared ? "shared" : "unshared") << version << 4 << 4 << shared;
        }
    QTest::addRow("v0 mqa 4/1") << 0 << 4 << 1 << false;
}

void TestLlama::logitsEqualReference() {
    QFETCH(int, version);
    QFETCH(int, heads);
    QFETCH(int, kvHeads);
    QFETCH(bool, shared);
    LlamaShape s;
    s.heads = heads;
    s.kvHeads = kvHeads;
    s.shared = shared;
    const LlamaWeights w = realfiles::randomLlama(s, 42 + uint64_t(version));
    Written f;
    writeModel(f, s, w, version);
    auto m = loadLlama2c(f.checkpoint);
    QCOMPARE(m->config().kvHeads, kvHeads);
    QCOMPARE(m->config().sharedClassifier, shared);
    QCOMPARE(m->vocabSize(), s.vocab);
    QCOMPARE(m->contextLength(), s.seqLen);
    Tokens ids = {m->bosToken()};
    for (int k : m->tokenizer().encodeStrict("the cat sat. abc")) ids.push_back(k);
    QVERIFY(ids.size() > 8);
    const Mat ref = referenceLogits(s, w, ids);
    const Mat got = m->logits(ids);  // KV-cached steps
    QVERIFY2(maxDiff(got, ref) <= 1e-5f, qPrintable(QString::number(maxDiff(got, ref))));
    QVERIFY(ref.cwiseAbs().maxCoeff() > 0.1f);  // not a trivial comparison
    // Each layer's attention rows sum to 1 over the keys seen so far.
    auto st = m->newState();
    DecodeState* p = st.get();
    for (int t : ids) m->step({&p, 1}, {&t, 1});
    for (const Mat& a : m->lastAttention(*st)) {
        QCOMPARE(a.rows(), Index(heads));
        QCOMPARE(a.cols(), Index(ids.size()));
        QVERIFY((a.rowwise().sum().array() - 1.0f).abs().maxCoeff() < 1e-5f);
    }
}

void TestLlama::batchedStepsAndClones() {
    LlamaShape s;
    const LlamaWeights w = realfiles::randomLlama(s, 5);
    Written f;
    writeModel(f, s, w, 1);
    auto m = loadLlama2c(f.checkpoint);
    const Tokens a = {1, 270, 280, 290}, b = {1, 300 - 1, 265, 266};
    auto sa = m->newState(), sb = m->newState();
    Mat last;
    for (size_t i = 0; i < a.size(); ++i) {
        DecodeState* both[2] = {sa.get(), sb.get()};
        const int toks[2] = {a[i], b[i]};
        last = m->step(both, toks);
        if (i == 1) {  // a clone continues exactly like the original
            auto c = sa->clone();
            DecodeState* cp = c.get();
            const int t = a[2];
            const Mat viaClone = m->step({&cp, 1}, {&t, 1});
            QVERIFY(maxDiff(viaClone.row(0), referenceLogits(s, w, {a[0], a[1], a[2]}).row(2)) <= 1e-5f);
        }
    }
    QVERIFY(maxDiff(last.row(0), referenceLogits(s, w, a).row(3)) <= 1e-5f);
    QVERIFY(maxDiff(last.row(1), referenceLogits(s, w, b).row(3)) <= 1e-5f);
}

void TestLlama::lensLastLayerIsTheOutput() {
    LlamaShape s;
    const LlamaWeights w = realfiles::randomLlama(s, 8);
    Written f;
    writeModel(f, s, w, 0);
    auto m = loadLlama2c(f.checkpoint);
    const Tokens ids = {1, 270, 271, 290, 300 - 1};
    const Mat logits = m->logits(ids);
    for (int pos : {0, 2, 4}) {
        const LensResult lens = logitLens(*m, ids, pos, 5);
        QCOMPARE(lens.probs.rows(), Index(s.layers + 1));
        RowVec p = (logits.row(pos).array() - logits.row(pos).maxCoeff()).exp();
        p /= p.sum();
        QVERIFY(maxDiff(lens.probs.row(s.layers), p) <= 1e-6f);
        QVERIFY(maxDiff(lens.probs.row(0), lens.probs.row(s.layers)) > 1e-4f);  // earlier layers read differently
        QCOMPARE(int(lens.top[size_t(s.layers)].size()), 5);
        Index best;
        p.maxCoeff(&best);
        QCOMPARE(lens.top[size_t(s.layers)][0].token, int(best));
    }
    // Greedy tokens are committed by the last layer at the latest; a token that is not top-1 never.
    Tokens seq = {1, 270};
    for (int i = 0; i < 4; ++i) {
        const Mat lg = m->logits(seq);
        Index col;
        lg.row(lg.rows() - 1).maxCoeff(&col);
        seq.push_back(int(col));
    }
    const std::vector<int> commit = commitmentLayers(*m, seq, 2);
    QCOMPARE(commit.size(), size_t(4));
    for (int c : commit) QVERIFY(c >= 0 && c <= s.layers);
    seq.back() = seq.back() == 3 ? 4 : 3;  // not the model's choice
    QCOMPARE(commitmentLayers(*m, seq, 2).back(), -1);
}

void TestLlama::tokenizerFlag() {
    LlamaShape s;
    const LlamaWeights w = realfiles::randomLlama(s, 1);
    Written f;
    writeModel(f, s, w, 0, false);
    QVERIFY(errorOf([&] { loadLlama2c(f.checkpoint); }).contains("tokenizer.bin not found next to model.bin"));
    const std::string other = (f.dir.path() + "/other.tok").toStdString();
    realfiles::writeFile(other, realfiles::llamaTokenizerBin(s.vocab));
    QCOMPARE(loadLlama2c(f.checkpoint, other)->vocabSize(), s.vocab);
    realfiles::writeFile(other, realfiles::llamaTokenizerBin(s.vocab + 10));
    QVERIFY(errorOf([&] { loadLlama2c(f.checkpoint, other); }).contains("the vocabulary size does not match"));
}

void TestLlama::badFiles_data() {
    QTest::addColumn<int>("version");
    QTest::addColumn<int>("field");   // header field index to overwrite (-1: none)
    QTest::addColumn<int>("value");
    QTest::addColumn<int>("cut");     // bytes removed from the end
    QTest::addColumn<QString>("error");
    QTest::newRow("legacy truncated") << 0 << -1 << 0 << 100 << "(truncated?)";
    QTest::newRow("v1 truncated") << 1 << -1 << 0 << 4 << "(truncated?)";
    QTest::newRow("header only") << 0 << -1 << 0 << -28 << "(truncated?)";
    QTest::newRow("too short") << 0 << -1 << 0 << -10 << "too short for a llama2.c header";
    QTest::newRow("negative dim") << 0 << 0 << -16 << 0 << "header field dim is -16";
    QTest::newRow("negative layers v1") << 1 << 2 << -2 << 0 << "header field n_layers is -2";
    QTest::newRow("huge dim") << 0 << 0 << 65536 << 0 << "implies";  // checked against the file size, not allocated
    QTest::newRow("huge layers") << 0 << 2 << 1000000 << 0 << "n_layers 1000000 is outside 1..1024";
    QTest::newRow("huge vocab") << 1 << 5 << 2000000000 << 0 << "vocab_size 2000000000 is outside";
    QTest::newRow("huge seq_len") << 0 << 6 << (1 << 20) << 0 << "implies";
    QTest::newRow("kv heads do not divide") << 0 << 4 << 3 << 0 << "n_kv_heads 3 does not divide n_heads 4";
    QTest::newRow("odd head width") << 0 << 3 << 16 << 0 << "must be even for RoPE";
    QTest::newRow("v1 unknown version") << 1 << -2 << 7 << 0 << "version 7 is not known";
    QTest::newRow("v1 int8") << 1 << -2 << 2 << 0 << "version 2 (int8 quantized";
}

void TestLlama::badFiles() {
    QFETCH(int, version);
    QFETCH(int, field);
    QFETCH(int, value);
    QFETCH(int, cut);
    QFETCH(QString, error);
    LlamaShape s;
    const LlamaWeights w = realfiles::randomLlama(s, 2);
    std::string bytes = version == 0 ? realfiles::llamaLegacyBytes(s, w) : realfiles::llamaV1Bytes(s, w);
    const size_t fields = version == 0 ? 0 : 8;
    if (field >= 0) std::memcpy(bytes.data() + fields + 4 * size_t(field), &value, 4);
    if (field == -2) std::memcpy(bytes.data() + 4, &value, 4);  // the version number
    if (cut > 0) bytes.resize(bytes.size() - size_t(cut));
    if (cut < 0) bytes.resize(size_t(-cut));
    Written f;
    f.checkpoint = (f.dir.path() + "/model.bin").toStdString();
    realfiles::writeFile(f.checkpoint, bytes);
    realfiles::writeFile((f.dir.path() + "/tokenizer.bin").toStdString(), realfiles::llamaTokenizerBin(s.vocab));
    const QString e = errorOf([&] { loadLlama2c(f.checkpoint); });
    QVERIFY2(e.contains(error), qPrintable(e));
}

QTEST_APPLESS_MAIN(TestLlama)
#include "tst_core_llama.moc"
