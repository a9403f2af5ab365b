// arlab-cli's sampling options (app/cli/sampleroptions.h, over core/decoding/stageoptions.h) are the sampler chain's
// stage knobs: their names, value names, help and defaults, the parse, and each knob's one check giving its message.
// arlab's own options take the same path (tst_mainwindow's parseCommandLine rows); a stage added as one more file
// becomes an option of both: tst_samplerstagefile. The process-level side (generate and speculative refusing bad
// values) is in tst_core_cli_text and tst_core_cli_parallel.
#include "app/cli/args.h"
#include "app/cli/sampleroptions.h"
#include "core/decoding/samplerstages.h"
#include "testutil.h"

#include <QtTest>

using namespace arcli;

namespace {

QStringList names(const std::vector<OptionSpec>& specs) {
    QStringList out;
    for (const OptionSpec& s : specs) out << QString::fromStdString(s.name);
    return out;
}

// Parses `args` (options only) against the sampling options and returns the settings they give.
ar::SamplerSettings parse(const QStringList& args) {
    std::vector<std::string> words{"arlab-cli", "generate"};
    for (const QString& a : args) words.push_back(a.toStdString());
    std::vector<char*> argv;
    for (std::string& w : words) argv.push_back(w.data());
    const Args parsed(int(argv.size()), argv.data(), 2, samplerOptions());
    ar::SamplerSettings s;
    readSamplerOptions(parsed, s);
    return s;
}

}  // namespace

class TestCliSamplerOptions : public QObject {
    Q_OBJECT
private slots:
    // One option per knob, in chain order, named after the key; the value name, the tooltip on one line and the
    // default in the help; the usage lines wrap at 100 columns.
    void optionsAreTheChainsKnobs() {
        const std::vector<OptionSpec> specs = samplerOptions();
        QCOMPARE(names(specs), (QStringList{"repetition-penalty", "repetition-window", "temperature", "top-k", "top-p", "min-p"}));
        const QStringList values{"R", "N", "T", "K", "P", "P"};
        const QStringList defaults{"(default 1)", "(default 64)", "(default 1)", "(default 0)", "(default 1)", "(default 0)"};
        size_t i = 0;
        for (const ar::SamplerStageKind* stage : ar::samplerStages())   // chain order
            for (const ar::StageParam& p : stage->params()) {
                const OptionSpec& o = specs.at(i);
                QCOMPARE(QString::fromStdString(o.valueName), values[int(i)]);
                const QString help = QString::fromStdString(o.help);
                QVERIFY2(help.startsWith(QString::fromStdString(p.tooltip).replace('\n', ' ')), o.help.c_str());
                QVERIFY2(help.endsWith(defaults[int(i)]), o.help.c_str());
                QVERIFY(!help.contains('\n'));
                ++i;
            }
        const QString usage = QString::fromStdString(usageLines(specs));
        QVERIFY(usage.contains("  --top-p P "));
        QVERIFY(usage.contains("  --repetition-window N "));
        for (const QString& line : usage.split('\n')) QVERIFY2(line.size() <= 100, qPrintable(line));
    }

