// Limits before allocation (core/models/configlimits.h, configreader.h): every model config is checked as a
// whole before a model is built. Each hostile config below (a shipped model's file with one config value
// changed) is refused with a message naming the key or the limit, in well under a second: never bad_alloc, a
// stall or an int overflow. The parameter lower bounds are checked against the real models' parameter counts.
#include "core/error.h"
#include "core/io/modelfile.h"
#include "core/io/safetensors.h"
#include "core/models/charrnn.h"
#include "core/models/configlimits.h"
#include "core/models/imagemodel.h"
#include "core/models/made.h"
#include "core/models/pixelcnn.h"
#include "core/models/pixelcnnconfig.h"
#include "core/models/seq2seq.h"
#include "core/models/tinygpt.h"
#include "core/random.h"
#include "testutil.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace ar;

namespace {
using testutil::errorOf;
std::string shipped(const QString& name) { return testutil::shipped(name).toStdString(); }
int64_t valueCount(const SafeTensors& f) {
    int64_t n = 0;
    for (const auto& t : f.tensors) n += int64_t(t.data.size());
    return n;
}
int64_t paramCount(const ParamList& params) {
    int64_t n = 0;
    for (const auto& p : params) n += int64_t(p.var.value().size());
    return n;
}
// Loads a parsed file through the loader its kind uses (what the CLI and the app call).
void load(const SafeTensors& f, const std::string& label) {
    const std::string kind = f.metadata.at("arlab.kind");
    if (isImageModelKind(kind)) loadImageModel(f, label);
    else if (kind == "seq2seq") loadSeq2Seq(f, label);
    else loadLanguageModel(f, label);
}
int64_t minParamsOf(const SafeTensors& f) {
    const std::string kind = f.metadata.at("arlab.kind"), cfg = f.metadata.at("arlab.config");
    if (kind == "tinygpt") return minParameters(TinyGptConfig::fromJson(cfg));
    if (kind == "seq2seq") return minParameters(Seq2SeqConfig::fromJson(cfg));
    if (kind == "made") return minParameters(Made::parseConfig(cfg));
    if (kind == "pixelcnn" || kind == "gatedpixelcnn")
        return minParameters(parsePixelCnnConfig(cfg, kind == "gatedpixelcnn"), kind == "gatedpixelcnn");
    return minParameters(CharRnnConfig::fromJson(cfg, kind));
}
}  // namespace

class TestConfigLimits : public QObject {
    Q_OBJECT
private slots:
    // The lower bound is a lower bound, and a tight one (at least 80% of the real count), for every shipped model.
    void minParametersOfShippedModels_data() {
        QTest::addColumn<QString>("name");
        for (const char* n : {"toy-word", "words-char", "en-char-lstm", "zh-en-seq2seq", "pixelcnn-digits",
                              "gatedpixelcnn-digits", "made-digits"})
            QTest::newRow(n) << QString(n);
    }
    void minParametersOfShippedModels() {
        QFETCH(QString, name);
        const SafeTensors f = readSafetensors(shipped(name));
        const int64_t values = valueCount(f), lower = minParamsOf(f);
        QVERIFY2(lower <= values && lower * 10 >= values * 8,
                 qPrintable(QString("lower bound %1, file values %2").arg(lower).arg(values)));
        load(f, "m");  // and the shipped file still loads
    }

    // Kinds and shapes no shipped model has: the bound against the model's own parameter list.
    void minParametersOfBuiltModels() {
        Rng rng(1);
        std::vector<std::string> vocab;
        for (int i = 0; i < 30; ++i) vocab.push_back("t" + std::to_string(i));
        for (auto cell : {nn::CellType::Rnn, nn::CellType::Gru, nn::CellType::Lstm}) {
            CharRnnConfig c;
            c.cell = cell;
            c.vocabSize = 30;
            c.embd = 7;
            c.hidden = 11;
            c.layers = 3;
            const CharRnn m(c, Tokenizer(Tokenizer::Kind::Word, vocab), rng);
            const int64_t real = paramCount(m.parameters()), lower = minParameters(c);
            QVERIFY2(lower <= real && lower * 10 >= real * 8, qPrintable(QString("%1 <= %2").arg(lower).arg(real)));
        }
        PixelCnnConfig p;
        p.height = 9;
        p.width = 7;
        p.channels = 6;
        p.layers = 3;
        p.classes = 10;
        for (bool gated : {false, true}) {
            const auto m = makeImageModel(gated ? "gatedpixelcnn" : "pixelcnn", pixelCnnConfigJson(p), 1);
            const int64_t real = paramCount(m->params()), lower = minParameters(p, gated);
            QVERIFY2(lower <= real && lower * 10 >= real * 8, qPrintable(QString("%1 <= %2").arg(lower).arg(real)));
        }
        MadeConfig mc;
        mc.height = 5;
        mc.width = 6;
        mc.hidden = {40, 20};
        const Made made(mc, rng);
        QVERIFY(minParameters(mc) <= paramCount(made.params()));
        QVERIFY(minParameters(mc) * 10 >= paramCount(made.params()) * 8);
    }

