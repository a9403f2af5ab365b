// The kernels' thread pool. One job at a time (the caller holds m_call): the caller publishes the job and opens
// it, workers and the caller take parts from an atomic counter, and the caller waits until every part is done,
// closes the job and waits until no worker is still inside it. A worker joins a job by counting itself active
// first and then checking that the job is open, so no worker can touch a job whose caller has returned.
//
// Waiting: a decode step calls the pool ~50-100 times per token, a few microseconds apart, and waking a sleeping
// thread costs ~10-100 us here (a futex and, in a VM, an inter-processor interrupt): more than a small product
// takes. So every wait spins first (kSpin, with the CPU's pause hint) and only then sleeps on a condition
// variable; a thread that makes a waited-for condition true notifies only when someone sleeps. Everything shared
// is atomic or under the mutex (the pool is TSan-clean).
#include "core/nn/threads.h"

#include "core/error.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace ar::nn {

namespace {

std::atomic<int> g_threads{0};  // 0: not read from ARLAB_THREADS yet

// How long a waiting thread spins before it sleeps: longer than the gaps between the products of one decode step,
// short enough not to hold a core of a busy machine for long (between two steps, during the sampler, the worker
// sleeps: one wake-up per token).
constexpr std::chrono::microseconds kSpin{50};

void pauseCpu() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#else
    std::this_thread::yield();
#endif
}

class Pool {
public:
    ~Pool() {
        m_quit.store(true);
        notify(m_workersAsleep, m_wake);
        for (std::thread& t : m_workers) t.join();
    }

    void run(int parts, int threads, const std::function<void(int)>& part) {
        std::unique_lock busy(m_call, std::try_to_lock);
        if (!busy.owns_lock() || threads <= 1) {  // one part, one thread, or another call holds the pool: run here
            for (int p = 0; p < parts; ++p) part(p);
            return;
        }
        while (int(m_workers.size()) < threads - 1) m_workers.emplace_back([this] { work(); });
        // The job's fields are written while it is closed and no worker is inside; opening it publishes them.
        m_job.store(&part, std::memory_order_relaxed);
        m_parts.store(parts, std::memory_order_relaxed);
        m_next.store(0, std::memory_order_relaxed);
        m_pending.store(parts, std::memory_order_relaxed);
        m_helpers.store(threads - 1, std::memory_order_relaxed);
        m_open.store(true);
        m_generation.fetch_add(1);
        notify(m_workersAsleep, m_wake);
        take(part);
        await([this] { return m_pending.load() == 0; }, m_callerAsleep, m_done);
        m_open.store(false);
        await([this] { return m_active.load() == 0; }, m_callerAsleep, m_done);
    }

private:
    // Spins until ready() (at most kSpin), then sleeps on cv until a notify(asleep, cv) finds it so.
    template <class Ready>
    void await(const Ready& ready, std::atomic<int>& asleep, std::condition_variable& cv) {
        const auto until = std::chrono::steady_clock::now() + kSpin;
        for (int i = 0; !ready(); ++i) {
            pauseCpu();
            if (i % 64 == 63 && std::chrono::steady_clock::now() > until) {
                std::unique_lock lock(m_mutex);
                asleep.fetch_add(1);  // seq_cst: either the notifier sees this count or ready() sees its change
                cv.wait(lock, ready);
                asleep.fetch_sub(1);
                return;
            }
        }
    }
    // After making a condition true: wakes whoever sleeps on it (taking the mutex, so a thread between its last
    // check and its sleep is not missed).
    void notify(const std::atomic<int>& asleep, std::condition_variable& cv) {
        if (asleep.load() == 0) return;
        { std::lock_guard lock(m_mutex); }
        cv.notify_all();
    }

    // Runs parts until none is left.
    void take(const std::function<void(int)>& part) {
        const int parts = m_parts.load(std::memory_order_relaxed);
        int ran = 0;
        for (int p = m_next.fetch_add(1); p < parts; p = m_next.fetch_add(1)) {
            part(p);
            ++ran;
        }
        if (ran && m_pending.fetch_sub(ran) == ran) notify(m_callerAsleep, m_done);
    }

    void work() {
        unsigned long long seen = 0;
        for (;;) {
            await([&] { return m_quit.load() || m_generation.load() != seen; }, m_workersAsleep, m_wake);
            if (m_quit.load()) return;
            seen = m_generation.load();
            m_active.fetch_add(1);  // first counted, then checked: a closed job is never touched
            if (m_open.load() && m_helpers.fetch_sub(1) > 0) take(*m_job.load(std::memory_order_relaxed));
            if (m_active.fetch_sub(1) == 1) notify(m_callerAsleep, m_done);
        }
    }

    std::mutex m_call;                       // one job at a time
    std::mutex m_mutex;                      // only for sleeping and waking
    std::condition_variable m_wake, m_done;  // workers wait for a job, the caller for its end
    std::vector<std::thread> m_workers;      // touched only by the caller holding m_call (and the destructor)
    std::atomic<const std::function<void(int)>*> m_job{nullptr};
    std::atomic<int> m_parts{0}, m_next{0};  // parts of the job, next part to take
    std::atomic<int> m_pending{0};           // parts not finished
    std::atomic<int> m_helpers{0};           // workers still wanted for the current job
    std::atomic<int> m_active{0};            // workers inside (or checking) the current job
    std::atomic<bool> m_open{false}, m_quit{false};
    std::atomic<unsigned long long> m_generation{0};
    std::atomic<int> m_workersAsleep{0}, m_callerAsleep{0};
};

Pool& pool() {
    static Pool p;
    return p;
}

}  // namespace

int parseThreadCount(const std::string& s, const std::string& what) {
    char* end = nullptr;
    const long v = std::strtol(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || v < 1 || v > kMaxThreads)
        throw Error(what + " '" + s + "' is not a thread count from 1 to " + std::to_string(kMaxThreads));
    return int(v);
}

int kernelThreads() {
    int n = g_threads.load(std::memory_order_relaxed);
    if (n == 0) {
        const char* env = std::getenv("ARLAB_THREADS");
        n = env && *env ? parseThreadCount(env, "ARLAB_THREADS") : 1;
        g_threads.store(n, std::memory_order_relaxed);
    }
    return n;
}

void setKernelThreads(int n) {
    if (n < 1 || n > kMaxThreads)
        throw Error("threads must be from 1 to " + std::to_string(kMaxThreads) + ", got " + std::to_string(n));
    g_threads.store(n, std::memory_order_relaxed);
}

bool worthSplitting(double multiplyAdds, int parts) { return parts > 1 && kernelThreads() > 1 && multiplyAdds >= kMinSplit; }

void parallelRanges(long n, long minSplit, const std::function<void(long lo, long hi)>& fn) {
    if (n <= 0) return;
    const int threads = kernelThreads();
    if (threads <= 1 || n < minSplit) {
        fn(0, n);
        return;
    }
    const int parts = int(std::min<long>(4L * threads, n));
    parallelParts(parts, [&](int p) { fn(n * p / parts, n * (p + 1) / parts); });
}

void parallelParts(int parts, const std::function<void(int)>& part) {
    if (parts <= 0) return;
    const int threads = std::min(kernelThreads(), parts);
    pool().run(parts, threads, part);
}

}  // namespace ar::nn
