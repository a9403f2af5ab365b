// glibc's variants of the scalar libm functions arcore's numerics call per element (std::exp on floats in GELU's
// backward and in a row softmax's last n mod 4 elements, std::log in log-softmax). glibc picks a variant at run time
// (an FMA one on CPUs with FMA and AVX2, the SSE2 one before: Intel Haswell, AMD Piledriver), so "same seed, same
// file" across x86-64 CPUs needs those variants to agree. This runs itself twice, once as the CPU allows and once
// with GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA (the SSE2 variants), over EVERY float input, and prints each
// input where the two disagree. Not a test: it takes about a minute on 2 cores.
// Run: build/tests/bench/bench_core_libm
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>

#include <unistd.h>

namespace {

float fromBits(uint32_t u) {
    float x;
    std::memcpy(&x, &u, 4);
    return x;
}
uint32_t bitsOf(float x) {
    uint32_t u;
    std::memcpy(&u, &x, 4);
    return u;
}

// Child: for each function, every input whose result differs from the double-precision function rounded to float
// (~0.008% of them), as "name input result" lines. Two variants that differ anywhere differ in these lists.
int listNearMisses() {
    for (uint64_t i = 0; i < (uint64_t(1) << 32); ++i) {
        const float x = fromBits(uint32_t(i));
        if (x > -104.0f && x < 89.0f) {  // where expf is neither 0 nor inf
            const volatile float y = std::exp(x);
            if (y != float(std::exp(double(x)))) std::printf("expf %08x %08x\n", unsigned(i), unsigned(bitsOf(y)));
        }
        if (x > 0.0f && std::isfinite(x)) {
            const volatile float y = std::log(x);
            if (y != float(std::log(double(x)))) std::printf("logf %08x %08x\n", unsigned(i), unsigned(bitsOf(y)));
        }
    }
    return 0;
}

std::set<std::string> run(const std::string& env) {
    std::set<std::string> lines;
    char self[4096] = {};
    if (readlink("/proc/self/exe", self, sizeof self - 1) <= 0) return lines;
    const std::string cmd = env + " '" + self + "' --child";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return lines;
    char buf[128];
    while (std::fgets(buf, sizeof buf, p)) lines.insert(buf);
    pclose(p);
    return lines;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], "--child") == 0) return listNearMisses();
    std::printf("every float input of expf and logf, this CPU's glibc variant against the SSE2 variant (~1 min)...\n");
    std::fflush(stdout);
    const std::set<std::string> native = run("env -u GLIBC_TUNABLES"),
                                sse2 = run("env GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA");
    int differ = 0;
    for (const auto& l : native)
        if (!sse2.count(l)) std::printf("this CPU's variant: %s", l.c_str()), ++differ;
    for (const auto& l : sse2)
        if (!native.count(l)) std::printf("SSE2 variant:       %s", l.c_str()), ++differ;
    std::printf("%zu and %zu near-misses; %d lines differ (each line: function, input bits, result bits)\n", native.size(),
                sse2.size(), differ);
    return 0;
}
