// arlab-cli on real-model files the test writes (a GPT-2 Hugging Face folder, a llama2.c checkpoint with its
// tokenizer.bin): every text command accepts them; tokenize and lens give the documented JSON with the
// numbers core computes; missing pieces get specific errors.
#include "core/io/llama2c.h"
#include "core/io/modelfile.h"
#include "core/models/gpt2.h"
#include "core/models/lens.h"
#include "realmodelfiles.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

using namespace ar;

namespace {
using testutil::cli;
using testutil::Run;

QJsonObject json(const Run& r) { return testutil::jsonOf(r).raw(); }

// A GPT-2 folder with random weights and the small byte-level vocabulary.
void writeGpt2(const QString& dir) { realfiles::writeGpt2Folder(dir.toStdString(), realfiles::randomGpt2(4)); }

void writeLlama(const QString& dir, bool tokenizer = true) {
    realfiles::LlamaShape s;
    realfiles::writeFile((dir + "/stories.bin").toStdString(), realfiles::llamaLegacyBytes(s, realfiles::randomLlama(s, 3)));
    if (tokenizer) realfiles::writeFile((dir + "/tokenizer.bin").toStdString(), realfiles::llamaTokenizerBin(s.vocab));
}
}  // namespace

class TestCliRealModels : public QObject {
    Q_OBJECT
private slots:
    void tokenizeGpt2();
    void tokenizeLlamaAndArlab();
    void lensJsonMatchesCore_data();
    void lensJsonMatchesCore();
    void everyTextCommandAccepts_data();
    void everyTextCommandAccepts();
    void missingPieces_data();
    void missingPieces();
};

