// Speculative decoding on the shipped toy-target (C 256, 4 layers) with toy-draft, against plain AR sampling
// from the target with the same sampler chain: wall time and target calls for gamma = 1..8, tokens per target
// call measured vs the theory (1 - alpha^(gamma+1)) / (1 - alpha) with alpha = the measured mean of
// sum min(p, q); and the output statistics of both (token frequencies: total variation distance between
// speculative and AR, next to the distance between two AR runs with different seeds, i.e. sampling noise).
// Single thread; 40 sequences of 60 tokens per setting. The wall time is timed in pairs
// (ar::measureSpeculativeSpeed, the same measurement the Parallel lesson shows): for each gamma, `--repeats`
// times (default 3; the lesson takes 5 pairs of smaller runs), plain AR and right after it speculative
// decoding; each pair gives one speedup, the row shows their median and the lowest to the highest.
// First the verify pass' cost: TinyGpt::extend over n = 1..8 rows against one row (what makes gamma pay).
// Target: the best gamma's median pair is >= 1.8x faster than plain AR. Exit code 1 when missed.
//
//   build/tests/bench/bench_core_speculative [--repeats N] [--max-gamma G]
#include "core/decoding/speculativespeed.h"
#include "core/io/safetensors.h"
#include "tests/testpaths.h"

#include <Eigen/Core>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace ar;

namespace {
const int kRuns = 40, kSteps = 60;

std::vector<double> frequencies(const std::vector<Tokens>& runs, int V) {
    std::vector<double> f(size_t(V), 0.0);
    double n = 0;
    for (const Tokens& t : runs)
        for (int id : t) {
            f[size_t(id)] += 1;
            n += 1;
        }
    for (double& x : f) x /= n;
    return f;
}
double tv(const std::vector<double>& a, const std::vector<double>& b) {
    double d = 0;
    for (size_t i = 0; i < a.size(); ++i) d += std::abs(a[i] - b[i]);
    return d / 2;
}
}  // namespace

int main(int argc, char** argv) {
    Eigen::setNbThreads(1);
    SpeculativeSpeedOptions o;  // plain sampling, T = 1
    o.runs = kRuns, o.steps = kSteps, o.maxGamma = 8, o.repeats = 3;
    for (int i = 1; i < argc; i += 2) {
        const std::string k = argv[i];
        const int v = i + 1 < argc ? std::atoi(argv[i + 1]) : 0;
        if (k == "--repeats" && v >= 1) o.repeats = v;
        else if (k == "--max-gamma" && v >= 1 && v <= 32) o.maxGamma = v;
        else {
            std::fprintf(stderr, "usage: bench_core_speculative [--repeats N >= 1] [--max-gamma 1..32]\n");
            return 2;
        }
    }
    const auto target = TinyGpt::fromSafetensors(readSafetensors(testutil::modelPath("toy-target")), "target");
    const auto draft = TinyGpt::fromSafetensors(readSafetensors(testutil::modelPath("toy-draft")), "draft");
    const Tokens prompt = {target->bosToken()};
    const int V = target->vocabSize();
    {   // one pass over n rows of one cache (the verify pass) vs one row, fastest of 200
        std::printf("| rows in one target pass | µs | x one row |\n|---|---|---|\n");
        double one = 0;
        for (int n = 1; n <= 8; ++n) {
            double best = 1e300;
            const Tokens feed(size_t(n), prompt[0]);
            for (int rep = 0; rep < 200; ++rep) {
                auto state = target->newState();
                target->extend(*state, prompt);
                const auto t0 = std::chrono::steady_clock::now();
                target->extend(*state, feed);
                best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
            }
            if (n == 1) one = best;
            std::printf("| %d | %.0f | %.2f |\n", n, 1e6 * best, best / one);
        }
        std::printf("\n");
    }
    const SpeculativeSpeed m = measureSpeculativeSpeed(*target, *draft, prompt, o);
    std::vector<Tokens> arRuns2;   // plain AR with other seeds: the size of sampling noise
    for (int r = 0; r < kRuns; ++r) {
        SamplerSettings ss = o.sampler;
        ss.seed = 100000 + uint64_t(r);
        arRuns2.push_back(autoregressiveDecode(*target, prompt, kSteps, ss));
    }
    const auto arFreq = frequencies(m.arOutputs, V);
    std::printf("plain AR: %.1f ms for %d x %d tokens at best (%.0f µs/token, 1 target call per token); %d pairs per gamma\n",
                1e3 * m.arSeconds, kRuns, kSteps, 1e6 * m.arSeconds / double(m.tokens), o.repeats);
    std::printf("sampling noise: TV distance of token frequencies between two AR runs = %.4f\n\n", tv(arFreq, frequencies(arRuns2, V)));
    std::printf("| gamma | acceptance (measured / sum min(p,q)) | tokens per target call (measured / theory) | "
                "target calls | wall time (fastest: speculative / AR) | speedup (wall: median pair, lowest-highest) | "
                "speedup (target calls) | TV vs AR |\n|---|---|---|---|---|---|---|---|\n");
    double bestSpeedup = 0;
    int bestGamma = 0;
    for (const SpeculativeSpeedRow& row : m.rows) {
        const double speedup = row.wallSpeedup();
        if (speedup > bestSpeedup) bestSpeedup = speedup, bestGamma = row.gamma;
        std::printf("| %d | %.3f / %.3f | %.2f / %.2f | %lld | %.1f / %.1f ms | **%.2fx** (%.2f-%.2f) | %.2fx | %.4f |\n", row.gamma,
                    row.acceptance, row.expectedAcceptance, row.tokensPerCall(),
                    expectedTokensPerCall(row.expectedAcceptance, row.gamma), row.targetCalls, 1e3 * row.seconds,
                    1e3 * row.arSeconds, speedup, row.wallSpeedupMin(), row.wallSpeedupMax(), row.tokensPerCall(),
                    tv(arFreq, frequencies(row.outputs, V)));
    }
    std::printf("\nbest gamma %d: %.2fx wall-time speedup over plain AR, median pair (target >= 1.8x)\n", bestGamma, bestSpeedup);
    const bool ok = bestSpeedup >= 1.8;
    std::printf("%s\n", ok ? "target met" : "TARGET MISSED");
    return ok ? 0 : 1;
}
