#pragma once
// The one shape check of a fused qkv input, shared by the standard (attention.cpp) and the tiled
// (flashattention.cpp) self-attention kernels.
//   qkv (B*T, 3C), H heads of width D = C / H; rope needs an even D.
#include "core/error.h"
#include "core/tensor.h"  // Index

#include <string>

namespace ar::nn {

// N, cols: the rows and columns of qkv. Returns the head width D, or throws ar::Error naming what does not fit.
inline int checkQkvShape(Index N, Index cols, int B, int T, int H, bool rope) {
    if (B <= 0 || T <= 0 || N != Index(B) * T)
        throw Error("attention: qkv has " + std::to_string(N) + " rows, expected B*T = " + std::to_string(B) + "*" +
                    std::to_string(T));
    if (cols % 3 != 0) throw Error("attention: qkv must have 3C columns");
    const int C = int(cols / 3);
    if (H <= 0 || C % H != 0)
        throw Error("attention: " + std::to_string(H) + " heads do not divide the width " + std::to_string(C));
    const int D = C / H;
    if (rope && D % 2 != 0) throw Error("attention: rotary positions need an even head width, got " + std::to_string(D));
    return D;
}

}  // namespace ar::nn
