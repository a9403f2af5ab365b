// core/memory.h: writeOnHugePages leaves every byte as write() and the neighbours left it (the interior it drops
// is rewritten whole; the edges it collapses keep their contents), advises exactly the 2 MB-aligned interior, passes
// small buffers straight to write(), and lets write()'s exception through; a model loaded through it has the same
// bits as the file.
#include "core/error.h"
#include "core/memory.h"

#include <QtTest>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

using namespace ar;

namespace {

constexpr size_t kHuge = size_t(2) << 20;

// Whether this kernel takes MADV_HUGEPAGE (Linux with transparent huge pages not switched off).
bool kernelHasHugePages() {
#if defined(__linux__)
    std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string s;
    std::getline(f, s);
    return !s.empty() && s.find("[never]") == std::string::npos;
#else
    return false;
#endif
}

size_t interiorOf(const void* p, size_t bytes) {
    const uintptr_t lo = reinterpret_cast<uintptr_t>(p), a = (lo + kHuge - 1) & ~uintptr_t(kHuge - 1);
    const uintptr_t b = (lo + bytes) & ~uintptr_t(kHuge - 1);
    return bytes >= kHuge && b > a ? size_t(b - a) : 0;
}

}  // namespace

class TestMemory : public QObject {
    Q_OBJECT
private slots:
    void writeOnHugePagesKeepsEveryByte_data();
    void writeOnHugePagesKeepsEveryByte();
    void writeOnHugePagesLetsAnErrorThrough();
};

void TestMemory::writeOnHugePagesKeepsEveryByte_data() {
    QTest::addColumn<qint64>("offset");  // floats from a 2 MB boundary
    QTest::addColumn<qint64>("count");   // floats written
    QTest::newRow("1 MB (below a huge page: write() only)") << qint64(3) << qint64(1 << 18);
    QTest::newRow("2 MB + 7 floats, unaligned: no interior, two edges") << qint64(5) << qint64((1 << 19) + 7);
    QTest::newRow("9 MB, unaligned: interior and both edges") << qint64(1000) << qint64(9 << 18);
    QTest::newRow("8 MB from a boundary: interior and one edge") << qint64(0) << qint64((8 << 18) + 11);
    QTest::newRow("the GPT-2 shape's c_fc weight (768 x 3072)") << qint64(12345) << qint64(768 * 3072);
}

void TestMemory::writeOnHugePagesKeepsEveryByte() {
    QFETCH(qint64, offset);
    QFETCH(qint64, count);
    // A guard of 3 MB on each side inside one allocation, filled with a pattern the call must not change.
    const size_t guard = 3 * kHuge / sizeof(float);
    std::vector<float> all(guard + kHuge / sizeof(float) + size_t(count) + guard);
    for (size_t i = 0; i < all.size(); ++i) all[i] = float(i % 9973) + 0.5f;
    const uintptr_t base = reinterpret_cast<uintptr_t>(all.data() + guard);
    float* buf = reinterpret_cast<float*>(((base + kHuge - 1) & ~uintptr_t(kHuge - 1))) + offset;
    const std::vector<float> before = all;
    const size_t first = size_t(buf - all.data());
    int calls = 0;
    const size_t advised = writeOnHugePages(buf, size_t(count) * sizeof(float), [&] {
        ++calls;
        for (qint64 i = 0; i < count; ++i) buf[i] = -float(i % 7919) - 0.25f;
    });
    QCOMPARE(calls, 1);
    const size_t interior = interiorOf(buf, size_t(count) * sizeof(float));
    QCOMPARE(advised, kernelHasHugePages() ? interior : size_t(0));
    for (size_t i = 0; i < all.size(); ++i) {
        const bool inside = i >= first && i < first + size_t(count);
        const float want = inside ? -float((i - first) % 7919) - 0.25f : before[i];
        if (all[i] != want) QFAIL(qPrintable(QString("float %1 (%2 the buffer) is %3, want %4").arg(i).arg(inside ? "in" : "outside").arg(all[i]).arg(want)));
    }
}

void TestMemory::writeOnHugePagesLetsAnErrorThrough() {
    std::vector<float> all(5 * kHuge / sizeof(float), 1.5f);
    bool threw = false;
    try {
        writeOnHugePages(all.data() + 3, 4 * kHuge, [] { throw Error("read error"); });
    } catch (const Error& e) {
        threw = std::string(e.what()) == "read error";
    }
    QVERIFY(threw);
    QCOMPARE(all.front(), 1.5f);  // outside the dropped interior
    QCOMPARE(all.back(), 1.5f);
}

QTEST_APPLESS_MAIN(TestMemory)
#include "tst_core_memory.moc"
