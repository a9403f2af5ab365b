// Safetensors reader/writer: deterministic bytes, every truncation refused, each hostile header with its own
// message, F16/BF16 conversion, ParamList load errors. Opened files (openSafetensors): values read straight into
// the model's buffers (on huge pages from 2 MB), every F16/BF16 value exact, errors past the first read chunk, a
// file shrunk after opening.
#include "core/error.h"
#include "core/io/modelfile.h"
#include "core/io/safetensors.h"
#include "core/random.h"
#include "testutil.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

using namespace ar;

namespace {

std::string u64le(uint64_t v) {
    std::string s;
    for (int i = 0; i < 8; ++i) s.push_back(char((v >> (8 * i)) & 0xFF));
    return s;
}

// A file from a raw header text and `dataBytes` zero bytes of data.
std::string rawFile(const std::string& header, size_t dataBytes) {
    return u64le(header.size()) + header + std::string(dataBytes, '\0');
}

SafeTensors sample() {
    SafeTensors f;
    f.metadata["arlab.kind"] = "tinygpt";
    f.metadata["arlab.config"] = "{\"n_embd\": 8, \"note\": \"quote \\\" and 中文\"}";
    f.tensors.push_back({"wte.weight", {2, 3}, {1.0f, -2.5f, 3.25f, 0.0f, -0.0f, 1e-30f}});
    f.tensors.push_back({"b", {3}, {0.5f, std::nanf(""), INFINITY}});
    f.tensors.push_back({"empty", {0, 4}, {}});
    f.tensors.push_back({"scalar", {}, {42.0f}});
    return f;
}

using testutil::errorOf;

std::string tempPath(const char* name) {
    return (std::filesystem::temp_directory_path() / (std::string("arlab_tst_st_") + name)).string();
}

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

class TestSafetensors : public QObject {
    Q_OBJECT
private slots:
    void roundTripIsByteIdentical_data();
    void roundTripIsByteIdentical();
    void writerMatchesReferenceLayout();
    void writeFileAndReadBack();
    void writeFailureLeavesNoFile();
    void everyTruncationIsAnError();
    void randomCorruptionNeverCrashes();
    void deeplyNestedHeader();
    void hostileHeaders_data();
    void hostileHeaders();
    void offsetPastEndMessage();
    void f16Conversion_data();
    void f16Conversion();
    void bf16Conversion_data();
    void bf16Conversion();
    void openedFileLoadsExactValues_data();
    void openedFileLoadsExactValues();
    void openedFileNamesNonFinite_data();
    void openedFileNamesNonFinite();
    void openedFileGivesReadersMessages();
    void openedFileShrunkAfterOpening();
    void transposedEntryReadsTranspose();
    void loadParamsCopiesValues();
    void loadParamsNamesEveryProblem();
    void shippedModelsRoundTrip();
    void modelKindErrors_data();
    void modelKindErrors();
};

void TestSafetensors::roundTripIsByteIdentical_data() {
    QTest::addColumn<int>("variant");
    QTest::newRow("full sample") << 0;
    QTest::newRow("no metadata") << 1;
    QTest::newRow("no tensors") << 2;
    QTest::newRow("unsorted input") << 3;
}

void TestSafetensors::roundTripIsByteIdentical() {
    QFETCH(int, variant);
    SafeTensors f = sample();
    if (variant == 1) f.metadata.clear();
    if (variant == 2) f.tensors.clear();
    if (variant == 3) std::reverse(f.tensors.begin(), f.tensors.end());
    const std::string a = serializeSafetensors(f);
    QCOMPARE(a.size() % 8, size_t(0));  // header padded so the data section starts 8-aligned
    const SafeTensors g = parseSafetensors(a, "t");
    const std::string b = serializeSafetensors(g);
    QVERIFY(a == b);
    QCOMPARE(g.metadata, f.metadata);
    QCOMPARE(g.tensors.size(), f.tensors.size());
    for (const auto& t : f.tensors) {
        const TensorEntry* r = g.find(t.name);
        QVERIFY(r);
        QCOMPARE(r->shape, t.shape);
        QCOMPARE(r->data.size(), t.data.size());
        // bit-exact, NaN included (an empty tensor's data() may be null, which memcmp must never see)
        QVERIFY(t.data.empty() || std::memcmp(r->data.data(), t.data.data(), 4 * t.data.size()) == 0);
    }
    // the reader lists tensors in file order, which the writer makes name order
    for (size_t i = 1; i < g.tensors.size(); ++i) QVERIFY(g.tensors[i - 1].name < g.tensors[i].name);
}

void TestSafetensors::writerMatchesReferenceLayout() {
    // What the reference implementation (and PyTorch's save_file) writes for the same content.
    SafeTensors f;
    f.metadata["format"] = "pt";
    f.tensors.push_back({"w", {2}, {1.0f, 2.0f}});
    std::string header = R"({"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
    header.append((8 - header.size() % 8) % 8, ' ');
    const std::string expected = u64le(header.size()) + header + std::string("\x00\x00\x80\x3f\x00\x00\x00\x40", 8);
    QVERIFY(serializeSafetensors(f) == expected);
}

void TestSafetensors::writeFileAndReadBack() {
    const std::string path = tempPath("rw.safetensors");
    const SafeTensors f = sample();
    writeSafetensors(path, f);
    QVERIFY(!std::filesystem::exists(path + ".partial"));
    QVERIFY(readAll(path) == serializeSafetensors(f));
    const SafeTensors g = readSafetensors(path);
    QVERIFY(serializeSafetensors(g) == serializeSafetensors(f));
    std::filesystem::remove(path);

    const QString missing = errorOf([] { readSafetensors(tempPath("does_not_exist.safetensors")); });
    QVERIFY2(missing.contains("cannot open"), qPrintable(missing));
    QVERIFY(missing.startsWith("model '"));
    const QString dir = errorOf([] { readSafetensors(std::filesystem::temp_directory_path().string()); });
    QVERIFY2(dir.contains("is a directory"), qPrintable(dir));
}

void TestSafetensors::writeFailureLeavesNoFile() {
    const std::string path = tempPath("bad.safetensors");
    std::filesystem::remove(path);
    SafeTensors f;
    f.tensors.push_back({"w", {2, 2}, {1, 2, 3}});  // 3 values for 4 elements
    const QString msg = errorOf([&] { writeSafetensors(path, f); });
    QVERIFY2(msg.contains("holds 3 values"), qPrintable(msg));
    QVERIFY(!std::filesystem::exists(path));
    QVERIFY(!std::filesystem::exists(path + ".partial"));

    SafeTensors dup;
    dup.tensors.push_back({"w", {1}, {1}});
    dup.tensors.push_back({"w", {1}, {2}});
    QVERIFY(errorOf([&] { serializeSafetensors(dup); }).contains("appears twice"));

    SafeTensors huge;  // 2^32 * 2^32 overflows: refused, not wrapped around to a small count
    huge.tensors.push_back({"w", {int64_t(1) << 32, int64_t(1) << 32}, {}});
    QVERIFY(errorOf([&] { serializeSafetensors(huge); }).contains("impossibly large shape"));

    const QString noDir = errorOf([] { writeSafetensors(tempPath("no_such_dir/x.safetensors"), sample()); });
    QVERIFY2(noDir.contains("cannot write"), qPrintable(noDir));
}

void TestSafetensors::everyTruncationIsAnError() {
    const std::string full = serializeSafetensors(sample());
    for (size_t n = 0; n < full.size(); ++n) {
        const QString msg = errorOf([&] { parseSafetensors(std::string_view(full.data(), n), "cut"); });
        QVERIFY2(msg.startsWith("cut: "), qPrintable(QString("prefix of %1 bytes: '%2'").arg(n).arg(msg)));
    }
    // one stray byte at the end is refused too
    const QString tail = errorOf([&] { parseSafetensors(full + "x", "t"); });
    QVERIFY2(tail.contains("not used by any tensor"), qPrintable(tail));
}

void TestSafetensors::randomCorruptionNeverCrashes() {
    // Seeded mutation fuzzing: flip, overwrite, insert or delete bytes anywhere (header length, JSON, data).
    // The reader must either accept the file or throw ar::Error: no crash, no other exception type.
    const std::string valid = serializeSafetensors(sample());
    Rng rng(2024);
    int rejected = 0, accepted = 0;
    for (int round = 0; round < 5000; ++round) {
        std::string f = valid;
        const int edits = 1 + int(rng.below(4));
        for (int e = 0; e < edits && !f.empty(); ++e) {
            const size_t at = size_t(rng.below(f.size()));
            switch (rng.below(4)) {
            case 0: f[at] = char(f[at] ^ (1 << rng.below(8))); break;
            case 1: {
                static const char kJsonish[] = "{}[],:\"0123456789-eE.\\ \x00\xff";
                f[at] = kJsonish[rng.below(sizeof kJsonish - 1)];
                break;
            }
            case 2: f.insert(at, 1, char(rng.below(256))); break;
            default: f.erase(at, 1); break;
            }
        }
        try {
            parseSafetensors(f, "fuzz");
            ++accepted;
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).startsWith("fuzz: "), e.what());
            ++rejected;
        } catch (const std::exception& e) {
            QFAIL(qPrintable(QString("round %1: unexpected exception type: %2").arg(round).arg(e.what())));
        }
    }
    QVERIFY(rejected > 4000);  // nearly every mutation breaks a strict file
    qInfo("%d mutated files rejected with an ar::Error, %d still valid", rejected, accepted);
}

