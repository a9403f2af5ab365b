// arlab-cli's commands of the Limits lesson, run as a user would and checked against core computing the same
// numbers independently, plus every kind of bad input: attention --kernel, recall, gradient-flow.
#include "testutil.h"
#include "core/io/modelfile.h"
#include "core/limits/recall.h"
#include "core/models/tinygpt.h"
#include "core/nn/flashattention.h"

#include <QtTest>
#include <QJsonArray>

using namespace ar;
using testutil::cli;

namespace {
QJsonObject json(const testutil::Run& r) { return testutil::jsonOf(r).raw(); }
}  // namespace

class TestCliLimits : public QObject {
    Q_OBJECT
private slots:
    void attentionKernels() {
        const QStringList base = {"attention", "toy-word", "--prompt", "the small cat sees a dog . the dog sleeps", "--layer", "1",
                                  "--head", "2", "--json"};
        const QJsonObject plain = json(cli(base));
        const auto stdRun = cli(base + QStringList{"--kernel", "standard"});
        const auto flashRun = cli(base + QStringList{"--kernel", "flash"});
        QCOMPARE(stdRun.code, 0);
        QCOMPARE(flashRun.code, 0);
        const QJsonObject s = json(stdRun), f = json(flashRun);
        QCOMPARE(s["kernel"].toString(), QString("standard"));
        QCOMPARE(f["kernel"].toString(), QString("flash"));
        QCOMPARE(f["tokens"], plain["tokens"]);
        const QJsonArray rows = plain["weights"].toArray();
        const int T = int(rows.size());
        QCOMPARE(T, 11);
        for (const QJsonObject& other : {s, f}) {
            const QJsonArray o = other["weights"].toArray();
            QCOMPARE(o.size(), T);
            for (int i = 0; i < T; ++i)
                for (int k = 0; k < T; ++k)
                    QVERIFY(std::abs(o[i].toArray()[k].toDouble() - rows[i].toArray()[k].toDouble()) < 1e-5);
        }
        // the standard kernel's bytes are its buffers (independent formula: out, q/k copies, T x T per head)
        const auto model = TinyGpt::fromSafetensors(readSafetensors(testutil::modelPath("toy-word")), "toy");
        const int H = model->config().heads, D = model->config().embd / H;
        const double expected = 4.0 * (T * H * D + H * 2 * T * D + H * T * T);
        QCOMPARE(s["peak_bytes"].toDouble(), expected);
        QVERIFY(f["peak_bytes"].toDouble() > 0);
        // the text output names the bytes too
        const auto text = cli({"attention", "toy-word", "--prompt", "the cat", "--kernel", "flash"});
        QCOMPARE(text.code, 0);
        QVERIFY(text.out.startsWith("flash kernel: the attention op allocated at most "));
    }

    void recallMatchesCore_data() {
        QTest::addColumn<QString>("kind");
        for (const char* k : {"rnn", "tinygpt"}) QTest::newRow(k) << QString(k);
    }
    void recallMatchesCore() {
        QFETCH(QString, kind);
        const QString name = "recall-" + kind;
        const auto r = cli({"recall", name, "--distances", "1,2,4,8,16,32", "--episodes", "300", "--json"});
        QCOMPARE(r.code, 0);
        const QJsonObject j = json(r);
        const auto model = loadLanguageModel(testutil::modelPath(name.toStdString()));
        const QJsonArray d = j["distance"].toArray(), a = j["accuracy"].toArray();
        QCOMPARE(d.size(), 6);
        QCOMPARE(a.size(), 6);
        for (int i = 0; i < d.size(); ++i)
            QCOMPARE(a[i].toDouble(), recallAccuracy(*model, d[i].toInt(), 300, 7));  // default seed 7
        // past a TinyGPT's context: null, and the text output says so
        if (kind == "tinygpt") {
            const auto past = cli({"recall", name, "--distances", "32,33", "--json"});
            QCOMPARE(past.code, 0);
            QVERIFY(json(past)["accuracy"].toArray()[1].isNull());
            QCOMPARE(json(past)["max_distance"].toInt(), 32);
            QVERIFY(cli({"recall", name, "--distances", "40"}).out.contains("past the context (34 tokens)"));
        }
    }

