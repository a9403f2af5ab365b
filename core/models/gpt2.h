#pragma once
// The GPT-2 family (gpt2, distilgpt2, gpt2-medium, any GPT-2-architecture fine-tune) in the Hugging Face
// layout, mapped onto TinyGPT: the architecture is nanoGPT's, so no second transformer is needed.
//
//   folder/  model.safetensors   wte.weight (V, C), wpe.weight (T, C), h.N.ln_1.{weight,bias},
//                                h.N.attn.c_attn.{weight (C, 3C), bias}, h.N.attn.c_proj.{weight (C, C), bias},
//                                h.N.ln_2.*, h.N.mlp.c_fc.{weight (C, 4C), bias}, h.N.mlp.c_proj.{weight (4C, C), bias},
//                                ln_f.*; optionally a "transformer." prefix and lm_head.weight (tied: equal to wte)
//            config.json         n_layer, n_head, n_embd, n_positions, vocab_size, layer_norm_epsilon,
//                                activation_function ("gelu_new" = tanh GELU, computed as such)
//            vocab.json + merges.txt, or tokenizer.json
// Conv1D weights are stored (in, out): they are transposed into TinyGPT's (out, in). The attn.bias and
// attn.masked_bias buffers (the causal mask) are ignored.
//
// Legend: V vocab, T positions, C embd, L layers.
#include "core/io/safetensors.h"
#include "core/models/tinygpt.h"

#include <memory>
#include <string>
#include <string_view>

namespace ar {

struct Gpt2Paths {
    std::string weights;        // model.safetensors
    std::string config;         // config.json
    std::string vocab, merges;  // vocab.json + merges.txt, or empty
    std::string tokenizerJson;  // tokenizer.json when there is no vocab.json
};

// `path` is the folder or any of its files. Throws ar::Error naming what is missing, e.g.
// "merges.txt not found next to model.safetensors (folder '...')".
Gpt2Paths findGpt2Files(const std::string& path);
Tokenizer loadGpt2Tokenizer(const Gpt2Paths& paths);

// Builds the model from parsed parts; `weights` is consumed. Throws ar::Error when config.json and the
// tensors disagree, a tensor is missing or unexpected, or the vocabulary sizes differ.
std::unique_ptr<TinyGpt> gpt2FromHuggingFace(SafeTensors weights, std::string_view configJson, Tokenizer tokenizer,
                                             const std::string& label);
std::unique_ptr<TinyGpt> loadGpt2(const std::string& path);

}  // namespace ar
