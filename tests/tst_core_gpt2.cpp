// GPT-2 in the Hugging Face layout: a random model written by the test in that layout (Conv1D transposed,
// optional transformer. prefix and lm_head, attn.bias buffers) gives the same logits as the same weights in
// arlab's TinyGPT layout through the existing forward, for both GELU variants; bad folders get specific errors.
#include "core/error.h"
#include "core/models/gpt2.h"
#include "core/models/lens.h"
#include "realmodelfiles.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>

using namespace ar;

namespace {
using testutil::errorOf;

// A TinyGpt with the small GPT-2 vocabulary and every weight random (biases and LayerNorms too, so a wrong
// transpose or a dropped bias shows).
std::unique_ptr<TinyGpt> randomGpt(Activation act, uint64_t seed, float lnEps = 1e-5f) {
    TinyGptConfig c;
    c.layers = 2;
    c.heads = 4;
    c.embd = 32;
    c.contextLength = 24;
    c.act = act;
    c.lnEps = lnEps;
    auto m = std::make_unique<TinyGpt>(c, realfiles::gpt2SmallTokenizer(), seed);
    Rng rng(seed + 1);
    for (auto& p : m->parameters()) {
        Mat& v = p.var.value();
        const bool ln = p.name.find("ln_") != std::string::npos;
        for (Index i = 0; i < v.size(); ++i) v.data()[i] = (ln && p.name.ends_with("weight") ? 1.0f : 0.0f) + float(rng.normal(0.0, 0.3));
    }
    return m;
}

float maxDiff(const Mat& a, const Mat& b) { return a.rows() == b.rows() && a.cols() == b.cols() ? (a - b).cwiseAbs().maxCoeff() : 1e30f; }

Mat stepLogits(const LanguageModel& m, const Tokens& ids) {
    auto s = m.newState();
    DecodeState* st = s.get();
    Mat out(Index(ids.size()), m.vocabSize());
    for (size_t i = 0; i < ids.size(); ++i) out.row(Index(i)) = m.step({&st, 1}, {&ids[i], 1});
    return out;
}
}  // namespace

class TestGpt2 : public QObject {
    Q_OBJECT
private slots:
    void sameLogitsAsTinyGpt_data();
    void sameLogitsAsTinyGpt();
    void geluVariantsDiffer();
    void geluNewIsTheTanhFormula();
    void openByAnyFileOfTheFolder();
    void metadataWithoutTheBpeFiles();
    void badFolders_data();
    void badFolders();
    void lensLastLayerIsTheOutput_data();
    void lensLastLayerIsTheOutput();
};

void TestGpt2::sameLogitsAsTinyGpt_data() {
    QTest::addColumn<bool>("tanh");
    QTest::addColumn<bool>("prefix");
    QTest::addColumn<bool>("lmHead");
    QTest::addColumn<bool>("buffers");
    QTest::addColumn<bool>("tokenizerJson");
    for (bool tanh : {true, false}) {
        const char* g = tanh ? "gelu_new" : "gelu";
        QTest::addRow("%s plain", g) << tanh << false << false << true << false;
        QTest::addRow("%s transformer. prefix + lm_head", g) << tanh << true << true << true << false;
        QTest::addRow("%s no buffers, tokenizer.json", g) << tanh << false << false << false << true;
    }
}

void TestGpt2::sameLogitsAsTinyGpt() {
    QFETCH(bool, tanh);
    QFETCH(bool, prefix);
    QFETCH(bool, lmHead);
    QFETCH(bool, buffers);
    QFETCH(bool, tokenizerJson);
    QTemporaryDir dir;
    auto ref = randomGpt(tanh ? Activation::GeluTanh : Activation::Gelu, 11, 1e-5f);
    realfiles::writeGpt2Folder(dir.path().toStdString(), *ref, {prefix, lmHead, buffers, tokenizerJson});
    auto gpt = loadGpt2(dir.path().toStdString());
    QCOMPARE(gpt->config().act, ref->config().act);
    QCOMPARE(gpt->vocabSize(), ref->vocabSize());
    QCOMPARE(gpt->eosToken(), gpt->tokenizer().id("<|endoftext|>"));
    const Tokens ids = gpt->tokenizer().encodeStrict(" the there 12 我<|endoftext|>ee");
    QCOMPARE(ids.size(), size_t(11));
    const Mat expected = ref->logits(ids);  // arlab's own layout, existing forward
    QVERIFY2(maxDiff(gpt->logits(ids), expected) <= 1e-5f, "full forward");
    QVERIFY2(maxDiff(stepLogits(*gpt, ids), expected) <= 1e-5f, "KV-cached steps");
}

