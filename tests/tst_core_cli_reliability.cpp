// arlab-cli under bad conditions, run as a process (a crash or a timeout fails the test):
//  - every write fails loudly: --png / --out to /dev/full or a missing folder exits 1 with a specific message;
//  - special files fail fast: info /dev/zero, score-image --image /dev/zero, train --corpus /dev/zero;
//  - non-finite model output (finite weights that overflow at run time) is refused by logits, score, beam,
//    attention, generate and translate, naming the model file; info refuses NaN weights naming the tensor;
//  - SIGKILL at random moments of train and sample-image never leaves a torn file or leftover partial files.
#include "core/io/png.h"
#include "core/io/modelfile.h"
#include "core/io/safetensors.h"
#include "testutil.h"

#include <QtTest>

#include <QProcess>
#include <QTemporaryDir>

#include <csignal>
#include <filesystem>
#include <random>

using namespace ar;

namespace {

using testutil::cli;
using testutil::Run;
QString shipped(const char* name) { return testutil::shipped(name); }
// Wall-clock milliseconds of one cli() run.
qint64 timedMs(const std::function<void()>& fn) {
    QElapsedTimer t;
    t.start();
    fn();
    return t.elapsed();
}

std::vector<std::string> entries(const QString& dir) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir.toStdString())) out.push_back(e.path().filename());
    std::sort(out.begin(), out.end());
    return out;
}

// A copy of a shipped model with every value of one tensor set to `value` (finite but huge: overflows at run time).
QString withTensor(const QTemporaryDir& dir, const char* model, const std::string& tensor, float value, const char* out) {
    SafeTensors f = readSafetensors(shipped(model).toStdString());
    bool found = false;
    for (auto& t : f.tensors)
        if (t.name == tensor) {
            std::fill(t.data.begin(), t.data.end(), value);
            found = true;
        }
    if (!found) return {};
    const QString path = dir.filePath(out);
    writeSafetensors(path.toStdString(), f);
    return path;
}

// Starts arlab-cli and SIGKILLs it at a random moment between half and 1.25 times a full run (`fullMs`), around
// the time it writes its file. True when it had finished by then.
bool runAndKill(const QStringList& args, qint64 fullMs, std::mt19937& rng) {
    QProcess p;
    p.start(QString::fromUtf8(testutil::cliPath()), args);
    if (!p.waitForStarted(10000)) {
        testutil::fail("could not start " + QString::fromUtf8(testutil::cliPath()));
        return false;
    }
    QTest::qSleep(int(std::uniform_int_distribution<qint64>(fullMs / 2, fullMs + fullMs / 4)(rng)));
    ::kill(pid_t(p.processId()), SIGKILL);
    p.waitForFinished(10000);
    return p.exitStatus() == QProcess::NormalExit;
}

}  // namespace

