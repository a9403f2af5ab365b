// erfArray / geluArray on SSE2 (every x86-64 CPU): 8 lanes as two 4-float registers. Built with -ffp-contract=off
// (core/CMakeLists.txt), like every kernels*.cpp.
#include "core/nn/kernels_isa.h"

#include <emmintrin.h>

namespace ar::nn::isa {

namespace {
struct Sse2 {
    struct Vec { __m128 lo, hi; };
    static Vec set(float v) { return {_mm_set1_ps(v), _mm_set1_ps(v)}; }
    static Vec load(const float* p) { return {_mm_loadu_ps(p), _mm_loadu_ps(p + 4)}; }
    static void store(float* p, Vec v) {
        _mm_storeu_ps(p, v.lo);
        _mm_storeu_ps(p + 4, v.hi);
    }
    static Vec add(Vec a, Vec b) { return {_mm_add_ps(a.lo, b.lo), _mm_add_ps(a.hi, b.hi)}; }
    static Vec sub(Vec a, Vec b) { return {_mm_sub_ps(a.lo, b.lo), _mm_sub_ps(a.hi, b.hi)}; }
    static Vec mul(Vec a, Vec b) { return {_mm_mul_ps(a.lo, b.lo), _mm_mul_ps(a.hi, b.hi)}; }
    static Vec min(Vec a, Vec b) { return {_mm_min_ps(a.lo, b.lo), _mm_min_ps(a.hi, b.hi)}; }
    static Vec lt(Vec a, Vec b) { return {_mm_cmplt_ps(a.lo, b.lo), _mm_cmplt_ps(a.hi, b.hi)}; }
    static Vec isNan(Vec a) { return {_mm_cmpunord_ps(a.lo, a.lo), _mm_cmpunord_ps(a.hi, a.hi)}; }
    static Vec andNot(Vec m, Vec a) { return {_mm_andnot_ps(m.lo, a.lo), _mm_andnot_ps(m.hi, a.hi)}; }
    static Vec and_(Vec a, Vec b) { return {_mm_and_ps(a.lo, b.lo), _mm_and_ps(a.hi, b.hi)}; }
    static Vec or_(Vec a, Vec b) { return {_mm_or_ps(a.lo, b.lo), _mm_or_ps(a.hi, b.hi)}; }
    static Vec select(Vec m, Vec a, Vec b) { return or_(and_(m, a), andNot(m, b)); }
    static int mask(Vec m) { return _mm_movemask_ps(m.lo) | (_mm_movemask_ps(m.hi) << 4); }
};
#include "core/nn/kernels_erf_body.h"
}  // namespace

void erfSse2(const float* x, float* y, long n) { mapBody<Sse2, erf8<Sse2>>(x, y, n); }
void geluSse2(const float* x, float* y, long n) { mapBody<Sse2, gelu8<Sse2>>(x, y, n); }
void geluErfSse2(const float* x, float* y, float* e, long n) { geluErfBody<Sse2>(x, y, e, n); }

}  // namespace ar::nn::isa