void TestGpt2::geluVariantsDiffer() {
    // The same weights with the other GELU give different logits: the test above can tell them apart.
    auto a = randomGpt(Activation::GeluTanh, 5), b = randomGpt(Activation::Gelu, 5);
    const Tokens ids = {1, 2, 3, 4, 5, 6};
    QVERIFY(maxDiff(a->logits(ids), b->logits(ids)) > 1e-4f);
    QVERIFY(maxDiff(stepLogits(*a, ids), a->logits(ids)) <= 1e-5f);
}

void TestGpt2::geluNewIsTheTanhFormula() {
    for (double x : {-3.0, -1.0, -0.5, 0.0, 0.3, 1.0, 2.5}) {
        const double want = 0.5 * x * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x)));
        QVERIFY(std::abs(ops::geluTanhAt(float(x)) - want) < 1e-6);
        const double exact = 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
        if (std::abs(x) >= 1.0) QVERIFY(std::abs(want - exact) > 1e-5);
    }
}

void TestGpt2::openByAnyFileOfTheFolder() {
    QTemporaryDir dir;
    auto ref = randomGpt(Activation::GeluTanh, 3);
    realfiles::writeGpt2Folder(dir.path().toStdString(), *ref);
    const Tokens ids = {5, 7, 9};
    for (const char* f : {"/model.safetensors", "/config.json", "/vocab.json", "/merges.txt"}) {
        auto m = loadGpt2((dir.path() + f).toStdString());
        QVERIFY(maxDiff(m->logits(ids), ref->logits(ids)) <= 1e-5f);
    }
}

// A GPT-2 model's metadata (what the Model dock reads) is its config and provenance; the byte-level BPE lives
// in its own files and is not written there (it used to throw).
void TestGpt2::metadataWithoutTheBpeFiles() {
    QTemporaryDir dir;
    auto ref = randomGpt(Activation::GeluTanh, 3);
    realfiles::writeGpt2Folder(dir.path().toStdString(), *ref);
    const auto m = loadGpt2(dir.path().toStdString());
    const Metadata meta = m->metadata();
    QVERIFY(meta.count("arlab.config") == 1);
    QVERIFY(meta.at("arlab.config").find("\"activation\":\"gelu_new\"") != std::string::npos);
    QVERIFY(meta.at("arlab.provenance").find("gpt2 (Hugging Face safetensors)") != std::string::npos);
    QCOMPARE(meta.count("arlab.tokenizer"), size_t(0));
    QCOMPARE(ref->metadata().count("arlab.tokenizer"), size_t(0));   // the same TinyGpt with the BPE vocabulary
}

void TestGpt2::badFolders_data() {
    QTest::addColumn<QString>("damage");
    QTest::addColumn<QString>("error");
    QTest::newRow("no merges.txt") << "rm merges.txt" << "merges.txt not found next to model.safetensors";
    QTest::newRow("no vocab.json") << "rm vocab.json" << "vocab.json not found next to model.safetensors";
    QTest::newRow("no tokenizer") << "rm vocab.json merges.txt" << "no tokenizer next to model.safetensors";
    QTest::newRow("no config.json") << "rm config.json" << "config.json not found next to model.safetensors";
    QTest::newRow("no model.safetensors") << "rm model.safetensors" << "model.safetensors not found in folder";
    QTest::newRow("truncated safetensors") << "truncate model.safetensors" << "model '";
    QTest::newRow("truncated config") << "truncate config.json" << "config.json: is not a JSON object";
    QTest::newRow("n_embd contradicts shapes") << "config n_embd 64" << "'wte.weight' has shape [265, 32] but config.json (vocab_size 265, n_embd 64) needs [265, 64]";
    QTest::newRow("n_layer too large") << "config n_layer 3" << "has no tensor 'h.2.";
    QTest::newRow("n_layer too small") << "config n_layer 1" << "tensors that a GPT-2 with n_layer 1 does not have: h.1.";
    QTest::newRow("n_positions contradicts wpe") << "config n_positions 20" << "'wpe.weight' has shape [24, 32]";
    QTest::newRow("vocab_size vs wte") << "config vocab_size 300" << "'wte.weight' has shape [265, 32] but config.json (vocab_size 300";
    QTest::newRow("tokenizer vs vocab_size") << "short vocabulary" << "the tokenizer has 264 tokens but config.json's vocab_size is 265";
    QTest::newRow("merges name unknown tokens") << "bad merge" << "merges.txt '";
    QTest::newRow("unknown activation") << "config activation_function relu" << "activation_function \"relu\" is not one of";
    QTest::newRow("untied head") << "untied head" << "lm_head.weight differs from wte.weight";
}

