// IDX (MNIST format) reader: each malformed file is refused with its own message; gzip-compressed files are
// read directly through zlib (a .gz this test writes, and the real Fashion-MNIST files from Debian's optional
// dataset-fashion-mnist, read as shipped); corrupt, truncated and oversized gzip data is refused.
#include "core/data/idx.h"
#include "core/error.h"
#include "testutil.h"

#include <QtTest>
#include <zlib.h>

#include <fstream>

using namespace ar;

namespace {
std::string be32(uint32_t v) {
    return {char(v >> 24), char((v >> 16) & 0xFF), char((v >> 8) & 0xFF), char(v & 0xFF)};
}
std::string imageFile(uint32_t n, uint32_t rows, uint32_t cols, int extra = 0) {
    std::string s = std::string("\0\0\x08\x03", 4) + be32(n) + be32(rows) + be32(cols);
    for (uint32_t i = 0; i < n * rows * cols; ++i) s.push_back(char((i * 37) % 256));
    if (extra > 0) s += std::string(size_t(extra), '\0');
    if (extra < 0) s.resize(s.size() - size_t(-extra));
    return s;
}
std::string labelFile(std::vector<uint8_t> labels) {
    std::string s = std::string("\0\0\x08\x01", 4) + be32(uint32_t(labels.size()));
    for (uint8_t l : labels) s.push_back(char(l));
    return s;
}
// gzip-compresses `data` with zlib (an independent path from the reader's inflate).
std::string gzipped(const std::string& data) {
    z_stream zs{};
    if (deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
    std::string out(deflateBound(&zs, uLong(data.size())) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = uInt(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = uInt(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return rc == Z_STREAM_END ? out : std::string();
}
void writeFile(const QString& path, const std::string& bytes) {
    std::ofstream(path.toStdString(), std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}
using testutil::errorOf;
}  // namespace

class TestIdx : public QObject {
    Q_OBJECT
private slots:
    void readsValidFile() {
        const IdxArray a = parseIdx(imageFile(3, 2, 4), 3, "f");
        QCOMPARE(a.dims, (std::vector<uint32_t>{3, 2, 4}));
        QCOMPARE(a.data.size(), size_t(24));
        QCOMPARE(int(a.data[5]), 5 * 37 % 256);
        const IdxArray l = parseIdx(labelFile({1, 2, 9}), 1, "l");
        const ImageSet set = idxDataset(a, l, 0.5f, 9, 0, "pair");
        QCOMPARE(set.count(), 3);
        QCOMPARE(set.height, 2);
        QCOMPARE(set.width, 4);
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 8; ++j) QCOMPARE(set.images(i, j), a.data[size_t(i * 8 + j)] >= 127.5f ? 1.0f : 0.0f);
        QCOMPARE(set.labels, (std::vector<int>{1, 2, 9}));
    }

    void rejects_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("dims");
        QTest::addColumn<QString>("message");
        auto qb = [](const std::string& s) { return QByteArray(s.data(), qsizetype(s.size())); };
        QTest::newRow("empty") << QByteArray() << 3 << "too short";
        QTest::newRow("bad magic") << qb("\x12\x34" + imageFile(1, 2, 2).substr(2)) << 3 << "bad magic";
        QTest::newRow("gzip") << qb("\x1f\x8b" + imageFile(1, 2, 2).substr(2)) << 3 << "bad magic number (first two bytes 0x1f 0x8b";
        QTest::newRow("float type") << qb(std::string("\0\0\x0d\x03", 4) + imageFile(1, 2, 2).substr(4)) << 3 << "element type";
        QTest::newRow("labels as images") << qb(labelFile({1, 2})) << 3 << "dimensions, expected 3";
        QTest::newRow("truncated header") << qb(imageFile(1, 2, 2).substr(0, 10)) << 3 << "truncated header";
        QTest::newRow("truncated data") << qb(imageFile(4, 3, 3, -5)) << 3 << "truncated";
        QTest::newRow("oversized") << qb(imageFile(2, 3, 3, 7)) << 3 << "7 unexpected bytes";
        QTest::newRow("zero dimension") << qb(imageFile(0, 3, 3)) << 3 << "dimension 0 is 0";
    }
    void rejects() {
        QFETCH(QByteArray, bytes);
        QFETCH(int, dims);
        QFETCH(QString, message);
        const QString e = errorOf([&] { parseIdx(std::string_view(bytes.constData(), size_t(bytes.size())), dims, "file 'x'"); });
        QVERIFY2(e.contains(message), qPrintable(e));
        QVERIFY(e.startsWith("file 'x'"));
    }

    void rejectsCountMismatchAndLabelRange() {
        const IdxArray a = parseIdx(imageFile(3, 2, 2), 3, "i");
        QVERIFY(errorOf([&] { idxDataset(a, parseIdx(labelFile({1, 2}), 1, "l"), 0.5f, 9, 0, "pair"); })
                    .contains("3 images but 2 labels"));
        QVERIFY(errorOf([&] { idxDataset(a, parseIdx(labelFile({1, 12, 3}), 1, "l"), 0.5f, 9, 0, "pair"); })
                    .contains("label 12 of item 1"));
        QVERIFY(errorOf([&] { readIdx("/nonexistent/file", 3); }).contains("cannot open"));
    }

    // A .gz written here reads exactly like the plain file; so does one made of two gzip members.
    void readsGzip() {
        QTemporaryDir tmp;
        const std::string plain = imageFile(5, 3, 4);
        writeFile(tmp.filePath("a.idx"), plain);
        writeFile(tmp.filePath("a.idx.gz"), gzipped(plain));
        writeFile(tmp.filePath("two.gz"), gzipped(plain.substr(0, 20)) + gzipped(plain.substr(20)));
        const IdxArray a = readIdx(tmp.filePath("a.idx").toStdString(), 3);
        const IdxArray g = readIdx(tmp.filePath("a.idx.gz").toStdString(), 3);
        QCOMPARE(g.dims, a.dims);
        QVERIFY(g.data == a.data);
        QVERIFY(readIdx(tmp.filePath("two.gz").toStdString(), 3).data == a.data);
    }

    void rejectsBadGzip_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        auto qb = [](const std::string& s) { return QByteArray(s.data(), qsizetype(s.size())); };
        const std::string gz = gzipped(imageFile(40, 5, 5));
        QTest::newRow("truncated") << qb(gz.substr(0, gz.size() / 2)) << "gzip data ends early (truncated file?)";
        std::string crc = gz;
        crc[crc.size() - 6] ^= 0x10;  // the CRC-32 in the gzip trailer
        QTest::newRow("bad crc") << qb(crc) << "corrupt gzip data (incorrect data check)";
        std::string body = gz;
        body[12] ^= 0xFF;
        QTest::newRow("corrupt deflate") << qb(body) << "corrupt gzip data";
        QTest::newRow("trailing garbage") << qb(gz + "garbage!") << "corrupt gzip data";
        // the decompressed data is still checked as IDX
        QTest::newRow("gzip of a bad IDX") << qb(gzipped(imageFile(4, 3, 3, -5))) << "truncated: ";
    }
    void rejectsBadGzip() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        QTemporaryDir tmp;
        writeFile(tmp.filePath("x.gz"), bytes.toStdString());
        const QString e = errorOf([&] { readIdx(tmp.filePath("x.gz").toStdString(), 3); });
        QVERIFY2(e.startsWith("IDX file '" + tmp.filePath("x.gz") + "'"), qPrintable(e));
        QVERIFY2(e.contains(message), qPrintable(e));
    }

    // A gzip bomb: 64 MB of zeros in ~64 KB. The output bound stops it at the limit, not at the end.
    void gzipOutputIsBounded() {
        const std::string bomb = gzipped(std::string(size_t(64) << 20, '\0'));
        QVERIFY(bomb.size() < 200000);
        const QString e = errorOf([&] { gunzip(bomb, 1 << 20, "bomb"); });
        QCOMPARE(e, QString("bomb: decompresses to more than the limit of 1 MiB"));
        QCOMPARE(gunzip(bomb, size_t(64) << 20, "ok").size(), size_t(64) << 20);
    }

    // Special files and directories are refused quickly, not read forever.
    void boundedReads() {
        const QString zero = errorOf([&] { readIdx("/dev/zero", 3); });
        QCOMPARE(zero, QString("IDX file '/dev/zero': is a device, not a file"));
        QVERIFY(errorOf([&] { readIdx("/tmp", 3); }).contains("is a directory"));
    }

    // Optional system data: skips only when Debian's dataset-fashion-mnist is not installed.
    void readsRealFashionMnist() {
        const QString dir = "/usr/share/datasets/fashion-mnist";
        if (!QFile::exists(dir + "/t10k-images-idx3-ubyte.gz")) QSKIP("dataset-fashion-mnist is not installed");
        QTemporaryDir tmp;
        // the .gz files as shipped, read directly
        const ImageSet gz = readIdxDataset((dir + "/t10k-images-idx3-ubyte.gz").toStdString(),
                                           (dir + "/t10k-labels-idx1-ubyte.gz").toStdString(), 0.5f);
        QCOMPARE(gz.count(), 10000);
        const IdxArray train = readIdx((dir + "/train-labels-idx1-ubyte.gz").toStdString(), 1);
        QCOMPARE(train.dims, std::vector<uint32_t>{60000});
        // a plain copy (decompressed by zlib's own gzip reader, independent of ours) gives the same set
        for (const QString name : {"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            gzFile in = gzopen((dir + "/" + name + ".gz").toLocal8Bit().constData(), "rb");
            QVERIFY(in);
            std::string plain;
            char buf[65536];
            for (int n; (n = gzread(in, buf, sizeof buf)) > 0;) plain.append(buf, size_t(n));
            gzclose(in);
            writeFile(tmp.filePath(name), plain);
        }
        const ImageSet set = readIdxDataset(tmp.filePath("t10k-images-idx3-ubyte").toStdString(),
                                            tmp.filePath("t10k-labels-idx1-ubyte").toStdString(), 0.5f);
        QVERIFY(set.images == gz.images);
        QVERIFY(set.labels == gz.labels);
        QCOMPARE(set.count(), 10000);
        QCOMPARE(set.height, 28);
        QCOMPARE(set.width, 28);
        std::vector<int> perClass(10, 0);
        for (int l : set.labels) perClass[size_t(l)]++;
        for (int c : perClass) QCOMPARE(c, 1000);
        const double ink = set.images.mean();
        QVERIFY2(ink > 0.2 && ink < 0.6, qPrintable(QString::number(ink)));
        // a truncated copy is refused
        QFile f(tmp.filePath("t10k-labels-idx1-ubyte"));
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.resize(f.size() - 1);
        f.close();
        QVERIFY(errorOf([&] { readIdx(tmp.filePath("t10k-labels-idx1-ubyte").toStdString(), 1); }).contains("truncated"));
    }
};

QTEST_APPLESS_MAIN(TestIdx)
#include "tst_core_idx.moc"
