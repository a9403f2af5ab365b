#pragma once
// The append-only KV cache of a Transformer's decode step, shared by TinyGPT (GPT-2 folders are read into it) and
// Llama. A step appends row `len` of every layer's K and V; Back truncates by moving `len` (O(1)); a branch that
// needs its own cache clones only the filled rows.
//
// Legend: T context positions, K = KV heads * head size (the width of a layer's keys and values), H heads.
#include "core/models/languagemodel.h"
#include "core/tensor.h"

#include <vector>

namespace ar {

struct KvCacheState : DecodeState {
    int len = 0;                 // tokens fed so far
    // Per layer (T, K): row t = key / value of position t (keys rotated for RoPE). Each head's scores and weighted
    // sum read the contiguous floats of its key/value head per row.
    std::vector<Mat> k, v;
    std::vector<Mat> attention;  // per layer (H, len): the last step's attention rows (empty after truncate)

    int length() const override { return len; }
    bool truncate(int length) override;  // throws ar::Error outside [0, len]
    size_t bytes() const override;       // the K and V buffers, whole context

protected:
    void copyFilledInto(KvCacheState& c) const;  // len, the attention rows, and rows 0..len-1 of K and V
};

}  // namespace ar