void TestGpt2::badFolders() {
    QFETCH(QString, damage);
    QFETCH(QString, error);
    QTemporaryDir tmp;
    const std::string dir = tmp.path().toStdString();
    auto ref = randomGpt(Activation::GeluTanh, 9);
    realfiles::Gpt2Layout layout;
    layout.lmHead = damage == "untied head";
    realfiles::Gpt2TokenizerFiles tok = realfiles::gpt2TokenizerFiles();
    if (damage == "bad merge") tok.mergesTxt += "Ġ zz\n";
    if (damage == "short vocabulary") {  // drop the last merge result ("12"): 264 tokens
        auto v = nlohmann::json::parse(tok.vocabJson);
        const int eot = v["<|endoftext|>"];
        v.erase("12");
        v["<|endoftext|>"] = eot - 1;
        tok.vocabJson = v.dump();
        tok.mergesTxt = tok.mergesTxt.substr(0, tok.mergesTxt.rfind("1 2"));
    }
    realfiles::writeGpt2Folder(dir, *ref, layout, tok);
    const QStringList words = damage.split(' ');
    if (words[0] == "rm") {
        for (int i = 1; i < words.size(); ++i) std::filesystem::remove(dir + "/" + words[i].toStdString());
    } else if (words[0] == "truncate") {
        const std::string f = dir + "/" + words[1].toStdString();
        std::filesystem::resize_file(f, std::filesystem::file_size(f) / 2);
    } else if (words[0] == "config") {
        std::ifstream in(dir + "/config.json");
        nlohmann::json c = nlohmann::json::parse(in);
        bool isInt = false;
        const int v = words[2].toInt(&isInt);
        if (isInt) c[words[1].toStdString()] = v;
        else c[words[1].toStdString()] = words[2].toStdString();
        realfiles::writeFile(dir + "/config.json", c.dump());
    } else if (damage == "untied head") {
        SafeTensors st = readSafetensors(dir + "/model.safetensors");
        for (auto& t : st.tensors)
            if (t.name == "lm_head.weight") t.data[3] += 0.5f;
        realfiles::writeFile(dir + "/model.safetensors", serializeSafetensors(st));
    }
    const QString e = errorOf([&] { loadGpt2(dir); });
    QVERIFY2(e.contains(error), qPrintable(e));
}

void TestGpt2::lensLastLayerIsTheOutput_data() {
    QTest::addColumn<bool>("viaFiles");
    QTest::newRow("arlab TinyGPT") << false;
    QTest::newRow("GPT-2 folder") << true;
}

void TestGpt2::lensLastLayerIsTheOutput() {
    QFETCH(bool, viaFiles);
    QTemporaryDir dir;
    std::unique_ptr<TinyGpt> m = randomGpt(viaFiles ? Activation::GeluTanh : Activation::Gelu, 21);
    if (viaFiles) {
        realfiles::writeGpt2Folder(dir.path().toStdString(), *m);
        m = loadGpt2(dir.path().toStdString());
    }
    const Tokens ids = {3, 40, 257, 7, 99, 264};
    const Mat logits = m->logits(ids);
    for (int pos : {0, 3, 5}) {
        const LensResult lens = logitLens(*m, ids, pos, 5);
        QCOMPARE(lens.probs.rows(), Index(m->config().layers + 1));
        RowVec p = (logits.row(pos).array() - logits.row(pos).maxCoeff()).exp();
        p /= p.sum();
        QVERIFY(maxDiff(lens.probs.row(lens.probs.rows() - 1), p) <= 1e-6f);
        QVERIFY(maxDiff(lens.probs.row(0), p) > 1e-4f);
        for (const auto& row : lens.top) {
            QCOMPARE(row.size(), size_t(5));
            for (size_t i = 1; i < row.size(); ++i) QVERIFY(row[i - 1].p >= row[i].p);
        }
    }
    QVERIFY(errorOf([&] { logitLens(*m, ids, 6); }).contains("position 6 is outside the 6 tokens"));
}

QTEST_APPLESS_MAIN(TestGpt2)
#include "tst_core_gpt2.moc"
