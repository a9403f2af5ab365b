#pragma once
// Shared by the text-model subcommands (generate, logits, score, attention): find a model by path or
// built-in name, load it through the model-agnostic LanguageModel interface, encode a prompt.
#include "core/models/languagemodel.h"

#include <memory>
#include <string>

namespace arcli {

// A path to an existing file, or a built-in name ("toy-word") looked up as <name>.safetensors in the
// installed share/arlab/models (the source folder's resources/models when run from the build tree) and in
// models/ next to the executable. Throws ar::Error listing the built-in
// names when nothing matches.
std::string resolveModelPath(const std::string& nameOrPath);
std::shared_ptr<const ar::LanguageModel> openLanguageModel(const std::string& nameOrPath);

// [BOS] + the prompt's tokens (strict: unknown pieces are an error naming them). Throws when the result is
// empty (a model without BOS needs a prompt) or longer than the model's context.
// Model output that is NaN or Inf (finite weights can overflow at run time) is an error naming the model file:
// "model '<path>': the model's logits are not finite (nan at row 2, column 5): its weights overflow at run time".
void requireFinite(const ar::Mat& values, const std::string& modelPath, const std::string& what);
void requireFinite(double value, const std::string& modelPath, const std::string& what);

ar::Tokens encodePrompt(const ar::LanguageModel& model, const std::string& text, const std::string& what = "prompt");

}  // namespace arcli
