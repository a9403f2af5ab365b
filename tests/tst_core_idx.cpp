// IDX (MNIST format) reader: each malformed file is refused with its own message; the real Fashion-MNIST
// test files (Debian's dataset-fashion-mnist, decompressed with gzip -dc) read with the right counts.
#include "core/data/idx.h"
#include "core/error.h"
#include "testutil.h"

#include <QtTest>

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
        QTest::newRow("gzip") << qb("\x1f\x8b" + imageFile(1, 2, 2).substr(2)) << 3 << "gzip";
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

    void readsRealFashionMnist() {
        const QString dir = "/usr/share/datasets/fashion-mnist";
        if (!QFile::exists(dir + "/t10k-images-idx3-ubyte.gz")) QSKIP("dataset-fashion-mnist is not installed");
        QTemporaryDir tmp;
        for (const QString name : {"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            QProcess gz;
            gz.setStandardOutputFile(tmp.filePath(name));
            gz.start("gzip", {"-dc", dir + "/" + name + ".gz"});
            QVERIFY(gz.waitForFinished(60000));
            QCOMPARE(gz.exitCode(), 0);
        }
        // the compressed file itself is refused with advice
        QVERIFY(errorOf([&] { readIdx((dir + "/t10k-labels-idx1-ubyte.gz").toStdString(), 1); }).contains("gzip"));
        const ImageSet set = readIdxDataset(tmp.filePath("t10k-images-idx3-ubyte").toStdString(),
                                            tmp.filePath("t10k-labels-idx1-ubyte").toStdString(), 0.5f);
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
