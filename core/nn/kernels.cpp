// The kernels' dispatcher: picks the instruction set once per process (AVX-512 when the CPU has it, else AVX2, else
// SSE2; ARLAB_ISA=sse2|avx2|avx512 forces one) and checks shapes. The arithmetic lives in kernels_body.h.
#include "core/nn/kernels.h"

#include "core/error.h"
#include "core/nn/alignedrow.h"
#include "core/nn/kernels_isa.h"
#include "core/nn/threads.h"

#include <algorithm>
#if defined(__SSE2__)
#include <xmmintrin.h>
#endif

#include <atomic>
#include <cstdlib>
#include <string>
#include <vector>

namespace ar::nn {

namespace {
const char* const kIsaNames[] = {"sse2", "avx2", "avx512"};  // by Isa value

// The CPU's own answer for each path (AVX-512's tails and erf run AVX2 code, so it needs both).
bool cpuHas(Isa isa) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    switch (isa) {
    case Isa::Sse2: return true;
    case Isa::Avx2: return __builtin_cpu_supports("avx2");
    case Isa::Avx512: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("avx512f");
    }
    return false;
#else
    return isa == Isa::Sse2;
#endif
}

// -1: not chosen yet; else an Isa value. ARLAB_ISA is read at the first kernel call.
std::atomic<int> g_isa{-1};

Isa chooseIsa() {
    const char* env = std::getenv("ARLAB_ISA");
    if (!env || !*env) return cpuHas(Isa::Avx512) ? Isa::Avx512 : cpuHas(Isa::Avx2) ? Isa::Avx2 : Isa::Sse2;
    return parseIsa(env);
}
}  // namespace

bool isaSupported(Isa isa) { return cpuHas(isa); }

std::string isaName(Isa isa) { return kIsaNames[int(isa)]; }

Isa parseIsa(const std::string& name) {
    int i = 0;
    while (i < 3 && name != kIsaNames[i]) ++i;
    if (i == 3) throw Error("ARLAB_ISA='" + name + "' is not one of sse2, avx2, avx512");
    if (!isaSupported(Isa(i))) throw Error("ARLAB_ISA=" + name + ": this CPU has no " + name);
    return Isa(i);
}

Isa activeIsa() {
    int v = g_isa.load(std::memory_order_relaxed);
    if (v < 0) {
        v = int(chooseIsa());  // throws on a bad ARLAB_ISA, every time it is asked
        g_isa.store(v, std::memory_order_relaxed);
    }
    return Isa(v);
}

void setIsa(Isa isa) {
    if (!isaSupported(isa)) throw Error("this CPU has no " + isaName(isa));
    g_isa.store(int(isa), std::memory_order_relaxed);
}

// With more than one kernel thread, a product worth splitting (threads.h) is split by output columns (weight rows)
// into up to 4 parts per thread, each a multiple of 8 columns, taken by whichever thread is free (a thread the OS
// holds back leaves its remaining parts to the others): each output is still computed by one thread in the same
// order, so the bits do not depend on the thread count.
//
// A weight over kStreamBytes (this machine's L2 per core) is streamed from memory or L3 on every call, so a single row
// prefetches its rows ahead (kernels_body.h: the GPT-2 shape's products 33.6 -> 28.0 ms per token on one thread); a
// smaller one stays in the cache and keeps the plain tile. Either way the same arithmetic: the same bits.
constexpr double kStreamBytes = double(2 << 20);

void linearRows(const float* x, Index xs, Index n, const float* w, Index in, Index out, const float* bias, float* y,
                Index ys) {
    if (n <= 0 || out <= 0) return;
    const Isa chosen = activeIsa();
    const auto body = chosen == Isa::Avx512 ? isa::linearRowsAvx512 : chosen == Isa::Avx2 ? isa::linearRowsAvx2 : isa::linearRowsSse2;
    const bool stream = double(in) * double(out) * sizeof(float) > kStreamBytes;
    const int parts = int(std::min<Index>(Index(kernelThreads()) * 4, out / 32));
    if (!worthSplitting(double(n) * double(in) * double(out), parts)) {
        body(x, xs, n, w, in, 0, out, bias, y, ys, stream);
        return;
    }
    const Index step = (out / parts + 7) / 8 * 8;
    parallelParts(parts, [&](int p) {
        const Index o0 = std::min(out, Index(p) * step), o1 = p + 1 == parts ? out : std::min(out, o0 + step);
        if (o0 < o1) body(x, xs, n, w, in, o0, o1, bias, y, ys, stream);
    });
}

