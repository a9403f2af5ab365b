// softmaxInPlace / logSoftmaxInPlace: the row softmax every attention, the autograd ops, the translator's attention
// and the logit lens call (kernels.h). One copy, whose bits do not depend on where the row sits in memory: a row that
// does not start on a packet boundary is computed in an aligned copy (alignedrow.h says why), exactly as an aligned
// row is (tst_core_kernels softmaxIgnoresAlignment).
//
// Legend: n the row's length.
#include "core/nn/alignedrow.h"
#include "core/nn/kernels.h"

#include <algorithm>

namespace ar::nn {

void softmaxInPlace(float* v, int n) {
    if (n <= 0) return;
    float* p = alignedRow(v, n);
    Eigen::Map<RowVec> x(p, n);
    const float m = x.maxCoeff();
    x = (x.array() - m).exp();  // vectorised exp
    x /= x.sum();
    if (p != v) std::copy_n(p, n, v);
}

void logSoftmaxInPlace(float* v, int n) {
    if (n <= 0) return;
    float* p = alignedRow(v, n);
    Eigen::Map<RowVec> x(p, n);
    x.array() -= x.maxCoeff();
    x.array() -= std::log(x.array().exp().sum());
    if (p != v) std::copy_n(p, n, v);
}

}  // namespace ar::nn
