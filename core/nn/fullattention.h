#pragma once
// Multi-head attention WITHOUT a causal mask, as ONE differentiable op (forward and backward side by side in
// fullattention.cpp), and its two uses in an encoder-decoder Transformer:
//
//   attention(q, k, v):  every query attends to every key of its own batch row (Vaswani et al. 2017)
//     q (B*Tq, C), k (B*Tk, C), v (B*Tk, C); head h owns columns h*D .. h*D+D-1, D = C / H.
//     scores = q_h k_h^T / sqrt(D) (Tq, Tk), softmax over keys, y_h = P v_h; y (B*Tq, C) = heads side by side.
//   selfAttention(qkv):  q, k, v from one sequence, qkv = [q | k | v] (B*T, 3C) like nanoGPT's c_attn,
//     but no mask: position i also reads positions after it (the encoder, and the non-autoregressive decoder).
//   crossAttention(q, kv): decoder queries (B*T, C) read the encoder's keys and values kv = [k | v] (B*S, 2C).
//
// Legend: B batch, T / Tq query positions, S / Tk key positions, C width, H heads, D = C / H head width.
#include "core/autograd/ops.h"
#include "core/nn/attention.h"

namespace ar::nn {

// (B*Tq, C), (B*Tk, C), (B*Tk, C) -> (B*Tq, C). Throws ar::Error when the shapes do not fit. `keep`
// (optional) receives the probabilities: keep->probs[b*H + h] is (Tq, Tk) (AttentionMaps::T = Tq).
Var attention(const Var& q, const Var& k, const Var& v, int B, int Tq, int Tk, int H, AttentionMaps* keep = nullptr);

// (B*T, 3C) -> (B*T, C), no mask.
Var selfAttention(const Var& qkv, int B, int T, int H, AttentionMaps* keep = nullptr);

// q (B*T, C) over kv (B*S, 2C) -> (B*T, C).
Var crossAttention(const Var& q, const Var& kv, int B, int T, int S, int H, AttentionMaps* keep = nullptr);

}  // namespace ar::nn
