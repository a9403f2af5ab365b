// The Chinese user interface (app/gui/language.h, resources/translations/): every message has a finished
// translation (lupdate over the sources finds nothing new or unfinished; lrelease compiles them all), the
// glossary's terms are used, --lang and the locale pick the language, and switching at run time leaves no
// English in the menus (and switching back restores the English texts exactly).
#include "app/gui/language.h"
#include "app/gui/mainwindow.h"
#include "app/gui/startup.h"
#include "core/io/safetensors.h"
#include "widgets/modelinfoview.h"
#include "testutil.h"
#include "guitestutil.h"

#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace arlab;

namespace {
const QString kTs = testutil::sourceFile("resources/translations/arlab_zh_CN.ts");

// Every text of the menu bar: menu titles, action texts ('&' removed) and the actions' tips (status tip and
// tooltip), recursively.
void collectMenuTexts(QMenu* menu, QStringList* out) {
    out->append(menu->title().remove(QLatin1Char('&')));
    for (QAction* a : menu->actions()) {
        if (a->isSeparator()) continue;
        if (a->menu()) collectMenuTexts(a->menu(), out);
        else *out << a->text().remove(QLatin1Char('&')) << a->statusTip() << a->toolTip();
    }
}
QStringList menuTexts(MainWindow& win) {
    QStringList out;
    for (QAction* a : win.menuBar()->actions())
        if (a->menu()) collectMenuTexts(a->menu(), &out);
    return out;
}
// English left in a text: a Latin word of 3+ letters that is not a name (of a model, a library, a format).
QString englishIn(const QString& text) {
    static const QStringList names = {"arlab", "Qt", "TinyGPT", "GPT", "Transformer", "PixelCNN", "MADE", "RNN", "LSTM",
                                      "GRU", "CSV", "PNG", "SVG", "English", "Ctrl", "safetensors", "AdamW", "softmax",
                                      "logits", "top", "min", "Flash", "Hugging", "Face", "llama"};
    static const QRegularExpression word(QStringLiteral("[A-Za-z]{3,}"));
    for (auto it = word.globalMatch(text); it.hasNext();) {
        const QString w = it.next().captured();
        if (!names.contains(w)) return w;
    }
    return {};
}
}  // namespace

class TestLanguage : public QObject {
    Q_OBJECT
private slots:
    void resolve_data() {
        QTest::addColumn<QString>("requested");
        QTest::addColumn<QString>("code");
        QTest::newRow("zh_CN") << "zh_CN" << "zh_CN";
        QTest::newRow("zh-CN") << "zh-CN" << "zh_CN";
        QTest::newRow("zh") << "zh" << "zh_CN";
        QTest::newRow("en") << "en" << "en";
        QTest::newRow("EN") << "EN" << "en";
        QTest::newRow("unknown") << "fr" << "";
    }
    void resolve() {
        QFETCH(QString, requested);
        QFETCH(QString, code);
        QCOMPARE(Language::resolve(requested), code);
    }

