// linearRows on AVX2 (chosen at run time, see kernels.cpp): the 8 partial sums in one 8-float register, reduced
// exactly as the SSE2 path reduces them, so both give the same bits. Built with -mavx2 but NOT -mfma, and with
// -ffp-contract=off (core/CMakeLists.txt). Nothing here may be an inline function shared with other translation
// units (the linker could pick this AVX2 copy for an SSE2-only caller): the body sits in an anonymous namespace and
// includes no Eigen and no std templates.
#include "core/nn/kernels_isa.h"

#include <immintrin.h>

namespace ar::nn::isa {

namespace {
struct Avx2 {
    using Acc = __m256;
    static constexpr int kTile = 8;
    static Acc zero() { return _mm256_setzero_ps(); }
    static Acc load(const float* p) { return _mm256_loadu_ps(p); }
    static Acc mulAdd(Acc a, Acc x, Acc w) { return _mm256_add_ps(a, _mm256_mul_ps(x, w)); }
    static float reduce(Acc a) {
        const __m128 c = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));  // a0+a4, ..., a3+a7
        const __m128 d = _mm_add_ps(c, _mm_movehl_ps(c, c));
        return _mm_cvtss_f32(_mm_add_ss(d, _mm_shuffle_ps(d, d, 1)));
    }
};
#include "core/nn/kernels_body.h"
}  // namespace

void linearRowsAvx2(const float* x, long xs, long n, const float* w, long in, long o0, long o1, const float* bias, float* y,
                    long ys) {
    linearRowsBody<Avx2>(x, xs, n, w, in, o0, o1, bias, y, ys);
}

}  // namespace ar::nn::isa
