// "A new filter is one new file": this test is built with the sampler stages of core/decoding/stages/ plus one more
// stage file, tests/stagefile/everynth.cpp, through the same generated list as arcore's (arlab_sampler_stage_list,
// tests/CMakeLists.txt); no other file names that stage. It takes part in the chain (in its chainOrder, recorded),
// its knob is a slot of SamplerSettings with its range and its own check in validate(), an option of arlab-cli and of
// arlab (the same parse and messages), a key of the session file (written, read back; a file without it reads the
// default), a row of the Sampling panel and a button of the Next token view.
#include "app/cli/args.h"
#include "app/cli/sampleroptions.h"
#include "app/gui/startup.h"
#include "core/decoding/samplerchain.h"
#include "core/decoding/samplerstages.h"
#include "core/io/sessionfile.h"
#include "testutil.h"
#include "widgets/nexttokenview.h"
#include "widgets/samplingpanel.h"

#include <QFormLayout>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include <cmath>

using testutil::errorOf;

Q_DECLARE_METATYPE(ar::SamplerSettings)

namespace {
ar::SamplerSettings everyNth(double n) {
    ar::SamplerSettings s;
    s.setKnob("every_nth", n);
    return s;
}

QStringList stageNames() {
    QStringList out;
    for (const ar::SamplerStageKind* s : ar::samplerStages()) out << QString::fromStdString(s->name());
    return out;
}
}  // namespace

class TestSamplerStageFile : public QObject {
    Q_OBJECT
private slots:
    // In the chain by its chainOrder (last), off by default, recorded with its name and setting when on.
    void joinsTheChain() {
        QCOMPARE(stageNames(), (QStringList{"repetition penalty", "temperature", "top-k", "top-p", "min-p", "every n-th"}));
        const std::vector<float> logits{0.1f, 0.4f, 0.2f, 0.3f, 0.5f, 0.0f};
        QCOMPARE(int(ar::SamplerChain().filter(logits, {}).size()), 1);   // off: raw only
        const auto stages = ar::SamplerChain(everyNth(2)).filter(logits, {});
        QCOMPARE(int(stages.size()), 2);
        QCOMPARE(stages.back().name, std::string("every n-th"));
        QCOMPARE(stages.back().setting, std::string("n = 2"));
        QCOMPARE(stages.back().removed, 3);
        // Ids 0, 2, 4 renormalised: softmax of {0.1, 0.2, 0.5}, sorted.
        const double z = std::exp(0.1) + std::exp(0.2) + std::exp(0.5);
        QCOMPARE(stages.back().candidates[0].id, 4);
        QCOMPARE(stages.back().candidates[2].id, 0);
        QVERIFY(std::abs(stages.back().candidates[0].p - std::exp(0.5) / z) < 1e-6);
    }

    // Its knob is a slot of the one settings value: the default, the range and its own check, in validate().
    void itsKnobIsASettingsSlot_data() {
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("default") << 1.0 << "";
        QTest::newRow("on") << 8.0 << "";
        QTest::newRow("below its range") << 0.0 << "every n-th must be in [1, 64], got 0";
        QTest::newRow("above its range") << 128.0 << "every n-th must be in [1, 64], got 128";
        QTest::newRow("not whole") << 2.5 << "every n-th must be a whole number up to 2147483647, got 2.5";
        QTest::newRow("its own check") << 6.0 << "every n-th must be a power of 2, got 6";
    }
    void itsKnobIsASettingsSlot() {
        QFETCH(double, value);
        QFETCH(QString, message);
        QCOMPARE(ar::SamplerSettings().knob("every_nth"), 1.0);
        const ar::SamplerSettings s = everyNth(value);
        QCOMPARE(s.knob("every_nth"), value);
        QCOMPARE(errorOf([&] { s.validate(); }), message);
        QCOMPARE(errorOf([&] { ar::SamplerChain chain(s); }), message);
    }

