#pragma once
// The kill test of every writer that promises "the old file or the new one, never a torn one" (the atomic
// writer, session autosave): `rounds` times, fork a child that runs `writeForever(round)` (it never returns),
// SIGKILL it at a random moment 0..maxDelayUs later, and call `afterKill(round)` (the test's checks on the file).
// Stops at the first failed check (Qt Test's QVERIFY/QCOMPARE inside afterKill). Header-only; POSIX.
#include <QtTest>

#include <chrono>
#include <csignal>
#include <functional>
#include <random>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace testutil {

inline void killWritersRepeatedly(int rounds, int maxDelayUs, uint32_t seed, const std::function<void(int)>& writeForever,
                                  const std::function<void(int)>& afterKill) {
    std::mt19937 rng(seed);
    for (int round = 1; round <= rounds; ++round) {
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            writeForever(round);
            ::_exit(0);
        }
        std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, maxDelayUs)(rng)));
        QCOMPARE(::kill(child, SIGKILL), 0);
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the writer ended before it was killed");
        afterKill(round);
        if (QTest::currentTestFailed()) return;
    }
}

}  // namespace testutil
