// linearRows on SSE2, which every x86-64 CPU has: the 8 partial sums in two 4-float registers. Built with
// -ffp-contract=off (core/CMakeLists.txt): no multiply and add is ever fused, whatever -m flags the build adds.
#include "core/nn/kernels_isa.h"

#include <emmintrin.h>

namespace ar::nn::isa {

namespace {
struct Sse2 {
    struct Acc { __m128 lo, hi; };  // partial sums 0..3 and 4..7
    static constexpr int kTile = 4;
    static Acc zero() { return {_mm_setzero_ps(), _mm_setzero_ps()}; }
    static Acc load(const float* p) { return {_mm_loadu_ps(p), _mm_loadu_ps(p + 4)}; }
    static Acc mulAdd(Acc a, Acc x, Acc w) { return {_mm_add_ps(a.lo, _mm_mul_ps(x.lo, w.lo)), _mm_add_ps(a.hi, _mm_mul_ps(x.hi, w.hi))}; }
    static float reduce(Acc a) {
        const __m128 c = _mm_add_ps(a.lo, a.hi);              // a0+a4, a1+a5, a2+a6, a3+a7
        const __m128 d = _mm_add_ps(c, _mm_movehl_ps(c, c));  // (a0+a4)+(a2+a6), (a1+a5)+(a3+a7)
        return _mm_cvtss_f32(_mm_add_ss(d, _mm_shuffle_ps(d, d, 1)));
    }
    // reduce() of 4 accumulators at once: c = lo + hi each, then d = (c0 + c2, c1 + c3) two accumulators per
    // register, then s = d0 + d1 all four in one add, the operands in reduce()'s order.
    static constexpr int kGroup = 4;
    using Sums = __m128;
    static Sums reduceGroup(const Acc* a) {
        const __m128 c0 = _mm_add_ps(a[0].lo, a[0].hi), c1 = _mm_add_ps(a[1].lo, a[1].hi);
        const __m128 c2 = _mm_add_ps(a[2].lo, a[2].hi), c3 = _mm_add_ps(a[3].lo, a[3].hi);
        const __m128 d01 = _mm_add_ps(_mm_movelh_ps(c0, c1), _mm_movehl_ps(c1, c0));  // d0 d0' d1 d1'
        const __m128 d23 = _mm_add_ps(_mm_movelh_ps(c2, c3), _mm_movehl_ps(c3, c2));  // d2 d2' d3 d3'
        return _mm_add_ps(_mm_shuffle_ps(d01, d23, _MM_SHUFFLE(2, 0, 2, 0)), _mm_shuffle_ps(d01, d23, _MM_SHUFFLE(3, 1, 3, 1)));
    }
    static void storeSums(Sums s, float* out) { _mm_storeu_ps(out, s); }
    template <int O>
    static Sums addBias(Sums s, const float* b) {
        if constexpr (O == 4) return _mm_add_ps(s, _mm_loadu_ps(b));
        else if constexpr (O == 2) {
            const __m128 pair = _mm_loadl_pi(_mm_setzero_ps(), reinterpret_cast<const __m64*>(b));  // b0 b1 0 0
            return _mm_add_ps(s, _mm_movelh_ps(pair, pair));
        }
        else return _mm_add_ps(s, _mm_load1_ps(b));
    }
    static __m128 half(Sums s, int) { return s; }
};
#include "core/nn/kernels_body.h"

// productRows' vector type (kernels_product_body.h): 4 neighbouring outputs per register, tiles of 4 rows x 2
// registers (8 registers of sums of the 16).
struct Sse2Product {
    static constexpr int kLanes = 4, kRows = 4, kCols = 2;
    using Vec = __m128;
    static Vec zero() { return _mm_setzero_ps(); }
    static Vec load(const float* p) { return _mm_loadu_ps(p); }
    static Vec bcast(const float* p) { return _mm_load1_ps(p); }
    static Vec mul(Vec a, Vec b) { return _mm_mul_ps(a, b); }
    static Vec add(Vec a, Vec b) { return _mm_add_ps(a, b); }
    static void store(float* p, Vec v) { _mm_storeu_ps(p, v); }
};
static_assert(Sse2Product::kRows <= kProductRows && kProductStrip % (Sse2Product::kCols * Sse2Product::kLanes) == 0);
#include "core/nn/kernels_product_body.h"
}  // namespace

void linearRowsSse2(const float* x, long xs, long n, const float* w, long in, long o0, long o1, const float* bias, float* y,
                    long ys, bool stream) {
    linearRowsBody<Sse2>(x, xs, n, w, in, o0, o1, bias, y, ys, stream);
}

void productPackSse2(const float* b, long bk, long bm, long K, long M, long m0, long m1, float* bp) {
    productPackBody<Sse2Product>(b, bk, bm, K, M, m0, m1, bp);
}

void productRowsSse2(const float* a, long an, long ak, const float* bp, long K, long M, const float* bias, long n0, long n1,
                   float* y, long ys, float* ap) {
    productRowsBody<Sse2Product>(a, an, ak, bp, K, M, bias, n0, n1, y, ys, ap);
}

}  // namespace ar::nn::isa
