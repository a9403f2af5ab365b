// nn::transposeInto (the operand transposes of matmulNN / matmulTN until 3 December; the products now read their
// operands along their rows, kernels_product_body.h), in GB/s (bytes read + bytes written) on every
// instruction-set path the CPU has, 1 and 2 kernel threads, for the shapes of the README's training step
// (B*T = 768 rows, C = 128, 3C = 384, 4C = 512; a head's 64 x 32 slice of q/k/v rows 384 floats wide; T x T
// attention weights) and 512-row operands. Each figure is the best of many repetitions (the
// operands stay in the cache; in a training step they often do not, see README).
// Run: build/tests/bench/bench_core_transpose [--reps N]
#include "core/nn/kernels.h"
#include "core/nn/threads.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace ar;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
    int reps = 200;
    for (int i = 1; i + 1 < argc; ++i)
        if (!std::strcmp(argv[i], "--reps")) reps = std::max(3, std::atoi(argv[i + 1]));
    const Index shapes[][3] = {{64, 64, 64}, {64, 32, 32}, {64, 32, 384}, {64, 32, 128}, {768, 128, 128}, {768, 512, 512}, {768, 384, 384}, {512, 128, 128}, {128, 512, 512}};
    float sink = 0;
    for (nn::Isa isa : {nn::Isa::Sse2, nn::Isa::Avx2, nn::Isa::Avx512}) {
        if (!nn::isaSupported(isa)) continue;
        nn::setIsa(isa);
        for (int threads : {1, 2}) {
            nn::setKernelThreads(threads);
            for (const auto& s : shapes) {
                const Mat whole = Mat::Random(s[0], s[2]);
                const auto x = whole.leftCols(s[1]);
                Mat t;
                nn::transposeInto(x, t);  // warm-up, sizes out
                double best = 1e9;
                for (int r = 0; r < reps; ++r) {
                    const auto t0 = Clock::now();
                    for (int i = 0; i < 10; ++i) nn::transposeInto(x, t);
                    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count() / 10);
                    sink += t(0, 0);
                }
                std::printf("transpose %4ld x %-4ld (stride %3ld) %-6s %d thread%s  %7.2f us  %6.1f GB/s\n", long(s[0]), long(s[1]), long(s[2]),
                            nn::isaName(isa).c_str(), threads, threads == 1 ? " " : "s", best * 1e6,
                            2.0 * double(x.size()) * sizeof(float) / best / 1e9);
            }
        }
    }
    return sink == 12345.f ? 1 : 0;
}
