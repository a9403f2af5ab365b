#pragma once
// The cost of generating with a decoder-only Transformer: the KV cache's bytes, the FLOPs of one step with and
// without the cache, measured step times, and the KV bytes per token of multi-head, grouped-query and multi-query
// attention for the same model shape.
//
// FLOPs count the matrix products only (one multiply-add = 2 FLOPs); LayerNorm, softmax, GELU and the residual
// additions are O(C) or O(t) per token and left out. For a TinyGPT of L layers, width C, vocabulary V and
// key/value width K = n_kv_heads * D (K = C for multi-head attention):
//   cached step at position t (t tokens in the cache, the new one attends to t + 1 keys):
//     L * (20 C^2 + 4 C K + 4 C (t + 1)) + 2 C V          (multi-head: L * (24 C^2 + 4 C (t + 1)) + 2 C V)
//       20 C^2 + 4 C K = 2 C (C + 2K) (c_attn) + 2 C * C (attn.c_proj) + 2 * 2 C * 4C (mlp.c_fc, mlp.c_proj)
//       4 C (t + 1) = the scores q k^T and the weighted sum of the values, over all query heads
//   without the cache the whole prefix of n = t + 1 tokens is recomputed (logits for the last one only):
//     L * ((20 C^2 + 4 C K) n + 2 C n (n + 1)) + 2 C V
// KV cache: per token and layer 2 (k and v) * K floats.
//
// Legend: L layers, C width, H heads, KV key/value heads, D = C/H, K = KV*D, V vocabulary, t position (from 0),
// n tokens.
#include "core/models/tinygpt.h"

#include <cstddef>
#include <vector>

namespace ar {

struct GenerationShape {
    int layers = 0, heads = 0, kvHeads = 0, embd = 0, vocab = 0, context = 0;
    static GenerationShape of(const TinyGptConfig& cfg);  // the model's own n_kv_heads
};

size_t kvBytesPerTokenPerLayer(const GenerationShape& s);
size_t kvBytesPerToken(const GenerationShape& s);      // all layers
double flopsCachedStep(const GenerationShape& s, int t);
double flopsUncachedStep(const GenerationShape& s, int t);

// Bytes the state's key and value matrices of layer l really hold (allocated: their sizes in memory), and the
// part filled so far (the rows written: the tokens fed x the matrices' row widths). Both read the cache itself.
size_t kvAllocatedBytes(const TinyGptState& state, int layer);
size_t kvFilledBytes(const TinyGptState& state, int layer);

struct KvVariant {
    const char* name;   // "multi-head" | "grouped-query" | "multi-query"
    int kvHeads;
    size_t bytesPerToken;  // measured: a real cache's allocation (TinyGptState::bytes()) / its context, all layers
};
// The model's shape with n_kv_heads = H, H/2 (when H is even and > 2) and 1: for each, a KV cache is allocated
// exactly as TinyGpt::newState() allocates it (TinyGptState::allocate) and its bytes are read back.
std::vector<KvVariant> kvVariants(const TinyGptConfig& cfg);

// Wall-clock seconds of each decoding step for the tokens, position by position: with the KV cache (step()) and
// without it (a full forward over the prefix, logits()). Measured on this machine, now.
struct StepTimes {
    std::vector<double> cached, uncached;
};
StepTimes measureStepTimes(const TinyGpt& model, const Tokens& tokens, int repeats = 3);

}  // namespace ar
