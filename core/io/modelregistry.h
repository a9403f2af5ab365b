#pragma once
// One registry of model kinds: a kind ("arlab.kind" in the file) -> how to load it, save it, and read or set
// its provenance. openModel(path) is the one way the GUI and the CLI open a model file; it returns the model
// or a specific error (what, which file, why), never a crash.
//
// Adding a kind (one entry, nothing else to edit):
//   - an arlab .safetensors kind: one ModelKind in builtinKinds() (modelregistry.cpp) with `load` (and `save`
//     when it is not the generic parameters + metadata); its family says which interface it implements.
//   - a kind stored another way (a Hugging Face folder, a llama2.c .bin): give `claims` (looks at the path:
//     folder, extension, first bytes) and `loadPath`. Claiming kinds are asked first, in registry order.
//   - a new family (neither a LanguageModel, an ImageModel nor a Seq2Seq): one value in ModelFamily and one
//     pointer in OpenedModel.
// registerModelKind() adds or replaces a kind at run time (tests, plug-ins); call it before any thread opens files.
#include "core/io/safetensors.h"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ar {

class LanguageModel;
class ImageModel;
class Seq2Seq;
class NatTranslator;

// What a model is used as (which interface it implements).
enum class ModelFamily { Text, Image, Translator, ParallelTranslator };
std::string familyName(ModelFamily family);  // "text" | "image" | "translator" | "parallel translator"

// An opened model: `kind` and `family`, and the one pointer of that family.
struct OpenedModel {
    std::string kind;                        // "tinygpt", "lstm", "pixelcnn", "seq2seq", ...
    ModelFamily family = ModelFamily::Text;
    std::shared_ptr<LanguageModel> text;     // family Text
    std::shared_ptr<ImageModel> image;       // family Image
    std::shared_ptr<Seq2Seq> translator;     // family Translator
    std::shared_ptr<NatTranslator> parallel; // family ParallelTranslator (non-autoregressive, core/models/nat.h)
    explicit operator bool() const { return text || image || translator || parallel; }
};

struct ModelKind {
    std::string name;                        // "tinygpt"
    ModelFamily family = ModelFamily::Text;
    std::string description;                 // one line: "decoder-only Transformer (nanoGPT's GPT)"
    // A parsed arlab .safetensors file of this kind -> the model. Throws ar::Error naming `label`.
    std::function<OpenedModel(const SafeTensors& file, const std::string& label)> load;
    // The model -> the file's tensors and metadata (empty: the family's generic writer).
    std::function<SafeTensors(const OpenedModel& model)> save;
    // Optional, for files that are not arlab .safetensors: does `path` hold this kind? Then loadPath opens it.
    std::function<bool(const std::string& path)> claims;
    std::function<OpenedModel(const std::string& path)> loadPath;
};

const std::vector<ModelKind>& modelKinds();         // registry order
const ModelKind* findModelKind(const std::string& name);
void registerModelKind(ModelKind kind);             // adds, or replaces the kind of the same name
std::string modelKindNames(ModelFamily family);     // "tinygpt, rnn, lstm, gru" (for messages)

// Opening. loadModel* throw ar::Error with a message a teacher can act on; openModel never throws.
OpenedModel loadModel(const std::string& path);
OpenedModel loadModel(const SafeTensors& file, const std::string& label);
OpenedModel loadModelBytes(std::string_view bytes, const std::string& label);   // e.g. a Qt resource's bytes
struct OpenResult {
    OpenedModel model;
    std::string error;                       // empty on success
    bool ok() const { return error.empty(); }
};
OpenResult openModel(const std::string& path);

// The same, checked to be of one family ("kind 'pixelcnn' is an image model, not a text model").
std::shared_ptr<LanguageModel> loadTextModel(const std::string& path);
std::shared_ptr<LanguageModel> loadTextModel(const SafeTensors& file, const std::string& label);
std::shared_ptr<ImageModel> loadImageModelFile(const std::string& path);
std::shared_ptr<Seq2Seq> loadTranslator(const std::string& path);
OpenedModel requireFamily(OpenedModel model, ModelFamily family, const std::string& label);
void checkFamily(const std::string& kind, ModelFamily have, ModelFamily want, const std::string& label);

// Saving: one atomic writer (temporary file + rename) for every kind.
SafeTensors modelToSafetensors(const OpenedModel& model);
void saveModel(const OpenedModel& model, const std::string& path);
OpenedModel wrapModel(std::shared_ptr<LanguageModel> model);
OpenedModel wrapModel(std::shared_ptr<ImageModel> model);
OpenedModel wrapModel(std::shared_ptr<Seq2Seq> model);
OpenedModel wrapModel(std::shared_ptr<NatTranslator> model);

// Provenance ("arlab.provenance": corpus, seed, steps, losses, the command that made it), for every kind.
std::string provenanceOf(const OpenedModel& model);
void setProvenance(const OpenedModel& model, std::string json);

}  // namespace ar