    void commandLine_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("lang");
        QTest::addColumn<QString>("error");
        QTest::newRow("zh_CN") << QStringList{"arlab", "--lang", "zh_CN"} << "zh_CN" << "";
        QTest::newRow("en") << QStringList{"arlab", "--lang", "en"} << "en" << "";
        QTest::newRow("bad") << QStringList{"arlab", "--lang", "klingon"} << "" << "--lang: unknown language 'klingon'; choose en or zh_CN";
    }
    void commandLine() {
        QFETCH(QStringList, args);
        QFETCH(QString, lang);
        QFETCH(QString, error);
        StartupOptions opt;
        const ParseOutcome out = parseCommandLine(args, &opt);
        if (error.isEmpty()) {
            QVERIFY2(!out.exit, qPrintable(out.error));
            QCOMPARE(opt.language, lang);
        } else {
            QCOMPARE(out.exitCode, 2);
            QVERIFY2(out.error.contains(error), qPrintable(out.error));
        }
    }

    // lupdate over the same sources as the update_translations target finds no new and no unfinished
    // message, and every translation is non-empty; lrelease compiles every message.
    void everyMessageIsTranslated() {
        QTemporaryDir dir;
        const QString copy = dir.filePath("arlab_zh_CN.ts");
        QVERIFY(QFile::copy(kTs, copy));
        QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
        QProcess lupdate;
        lupdate.setWorkingDirectory(QString::fromUtf8(testutil::sourceDir()));
        lupdate.start(QString::fromUtf8(testutil::lupdatePath()),
                      QStringList{"-I", QString::fromUtf8(testutil::sourceDir())} + QString::fromUtf8(testutil::lupdateOptions()).split(QLatin1Char(' ')) +
                          QString::fromUtf8(testutil::lupdateDirs()).split(QLatin1Char(' ')) + QStringList{"-ts", copy});
        QVERIFY(lupdate.waitForFinished(120000));
        const QString report = QString::fromUtf8(lupdate.readAllStandardOutput() + lupdate.readAllStandardError());
        QCOMPARE(lupdate.exitCode(), 0);
        const QRegularExpression found(QStringLiteral("Found (\\d+) source text\\(s\\) \\((\\d+) new and (\\d+) already existing\\)"));
        const auto m = found.match(report);
        QVERIFY2(m.hasMatch(), qPrintable(report));
        QVERIFY(m.captured(1).toInt() > 300);
        QVERIFY2(m.captured(2) == "0", qPrintable("new, untranslated messages (run: cmake --build build --target update_translations, "
                                                  "then translate them in resources/translations/arlab_zh_CN.ts):\n" + report));
        QFile f(copy);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString ts = QString::fromUtf8(f.readAll());
        QCOMPARE(ts.count(QStringLiteral("type=\"unfinished\"")), 0);
        QCOMPARE(ts.count(QStringLiteral("<translation></translation>")), 0);
        // Two different English texts never share one translation (switching back to English must be exact).
        QHash<QString, QString> sourceOf;
        const QRegularExpression msg(QStringLiteral("<source>(.*?)</source>\\s*<translation>(.*?)</translation>"),
                                     QRegularExpression::DotMatchesEverythingOption);
        for (auto it = msg.globalMatch(ts); it.hasNext();) {
            const auto mm = it.next();
            const QString source = mm.captured(1), translation = mm.captured(2);
            QVERIFY2(!sourceOf.contains(translation) || sourceOf[translation] == source,
                     qPrintable(QStringLiteral("'%1' and '%2' are both translated as '%3'").arg(sourceOf[translation], source, translation)));
            sourceOf.insert(translation, source);
        }
        QProcess lrelease;
        lrelease.start(QString::fromUtf8(testutil::lreleasePath()), {copy, "-qm", dir.filePath("x.qm")});
        QVERIFY(lrelease.waitForFinished(60000));
        const QString out = QString::fromUtf8(lrelease.readAllStandardOutput());
        QVERIFY2(out.contains(QStringLiteral("(%1 finished and 0 unfinished)").arg(m.captured(1))), qPrintable(out));
    }

    // The glossary names the standard terms, and the translation uses them.
    void glossaryTermsAreUsed() {
        QFile g(testutil::sourceFile("resources/translations/glossary_zh_CN.md"));
        QVERIFY(g.open(QIODevice::ReadOnly));
        const QString glossary = QString::fromUtf8(g.readAll());
        QFile t(kTs);
        QVERIFY(t.open(QIODevice::ReadOnly));
        const QString ts = QString::fromUtf8(t.readAll());
        for (const char* term : {"自回归", "注意力", "束搜索", "教师强制", "曝光偏差", "计划采样", "掩码", "温度", "核采样"})
            QVERIFY2(glossary.contains(QString::fromUtf8(term)), term);
        for (const char* term : {"自回归", "注意力", "束搜索", "教师强制", "曝光偏差", "掩码", "温度", "核采样"})
            QVERIFY2(ts.contains(QString::fromUtf8(term)), term);
    }

    void switchingAtRunTimeLeavesNoEnglishInTheMenus() {
        const auto w = testutil::makeWindow("", testutil::Look::Hidden);
        MainWindow& win = *w;
        win.show();
        QVERIFY(Language::instance().apply("en"));
        const QStringList english = menuTexts(win);
        QVERIFY(english.size() > 20);
        QVERIFY(english.contains("File"));
        QVERIFY(Language::instance().apply("zh_CN"));
        const QStringList chinese = menuTexts(win);
        QCOMPARE(chinese.size(), english.size());
        for (const QString& text : chinese)
            QVERIFY2(englishIn(text).isEmpty(), qPrintable(QStringLiteral("English left in the menus: '%1' (in '%2')").arg(englishIn(text), text)));
        QVERIFY(chinese.contains(QString::fromUtf8("文件(F)")));
        // Dock titles follow too.
        for (QDockWidget* d : win.docks()) QVERIFY2(englishIn(d->windowTitle()).isEmpty(), qPrintable(d->windowTitle()));
        // And back: exactly the English texts again.
        QVERIFY(Language::instance().apply("en"));
        QCOMPARE(menuTexts(win), english);
    }

    // A window built while Chinese is on is Chinese from the start (tr() at construction).
    void windowBuiltInChinese() {
        QVERIFY(Language::instance().apply("zh_CN"));
        const auto w = testutil::makeWindow("", testutil::Look::Hidden);
        MainWindow& win = *w;
        for (const QString& text : menuTexts(win)) QVERIFY2(englishIn(text).isEmpty(), qPrintable(text));
        QVERIFY(Language::instance().apply("en"));
    }

    // The Model dock of the shipped toy model in Chinese: its headings, the position encoding and the loss unit
    // (from the file's config and provenance) are translated, none left in English.
    void modelDockInChinese_data() {
        QTest::addColumn<QString>("chinese");   // must appear
        QTest::addColumn<QString>("english");   // must not appear
        QTest::newRow("provenance heading") << QString::fromUtf8("来源") << "Provenance";
        QTest::newRow("config heading") << QString::fromUtf8("配置（arlab 存储的形式）") << "Config (as arlab stores it)";
        QTest::newRow("parameters heading") << QString::fromUtf8("参数：104,192") << "Parameters:";
        QTest::newRow("vocabulary heading") << QString::fromUtf8("词表") << "Vocabulary";
        QTest::newRow("vocabulary size") << QString::fromUtf8("32 个词级词元") << "word tokens";
        QTest::newRow("learned positions") << QString::fromUtf8("可学习位置编码") << QString::fromUtf8("learned位置");
        // %1: the validation loss the shipped file's provenance records (read below), as the dock prints it
        QTest::newRow("loss unit") << QString::fromUtf8("验证损失 %1 奈特/词元") << "%1 nats per token";
    }
    void modelDockInChinese() {
        QFETCH(QString, chinese);
        QFETCH(QString, english);
        if (chinese.contains("%1")) {
            const auto file = ar::openSafetensors(testutil::shipped("toy-word").toStdString());
            const double loss = nlohmann::json::parse(file.requireMetadata("arlab.provenance", "toy-word")).at("val_loss");
            chinese = chinese.arg(loss, 0, 'f', 4);
            english = english.arg(loss, 0, 'f', 4);
        }
        QVERIFY(Language::instance().apply("zh_CN"));
        const auto w = testutil::makeWindow("transformer", testutil::Look::Hidden);
        auto* info = w->findChild<ModelInfoView*>();
        QVERIFY(info);
        QTRY_VERIFY(info->html().contains("toy-word.safetensors"));
        QTextDocument doc;
        doc.setHtml(info->html());
        const QString text = doc.toPlainText();
        QVERIFY(Language::instance().apply("en"));
        QVERIFY2(text.contains(chinese), qPrintable(text));
        QVERIFY2(!text.contains(english), qPrintable(text));
    }

    void patternsTranslateWithTheirArguments() {
        QVERIFY(Language::instance().apply("zh_CN"));
        // "Layer %1, head %2" -> "第 %1 层，第 %2 头", arguments carried over.
        QCOMPARE(Language::instance().translateText("Layer 2, head 3", "en"), QString::fromUtf8("第 2 层，第 3 头"));
        QCOMPARE(Language::instance().translateText(QString::fromUtf8("第 2 层，第 3 头"), "en"), QString());
        // "Show the %1 lesson" matches this text too; the more literal "Show the docks of the %1 lesson" is its own.
        QCOMPARE(Language::instance().translateText("Show the docks of the Transformer lesson", "en"),
                 QString::fromUtf8("显示“Transformer”课的各个面板"));
        QVERIFY(Language::instance().apply("en"));
        QCOMPARE(Language::instance().translateText(QString::fromUtf8("第 2 层，第 3 头"), "zh_CN"), QString("Layer 2, head 3"));
    }
};

QTEST_MAIN(TestLanguage)
#include "tst_language.moc"
