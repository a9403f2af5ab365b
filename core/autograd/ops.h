#pragma once
// Differentiable ops on matrices. ops.cpp writes each op's backward right next to its forward.
// Shapes use the legend in core/tensor.h; "(N, C)" means rows x cols.
#include "core/autograd/tape.h"
#include "core/random.h"

#include <span>

namespace ar::ops {

// --- linear algebra ---------------------------------------------------------------------------------
Var matmul(const Var& a, const Var& b);          // (N, K) x (K, M) -> (N, M)
Var matmulNT(const Var& a, const Var& b);        // (N, K) x (M, K)^T -> (N, M)   (PyTorch Linear weight)
Var linear(const Var& x, const Var& w, const Var& b);  // x (N, K) w (M, K)^T + b (1, M): matmulNT + addRow in one node
Var transpose(const Var& a);                     // (N, M) -> (M, N)
Var reshape(const Var& a, Index rows, Index cols); // row-major reinterpretation, same element count

// --- elementwise arithmetic -------------------------------------------------------------------------
Var add(const Var& a, const Var& b);             // same shape
Var sub(const Var& a, const Var& b);             // same shape
Var mul(const Var& a, const Var& b);             // same shape, Hadamard product
Var scale(const Var& a, float s);                // a * s
Var addScalar(const Var& a, float s);            // a + s
Var addRow(const Var& a, const Var& row);        // (N, C) + (1, C) broadcast over rows (bias)
Var mulRow(const Var& a, const Var& row);        // (N, C) * (1, C) broadcast over rows
Var addCol(const Var& a, const Var& col);        // (N, C) + (N, 1) broadcast over columns
Var mulCol(const Var& a, const Var& col);        // (N, C) * (N, 1) broadcast over columns

// --- nonlinearities ---------------------------------------------------------------------------------
Var tanh(const Var& a);
Var sigmoid(const Var& a);
Var relu(const Var& a);
Var gelu(const Var& a);                          // exact: 0.5 x (1 + erf(x / sqrt 2)), PyTorch nn.GELU()
// tanh approximation, GPT-2's gelu_new: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
Var geluTanh(const Var& a);
float geluTanhAt(float x);                       // the scalar kernel geluTanh and the decode step share

// --- normalisation and probabilities ----------------------------------------------------------------
Var softmaxRows(const Var& a);                   // (N, V), stable for logits of +-1000; -inf -> exactly 0
Var logSoftmaxRows(const Var& a);                // (N, V)
// Mean negative log-likelihood over rows whose target != ignoreIndex. logits (N, V), targets N -> (1, 1).
Var crossEntropy(const Var& logits, std::span<const int> targets, int ignoreIndex = -100);
// Mean binary cross-entropy with logits: targets in {0,1} (or [0,1]), same shape as logits -> (1, 1).
Var bceWithLogits(const Var& logits, const Mat& targets);
Var layerNorm(const Var& x, const Var& gamma, const Var& beta, float eps = 1e-5f); // (N,C), (1,C), (1,C)

// --- indexing and structure -------------------------------------------------------------------------
Var embedding(const Var& weight, std::span<const int> ids); // (V, C), N ids -> (N, C)
Var concatRows(const std::vector<Var>& parts);   // stack vertically (same cols)
Var concatCols(const std::vector<Var>& parts);   // stack horizontally (same rows)
Var sliceRows(const Var& a, Index start, Index count);
Var sliceCols(const Var& a, Index start, Index count);
Var causalMask(const Var& scores);               // (T, T): adds -inf above the diagonal (key > query)

// --- reductions -------------------------------------------------------------------------------------
Var sum(const Var& a);                           // -> (1, 1)
Var mean(const Var& a);                          // -> (1, 1)

// --- regularisation ---------------------------------------------------------------------------------
// Inverted dropout: zeroes each element with probability p and scales survivors by 1/(1-p).
// Identity when !training or p == 0.
Var dropout(const Var& a, float p, Rng& rng, bool training);

}  // namespace ar::ops