    void parsesIntoTheSettings_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("key");
        QTest::addColumn<double>("value");
        QTest::newRow("temperature") << QStringList{"--temperature", "0.7"} << "temperature" << double(0.7f);
        QTest::newRow("temperature 0 (greedy)") << QStringList{"--temperature=0"} << "temperature" << 0.0;
        QTest::newRow("temperature at its edge") << QStringList{"--temperature", "100"} << "temperature" << 100.0;
        QTest::newRow("top-k") << QStringList{"--top-k", "40"} << "top_k" << 40.0;
        QTest::newRow("top-p 1") << QStringList{"--top-p", "1"} << "top_p" << 1.0;
        QTest::newRow("min-p") << QStringList{"--min-p", "0.05"} << "min_p" << double(0.05f);
        QTest::newRow("penalty below 1") << QStringList{"--repetition-penalty", "0.5"} << "repetition_penalty" << 0.5;
        QTest::newRow("window") << QStringList{"--repetition-window", "8"} << "repetition_window" << 8.0;
        QTest::newRow("not given: the default") << QStringList{} << "top_k" << 0.0;
    }
    void parsesIntoTheSettings() {
        QFETCH(QStringList, args);
        QFETCH(QString, key);
        QFETCH(double, value);
        const ar::SamplerSettings s = parse(args);
        QCOMPARE(s.knob(key.toStdString()), value);
        s.validate();
    }

    // A bad number, a value out of the knob's range (either edge, open or closed), an unknown option: the knob's
    // own message, prefixed by the option.
    void refusesBadValues_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("negative temperature") << QStringList{"--temperature", "-1"}
                                              << "option --temperature: temperature must be in [0, 100] (0 = greedy), got -1";
        QTest::newRow("temperature too big") << QStringList{"--temperature", "101"}
                                             << "option --temperature: temperature must be in [0, 100] (0 = greedy), got 101";
        QTest::newRow("temperature not a number") << QStringList{"--temperature", "warm"}
                                                  << "option --temperature: temperature must be a number, got 'warm'";
        QTest::newRow("temperature nan") << QStringList{"--temperature", "nan"} << "option --temperature: temperature must be a number, got 'nan'";
        QTest::newRow("temperature 1e999") << QStringList{"--temperature", "1e999"}
                                           << "option --temperature: temperature must be a number, got '1e999'";
        QTest::newRow("top-k fraction") << QStringList{"--top-k", "2.5"} << "option --top-k: top-k must be a whole number, got '2.5'";
        QTest::newRow("top-k with a space") << QStringList{"--top-k", " 4"} << "option --top-k: top-k must be a whole number, got ' 4'";
        QTest::newRow("negative top-k") << QStringList{"--top-k", "-1"} << "option --top-k: top-k must be >= 0 (0 = off), got -1";
        QTest::newRow("top-k beyond an int") << QStringList{"--top-k", "3000000000"}
                                             << "option --top-k: top-k must be a whole number up to 2147483647, got 3000000000";
        QTest::newRow("top-p too big") << QStringList{"--top-p", "1.5"} << "option --top-p: top-p must be in (0, 1], got 1.5";
        QTest::newRow("top-p 0 (open edge)") << QStringList{"--top-p", "0"} << "option --top-p: top-p must be in (0, 1], got 0";
        QTest::newRow("min-p 1 (open edge)") << QStringList{"--min-p", "1"} << "option --min-p: min-p must be in [0, 1), got 1";
        QTest::newRow("penalty 0 (open edge)") << QStringList{"--repetition-penalty", "0"}
                                               << "option --repetition-penalty: repetition penalty must be in (0, 10] (1 = off), got 0";
        QTest::newRow("penalty too big") << QStringList{"--repetition-penalty", "11"}
                                         << "option --repetition-penalty: repetition penalty must be in (0, 10] (1 = off), got 11";
        QTest::newRow("window too big") << QStringList{"--repetition-window", "1048577"}
                                        << "option --repetition-window: repetition window must be in [0, 1048576], got 1048577";
        QTest::newRow("missing value") << QStringList{"--top-p"} << "option --top-p needs a value P";
        QTest::newRow("unknown option") << QStringList{"--top-q", "0.5"} << "unknown option --top-q (see --help)";
    }
    void refusesBadValues() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QCOMPARE(testutil::errorOf([&] { parse(args); }), message);
    }

    // A stage whose key a command already uses is refused when the command builds its option list.
    void aClashWithACommandsOptionIsAnError() {
        QCOMPARE(testutil::errorOf([] { withSamplerOptions({{"top-k", "K", "a command's own top-k"}}); }),
                 QString("sampler option --top-k is also one of the command's own options"));
    }
};

QTEST_GUILESS_MAIN(TestCliSamplerOptions)
#include "tst_core_clisampleroptions.moc"