void TestSafetensors::deeplyNestedHeader() {
    // 200,000 nested arrays inside an entry: no stack overflow, a specific error.
    const std::string header = "{\"w\":" + std::string(200000, '[') + std::string(200000, ']') + "}";
    const QString got = errorOf([&] { parseSafetensors(rawFile(header, 0), "t"); });
    QVERIFY2(got.startsWith("t: tensor 'w': entry is not a JSON object"), qPrintable(got));
}

void TestSafetensors::hostileHeaders_data() {
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("message");
    const auto add = [](const char* row, const std::string& bytes, const char* msg) {
        QTest::newRow(row) << QByteArray(bytes.data(), qsizetype(bytes.size())) << QString::fromUtf8(msg);
    };
    const auto t = [](const std::string& entry) { return "{\"w\":" + entry + "}"; };
    add("file shorter than 8 bytes", std::string("\x05\x00\x00", 3), "t: file is 3 bytes, too short");
    add("header length > file", u64le(1000) + "{}", "t: header length 1000 runs past end of file (file size 10; truncated, or not a .safetensors file)");
    add("header length over the cap", u64le(uint64_t(1) << 62) + "{}", "exceeds the limit of 100000000 bytes");
    add("header length 2^64-1", u64le(~uint64_t(0)) + "{}", "exceeds the limit");
    add("header length 0", u64le(0), "header length 0 is too short");
    add("non-JSON header", rawFile("{not json}", 0), "t: header is not valid JSON");
    add("header not an object", rawFile("[1, 2]", 0), "header does not start with '{'");
    add("invalid UTF-8 in header", rawFile("{\"\xff\":1}", 0), "header is not valid JSON");
    add("trailing junk", rawFile("{} x", 0), "header is not valid JSON");
    add("entry not an object", rawFile(t("5"), 0), "tensor 'w': entry is not a JSON object");
    add("missing dtype", rawFile(t(R"({"shape":[1],"data_offsets":[0,4]})"), 4), "tensor 'w' has no dtype");
    add("dtype not a string", rawFile(t(R"({"dtype":32,"shape":[1],"data_offsets":[0,4]})"), 4),
        "tensor 'w': dtype is not a string (32)");
    add("unknown dtype", rawFile(t(R"({"dtype":"F33","shape":[1],"data_offsets":[0,4]})"), 4),
        "tensor 'w' has unknown dtype 'F33'");
    add("integer dtype", rawFile(t(R"({"dtype":"I64","shape":[1],"data_offsets":[0,8]})"), 8),
        "tensor 'w' has dtype I64; arlab reads only floating-point tensors");
    add("missing shape", rawFile(t(R"({"dtype":"F32","data_offsets":[0,4]})"), 4), "tensor 'w' has no shape");
    add("shape not an array", rawFile(t(R"({"dtype":"F32","shape":4,"data_offsets":[0,4]})"), 4),
        "tensor 'w': shape is not an array (4)");
    add("negative dimension", rawFile(t(R"({"dtype":"F32","shape":[-1],"data_offsets":[0,4]})"), 4),
        "tensor 'w': shape dimension 0 is negative (-1)");
    add("fractional dimension", rawFile(t(R"({"dtype":"F32","shape":[2,1.5],"data_offsets":[0,4]})"), 4),
        "tensor 'w': shape dimension 1 is not a whole number");
    add("dimension as string", rawFile(t(R"({"dtype":"F32","shape":["2"],"data_offsets":[0,8]})"), 8),
        "tensor 'w': shape dimension 0 is not a number");
    add("dimension 2^40", rawFile(t(R"({"dtype":"F32","shape":[1099511627776],"data_offsets":[0,16]})"), 16),
        "tensor 'w': shape [1099511627776] of F32 needs 4398046511104 bytes but data_offsets span 16");
    add("element count overflows 64 bits",
        rawFile(t(R"({"dtype":"F32","shape":[4294967296,4294967296,2],"data_offsets":[0,16]})"), 16),
        "tensor 'w': shape [4294967296, 4294967296, 2] has more elements than fit in 64 bits");
    add("byte size overflows 64 bits",
        rawFile(t(R"({"dtype":"F32","shape":[4611686018427387905],"data_offsets":[0,16]})"), 16),
        "tensor 'w': shape [4611686018427387905] needs more bytes than fit in 64 bits");
    add("dimension above 2^63", rawFile(t(R"({"dtype":"F32","shape":[9223372036854775808],"data_offsets":[0,4]})"), 4),
        "shape dimension 0 is too large");
    add("dimension above 2^64", rawFile(t(R"({"dtype":"F32","shape":[18446744073709551616],"data_offsets":[0,4]})"), 4),
        "shape dimension 0 is not a whole number below 2^64");
    add("missing data_offsets", rawFile(t(R"({"dtype":"F32","shape":[1]})"), 4), "tensor 'w' has no data_offsets");
    add("data_offsets with one number", rawFile(t(R"({"dtype":"F32","shape":[1],"data_offsets":[4]})"), 4),
        "tensor 'w': data_offsets must be [begin, end] (got [4])");
    add("data_offsets end before begin", rawFile(t(R"({"dtype":"F32","shape":[0],"data_offsets":[8,4]})"), 8),
        "tensor 'w': data_offsets end 4 is before begin 8");
    add("byte size differs from offsets", rawFile(t(R"({"dtype":"F32","shape":[3],"data_offsets":[0,8]})"), 8),
        "tensor 'w': shape [3] of F32 needs 12 bytes but data_offsets span 8");
    add("unexpected field", rawFile(t(R"({"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1})"), 4),
        "tensor 'w' has an unexpected field 'x'");
    add("overlapping tensors",
        rawFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12),
        "tensors 'a' (bytes 0..8) and 'b' (bytes 4..12) overlap");
    add("two tensors on the same bytes",
        rawFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 8),
        "tensors 'a' (bytes 0..8) and 'b' (bytes 0..8) overlap");
    add("gap between tensors",
        rawFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}})", 20),
        "gap of 4 unused bytes before tensor 'b' (data offset 8 to 12)");
    add("gap at the start", rawFile(t(R"({"dtype":"F32","shape":[1],"data_offsets":[4,8]})"), 8),
        "gap of 4 unused bytes before tensor 'w'");
    add("bytes after the last tensor", rawFile(t(R"({"dtype":"F32","shape":[1],"data_offsets":[0,4]})"), 12),
        "8 bytes after the last tensor are not used by any tensor");
    add("duplicate tensor names",
        rawFile(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8),
        "t: header names tensor 'w' more than once");
    add("duplicate field in an entry",
        rawFile(t(R"({"dtype":"F32","dtype":"F16","shape":[1],"data_offsets":[0,4]})"), 4),
        "header has the key 'dtype' twice inside one entry");
    add("metadata not an object", rawFile(R"({"__metadata__":[1]})", 0), "t: __metadata__ is not a JSON object of strings");
    add("metadata value not a string", rawFile(R"({"__metadata__":{"arlab.kind":"x","n":3}})", 0),
        "t: __metadata__ value of 'n' is not a string (3)");
    add("empty tensor name", rawFile(R"({"":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 4),
        "header has a tensor with an empty name");
}

