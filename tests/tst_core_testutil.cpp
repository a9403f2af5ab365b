// The shared test helpers can fail: a crash, a timeout or a program that does not start fails the running
// test (checked with QEXPECT_FAIL, so an expected failure shows as XFAIL and a missing one as XPASS = FAIL);
// a missing JSON key fails; errorOf sees only ar::Error.
#include "core/error.h"
#include "testutil.h"

#include <QtTest>

#include <stdexcept>

class TestTestUtil : public QObject {
    Q_OBJECT
private slots:
    void normalExit() {
        const testutil::Run r = testutil::run("/bin/sh", {"-c", "printf out; printf err >&2; exit 3"});
        QCOMPARE(r.code, 3);
        QCOMPARE(r.out, QByteArray("out"));
        QCOMPARE(r.err, QByteArray("err"));
    }
    void stdinIsPassed() {
        testutil::RunOptions o;
        o.stdinData = "hello";
        QCOMPARE(testutil::run("/bin/cat", {}, o).out, QByteArray("hello"));
    }
    void crashFails() {
        QEXPECT_FAIL("", "a crashing program fails the test", Continue);
        const testutil::Run r = testutil::run("/bin/sh", {"-c", "kill -SEGV $$"});
        QCOMPARE(r.code, -2);
    }
    void timeoutFails() {
        testutil::RunOptions o;
        o.timeoutMs = 300;
        QEXPECT_FAIL("", "a program that does not finish in time fails the test", Continue);
        const testutil::Run r = testutil::run("/bin/sleep", {"30"}, o);
        QCOMPARE(r.code, -3);
    }
    void missingProgramFails() {
        QEXPECT_FAIL("", "a program that cannot start fails the test", Continue);
        const testutil::Run r = testutil::run("/nonexistent/program", {});
        QCOMPARE(r.code, -4);
    }
    void missingJsonKeyFails() {
        const testutil::Json j = testutil::jsonOf(QByteArray(R"({"a": 0, "o": {"b": 1}})"));
        QCOMPARE(j["a"].toInt(), 0);
        QCOMPARE(j.object("o")["b"].toInt(), 1);
        QEXPECT_FAIL("", "a missing key fails instead of reading as 0", Continue);
        QCOMPARE(j["missing"].toInt(-1), -1);
    }
    void notJsonFails() {
        QEXPECT_FAIL("", "output that is not JSON fails", Continue);
        testutil::jsonOf(QByteArray("not json"));
        QVERIFY(true);  // XPASS (a failure) if jsonOf did not fail above
    }
    void errorOfSeesOnlyTypedErrors() {
        QCOMPARE(testutil::errorOf([] { throw ar::Error("specific"); }), QString("specific"));
        QCOMPARE(testutil::errorOf([] {}), QString());
        QVERIFY_THROWS_EXCEPTION(std::logic_error, testutil::errorOf([] { throw std::logic_error("other"); }));
    }
};

QTEST_GUILESS_MAIN(TestTestUtil)
#include "tst_core_testutil.moc"
