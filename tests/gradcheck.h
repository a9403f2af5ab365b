#pragma once
// Finite-difference gradient check for any differentiable function of matrices built from ar::ops.
// Reuse it for your own ops and layers:
//
//   #include "gradcheck.h"
//   auto r = gradcheck::check([](const std::vector<ar::Var>& in) { return myOp(in[0], in[1]); },
//                             {gradcheck::randomMat(3, 4, 1), gradcheck::randomMat(4, 2, 2)});
//   QVERIFY2(r.ok, r.report.c_str());
//
// For a model's parameters (checked in place) and a loss:
//   auto r = gradcheck::checkParams(model.parameters(), [&] { return model.loss(...); }, {.samples = 20});
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
    uint64_t seed = 1234;    // for the projections (and the sampled elements)
    int samples = 0;         // per var: 0 = every element, n > 0 = n elements drawn at random
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

// A Var checked in place (a model's parameter, or an input the function captures), with a name for reports.
struct Named {
    std::string name;
    ar::Var var;
};

// The one checker. Each var's elements are nudged in place by +-eps (all of them, or opt.samples drawn at random
// per var) and f() re-evaluated under NoGradGuard. f may return any shape: a 1x1 output (a loss) is compared as
// is, any other output is projected with random matrices R as described at the top. Gradients already on the
// vars are cleared first.
inline Result checkVars(const std::vector<Named>& vars, const std::function<ar::Var()>& f, const Options& opt = {}) {
    using namespace ar;
    Result res;
    char line[320];
    int reported = 0;
    Rng rng(opt.seed);
    for (int p = 0; p < opt.projections; ++p) {
        for (const Named& n : vars) const_cast<Var&>(n.var).zeroGrad();
        clearTape();
        Var y = f();
        const bool scalar = y.rows() == 1 && y.cols() == 1;
        Mat r(y.rows(), y.cols());
        if (scalar) r(0, 0) = 1.0f;
        else
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
        const auto eval = [&] {
            NoGradGuard ng;
            return project(f().value(), r);
        };
        for (const Named& n : vars) {
            Var v = n.var;
            const Mat analytic = v.hasGrad() ? Mat(v.grad()) : Mat::Zero(v.rows(), v.cols());
            const Index size = v.value().size();
            const Index count = opt.samples > 0 ? Index(opt.samples) : size;
            for (Index k = 0; k < count && size > 0; ++k) {
                const Index i = opt.samples > 0 ? Index(rng.below(uint64_t(size))) : k;
                float& x = v.value().data()[i];
                const float x0 = x;
                const float xp = float(double(x0) + opt.eps), xm = float(double(x0) - opt.eps);
                x = xp;
                const double lp = eval();
                x = xm;
                const double lm = eval();
                x = x0;
                const double numeric = (lp - lm) / (double(xp) - double(xm));
                const double a = analytic.data()[i];
                const double err = std::fabs(a - numeric);
                const double tol = opt.atol + opt.rtol * std::max(std::fabs(a), std::fabs(numeric));
                res.maxAbsError = std::max(res.maxAbsError, std::isfinite(err) ? err : INFINITY);
                ++res.checked;
                if (!(err <= tol)) {
                    res.ok = false;
                    if (reported++ < 8) {
                        std::snprintf(line, sizeof line, "projection %d, %s element (%ld, %ld): analytic %.6g, numeric %.6g\n",
                                      p, n.name.c_str(), long(i / v.value().cols()), long(i % v.value().cols()), a, numeric);
                        res.report += line;
                    }
                }
            }
        }
        if (scalar) break;  // one projection of a scalar is the scalar itself
    }
    clearTape();
    if (res.ok) {
        std::snprintf(line, sizeof line, "%d elements agree, max abs error %.3g", res.checked, res.maxAbsError);
        res.report = line;
    }
    return res;
}

// Vars named "input 0", "input 1", ... for reports.
inline std::vector<Named> numbered(const std::vector<ar::Var>& vars) {
    std::vector<Named> named;
    for (size_t k = 0; k < vars.size(); ++k) named.push_back({"input " + std::to_string(k), vars[k]});
    return named;
}

// A function of existing vars, checked in place: f(vars).
inline Result checkFunction(const Function& f, const std::vector<ar::Var>& vars, const Options& opt = {}) {
    return checkVars(numbered(vars), [&] { return f(vars); }, opt);
}

// A pure function of fresh inputs: f(inputs) with each input a new parameter.
inline Result check(const Function& f, const std::vector<ar::Mat>& inputs, const Options& opt = {}) {
    std::vector<ar::Var> vars;
    for (const ar::Mat& m : inputs) vars.push_back(ar::Var::param(m));
    return checkFunction(f, vars, opt);
}

// A model's parameters (ar::ParamList or anything with .name and .var), checked in place against loss().
template <class Params>
inline Result checkParams(const Params& params, const std::function<ar::Var()>& loss, const Options& opt = {}) {
    std::vector<Named> named;
    for (const auto& p : params) named.push_back({p.name, p.var});
    return checkVars(named, loss, opt);
}

}  // namespace gradcheck
