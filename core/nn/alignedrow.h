#pragma once
// alignedRow: run an Eigen pass over a row of n floats as if the row started on a packet boundary (internal to the
// kernels; kernels_softmax.cpp and layerNormRows use it).
//
// Why: Eigen vectorises a pass over a mapped row from its first aligned element and does the elements before it one
// at a time. Those take the scalar function (std::exp, glibc's expf) where the rest take Eigen's packet one (another
// polynomial, another last bit), and a sum adds them in another order. A row's alignment depends on its neighbours
// (row b of a (B, S) block starts at b*S floats), so the same values gave different bits alone and in a batch. A row
// that does not start aligned is copied to an aligned scratch row first: its bits then depend on its values and n
// only, and an aligned row (every row whose length is a multiple of 4) keeps the bits it always had.
//
// Legend: n the row's length.
#include "core/tensor.h"

#include <cstdint>

namespace ar::nn {

inline bool packetAligned(const float* p) { return reinterpret_cast<std::uintptr_t>(p) % EIGEN_DEFAULT_ALIGN_BYTES == 0; }

// v itself when it starts aligned, else an aligned copy of its n floats: this thread's scratch row, valid until the
// thread's next call (a caller that changes the copy writes it back when the pointer is not v).
template <class T>  // float or const float
T* alignedRow(T* v, Index n) {
    if (packetAligned(v)) return v;
    thread_local RowVec scratch;  // (n) heap storage, EIGEN_DEFAULT_ALIGN_BYTES aligned
    scratch = Eigen::Map<const RowVec>(v, n);
    return scratch.data();
}

}  // namespace ar::nn