void TestSafetensors::hostileHeaders() {
    QFETCH(QByteArray, file);
    QFETCH(QString, message);
    const QString got = errorOf([&] { parseSafetensors(std::string_view(file.constData(), size_t(file.size())), "t"); });
    QVERIFY2(!got.isEmpty(), "the file was accepted");
    QVERIFY2(got.startsWith("t: "), qPrintable(got));
    QVERIFY2(got.contains(message), qPrintable("got: " + got + "\nwant: " + message));
}

void TestSafetensors::offsetPastEndMessage() {
    // The header claims 4096 bytes of data, the file holds 16: the message gives the absolute end offset.
    const std::string header = R"({"wte":{"dtype":"F32","shape":[1024],"data_offsets":[0,4096]}})";
    const std::string file = rawFile(header, 16);
    const QString got = errorOf([&] { parseSafetensors(file, "model 'x.safetensors'"); });
    const QString want = QString("model 'x.safetensors': tensor 'wte' data runs past end of file (offset %1, file size %2)")
                             .arg(8 + header.size() + 4096)
                             .arg(file.size());
    QCOMPARE(got, want);
}

void TestSafetensors::f16Conversion_data() {
    QTest::addColumn<int>("bits");
    QTest::addColumn<double>("value");
    QTest::newRow("1") << 0x3C00 << 1.0;
    QTest::newRow("-2") << 0xC000 << -2.0;
    QTest::newRow("max 65504") << 0x7BFF << 65504.0;
    QTest::newRow("1/3 rounded") << 0x3555 << 0.333251953125;
    QTest::newRow("smallest normal") << 0x0400 << std::ldexp(1.0, -14);
    QTest::newRow("smallest subnormal") << 0x0001 << std::ldexp(1.0, -24);
    QTest::newRow("largest subnormal") << 0x03FF << 1023 * std::ldexp(1.0, -24);
    QTest::newRow("negative subnormal") << 0x8200 << -512 * std::ldexp(1.0, -24);
    QTest::newRow("+0") << 0x0000 << 0.0;
    QTest::newRow("+inf") << 0x7C00 << double(INFINITY);
    QTest::newRow("-inf") << 0xFC00 << -double(INFINITY);
    QTest::newRow("nan") << 0x7E00 << double(NAN);
}