class TestCliReliability : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(QFileInfo::exists(QString::fromUtf8(testutil::cliPath())), "build the arlab-cli target first"); }

    void writeFailuresAreLoud_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("sample-image --png /dev/full")
            << QStringList{"sample-image", "made-digits", "--png", "/dev/full"}
            << "PNG '/dev/full': write failed: No space left on device";
        QTest::newRow("sample-image --png no folder")
            << QStringList{"sample-image", "made-digits", "--png", "/no/such/dir/a.png"}
            << "PNG '/no/such/dir/a.png': cannot write in folder '/no/such/dir': No such file or directory";
        QTest::newRow("train tinygpt --out /dev/full")
            << QStringList{"train", "tinygpt", "--corpus", "toy", "--toy-sentences", "200", "--steps", "2", "--embd", "8",
                           "--heads", "2", "--layers", "1", "--eval-every", "0", "--sample-every", "0", "--out", "/dev/full"}
            << "model '/dev/full': write failed: No space left on device";
        QTest::newRow("train lstm --out /dev/full")
            << QStringList{"train", "lstm", "--corpus", "toy", "--toy-sentences", "200", "--steps", "2", "--batch", "4", "--context", "8", "--eval-every", "0",
                           "--sample-every", "0", "--out", "/dev/full"}
            << "model '/dev/full': write failed: No space left on device";
        QTest::newRow("train-image --out /dev/full")
            << QStringList{"train-image", "made", "--steps", "1", "--hidden", "8", "--train-images", "10", "--test-images",
                           "10", "--out", "/dev/full"}
            << "model '/dev/full': write failed: No space left on device";
    }
    void writeFailuresAreLoud() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        testutil::cliRefuses(args, message);
    }

    void specialFilesFailFast_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("info /dev/zero") << QStringList{"info", "/dev/zero"} << "model '/dev/zero': is a device, not a file";
        QTest::newRow("score-image --image /dev/zero") << QStringList{"score-image", "made-digits", "--image", "/dev/zero"}
                                                       << "PNG '/dev/zero': is a device, not a file";
        QTest::newRow("train --corpus /dev/zero") << QStringList{"train", "tinygpt", "--corpus", "/dev/zero", "--out", "/tmp/x.safetensors"}
                                                  << "corpus '/dev/zero': is a device, not a file";
        QTest::newRow("sample-image --given /dev/urandom") << QStringList{"sample-image", "made-digits", "--given", "/dev/urandom"}
                                                            << "PNG '/dev/urandom': is a device, not a file";
    }
    void specialFilesFailFast() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        Run r;
        const qint64 ms = timedMs([&] { r = cli(args); });
        QCOMPARE(r.code, 1);
        QVERIFY2(r.errText().contains(message), qPrintable(r.errText()));
        QVERIFY2(ms < 10000 * testutil::slowdown(), qPrintable(QString("%1 ms").arg(ms)));  // liveness: it takes milliseconds
    }

    // ln_f's gain at 3e38 (finite) makes every logit overflow: each command refuses, naming the file.
    void nonFiniteOutputIsRefused_data() {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("what");
        QTest::newRow("logits") << "logits" << QStringList{"--prompt", "the cat"} << "logits are not finite";
        QTest::newRow("score") << "score" << QStringList{"--text", "the cat sees a dog ."} << "logits are not finite";
        QTest::newRow("beam") << "beam" << QStringList{"--prompt", "the cat"} << "log-probabilities are not finite";
        QTest::newRow("attention") << "attention" << QStringList{"--prompt", "the cat"} << "attention weights are not finite";
        QTest::newRow("generate") << "generate" << QStringList{"--prompt", "the cat"} << "not finite";
    }
    void nonFiniteOutputIsRefused() {
        QFETCH(QString, command);
        QFETCH(QStringList, extra);
        QFETCH(QString, what);
        QTemporaryDir dir;
        const QString model = withTensor(dir, "toy-word", "transformer.ln_f.weight", 3e38f, "overflow.safetensors");
        QVERIFY(!model.isEmpty());
        // attention weights come before ln_f: overflow them through the first layer's query/key weights
        const QString attn = withTensor(dir, "toy-word", "transformer.h.0.attn.c_attn.weight", 3e38f, "overflow-attn.safetensors");
        const QString path = command == "attention" ? attn : model;
        const Run r = cli(QStringList{command, path} + extra);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.errText().contains("model '" + path + "': "), qPrintable(r.errText()));
        QVERIFY2(r.errText().contains(what), qPrintable(r.errText()));
        QVERIFY2(!r.outText().contains("nan") && !r.outText().contains("inf"), qPrintable(r.outText()));
    }

    void translateRefusesNonFiniteOutput() {
        QTemporaryDir dir;
        const QString model = withTensor(dir, "zh-en-seq2seq", "out.weight", 3e38f, "overflow.safetensors");
        QVERIFY(!model.isEmpty());
        for (const QString width : {"1", "3"}) {
            const Run r = cli({"translate", model, "--src", "我 爱 你", "--width", width});
            QCOMPARE(r.code, 1);
            QVERIFY2(r.errText().contains("model '" + model + "': the model's logits are not finite"), qPrintable(r.errText()));
        }
    }

    void infoRefusesNanWeights() {
        QTemporaryDir dir;
        SafeTensors f = readSafetensors(shipped("toy-word").toStdString());
        for (auto& t : f.tensors)
            if (t.name == "transformer.h.1.mlp.c_fc.weight") t.data[7] = std::numeric_limits<float>::quiet_NaN();
        const QString path = dir.filePath("nan.safetensors");
        writeSafetensors(path.toStdString(), f);
        const Run r = cli({"info", path});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.errText().contains("model '" + path + "': non-finite values (NaN or Inf) in 'transformer.h.1.mlp.c_fc.weight' (element 7: nan)"),
                 qPrintable(r.errText()));
        QCOMPARE(cli({"info", shipped("toy-word")}).code, 0);  // the original is fine
    }

    // SIGKILL while train writes its model: the file is always a complete, loadable model (the old or the new
    // one) and no partial file is left behind.
    void trainSurvivesSigkill() {
        QTemporaryDir dir;
        const QString out = dir.filePath("m.safetensors");
        const QStringList args{"train", "tinygpt", "--corpus", "toy", "--toy-sentences", "300", "--steps", "5", "--embd", "16",
                               "--heads", "2", "--layers", "1", "--eval-every", "0", "--sample-every", "0", "--out", out};
        Run first;
        const qint64 full = std::max<qint64>(timedMs([&] { first = cli(args); }), 50);
        QCOMPARE(first.code, 0);
        std::mt19937 rng(7);
        int completed = 0;
        for (int round = 0; round < 20; ++round) {
            completed += runAndKill(args, full, rng);
            QVERIFY2(loadLanguageModel(out.toStdString()) != nullptr, qPrintable(QString("round %1").arg(round)));
            const auto names = entries(dir.path());
            QVERIFY2(names.size() == 1 || (names.size() == 2 && names[1] == "m.safetensors.partial"),
                     qPrintable(QString::fromStdString(names.back())));
        }
        qInfo("20 SIGKILLs during train: %d runs had finished, the model loaded every time", completed);
    }

    // The case: 14 of 82 kills destroyed the old PNG when it was written in place.
    void sampleImageSurvivesSigkill() {
        QTemporaryDir dir;
        const QString png = dir.filePath("d.png");
        const QStringList args{"sample-image", "made-digits", "--png", png, "--scale", "16"};
        Run first;
        const qint64 full = std::max<qint64>(timedMs([&] { first = cli(args); }), 20);
        QCOMPARE(first.code, 0);
        std::mt19937 rng(3);
        for (int round = 0; round < 40; ++round) {
            runAndKill(args, full, rng);
            const PngImage img = readPng(png.toStdString());
            QCOMPARE(img.width, 28 * 16);
            QVERIFY(entries(dir.path()).size() <= 2);
        }
    }
};

QTEST_APPLESS_MAIN(TestCliReliability)
#include "tst_core_cli_reliability.moc"
