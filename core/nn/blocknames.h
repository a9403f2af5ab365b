#pragma once
// GPT-2's parameter names for a transformer block's sublayers, spelt once for every block arlab writes
// (TinyGPT, MoE-GPT, the NAT's encoder and decoder blocks):
//   <block>ln_1.  <block>attn.c_attn.  <block>attn.c_proj.     pre-norm self-attention: (C), (3C, C), (C, C)
//   <block>mlp.c_fc.  <block>mlp.c_proj.                        the MLP: (4C, C), (C, 4C)
//
//   C embedding width
#include "core/nn/layernorm.h"
#include "core/nn/linear.h"

#include <string>

namespace ar::nn {

inline void collectSelfAttention(ParamList& out, const std::string& block, const LayerNorm& ln1, const Linear& cAttn,
                                 const Linear& proj) {
    ln1.collect(out, block + "ln_1.");
    cAttn.collect(out, block + "attn.c_attn.");
    proj.collect(out, block + "attn.c_proj.");
}

inline void collectMlp(ParamList& out, const std::string& block, const Linear& cFc, const Linear& proj) {
    cFc.collect(out, block + "mlp.c_fc.");
    proj.collect(out, block + "mlp.c_proj.");
}

}  // namespace ar::nn
