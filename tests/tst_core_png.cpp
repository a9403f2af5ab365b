// PNG reader/writer (libspng): round trip of our own files; fixtures written by other encoders (Python's zlib
// with all five row filters, libpng with Adam7 interlacing) decode to the known pixels; every malformed file
// has its own message; sizes are refused from the IHDR before anything is decoded; reads are bounded.
#include "core/error.h"
#include "core/io/png.h"
#include "testutil.h"

#include <QtTest>
#include <zlib.h>

#include <chrono>

using namespace ar;

namespace {
using testutil::errorOf;
PngImage gradient(int w, int h, int channels) {
    PngImage img;
    img.width = w;
    img.height = h;
    img.channels = channels;
    for (int i = 0; i < w * h * channels; ++i) img.pixels.push_back(uint8_t((i * 7) % 256));
    return img;
}
void put32(std::string& s, size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) s[at + size_t(i)] = char((v >> (24 - 8 * i)) & 0xFF);
}
// Recomputes the CRC of the chunk starting at `at` (after editing its body).
void fixCrc(std::string& s, size_t at) {
    const uint32_t len = (uint32_t(uint8_t(s[at])) << 24) | (uint32_t(uint8_t(s[at + 1])) << 16) |
                         (uint32_t(uint8_t(s[at + 2])) << 8) | uint32_t(uint8_t(s[at + 3]));
    put32(s, at + 8 + len, uint32_t(::crc32(0, reinterpret_cast<const Bytef*>(s.data() + at + 4), uInt(4 + len))));
}
}  // namespace

// The 9x7 RGB fixtures below hold R = (29x + 3y) % 256, G = (x^2 + 11y) % 256, B = (5xy + 7) % 256.
void checkFixturePixels(const QByteArray& png) {
    const PngImage img = decodePng(std::string_view(png.constData(), size_t(png.size())), "fixture");
    QCOMPARE(img.width, 9);
    QCOMPARE(img.height, 7);
    QCOMPARE(img.channels, 3);
    for (int y = 0; y < 7; ++y)
        for (int x = 0; x < 9; ++x) {
            const uint8_t* p = &img.pixels[size_t((y * 9 + x) * 3)];
            QCOMPARE(int(p[0]), (x * 29 + y * 3) % 256);
            QCOMPARE(int(p[1]), (x * x + y * 11) % 256);
            QCOMPARE(int(p[2]), (x * y * 5 + 7) % 256);
        }
}

