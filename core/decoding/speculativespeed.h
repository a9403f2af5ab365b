#pragma once
// What speculative decoding buys, measured: plain AR sampling from the target (one target call per token)
// against speculative decoding with a draft (core/decoding/speculative.h) for gamma = 1..maxGamma, on `runs`
// sequences of `steps` tokens each (sampler seeds 1..runs, so every gamma decodes the same runs). The machine
// may be shared, so the timing is paired: for each gamma, `repeats` times, plain AR is timed and right after it
// speculative decoding, and each pair gives one wall-time speedup (that AR time / that speculative time) under
// the same load. wallSpeedups holds them; the row reports their median and spread. The speedup in target calls
// is tokens / targetCalls, to be compared with expectedTokensPerCall(expectedAcceptance, gamma). Used by
// tests/bench/bench_core_speculative and the GUI's Parallel lesson. Single-threaded in the caller's thread.
#include "core/decoding/speculative.h"

#include <atomic>
#include <functional>

namespace ar {

struct SpeculativeSpeedRow {
    int gamma = 0;
    double seconds = 0;              // fastest of the repeats, all runs
    double arSeconds = 0;            // plain AR timed next to it: fastest of its repeats
    std::vector<double> wallSpeedups;   // per repeat: plain AR seconds / speculative seconds, timed one after the other
    long long targetCalls = 0, draftCalls = 0, tokens = 0;
    double acceptance = 0;           // mean over the runs of accepted / examined drafts
    double expectedAcceptance = 0;   // mean over the runs of the mean sum_x min(p, q)
    std::vector<Tokens> outputs;     // per run (the last repeat: every repeat gives the same tokens)
    double tokensPerCall() const { return targetCalls ? double(tokens) / double(targetCalls) : 0; }
    double wallSpeedup() const;      // the median of wallSpeedups (0 when none)
    double wallSpeedupMin() const;
    double wallSpeedupMax() const;
};

struct SpeculativeSpeed {
    double arSeconds = 0;            // plain AR, fastest of all its timings, all runs
    long long tokens = 0;            // runs x steps
    std::vector<Tokens> arOutputs;   // per run
    std::vector<SpeculativeSpeedRow> rows;   // gamma = 1, 2, ...
};

struct SpeculativeSpeedOptions {
    int runs = 40, steps = 60, maxGamma = 8, repeats = 3;
    SamplerSettings sampler;         // seed is replaced by 1..runs
};

// `progress` (optional) is called after plain AR and after each gamma with what is measured so far; `stop`
// (optional) ends the measurement early (the result then holds the rows finished so far).
SpeculativeSpeed measureSpeculativeSpeed(const TinyGpt& target, const TinyGpt& draft, const Tokens& prompt,
                                         const SpeculativeSpeedOptions& options, const std::atomic<bool>* stop = nullptr,
                                         const std::function<void(const SpeculativeSpeed&)>& progress = {});

}  // namespace ar
