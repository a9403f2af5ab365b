// arlab-cli's text-model commands (generate, logits, score, attention, train tinygpt), run as a user would,
// checked against the core computing the same numbers, plus every kind of bad input.
#include "core/decoding/decodingsession.h"
#include "core/decoding/samplerstages.h"
#include "core/io/modelfile.h"
#include "core/models/tinygpt.h"
#include "testutil.h"

#include <QtTest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <cmath>
#include <csignal>
#include <fstream>

using namespace ar;

namespace {

using testutil::Json;
using testutil::Run;

Run cli(const QStringList& args, const QString& workDir = QString()) {
    testutil::RunOptions o;
    o.workDir = workDir;
    return testutil::cli(args, o);
}

Json json(const Run& r) { return testutil::jsonOf(r); }

const QString kToy = QStringLiteral("toy-word");  // built-in name, resolved through ARLAB_RESOURCES_DIR
std::string toyPath() { return testutil::modelPath("toy-word"); }

std::vector<double> logSoftmax(const Mat& logits, Index row) {
    const double m = logits.row(row).maxCoeff();
    double z = 0;
    for (Index k = 0; k < logits.cols(); ++k) z += std::exp(double(logits(row, k)) - m);
    std::vector<double> out(size_t(logits.cols()));
    for (Index k = 0; k < logits.cols(); ++k) out[size_t(k)] = double(logits(row, k)) - m - std::log(z);
    return out;
}

}  // namespace