static float decodeOne(const char* dtype, int bits) {
    const std::string header = std::string(R"({"x":{"dtype":")") + dtype + R"(","shape":[1],"data_offsets":[0,2]}})";
    std::string file = rawFile(header, 0);
    file.push_back(char(bits & 0xFF));
    file.push_back(char((bits >> 8) & 0xFF));
    const SafeTensors f = parseSafetensors(file, "t");
    return f.tensors.at(0).data.at(0);
}

void TestSafetensors::f16Conversion() {
    QFETCH(int, bits);
    QFETCH(double, value);
    const float got = decodeOne("F16", bits);
    if (std::isnan(value)) QVERIFY(std::isnan(got));
    else QCOMPARE(double(got), value);  // exact: every half is representable as a float
    if (bits == 0x8000) QVERIFY(std::signbit(got));
}

void TestSafetensors::bf16Conversion_data() {
    QTest::addColumn<int>("bits");
    QTest::addColumn<double>("value");
    QTest::newRow("1") << 0x3F80 << 1.0;
    QTest::newRow("-3") << 0xC040 << -3.0;
    QTest::newRow("pi rounded") << 0x4049 << 3.140625;
    QTest::newRow("subnormal") << 0x0001 << std::ldexp(1.0, -133);
    QTest::newRow("+inf") << 0x7F80 << double(INFINITY);
    QTest::newRow("-0") << 0x8000 << -0.0;
}

void TestSafetensors::bf16Conversion() {
    QFETCH(int, bits);
    QFETCH(double, value);
    const float got = decodeOne("BF16", bits);
    QCOMPARE(double(got), value);
    QCOMPARE(std::signbit(got), std::signbit(value));
}

void TestSafetensors::loadParamsCopiesValues() {
    ParamList params;
    params.push_back({"w", Var::param(Mat::Zero(2, 3)), {}});
    params.push_back({"b", Var::param(Mat::Zero(1, 3)), {3}});
    Mat w(2, 3);
    w << 1, 2, 3, 4, 5, 6;
    SafeTensors f;
    f.tensors.push_back({"w", {2, 3}, {1, 2, 3, 4, 5, 6}});
    f.tensors.push_back({"b", {3}, {7, 8, 9}});
    loadParams(f, params, "m");
    QCOMPARE(params[0].var.value(), w);
    QCOMPARE(params[1].var.value()(0, 2), 9.0f);
    // and back: toSafetensors gives the same tensors, sorted by name
    const SafeTensors g = toSafetensors(params, {{"k", "v"}});
    QCOMPARE(g.tensors.size(), size_t(2));
    QCOMPARE(g.tensors[0].name, std::string("b"));
    QCOMPARE(g.tensors[0].shape, std::vector<int64_t>{3});
    QCOMPARE(g.tensors[1].shape, (std::vector<int64_t>{2, 3}));
    QCOMPARE(g.metadata.at("k"), std::string("v"));
}

void TestSafetensors::loadParamsNamesEveryProblem() {
    ParamList params;
    params.push_back({"w", Var::param(Mat::Zero(2, 3)), {}});
    params.push_back({"b", Var::param(Mat::Zero(1, 3)), {3}});
    params.push_back({"g", Var::param(Mat::Zero(1, 2)), {}});
    SafeTensors f;
    f.tensors.push_back({"w", {3, 2}, {1, 2, 3, 4, 5, 6}});  // transposed
    f.tensors.push_back({"extra1", {1}, {0}});
    f.tensors.push_back({"extra2", {1}, {0}});
    f.tensors.push_back({"g", {1, 2}, {1, NAN}});
    const QString msg = errorOf([&] { loadParams(f, params, "model 'm'"); });
    QVERIFY2(msg.startsWith("model 'm': does not match the model"), qPrintable(msg));
    QVERIFY2(msg.contains("missing tensor 'b'"), qPrintable(msg));
    QVERIFY2(msg.contains("unexpected tensors 'extra1', 'extra2'"), qPrintable(msg));
    QVERIFY2(msg.contains("'w' is [3, 2] in the file but the model expects [2, 3]"), qPrintable(msg));
    QVERIFY2(msg.contains("non-finite values (NaN or Inf) in 'g' (element 1)"), qPrintable(msg));
    // nothing was copied
    QCOMPARE(params[0].var.value(), Mat(Mat::Zero(2, 3)));
}

void TestSafetensors::shippedModelsRoundTrip() {
    // Every model file in resources/models reads, and re-serialises to exactly the bytes on disk.
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(testutil::sourcePath("resources/models"))) {
        if (e.path().extension() != ".safetensors") continue;
        const std::string bytes = readAll(e.path().string());
        const SafeTensors f = parseSafetensors(bytes, e.path().filename().string());
        QVERIFY2(serializeSafetensors(f) == bytes, e.path().filename().c_str());
        QVERIFY(!modelKind(f, "m").empty());
        ++n;
    }
    QVERIFY2(n >= 8, "the shipped models in resources/models are missing");  // they are part of the product
}

