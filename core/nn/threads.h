#pragma once
// The kernels' threads: a pool that lives as long as the process and splits one kernel call into parts (a linear
// layer's output rows). Part p always covers the same outputs and each output is computed by exactly one thread
// in the kernel's fixed order, so 1, 2 or N threads give the same bits (tst_core_kernels).
//
// The count: setKernelThreads(n) (arlab-cli --threads N), else ARLAB_THREADS, else 1. A second caller that finds
// the pool busy (two decoding jobs at once) runs its parts itself rather than waiting.
#include <functional>
#include <string>

namespace ar::nn {

int kernelThreads();                        // 1..kMaxThreads; reads ARLAB_THREADS at the first call
void setKernelThreads(int n);               // throws ar::Error outside 1..kMaxThreads
int parseThreadCount(const std::string& s, const std::string& what);  // "2" -> 2; throws naming `what`
constexpr int kMaxThreads = 64;

// Runs part(0) .. part(parts - 1), spread over the calling thread and the pool's workers; returns when all are done.
// Exceptions must not leave part (kernels do not throw).
void parallelParts(int parts, const std::function<void(int)>& part);

// Whether work of this many multiply-adds, in `parts` independent parts, is worth splitting over the kernel threads:
// more than one thread and one part, and at least kMinSplit multiply-adds (with the pool's spinning waits a split
// costs ~1 us). The one threshold of linearRows (by output columns) and the KV-cached attention (by heads).
constexpr double kMinSplit = 1 << 15;
bool worthSplitting(double multiplyAdds, int parts);

// fn(lo, hi) over [0, n) in contiguous ranges: with more than one kernel thread and n >= minSplit, up to 4 ranges per
// thread taken by whichever thread is free (as linearRows' parts), else one range on the calling thread. For
// elementwise work (each element written by the range that holds it), whose result cannot depend on the split.
void parallelRanges(long n, long minSplit, const std::function<void(long lo, long hi)>& fn);

}  // namespace ar::nn
