// arlab-cli beam: JSON shape, agreement with the in-process search, the tree's invariants, errors.
#include "core/decoding/beamsearch.h"
#include "core/io/modelfile.h"

#include "testutil.h"

#include <QtTest>
#include <cmath>
#include <nlohmann/json.hpp>

using testutil::cli;

static const QString kModel = QString::fromStdString(testutil::modelPath("toy-word"));

class TestCliBeam : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(QFile::exists(kModel), "the shipped model toy-word is missing"); }

    void jsonMatchesTheLibrary_data() {
        QTest::addColumn<QString>("prompt");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("maxLen");
        QTest::addColumn<double>("alpha");
        QTest::newRow("k=3") << "the small cat" << 3 << 8 << 0.0;
        QTest::newRow("k=1") << "the dog" << 1 << 10 << 0.0;
        QTest::newRow("k=5 alpha 0.6") << "a bird" << 5 << 12 << 0.6;
    }
    void jsonMatchesTheLibrary() {
        QFETCH(QString, prompt);
        QFETCH(int, width);
        QFETCH(int, maxLen);
        QFETCH(double, alpha);
        const auto r = cli({"beam", kModel, "--prompt", prompt, "--width", QString::number(width), "--max-len",
                               QString::number(maxLen), "--length-penalty", QString::number(alpha), "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto j = nlohmann::json::parse(r.out.toStdString());
        const auto& nodes = j["tree"]["nodes"];
        const auto& hyps = j["hypotheses"];

        std::shared_ptr<const ar::LanguageModel> model = ar::loadLanguageModel(kModel.toStdString());
        ar::BeamSearch beam(model, model->tokenizer().encodeStrict(prompt.toStdString()),
                            ar::BeamSettings{width, maxLen, float(alpha)});
        beam.run();
        QCOMPARE(nodes.size(), beam.tree().nodes.size());
        QCOMPARE(hyps.size(), beam.nbest().size());
        QCOMPARE(int(nodes.size()), 1 + j["tree"]["expansions"].get<int>());
        QCOMPARE(nodes[0]["parent"].get<int>(), -1);
        QCOMPARE(nodes[0]["step"].get<int>(), 0);
        for (size_t i = 0; i < nodes.size(); ++i) {
            const auto& n = nodes[i];
            QCOMPARE(n["id"].get<int>(), int(i));
            const std::string status = n["status"];
            QVERIFY(status == "alive" || status == "pruned" || status == "finished");
            if (i == 0) continue;
            const int parent = n["parent"];
            QVERIFY(parent >= 0 && parent < int(i));
            QCOMPARE(n["step"].get<int>(), nodes[size_t(parent)]["step"].get<int>() + 1);
            // Cumulative log-prob = parent's + this step's.
            QVERIFY(std::abs(n["logprob"].get<double>() - nodes[size_t(parent)]["logprob"].get<double>() -
                             n["step_logprob"].get<double>()) < 1e-9);
        }
        const auto nbest = beam.nbest();
        for (size_t h = 0; h < hyps.size(); ++h) {
            const auto& ref = nbest[h];
            QCOMPARE(hyps[h]["tokens"].size(), ref.tokens.size());
            for (size_t t = 0; t < ref.tokens.size(); ++t)
                QCOMPARE(hyps[h]["tokens"][t].get<std::string>(), model->tokenizer().token(ref.tokens[t]));
            QVERIFY(std::abs(hyps[h]["logprob"].get<double>() - ref.logprob) < 1e-9);
            QVERIFY(std::abs(hyps[h]["score"].get<double>() - ref.score) < 1e-9);
            if (h) QVERIFY(hyps[h - 1]["score"].get<double>() >= hyps[h]["score"].get<double>());
        }
    }

    void errors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown word") << QStringList{"--prompt", "the zebra"} << "'zebra' (word 2) is not in the model's vocabulary";
        QTest::newRow("width 0") << QStringList{"--width", "0"} << "--width must be between 1 and 64, got 0";
        QTest::newRow("width text") << QStringList{"--width", "four"} << "--width";
        QTest::newRow("alpha 7") << QStringList{"--length-penalty", "7"} << "--length-penalty";
        QTest::newRow("max-len 0") << QStringList{"--max-len", "0"} << "--max-len";
        QTest::newRow("unknown option") << QStringList{"--beams", "3"} << "--beams";
    }
    void errors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto r = testutil::cliRefuses(QStringList{"beam", kModel} + args, message);
        QVERIFY(r.err.startsWith("arlab-cli beam: error: "));
    }

    void missingModel() {
        const auto r = cli({"beam", "/nonexistent/model.safetensors"});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.startsWith("arlab-cli beam: error: "));
    }

    void textOutput() {
        const auto r = cli({"beam", kModel, "--prompt", "the small cat", "--width", "2", "--max-len", "6"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(" 1. score"));
        QVERIFY(r.out.contains("tree: "));
    }
};

QTEST_GUILESS_MAIN(TestCliBeam)
#include "tst_core_cli_beam.moc"
