// Every byte of every shipped model file, as a test (runs under ASan + UBSan in CI):
//   - truncations are refused with an ar::Error (no crash, no other exception): every length through the
//     8-byte length and the JSON header, every length within 8 bytes of each tensor's start and end and in the
//     first and last 4 KiB of the data, and a fixed-seed sample of 1000 more lengths inside the data. (Every
//     length of the data section re-parses the same header millions of times, ~4 min of CPU for the 5.9 MB
//     shipped: set ARLAB_EVERY_TRUNCATION=1 to run them all.)
//   - a fixed-seed sample of 300 single-byte changes in the header and 300 in the data section each give either
//     an ar::Error or a model that loads;
//   - a changed data byte that makes a weight NaN or Inf is refused with that tensor's name; one that leaves
//     the weight finite is, correctly, still a valid model.
// The files are part of the product: a missing or unreadable one FAILS.
//
// Built with a sanitizer (arlab.sh sanitize, ~15x slower) the same files and the same kinds of damage run, with
// fewer lengths past the header: the first and last 256 bytes of the data (not 4 KiB) and 200 sampled lengths
// (not 1000). Every such length parses the same complete header and fails the same size check; the header's own
// lengths, each tensor's edges, and all 600 flips per file run in full.
#include "core/io/modelregistry.h"
#include "core/random.h"
#include "testutil.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

using namespace ar;
using testutil::errorOf;

namespace {

const std::string kModels = testutil::sourcePath("resources/models");
constexpr int kHeaderFlips = 300, kDataFlips = 300;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(undefined_behavior_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif
// Truncation lengths past the header (see the top): edge bytes at each end of the data, sampled lengths inside.
constexpr size_t kDataEdge = kSanitized ? 256 : 4096;
constexpr int kSampledLengths = kSanitized ? 200 : 1000;

std::string readAllBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> shippedFiles() {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(kModels))
        if (e.path().extension() == ".safetensors") out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

// The registry's loader (any kind, as the GUI and the CLI open files): "" when it loads, else the ar::Error.
QString loadError(std::string_view bytes) {
    return errorOf([&] { loadModelBytes(bytes, "f"); });
}

struct Span {
    std::string name;
    size_t begin = 0, end = 0;  // absolute byte offsets in the file
};

// The tensors' byte ranges, read from the header independently of the reader under test.
std::vector<Span> tensorSpans(const std::string& bytes, size_t* dataStart) {
    uint64_t n = 0;
    for (int i = 0; i < 8; ++i) n |= uint64_t(uint8_t(bytes[size_t(i)])) << (8 * i);
    *dataStart = 8 + size_t(n);
    std::vector<Span> spans;
    const nlohmann::json header = nlohmann::json::parse(bytes.substr(8, size_t(n)));
    for (const auto& [name, entry] : header.items()) {
        if (name == "__metadata__") continue;
        spans.push_back({name, *dataStart + entry["data_offsets"][0].get<size_t>(), *dataStart + entry["data_offsets"][1].get<size_t>()});
    }
    return spans;
}

}  // namespace

class TestShippedBytes : public QObject {
    Q_OBJECT
private slots:
    void files_data() {
        QTest::addColumn<QString>("file");
        const auto files = shippedFiles();
        QVERIFY2(files.size() >= 8, "the shipped models in resources/models are missing");
        for (const std::string& f : files) QTest::newRow(f.c_str()) << QString::fromStdString(f);
    }

    void truncationsAreErrors_data() { files_data(); }
    void truncationsAreErrors() {
        QFETCH(QString, file);
        const std::string bytes = readAllBytes(kModels + "/" + file.toStdString());
        QVERIFY2(loadError(bytes).isEmpty(), qPrintable(file + ": the shipped file does not load: " + loadError(bytes)));
        size_t dataStart = 0;
        const std::vector<Span> spans = tensorSpans(bytes, &dataStart);
        std::set<size_t> lengths;
        const bool all = qEnvironmentVariableIntValue("ARLAB_EVERY_TRUNCATION") == 1;
        const auto addRange = [&](size_t from, size_t to) {
            for (size_t n = from; n < std::min(to, bytes.size()); ++n) lengths.insert(n);
        };
        addRange(0, all ? bytes.size() : dataStart + kDataEdge);
        addRange(bytes.size() - std::min(kDataEdge, bytes.size()), bytes.size());
        for (const Span& s : spans) {
            addRange(s.begin - std::min<size_t>(8, s.begin), s.begin + 8);
            addRange(s.end - 8, s.end + 8);
        }
        Rng rng(7);
        for (int k = 0; k < kSampledLengths; ++k) lengths.insert(dataStart + size_t(rng.below(bytes.size() - dataStart)));
        for (size_t n : lengths) {
            const QString e = loadError(std::string_view(bytes.data(), n));
            if (!e.startsWith("f: ")) QFAIL(qPrintable(QString("%1 cut to %2 bytes: '%3'").arg(file).arg(n).arg(e)));
        }
        qInfo("%s: %zu of %zu truncation lengths (all %zu of the header), each an ar::Error", qPrintable(file),
              lengths.size(), bytes.size(), dataStart);
    }