class TestPng : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data() {
        QTest::addColumn<int>("w");
        QTest::addColumn<int>("h");
        QTest::addColumn<int>("channels");
        QTest::newRow("gray 28x28") << 28 << 28 << 1;
        QTest::newRow("rgb 5x3") << 5 << 3 << 3;
        QTest::newRow("rgba 300x250 (several stored blocks)") << 300 << 250 << 4;
        QTest::newRow("gray+alpha 1x1") << 1 << 1 << 2;
    }
    void roundTrip() {
        QFETCH(int, w);
        QFETCH(int, h);
        QFETCH(int, channels);
        const PngImage a = gradient(w, h, channels);
        const PngImage b = decodePng(encodePng(a), "t");
        QCOMPARE(b.width, w);
        QCOMPARE(b.height, h);
        QCOMPARE(b.channels, channels);
        QVERIFY(a.pixels == b.pixels);
    }

    // A 9x7 RGB PNG written by Python's zlib (level 9) with rows filtered None, Sub, Up, Average, Paeth.
    void decodesZlibPngWithAllFilters() {
        const QByteArray png = QByteArray::fromHex(
            "89504e470d0a1a0a0000000d494844520000000900000007080200000055f9f037000000c14944415478da1d8e314a03611046"
            "ffcdb793c9bf93e51f9625b2e00c81a4b0b0b132d1664913d2051b0b7b116c050f905c2007103c41ca74398185bd27f006b666"
            "03af7b3c782104b68cef727e8cfca6bc6b783fe5af1bfe6d39839c1c19c8888cc92299909564897a900021480149901ad2401c"
            "32815ca13fcab55f28973a481a2b2d6a950b1d365a5ee65d9711508012b846accf754748b77c3d1bafeee7cfedc366f9fab9de"
            "1e9f3e7e5e0e7fefdf59b538bdb8c18ddcd82dba895be996fc1f928117b4e6ae96f30000000049454e44ae426082");
        checkFixturePixels(png);
    }

    // The same pixels, written by libpng with Adam7 interlacing (7 passes): the library de-interlaces.
    void decodesInterlaced() {
        const QByteArray png = QByteArray::fromHex(
            "89504e470d0a1a0a0000000d494844520000000900000007080200000122fec0a10000009f4944415408d73dc9316ec3300c05"
            "500a163fe39806351042049841860e1e3c141d050f3d820fe373e55c3d4687001e1f5e2292bf5fa2b348d24dce729cdf07f52c"
            "ef2fc9baadfa3a12aaf4ec5dbdbbf7c5b36ea47955ddd5775df61449fa8d7aa1fea08c7ac7cd511cd53f78a2aca8eb851fd43d"
            "0d9344e21838984338468e8963e630cea88474c76060831846c364980d66d739b8411ac686a9616eb0f60f1ceb100bc8704597"
            "0000000049454e44ae426082");
        checkFixturePixels(png);
    }

    // Our files are compressed now (they were stored blocks): a flat 280x280 image is far smaller than raw.
    void writerCompresses() {
        PngImage flat;
        flat.width = flat.height = 280;
        flat.pixels.assign(280 * 280, 0);
        const std::string png = encodePng(flat);
        QVERIFY2(png.size() < 2000, qPrintable(QString::number(png.size())));
        QVERIFY(decodePng(png, "t").pixels == flat.pixels);
    }

    void errors_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        auto qb = [](const std::string& s) { return QByteArray(s.data(), qsizetype(s.size())); };
        const std::string good = encodePng(gradient(4, 4, 1));
        QTest::newRow("not png") << QByteArray("GIF89a....") << "bad signature";
        QTest::newRow("truncated") << qb(good.substr(0, good.size() - 20)) << "";
        std::string crc = good;
        crc[20] ^= 1;  // inside IHDR
        QTest::newRow("crc") << qb(crc) << "CRC mismatch in chunk 'IHDR'";
        std::string interlace = good;
        interlace[8 + 8 + 12] = 7;
        fixCrc(interlace, 8);
        QTest::newRow("bad interlace method") << qb(interlace) << "interlace";
        std::string depth = good;
        depth[8 + 8 + 8] = 3;
        fixCrc(depth, 8);
        QTest::newRow("bad depth") << qb(depth) << "unsupported colour type 0 with bit depth 3";
        std::string big = good;
        put32(big, 8 + 8 + 4, 9);  // height 9 but data for 4 rows
        fixCrc(big, 8);
        QTest::newRow("size mismatch") << qb(big) << "image data is shorter than the IHDR's 4x9 image";
        const size_t idat = 8 + 25;
        std::string zdata = good;
        zdata[idat + 8 + 4] ^= 0x55;  // inside the compressed stream
        fixCrc(zdata, idat);
        QTest::newRow("corrupt compressed data") << qb(zdata) << "compressed image data";
        std::string adler = good;
        const uint32_t idatLen = uint32_t(uint8_t(good[idat + 3]));
        adler[idat + 8 + idatLen - 1] ^= 0x55;  // the zlib stream's Adler-32, its last 4 bytes
        fixCrc(adler, idat);
        QTest::newRow("adler") << qb(adler) << "compressed image data";
        std::string second = good;  // a second IHDR (a 9x9 one) right after the first
        std::string ihdr2 = good.substr(8, 25);
        put32(ihdr2, 8, 9);
        put32(ihdr2, 12, 9);
        fixCrc(ihdr2, 0);
        second.insert(8 + 25, ihdr2);
        QTest::newRow("second IHDR") << qb(second) << "a second IHDR chunk";
        std::string late = good;  // IDAT before IHDR
        late.insert(8, good.substr(idat, good.size() - idat - 12));
        QTest::newRow("IHDR not first") << qb(late) << "first chunk is 'IDAT', expected IHDR";
        std::string past = good;
        put32(past, idat, 100000);
        QTest::newRow("chunk past end") << qb(past) << "chunk 'IDAT' runs past the end of the file";
        std::string zero = good;
        put32(zero, 8 + 8, 0);
        fixCrc(zero, 8);
        QTest::newRow("zero width") << qb(zero) << "zero width or height";
        std::string huge = good;  // 8192 x 8192 in a 100-byte file: refused from the IHDR, nothing decoded
        put32(huge, 8 + 8, 8192);
        put32(huge, 8 + 12, 8192);
        fixCrc(huge, 8);
        QTest::newRow("huge claim") << qb(huge) << "image is too large (8192x8192";
        std::string critical = good;  // an unknown critical chunk "ABCD" before IEND
        std::string abcd = std::string("\0\0\0\0ABCD", 8) + "1234";
        fixCrc(abcd, 0);
        critical.insert(critical.size() - 12, abcd);
        QTest::newRow("unknown critical chunk") << qb(critical) << "unknown critical chunk 'ABCD'";
    }
    void errors() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        const QString e = errorOf([&] { decodePng(std::string_view(bytes.constData(), size_t(bytes.size())), "PNG 'f'"); });
        QVERIFY2(!e.isEmpty(), "no error");
        QVERIFY2(e.startsWith("PNG 'f'"), qPrintable(e));
        QVERIFY2(e.contains(message), qPrintable(e));
    }

    // The caller's size check runs on the IHDR alone: a file claiming a 4096x4096 RGBA16 image (64 MB of
    // pixels in 60 bytes) is refused with the caller's message in well under a second.
    void sizeCheckBeforeDecoding() {
        std::string png = encodePng(gradient(4, 4, 1));
        put32(png, 8 + 8, 4096);
        put32(png, 8 + 12, 4096);
        png[8 + 8 + 8] = 16;
        png[8 + 8 + 9] = 6;
        fixCrc(png, 8);
        const auto t0 = std::chrono::steady_clock::now();
        const QString e = errorOf([&] {
            decodePng(png, "PNG 'f'", [](int w, int h) {
                if (w != 28 || h != 28) throw Error("is " + std::to_string(w) + "x" + std::to_string(h) + ", not 28x28");
            });
        });
        QCOMPARE(e, QString("is 4096x4096, not 28x28"));
        QVERIFY(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(1));
        // without the check the library decodes it and finds the data missing
        QVERIFY(errorOf([&] { decodePng(png, "PNG 'f'"); }).contains("image data is shorter"));
    }

    void fileReads() {
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("a.png").toStdString();
        const PngImage a = gradient(30, 20, 3);
        writePng(path, a);
        QVERIFY(readPng(path).pixels == a.pixels);
        QVERIFY(errorOf([&] { readPng(tmp.filePath("missing.png").toStdString()); }).contains("cannot open"));
        QVERIFY(errorOf([&] { readPng(tmp.path().toStdString()); }).contains("is a directory"));
        QCOMPARE(errorOf([&] { readPng("/dev/zero"); }), QString("PNG '/dev/zero': is a device, not a file"));
    }

    void writeFailuresAreLoud() {
        const QString full = errorOf([&] { writePng("/dev/full", gradient(8, 8, 1)); });
        QVERIFY2(full.startsWith("PNG '/dev/full': write failed: No space left on device"), qPrintable(full));
        const QString dir = errorOf([&] { writePng("/nonexistent-dir/x.png", gradient(8, 8, 1)); });
        QVERIFY2(dir.startsWith("PNG '/nonexistent-dir/x.png': cannot write in folder '/nonexistent-dir': No such file or directory"), qPrintable(dir));
    }

    void grayConversion() {
        PngImage rgba;
        rgba.width = 2;
        rgba.height = 1;
        rgba.channels = 4;
        rgba.pixels = {255, 255, 255, 255, 255, 255, 255, 0};  // opaque white, transparent white
        const auto g = toGray(rgba);
        QCOMPARE(int(g[0]), 255);
        QCOMPARE(int(g[1]), 0);
    }
};

QTEST_APPLESS_MAIN(TestPng)
#include "tst_core_png.moc"
