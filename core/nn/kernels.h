#pragma once
// The numeric kernels that training and decoding share: one copy of each.
//
// linearRows: y = x W^T + b for n rows at once, the product every Linear layer computes. Each weight row is loaded
// once per block of up to 4 input rows and multiplied with all of them while it sits in registers, so a pass over
// n rows (speculative decoding's verify pass, a NAT pass, a batch of beams) costs far less than n passes over one
// row. Weight rows are walked in blocks that stay in the L1/L2 cache while every row block reads them.
//
// The reduction order is FIXED and does not depend on how rows are blocked or on the SIMD width:
//   acc[j] = sum over k ascending of x[8k + j] * w[8k + j]   (j = 0..7; each product rounded, then added: no FMA)
//   s = ((acc0 + acc4) + (acc2 + acc6)) + ((acc1 + acc5) + (acc3 + acc7))
//   s += x[i] * w[i] for the tail i = 8*floor(in/8) .. in-1, in order;  y = s + b
// So a row's output is the same bits whether it is computed alone or with 6 other rows (extend() == n step()s),
// and a wider SIMD path can give the same bits as SSE2.
//
// Legend: N rows, I inputs (in), O outputs (out).
#include "core/tensor.h"

#include <cmath>
#include <string>

namespace ar::nn {

// Instruction sets with a kernel path. The default is the best the CPU has; ARLAB_ISA=sse2|avx2|avx512 forces one
// (read at the first kernel call; a bad value or an ISA the CPU lacks throws ar::Error naming it). Every path gives
// the same bits (tst_core_kernels). Avx512 is AVX-512F without FMA (two outputs' 8 partial sums per 16-float register).
enum class Isa { Sse2 = 0, Avx2 = 1, Avx512 = 2 };
Isa activeIsa();
void setIsa(Isa isa);            // for tests and benchmarks; throws ar::Error when the CPU lacks it
bool isaSupported(Isa isa);
std::string isaName(Isa isa);    // "sse2" | "avx2" | "avx512"
Isa parseIsa(const std::string& name);  // throws ar::Error naming the choices, or the ISA the CPU lacks

// y (N, O) = x (N, I) W^T + bias; W (O, I) row-major, bias (O) or null. Strides are in floats (row to row).
void linearRows(const float* x, Index xStride, Index n, const float* w, Index in, Index out, const float* bias,
                float* y, Index yStride);
// The same on matrices: x (N, I), w (O, I), bias (1, O) or null -> (N, O).
Mat linearRows(const Mat& x, const Mat& w, const Mat* bias = nullptr);

// The matrix products of training (forward and both backward products) and of the decoding steps: the same
// reduction order over the shared dimension K as linearRows, the same bits on every ISA path and thread count.
// They read both operands along their rows (kernels_product_body.h: each output's 8 partial sums in 8 registers, a
// register's lanes neighbouring outputs; the (K, M) operand, or b^T, packed once in strips), so no operand is
// transposed first; matmulNT of fewer than 16 rows (decoding) is linearRows, which reads each weight row once.
//   matmulNT  a (N, K) x b (M, K)^T -> (N, M)   a Linear layer's y = x W^T; dX = dY W with b = W^T
//   matmulNN  a (N, K) x b (K, M)   -> (N, M)   y = x W (matmul), dX = dY W (Linear's backward)
//   matmulTN  a (K, N)^T x b (K, M) -> (N, M)   dW = dY^T X, the sum over the K rows (B*T)
// a and b may be blocks of a larger row-major matrix (any row stride).
using ConstMatRef = Eigen::Ref<const Mat>;
Mat matmulNT(const ConstMatRef& a, const ConstMatRef& b, const Mat* bias = nullptr);  // bias (1, M): + bias, as linearRows
Mat matmulNN(const ConstMatRef& a, const ConstMatRef& b);
Mat matmulTN(const ConstMatRef& a, const ConstMatRef& b);

// The sums over the rows of a (N, M), or of a * b elementwise (b the same shape), as (1, M): the bits of Eigen's
// a.colwise().sum() (a.cwiseProduct(b).colwise().sum()) on this build, which training's bias and LayerNorm gradients
// used. Eigen adds the columns that fill whole packets of P floats (its packet for float: 4 on the default build) as
//   s = r0;  s += ((r_i + r_i+1) + (r_i+2 + r_i+3)) for i = 1, 5, ... while i < (N - 1) & ~3;  s += r_i for the rest
// and each later column down its rows in order; this walks the rows in order (all M columns of a row at a time) where
// Eigen walks each packet of columns down all N rows, so a row is read once instead of once per packet.
Mat columnSums(const Mat& a, const Mat* b = nullptr);

// 1 / sqrt(v) of each element, the square root and the division each one correctly rounded (sqrtss, divss): the same
// bits on every x86-64 CPU and for a row alone or among others. Eigen's packet rsqrt/sqrt under its default
// EIGEN_FAST_MATH start from rsqrtps, whose approximation differs between CPU vendors, so norms call this instead.
ColVec rsqrtExact(const ColVec& v);

// Each row's sum of x (N, C), or of its squares: N values, each row added as Eigen adds an aligned row wherever the
// row sits in memory (alignedrow.h), so a row's sum has the same bits alone or among other rows. LayerNorm's mean and
// variance and RMSNorm's mean square.
ColVec rowSums(const Mat& x, bool squares = false);

// Softmax of v[0..n) in place, the row max subtracted first (exact for large scores). logSoftmaxInPlace gives
// (v - max) - log(sum exp(v - max)), exact to float precision even for logits of +-1000. Both give the same bits
// wherever the row sits in memory (kernels_softmax.cpp), so a row alone and in a batch agree bit for bit.
void softmaxInPlace(float* v, int n);
void logSoftmaxInPlace(float* v, int n);

// LayerNorm of each row of x (N, C) with gamma, beta (1, C): (x - mean) / sqrt(var + eps) * gamma + beta, the
// population variance. The arithmetic of ops::layerNorm (which calls this and keeps xhat and rstd for its backward).
Mat layerNormRows(const Mat& x, const Mat& gamma, const Mat& beta, float eps, Mat* xhat = nullptr, ColVec* rstd = nullptr);

// erf of n floats, y[i] = erf(x[i]), 8 at a time on the chosen instruction set (kernels_erf_body.h: one
// polynomial per interval, the same bits on every path; within 1.1 ulp of erf in double, tst_core_erf). y may be x.
void erfArray(const float* x, float* y, Index n);
// Exact GELU of n floats, 0.5 x (1 + erf(x / sqrt 2)) (PyTorch nn.GELU()) with erfArray's erf: ops::gelu (training)
// and every decode path use it, so a step gives the bits of the training forward. y may be x. With erfOut, the
// erf(x / sqrt 2) of each element goes there too (the bits erfArray gives for x * (1 / sqrt 2); ops::gelu's backward
// reads them instead of computing erf again).
void geluArray(const float* x, float* y, Index n, float* erfOut = nullptr);
// One value through the same kernel (a caller with whole rows should call geluArray).
inline float geluAt(float x) {
    float y;
    geluArray(&x, &y, 1);
    return y;
}

}  // namespace ar::nn
