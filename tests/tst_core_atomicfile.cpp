// One atomic writer (core/io/atomicfile.h) and the bounded reader (core/io/readfile.h).
// The kill test forks a child that rewrites a 1 MB file in a loop and SIGKILLs it at random moments,
// 200 times: the file is always a complete old or new version, never torn, and no partial files pile up.
#include "core/error.h"
#include "core/io/atomicfile.h"
#include "core/io/readfile.h"
#include "killloop.h"
#include "testutil.h"

#include <QtTest>

#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace ar;

namespace {
using testutil::errorOf;
std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}
// Version g of the test file: an 8-byte header with g, then `size` bytes that depend on g and the position.
std::string version(uint64_t g, size_t size) {
    std::string s(8 + size, '\0');
    for (int i = 0; i < 8; ++i) s[size_t(i)] = char((g >> (8 * i)) & 0xFF);
    for (size_t i = 0; i < size; ++i) s[8 + i] = char((g * 131 + i * 7 + (i >> 12)) & 0xFF);
    return s;
}
// The version a file holds, or -1 when it is not exactly one complete version.
int64_t versionOf(const std::string& s, size_t size) {
    if (s.size() != 8 + size) return -1;
    uint64_t g = 0;
    for (int i = 0; i < 8; ++i) g |= uint64_t(uint8_t(s[size_t(i)])) << (8 * i);
    return s == version(g, size) ? int64_t(g) : -1;
}
std::vector<std::string> entries(const QString& dir) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir.toStdString())) out.push_back(e.path().filename());
    std::sort(out.begin(), out.end());
    return out;
}
}  // namespace

class TestAtomicFile : public QObject {
    Q_OBJECT
private slots:
    void writesAndReplaces() {
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("a.bin").toStdString();
        writeFileAtomic(path, "first", "file 'a'");
        QCOMPARE(readAll(path), std::string("first"));
        writeFileAtomic(path, "second, longer", "file 'a'");
        QCOMPARE(readAll(path), std::string("second, longer"));
        writeFileAtomic(path, "", "file 'a'");
        QCOMPARE(readAll(path), std::string());
        QCOMPARE(entries(tmp.path()), std::vector<std::string>{"a.bin"});  // nothing left over
        // streamed in pieces
        {
            AtomicFile f(path, "file 'a'");
            f.write("one ");
            f.write("two");
            QCOMPARE(readAll(path), std::string());  // not visible before commit
            f.commit();
        }
        QCOMPARE(readAll(path), std::string("one two"));
        // the umask applies, like any created file (not mkstemp's 0600)
        struct stat st {};
        QCOMPARE(::stat(path.c_str(), &st), 0);
        const mode_t mask = ::umask(0);
        ::umask(mask);
        QCOMPARE(int(st.st_mode & 0777), int(0666 & ~mask));
    }

    void abandonedWriteKeepsTheOldFile() {
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("a.bin").toStdString();
        writeFileAtomic(path, "old", "file 'a'");
        {
            AtomicFile f(path, "file 'a'");
            f.write("new but never committed");
        }  // e.g. an exception between write and commit
        QCOMPARE(readAll(path), std::string("old"));
        QCOMPARE(entries(tmp.path()), std::vector<std::string>{"a.bin"});
    }

    void symlinkKeepsTheLink() {
        QTemporaryDir tmp;
        const std::string target = tmp.filePath("target.bin").toStdString(), link = tmp.filePath("link.bin").toStdString();
        writeFileAtomic(target, "old", "t");
        std::filesystem::create_symlink(target, link);
        writeFileAtomic(link, "new", "l");
        QVERIFY(std::filesystem::is_symlink(link));
        QCOMPARE(readAll(target), std::string("new"));
    }

