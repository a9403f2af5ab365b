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

// 8 x 8 floats through registers: pairs of rows interleaved, then 4-float halves gathered, then 128-bit halves.
struct Avx2Tile {
    static constexpr int kTile = 8;
    static void tile(const float* s, long ss, float* d, long ds) {
        __m256 t[8], u[8];
#pragma GCC unroll 4
        for (int k = 0; k < 4; ++k) {
            const __m256 a = _mm256_loadu_ps(s + 2 * k * ss), b = _mm256_loadu_ps(s + (2 * k + 1) * ss);
            t[2 * k] = _mm256_unpacklo_ps(a, b);      // per 128-bit half h: a[4h], b[4h], a[4h+1], b[4h+1]
            t[2 * k + 1] = _mm256_unpackhi_ps(a, b);  // a[4h+2], b[4h+2], a[4h+3], b[4h+3]
        }
#pragma GCC unroll 2
        for (int g = 0; g < 2; ++g) {  // rows 4g..4g+3: u[4g + j] half h = column 4h + j
            u[4 * g] = _mm256_shuffle_ps(t[4 * g], t[4 * g + 2], _MM_SHUFFLE(1, 0, 1, 0));
            u[4 * g + 1] = _mm256_shuffle_ps(t[4 * g], t[4 * g + 2], _MM_SHUFFLE(3, 2, 3, 2));
            u[4 * g + 2] = _mm256_shuffle_ps(t[4 * g + 1], t[4 * g + 3], _MM_SHUFFLE(1, 0, 1, 0));
            u[4 * g + 3] = _mm256_shuffle_ps(t[4 * g + 1], t[4 * g + 3], _MM_SHUFFLE(3, 2, 3, 2));
        }
#pragma GCC unroll 4
        for (int j = 0; j < 4; ++j) {
            _mm256_storeu_ps(d + j * ds, _mm256_permute2f128_ps(u[j], u[4 + j], 0x20));
            _mm256_storeu_ps(d + (4 + j) * ds, _mm256_permute2f128_ps(u[j], u[4 + j], 0x31));
        }
    }
};
#include "core/nn/kernels_transpose_body.h"
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

void transposeRowsAvx2(const float* x, long xs, long R, long C, long r0, long r1, float* out) {
    transposeRowsBody<Avx2Tile>(x, xs, R, C, r0, r1, out);
}

}  // namespace ar::nn::isa
