// erfArray / geluArray on AVX2 (chosen at run time, kernels_erf.cpp): 8 lanes in one register, the same operations
// as the SSE2 path lane by lane, so the same bits. Built with -mavx2 but NOT -mfma, and -ffp-contract=off
// (core/CMakeLists.txt); no Eigen, no std templates, the body in an anonymous namespace (see kernels_avx2.cpp).
#include "core/nn/kernels_isa.h"

#include <immintrin.h>

namespace ar::nn::isa {

namespace {
struct Avx2 {
    using Vec = __m256;
    static Vec set(float v) { return _mm256_set1_ps(v); }
    static Vec load(const float* p) { return _mm256_loadu_ps(p); }
    static void store(float* p, Vec v) { _mm256_storeu_ps(p, v); }
    static Vec add(Vec a, Vec b) { return _mm256_add_ps(a, b); }
    static Vec sub(Vec a, Vec b) { return _mm256_sub_ps(a, b); }
    static Vec mul(Vec a, Vec b) { return _mm256_mul_ps(a, b); }
    static Vec min(Vec a, Vec b) { return _mm256_min_ps(a, b); }
    static Vec lt(Vec a, Vec b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
    static Vec isNan(Vec a) { return _mm256_cmp_ps(a, a, _CMP_UNORD_Q); }
    static Vec andNot(Vec m, Vec a) { return _mm256_andnot_ps(m, a); }
    static Vec and_(Vec a, Vec b) { return _mm256_and_ps(a, b); }
    static Vec or_(Vec a, Vec b) { return _mm256_or_ps(a, b); }
    static Vec select(Vec m, Vec a, Vec b) { return _mm256_blendv_ps(b, a, m); }
    static int mask(Vec m) { return _mm256_movemask_ps(m); }
};
#include "core/nn/kernels_erf_body.h"
}  // namespace

void erfAvx2(const float* x, float* y, long n) { mapBody<Avx2, erf8<Avx2>>(x, y, n); }
void geluAvx2(const float* x, float* y, long n) { mapBody<Avx2, gelu8<Avx2>>(x, y, n); }
void geluErfAvx2(const float* x, float* y, float* e, long n) { geluErfBody<Avx2>(x, y, e, n); }

}  // namespace ar::nn::isa