void TestCliRealModels::tokenizeGpt2() {
    QTemporaryDir dir;
    writeGpt2(dir.path());
    const std::string text = " the there 我 12<|endoftext|>";
    const Run r = cli({"tokenize", dir.path(), "--text", QString::fromStdString(text), "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject j = json(r);
    const Tokenizer tok = realfiles::gpt2SmallTokenizer();
    const Tokens ids = tok.encode(text).ids;
    QCOMPARE(j["ids"].toArray().size(), int(ids.size()));
    std::string joined;
    for (int i = 0; i < int(ids.size()); ++i) {
        QCOMPARE(j["ids"].toArray()[i].toInt(), ids[size_t(i)]);
        std::string bytes;
        for (const auto& b : j["bytes"].toArray()[i].toArray()) bytes += char(b.toInt());
        QCOMPARE(bytes, tok.token(ids[size_t(i)]));
        joined += bytes;
    }
    QCOMPARE(joined, text);  // the bytes are the text, exactly
    const QJsonArray tokens = j["tokens"].toArray();
    QVERIFY(tokens.contains(QString("\\xE6\\x88")));  // the first two bytes of 我, shown
    QVERIFY(tokens.contains(QString("<|endoftext|>")));
}

void TestCliRealModels::tokenizeLlamaAndArlab() {
    QTemporaryDir dir;
    writeLlama(dir.path());
    const Run r = cli({"tokenize", dir.path() + "/stories.bin", "--text", "abc", "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonArray ids = json(r)["ids"].toArray();
    QVERIFY(!ids.isEmpty());
    const Run toy = cli({"tokenize", "toy-word", "--text", "the cat", "--json"});
    QVERIFY2(toy.code == 0, toy.err.constData());
    QCOMPARE(json(toy)["tokens"].toArray(), (QJsonArray{"the", "cat"}));
}

void TestCliRealModels::lensJsonMatchesCore_data() {
    QTest::addColumn<QString>("kind");
    QTest::newRow("gpt2") << "gpt2";
    QTest::newRow("llama2.c") << "llama";
    QTest::newRow("arlab tinygpt") << "toy";
}

void TestCliRealModels::lensJsonMatchesCore() {
    QFETCH(QString, kind);
    QTemporaryDir dir;
    QString model;
    QString prompt = " the there";
    if (kind == "gpt2") {
        writeGpt2(dir.path());
        model = dir.path();
    } else if (kind == "llama") {
        writeLlama(dir.path());
        model = dir.path() + "/stories.bin";
        prompt = "the cat";
    } else {
        model = testutil::shipped("toy-word");
        prompt = "the cat";
    }
    const Run r = cli({"lens", model, "--prompt", prompt, "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject j = json(r);
    auto m = loadLanguageModel(model.toStdString());
    Tokens ids;
    if (m->bosToken() >= 0) ids.push_back(m->bosToken());
    for (int k : m->tokenizer().encodeStrict(prompt.toStdString())) ids.push_back(k);
    QCOMPARE(j["tokens"].toArray().size(), int(ids.size()));
    const LensResult lens = logitLens(*m, ids, int(ids.size()) - 1, 5);
    const QJsonArray layers = j["layers"].toArray();
    QCOMPARE(layers.size(), int(lens.top.size()));
    QVERIFY(layers.size() >= 3);
    for (int l = 0; l < layers.size(); ++l) {
        const QJsonArray row = layers[l].toArray();
        QCOMPARE(row.size(), 5);
        for (int k = 0; k < 5; ++k) {
            QCOMPARE(row[k].toObject()["id"].toInt(), lens.top[size_t(l)][size_t(k)].token);
            QVERIFY(std::abs(row[k].toObject()["p"].toDouble() - lens.top[size_t(l)][size_t(k)].p) < 1e-6);
        }
    }
    // The last row is the model's own next-token distribution.
    const Mat logits = m->logits(ids);
    const RowVec last = logits.row(logits.rows() - 1);
    RowVec p = (last.array() - last.maxCoeff()).exp();
    p /= p.sum();
    const QJsonObject top = layers.last().toArray()[0].toObject();
    QVERIFY(std::abs(top["p"].toDouble() - p.maxCoeff()) < 1e-5);
}

void TestCliRealModels::everyTextCommandAccepts_data() {
    QTest::addColumn<QStringList>("args");
    QTest::newRow("generate") << QStringList{"generate", "MODEL", "--prompt", "P", "--steps", "4", "--json"};
    QTest::newRow("logits") << QStringList{"logits", "MODEL", "--prompt", "P", "--json"};
    QTest::newRow("score") << QStringList{"score", "MODEL", "--text", "P", "--json"};
    QTest::newRow("attention") << QStringList{"attention", "MODEL", "--prompt", "P", "--layer", "1", "--head", "1", "--json"};
    QTest::newRow("beam") << QStringList{"beam", "MODEL", "--prompt", "P", "--width", "2", "--max-len", "3", "--json"};
    QTest::newRow("lens") << QStringList{"lens", "MODEL", "--prompt", "P", "--json"};
    QTest::newRow("tokenize") << QStringList{"tokenize", "MODEL", "--text", "P", "--json"};
}

void TestCliRealModels::everyTextCommandAccepts() {
    QFETCH(QStringList, args);
    QTemporaryDir dir;
    writeGpt2(dir.path() + "");
    QTemporaryDir ldir;
    writeLlama(ldir.path());
    for (const auto& [model, prompt] : {std::pair{dir.path(), QString(" the there")}, std::pair{dir.path() + "/config.json", QString(" 我")},
                                        std::pair{ldir.path() + "/stories.bin", QString("the cat")}, std::pair{ldir.path(), QString("abc")}}) {
        QStringList a = args;
        a.replaceInStrings("MODEL", model);
        a[3] = prompt;
        const Run r = cli(a);
        QVERIFY2(r.code == 0, qPrintable(a.join(' ') + ": " + r.err));
        QVERIFY2(!json(r).isEmpty(), qPrintable(a.join(' ')));
    }
}

void TestCliRealModels::missingPieces_data() {
    QTest::addColumn<QString>("damage");
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("error");
    QTest::newRow("gpt2 without merges.txt") << "rm merges.txt" << "generate" << "merges.txt not found next to model.safetensors";
    QTest::newRow("gpt2 without config.json") << "rm config.json" << "lens" << "config.json not found next to model.safetensors";
    QTest::newRow("llama without tokenizer.bin") << "llama no tokenizer" << "generate" << "tokenizer.bin not found next to stories.bin";
    QTest::newRow("llama tokenizer for another vocabulary") << "llama wrong tokenizer" << "generate" << "the vocabulary size does not match";
    QTest::newRow("llama truncated") << "llama truncated" << "logits" << "(truncated?)";
    QTest::newRow("lens of an LSTM") << "lstm" << "lens" << "a lstm model has no residual stream";
    QTest::newRow("--tokenizer with an arlab model") << "toy tokenizer" << "generate" << "--tokenizer is for llama2.c checkpoints";
    QTest::newRow("empty folder") << "empty" << "generate" << "holds no model";
}

void TestCliRealModels::missingPieces() {
    QFETCH(QString, damage);
    QFETCH(QString, command);
    QFETCH(QString, error);
    QTemporaryDir dir;
    QString model = dir.path();
    QStringList extra;
    if (damage.startsWith("rm ")) {
        writeGpt2(dir.path());
        std::filesystem::remove((dir.path() + "/" + damage.mid(3)).toStdString());
    } else if (damage.startsWith("llama")) {
        writeLlama(dir.path(), damage != "llama no tokenizer");
        model = dir.path() + "/stories.bin";
        if (damage == "llama wrong tokenizer") {
            realfiles::writeFile((dir.path() + "/other.bin.tok").toStdString(), realfiles::llamaTokenizerBin(400));
            extra << "--tokenizer" << dir.path() + "/other.bin.tok";
        }
        if (damage == "llama truncated") std::filesystem::resize_file(model.toStdString(), 1000);
    } else if (damage == "lstm") {
        model = testutil::shipped("en-char-lstm");
    } else if (damage == "toy tokenizer") {
        model = "toy-word";
        writeLlama(dir.path());
        extra << "--tokenizer" << dir.path() + "/tokenizer.bin";
    }
    testutil::cliRefuses(QStringList{command, model, "--prompt", "the"} + extra, error);
}

QTEST_APPLESS_MAIN(TestCliRealModels)
#include "tst_core_cli_realmodels.moc"