    void hostileConfigs_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");  // JSON
        QTest::addColumn<QString>("message");
        // PixelCNN: the 5.8 GB / 20 s case, int overflow, types, unknown keys, a big model in a small file
        QTest::newRow("pixelcnn layers 1e8") << "pixelcnn-digits" << "layers" << "100000000" << "pixelcnn config: 'layers' = 100000000 is outside 0..64";
        QTest::newRow("pixelcnn 46341 high") << "pixelcnn-digits" << "height" << "46341" << "pixelcnn config: 'height' = 46341 is outside 2..256";
        QTest::newRow("pixelcnn beyond int") << "pixelcnn-digits" << "width" << "4294967297" << "'width' = 4294967297 is outside";
        QTest::newRow("pixelcnn string") << "pixelcnn-digits" << "layers" << "\"5\"" << "'layers' must be an integer, got \"5\"";
        QTest::newRow("pixelcnn float") << "pixelcnn-digits" << "channels" << "16.5" << "'channels' must be an integer, got 16.5";
        QTest::newRow("pixelcnn even kernel") << "pixelcnn-digits" << "kernel" << "4" << "'kernel' must be odd and in 1..15, got 4";
        QTest::newRow("pixelcnn first kernel 1") << "pixelcnn-digits" << "first_kernel" << "1" << "'first_kernel' must be odd and in 3..15, got 1";
        QTest::newRow("pixelcnn unknown key") << "pixelcnn-digits" << "dilation" << "2" << "pixelcnn config: unknown key 'dilation' (known keys: channels, classes, first_kernel, height, kernel, layers, positions, width)";
        QTest::newRow("pixelcnn positions") << "pixelcnn-digits" << "positions" << "\"yes\"" << "'positions' must be true or false";
        QTest::newRow("pixelcnn big in small file") << "pixelcnn-digits" << "channels" << "512" << "but the file holds only";
        QTest::newRow("gated layers 0") << "gatedpixelcnn-digits" << "layers" << "0" << "gatedpixelcnn config: 'layers' = 0 is outside 1..64";
        QTest::newRow("gated activations") << "gatedpixelcnn-digits" << "height" << "256;width=256;channels=512" << "activations per image, more than the limit";
        // MADE: 1000 x 1000 pixels (4.7 GB), a billion mask sets, unknown orders
        QTest::newRow("made 1000x1000") << "made-digits" << "height" << "1000" << "made config: 'height' = 1000 is outside 1..256";
        QTest::newRow("made masks 1e9") << "made-digits" << "masks" << "1000000000" << "made config: 'masks' = 1000000000 is outside 1..64";
        QTest::newRow("made order") << "made-digits" << "order" << "\"backwards\"" << "made config: 'order' is \"backwards\"; the choices are natural, random";
        QTest::newRow("made hidden 0") << "made-digits" << "hidden" << "[300, 0]" << "made config: a hidden layer size of 0 is outside 1..65536";
        QTest::newRow("made hidden not list") << "made-digits" << "hidden" << "300" << "'hidden' must be a list of 1 to 8 integers";
        QTest::newRow("made big in small file") << "made-digits" << "hidden" << "[8192, 8192]" << "but the file holds only";
        // TinyGPT: the 48 x 4096 x 4096 (20 s), a big model in a small file, unknown keys and values
        QTest::newRow("tinygpt 48x4096x4096") << "toy-word" << "n_layer" << "48;n_embd=4096;block_size=4096" << "more than the limit of 536870912";
        QTest::newRow("tinygpt big in small file") << "toy-word" << "n_layer" << "12;n_embd=1024" << "but the file holds only";
        QTest::newRow("tinygpt 1e12 width") << "toy-word" << "n_embd" << "1000000000000" << "'n_embd' = 1000000000000 is outside -1..1000000";
        QTest::newRow("tinygpt unknown key") << "toy-word" << "flash" << "true" << "unknown key 'flash'";
        QTest::newRow("tinygpt pos") << "toy-word" << "pos" << "\"alibi\"" << "'pos' is \"alibi\"; the choices are learned, sinusoidal, rope";
        QTest::newRow("tinygpt pos type") << "toy-word" << "pos" << "3" << "'pos' must be a string";
        QTest::newRow("tinygpt dropout") << "toy-word" << "dropout" << "\"none\"" << "'dropout' must be a number";
        QTest::newRow("tinygpt missing") << "toy-word" << "n_layer" << "DELETE" << "has no integer 'n_layer'";
        // recurrent and seq2seq
        QTest::newRow("moe balance string") << "moe-toy" << "balance" << "\"high\"" << "moe config: 'balance' must be a number";
        QTest::newRow("moe balance range") << "moe-toy" << "balance" << "11" << "moe config: 'balance' = 11";
        QTest::newRow("moe experts float") << "moe-toy" << "n_experts" << "4.5" << "'n_experts' must be an integer, got 4.5";
        QTest::newRow("moe experts 1e9") << "moe-toy" << "n_experts" << "1000000000" << "'n_experts' = 1000000000 is outside 1..64";
        QTest::newRow("moe unknown key") << "moe-toy" << "capacity" << "2" << "unknown key 'capacity'";
        QTest::newRow("lstm cell") << "en-char-lstm" << "cell" << "\"transformer\"" << "recurrent model config: 'cell' is \"transformer\"; the choices are rnn, lstm, gru";
        QTest::newRow("lstm big in small file") << "en-char-lstm" << "hidden" << "4096;layers=4" << "but the file holds only";
        QTest::newRow("lstm vocab") << "en-char-lstm" << "vocab_size" << "2000000" << "'vocab_size' = 2000000 is outside 1..1000000";
        QTest::newRow("seq2seq attention") << "zh-en-seq2seq" << "attention" << "\"bogus\"" << "seq2seq config: 'attention' is \"bogus\"; the choices are luong-dot";
        QTest::newRow("seq2seq big in small file") << "zh-en-seq2seq" << "hidden" << "4096" << "but the file holds only";
        QTest::newRow("seq2seq unknown key") << "zh-en-seq2seq" << "heads" << "8" << "seq2seq config: unknown key 'heads'";
        QTest::newRow("seq2seq bool") << "zh-en-seq2seq" << "bridge" << "1" << "'bridge' must be true or false";
    }
    void hostileConfigs() {
        QFETCH(QString, model);
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, message);
        SafeTensors f = readSafetensors(shipped(model));
        nlohmann::json cfg = nlohmann::json::parse(f.metadata.at("arlab.config"));
        // "a;b=2;c=3": set key a to the first value and the other key=value pairs too
        const QStringList parts = value.split(';');
        if (parts[0] == "DELETE") cfg.erase(key.toStdString());
        else cfg[key.toStdString()] = nlohmann::json::parse(parts[0].toStdString());
        for (int i = 1; i < parts.size(); ++i) {
            const QStringList kv = parts[i].split('=');
            cfg[kv[0].toStdString()] = nlohmann::json::parse(kv[1].toStdString());
        }
        f.metadata["arlab.config"] = cfg.dump();
        QElapsedTimer t;
        t.start();
        const QString e = errorOf([&] { load(f, "model 'm'"); });
        const qint64 ms = t.elapsed();
        QVERIFY2(e.startsWith("model 'm': "), qPrintable(e));
        QVERIFY2(e.contains(message), qPrintable(e));
        QVERIFY2(ms < 1000, qPrintable(QString("%1 ms").arg(ms)));  // liveness, generous: milliseconds in practice
    }

    // Building a model from settings (the trainers, the app) applies the same limits.
    void constructionChecksLimits() {
        Rng rng(1);
        PixelCnnConfig p;
        p.height = p.width = 46341;  // height * width overflows int
        QVERIFY(errorOf([&] { PixelCnn m(p, rng); }).contains("'height' = 46341 is outside 2..256"));
        MadeConfig m;
        m.masks = 1000000000;
        QVERIFY(errorOf([&] { Made x(m, rng); }).contains("'masks' = 1000000000 is outside 1..64"));
        TinyGptConfig g;
        g.vocabSize = 100;
        g.layers = 48;
        g.embd = 4096;
        g.heads = 8;
        g.contextLength = 4096;
        QVERIFY(errorOf([&] { g.validate(); }).contains("parameters, more than the limit of 536870912"));
        QVERIFY(errorOf([&] { TinyGptConfig::fromJson("[1, 2]"); }).contains("not a JSON object"));
        QVERIFY(errorOf([&] { TinyGptConfig::fromJson("{nope"); }).contains("not valid JSON"));
    }
};

QTEST_APPLESS_MAIN(TestConfigLimits)
#include "tst_core_configlimits.moc"
