// Core speed: a 128x128 float GEMM (Eigen, row-major as in arcore; then the shared kernel's linearRows and
// matmulTN) and forward+backward of a small MLP through the autograd (64 -> 256 -> 256 -> 10, batch 64, ReLU,
// cross-entropy). Prints the median of many repetitions, GFLOP/s, and the share of this CPU's theoretical
// single-core peak for the SIMD width this build targets:
//   peak = clock x FLOPs/cycle. The clock is MEASURED (a chain of dependent 64-bit multiplies, 3 cycles each on
//   every x86-64 core of the last 15 years), so turbo and virtual machines are accounted for. FLOPs/cycle for the build's SIMD width:
//   SSE2 (no FMA): 4 lanes x (1 add + 1 mul pipe) = 8 on Intel, x (2 add + 2 mul pipes) = 16 on AMD Zen;
//   AVX2 + FMA: 2 FMA units x 8 lanes x 2 = 32;  AVX-512: 64.
// Run: build-*/tests/bench/bench_core_gemm [--reps N]
#include "core/autograd/ops.h"
#include "core/memory.h"
#include "core/nn/kernels.h"
#include "core/nn/linear.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

using namespace ar;
using Clock = std::chrono::steady_clock;

namespace {

struct CpuInfo {
    std::string model = "unknown";
    double mhz = 0;            // clock used for the peak
    std::string mhzSource = "none";
    bool avx2 = false, fma = false, avx512 = false;
    bool amd = false;
};

// The clock this core runs at now: 20 dependent 64-bit multiplies per iteration take 60 cycles (imul r64 has a
// latency of 3 cycles on every Intel core since Core 2 and every AMD Zen). A chain of dependent `add $1` is not
// safe: recent Intel cores (Golden Cove and later) fold such adds in the renamer, which read 23 GHz here. Many
// short rounds (~1 ms each), the fastest kept: a round the scheduler did not interrupt.
double measureClockMhz() {
#if defined(__x86_64__)
    const long iterations = 20'000;
    double best = 0;
    for (int round = 0; round < 1000; ++round) {
        unsigned long x = 3, one = 1;
        const auto t0 = Clock::now();
        for (long i = 0; i < iterations; ++i) {
            asm volatile(
                "imul %1, %0\n\timul %1, %0\n\timul %1, %0\n\timul %1, %0\n\timul %1, %0\n\t"
                "imul %1, %0\n\timul %1, %0\n\timul %1, %0\n\timul %1, %0\n\timul %1, %0\n\t"
                "imul %1, %0\n\timul %1, %0\n\timul %1, %0\n\timul %1, %0\n\timul %1, %0\n\t"
                "imul %1, %0\n\timul %1, %0\n\timul %1, %0\n\timul %1, %0\n\timul %1, %0"
                : "+r"(x)
                : "r"(one));
        }
        const double sec = std::chrono::duration<double>(Clock::now() - t0).count();
        best = std::max(best, 60.0 * double(iterations) / sec / 1e6);
    }
    return best;
#else
    return 0;
#endif
}

CpuInfo readCpuInfo() {
    CpuInfo c;
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string key = line.substr(0, colon);
        key.erase(key.find_last_not_of(" \t") + 1);
        const std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
        if (key == "model name" && c.model == "unknown") c.model = value;
        if (key == "vendor_id") c.amd = value == "AuthenticAMD";
        if (key == "cpu MHz" && c.mhz == 0) {
            c.mhz = std::atof(value.c_str());
            c.mhzSource = "/proc/cpuinfo cpu MHz";
        }
        if (key == "flags" && !c.avx2) {
            const std::string f = " " + value + " ";
            c.avx2 = f.find(" avx2 ") != std::string::npos;
            c.fma = f.find(" fma ") != std::string::npos;
            c.avx512 = f.find(" avx512f ") != std::string::npos;
        }
    }
    // a nominal clock in the model name ("... @ 2.20GHz") wins over the momentary "cpu MHz"
    if (auto at = c.model.find("@ "); at != std::string::npos) {
        const double ghz = std::atof(c.model.c_str() + at + 2);
        if (ghz > 0) {
            c.mhz = ghz * 1000;
            c.mhzSource = "model name";
        }
    }
    std::ifstream maxFreq("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq");
    double khz = 0;
    if (maxFreq >> khz && khz > 0) {
        c.mhz = khz / 1000;
        c.mhzSource = "cpufreq cpuinfo_max_freq";
    }
    if (const double measured = measureClockMhz(); measured > 0) {
        std::printf("clock: nominal %.0f MHz (%s), measured %.0f MHz (dependent-multiply chain)\n", c.mhz,
                    c.mhzSource.c_str(), measured);
        c.mhz = measured;
        c.mhzSource = "measured";
    }
    return c;
}

