#pragma once
// Internal: the per-instruction-set copies of the kernels (kernels_sse2.cpp, kernels_avx2.cpp, kernels_avx512.cpp;
// erf has no AVX-512 copy, that path runs erf on AVX2), called only by the dispatcher in kernels.cpp. Plain types
// only: these translation units include no Eigen (see kernels_avx2.cpp).
// Each computes output columns [o0, o1) of y (n, out) = x (n, in) W^T + bias; strides in floats; stream: the whole
// weight does not stay in L2 (a single row then prefetches the weight rows ahead, kernels_body.h).
namespace ar::nn::isa {

void linearRowsSse2(const float* x, long xs, long n, const float* w, long in, long o0, long o1, const float* bias, float* y,
                    long ys, bool stream);
void linearRowsAvx2(const float* x, long xs, long n, const float* w, long in, long o0, long o1, const float* bias, float* y,
                    long ys, bool stream);
void linearRowsAvx512(const float* x, long xs, long n, const float* w, long in, long o0, long o1, const float* bias, float* y,
                      long ys, bool stream);

// y (N, M) = A B (+ bias) in linearRows' order over K (kernels_product_body.h). productPack*: columns [m0, m1) of B
// (K, M), B(k, m) = b[k * bk + m * bm], m0 a multiple of kProductStrip, into bp (K * M floats) in the path's packed
// layout; productRows*: rows [n0, n1) of y (row stride ys) with A(n, k) = a[n * an + k * ak], bias (M) or null,
// ap: scratch of K * kProductRows floats.
constexpr long kProductRows = 8;    // the most rows of A a path's tile takes
constexpr long kProductStrip = 32;  // a multiple of every path's widest strip
void productPackSse2(const float* b, long bk, long bm, long K, long M, long m0, long m1, float* bp);
void productPackAvx2(const float* b, long bk, long bm, long K, long M, long m0, long m1, float* bp);
void productPackAvx512(const float* b, long bk, long bm, long K, long M, long m0, long m1, float* bp);
void productRowsSse2(const float* a, long an, long ak, const float* bp, long K, long M, const float* bias, long n0, long n1,
                     float* y, long ys, float* ap);
void productRowsAvx2(const float* a, long an, long ak, const float* bp, long K, long M, const float* bias, long n0, long n1,
                     float* y, long ys, float* ap);
void productRowsAvx512(const float* a, long an, long ak, const float* bp, long K, long M, const float* bias, long n0,
                       long n1, float* y, long ys, float* ap);

// erf and the exact GELU of n floats (kernels_erf_*.cpp, see kernels_erf_body.h); y may be x.
void erfSse2(const float* x, float* y, long n);
void erfAvx2(const float* x, float* y, long n);
void geluSse2(const float* x, float* y, long n);
void geluAvx2(const float* x, float* y, long n);
void geluErfSse2(const float* x, float* y, float* e, long n);  // y = GELU(x), e = erf(x / sqrt 2)
void geluErfAvx2(const float* x, float* y, float* e, long n);

}  // namespace ar::nn::isa