Mat linearRows(const Mat& x, const Mat& w, const Mat* bias) {
    if (x.cols() != w.cols() || (bias && bias->size() != w.rows()))
        throw Error("linearRows: " + std::to_string(x.cols()) + " inputs against a (" + std::to_string(w.rows()) + ", " +
                    std::to_string(w.cols()) + ") weight" + (bias ? " and " + std::to_string(bias->size()) + " biases" : ""));
    Mat y(x.rows(), w.rows());
    linearRows(x.data(), x.cols(), x.rows(), w.data(), w.cols(), w.rows(), bias ? bias->data() : nullptr, y.data(), y.cols());
    return y;
}

namespace {
void requireInner(Index ka, Index kb, const char* op, const ConstMatRef& a, const ConstMatRef& b) {
    if (ka != kb)
        throw Error(std::string(op) + ": inner dimensions differ ((" + std::to_string(a.rows()) + ", " +
                    std::to_string(a.cols()) + ") and (" + std::to_string(b.rows()) + ", " + std::to_string(b.cols()) + "))");
}
}  // namespace

namespace {
// y (N, M) = A B (+ bias) on the chosen path (kernels_product_body.h): A(n, k) = a[n * an + k * ak], B(k, m) =
// b[k * bk + m * bm], so either may be a row-major block or its transpose. With more than one kernel thread a product
// worth splitting is split by rows of y into up to 4 parts per thread (each output is computed by one thread in the
// same order: the same bits).
void productRows(const float* a, Index an, Index ak, const float* b, Index bk, Index bm, Index N, Index K, Index M,
                 const float* bias, float* y) {
    if (N <= 0 || M <= 0) return;
    const Isa chosen = activeIsa();
    const auto pack = chosen == Isa::Avx512 ? isa::productPackAvx512 : chosen == Isa::Avx2 ? isa::productPackAvx2 : isa::productPackSse2;
    const auto body = chosen == Isa::Avx512 ? isa::productRowsAvx512 : chosen == Isa::Avx2 ? isa::productRowsAvx2 : isa::productRowsSse2;
    const Index scratch = std::max<Index>(K, 1) * isa::kProductRows;
    const int parts = int(std::min<Index>(Index(kernelThreads()) * 4, N / 8));
    const bool split = worthSplitting(double(N) * double(K) * double(M), parts);
    // Packed B, then each part's packed A^T rows: one buffer per calling thread, kept up to kKeptFloats (a training
    // step's products reuse it, warm in the cache, instead of touching fresh memory on every call); a larger one is
    // this call's alone.
    constexpr size_t kKeptFloats = size_t(1) << 20;
    thread_local std::vector<float> kept;
    std::vector<float> once;
    const size_t need = size_t(K * M + scratch * (split ? parts : 1));
    std::vector<float>& buffer = need <= kKeptFloats ? kept : once;
    if (buffer.size() < need) buffer.resize(need);
    float* bp = buffer.data();
    float* ap = bp + K * M;
    if (!split) {
        pack(b, bk, bm, K, M, 0, M, bp);
        body(a, an, ak, bp, K, M, bias, 0, N, y, M, ap);
        return;
    }
    const Index strips = (M + isa::kProductStrip - 1) / isa::kProductStrip;
    const int packParts = int(std::min<Index>(kernelThreads(), strips));
    parallelParts(packParts, [&](int p) {
        pack(b, bk, bm, K, M, std::min(M, Index(p) * strips / packParts * isa::kProductStrip),
             std::min(M, Index(p + 1) * strips / packParts * isa::kProductStrip), bp);
    });
    const Index step = (N / parts + 7) / 8 * 8;  // whole tiles of 4 or 8 rows
    parallelParts(parts, [&](int p) {
        const Index n0 = std::min(N, Index(p) * step), n1 = p + 1 == parts ? N : std::min(N, n0 + step);
        if (n0 < n1) body(a, an, ak, bp, K, M, bias, n0, n1, y, M, ap + scratch * p);
    });
}
}  // namespace

// Many rows take productRows with B = b^T (read along b's rows while it is packed); a few (decoding), or a weight
// larger than 4M floats (a GPT-2 lm_head: the packed copy would be as large), take linearRows, which reads each weight
// row once for all of them. The same bits either way.
constexpr Index kProductMinRows = 16, kProductMaxWeight = Index(1) << 22;

Mat matmulNT(const ConstMatRef& a, const ConstMatRef& b, const Mat* bias) {
    requireInner(a.cols(), b.cols(), "matmulNT", a, b);
    if (bias && bias->size() != b.rows())
        throw Error("matmulNT: " + std::to_string(bias->size()) + " biases for " + std::to_string(b.rows()) + " outputs");
    Mat y(a.rows(), b.rows());
    if (a.rows() >= kProductMinRows && b.rows() * b.cols() <= kProductMaxWeight) {
        productRows(a.data(), a.outerStride(), 1, b.data(), 1, b.outerStride(), a.rows(), a.cols(), b.rows(),
                    bias ? bias->data() : nullptr, y.data());
        return y;
    }
    // linearRows reads weight rows back to back: a block of a wider matrix is copied first.
    Mat packed;
    const float* w = b.data();
    if (b.rows() > 1 && b.outerStride() != b.cols()) {
        packed = b;
        w = packed.data();
    }
    linearRows(a.data(), a.outerStride(), a.rows(), w, a.cols(), b.rows(), bias ? bias->data() : nullptr, y.data(), y.cols());
    return y;
}