const char* buildTarget(bool amd, int& flopsPerCycle) {
#if defined(__AVX512F__)
    flopsPerCycle = 64;
    return "AVX-512 + FMA";
#elif defined(__AVX2__) && defined(__FMA__)
    flopsPerCycle = 32;
    return "AVX2 + FMA";
#elif defined(__AVX__)
    flopsPerCycle = amd ? 32 : 16;
    return "AVX (no FMA)";
#else
    flopsPerCycle = amd ? 16 : 8;
    return "SSE2 (no FMA)";
#endif
}

double g_best = 0;  // fastest sample of the last medianSeconds() call (less sensitive to other load)

template <class F>
double medianSeconds(int samples, int inner, F&& f) {
    std::vector<double> t;
    t.reserve(size_t(samples));
    f();  // warm-up
    for (int s = 0; s < samples; ++s) {
        const auto t0 = Clock::now();
        for (int i = 0; i < inner; ++i) f();
        t.push_back(std::chrono::duration<double>(Clock::now() - t0).count() / inner);
    }
    std::sort(t.begin(), t.end());
    g_best = t.front();
    return t[t.size() / 2];
}

float g_sink = 0;  // keeps results alive

void runMlp(int reps, double peak, const char* label) {
    Rng rng(2);
    const int B = 64, D = 64, H = 256, K = 10;
    nn::Linear l1(D, H, true, rng), l2(H, H, true, rng), l3(H, K, true, rng);
    Mat x(B, D);
    for (Index i = 0; i < x.size(); ++i) x.data()[i] = float(rng.normal());
    std::vector<int> y(B);
    for (int& t : y) t = int(rng.below(K));
    ParamList ps;
    l1.collect(ps, "l1.");
    l2.collect(ps, "l2.");
    l3.collect(ps, "l3.");
    const auto step = [&] {
        Var logits = l3.forward(ops::relu(l2.forward(ops::relu(l1.forward(Var(x))))));
        Var loss = ops::crossEntropy(logits, y);
        backward(loss);
        g_sink += loss.item();
        for (auto& p : ps) p.var.zeroGrad();
    };
    const double sec = medianSeconds(reps, 5, step);
    // matmul FLOPs: forward 2*B*(D*H + H*H + H*K); backward twice that (input and weight gradients)
    const double flops = 3.0 * 2.0 * B * (double(D) * H + double(H) * H + double(H) * K);
    std::printf("MLP 64-256-256-10 batch 64, fwd+bwd   %8.1f us  %6.2f GFLOP/s  %5.1f%% of peak  (best %.2f = %.0f%%)  [%s]\n",
                sec * 1e6, flops / sec / 1e9, 100 * flops / sec / 1e9 / peak, flops / g_best / 1e9,
                100 * flops / g_best / 1e9 / peak, label);
    NoGradGuard ng;
    const double fsec = medianSeconds(reps, 5, [&] {
        Var logits = l3.forward(ops::relu(l2.forward(ops::relu(l1.forward(Var(x))))));
        g_sink += logits.value()(0, 0);
    });
    std::printf("MLP 64-256-256-10 batch 64, forward   %8.1f us  %6.2f GFLOP/s  %5.1f%% of peak  (best %.2f = %.0f%%)  [%s]\n",
                fsec * 1e6, flops / 3 / fsec / 1e9, 100 * flops / 3 / fsec / 1e9 / peak, flops / 3 / g_best / 1e9,
                100 * flops / 3 / g_best / 1e9 / peak, label);
}

}  // namespace

