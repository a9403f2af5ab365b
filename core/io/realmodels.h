#pragma once
// Published checkpoints arlab opens as they are (no conversion, nothing downloaded):
//   GPT-2 family   a Hugging Face folder (model.safetensors + config.json + vocab.json/merges.txt or
//                  tokenizer.json), or any one of those files                    core/models/gpt2.h
//   llama2.c       a .bin checkpoint (legacy or version 1) with tokenizer.bin next to it, or a folder holding
//                  exactly one such checkpoint                                    core/io/llama2c.h
// arlab's own .safetensors files (with "arlab.kind" metadata) are not real models here.
#include "core/models/languagemodel.h"

#include <memory>
#include <string>

namespace ar {

enum class RealModelFormat { None, Gpt2HuggingFace, Llama2c };
std::string realModelFormatName(RealModelFormat f);  // "", "gpt2", "llama2.c"

// What `path` holds; None for an arlab .safetensors file (or one neither named model.safetensors nor next to a
// config.json) or a path that does not exist. Throws ar::Error for a folder that holds no model (or several
// llama2.c checkpoints), naming what was expected.
RealModelFormat detectRealModel(const std::string& path);

// Opens a real model; nullptr when detectRealModel(path) is None. `tokenizerPath` names a llama2.c
// tokenizer.bin elsewhere (empty: the one next to the checkpoint); GPT-2 always reads its folder's files.
std::unique_ptr<LanguageModel> openRealModel(const std::string& path, const std::string& tokenizerPath = "");

// Only the tokenizer of a model (a real model's tokenizer files, without reading its weights; an arlab file's
// vocabulary).
Tokenizer openTokenizer(const std::string& path, const std::string& tokenizerPath = "");

}  // namespace ar
