// The kernels' thread pool. One job at a time: the caller publishes the job under the mutex, workers and the
// caller take parts from an atomic counter, and the caller waits until every part is done. Everything shared is
// either under the mutex or atomic (the pool is TSan-clean).
#include "core/nn/threads.h"

#include "core/error.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace ar::nn {

namespace {

std::atomic<int> g_threads{0};  // 0: not read from ARLAB_THREADS yet

class Pool {
public:
    ~Pool() {
        {
            std::lock_guard lock(m_mutex);
            m_quit = true;
        }
        m_wake.notify_all();
        for (std::thread& t : m_workers) t.join();
    }

    void run(int parts, int threads, const std::function<void(int)>& part) {
        std::unique_lock busy(m_call, std::try_to_lock);
        if (!busy.owns_lock() || threads <= 1) {  // one part, one thread, or another call holds the pool: run here
            for (int p = 0; p < parts; ++p) part(p);
            return;
        }
        {
            std::lock_guard lock(m_mutex);
            while (int(m_workers.size()) < threads - 1) m_workers.emplace_back([this] { work(); });
            m_job = &part;
            m_parts.store(parts);
            m_next.store(0);
            m_pending = parts;
            m_helpers = threads - 1;
            ++m_generation;
        }
        m_wake.notify_all();
        take(part);
        std::unique_lock lock(m_mutex);
        m_done.wait(lock, [this] { return m_pending == 0 && m_active == 0; });
        m_helpers = 0;  // a worker that wakes only now must not join a finished job
        m_job = nullptr;
    }

private:
    // Runs parts until none is left.
    void take(const std::function<void(int)>& part) {
        int ran = 0;
        for (int p = m_next.fetch_add(1); p < m_parts.load(); p = m_next.fetch_add(1)) {
            part(p);
            ++ran;
        }
        if (ran) {
            std::lock_guard lock(m_mutex);
            m_pending -= ran;
            if (m_pending == 0) m_done.notify_all();
        }
    }

    void work() {
        unsigned long long seen = 0;
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_wake.wait(lock, [&] { return m_quit || (m_generation != seen && m_helpers > 0); });
            if (m_quit) return;
            seen = m_generation;
            --m_helpers;
            ++m_active;
            const std::function<void(int)>* job = m_job;
            lock.unlock();
            take(*job);
            lock.lock();
            --m_active;
            if (m_pending == 0 && m_active == 0) m_done.notify_all();
        }
    }

    std::mutex m_call;                       // one job at a time
    std::mutex m_mutex;                      // everything below but the atomics
    std::condition_variable m_wake, m_done;
    std::vector<std::thread> m_workers;
    const std::function<void(int)>* m_job = nullptr;
    int m_pending = 0;                       // parts not finished
    int m_helpers = 0;                       // workers still wanted for the current job
    int m_active = 0;                        // workers inside the current job
    std::atomic<int> m_next{0}, m_parts{0};  // next part to take, parts of the job
    unsigned long long m_generation = 0;
    bool m_quit = false;
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

void parallelParts(int parts, const std::function<void(int)>& part) {
    if (parts <= 0) return;
    const int threads = std::min(kernelThreads(), parts);
    pool().run(parts, threads, part);
}

}  // namespace ar::nn
