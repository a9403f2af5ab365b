#pragma once
// Process-wide allocator tuning for training loops. Call once at program start (arlab, arlab-cli, benchmarks).
//
// Why: glibc hands freed blocks of 128 KB and more straight back to the kernel (munmap, heap trimming). Training
// frees and reallocates the same large activation and gradient matrices every step, so every step page-faults
// them in again; on this project's benchmark MLP that makes forward+backward 4-5x slower
// (tests/bench/bench_core_gemm shows both figures). Keeping freed memory in the process removes that cost.
// No effect (and no harm) on other C libraries.
// Also: huge pages for a model's weights (writeOnHugePages, where weights are read from a file).
#include <cstddef>
#include <functional>

namespace ar {

// Returns true when the allocator was tuned (glibc), false when there was nothing to do.
bool tuneAllocator();

// Writes a buffer whole with write() (a model's weights read from a file) so that it ends up on transparent huge
// pages (2 MB): before, the buffer's 2 MB-aligned interior is advised (madvise MADV_HUGEPAGE) and dropped
// (MADV_DONTNEED), so write() faults it in again as huge pages; after, the two 2 MB pages at its edges, which it
// shares with its neighbours, are collapsed into huge pages in place (MADV_COLLAPSE, Linux 6.1+; contents kept).
// Why: a decode step streams every weight once, and with 4 KB pages the GPT-2 shape's 498 MB are 122,000 TLB
// misses per token, each a page walk (two-dimensional in a VM); with 2 MB pages they are ~250. Values are never
// changed by this; on a kernel without huge pages (or another OS) it is just write(). Returns the bytes advised.
size_t writeOnHugePages(void* p, size_t bytes, const std::function<void()>& write);

}  // namespace ar
