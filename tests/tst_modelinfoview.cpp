// ModelInfoView (widgets/modelinfoview.h) alone, with a fake ModelInfo: the page shows the title, kind, source,
// summary, provenance, architecture, the stored config where it differs, each parameter count and the total
// (English digit grouping), text is escaped (a name with markup shows as written), clear() shows its message,
// and the CSV written by the export path holds every row given, in order.
#include "widgets/modelinfoview.h"
#include "guitestutil.h"

#include <QTextBrowser>
#include <QtTest>

using namespace arlab;

Q_DECLARE_METATYPE(arlab::ModelInfo)

namespace {

ModelInfo fake() {
    ModelInfo m;
    m.title = "toy-word.safetensors";
    m.kind = "tinygpt";
    m.source = ":/models/toy-word.safetensors";
    m.summary = {"2 layers x 4 heads, context 32."};
    m.architecture = {{"layers", "2"}, {"heads", "4"}, {"embd", "64"}};
    m.parameters = {{"wte.weight  (V, C) = (33, 64)", 2112}, {"lm_head.weight", 1234567}};
    m.totalParameters = 2112 + 1234567;
    m.provenance = {{"corpus", "toy grammar"}, {"seed", "1"}};
    m.vocabulary = "the cat dog sees";
    return m;
}

QString shownText(const ModelInfoView& v) {
    auto* browser = v.findChild<QTextBrowser*>();
    return browser ? browser->toPlainText() : QString();
}

}  // namespace

class TestModelInfoView : public QObject {
    Q_OBJECT
private slots:
    void pageShowsTheInfo_data() {
        QTest::addColumn<ModelInfo>("info");
        QTest::addColumn<QStringList>("shown");
        QTest::addColumn<QStringList>("notShown");
        QTest::addColumn<int>("csvRows");
        const ModelInfo full = fake();
        QTest::newRow("everything") << full
                                    << QStringList{"toy-word.safetensors", "(tinygpt)", ":/models/toy-word.safetensors",
                                                   "2 layers x 4 heads, context 32.", "Provenance", "toy grammar",
                                                   "Architecture", "embd", "2,112", "1,234,567", "Parameters: 1,236,679",
                                                   "Vocabulary", "the cat dog sees"}
                                    << QStringList{} << 3 + 2 + 1 + 2;
        ModelInfo bare = fake();
        bare.provenance.clear();
        bare.vocabulary.clear();
        QTest::newRow("no provenance, no vocabulary") << bare << QStringList{"Architecture", "Parameters: 1,236,679"}
                                                      << QStringList{"Provenance", "Vocabulary"} << 3 + 2 + 1;
        ModelInfo markup = fake();
        markup.title = "<b>bold</b> & co";
        markup.architecture = {{"<i>k</i>", "a<b"}};
        ModelInfo stored = fake();
        stored.config = {{"n_layer", "2"}, {"n_head", "4"}};
        QTest::newRow("config as stored, when it differs") << stored << QStringList{"Config (as arlab stores it)", "n_layer"}
                                                          << QStringList{} << 3 + 2 + 2 + 1 + 2;
        ModelInfo same = fake();
        same.config = same.architecture;
        QTest::newRow("config the same: shown once") << same << QStringList{"Architecture"}
                                                     << QStringList{"Config (as arlab stores it)"} << 3 + 2 + 1 + 2;
        QTest::newRow("markup is text") << markup << QStringList{"<b>bold</b> & co", "<i>k</i>", "a<b"} << QStringList{}
                                        << 1 + 2 + 1 + 2;
    }
    void pageShowsTheInfo() {
        QFETCH(ModelInfo, info);
        QFETCH(QStringList, shown);
        QFETCH(QStringList, notShown);
        QFETCH(int, csvRows);
        ModelInfoView v;
        v.setModelInfo(info);
        QCOMPARE(v.modelInfo().title, info.title);
        const QString text = shownText(v);
        for (const QString& s : shown) QVERIFY2(text.contains(s), qPrintable(s + " missing from:\n" + text));
        for (const QString& s : notShown) QVERIFY2(!text.contains(s), qPrintable(s + " shown in:\n" + text));

        const testutil::Csv csv = testutil::viewCsv(&v);
        QCOMPARE(csv.header, QStringList({"section", "name", "value"}));
        QCOMPARE(csv.rows.size(), csvRows);
        int r = 0;
        for (const auto& [k, val] : info.architecture) QCOMPARE(csv.rows[r++], QStringList({"architecture", k, val}));
        if (info.config != info.architecture)
            for (const auto& [k, val] : info.config) QCOMPARE(csv.rows[r++], QStringList({"config", k, val}));
        for (const auto& [k, n] : info.parameters) QCOMPARE(csv.rows[r++], QStringList({"parameters", k, QString::number(n)}));
        QCOMPARE(csv.rows[r++], QStringList({"parameters", "total", QString::number(info.totalParameters)}));
        for (const auto& [k, val] : info.provenance) QCOMPARE(csv.rows[r++], QStringList({"provenance", k, val}));
    }

    void clearShowsTheMessage() {
        ModelInfoView v;
        QVERIFY(shownText(v).contains("No model loaded."));   // before any model
        QVERIFY(v.exportTable().isEmpty());
        v.setModelInfo(fake());
        QVERIFY(!v.exportTable().isEmpty());
        v.clear("The file could not be read.");
        QCOMPARE(shownText(v).trimmed(), QString("The file could not be read."));
        QVERIFY(v.modelInfo().title.isEmpty());
        const ExportTable t = v.exportTable();
        QVERIFY(t.isEmpty());
        QCOMPARE(t.emptyReason, QString("no model loaded"));
    }
};

QTEST_MAIN(TestModelInfoView)
#include "tst_modelinfoview.moc"
