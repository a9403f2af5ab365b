// arlab-cli's sampling options (app/cli/sampleroptions.h) are the sampler chain's stage knobs: their names,
// value names, help and defaults, the parse with Args' range message and the stage's own check, and a stage added
// to the chain (tests/fakestage.h) becoming an option with no other edit. The process-level side (generate and
// speculative refusing bad values) is in tst_core_cli_text and tst_core_cli_parallel.
#include "app/cli/args.h"
#include "app/cli/sampleroptions.h"
#include "core/decoding/samplerstages.h"
#include "fakestage.h"
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

double knob(const ar::SamplerSettings& s, const QString& key) {
    for (const ar::SamplerStageKind* stage : ar::samplerStages())
        for (const ar::StageParam& p : stage->params())
            if (QString::fromStdString(p.key) == key) return p.get(s);
    [&] { QFAIL(qPrintable("no knob " + key)); }();
    return 0;
}

}  // namespace

class TestCliSamplerOptions : public QObject {
    Q_OBJECT
private slots:
    void cleanup() {
        ar::removeAddedSamplerStages();
        fake::g_everyNth = 1;
    }

    // One option per knob, in chain order, named after the key; the value name, the tooltip on one line and the
    // default in the help; the usage lines wrap at 100 columns.
    void optionsAreTheChainsKnobs() {
        const std::vector<OptionSpec> specs = samplerOptions();
        QCOMPARE(names(specs), (QStringList{"repetition-penalty", "repetition-window", "temperature", "top-k", "top-p", "min-p"}));
        const QStringList values{"R", "N", "T", "K", "P", "P"};
        const QStringList defaults{"(default 1)", "(default 64)", "(default 1)", "(default 0)", "(default 1)", "(default 0)"};
        size_t i = 0;
        for (const ar::SamplerStageKind* stage : ar::samplerStages())
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
        QCOMPARE(knob(s, key), value);
        s.validate();
    }

    // Out of [lowest, highest]: Args' message (the one tests and users already know); inside it but refused by
    // the stage (an open edge): the stage's message, prefixed by the option.
    void refusesBadValues_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("negative temperature") << QStringList{"--temperature", "-1"} << "option --temperature must be between 0 and 100, got -1";
        QTest::newRow("temperature too big") << QStringList{"--temperature", "101"} << "option --temperature must be between 0 and 100, got 101";
        QTest::newRow("temperature not a number") << QStringList{"--temperature", "warm"} << "option --temperature expects a number, got 'warm'";
        QTest::newRow("temperature nan") << QStringList{"--temperature", "nan"} << "option --temperature expects a number, got 'nan'";
        QTest::newRow("top-k fraction") << QStringList{"--top-k", "2.5"} << "option --top-k expects a whole number, got '2.5'";
        QTest::newRow("negative top-k") << QStringList{"--top-k", "-1"} << "option --top-k must be between 0 and 2147483647, got -1";
        QTest::newRow("top-p too big") << QStringList{"--top-p", "1.5"} << "option --top-p must be between 0 and 1, got 1.5";
        QTest::newRow("top-p 0 (open edge)") << QStringList{"--top-p", "0"} << "option --top-p: top-p must be in (0, 1], got 0";
        QTest::newRow("min-p 1 (open edge)") << QStringList{"--min-p", "1"} << "option --min-p: min-p must be in [0, 1), got 1";
        QTest::newRow("penalty 0 (open edge)") << QStringList{"--repetition-penalty", "0"}
                                               << "option --repetition-penalty: repetition penalty must be in (0, 10] (1 = off), got 0";
        QTest::newRow("penalty too big") << QStringList{"--repetition-penalty", "11"} << "option --repetition-penalty must be between 0 and 10, got 11";
        QTest::newRow("window too big") << QStringList{"--repetition-window", "1048577"}
                                        << "option --repetition-window must be between 0 and 1048576, got 1048577";
        QTest::newRow("missing value") << QStringList{"--top-p"} << "option --top-p needs a value P";
    }
    void refusesBadValues() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QCOMPARE(testutil::errorOf([&] { parse(args); }), message);
    }

    // A stage added to the chain is an option (name, value name, help), parsed into its knob and checked by its
    // own check; taken out again, it is an unknown option.
    void anAddedStageIsAnOption() {
        fake::addEveryNthStage();
        const std::vector<OptionSpec> specs = samplerOptions();
        QCOMPARE(names(specs).last(), QString("every-nth"));
        QCOMPARE(QString::fromStdString(specs.back().valueName), QString("N"));
        QCOMPARE(QString::fromStdString(specs.back().help),
                 QString("Keeps the tokens whose id is a multiple of n (a test stage). (default 1)"));
        QVERIFY(QString::fromStdString(usageLines(withSamplerOptions({{"help", "", "show this help"}})))
                    .contains("  --every-nth N "));
        parse({"--every-nth", "3"});
        QCOMPARE(fake::g_everyNth, 3.0);
        QCOMPARE(testutil::errorOf([] { parse({"--every-nth", "0"}); }), QString("option --every-nth: every n-th must be >= 1"));
        QCOMPARE(testutil::errorOf([] { parse({"--every-nth", "two"}); }), QString("option --every-nth expects a whole number, got 'two'"));
        ar::removeAddedSamplerStages();
        QVERIFY(!names(samplerOptions()).contains("every-nth"));
        QCOMPARE(testutil::errorOf([] { parse({"--every-nth", "3"}); }), QString("unknown option --every-nth (see --help)"));
    }

    // A stage whose key a command already uses is refused when the command builds its option list.
    void aClashWithACommandsOptionIsAnError() {
        QCOMPARE(testutil::errorOf([] { withSamplerOptions({{"top-k", "K", "a command's own top-k"}}); }),
                 QString("sampler option --top-k is also one of the command's own options"));
    }
};

QTEST_GUILESS_MAIN(TestCliSamplerOptions)
#include "tst_core_clisampleroptions.moc"
