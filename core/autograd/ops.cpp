// Each op: forward computes the value; the lambda right below it is the backward, which takes the
// result's gradient g = dL/d(out) and accumulates dL/d(input) into each input that requires grad.
#include "core/autograd/ops.h"

#include "core/error.h"
#include "core/nn/kernels.h"
#include "core/nn/threads.h"

#include <cmath>
#include <limits>
#include <string>

namespace ar::ops {

namespace {
void requireSameShape(const Var& a, const Var& b, const char* op) {
    if (a.rows() != b.rows() || a.cols() != b.cols())
        throw Error(std::string(op) + ": shape mismatch (" + std::to_string(a.rows()) + "x" + std::to_string(a.cols()) +
                    " vs " + std::to_string(b.rows()) + "x" + std::to_string(b.cols()) + ")");
}
void require(bool ok, const char* op, const char* what) {
    if (!ok) throw Error(std::string(op) + ": " + what);
}
Node& in(Node& self, size_t i) { return *self.inputs[i]; }
// Elementwise ops with an exp or erf per element split their elements over the kernel threads from this many.
constexpr long kSplitElementwise = 1 << 14;
}  // namespace

// --- linear algebra ---------------------------------------------------------------------------------

// The products run on the shared kernel (core/nn/kernels.h): the forward and both backward products have one
// fixed reduction order, the same bits on every ISA path and thread count.
Var matmul(const Var& a, const Var& b) {
    require(a.cols() == b.rows(), "matmul", "inner dimensions differ");
    Mat out = nn::matmulNN(a.value(), b.value());                                  // (N, M)
    return makeResult(std::move(out), {a, b}, [](Node& self) {
        Node& A = in(self, 0);
        Node& B = in(self, 1);
        if (A.requiresGrad) accumulate(A, nn::matmulNT(self.grad, B.value));        // dA = g B^T   (N, K)
        if (B.requiresGrad) accumulate(B, nn::matmulTN(A.value, self.grad));        // dB = A^T g   (K, M)
    });
}

Var matmulNT(const Var& a, const Var& b) {
    require(a.cols() == b.cols(), "matmulNT", "inner dimensions differ");
    Mat out = nn::matmulNT(a.value(), b.value());                                  // (N, M)
    return makeResult(std::move(out), {a, b}, [](Node& self) {
        Node& A = in(self, 0);
        Node& B = in(self, 1);
        if (A.requiresGrad) accumulate(A, nn::matmulNN(self.grad, B.value));        // dA = g B     (N, K)
        if (B.requiresGrad) accumulate(B, nn::matmulTN(self.grad, A.value));        // dB = g^T A   (M, K)
    });
}

// A Linear layer's y = x W^T + b: matmulNT and addRow's arithmetic (the kernel adds the bias to each rounded sum) in
// one node, so the forward writes y once and the backward reads g where it lies instead of a copy of it.
Var linear(const Var& x, const Var& w, const Var& b) {
    require(x.cols() == w.cols(), "linear", "inner dimensions differ");
    require(b.rows() == 1 && b.cols() == w.rows(), "linear", "bias must be (1, outputs)");
    Mat out = nn::matmulNT(x.value(), w.value(), &b.value());                      // (N, M)
    return makeResult(std::move(out), {x, w, b}, [](Node& self) {
        Node& X = in(self, 0);
        Node& W = in(self, 1);
        Node& B = in(self, 2);
        if (B.requiresGrad) accumulate(B, nn::columnSums(self.grad));               // db = sum of g's rows (1, M)
        if (X.requiresGrad) accumulate(X, nn::matmulNN(self.grad, W.value));        // dX = g W     (N, K)
        if (W.requiresGrad) accumulate(W, nn::matmulTN(self.grad, X.value));        // dW = g^T X   (M, K)
    });
}

Var transpose(const Var& a) {
    Mat out = a.value().transpose();
    return makeResult(std::move(out), {a}, [](Node& self) { accumulate(in(self, 0), self.grad.transpose()); });
}

Var reshape(const Var& a, Index rows, Index cols) {
    require(rows * cols == a.rows() * a.cols(), "reshape", "element count changes");
    Mat out = ConstMatMap(a.value().data(), rows, cols);
    return makeResult(std::move(out), {a}, [](Node& self) {
        Node& A = in(self, 0);
        accumulate(A, ConstMatMap(self.grad.data(), A.value.rows(), A.value.cols()));
    });
}

// --- elementwise arithmetic -------------------------------------------------------------------------

Var add(const Var& a, const Var& b) {
    requireSameShape(a, b, "add");
    return makeResult(a.value() + b.value(), {a, b}, [](Node& self) {
        accumulate(in(self, 0), self.grad);
        accumulate(in(self, 1), self.grad);
    });
}

Var sub(const Var& a, const Var& b) {
    requireSameShape(a, b, "sub");
    return makeResult(a.value() - b.value(), {a, b}, [](Node& self) {
        accumulate(in(self, 0), self.grad);
        if (in(self, 1).requiresGrad) accumulate(in(self, 1), -self.grad);
    });
}

Var mul(const Var& a, const Var& b) {
    requireSameShape(a, b, "mul");
    return makeResult(a.value().cwiseProduct(b.value()), {a, b}, [](Node& self) {
        Node& A = in(self, 0);
        Node& B = in(self, 1);
        if (A.requiresGrad) accumulate(A, self.grad.cwiseProduct(B.value));
        if (B.requiresGrad) accumulate(B, self.grad.cwiseProduct(A.value));
    });
}

Var scale(const Var& a, float s) {
    return makeResult(a.value() * s, {a}, [s](Node& self) { accumulate(in(self, 0), self.grad * s); });
}

Var addScalar(const Var& a, float s) {
    Mat out = a.value().array() + s;
    return makeResult(std::move(out), {a}, [](Node& self) { accumulate(in(self, 0), self.grad); });
}

Var addRow(const Var& a, const Var& row) {
    require(row.rows() == 1 && row.cols() == a.cols(), "addRow", "row must be (1, cols of a)");
    Mat out = a.value().rowwise() + row.value().row(0);
    return makeResult(std::move(out), {a, row}, [](Node& self) {
        accumulate(in(self, 0), self.grad);
        if (in(self, 1).requiresGrad) accumulate(in(self, 1), nn::columnSums(self.grad));
    });
}

Var mulRow(const Var& a, const Var& row) {
    require(row.rows() == 1 && row.cols() == a.cols(), "mulRow", "row must be (1, cols of a)");
    Mat out = a.value().array().rowwise() * row.value().row(0).array();
    return makeResult(std::move(out), {a, row}, [](Node& self) {
        Node& A = in(self, 0);
        Node& R = in(self, 1);
        if (A.requiresGrad) accumulate(A, (self.grad.array().rowwise() * R.value.row(0).array()).matrix());
        if (R.requiresGrad) accumulate(R, nn::columnSums(self.grad, &A.value));
    });
}

Var addCol(const Var& a, const Var& col) {
    require(col.cols() == 1 && col.rows() == a.rows(), "addCol", "col must be (rows of a, 1)");
    Mat out = a.value().colwise() + col.value().col(0);
    return makeResult(std::move(out), {a, col}, [](Node& self) {
        accumulate(in(self, 0), self.grad);
        if (in(self, 1).requiresGrad) accumulate(in(self, 1), self.grad.rowwise().sum());
    });
}

Var mulCol(const Var& a, const Var& col) {
    require(col.cols() == 1 && col.rows() == a.rows(), "mulCol", "col must be (rows of a, 1)");
    Mat out = a.value().array().colwise() * col.value().col(0).array();
    return makeResult(std::move(out), {a, col}, [](Node& self) {
        Node& A = in(self, 0);
        Node& C = in(self, 1);
        if (A.requiresGrad) accumulate(A, (self.grad.array().colwise() * C.value.col(0).array()).matrix());
        if (C.requiresGrad) accumulate(C, self.grad.cwiseProduct(A.value).rowwise().sum());
    });
}

// --- nonlinearities ---------------------------------------------------------------------------------

Var tanh(const Var& a) {
    Mat out = a.value().array().tanh();
    return makeResult(std::move(out), {a}, [](Node& self) {
        // d tanh(x) = 1 - tanh(x)^2, from the saved output
        accumulate(in(self, 0), (self.grad.array() * (1.0f - self.value.array().square())).matrix());
    });
}

Var sigmoid(const Var& a) {
    Mat out = (1.0f + (-a.value().array()).exp()).inverse();
    return makeResult(std::move(out), {a}, [](Node& self) {
        accumulate(in(self, 0), (self.grad.array() * self.value.array() * (1.0f - self.value.array())).matrix());
    });
}

Var relu(const Var& a) {
    Mat out = a.value().cwiseMax(0.0f);
    return makeResult(std::move(out), {a}, [](Node& self) {
        accumulate(in(self, 0), (self.grad.array() * (in(self, 0).value.array() > 0.0f).cast<float>()).matrix());
    });
}

Var gelu(const Var& a) {
    Mat out(a.value().rows(), a.value().cols());
    if (!gradEnabled() || !a.requiresGrad()) {  // nothing will ask for the derivative
        nn::geluArray(a.value().data(), out.data(), out.size());
        return Var(std::move(out));
    }
    // The shared kernel, erf(x / sqrt 2) kept for the backward. Elementwise, so with more than one kernel thread
    // the elements are split over them (each element's arithmetic is the same whoever computes it).
    Mat erf(out.rows(), out.cols());
    const float* x = a.value().data();
    nn::parallelRanges(out.size(), kSplitElementwise,
                       [&](long lo, long hi) { nn::geluArray(x + lo, out.data() + lo, hi - lo, erf.data() + lo); });
    return makeResult(std::move(out), {a}, [e = std::move(erf)](Node& self) mutable {
        // d/dx [x Phi(x)] = Phi(x) + x phi(x), with the forward's erf
        const float invSqrt2Pi = 0.39894228040143268f;
        const float* g = self.grad.data();
        const float* v = in(self, 0).value.data();
        float* d = e.data();  // erf, then g times the derivative, in one buffer
        nn::parallelRanges(e.size(), kSplitElementwise, [=](long lo, long hi) {
            for (long i = lo; i < hi; ++i)
                d[i] = g[i] * (0.5f * (1.0f + d[i]) + v[i] * invSqrt2Pi * std::exp(-0.5f * v[i] * v[i]));
        });
        accumulate(in(self, 0), std::move(e));
    });
}

float geluTanhAt(float x) {
    const float k = 0.79788456080286536f;  // sqrt(2/pi)
    return 0.5f * x * (1.0f + std::tanh(k * (x + 0.044715f * x * x * x)));
}

Var geluTanh(const Var& a) {
    Mat out = a.value().unaryExpr([](float x) { return geluTanhAt(x); });
    return makeResult(std::move(out), {a}, [](Node& self) {
        // u = k (x + c x^3), y = x (1 + tanh u) / 2:  dy/dx = (1 + t) / 2 + x (1 - t^2) k (1 + 3 c x^2) / 2
        const float k = 0.79788456080286536f, c = 0.044715f;
        const Mat& x = in(self, 0).value;
        Mat d = x.unaryExpr([&](float v) {
            const float t = std::tanh(k * (v + c * v * v * v));
            return 0.5f * (1.0f + t) + 0.5f * v * (1.0f - t * t) * k * (1.0f + 3.0f * c * v * v);
        });
        accumulate(in(self, 0), self.grad.cwiseProduct(d));
    });
}

// --- normalisation and probabilities ----------------------------------------------------------------

// Row-wise stable softmax: subtract the row max (a row of all -inf gives all zeros, not NaN).
static Mat softmaxValue(const Mat& x) {
    Mat y(x.rows(), x.cols());
    for (Index r = 0; r < x.rows(); ++r) {
        const float m = x.row(r).maxCoeff();
        if (!std::isfinite(m)) {  // all -inf (or inf / nan): fall back to a uniform/degenerate but finite row
            y.row(r).setZero();
            continue;
        }
        y.row(r) = x.row(r);
        nn::softmaxInPlace(y.row(r).data(), int(y.cols()));
    }
    return y;
}

Var softmaxRows(const Var& a) {
    return makeResult(softmaxValue(a.value()), {a}, [](Node& self) {
        // dx = y * (g - sum(g * y))
        const Mat& y = self.value;
        Mat gy = self.grad.cwiseProduct(y);
        ColVec s = gy.rowwise().sum();
        accumulate(in(self, 0), gy - (y.array().colwise() * s.array()).matrix());
    });
}

// Row-wise log-softmax computed as (x - max) - log(sum exp(x - max)): exact to float precision even for
// logits of +-1000 (adding the max back first would lose the small part to rounding).
static Mat logSoftmaxValue(const Mat& x) {
    Mat out(x.rows(), x.cols());
    for (Index r = 0; r < x.rows(); ++r) {
        const float m = x.row(r).maxCoeff();
        if (!std::isfinite(m)) {
            out.row(r).setConstant(-std::numeric_limits<float>::infinity());
            continue;
        }
        out.row(r) = x.row(r);
        nn::logSoftmaxInPlace(out.row(r).data(), int(out.cols()));
    }
    return out;
}

Var logSoftmaxRows(const Var& a) {
    return makeResult(logSoftmaxValue(a.value()), {a}, [](Node& self) {
        // dx = g - softmax * sum(g)
        Mat p = self.value.array().exp();
        ColVec s = self.grad.rowwise().sum();
        accumulate(in(self, 0), self.grad - (p.array().colwise() * s.array()).matrix());
    });
}

Var crossEntropy(const Var& logits, std::span<const int> targets, int ignoreIndex) {
    require(Index(targets.size()) == logits.rows(), "crossEntropy", "one target per row expected");
    std::vector<int> t(targets.begin(), targets.end());
    for (int id : t)
        if (id != ignoreIndex && (id < 0 || id >= logits.cols()))
            throw Error("crossEntropy: target id " + std::to_string(id) + " outside the vocabulary of " +
                        std::to_string(logits.cols()));
    Mat logp = logSoftmaxValue(logits.value());  // (N, V)
    double total = 0;
    int count = 0;
    for (Index r = 0; r < logp.rows(); ++r) {
        if (t[size_t(r)] == ignoreIndex) continue;
        total -= double(logp(r, t[size_t(r)]));
        ++count;
    }
    Mat out(1, 1);
    out(0, 0) = count ? float(total / count) : 0.0f;
    return makeResult(std::move(out), {logits}, [t = std::move(t), ignoreIndex, count, logp = std::move(logp)](Node& self) {
        if (!count) return;
        // d/dlogits = (softmax - onehot(target)) / count on counted rows, 0 on ignored rows
        const float g = self.grad(0, 0) / float(count);
        Mat d = Mat::Zero(logp.rows(), logp.cols());
        for (Index r = 0; r < logp.rows(); ++r) {
            if (t[size_t(r)] == ignoreIndex) continue;
            d.row(r) = logp.row(r).array().exp() * g;
            d(r, t[size_t(r)]) -= g;
        }
        accumulate(in(self, 0), d);
    });
}

Var bceWithLogits(const Var& logits, const Mat& targets) {
    require(targets.rows() == logits.rows() && targets.cols() == logits.cols(), "bceWithLogits", "shape mismatch");
    // loss = max(x, 0) - x t + log(1 + exp(-|x|)), stable for any x
    const Mat& x = logits.value();
    const double n = double(x.size());
    const double total =
        (x.cwiseMax(0.0f).array() - x.array() * targets.array() + (-x.array().abs()).exp().log1p()).cast<double>().sum();
    Mat out(1, 1);
    out(0, 0) = float(total / n);
    return makeResult(std::move(out), {logits}, [targets, n](Node& self) {
        Node& L = in(self, 0);
        const float g = self.grad(0, 0) / float(n);
        Mat p = (1.0f + (-L.value.array()).exp()).inverse();
        accumulate(L, ((p - targets).array() * g).matrix());
    });
}

Var layerNorm(const Var& x, const Var& gamma, const Var& beta, float eps) {
    require(gamma.rows() == 1 && gamma.cols() == x.cols() && beta.rows() == 1 && beta.cols() == x.cols(), "layerNorm",
            "gamma and beta must be (1, C)");
    const Index C = x.cols();
    Mat xhat;
    ColVec rstd;
    Mat out = nn::layerNormRows(x.value(), gamma.value(), beta.value(), eps, &xhat, &rstd);  // the shared kernel
    return makeResult(std::move(out), {x, gamma, beta}, [xhat = std::move(xhat), rstd, C](Node& self) {
        Node& X = in(self, 0);
        Node& G = in(self, 1);
        Node& Bt = in(self, 2);
        const Mat& g = self.grad;
        if (G.requiresGrad) accumulate(G, nn::columnSums(g, &xhat));  // sum of g * xhat's rows
        if (Bt.requiresGrad) accumulate(Bt, nn::columnSums(g));
        if (X.requiresGrad) {
            // dxhat = g * gamma; dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
            Mat dxhat = g.array().rowwise() * G.value.row(0).array();
            ColVec m1 = dxhat.rowwise().sum() / float(C);
            ColVec m2 = dxhat.cwiseProduct(xhat).rowwise().sum() / float(C);
            Mat dx(dxhat.rows(), C);  // row by row, each element's four operations in the same order
            for (Index r = 0; r < dx.rows(); ++r)
                dx.row(r) = (((dxhat.row(r).array() - m1(r)) - xhat.row(r).array() * m2(r)) * rstd(r)).matrix();
            accumulate(X, std::move(dx));
        }
    });
}

// --- indexing and structure -------------------------------------------------------------------------

Var embedding(const Var& weight, std::span<const int> ids) {
    const Mat& W = weight.value();
    Mat out(Index(ids.size()), W.cols());
    for (size_t i = 0; i < ids.size(); ++i) {
        if (ids[i] < 0 || ids[i] >= W.rows())
            throw Error("embedding: token id " + std::to_string(ids[i]) + " outside the table of " +
                        std::to_string(W.rows()));
        out.row(Index(i)) = W.row(ids[i]);
    }
    std::vector<int> idv(ids.begin(), ids.end());
    return makeResult(std::move(out), {weight}, [idv = std::move(idv)](Node& self) {
        Node& Wn = in(self, 0);
        Mat d = Mat::Zero(Wn.value.rows(), Wn.value.cols());
        for (size_t i = 0; i < idv.size(); ++i) d.row(idv[i]) += self.grad.row(Index(i));  // scatter-add
        accumulate(Wn, d);
    });
}

Var concatRows(const std::vector<Var>& parts) {
    require(!parts.empty(), "concatRows", "nothing to concatenate");
    Index rows = 0;
    for (const Var& p : parts) {
        require(p.cols() == parts[0].cols(), "concatRows", "parts have different column counts");
        rows += p.rows();
    }
    Mat out(rows, parts[0].cols());
    Index r = 0;
    for (const Var& p : parts) {
        out.middleRows(r, p.rows()) = p.value();
        r += p.rows();
    }
    return makeResult(std::move(out), parts, [](Node& self) {
        Index r0 = 0;
        for (auto& p : self.inputs) {
            const Index n = p->value.rows();
            if (p->requiresGrad) accumulate(*p, self.grad.middleRows(r0, n));
            r0 += n;
        }
    });
}

Var concatCols(const std::vector<Var>& parts) {
    require(!parts.empty(), "concatCols", "nothing to concatenate");
    Index cols = 0;
    for (const Var& p : parts) {
        require(p.rows() == parts[0].rows(), "concatCols", "parts have different row counts");
        cols += p.cols();
    }
    Mat out(parts[0].rows(), cols);
    Index c = 0;
    for (const Var& p : parts) {
        out.middleCols(c, p.cols()) = p.value();
        c += p.cols();
    }
    return makeResult(std::move(out), parts, [](Node& self) {
        Index c0 = 0;
        for (auto& p : self.inputs) {
            const Index n = p->value.cols();
            if (p->requiresGrad) accumulate(*p, self.grad.middleCols(c0, n));
            c0 += n;
        }
    });
}

Var sliceRows(const Var& a, Index start, Index count) {
    require(start >= 0 && count >= 0 && start + count <= a.rows(), "sliceRows", "range outside the matrix");
    Mat out = a.value().middleRows(start, count);
    return makeResult(std::move(out), {a}, [start, count](Node& self) {
        Node& A = in(self, 0);
        Mat d = Mat::Zero(A.value.rows(), A.value.cols());
        d.middleRows(start, count) = self.grad;
        accumulate(A, d);
    });
}

Var sliceCols(const Var& a, Index start, Index count) {
    require(start >= 0 && count >= 0 && start + count <= a.cols(), "sliceCols", "range outside the matrix");
    Mat out = a.value().middleCols(start, count);
    return makeResult(std::move(out), {a}, [start, count](Node& self) {
        Node& A = in(self, 0);
        Mat d = Mat::Zero(A.value.rows(), A.value.cols());
        d.middleCols(start, count) = self.grad;
        accumulate(A, d);
    });
}

Var causalMask(const Var& scores) {
    // Query i may look at keys 0..i (+ offset when there are more keys than queries, e.g. with a cache).
    const Index T = scores.rows(), K = scores.cols();
    const Index offset = K - T;
    Mat out = scores.value();
    const float ninf = -std::numeric_limits<float>::infinity();
    for (Index i = 0; i < T; ++i)
        for (Index j = i + offset + 1; j < K; ++j) out(i, j) = ninf;
    return makeResult(std::move(out), {scores}, [offset](Node& self) {
        Mat d = self.grad;
        for (Index i = 0; i < d.rows(); ++i)
            for (Index j = i + offset + 1; j < d.cols(); ++j) d(i, j) = 0.0f;  // masked: no gradient
        accumulate(in(self, 0), d);
    });
}

// --- reductions -------------------------------------------------------------------------------------

Var sum(const Var& a) {
    Mat out(1, 1);
    out(0, 0) = a.value().sum();
    return makeResult(std::move(out), {a}, [](Node& self) {
        Node& A = in(self, 0);
        accumulate(A, Mat::Constant(A.value.rows(), A.value.cols(), self.grad(0, 0)));
    });
}

Var mean(const Var& a) {
    const float n = float(a.value().size());
    Mat out(1, 1);
    out(0, 0) = a.value().sum() / n;
    return makeResult(std::move(out), {a}, [n](Node& self) {
        Node& A = in(self, 0);
        accumulate(A, Mat::Constant(A.value.rows(), A.value.cols(), self.grad(0, 0) / n));
    });
}

// --- regularisation ---------------------------------------------------------------------------------

Var dropout(const Var& a, float p, Rng& rng, bool training) {
    if (!training || p <= 0.0f) return a;
    require(p < 1.0f, "dropout", "p must be below 1");
    const float keep = 1.0f / (1.0f - p);
    Mat mask(a.rows(), a.cols());
    for (Index i = 0; i < mask.size(); ++i) mask.data()[i] = rng.uniform() < p ? 0.0f : keep;
    Mat out = a.value().cwiseProduct(mask);
    return makeResult(std::move(out), {a}, [mask = std::move(mask)](Node& self) {
        accumulate(in(self, 0), self.grad.cwiseProduct(mask));
    });
}

}  // namespace ar::ops
