#pragma once
// Shared by the text-model subcommands (generate, logits, score, attention): find a model by path or
// built-in name, load it through the model-agnostic LanguageModel interface, encode a prompt.
#include "app/cli/args.h"
#include "core/models/languagemodel.h"

#include <memory>
#include <string>

namespace arcli {

// A path to an existing file, or a built-in name ("toy-word") looked up as <name>.safetensors in the
// installed share/arlab/models (the source folder's resources/models when run from the build tree) and in
// models/ next to the executable. Throws ar::Error listing the built-in
// names when nothing matches.
std::string resolveModelPath(const std::string& nameOrPath);
// How messages name a model: the path as given when it exists (a file or a real model's folder), else the
// built-in file `nameOrPath` resolves to.
std::string modelLabel(const std::string& nameOrPath);
// Also a real model's file or folder (GPT-2 Hugging Face layout, llama2.c checkpoint: core/io/realmodels.h);
// `tokenizerPath` names a llama2.c tokenizer.bin other than the one next to the checkpoint.
std::shared_ptr<ar::LanguageModel> openLanguageModel(const std::string& nameOrPath,
                                                           const std::string& tokenizerPath = "");
// The --tokenizer FILE option every text command takes.
OptionSpec tokenizerOption();

// A token or a vocabulary for JSON output: valid UTF-8 always (bytes of a BPE token that stop inside a
// character are written "\xHH", see Tokenizer::decodeText).
std::string jsonToken(const ar::Tokenizer& tok, int id);
std::vector<std::string> jsonVocab(const ar::Tokenizer& tok);

// [BOS] + the prompt's tokens (strict: unknown pieces are an error naming them). Throws when the result is
// empty (a model without BOS needs a prompt) or longer than the model's context.
// Model output that is NaN or Inf (finite weights can overflow at run time) is an error naming the model file:
// "model '<path>': the model's logits are not finite (nan at row 2, column 5): its weights overflow at run time".
void requireFinite(const ar::Mat& values, const std::string& modelPath, const std::string& what);
void requireFinite(double value, const std::string& modelPath, const std::string& what);

ar::Tokens encodePrompt(const ar::LanguageModel& model, const std::string& text, const std::string& what = "prompt");

}  // namespace arcli
