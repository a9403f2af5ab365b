// PNG reader/writer: round trip of our own (stored-block) files; zlib-compressed fixtures (fixed and dynamic
// Huffman blocks, all five row filters) decode to the known pixels; every malformed file has its own message.
#include "core/error.h"
#include "core/io/png.h"
#include "testutil.h"

#include <QtTest>

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
    put32(s, at + 8 + len, crc32(std::string_view(s).substr(at + 4, 4 + len)));
}
}  // namespace

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

    // A zlib stream with a fixed-Huffman block and a back-reference, hand-assembled from RFC 1951:
    // "abcabcabc" = literals a b c, then <length 6, distance 3>.
    void inflateFixedHuffman() {
        // zlib.compress(b"abcabcabc", 9)
        const unsigned char z[] = {0x78, 0xda, 0x4b, 0x4c, 0x4a, 0x4e, 0x04, 0x23, 0x00, 0x11, 0x3d, 0x03, 0x73};
        QCOMPARE(QString::fromStdString(inflateZlib(std::string_view(reinterpret_cast<const char*>(z), sizeof z), "z")),
                 QString("abcabcabc"));
    }

    void inflateDynamicHuffman() {
        const QByteArray z = QByteArray::fromHex(
            "78da2bc94855282ccd4cce56482aca2fcf5348cbaf50c82acd2d2856c82f4b2d5228014ae72456552aa4e4a75b8379d81527a627"
            "66e62924e6a5a0b300aab522dd");
        QCOMPARE(QString::fromStdString(inflateZlib(std::string_view(z.constData(), size_t(z.size())), "z")),
                 QString("the quick brown fox jumps over the lazy dog; the quick brown fox jumps again and again and again"));
        QByteArray bad = z;
        bad[10] = char(bad[10] ^ 0x40);
        QVERIFY(!errorOf([&] { inflateZlib(std::string_view(bad.constData(), size_t(bad.size())), "z"); }).isEmpty());
    }

    // A 9x7 RGB PNG written by Python's zlib (level 9) with rows filtered None, Sub, Up, Average, Paeth.
    void decodesZlibPngWithAllFilters() {
        const QByteArray png = QByteArray::fromHex(
            "89504e470d0a1a0a0000000d494844520000000900000007080200000055f9f037000000c14944415478da1d8e314a03611046"
            "ffcdb793c9bf93e51f9625b2e00c81a4b0b0b132d1664913d2051b0b7b116c050f905c2007103c41ca74398185bd27f006b666"
            "03af7b3c782104b68cef727e8cfca6bc6b783fe5af1bfe6d39839c1c19c8888cc92299909564897a900021480149901ad2401c"
            "32815ca13fcab55f28973a481a2b2d6a950b1d365a5ee65d9711508012b846accf754748b77c3d1bafeee7cfedc366f9fab9de"
            "1e9f3e7e5e0e7fefdf59b538bdb8c18ddcd82dba895be996fc1f928117b4e6ae96f30000000049454e44ae426082");
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
        std::string interlaced = good;
        interlaced[8 + 8 + 12] = 1;
        fixCrc(interlaced, 8);
        QTest::newRow("interlaced") << qb(interlaced) << "interlaced";
        std::string depth = good;
        depth[8 + 8 + 8] = 3;
        fixCrc(depth, 8);
        QTest::newRow("bad depth") << qb(depth) << "unsupported colour type 0 with bit depth 3";
        std::string big = good;
        put32(big, 8 + 8 + 4, 9);  // height 9 but data for 4 rows
        fixCrc(big, 8);
        QTest::newRow("size mismatch") << qb(big) << "image data has";
        std::string adler = good;
        const size_t idat = 8 + 25;
        adler[idat + 8 + 10] ^= 0x55;  // a pixel byte inside the stored block
        fixCrc(adler, idat);
        QTest::newRow("adler") << qb(adler) << "Adler-32";
    }
    void errors() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        const QString e = errorOf([&] { decodePng(std::string_view(bytes.constData(), size_t(bytes.size())), "PNG 'f'"); });
        QVERIFY2(!e.isEmpty(), "no error");
        QVERIFY2(e.startsWith("PNG 'f'"), qPrintable(e));
        QVERIFY2(e.contains(message), qPrintable(e));
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
