#pragma once
// llama2.c checkpoints (Karpathy's run.c / export.py), fp32:
//   legacy     Config {int32 dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len} (28 bytes);
//              a negative vocab_size means an unshared classifier. Then, in run.c's order: token_embedding,
//              rms_att (all layers), wq, wk, wv, wo, rms_ffn, w1, w2, w3, rms_final, freq_cis_real and
//              freq_cis_imag (seq_len * head_size / 2 each, not used: RoPE is computed), wcls if unshared.
//   version 1  uint32 magic 0x616b3432 ("ak42"), int32 version = 1, the 7 int32 fields (vocab_size > 0),
//              uint8 shared_classifier, zero padding to 256 bytes. Then export.py's order: rms_att (all
//              layers), rms_ffn, rms_final, token_embedding, wq, wk, wv, wo, w1, w2, w3, wcls if unshared.
// The header is checked (negative or huge fields, shapes that do not fit) and the exact file size it implies
// is compared with the real size before anything is allocated. The tokenizer is the tokenizer.bin in the
// checkpoint's folder unless another file is named.
#include "core/models/llama.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace ar {

struct Llama2cHeader {
    LlamaConfig config;
    int version = 0;          // 0 legacy, 1 "ak42" version 1
    uint64_t headerBytes = 0; // 28 or 256
    uint64_t fileBytes = 0;   // the size the header implies
};

// Parses and checks the header against the file size. Throws ar::Error with the specific problem.
Llama2cHeader parseLlama2cHeader(std::string_view head, uint64_t fileSize, const std::string& label);

// The tokenizer.bin next to a checkpoint ("" when there is none).
std::string llamaTokenizerNextTo(const std::string& checkpoint);

// Reads a checkpoint; `tokenizerPath` empty = tokenizer.bin in the checkpoint's folder.
std::unique_ptr<Llama> loadLlama2c(const std::string& path, const std::string& tokenizerPath = "");

}  // namespace ar
