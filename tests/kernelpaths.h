#pragma once
// The kernels' instruction-set paths a test must run every check on, and a guard that puts the process' choice
// back when the test ends (tst_core_kernels, tst_core_erf).
//   paths()    SSE2 always, AVX2 and AVX-512 when this CPU has them
//   IsaGuard   restores the active instruction set and the kernel thread count on destruction
#include "core/nn/kernels.h"
#include "core/nn/threads.h"

#include <vector>

namespace testutil {

inline std::vector<ar::nn::Isa> paths() {
    std::vector<ar::nn::Isa> out{ar::nn::Isa::Sse2};
    for (ar::nn::Isa isa : {ar::nn::Isa::Avx2, ar::nn::Isa::Avx512})
        if (ar::nn::isaSupported(isa)) out.push_back(isa);
    return out;
}

struct IsaGuard {
    ar::nn::Isa saved = ar::nn::activeIsa();
    int threads = ar::nn::kernelThreads();
    ~IsaGuard() {
        ar::nn::setIsa(saved);
        ar::nn::setKernelThreads(threads);
    }
};

}  // namespace testutil