    // An option of arlab-cli and of arlab, from the same code path: help, parse, the knob's messages.
    void isAnOptionOfBothPrograms_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");   // without the program's prefix; "" = accepted
        QTest::newRow("4") << "4" << "";
        QTest::newRow("bad number") << "two" << "--every-nth: every n-th must be a whole number, got 'two'";
        QTest::newRow("out of range") << "0" << "--every-nth: every n-th must be in [1, 64], got 0";
        QTest::newRow("its own check") << "6" << "--every-nth: every n-th must be a power of 2, got 6";
    }
    void isAnOptionOfBothPrograms() {
        QFETCH(QString, value);
        QFETCH(QString, message);
        // arlab-cli
        const std::vector<arcli::OptionSpec> specs = arcli::samplerOptions();
        QCOMPARE(QString::fromStdString(specs.back().name), QString("every-nth"));
        QCOMPARE(QString::fromStdString(specs.back().help), QString("Keeps the tokens whose id is a multiple of n (a test stage). (default 1)"));
        QVERIFY(QString::fromStdString(arcli::usageLines(specs)).contains("  --every-nth N "));
        std::string words[] = {"arlab-cli", "generate", "--every-nth", value.toStdString()};
        char* argv[] = {words[0].data(), words[1].data(), words[2].data(), words[3].data()};
        ar::SamplerSettings cli;
        const QString cliError = errorOf([&] { arcli::readSamplerOptions(arcli::Args(4, argv, 2, specs), cli); });
        QCOMPARE(cliError, message.isEmpty() ? QString() : "option " + message);
        // arlab
        arlab::StartupOptions opt;
        const arlab::ParseOutcome gui = arlab::parseCommandLine({"arlab", "--every-nth", value}, &opt);
        QCOMPARE(gui.exit, !message.isEmpty());
        if (!message.isEmpty()) {
            QCOMPARE(gui.error, "arlab: error: " + message + "\nTry 'arlab --help'.\n");
            return;
        }
        QCOMPARE(cli.knob("every_nth"), 4.0);
        QVERIFY(opt.samplerKnobs == (std::vector<std::pair<std::string, double>>{{"every_nth", 4.0}}));
        arlab::StartupOptions none;
        QVERIFY(arlab::parseCommandLine({"arlab", "--help"}, &none).output.contains("--every-nth <N>"));
    }

    // A key of the session file: written in panel order, read back; a file written without it reads the default.
    void roundTripsThroughASessionFile() {
        ar::SessionData d;
        d.lesson = "transformer";
        d.sampler = everyNth(8);
        const std::string text = ar::writeSession(d);
        QVERIFY2(text.find("\"repetition_window\": 64,\n  \"every_nth\": 8,") != std::string::npos, text.c_str());
        const ar::SessionData r = ar::readSession(text, "s");
        QVERIFY(r.sampler == d.sampler);
        QCOMPARE(ar::writeSession(r), text);
        std::string before = text;
        before.erase(before.find("\"every_nth\": 8,"), std::string("\"every_nth\": 8,").size());
        QCOMPARE(ar::readSession(before, "s").sampler.knob("every_nth"), 1.0);
        std::string bad = text;
        bad.replace(bad.find("\"every_nth\": 8"), std::string("\"every_nth\": 8").size(), "\"every_nth\": 6");
        QCOMPARE(errorOf([&] { ar::readSession(bad, "s"); }), QString("s: sampler settings: every n-th must be a power of 2, got 6"));
    }

    // A row of the Sampling panel (last: its panelOrder), the summary, and a button of the Next token view.
    void getsAPanelRowAndANextTokenButton() {
        arlab::SamplingPanel panel;
        QCOMPARE(panel.stageKeys().last(), QString("every_nth"));
        auto* box = qobject_cast<QSpinBox*>(panel.stageBox("every_nth"));
        QVERIFY(box);
        auto* label = qobject_cast<QLabel*>(panel.findChild<QFormLayout*>()->labelForField(box));
        QVERIFY(label);
        QCOMPARE(label->text(), QString("Every n-th"));
        QCOMPARE(box->toolTip(), QString("Keeps the tokens whose id is a multiple of n (a test stage)."));
        QSignalSpy spy(&panel, &arlab::SamplingPanel::settingsChanged);
        box->setValue(2);
        QCOMPARE(spy.count(), 1);
        const auto s = spy.last().at(0).value<ar::SamplerSettings>();
        QCOMPARE(s.knob("every_nth"), 2.0);
        QVERIFY2(panel.chainSummary().contains("every 2 → draw"), qPrintable(panel.chainSummary()));

        const std::vector<float> logits{0.1f, 0.4f, 0.2f, 0.3f, 0.5f, 0.0f};
        arlab::NextTokenView view;
        arlab::NextTokenData d;
        d.stages = ar::SamplerChain(s).filter(logits, {});
        d.vocab = QStringList{"a", "b", "c", "d", "e", "f"};
        view.setData(d);
        QCOMPARE(view.viewCount(), 3);   // logits, softmax, every n-th
        QCOMPARE(view.viewName(2), QString("every n-th (n = 2)"));
        QStringList buttons;
        for (auto* b : view.findChildren<QPushButton*>()) buttons << b->text();
        QVERIFY2(buttons.contains("every n-th (n = 2)"), qPrintable(buttons.join(", ")));
    }

    // Its texts reach the translation files from its own file: lupdate, run as update_translations runs it, finds
    // the label, the tooltip and the summary pattern in the Sampling panel's context (they are shown in English
    // until a translator fills them in, like any new message; tst_language then fails until that is done).
    void itsTextsReachTheTranslationFiles() {
        QTemporaryDir dir;
        const QString ts = dir.filePath("x.ts");
        QProcess lupdate;
        lupdate.setWorkingDirectory(QString::fromUtf8(testutil::sourceDir()));
        lupdate.start(QString::fromUtf8(testutil::lupdatePath()),
                      QString::fromUtf8(testutil::lupdateOptions()).split(QLatin1Char(' ')) +
                          QStringList{"tests/stagefile/everynth.cpp", "-ts", ts});
        QVERIFY(lupdate.waitForFinished(60000));
        QCOMPARE(lupdate.exitCode(), 0);
        QFile f(ts);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString xml = QString::fromUtf8(f.readAll());
        const QRegularExpression context(QStringLiteral("<name>arlab::SamplingPanel</name>(.*?)</context>"),
                                         QRegularExpression::DotMatchesEverythingOption);
        const QString messages = context.match(xml).captured(1);
        for (const char* text : {"Every n-th", "Keeps the tokens whose id is a multiple of n (a test stage).", "every %1"})
            QVERIFY2(messages.contains(QStringLiteral("<source>%1</source>").arg(QString::fromUtf8(text).toHtmlEscaped())),
                     qPrintable(QStringLiteral("'%1' is not in lupdate's output:\n%2").arg(QString::fromUtf8(text), xml)));
    }
};

QTEST_MAIN(TestSamplerStageFile)
#include "tst_samplerstagefile.moc"
