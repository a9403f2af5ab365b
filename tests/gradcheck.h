#pragma once
// Finite-difference gradient check for any differentiable function of matrices built from ar::ops.
// Reuse it for your own ops and layers:
//
//   #include "gradcheck.h"
//   auto r = gradcheck::check([](const std::vector<ar::Var>& in) { return myOp(in[0], in[1]); },
//                             {gradcheck::randomMat(3, 4, 1), gradcheck::randomMat(4, 2, 2)});
//   QVERIFY2(r.ok, r.report.c_str());
//
// How it works: the output Y = f(inputs) (any shape) is projected to a scalar L = sum(R .* Y) with a random
// matrix R (several projections, so a wrong gradient cannot hide in a direction R happens to miss). The
// analytic gradient dL/dX comes from ar::backward; the numeric one from central differences
// (L(x + h) - L(x - h)) / (x+h - (x-h)), where the step actually taken in float is used as the denominator and
// L is summed in double from the float outputs. Element (i) passes when
//   |analytic - numeric| <= atol + rtol * max(|analytic|, |numeric|).
// f must be deterministic: an op that draws random numbers (dropout) must reseed its Rng inside f.
// Keep inputs away from kinks (relu at 0) by more than eps.
#include "core/autograd/tape.h"
#include "core/random.h"

#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace gradcheck {

struct Options {
    double eps = 1e-2;       // finite-difference step (float inputs: 1e-2 balances truncation and rounding)
    double rtol = 1e-2;      // relative tolerance
    double atol = 1e-3;      // absolute tolerance
    int projections = 2;     // random projections of the output to a scalar
    uint64_t seed = 1234;    // for the projections
};

struct Result {
    bool ok = true;
    double maxAbsError = 0;  // worst |analytic - numeric| over all elements and projections
    int checked = 0;         // elements compared
    std::string report;      // the first failing elements, or a one-line summary
};

inline ar::Mat randomMat(ar::Index rows, ar::Index cols, uint64_t seed, double lo = -1.0, double hi = 1.0) {
    ar::Rng rng(seed);
    ar::Mat m(rows, cols);
    for (ar::Index i = 0; i < m.size(); ++i) m.data()[i] = float(rng.uniform(lo, hi));
    return m;
}

// Like randomMat but every |value| >= margin (for functions with a kink at 0, e.g. relu).
inline ar::Mat randomMatAwayFromZero(ar::Index rows, ar::Index cols, uint64_t seed, double margin = 0.1) {
    ar::Rng rng(seed);
    ar::Mat m(rows, cols);
    for (ar::Index i = 0; i < m.size(); ++i) {
        const double mag = margin + (1.0 - margin) * rng.uniform();
        m.data()[i] = float(rng.bernoulli(0.5) ? mag : -mag);
    }
    return m;
}

// L = sum(R .* Y) in double from Y's float values; -inf/NaN entries of Y with R == 0 do not count.
inline double project(const ar::Mat& y, const ar::Mat& r) {
    double s = 0;
    for (ar::Index i = 0; i < y.size(); ++i)
        if (r.data()[i] != 0.0f) s += double(r.data()[i]) * double(y.data()[i]);
    return s;
}

using Function = std::function<ar::Var(const std::vector<ar::Var>&)>;

inline Result check(const Function& f, const std::vector<ar::Mat>& inputs, const Options& opt = {}) {
    using namespace ar;
    Result res;
    char line[256];
    int reported = 0;
    Rng rng(opt.seed);
    for (int p = 0; p < opt.projections; ++p) {
        // analytic gradient
        std::vector<Var> vars;
        for (const Mat& m : inputs) vars.push_back(Var::param(m));
        Var y = f(vars);
        Mat r(y.rows(), y.cols());
        for (Index i = 0; i < r.size(); ++i) r.data()[i] = float(rng.uniform(-1.0, 1.0));
        // The projection is its own little op (not ops::mul/sum), so a bug in those cannot mask itself.
        Var loss = makeResult(Mat::Constant(1, 1, float(project(y.value(), r))), {y},
                              [r](Node& self) { accumulate(*self.inputs[0], r * self.grad(0, 0)); });
        if (!loss.requiresGrad()) {
            res.ok = false;
            res.report = "the output does not depend on any input (no graph was recorded)";
            clearTape();
            return res;
        }
        backward(loss);
        // numeric gradient, input by input, element by element
        for (size_t k = 0; k < inputs.size(); ++k) {
            const Mat analytic = vars[k].hasGrad() ? vars[k].node()->grad : Mat::Zero(inputs[k].rows(), inputs[k].cols());
            std::vector<Mat> probe = inputs;
            for (Index i = 0; i < probe[k].size(); ++i) {
                const float x0 = inputs[k].data()[i];
                const float xp = float(double(x0) + opt.eps), xm = float(double(x0) - opt.eps);
                const auto eval = [&](float x) {
                    probe[k].data()[i] = x;
                    NoGradGuard ng;
                    std::vector<Var> in;
                    for (const Mat& m : probe) in.push_back(Var(m));
                    return project(f(in).value(), r);
                };
                const double numeric = (eval(xp) - eval(xm)) / (double(xp) - double(xm));
                probe[k].data()[i] = x0;
                const double a = analytic.data()[i];
                const double err = std::fabs(a - numeric);
                const double tol = opt.atol + opt.rtol * std::max(std::fabs(a), std::fabs(numeric));
                res.maxAbsError = std::max(res.maxAbsError, std::isfinite(err) ? err : INFINITY);
                ++res.checked;
                if (!(err <= tol)) {
                    res.ok = false;
                    if (reported++ < 8) {
                        std::snprintf(line, sizeof line,
                                      "projection %d, input %zu, element (%ld, %ld): analytic %.6g, numeric %.6g\n", p, k,
                                      long(i / inputs[k].cols()), long(i % inputs[k].cols()), a, numeric);
                        res.report += line;
                    }
                }
            }
        }
    }
    if (res.ok) {
        std::snprintf(line, sizeof line, "%d elements agree, max abs error %.3g", res.checked, res.maxAbsError);
        res.report = line;
    }
    return res;
}

}  // namespace gradcheck
