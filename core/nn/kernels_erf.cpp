// erfArray / geluArray's dispatcher: the instruction set kernels.cpp chose (activeIsa(); the AVX-512 path, which
// implies AVX2, runs erf's AVX2 copy). The arithmetic lives in kernels_erf_body.h.
#include "core/nn/kernels.h"

#include "core/nn/kernels_isa.h"

namespace ar::nn {

void erfArray(const float* x, float* y, Index n) {
    if (n > 0) (activeIsa() != Isa::Sse2 ? isa::erfAvx2 : isa::erfSse2)(x, y, n);
}

void geluArray(const float* x, float* y, Index n, float* erfOut) {
    if (n <= 0) return;
    if (erfOut) (activeIsa() != Isa::Sse2 ? isa::geluErfAvx2 : isa::geluErfSse2)(x, y, erfOut, n);
    else (activeIsa() != Isa::Sse2 ? isa::geluAvx2 : isa::geluSse2)(x, y, n);
}

}  // namespace ar::nn