void TestSafetensors::modelKindErrors_data() {
    QTest::addColumn<QString>("kind");  // "-" = no arlab.kind at all
    QTest::addColumn<QString>("message");
    QTest::newRow("no kind") << "-" << "model 'x': has no arlab.kind metadata; not an arlab model file";
    QTest::newRow("empty kind") << "" << "model 'x': arlab.kind metadata is empty; not an arlab model file";
    QTest::newRow("image model") << "pixelcnn" << "model 'x': kind 'pixelcnn' is an image model, not a text model";
    QTest::newRow("made") << "made" << "model 'x': kind 'made' is an image model, not a text model";
    QTest::newRow("unknown kind") << "transformer-xl" << "model 'x': unknown arlab.kind 'transformer-xl'";
}

void TestSafetensors::modelKindErrors() {
    QFETCH(QString, kind);
    QFETCH(QString, message);
    SafeTensors f;
    f.tensors.push_back({"w", {1}, {0.0f}});
    if (kind != "-") f.metadata["arlab.kind"] = kind.toStdString();
    const QString got = errorOf([&] { loadLanguageModel(f, "model 'x'"); });
    QVERIFY2(got.startsWith(message), qPrintable(got));
}


// --- opened files (openSafetensors) ---------------------------------------------------------------------

namespace {
// Every finite IEEE half, as (bits, value) computed from the format's definition.
void allFiniteHalves(std::vector<uint16_t>& bits, std::vector<float>& values) {
    for (uint32_t h = 0; h < 0x10000; ++h) {
        const uint32_t e = (h >> 10) & 0x1F, m = h & 0x3FF;
        if (e == 0x1F) continue;
        const double mag = e == 0 ? std::ldexp(double(m), -24) : std::ldexp(double(1024 + m), int(e) - 25);
        bits.push_back(uint16_t(h));
        values.push_back(float((h & 0x8000) ? -mag : mag));
    }
}
// Every finite bfloat16 (the top half of a float), idem.
void allFiniteBfloats(std::vector<uint16_t>& bits, std::vector<float>& values) {
    for (uint32_t h = 0; h < 0x10000; ++h) {
        const uint32_t e = (h >> 7) & 0xFF, m = h & 0x7F;
        if (e == 0xFF) continue;
        const double mag = e == 0 ? std::ldexp(double(m), -133) : std::ldexp(double(128 + m), int(e) - 134);
        bits.push_back(uint16_t(h));
        values.push_back(float((h & 0x8000) ? -mag : mag));
    }
}

// A one-tensor file "x" of shape [1, n] in `dtype` whose values, converted, are `expected`.
std::string oneTensorFile(const std::string& dtype, size_t n, uint64_t seed, std::vector<float>& expected) {
    std::string data;
    expected.clear();
    const auto put = [&](uint64_t v, int bytes) {
        for (int i = 0; i < bytes; ++i) data.push_back(char((v >> (8 * i)) & 0xFF));
    };
    Rng rng(seed);
    if (dtype == "F16" || dtype == "BF16") {
        std::vector<uint16_t> bits;
        std::vector<float> values;
        dtype == "F16" ? allFiniteHalves(bits, values) : allFiniteBfloats(bits, values);
        for (size_t i = 0; i < n; ++i) {
            put(bits[i % bits.size()], 2);
            expected.push_back(values[i % bits.size()]);
        }
    } else if (dtype == "F32") {
        for (size_t i = 0; i < n; ++i) {
            const float f = float(rng.normal(0.0, 3.0));
            uint32_t u;
            std::memcpy(&u, &f, 4);
            put(u, 4);
            expected.push_back(f);
        }
    } else {  // F64: rounded to the nearest float
        for (size_t i = 0; i < n; ++i) {
            const double d = rng.normal(0.0, 3.0);
            uint64_t u;
            std::memcpy(&u, &d, 8);
            put(u, 8);
            expected.push_back(float(d));
        }
    }
    const std::string header = R"({"__metadata__":{"k":"v"},"x":{"dtype":")" + dtype + R"(","shape":[1,)" +
                               std::to_string(n) + R"(],"data_offsets":[0,)" + std::to_string(data.size()) + "]}}";
    return u64le(header.size()) + header + data;
}

bool sameBits(const float* a, const float* b, size_t n) { return std::memcmp(a, b, 4 * n) == 0; }
}  // namespace

