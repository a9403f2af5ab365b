#include "core/decoding/speculativespeed.h"

#include "core/error.h"

#include <algorithm>
#include <chrono>

namespace ar {

namespace {
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }
}  // namespace

double SpeculativeSpeedRow::wallSpeedup() const {
    if (wallSpeedups.empty()) return 0;
    std::vector<double> s = wallSpeedups;
    std::sort(s.begin(), s.end());
    const size_t n = s.size();
    return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}
double SpeculativeSpeedRow::wallSpeedupMin() const { return wallSpeedups.empty() ? 0 : *std::min_element(wallSpeedups.begin(), wallSpeedups.end()); }
double SpeculativeSpeedRow::wallSpeedupMax() const { return wallSpeedups.empty() ? 0 : *std::max_element(wallSpeedups.begin(), wallSpeedups.end()); }

SpeculativeSpeed measureSpeculativeSpeed(const TinyGpt& target, const TinyGpt& draft, const Tokens& prompt,
                                         const SpeculativeSpeedOptions& o, const std::atomic<bool>* stop,
                                         const std::function<void(const SpeculativeSpeed&)>& progress) {
    if (o.runs < 1 || o.steps < 1 || o.maxGamma < 1 || o.maxGamma > 32 || o.repeats < 1)
        throw Error("speculative speed: runs, steps, repeats must be >= 1 and gamma in 1..32");
    const auto stopped = [&] { return stop && stop->load(); };
    SpeculativeSpeed out;
    out.tokens = (long long)o.runs * o.steps;
    out.arSeconds = 1e300;
    // plain AR once over the runs: its outputs, and a first time (each gamma times it again next to itself)
    const auto timeAr = [&](bool keep) {
        if (keep) out.arOutputs.clear();
        const auto t0 = Clock::now();
        for (int r = 0; r < o.runs && !stopped(); ++r) {
            SamplerSettings s = o.sampler;
            s.seed = uint64_t(r + 1);
            Tokens t = autoregressiveDecode(target, prompt, o.steps, s);
            if (keep) out.arOutputs.push_back(std::move(t));
        }
        const double seconds = since(t0);
        out.arSeconds = std::min(out.arSeconds, seconds);
        return seconds;
    };
    timeAr(true);
    if (stopped()) return out;
    if (progress) progress(out);
    for (int gamma = 1; gamma <= o.maxGamma && !stopped(); ++gamma) {
        SpeculativeSpeedRow row;
        row.gamma = gamma;
        row.seconds = row.arSeconds = 1e300;
        for (int rep = 0; rep < o.repeats && !stopped(); ++rep) {
            const double arSeconds = timeAr(false);
            row.outputs.clear();
            row.targetCalls = row.draftCalls = row.tokens = 0;
            double acc = 0, exp = 0;
            const auto t0 = Clock::now();
            for (int r = 0; r < o.runs && !stopped(); ++r) {
                SpeculativeOptions so;
                so.gamma = gamma;
                so.steps = o.steps;
                so.sampler = o.sampler;
                so.sampler.seed = uint64_t(r + 1);
                const SpeculativeResult res = speculativeDecode(target, draft, prompt, so);
                row.outputs.push_back(res.tokens);
                row.targetCalls += res.targetCalls;
                row.draftCalls += res.draftCalls;
                row.tokens += (long long)res.tokens.size();
                acc += res.acceptanceRate();
                exp += res.expectedAcceptance();
            }
            const double seconds = since(t0);
            if (stopped()) break;
            row.seconds = std::min(row.seconds, seconds);
            row.arSeconds = std::min(row.arSeconds, arSeconds);
            row.wallSpeedups.push_back(arSeconds / seconds);
            row.acceptance = acc / o.runs;
            row.expectedAcceptance = exp / o.runs;
        }
        if (stopped()) break;
        out.rows.push_back(row);
        if (progress) progress(out);
    }
    return out;
}

}  // namespace ar
