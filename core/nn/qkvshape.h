#pragma once
// The layout of a fused qkv input and its one shape check, shared by the standard (attention.cpp) and the tiled
// (flashattention.cpp) self-attention kernels and by TinyGPT's KV-cached step.
//
//   qkv (B*T, C + 2K) = [q (C) | k (K) | v (K)], C = H*D, K = KV*D.
//   H query heads read KV key/value heads (grouped-query attention, Ainslie et al. 2023): query head h reads KV
//   head h / (H / KV). KV = H is multi-head attention (nanoGPT's c_attn, 3C columns), KV = 1 multi-query.
//
// Legend: B batch, T time, H query heads, KV key/value heads, D head width, C = H*D, K = KV*D.
#include "core/error.h"
#include "core/tensor.h"  // Index

#include <string>

namespace ar::nn {

// Head counts of one attention op. An int converts to multi-head attention (KV = H).
struct Heads {
    int query = 1;  // H
    int kv = 1;     // KV: divides H
    Heads(int h) : query(h), kv(h) {}  // NOLINT(google-explicit-constructor): H heads means multi-head
    Heads(int h, int kvHeads) : query(h), kv(kvHeads) {}
    int kvOf(int h) const { return h / (query / kv); }  // the key/value head query head h reads
};

struct QkvLayout {
    Heads heads{1};
    int D = 0;  // head width
    int C = 0;  // H*D: the query part and the output width
    int K = 0;  // KV*D: the key part and the value part
    Index qCol(int h) const { return Index(h) * D; }
    Index kCol(int h) const { return C + Index(heads.kvOf(h)) * D; }
    Index vCol(int h) const { return C + K + Index(heads.kvOf(h)) * D; }
};

// N, cols: the rows and columns of qkv. Returns the layout, or throws ar::Error naming what does not fit.
inline QkvLayout checkQkvShape(Index N, Index cols, int B, int T, Heads heads, bool rope) {
    if (B <= 0 || T <= 0 || N != Index(B) * T)
        throw Error("attention: qkv has " + std::to_string(N) + " rows, expected B*T = " + std::to_string(B) + "*" +
                    std::to_string(T));
    const int H = heads.query, KV = heads.kv;
    if (H <= 0 || KV <= 0 || KV > H || H % KV != 0)
        throw Error("attention: " + std::to_string(KV) + " key/value heads do not divide " + std::to_string(H) +
                    " query heads");
    int D = 0;
    if (KV == H) {
        if (cols % 3 != 0) throw Error("attention: qkv must have 3C columns");
        const int C = int(cols / 3);
        if (C % H != 0) throw Error("attention: " + std::to_string(H) + " heads do not divide the width " + std::to_string(C));
        D = C / H;
    } else {
        if (cols <= 0 || cols % (H + 2 * KV) != 0)
            throw Error("attention: qkv has " + std::to_string(cols) + " columns, not (H + 2 KV) D for " +
                        std::to_string(H) + " query and " + std::to_string(KV) + " key/value heads");
        D = int(cols / (H + 2 * KV));
    }
    if (rope && D % 2 != 0) throw Error("attention: rotary positions need an even head width, got " + std::to_string(D));
    return {heads, D, H * D, KV * D};
}

}  // namespace ar::nn
