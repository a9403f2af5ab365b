#pragma once
// Fills a ModelInfo (widgets/modelinfoview.h) from any LanguageModel: its metadata (config, provenance,
// tokenizer) and its parameters.
#include "widgets/modelinfoview.h"

namespace ar {
class LanguageModel;
}

namespace arlab {

ModelInfo describeModel(const ar::LanguageModel& model, const QString& source);
// The family the model's files state: "gpt2" for a GPT-2 folder (read into arlab's TinyGPT), else its kind
// ("tinygpt", "llama", "lstm", ...).
QString modelFamily(const ar::LanguageModel& model);

}  // namespace arlab
