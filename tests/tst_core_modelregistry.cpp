// The model registry (core/io/modelregistry.h): every shipped file opens through openModel() as its kind and
// family and saves back to the same bytes; provenance reads and writes for every kind; bad files, folders and
// the wrong family give specific errors; a new kind (one that claims folders) plugs in without other edits.
// Loading draws no random numbers: every kind's weights come from the file only.
#include "core/error.h"
#include "core/io/modelregistry.h"
#include "core/models/imagemodel.h"
#include "core/models/languagemodel.h"
#include "core/models/made.h"
#include "core/models/seq2seq.h"
#include "core/random.h"
#include "testpaths.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace ar;

namespace {
const std::string kModels = testutil::sourcePath("resources/models/");

std::string fileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
}  // namespace

class TestModelRegistry : public QObject {
    Q_OBJECT
private slots:
    void shippedModelsOpen_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("family");
        QTest::newRow("toy-word") << "toy-word" << "tinygpt" << "text";
        QTest::newRow("words-char") << "words-char" << "tinygpt" << "text";
        QTest::newRow("en-char-lstm") << "en-char-lstm" << "lstm" << "text";
        QTest::newRow("zh-en-seq2seq") << "zh-en-seq2seq" << "seq2seq" << "translator";
        QTest::newRow("zh-en-seq2seq-early") << "zh-en-seq2seq-early" << "seq2seq" << "translator";
        QTest::newRow("pixelcnn") << "pixelcnn-digits" << "pixelcnn" << "image";
        QTest::newRow("gatedpixelcnn") << "gatedpixelcnn-digits" << "gatedpixelcnn" << "image";
        QTest::newRow("made") << "made-digits" << "made" << "image";
        QTest::newRow("zh-en-nat") << "zh-en-nat" << "nat" << "parallel translator";
        QTest::newRow("zh-en-nat-early") << "zh-en-nat-early" << "nat" << "parallel translator";
        QTest::newRow("toy-target") << "toy-target" << "tinygpt" << "text";
        QTest::newRow("toy-draft") << "toy-draft" << "tinygpt" << "text";
    }
    // A shipped file that is missing or broken fails here: the files are part of the product.
    void shippedModelsOpen() {
        QFETCH(QString, file);
        QFETCH(QString, kind);
        QFETCH(QString, family);
        const std::string path = kModels + file.toStdString() + ".safetensors";
        const OpenResult r = openModel(path);
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(QString::fromStdString(r.model.kind), kind);
        QCOMPARE(QString::fromStdString(familyName(r.model.family)), family);
        QCOMPARE(int(bool(r.model.text)) + int(bool(r.model.image)) + int(bool(r.model.translator)) + int(bool(r.model.parallel)), 1);
        // Saved through the registry: the same bytes as the shipped file.
        QTemporaryDir dir;
        const std::string out = dir.filePath("m.safetensors").toStdString();
        saveModel(r.model, out);
        QVERIFY2(fileBytes(out) == fileBytes(path), "the saved file differs from the shipped one");
        // Provenance: the file's, and settable for every kind.
        const std::string prov = provenanceOf(r.model);
        QVERIFY2(prov.find("command") != std::string::npos, prov.c_str());
        setProvenance(r.model, "{\"note\":\"x\"}");
        QCOMPARE(QString::fromStdString(provenanceOf(r.model)), QString("{\"note\":\"x\"}"));
        saveModel(r.model, out);
        QCOMPARE(QString::fromStdString(provenanceOf(loadModel(out))), QString("{\"note\":\"x\"}"));
    }

    // Loading builds the model with Rng::forLoading() (any draw from it throws) and reads every weight from the
    // file: no random number is drawn on this thread, except for MADE's masks, which its mask_seed fixes (they are
    // the model's structure, not its weights). Every shipped file, so every kind is covered.
    void loadingDrawsNoRandomNumbers_data() {
        QTest::addColumn<QString>("file");
        for (const char* f : {"toy-word", "toy-word-rope", "toy-word-sinusoidal", "words-char", "toy-target", "toy-draft",
                              "recall-tinygpt", "recall-rnn", "recall-lstm", "recall-gru", "en-char-lstm", "moe-toy",
                              "moe-toy-dense", "zh-en-seq2seq", "zh-en-seq2seq-early", "zh-en-nat", "zh-en-nat-early",
                              "pixelcnn-digits", "gatedpixelcnn-digits", "made-digits"})
            QTest::newRow(f) << QString(f);
    }
    void loadingDrawsNoRandomNumbers() {
        QFETCH(QString, file);
        const std::string path = kModels + file.toStdString() + ".safetensors";
        const uint64_t before = Rng::drawsOnThisThread();
        const OpenResult r = openModel(path);
        const uint64_t drawn = Rng::drawsOnThisThread() - before;
        QVERIFY2(r.ok(), r.error.c_str());
        uint64_t maskDraws = 0;
        if (r.model.kind == "made") {
            const uint64_t b = Rng::drawsOnThisThread();
            makeMadeMasks(Made::parseConfig(r.model.image->configJson()), 0);
            maskDraws = Rng::drawsOnThisThread() - b;
        }
        QCOMPARE(drawn, maskDraws);
    }
    void aLoadingRngRefusesToDraw() {
        Rng seeded(7), loading = Rng::forLoading();
        QVERIFY(!seeded.isForLoading() && loading.isForLoading());
        const uint64_t before = Rng::drawsOnThisThread();
        seeded.normal();
        QCOMPARE(Rng::drawsOnThisThread() - before, uint64_t(2));  // Box-Muller: two uniforms
        QVERIFY(testutil::errorOf([&] { loading.uniform(); }).contains("drawn while building a model to load from a file"));
    }

    void everyKindIsListedOnce() {
        QSet<QString> names;
        for (const ModelKind& k : modelKinds()) {
            QVERIFY2(!names.contains(QString::fromStdString(k.name)), k.name.c_str());
            names.insert(QString::fromStdString(k.name));
            QVERIFY2(k.load || k.loadPath, k.name.c_str());
            QVERIFY(!k.description.empty());
        }
        for (const char* k : {"tinygpt", "rnn", "lstm", "gru", "seq2seq", "nat", "pixelcnn", "gatedpixelcnn", "made"})
            QVERIFY2(findModelKind(k), k);
        QCOMPARE(QString::fromStdString(modelKindNames(ModelFamily::Image)), QString("pixelcnn, gatedpixelcnn, made"));
    }

    void badFilesGiveSpecificErrors_data() {
        QTest::addColumn<QString>("what");      // how to make the path
        QTest::addColumn<QString>("message");   // part of the error
        QTest::newRow("missing") << "missing" << "nope.safetensors";
        QTest::newRow("folder") << "folder" << "is a folder";
        QTest::newRow("text file") << "text" << "m.safetensors";
        QTest::newRow("empty") << "empty" << "m.safetensors";
        QTest::newRow("unknown kind") << "unknown" << "unknown arlab.kind 'markov'";
        QTest::newRow("no kind") << "nokind" << "has no arlab.kind";
        // A known kind whose config is missing: the loader names the key (SafeTensors::requireMetadata).
        for (const char* kind : {"tinygpt", "lstm", "seq2seq", "nat", "moegpt"})
            QTest::newRow(qPrintable(QString("%1 without a config").arg(kind)))
                << QString("noconfig:") + kind << "m.safetensors': metadata has no 'arlab.config'";
    }
    void badFilesGiveSpecificErrors() {
        QFETCH(QString, what);
        QFETCH(QString, message);
        QTemporaryDir dir;
        std::string path = dir.filePath("m.safetensors").toStdString();
        if (what == "missing") path = dir.filePath("nope.safetensors").toStdString();
        if (what == "folder") path = dir.path().toStdString();
        if (what == "text") std::ofstream(path) << "hello, I am not a model";
        if (what == "empty") std::ofstream(path, std::ios::binary).flush();
        if (what == "unknown" || what == "nokind" || what.startsWith("noconfig:")) {
            SafeTensors f;
            f.tensors.push_back({"w", {1}, {0.0f}});
            if (what == "unknown") f.metadata["arlab.kind"] = "markov";
            if (what.startsWith("noconfig:")) f.metadata["arlab.kind"] = what.mid(9).toStdString();
            writeSafetensors(path, f);
        }
        const OpenResult r = openModel(path);
        QVERIFY(!r.ok());
        QVERIFY(!r.model);
        QVERIFY2(QString::fromStdString(r.error).contains(message), r.error.c_str());
    }

    void wrongFamilyIsNamed() {
        try {
            loadTranslator(kModels + "toy-word.safetensors");
            QFAIL("a text model opened as a translator");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("kind 'tinygpt' is a text model, not a seq2seq translator"), e.what());
        }
        try {
            loadTextModel(kModels + "zh-en-seq2seq.safetensors");
            QFAIL("a translator opened as a text model");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("arlab-cli translate"), e.what());
        }
        QVERIFY(loadImageModelFile(kModels + "made-digits.safetensors"));
    }

    // A kind stored as a folder (like a Hugging Face checkpoint) plugs in with claims/loadPath.
    void aNewKindPlugsIn() {
        QTemporaryDir dir;
        const std::string folder = dir.filePath("checkpoint").toStdString();
        std::filesystem::create_directory(folder);
        std::ofstream(folder + "/fake.json") << "{}";
        ModelKind k;
        k.name = "fake-folder";
        k.family = ModelFamily::Image;
        k.description = "test kind";
        k.claims = [](const std::string& p) { return std::filesystem::exists(p + "/fake.json"); };
        k.loadPath = [](const std::string& p) {
            (void)p;
            return wrapModel(std::shared_ptr<ImageModel>(makeImageModel("made", "{}", 1)));
        };
        registerModelKind(k);
        const OpenResult r = openModel(folder);
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(QString::fromStdString(r.model.kind), QString("fake-folder"));
        QVERIFY(r.model.image);
        // Other folders are still refused, and safetensors files still open as before.
        QVERIFY(!openModel(dir.path().toStdString()).ok());
        QVERIFY(openModel(kModels + "toy-word.safetensors").ok());
    }
};

QTEST_APPLESS_MAIN(TestModelRegistry)
#include "tst_core_modelregistry.moc"
