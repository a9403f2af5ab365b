#pragma once
// Limits before allocation: every model configuration is checked as a whole, in 64-bit arithmetic, before a
// model is built, so a hostile or mistyped file costs milliseconds and a specific message, never bad_alloc or a
// long stall. The limits (README "Reliability"):
//   parameters      at most kMaxParameters (2^29 = 537 million floats, 2 GiB: the model file limit)
//   vocabulary      at most kMaxVocab tokens
//   TinyGPT         1-48 layers, width (n_embd) 1-4096, context (block_size) 1-4096
//   recurrent       1-4 layers, embd and hidden 1-4096;  seq2seq: embd and hidden 1-4096
//   image models    height and width 2-256 (MADE: at least 2 pixels), at most 65536 pixels; PixelCNN channels
//                   1-512, layers 0-64 (gated 1-64), kernels odd, first kernel 3-15, others 1-15, classes 0-1000,
//                   pixels x channels x (layers + 2) at most 2^27 activations per image; MADE 1-8 hidden layers
//                   of 1-65536 units, 1-64 mask sets
// And a model file must hold at least as many values as its config's parameter count (a lower bound from the
// large matrices), checked before the model is built: a small file cannot make arlab allocate a big model.
#include "core/io/safetensors.h"

#include <cstdint>
#include <string>

namespace ar {

struct TinyGptConfig;
struct CharRnnConfig;
struct Seq2SeqConfig;
struct PixelCnnConfig;
struct MadeConfig;

inline constexpr int64_t kMaxParameters = int64_t(1) << 29;
inline constexpr int64_t kMaxVocab = 1000000;
inline constexpr int64_t kMaxImageSide = 256;
inline constexpr int64_t kMaxImagePixels = 65536;
inline constexpr int64_t kMaxImageActivations = int64_t(1) << 27;

// Lower bounds of the parameter count (the weight matrices; biases and norms left out), in 64-bit.
int64_t minParameters(const TinyGptConfig& c);
int64_t minParameters(const CharRnnConfig& c);
int64_t minParameters(const Seq2SeqConfig& c);
int64_t minParameters(const PixelCnnConfig& c, bool gated);
int64_t minParameters(const MadeConfig& c);

// Throws ar::Error "<what>: the configuration has at least N parameters, more than the limit of M".
void checkParameterLimit(int64_t minParams, const std::string& what);
// Throws ar::Error "<label>: the configuration has at least N parameters but the file holds only M values".
void checkFileHoldsParameters(int64_t minParams, const SafeTensors& file, const std::string& label);

// Image model configs (both PixelCNNs, MADE): the documented ranges and the activation budget.
void validatePixelCnnConfig(const PixelCnnConfig& c, bool gated);
void validateMadeConfig(const MadeConfig& c);

}  // namespace ar
