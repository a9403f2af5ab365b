#pragma once
// Model files: one model = one .safetensors file. Metadata keys shared by every kind:
//   "arlab.kind"        "tinygpt" | "rnn" | "lstm" | "gru" | "seq2seq" | "pixelcnn" | "gatedpixelcnn" | "made"
//   "arlab.config"      JSON object of hyperparameters
//   "arlab.tokenizer"   JSON from Tokenizer::toJson() (text models)
//   "arlab.provenance"  JSON object: corpus, seed, steps, train_loss, val_loss, command, ...
#include "core/io/safetensors.h"
#include "core/models/languagemodel.h"

#include <memory>
#include <string>

namespace ar {

// The "arlab.kind" of a parsed file; throws ar::Error when missing.
std::string modelKind(const SafeTensors& file, const std::string& label);
// Builds the text model a file holds (TinyGPT, RNN/LSTM/GRU). Throws ar::Error for another kind, or a
// corrupt or inconsistent file, with a message a teacher can act on.
std::unique_ptr<LanguageModel> loadLanguageModel(const SafeTensors& file, const std::string& label);
std::unique_ptr<LanguageModel> loadLanguageModel(const std::string& path);

}  // namespace ar
