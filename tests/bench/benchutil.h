#pragma once
// Small helpers the window benchmarks share: milliseconds of a duration, and a percentile of samples.
#include <algorithm>
#include <chrono>
#include <vector>

namespace benchutil {

inline double ms(std::chrono::steady_clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// The p-th percentile (0..100) of v: the sample at rank p/100 * n (clamped), 0 when v is empty.
inline double pct(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p / 100.0 * double(v.size())))];
}

}  // namespace benchutil