class TestCliText : public QObject {
    Q_OBJECT
private slots:
    void logitsMatchCore() {
        const Run r = cli({"logits", kToy, "--prompt", "the small cat", "--json"});
        QCOMPARE(r.code, 0);
        const Json j = json(r);
        for (const char* key : {"tokens", "token_ids", "vocab", "logits"}) QVERIFY2(j.contains(key), key);
        auto model = loadLanguageModel(toyPath());
        const Tokens ids = {0, model->tokenizer().id("the"), model->tokenizer().id("small"), model->tokenizer().id("cat")};
        const Mat ref = model->logits(ids);
        QCOMPARE(j["tokens"].toArray().size(), 4);
        QCOMPARE(j["tokens"].toArray()[0].toString(), QString("."));  // the BOS
        QCOMPARE(j["vocab"].toArray().size(), model->vocabSize());
        const QJsonArray rows = j["logits"].toArray();
        QCOMPARE(rows.size(), 4);
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(j["token_ids"].toArray()[i].toInt(), ids[size_t(i)]);
            const QJsonArray row = rows[i].toArray();
            QCOMPARE(row.size(), model->vocabSize());
            for (int k = 0; k < row.size(); ++k) QCOMPARE(float(row[k].toDouble()), ref(i, k));
        }
    }

    void scoreIsSumOfLogitLogprobs() {
        const QString text = "the cat sees a dog . some birds sleep";
        const Run s = cli({"score", kToy, "--text", text, "--json"});
        QCOMPARE(s.code, 0);
        const Json js = json(s);
        for (const char* key : {"tokens", "token_ids", "logprob_nats", "logprob_bits", "total_nats", "total_bits"})
            QVERIFY2(js.contains(key), key);
        const Run l = cli({"logits", kToy, "--prompt", text, "--json"});
        QCOMPARE(l.code, 0);
        const Json jl = json(l);
        const QJsonArray rows = jl["logits"].toArray(), ids = jl["token_ids"].toArray();
        double total = 0;
        for (int i = 1; i < ids.size(); ++i) {
            const QJsonArray row = rows[i - 1].toArray();
            Mat m(1, row.size());
            for (int k = 0; k < row.size(); ++k) m(0, k) = float(row[k].toDouble());
            const double lp = logSoftmax(m, 0)[size_t(ids[i].toInt())];
            QVERIFY(std::abs(js["logprob_nats"].toArray()[i - 1].toDouble() - lp) < 1e-6);
            QVERIFY(std::abs(js["logprob_bits"].toArray()[i - 1].toDouble() - lp / std::log(2.0)) < 1e-6);
            total += lp;
        }
        QCOMPARE(js["tokens"].toArray().size(), ids.size() - 1);  // every text token scored, BOS given
        QVERIFY(std::abs(js["total_nats"].toDouble() - total) < 1e-5);
        QVERIFY(std::abs(js["total_bits"].toDouble() - total / std::log(2.0)) < 1e-5);
        QVERIFY(total < 0);
    }

    void generateGreedyFollowsArgmax() {
        const Run r = cli({"generate", kToy, "--prompt", "some", "--steps", "12", "--temperature", "0", "--json"});
        QCOMPARE(r.code, 0);
        const Json j = json(r);
        QVERIFY(j.contains("text") && j.contains("steps"));
        auto model = loadLanguageModel(toyPath());
        Tokens seq = {0, model->tokenizer().id("some")};
        QString text = "some";
        const QJsonArray steps = j["steps"].toArray();
        QVERIFY(steps.size() >= 2);
        for (const auto& sv : steps) {
            const Json st(sv.toObject());
            for (const char* key : {"token", "id", "p", "top"}) QVERIFY2(st.contains(key), key);
            const Mat logits = model->logits(seq);
            const auto lp = logSoftmax(logits, logits.rows() - 1);
            Index best;
            logits.row(logits.rows() - 1).maxCoeff(&best);
            QCOMPARE(st["id"].toInt(), int(best));
            QCOMPARE(st["token"].toString().toStdString(), model->tokenizer().token(int(best)));
            QVERIFY(std::abs(st["p"].toDouble() - std::exp(lp[size_t(best)])) < 1e-5);
            const QJsonArray top = st["top"].toArray();
            QCOMPARE(top.size(), 5);
            QCOMPARE(Json(top[0].toObject())["token"].toString(), st["token"].toString());
            for (int k = 1; k < top.size(); ++k) QVERIFY(Json(top[k].toObject())["p"].toDouble() <= Json(top[k - 1].toObject())["p"].toDouble());
            seq.push_back(int(best));
            text += " " + st["token"].toString();
        }
        QCOMPARE(j["text"].toString(), text);
        QCOMPARE(Json(steps.last().toObject())["token"].toString(), QString("."));  // stops at the end of the sentence
    }

    void generateSeedReproducible() {
        const QStringList args = {"generate", kToy, "--prompt", "the", "--steps", "8", "--seed", "42", "--top-k", "5", "--top-p", "0.9", "--json"};
        const Run a = cli(args), b = cli(args);
        QCOMPARE(a.code, 0);
        QCOMPARE(a.out, b.out);
        const Run plain = cli({"generate", kToy, "--prompt", "the", "--steps", "8", "--seed", "42", "--top-k", "5", "--top-p", "0.9"});
        QCOMPARE(plain.code, 0);
        QVERIFY(plain.out.startsWith(json(a)["text"].toString().toUtf8()));
    }

    // generate's sampling options are the chain's knobs (app/cli/sampleroptions.h): --help lists every one, and
    // the text equals a DecodingSession run in this process with the same settings (so each option reaches its
    // stage).
    void generateTakesEveryStagesOption() {
        const Run help = cli({"generate", "--help"});
        QCOMPARE(help.code, 0);
        for (const SamplerStageKind* stage : samplerStages())
            for (const StageParam& p : stage->params()) {
                const QString option = "--" + QString::fromStdString(p.key).replace('_', '-') + " " + QString::fromStdString(p.valueName);
                QVERIFY2(help.outText().contains(option), qPrintable(option + " not in:\n" + help.outText()));
            }
        const Run r = cli({"generate", kToy, "--prompt", "the", "--steps", "12", "--seed", "3", "--temperature", "1.5",
                           "--top-k", "8", "--top-p", "0.95", "--min-p", "0.02", "--repetition-penalty", "3",
                           "--repetition-window", "6", "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        SamplerSettings s;
        s.setTemperature(1.5f);
        s.setTopK(8);
        s.setTopP(0.95f);
        s.setKnob("min_p", 0.02f);
        s.setKnob("repetition_penalty", 3);
        s.setKnob("repetition_window", 6);
        s.seed = 3;
        s.maxNewTokens = 12;
        const auto textOf = [](const SamplerSettings& settings) {
            DecodingSession session(loadLanguageModel(toyPath()), "the", settings, /*recordAttention=*/false);
            for (int i = 0; i < settings.maxNewTokens && session.canStep(); ++i) session.step();
            return QString::fromStdString(session.text());
        };
        const QString text = textOf(s);
        QCOMPARE(json(r)["text"].toString(), text);
        s.setKnob("repetition_penalty", 1);   // (the penalty changes the text: the options are not ignored)
        QVERIFY(textOf(s) != text);
    }

    void attentionMatchesCore() {
        const QString prompt = "the small cat sees a dog";
        const Run r = cli({"attention", kToy, "--prompt", prompt, "--layer", "1", "--head", "3", "--json"});
        QCOMPARE(r.code, 0);
        const Json j = json(r);
        QVERIFY(j.contains("tokens") && j.contains("weights"));
        auto file = readSafetensors(toyPath());
        auto model = TinyGpt::fromSafetensors(file, "toy");
        const Tokens ids = [&] {
            Tokens t = {0};
            for (int id : model->tokenizer().encodeStrict(prompt.toStdString())) t.push_back(id);
            return t;
        }();
        const Mat ref = model->attentionMaps(ids)[1][3];  // full forward, no cache
        const QJsonArray rows = j["weights"].toArray();
        QCOMPARE(rows.size(), int(ids.size()));
        QCOMPARE(j["tokens"].toArray().size(), int(ids.size()));
        for (int i = 0; i < rows.size(); ++i) {
            const QJsonArray row = rows[i].toArray();
            double sum = 0;
            for (int k = 0; k < row.size(); ++k) {
                sum += row[k].toDouble();
                if (k > i) QCOMPARE(row[k].toDouble(), 0.0);
                QVERIFY(std::abs(row[k].toDouble() - ref(i, k)) < 1e-5);
            }
            QVERIFY(std::abs(sum - 1) < 1e-5);
        }
        const Run csv = cli({"attention", kToy, "--prompt", "the cat", "--layer", "0", "--head", "0", "--csv"});
        QCOMPARE(csv.code, 0);
        const QList<QByteArray> lines = csv.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 4);  // header + BOS + 2 words
        QVERIFY(lines[0].startsWith("query\\key,\".\",\"the\",\"cat\""));
    }

    void badInput_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString toy = kToy;
        QTest::newRow("unknown word") << QStringList{"generate", toy, "--prompt", "the zebra sleeps"} << "'zebra' (word 2) is not in the model's vocabulary";
        QTest::newRow("two unknown words") << QStringList{"score", toy, "--text", "a zebra and a cat"} << "'zebra' (word 2), 'and' (word 3) are not";
        QTest::newRow("bad number") << QStringList{"generate", toy, "--steps", "abc"} << "option --steps expects a whole number, got 'abc'";
        QTest::newRow("negative temperature") << QStringList{"generate", toy, "--temperature", "-1"} << "option --temperature: temperature must be in [0, 100] (0 = greedy), got -1";
        QTest::newRow("top-p too big") << QStringList{"generate", toy, "--top-p", "1.5"} << "option --top-p: top-p must be in (0, 1], got 1.5";
        QTest::newRow("min-p 1") << QStringList{"generate", toy, "--min-p", "1"} << "option --min-p: min-p must be in [0, 1), got 1";
        QTest::newRow("top-k fraction") << QStringList{"generate", toy, "--top-k", "2.5"} << "option --top-k: top-k must be a whole number, got '2.5'";
        QTest::newRow("missing file") << QStringList{"logits", "/no/such/model.safetensors", "--prompt", "the"} << "model file '/no/such/model.safetensors' does not exist";
        QTest::newRow("unknown built-in") << QStringList{"logits", "no-such-model", "--prompt", "the"} << "no built-in model of that name (built-in:";
        QTest::newRow("missing model") << QStringList{"generate"} << "missing argument MODEL";
        QTest::newRow("layer out of range") << QStringList{"attention", toy, "--prompt", "the cat", "--layer", "5"} << "--layer 5 is out of range: the model has 2 layers (0..1)";
        QTest::newRow("head out of range") << QStringList{"attention", toy, "--prompt", "the cat", "--head", "4"} << "--head 4 is out of range: the model has 4 heads (0..3)";
        QTest::newRow("negative layer") << QStringList{"attention", toy, "--prompt", "the cat", "--layer", "-1"} << "--layer -1 is out of range";
        QTest::newRow("json and csv") << QStringList{"attention", toy, "--prompt", "the", "--json", "--csv"} << "choose one of --json and --csv";
        QTest::newRow("missing text") << QStringList{"score", toy} << "missing required option --text";
        QTest::newRow("unknown option") << QStringList{"logits", toy, "--prompt", "the", "--bogus"} << "unknown option --bogus";
        QTest::newRow("prompt too long") << QStringList{"logits", toy, "--prompt", QString("the cat sleeps . ").repeated(9)} << "but the model's context holds 32";
        QTest::newRow("train: heads/embd") << QStringList{"train", "tinygpt", "--corpus", "toy", "--heads", "3", "--embd", "64", "--out", "x.safetensors"} << "--heads 3 must divide --embd 64";
        QTest::newRow("train: kv-heads do not divide heads") << QStringList{"train", "tinygpt", "--corpus", "toy", "--heads", "4", "--kv-heads", "3", "--embd", "16", "--out", "x.safetensors"} << "--kv-heads 3 must divide --heads 4";
        QTest::newRow("train: kv-heads above heads") << QStringList{"train", "tinygpt", "--corpus", "toy", "--heads", "4", "--kv-heads", "8", "--embd", "16", "--out", "x.safetensors"} << "option --kv-heads must be between 1 and 4, got 8";
        QTest::newRow("train: position") << QStringList{"train", "tinygpt", "--corpus", "toy", "--pos", "alibi", "--out", "x.safetensors"} << "position encoding 'alibi' is not one of learned, sinusoidal, rope";
        QTest::newRow("train: rope odd head") << QStringList{"train", "tinygpt", "--corpus", "toy", "--pos", "rope", "--embd", "12", "--heads", "4", "--out", "x.safetensors"} << "rope needs an even head width";
        QTest::newRow("train: missing corpus file") << QStringList{"train", "tinygpt", "--corpus", "/no/such.txt", "--out", "x.safetensors"} << "corpus '/no/such.txt': cannot open: No such file or directory";
        QTest::newRow("train: no out") << QStringList{"train", "tinygpt", "--corpus", "toy"} << "missing required option --out";
        QTest::newRow("train: out folder") << QStringList{"train", "tinygpt", "--corpus", "toy", "--out", "/no/such/dir/x.safetensors"} << "the folder '/no/such/dir' does not exist";
        QTest::newRow("train: bad lr") << QStringList{"train", "tinygpt", "--corpus", "toy", "--lr", "fast", "--out", "x.safetensors"} << "option --lr expects";
        QTest::newRow("train: tokenizer") << QStringList{"train", "tinygpt", "--corpus", "toy", "--tokenizer", "bpe", "--out", "x.safetensors"} << "option --tokenizer must be 'char' or 'word', got 'bpe'";
        QTest::newRow("train: unknown kind") << QStringList{"train", "transformer"} << "unknown model kind 'transformer' (choose one of: tinygpt";
        QTest::newRow("train: context too long for corpus") << QStringList{"train", "tinygpt", "--corpus", "toy", "--toy-sentences", "100", "--context", "1024", "--out", "x.safetensors"} << "too short for windows of 1024 tokens";
    }
    void badInput() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const Run r = cli(args, dir.path());
        QCOMPARE(r.code, 1);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QVERIFY2(QString::fromUtf8(r.err).startsWith("arlab-cli " + args[0] + ": error: "), r.err.constData());
        QVERIFY(!QFile::exists(dir.filePath("x.safetensors")));
    }

    void badFiles() {
        QTemporaryDir dir;
        const QString corrupt = dir.filePath("corrupt.safetensors");
        {
            std::ofstream f(corrupt.toStdString(), std::ios::binary);
            f << "this is not a model";
        }
        Run r = cli({"generate", corrupt, "--prompt", "the"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("model '"), r.err.constData());
        const QString badText = dir.filePath("bad.txt");
        {
            std::ofstream f(badText.toStdString(), std::ios::binary);
            f << "abc\ndef\n\xFF" << "ghi\n";
        }
        r = cli({"train", "tinygpt", "--corpus", badText, "--out", dir.filePath("m.safetensors")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("invalid UTF-8 at byte offset 8"), r.err.constData());
    }

    void trainSameSeedSameBytes() {
        // Same command (run from two folders, so even the recorded command is the same) -> identical files.
        QTemporaryDir a, b;
        const QStringList args = {"train", "tinygpt", "--corpus", "toy", "--toy-sentences", "300", "--layers", "1",
                                  "--embd", "16", "--heads", "2", "--context", "16", "--steps", "12", "--batch", "8",
                                  "--eval-every", "6", "--pos", "rope", "--dropout", "0.1", "--out", "m.safetensors"};
        const Run ra = cli(args, a.path()), rb = cli(args, b.path());
        QCOMPARE(ra.code, 0);
        QCOMPARE(rb.code, 0);
        QVERIFY(ra.out.contains("step 6/12"));
        QFile fa(a.filePath("m.safetensors")), fb(b.filePath("m.safetensors"));
        QVERIFY(fa.open(QIODevice::ReadOnly) && fb.open(QIODevice::ReadOnly));
        const QByteArray bytesA = fa.readAll();
        QVERIFY(bytesA.size() > 1000);
        QCOMPARE(bytesA, fb.readAll());
        // The file carries its provenance and works with the other commands.
        auto model = loadLanguageModel(a.filePath("m.safetensors").toStdString());
        const Json prov = testutil::jsonOf(QByteArray::fromStdString(model->metadata().at("arlab.provenance")));
        for (const char* key : {"corpus", "seed", "steps", "train_loss", "val_loss", "command"}) QVERIFY2(prov.contains(key), key);
        QCOMPARE(prov["steps"].toInt(), 12);
        QVERIFY(prov["command"].toString().startsWith("arlab-cli train tinygpt --corpus toy"));
        const Run g = cli({"generate", a.filePath("m.safetensors"), "--prompt", "the", "--steps", "3"});
        QCOMPARE(g.code, 0);
        // A different seed gives different weights.
        QStringList other = args;
        other << "--seed" << "2";
        QCOMPARE(cli(other, b.path()).code, 0);
        QFile fc(b.filePath("m.safetensors"));
        QVERIFY(fc.open(QIODevice::ReadOnly));
        QVERIFY(fc.readAll() != bytesA);
    }

    void trainGroupedQuery() {
        // --kv-heads 2: a grouped-query TinyGPT whose file says so, whose cache is half the multi-head one, and which
        // the other commands use like any model.
        QTemporaryDir dir;
        const Run r = cli({"train", "tinygpt", "--corpus", "toy", "--toy-sentences", "300", "--layers", "1", "--embd", "16",
                           "--heads", "4", "--kv-heads", "2", "--context", "16", "--steps", "6", "--batch", "4", "--eval-every", "3",
                           "--out", "g.safetensors"},
                          dir.path());
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("4 heads (2 key/value)"), r.out.constData());
        auto model = loadLanguageModel(dir.filePath("g.safetensors").toStdString());
        auto* gpt = dynamic_cast<TinyGpt*>(model.get());
        QVERIFY(gpt);
        QCOMPARE(gpt->config().kvHeadCount(), 2);
        QCOMPARE(model->newState()->bytes(), size_t(2 * 1 * 16 * 8) * sizeof(float));  // k, v: 16 positions x 2 heads x D 4
        QCOMPARE(cli({"generate", dir.filePath("g.safetensors"), "--prompt", "the", "--steps", "3"}).code, 0);
    }

    void trainCharFileAndCtrlC() {
        // A character model on a small UTF-8 file (with Chinese); Ctrl-C stops it and saves a checkpoint.
        QTemporaryDir dir;
        const QString corpus = dir.filePath("words.txt");
        {
            std::ofstream f(corpus.toStdString(), std::ios::binary);
            for (int i = 0; i < 300; ++i) f << "cat\ncats\ndog\n你好\nbird\n";
        }
        QProcess p;
        p.setWorkingDirectory(dir.path());
        p.start(QString::fromUtf8(testutil::cliPath()), {"train", "tinygpt", "--corpus", corpus, "--embd", "16", "--heads", "2", "--layers", "1",
                            "--context", "16", "--steps", "1000000", "--batch", "4", "--eval-every", "5",
                            "--val-tokens", "200", "--out", "c.safetensors"});
        QVERIFY(p.waitForStarted());
        QByteArray out;
        for (int i = 0; i < 600 && !out.contains("step 10/"); ++i) {
            p.waitForReadyRead(100);
            out += p.readAllStandardOutput();
        }
        QVERIFY2(out.contains("step 10/"), out.constData());
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(60000));
        out += p.readAllStandardOutput();
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        QVERIFY2(out.contains("interrupted at step"), out.constData());
        auto model = loadLanguageModel(dir.filePath("c.safetensors").toStdString());
        QCOMPARE(model->tokenizer().kind(), Tokenizer::Kind::Char);
        QCOMPARE(model->tokenizer().token(model->bosToken()), std::string("\n"));
        QVERIFY(model->tokenizer().id("你") >= 0);
        const Json prov = testutil::jsonOf(QByteArray::fromStdString(model->metadata().at("arlab.provenance")));
        QCOMPARE(prov["stopped_early"].toBool(), true);
        QVERIFY(prov["steps"].toInt() >= 10 && prov["steps"].toInt() < 1000000);
        QVERIFY(std::isfinite(prov["val_loss"].toDouble()));
        // The char model scores Chinese text.
        const Run s = cli({"score", dir.filePath("c.safetensors"), "--text", "你好", "--json"});
        QCOMPARE(s.code, 0);
        QCOMPARE(json(s)["tokens"].toArray().size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestCliText)
#include "tst_core_cli_text.moc"
