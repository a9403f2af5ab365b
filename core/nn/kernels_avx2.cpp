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

// productRows' vector type (kernels_product_body.h): 8 neighbouring outputs per register, tiles of 4 rows x 2
// registers (8 registers of sums of the 16).
struct Avx2Product {
    static constexpr int kLanes = 8, kRows = 4, kCols = 2;
    using Vec = __m256;
    static Vec zero() { return _mm256_setzero_ps(); }
    static Vec load(const float* p) { return _mm256_loadu_ps(p); }
    static Vec bcast(const float* p) { return _mm256_broadcast_ss(p); }
    static Vec mul(Vec a, Vec b) { return _mm256_mul_ps(a, b); }
    static Vec add(Vec a, Vec b) { return _mm256_add_ps(a, b); }
    static void store(float* p, Vec v) { _mm256_storeu_ps(p, v); }
};
static_assert(Avx2Product::kRows <= kProductRows && kProductStrip % (Avx2Product::kCols * Avx2Product::kLanes) == 0);
#include "core/nn/kernels_product_body.h"
}  // namespace

void linearRowsAvx2(const float* x, long xs, long n, const float* w, long in, long o0, long o1, const float* bias, float* y,
                    long ys, bool stream) {
    linearRowsBody<Avx2>(x, xs, n, w, in, o0, o1, bias, y, ys, stream);
}

void productPackAvx2(const float* b, long bk, long bm, long K, long M, long m0, long m1, float* bp) {
    productPackBody<Avx2Product>(b, bk, bm, K, M, m0, m1, bp);
}

void productRowsAvx2(const float* a, long an, long ak, const float* bp, long K, long M, const float* bias, long n0, long n1,
                   float* y, long ys, float* ap) {
    productRowsBody<Avx2Product>(a, an, ak, bp, K, M, bias, n0, n1, y, ys, ap);
}

}  // namespace ar::nn::isa