    void failuresAreLoud_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");
        QTest::newRow("disk full") << "/dev/full" << "f: write failed: No space left on device";
        QTest::newRow("no folder") << "/nonexistent-dir/x" << "f: cannot write in folder '/nonexistent-dir': No such file or directory";
        QTest::newRow("a folder") << "/tmp" << "f: is a directory, not a file";
        QTest::newRow("empty name") << "" << "f: empty file name";
    }
    void failuresAreLoud() {
        QFETCH(QString, path);
        QFETCH(QString, message);
        QCOMPARE(errorOf([&] { writeFileAtomic(path.toStdString(), std::string(100000, 'x'), "f"); }), message);
    }

    void writesIntoAPipe() {
        QTemporaryDir tmp;
        const std::string fifo = tmp.filePath("fifo").toStdString();
        QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
        std::string got;
        std::thread reader([&] { got = readFileLimited(fifo, 1 << 20, "pipe"); });
        writeFileAtomic(fifo, "through the pipe", "pipe");
        reader.join();
        QCOMPARE(got, std::string("through the pipe"));
        QVERIFY(std::filesystem::is_fifo(fifo));  // still a pipe, not replaced by a file
    }

    void boundedReads() {
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("big").toStdString();
        writeFileAtomic(path, std::string(2000, 'x'), "f");
        QCOMPARE(readFileLimited(path, 2000, "f").size(), size_t(2000));
        QCOMPARE(errorOf([&] { readFileLimited(path, 1999, "f"); }),
                 QString("f: the file is 2000 bytes, more than the limit of 1999 bytes"));
        QCOMPARE(errorOf([&] { readFileLimited("/dev/zero", 1 << 20, "z"); }), QString("z: is a device, not a file"));
        QCOMPARE(errorOf([&] { readFileLimited(tmp.path().toStdString(), 1 << 20, "d"); }), QString("d: is a directory, not a file"));
        QVERIFY(errorOf([&] { readFileLimited(tmp.filePath("none").toStdString(), 1 << 20, "n"); })
                    .startsWith("n: cannot open: No such file or directory"));
        // a pipe that never ends is cut at the limit
        const std::string fifo = tmp.filePath("fifo").toStdString();
        QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
        const pid_t child = ::fork();
        if (child == 0) {
            const int fd = ::open(fifo.c_str(), O_WRONLY);
            const std::string chunk(65536, 'z');
            while (::write(fd, chunk.data(), chunk.size()) > 0) {}
            ::_exit(0);
        }
        const QString e = errorOf([&] { readFileLimited(fifo, 1 << 20, "p"); });
        ::kill(child, SIGKILL);
        ::waitpid(child, nullptr, 0);
        QCOMPARE(e, QString("p: gives more than the limit of 1 MiB (a pipe or socket)"));
    }

    // 200 SIGKILLs at random moments of a child rewriting a 1 MB file in a loop: 0-50 ms after the start, or
    // 0-4 write times when a write takes longer here (a sanitized build, a loaded machine), measured first, so
    // that many kills still come after a complete write.
    void survivesSigkill() {
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("model.bin").toStdString();
        const size_t size = size_t(1) << 20;
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < 3; ++i) writeFileAtomic(path, version(0, size), "f");
        const int maxDelayUs = std::max(50000, int(clock.nsecsElapsed() / 1000 / 3 * 4));
        int64_t last = 0;
        int changed = 0, maxEntries = 0;
        testutil::killWritersRepeatedly(
            200, maxDelayUs, 12,
            [&](int round) {
                for (uint64_t g = uint64_t(round) * 1000000;; ++g) writeFileAtomic(path, version(g, size), "f");
            },
            [&](int round) {
                const int64_t g = versionOf(readAll(path), size);
                QVERIFY2(g >= 0, qPrintable(QString("round %1: the file is torn").arg(round)));
                QVERIFY2(g >= last, qPrintable(QString("round %1: version %2 after %3").arg(round).arg(g).arg(last)));
                changed += g != last;
                last = g;
                maxEntries = std::max(maxEntries, int(entries(tmp.path()).size()));
            });
        // at most one leftover temporary file ever (a fixed name, reused), never a growing pile
        QVERIFY2(maxEntries <= 2, qPrintable(QString::number(maxEntries)));
        QVERIFY2(changed >= 20, qPrintable(QString("only %1 of 200 kills came after a complete write").arg(changed)));
        qInfo("200 kills within %d ms: %d saw a newer version, at most %d directory entries", maxDelayUs / 1000, changed, maxEntries);
    }
};

QTEST_APPLESS_MAIN(TestAtomicFile)
#include "tst_core_atomicfile.moc"
