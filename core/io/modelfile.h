#pragma once
// Model files: one model = one .safetensors file (or, for kinds that claim them, a folder or another format).
// Metadata keys shared by every arlab kind:
//   "arlab.kind"        the registry's kind name (core/io/modelregistry.h lists them all)
//   "arlab.config"      JSON object of hyperparameters
//   "arlab.tokenizer"   JSON from Tokenizer::toJson() (text models)
//   "arlab.provenance"  JSON object: corpus, seed, steps, train_loss, val_loss, command, ...
// Opening and saving go through the model registry; these two are its text-model shortcuts.
#include "core/io/modelregistry.h"
#include "core/io/safetensors.h"
#include "core/models/languagemodel.h"

#include <memory>
#include <string>

namespace ar {

// The "arlab.kind" of a parsed file; throws ar::Error when missing.
std::string modelKind(const SafeTensors& file, const std::string& label);
// The text model a file holds (any kind of the Text family). Throws ar::Error for another family, or a
// corrupt or inconsistent file, with a message a teacher can act on.
inline std::shared_ptr<LanguageModel> loadLanguageModel(const SafeTensors& file, const std::string& label) {
    return loadTextModel(file, label);
}
inline std::shared_ptr<LanguageModel> loadLanguageModel(const std::string& path) { return loadTextModel(path); }

}  // namespace ar