Mat matmulNN(const ConstMatRef& a, const ConstMatRef& b) {
    requireInner(a.cols(), b.rows(), "matmulNN", a, b);
    Mat y(a.rows(), b.cols());
    productRows(a.data(), a.outerStride(), 1, b.data(), b.outerStride(), 1, a.rows(), a.cols(), b.cols(), nullptr, y.data());
    return y;
}

Mat matmulTN(const ConstMatRef& a, const ConstMatRef& b) {
    requireInner(a.rows(), b.rows(), "matmulTN", a, b);
    Mat y(a.cols(), b.cols());
    productRows(a.data(), 1, a.outerStride(), b.data(), b.outerStride(), 1, a.cols(), a.rows(), b.cols(), nullptr, y.data());
    return y;
}

namespace {
// columnSums' term a[r, c] (or a * b), 4 columns at a time where SSE2 is there (each lane the scalar operation).
template <bool Product>
struct SumTerm {
    static float at(const float* a, const float* b, Index i) {
        if constexpr (Product) return a[i] * b[i];
        else return a[i];
    }
#if defined(__SSE2__)
    static __m128 at4(const float* a, const float* b, Index i) {
        if constexpr (Product) return _mm_mul_ps(_mm_loadu_ps(a + i), _mm_loadu_ps(b + i));
        else return _mm_loadu_ps(a + i);
    }
#endif
};

// Columns [c0, c1) of rows [0, N) (row stride M), Eigen's packet order: row 0, groups of four rows, then the rest.
template <bool Product>
void sumRowsGrouped(const float* a, const float* b, Index N, Index M, Index c0, Index c1, float* out) {
    using T = SumTerm<Product>;
    const Index n4 = (N - 1) & ~Index(3);
    Index c = c0;
#if defined(__SSE2__)
    // W registers (4W columns: a whole cache line for W = 4) down the rows, then single registers.
    const auto registers = [&]<int W>(Index c) {
        __m128 s[W];
        for (int w = 0; w < W; ++w) s[w] = T::at4(a, b, c + 4 * w);
        Index r = 1;
        for (; r < n4; r += 4)
            for (int w = 0; w < W; ++w) {
                const Index i = r * M + c + 4 * w;
                const __m128 p01 = _mm_add_ps(T::at4(a, b, i), T::at4(a, b, i + M));
                const __m128 p23 = _mm_add_ps(T::at4(a, b, i + 2 * M), T::at4(a, b, i + 3 * M));
                s[w] = _mm_add_ps(s[w], _mm_add_ps(p01, p23));
            }
        for (; r < N; ++r)
            for (int w = 0; w < W; ++w) s[w] = _mm_add_ps(s[w], T::at4(a, b, r * M + c + 4 * w));
        for (int w = 0; w < W; ++w) _mm_storeu_ps(out + c + 4 * w, s[w]);
    };
    for (; c + 16 <= c1; c += 16) registers.template operator()<4>(c);
    for (; c + 4 <= c1; c += 4) registers.template operator()<1>(c);
#endif
    for (; c < c1; ++c) {
        float s = T::at(a, b, c);
        Index r = 1;
        for (; r < n4; r += 4)
            s = s + ((T::at(a, b, r * M + c) + T::at(a, b, (r + 1) * M + c)) + (T::at(a, b, (r + 2) * M + c) + T::at(a, b, (r + 3) * M + c)));
        for (; r < N; ++r) s = s + T::at(a, b, r * M + c);
        out[c] = s;
    }
}
// Columns [c0, c1), each down its rows in order.
template <bool Product>
void sumRowsInOrder(const float* a, const float* b, Index N, Index M, Index c0, Index c1, float* out) {
    using T = SumTerm<Product>;
    for (Index c = c0; c < c1; ++c) {
        float s = T::at(a, b, c);
        for (Index r = 1; r < N; ++r) s = s + T::at(a, b, r * M + c);
        out[c] = s;
    }
}
}  // namespace

