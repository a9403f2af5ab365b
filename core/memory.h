#pragma once
// Process-wide allocator tuning for training loops. Call once at program start (arlab, arlab-cli, benchmarks).
//
// Why: glibc hands freed blocks of 128 KB and more straight back to the kernel (munmap, heap trimming). Training
// frees and reallocates the same large activation and gradient matrices every step, so every step page-faults
// them in again; on this project's benchmark MLP that makes forward+backward 4-5x slower
// (tests/bench/bench_core_gemm shows both figures). Keeping freed memory in the process removes that cost.
// No effect (and no harm) on other C libraries.
namespace ar {

// Returns true when the allocator was tuned (glibc), false when there was nothing to do.
bool tuneAllocator();

}  // namespace ar