void TestSafetensors::openedFileLoadsExactValues_data() {
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<int>("count");
    // 300000+ values cross the reader's 2^18-value chunks; the F16/BF16 rows hold every finite value 5 times.
    for (const char* dt : {"F32", "F16", "BF16", "F64"}) {
        QTest::newRow((std::string(dt) + " small").c_str()) << QString(dt) << 7;
        QTest::newRow((std::string(dt) + " chunks").c_str()) << QString(dt) << (std::string(dt) == "F16" ? 5 * 63488 : std::string(dt) == "BF16" ? 5 * 65024 : 300001);
    }
    // 9.5 MB of floats: written on huge pages (core/memory.h: the interior dropped and refilled, the edges collapsed)
    QTest::newRow("F32 on huge pages") << QString("F32") << 2500003;
    QTest::newRow("BF16 on huge pages") << QString("BF16") << 40 * 65024;
}

void TestSafetensors::openedFileLoadsExactValues() {
    QFETCH(QString, dtype);
    QFETCH(int, count);
    std::vector<float> expected;
    const std::string bytes = oneTensorFile(dtype.toStdString(), size_t(count), 11, expected);
    const std::string path = tempPath("opened.safetensors");
    std::ofstream(path, std::ios::binary) << bytes;
    const SafeTensors opened = openSafetensors(path);
    QCOMPARE(opened.metadata.at("k"), std::string("v"));
    QCOMPARE(opened.tensors.size(), size_t(1));
    const TensorEntry& t = opened.tensors[0];
    QVERIFY(t.data.empty() && t.source);  // nothing read yet: no copy of the file in memory
    QCOMPARE(t.dtype, dtype.toStdString());
    QCOMPARE(t.count(), uint64_t(count));
    ParamList params;
    params.push_back({"x", Var::param(Mat::Zero(1, count)), {}});
    loadParams(opened, params, "t");
    QVERIFY2(sameBits(params[0].var.value().data(), expected.data(), expected.size()), "opened file: values differ");
    // the in-memory reader gives the same bits
    const SafeTensors parsed = parseSafetensors(bytes, "t");
    QVERIFY2(sameBits(parsed.tensors[0].data.data(), expected.data(), expected.size()), "parsed bytes: values differ");
    // chunked scan: every value once, in order
    std::vector<float> scanned;
    t.scan([&](uint64_t first, std::span<const float> v) {
        QCOMPARE(first, uint64_t(scanned.size()));
        scanned.insert(scanned.end(), v.begin(), v.end());
    });
    QVERIFY(scanned.size() == expected.size() && sameBits(scanned.data(), expected.data(), expected.size()));
    std::filesystem::remove(path);
}