    void byteFlips_data() { files_data(); }
    void byteFlips() {
        QFETCH(QString, file);
        const std::string original = readAllBytes(kModels + "/" + file.toStdString());
        size_t dataStart = 0;
        const std::vector<Span> spans = tensorSpans(original, &dataStart);
        QVERIFY(dataStart < original.size());
        Rng rng(20261202);
        std::string bytes = original;  // each flip is made in place and undone after the load (no 600 copies)
        int headerErrors = 0, headerLoads = 0, refusedNonFinite = 0, finiteLoads = 0, tiedRefused = 0;
        for (int k = 0; k < kHeaderFlips + kDataFlips; ++k) {
            const bool header = k < kHeaderFlips;
            const size_t at = header ? size_t(rng.below(dataStart)) : dataStart + size_t(rng.below(original.size() - dataStart));
            const uint8_t changed = uint8_t(original[at]) ^ uint8_t(1 + rng.below(255));
            bytes[at] = char(changed);
            const QString e = loadError(bytes);
            bytes[at] = original[at];
            const QString where = QString("%1: byte %2 changed from 0x%3 to 0x%4")
                                      .arg(file).arg(at).arg(uint8_t(original[at]), 2, 16, QChar('0'))
                                      .arg(changed, 2, 16, QChar('0'));
            if (header) {
                QVERIFY2(e.isEmpty() || e.startsWith("f: "), qPrintable(where + ": " + e));
                ++(e.isEmpty() ? headerLoads : headerErrors);
                continue;
            }
            // Data: the weight that holds the byte is still finite -> a valid model; NaN/Inf -> refused by name.
            const auto span = std::find_if(spans.begin(), spans.end(), [&](const Span& s) { return at >= s.begin && at < s.end; });
            QVERIFY2(span != spans.end(), qPrintable(where + ": not inside any tensor"));
            const size_t word = at - (at - span->begin) % 4;
            char changedWord[4];
            std::memcpy(changedWord, original.data() + word, 4);
            changedWord[at - word] = char(changed);
            float value;
            std::memcpy(&value, changedWord, 4);
            const QString name = QString::fromStdString(span->name);
            if (std::isfinite(value)) {
                // A valid model, unless the tensor is one of two tied copies (TinyGPT's lm_head.weight and
                // transformer.wte.weight) that no longer agree: then a specific error naming it.
                QVERIFY2(e.isEmpty() || (e.contains(name) && e.contains("ties")), qPrintable(where + " (weight stays finite): " + e));
                ++(e.isEmpty() ? finiteLoads : tiedRefused);
            } else {
                QVERIFY2(e.contains("'" + name + "'") && e.contains("non-finite"),
                         qPrintable(where + " (weight becomes " + QString::number(value) + "): '" + e + "'"));
                ++refusedNonFinite;
            }
        }
        QCOMPARE(headerErrors + headerLoads, kHeaderFlips);
        QCOMPARE(finiteLoads + refusedNonFinite + tiedRefused, kDataFlips);
        qInfo("%s: %d header flips (%d refused, %d still load), %d data flips (%d NaN/Inf refused by name, %d finite "
              "and load, %d break a weight tie and are refused by name)",
              qPrintable(file), kHeaderFlips, headerErrors, headerLoads, kDataFlips, refusedNonFinite, finiteLoads, tiedRefused);
    }

    // The NaN/Inf rule checked on purpose for every file (a random flip rarely hits an exponent): the first
    // weight of each tensor set to NaN, then to +Inf, is refused with the tensor's name.
    void nonFiniteWeightsAreRefusedByName_data() { files_data(); }
    void nonFiniteWeightsAreRefusedByName() {
        QFETCH(QString, file);
        const std::string original = readAllBytes(kModels + "/" + file.toStdString());
        size_t dataStart = 0;
        std::string bytes = original;  // changed in place, restored after each load
        for (const Span& s : tensorSpans(original, &dataStart)) {
            if (s.end - s.begin < 4) continue;
            for (float bad : {std::nanf(""), INFINITY, -INFINITY}) {
                std::memcpy(bytes.data() + s.begin, &bad, 4);
                const QString e = loadError(bytes);
                std::memcpy(bytes.data() + s.begin, original.data() + s.begin, 4);
                QVERIFY2(e.contains("'" + QString::fromStdString(s.name) + "'") && e.contains("non-finite"),
                         qPrintable(QString("%1: %2 in '%3' -> '%4'").arg(file).arg(bad).arg(QString::fromStdString(s.name)).arg(e)));
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestShippedBytes)
#include "tst_core_shippedbytes.moc"