Mat columnSums(const Mat& a, const Mat* b) {
    if (b && (b->rows() != a.rows() || b->cols() != a.cols()))
        throw Error("columnSums: (" + std::to_string(a.rows()) + ", " + std::to_string(a.cols()) + ") against (" +
                    std::to_string(b->rows()) + ", " + std::to_string(b->cols()) + ")");
    const Index N = a.rows(), M = a.cols();
    Mat s = Mat::Zero(1, M);
    if (N == 0) return s;
    using Traits = Eigen::internal::packet_traits<float>;
    constexpr Index P = Traits::Vectorizable ? Traits::size : 1;
    const Index Mp = P > 1 ? M / P * P : 0;  // the columns Eigen sums packet by packet; the rest down their rows
    const float* pb = b ? b->data() : nullptr;
    if (b) {
        sumRowsGrouped<true>(a.data(), pb, N, M, 0, Mp, s.data());
        sumRowsInOrder<true>(a.data(), pb, N, M, Mp, M, s.data());
    } else {
        sumRowsGrouped<false>(a.data(), nullptr, N, M, 0, Mp, s.data());
        sumRowsInOrder<false>(a.data(), nullptr, N, M, Mp, M, s.data());
    }
    return s;
}

namespace {
// layerNormRows' elementwise steps on a row of n floats (y may be x), each element one rounded operation per step,
// 4 at a time where SSE2 is there: Sub y = x - a; Scale y = x * a; Affine y = x * g + b (the product rounded, then
// the sum: kernels*.cpp are compiled without fused multiply-adds).
enum class RowOp { Sub, Scale, Affine };
template <RowOp Op>
void rowOp(const float* x, float a, const float* g, const float* b, float* y, Index n) {
    Index c = 0;
#if defined(__SSE2__)
    const __m128 va = _mm_set1_ps(a);
    for (; c + 4 <= n; c += 4) {
        const __m128 v = _mm_loadu_ps(x + c);
        if constexpr (Op == RowOp::Sub) _mm_storeu_ps(y + c, _mm_sub_ps(v, va));
        else if constexpr (Op == RowOp::Scale) _mm_storeu_ps(y + c, _mm_mul_ps(v, va));
        else _mm_storeu_ps(y + c, _mm_add_ps(_mm_mul_ps(v, _mm_loadu_ps(g + c)), _mm_loadu_ps(b + c)));
    }
#endif
    for (; c < n; ++c) {
        if constexpr (Op == RowOp::Sub) y[c] = x[c] - a;
        else if constexpr (Op == RowOp::Scale) y[c] = x[c] * a;
        else y[c] = x[c] * g[c] + b[c];
    }
}
}  // namespace

ColVec rsqrtExact(const ColVec& v) {
    return v.unaryExpr([](float e) { return 1.0f / std::sqrt(e); });  // a lambda: no packet path, one element at a time
}

ColVec rowSums(const Mat& x, bool squares) {
    ColVec s(x.rows());
    for (Index r = 0; r < x.rows(); ++r) {
        const Eigen::Map<const RowVec> row(alignedRow(x.row(r).data(), x.cols()), x.cols());
        s(r) = squares ? row.array().square().sum() : row.sum();
    }
    return s;
}

Mat layerNormRows(const Mat& x, const Mat& gamma, const Mat& beta, float eps, Mat* xhatOut, ColVec* rstdOut) {
    const Index C = x.cols();
    if (gamma.rows() != 1 || gamma.cols() != C || beta.rows() != 1 || beta.cols() != C)
        throw Error("layerNorm: gamma and beta must be (1, C)");
    const Index N = x.rows();
    const ColVec mu = rowSums(x) / float(C);   // the same bits for a row alone or in a group
    // The elementwise steps as loops over each row, 4 floats at a time (Eigen walks a row-major matrix's column
    // broadcasts one scalar at a time); every element is the same single rounded operation either way.
    Mat xc(N, C);
    for (Index r = 0; r < N; ++r) rowOp<RowOp::Sub>(x.row(r).data(), mu(r), nullptr, nullptr, xc.row(r).data(), C);
    ColVec rstd = rsqrtExact((rowSums(xc, true).array() / float(C) + eps).matrix());  // 1 / sqrt(var + eps)
    // One buffer: xc becomes xhat, then (without a caller for xhat) the output.
    for (Index r = 0; r < N; ++r) rowOp<RowOp::Scale>(xc.row(r).data(), rstd(r), nullptr, nullptr, xc.row(r).data(), C);  // xhat
    if (rstdOut) *rstdOut = std::move(rstd);
    Mat out;
    Mat& y = xhatOut ? (out = Mat(N, C)) : xc;
    for (Index r = 0; r < N; ++r) rowOp<RowOp::Affine>(xc.row(r).data(), 0.0f, gamma.data(), beta.data(), y.row(r).data(), C);
    if (!xhatOut) return xc;
    *xhatOut = std::move(xc);
    return out;
}

}  // namespace ar::nn