void TestSafetensors::openedFileNamesNonFinite_data() {
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<int>("bad");
    QTest::addColumn<int>("bits");  // the NaN or Inf written there
    QTest::newRow("F32 NaN in the first chunk") << "F32" << 3 << int(0x7FC00000);
    QTest::newRow("F32 Inf past the first chunk") << "F32" << 280000 << int(0x7F800000);
    QTest::newRow("F16 -Inf past the first chunk") << "F16" << 299999 << 0xFC00;
    QTest::newRow("BF16 NaN at the last value") << "BF16" << 299999 << 0x7FC1;
}

void TestSafetensors::openedFileNamesNonFinite() {
    QFETCH(QString, dtype);
    QFETCH(int, bad);
    QFETCH(int, bits);
    std::vector<float> expected;
    std::string bytes = oneTensorFile(dtype.toStdString(), 300000, 5, expected);
    const int elem = dtype == "F32" ? 4 : 2;
    const size_t at = bytes.size() - size_t(300000 - bad) * size_t(elem);
    for (int i = 0; i < elem; ++i) bytes[at + size_t(i)] = char((uint32_t(bits) >> (8 * i)) & 0xFF);
    const std::string path = tempPath("nonfinite.safetensors");
    std::ofstream(path, std::ios::binary) << bytes;
    ParamList params;
    params.push_back({"x", Var::param(Mat::Zero(1, 300000)), {}});
    const QString msg = errorOf([&] { loadParams(openSafetensors(path), params, "model 'm'"); });
    QVERIFY2(msg == "model 'm': does not match the model: non-finite values (NaN or Inf) in 'x' (element " +
                        QString::number(bad) + ")",
             qPrintable(msg));
    std::filesystem::remove(path);
}

