// linearRows on AVX2 (chosen at run time, see kernels.cpp): the 8 partial sums in one 8-float register, reduced
// exactly as the SSE2 path reduces them, so both give the same bits. Built with -mavx2 but NOT -mfma, and with
// -ffp-contract=off (core/CMakeLists.txt). Nothing here may be an inline function shared with other translation
// units (the linker could pick this AVX2 copy for an SSE2-only caller): the body sits in an anonymous namespace and
// includes no Eigen and no std templates.
#include "core/nn/kernels_isa.h"

#include <immintrin.h>

namespace ar::nn::isa {

namespace {
#include "core/nn/kernels_avx2.h"
#include "core/nn/kernels_body.h"
}  // namespace

void linearRowsAvx2(const float* x, long xs, long n, const float* w, long in, long o0, long o1, const float* bias, float* y,
                    long ys) {
    linearRowsBody<Avx2>(x, xs, n, w, in, o0, o1, bias, y, ys);
}

}  // namespace ar::nn::isa
