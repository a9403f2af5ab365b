#pragma once
// Fills a ModelInfo (widgets/modelinfoview.h) from any LanguageModel: its metadata (config, provenance,
// tokenizer) and its parameters.
#include "widgets/modelinfoview.h"

namespace ar {
class LanguageModel;
}

namespace arlab {

ModelInfo describeModel(const ar::LanguageModel& model, const QString& source);

}  // namespace arlab
