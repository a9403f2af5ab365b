#pragma once
// Causal multi-head self-attention as ONE differentiable op (forward and backward side by side in
// attention.cpp), plus the rotary position helpers it shares with the KV-cached decoder in TinyGpt.
//
//   qkv (B*T, 3C) = [q | k | v] along the columns, head h owns columns h*D .. h*D+D-1 of each part
//   (nanoGPT: q, k, v = c_attn(x).split(C); q.view(B, T, H, D)).  D = C / H.
//   scores = q k^T / sqrt(D), masked so that query i sees keys 0..i, softmax over keys, y = P v.
//   y (B*T, C) = heads concatenated again (nanoGPT: y.transpose(1, 2).view(B, T, C)).
//   Grouped-query / multi-query attention: Heads{H, KV} with KV < H key/value heads, qkv (B*T, C + 2K), K = KV*D;
//   query head h reads key/value head h / (H / KV) (see qkvshape.h). The KV heads' gradients sum over their group.
//
// With rope = true, q and k are first rotated by their position (RoPE, Su et al. 2021): in every head
// each pair of features (2i, 2i+1) turns by the angle pos * 10000^(-2i/D). Rotations keep lengths, so
// the score of q_i and k_j depends on i - j only.
#include "core/autograd/ops.h"
#include "core/nn/kernels.h"  // softmaxInPlace
#include "core/nn/qkvshape.h"

#include <vector>

namespace ar::nn {

// The attention probabilities of one forward pass, kept for the heatmap: probs[b * H + h] is (T, T),
// row = query, column = key, each row sums to 1, entries above the diagonal are exactly 0.
struct AttentionMaps {
    int B = 0, H = 0, T = 0;
    std::vector<Mat> probs;  // B*H entries, each (T, T)
    const Mat& at(int b, int h) const { return probs[size_t(b * H + h)]; }
};

// (B*T, C + 2K) -> (B*T, C) (K = C for multi-head: 3C columns). Throws ar::Error when the shapes do not fit
// (the columns, C divisible by H, KV dividing H, D even for rope). `keep` (optional) receives the probabilities.
Var causalSelfAttention(const Var& qkv, int B, int T, Heads heads, bool rope, AttentionMaps* keep = nullptr);

// The KV-cached step's attention for one new token: its query row q (C floats, rotated for rope) against the cached
// keys and values of positions 0..n-1, keys / values (rows >= n, K) (keys rotated). Writes the probabilities
// att (H, n) and y (C floats). The same head layout as the op above; tested equal to it.
void attendCached(const float* q, const Mat& keys, const Mat& values, int n, const QkvLayout& layout, Mat& att, float* y);

// Rotates one head vector x (length D, D even) to position pos; inverse = true rotates back (R^T).
void ropeRotate(float* x, int D, int pos, bool inverse = false);

}  // namespace ar::nn
