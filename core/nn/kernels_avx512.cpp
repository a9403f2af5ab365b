// linearRows on AVX-512 (chosen at run time, see kernels.cpp): a 16-float register holds the 8 partial sums of TWO
// outputs, [acc(r, o) | acc(r + 1, o)]: two input rows' 8 floats side by side (one load and one insert) times a weight
// row's 8 floats in both halves (one broadcast load), then added. Each lane gets exactly the multiply and the add of
// the AVX2 path's lane, so the same bits; each instruction does twice the work. Built with -mavx512f, NOT -mfma
// (GCC's -mavx512f lets the compiler use FMA instructions, so -ffp-contract=off is what keeps every product rounded
// before its add; core/CMakeLists.txt). The same rules as kernels_avx2.cpp: an anonymous namespace, no Eigen, no
// std templates.
//
// Blocks of 4 input rows take tiles of 4 rows x 8 weight rows (16 registers of sums: enough independent adds to
// hide their latency), then 4, 2 and 1 weight rows; the 1-3 rows left over take the AVX2 tiles (kernels_avx2.h).
#include "core/nn/kernels_isa.h"

#include <immintrin.h>

namespace ar::nn::isa {

namespace {
#include "core/nn/kernels_avx2.h"
#include "core/nn/kernels_body.h"

// [lo | hi]: two 8-float halves in one register (AVX512F only: the f64x4 forms move the same 256 bits).
inline __m512 pair(__m256 lo, __m256 hi) {
    return _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_castps_pd(lo)), _mm256_castps_pd(hi), 1));
}
inline __m512 both(const float* p) { return _mm512_castpd_ps(_mm512_broadcast_f64x4(_mm256_castps_pd(_mm256_loadu_ps(p)))); }
inline __m256 highHalf(__m512 v) { return _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)); }

// Avx2::reduceGroup on 16 accumulators at once: z[k] = [p_k | q_k] (k = 0..7) -> [s(p_0) .. s(p_7) | s(q_0) .. s(q_7)],
// each s the tree of kernels.h with the same two operands in the same order (c = lo + hi, d = (c0 + c2, c1 + c3),
// s = d0 + d1). Each 128-bit quarter holds one accumulator's step.
inline __m512 reducePairs(const __m512* z) {
    __m512 c[4];  // quarters [c(p_2m), c(q_2m), c(p_2m+1), c(q_2m+1)]
#pragma GCC unroll 4
    for (int m = 0; m < 4; ++m)
        c[m] = _mm512_add_ps(_mm512_shuffle_f32x4(z[2 * m], z[2 * m + 1], _MM_SHUFFLE(2, 0, 2, 0)),
                             _mm512_shuffle_f32x4(z[2 * m], z[2 * m + 1], _MM_SHUFFLE(3, 1, 3, 1)));
    // quarters [d(p0) d(p2) | d(q0) d(q2) | d(p1) d(p3) | d(q1) d(q3)], the same from c[2], c[3] for 4..7
    const __m512 d03 = _mm512_add_ps(_mm512_shuffle_ps(c[0], c[1], _MM_SHUFFLE(1, 0, 1, 0)),
                                     _mm512_shuffle_ps(c[0], c[1], _MM_SHUFFLE(3, 2, 3, 2)));
    const __m512 d47 = _mm512_add_ps(_mm512_shuffle_ps(c[2], c[3], _MM_SHUFFLE(1, 0, 1, 0)),
                                     _mm512_shuffle_ps(c[2], c[3], _MM_SHUFFLE(3, 2, 3, 2)));
    // quarters [s(p0) s(p2) s(p4) s(p6) | s(q0) s(q2) .. | s(p1) s(p3) .. | s(q1) s(q3) ..], then in order
    const __m512 t = _mm512_add_ps(_mm512_shuffle_ps(d03, d47, _MM_SHUFFLE(2, 0, 2, 0)),
                                   _mm512_shuffle_ps(d03, d47, _MM_SHUFFLE(3, 1, 3, 1)));
    return _mm512_permutexvar_ps(_mm512_setr_epi32(0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15), t);
}