int main(int argc, char** argv) {
    int reps = 301;
    for (int i = 1; i + 1 < argc; ++i)
        if (!std::strcmp(argv[i], "--reps")) reps = std::max(3, std::atoi(argv[i + 1]));

    const CpuInfo cpu = readCpuInfo();
    int fpc = 8;
    const char* target = buildTarget(cpu.amd, fpc);
    const double peak = cpu.mhz * 1e6 * fpc / 1e9;  // GFLOP/s, one core
    std::printf("CPU: %s, %.0f MHz (%s); supports%s%s%s\n", cpu.model.c_str(), cpu.mhz, cpu.mhzSource.c_str(),
                cpu.avx2 ? " avx2" : "", cpu.fma ? " fma" : "", cpu.avx512 ? " avx512f" : "");
    std::printf("Build targets: %s -> %d FLOP/cycle -> single-core peak %.1f GFLOP/s\n", target, fpc, peak);
    std::printf("Eigen SIMD: %s; each figure is the median of %d samples\n\n", Eigen::SimdInstructionSetsInUse(), reps);

    // 1. GEMM 128 x 128 x 128
    {
        Rng rng(1);
        const Index n = 128;
        Mat a(n, n), b(n, n), c(n, n);
        for (Index i = 0; i < a.size(); ++i) a.data()[i] = float(rng.uniform(-1, 1));
        for (Index i = 0; i < b.size(); ++i) b.data()[i] = float(rng.uniform(-1, 1));
        const double sec = medianSeconds(reps, 20, [&] {
            c.noalias() = a * b;
            g_sink += c(0, 0);
        });
        const double gflops = 2.0 * n * n * n / sec / 1e9;
        std::printf("GEMM 128x128x128                      %8.1f us  %6.2f GFLOP/s  %5.1f%% of peak  (best %.2f GFLOP/s = %.0f%%)\n",
                    sec * 1e6, gflops, 100 * gflops / peak, 2.0 * n * n * n / g_best / 1e9,
                    100 * 2.0 * n * n * n / g_best / 1e9 / peak);
        // The shared kernel every decode step calls (nn::linearRows: y = x W^T, fixed reduction order, no FMA), on
        // every instruction-set path this CPU has (the same bits on each), against two ceilings of one core: the
        // path's multiply-then-add ceiling (2 vector units, a multiply and an add per lane: SSE2 8, AVX2 16,
        // AVX-512 32 FLOP/cycle) and its FMA peak (SSE2 8, AVX2 32, AVX-512 64), which the kernel gives up to keep
        // the same bits on every x86-64 CPU. Then training's weight gradient dW = dY^T X (productRows: both operands
        // read along their rows, linearRows' order). "(default)" marks the path chosen without ARLAB_ISA.
        const nn::Isa chosen = nn::activeIsa();
        for (nn::Isa isa : {nn::Isa::Sse2, nn::Isa::Avx2, nn::Isa::Avx512}) {
            if (!nn::isaSupported(isa)) continue;
            nn::setIsa(isa);
            const int lanes = isa == nn::Isa::Avx512 ? 16 : isa == nn::Isa::Avx2 ? 8 : 4;
            const double mulAddPeak = cpu.mhz * 1e6 * 2 * lanes / 1e9, fmaPeak = isa == nn::Isa::Sse2 ? mulAddPeak : 2 * mulAddPeak;
            const std::string name = nn::isaName(isa) + (isa == chosen ? ", default" : "");
            for (int op = 0; op < 2; ++op) {
                const double ksec = medianSeconds(reps, 20, [&] {
                    c = op == 0 ? nn::linearRows(a, b) : nn::matmulTN(a, b);
                    g_sink += c(0, 0);
                });
                const double kgflops = 2.0 * n * n * n / ksec / 1e9, best = 2.0 * n * n * n / g_best / 1e9;
                std::printf("%-38s %8.1f us  %6.2f GFLOP/s  %5.1f%% of mul+add peak %.1f, %5.1f%% of FMA peak %.1f  (best %.2f GFLOP/s = %.0f%%)\n",
                            ((op == 0 ? "linearRows 128x128x128 (" : "matmulTN 128x128x128 (dW, ") + name + ")").c_str(),
                            ksec * 1e6, kgflops, 100 * kgflops / mulAddPeak, mulAddPeak, 100 * kgflops / fmaPeak, fmaPeak, best,
                            100 * best / mulAddPeak);
            }
        }
        nn::setIsa(chosen);
    }

    // 2. MLP forward + backward through the autograd, first with glibc's default allocator settings, then tuned
    runMlp(reps, peak, "default malloc");
    const bool tuned = tuneAllocator();
    runMlp(reps, peak, tuned ? "tuneAllocator()" : "tuneAllocator() (no effect here)");
    std::printf("\nThe peak uses the measured clock; load from other processes lowers the median (the best sample less).\n");
    std::printf("(sink %g)\n", double(g_sink));
    return 0;
}