// Opening reads only the header, but refuses every bad file with readSafetensors' own message.
void TestSafetensors::openedFileGivesReadersMessages() {
    const std::string good = serializeSafetensors(sample());
    const std::string path = tempPath("cut.safetensors");
    for (size_t len : {size_t(0), size_t(5), size_t(8), size_t(20), good.size() / 2, good.size() - 1}) {
        std::ofstream(path, std::ios::binary | std::ios::trunc) << good.substr(0, len);
        const QString fromRead = errorOf([&] { readSafetensors(path); });
        QVERIFY2(!fromRead.isEmpty(), qPrintable(QString::number(len)));
        QCOMPARE(errorOf([&] { openSafetensors(path); }), fromRead);
    }
    QVERIFY(errorOf([&] { openSafetensors(tempPath("no-such-file")); }).contains("cannot open"));
    QVERIFY(errorOf([&] { openSafetensors(std::filesystem::temp_directory_path().string()); }).contains("is a directory"));
    std::filesystem::remove(path);
}

void TestSafetensors::openedFileShrunkAfterOpening() {
    std::vector<float> expected;
    const std::string bytes = oneTensorFile("F32", 1000, 3, expected);
    const std::string path = tempPath("shrunk.safetensors");
    std::ofstream(path, std::ios::binary) << bytes;
    const SafeTensors opened = openSafetensors(path);
    std::filesystem::resize_file(path, bytes.size() - 100);
    ParamList params;
    params.push_back({"x", Var::param(Mat::Zero(1, 1000)), {}});
    const QString msg = errorOf([&] { loadParams(opened, params, "t"); });
    QVERIFY2(msg.startsWith("model '" + QString::fromStdString(path) + "': tensor 'x' ends early"), qPrintable(msg));
    std::filesystem::remove(path);
}

// GPT-2's Conv1D weights are stored (in, out) and read transposed into (out, in), in memory and from a file.
void TestSafetensors::transposedEntryReadsTranspose() {
    Mat want(2, 3);
    want << 1, 2, 3, 4, 5, 6;
    TensorEntry t{"w", {2, 3}, {1, 4, 2, 5, 3, 6}};  // stored (3, 2)
    t.transposed = true;
    Mat got = Mat::Zero(2, 3);
    QCOMPARE(t.read(got.data()), int64_t(-1));
    QCOMPARE(got, want);
    std::vector<float> expected;
    const std::string path = tempPath("transposed.safetensors");
    std::ofstream(path, std::ios::binary) << oneTensorFile("F16", 6, 1, expected);  // stored (1, 6)
    SafeTensors opened = openSafetensors(path);
    opened.tensors[0].transposed = true;
    opened.tensors[0].shape = {6, 1};
    Mat col = Mat::Zero(6, 1);
    QCOMPARE(opened.tensors[0].read(col.data()), int64_t(-1));
    QVERIFY(sameBits(col.data(), expected.data(), 6));
    t.data[4] = NAN;  // stored (2, 0) = want (0, 2): index 2 in the read layout
    QCOMPARE(t.read(got.data()), int64_t(2));
    std::filesystem::remove(path);
}

QTEST_APPLESS_MAIN(TestSafetensors)
#include "tst_core_safetensors.moc"