// Rows x[0..4) against weight rows w[0..O): acc[h][o] = [acc(2h, o) | acc(2h + 1, o)].
template <int O>
__attribute__((always_inline)) inline void wideTile(const float* x, long xs, const float* w, long in, const float* bias,
                                                    float* y, long ys) {
    __m512 acc[2][O];
#pragma GCC unroll 8
    for (int o = 0; o < O; ++o) acc[0][o] = acc[1][o] = _mm512_setzero_ps();
    const long in8 = in & ~7L;
    for (long i = 0; i < in8; i += 8) {
        const __m512 x01 = pair(_mm256_loadu_ps(x + i), _mm256_loadu_ps(x + xs + i));
        const __m512 x23 = pair(_mm256_loadu_ps(x + 2 * xs + i), _mm256_loadu_ps(x + 3 * xs + i));
#pragma GCC unroll 8
        for (int o = 0; o < O; ++o) {
            const __m512 wv = both(w + o * in + i);
            acc[0][o] = _mm512_add_ps(acc[0][o], _mm512_mul_ps(x01, wv));
            acc[1][o] = _mm512_add_ps(acc[1][o], _mm512_mul_ps(x23, wv));
        }
    }
    // Each pair of rows: its 2 x O sums, padded with zero accumulators whose sums are dropped; each row's 8 lanes
    // then as the AVX2 tile of 1 row x O outputs finishes them (bias, store; or the input tail first).
#pragma GCC unroll 2
    for (int h = 0; h < 2; ++h) {
        __m512 z[8];
#pragma GCC unroll 8
        for (int k = 0; k < 8; ++k) z[k] = k < O ? acc[h][k] : _mm512_setzero_ps();
        const __m512 s = reducePairs(z);
        float* y0 = y + 2 * h * ys;
        if (in8 == in) {
            __m256 lo = _mm512_castps512_ps256(s), hi = highHalf(s);
            if (bias) {
                lo = Avx2::addBias<O>(lo, bias);
                hi = Avx2::addBias<O>(hi, bias);
            }
            storeRows<Avx2, 1, O>(lo, y0, ys);
            storeRows<Avx2, 1, O>(hi, y0 + ys, ys);
        } else {
            float sums[16];
            _mm512_storeu_ps(sums, s);
            const float* x0 = x + 2 * h * xs;
            finishRows<1, O>(sums, x0, xs, w, in, bias, y0, ys);
            finishRows<1, O>(sums + 8, x0 + xs, xs, w, in, bias, y0 + ys, ys);
        }
    }
}

// kernels_body.h's vector type with wide blocks of 4 rows: weight rows [0, count) 8 at a time, then 4, 2, 1.
struct Avx512 : Avx2 {
    static void fourRowsTimesBlock(const float* x, long xs, const float* w, long in, long count, const float* bias,
                                   float* y, long ys) {
        long o = 0;
        for (; o + 8 <= count; o += 8) wideTile<8>(x, xs, w + o * in, in, bias ? bias + o : nullptr, y + o, ys);
        if (o + 4 <= count) {
            wideTile<4>(x, xs, w + o * in, in, bias ? bias + o : nullptr, y + o, ys);
            o += 4;
        }
        if (o + 2 <= count) {
            wideTile<2>(x, xs, w + o * in, in, bias ? bias + o : nullptr, y + o, ys);
            o += 2;
        }
        if (o < count) wideTile<1>(x, xs, w + o * in, in, bias ? bias + o : nullptr, y + o, ys);
    }
};

// productRows' vector type (kernels_product_body.h): 16 neighbouring outputs per register, tiles of 8 rows x 2
// registers (16 registers of sums; a B load serves 8 multiplies, a broadcast A value 2).
struct Avx512Product {
    static constexpr int kLanes = 16, kRows = 8, kCols = 2;
    using Vec = __m512;
    static Vec zero() { return _mm512_setzero_ps(); }
    static Vec load(const float* p) { return _mm512_loadu_ps(p); }
    static Vec bcast(const float* p) { return _mm512_set1_ps(*p); }
    static Vec mul(Vec a, Vec b) { return _mm512_mul_ps(a, b); }
    static Vec add(Vec a, Vec b) { return _mm512_add_ps(a, b); }
    static void store(float* p, Vec v) { _mm512_storeu_ps(p, v); }
};
static_assert(Avx512Product::kRows <= kProductRows && kProductStrip % (Avx512Product::kCols * Avx512Product::kLanes) == 0);
#include "core/nn/kernels_product_body.h"
}  // namespace

void linearRowsAvx512(const float* x, long xs, long n, const float* w, long in, long o0, long o1, const float* bias, float* y,
                      long ys, bool stream) {
    linearRowsBody<Avx512>(x, xs, n, w, in, o0, o1, bias, y, ys, stream);
}

void productPackAvx512(const float* b, long bk, long bm, long K, long M, long m0, long m1, float* bp) {
    productPackBody<Avx512Product>(b, bk, bm, K, M, m0, m1, bp);
}

void productRowsAvx512(const float* a, long an, long ak, const float* bp, long K, long M, const float* bias, long n0, long n1,
                   float* y, long ys, float* ap) {
    productRowsBody<Avx512Product>(a, an, ak, bp, K, M, bias, n0, n1, y, ys, ap);
}

}  // namespace ar::nn::isa