    void gradientFlowMatchesCore() {
        const auto r = cli({"gradient-flow", "recall-lstm", "--distances", "1,5,30", "--episodes", "8", "--json"});
        QCOMPARE(r.code, 0);
        const QJsonObject j = json(r);
        const auto model = loadLanguageModel(testutil::modelPath("recall-lstm"));
        const QJsonArray g = j["grad_norm"].toArray();
        QCOMPARE(g.size(), 3);
        std::vector<double> ref;
        for (int d : {1, 5, 30}) ref.push_back(recallGradientNorm(*model, d, 8, 7));
        for (int i = 0; i < 3; ++i) QVERIFY(std::abs(g[i].toDouble() - ref[size_t(i)]) <= 1e-12 + 1e-9 * ref[size_t(i)]);
        QVERIFY(std::abs(j["log10_slope"].toDouble() - log10Slope({1, 5, 30}, ref)) < 1e-9);
        // default distances: 1..30
        const auto all = cli({"gradient-flow", "recall-rnn", "--episodes", "2", "--json"});
        QCOMPARE(all.code, 0);
        QCOMPARE(json(all)["distance"].toArray().size(), 30);
    }

    void badInput_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown kernel") << QStringList{"attention", "toy-word", "--prompt", "the", "--kernel", "fast"} << "attention kernel 'fast' is not one of standard, flash";
        QTest::newRow("kernel on an lstm") << QStringList{"attention", "en-char-lstm", "--prompt", "the", "--kernel", "flash"} << "--kernel needs a tinygpt model; this is a 'lstm' model";
        QTest::newRow("recall: bad distance") << QStringList{"recall", "recall-rnn", "--distances", "1,x"} << "option --distances: 'x' is not a whole number";
        QTest::newRow("recall: empty item") << QStringList{"recall", "recall-rnn", "--distances", "1,,2"} << "option --distances: '' is not a whole number";
        QTest::newRow("recall: negative") << QStringList{"recall", "recall-rnn", "--distances", "-3"} << "option --distances: -3 is outside 0..4096";
        QTest::newRow("recall: not a recall model") << QStringList{"recall", "toy-word"} << "model 'toy-word' was not trained on the recall task: its vocabulary lacks 'A'";
        QTest::newRow("recall: no model") << QStringList{"recall"} << "missing argument MODEL";
        QTest::newRow("gradient-flow: past the context") << QStringList{"gradient-flow", "recall-tinygpt", "--distances", "40"} << "option --distances: 40 does not fit the model's context of 34 tokens (d <= 32)";
        QTest::newRow("gradient-flow: not a recall model") << QStringList{"gradient-flow", "en-char-lstm"} << "was not trained on the recall task";
        QTest::newRow("train-recall: kind") << QStringList{"train-recall", "mamba", "--out", "/tmp/x.safetensors"} << "model kind 'mamba' is not one of rnn, lstm, gru, tinygpt";
        QTest::newRow("train-recall: folder") << QStringList{"train-recall", "lstm", "--out", "/no/such/dir/x.safetensors"} << "the folder '/no/such/dir' does not exist";
        QTest::newRow("train-recall: heads") << QStringList{"train-recall", "tinygpt", "--heads", "5", "--out", "/tmp/x.safetensors"} << "5 heads do not divide the width 16";
        QTest::newRow("kernel, layer out of range") << QStringList{"attention", "toy-word", "--prompt", "the", "--kernel", "flash", "--layer", "2"} << "--layer 2 is out of range: the model has 2 layers (0..1)";
    }
    void badInput() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto r = testutil::cliRefuses(args, message);
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCliLimits)
#include "tst_core_cli_limits.moc"
