// The model registry: every kind arlab can open, and the one open/save/provenance API over them.
#include "core/io/modelregistry.h"

#include "core/error.h"
#include "core/io/modelfile.h"
#include "core/io/realmodels.h"
#include "core/models/charrnn.h"
#include "core/models/imagemodel.h"
#include "core/models/nat.h"
#include "core/models/seq2seq.h"
#include "core/models/moegpt.h"
#include "core/models/tinygpt.h"

#include <algorithm>
#include <filesystem>

namespace ar {

namespace {

OpenedModel textModel(std::unique_ptr<LanguageModel> m) { return wrapModel(std::shared_ptr<LanguageModel>(std::move(m))); }

ModelKind imageKind(const char* name, const char* description) {
    return {name, ModelFamily::Image, description,
            [](const SafeTensors& f, const std::string& label) {
                return wrapModel(std::shared_ptr<ImageModel>(loadImageModel(f, label)));
            },
            {}, {}, {}};
}

ModelKind recurrentKind(const char* name, const char* description) {
    return {name, ModelFamily::Text, description,
            [](const SafeTensors& f, const std::string& label) { return textModel(loadCharRnn(f, label)); }, {}, {}, {}};
}

// ---- the kinds, in the order `arlab-cli info` and error messages list them -----------------------------------
std::vector<ModelKind> builtinKinds() {
    return {
        {"tinygpt", ModelFamily::Text, "decoder-only Transformer (nanoGPT's GPT)",
         [](const SafeTensors& f, const std::string& label) { return textModel(TinyGpt::fromSafetensors(f, label)); },
         [](const OpenedModel& m) { return dynamic_cast<const TinyGpt&>(*m.text).toSafetensors(); }, {}, {}},
        recurrentKind("rnn", "recurrent language model, tanh RNN"),
        recurrentKind("lstm", "recurrent language model, LSTM"),
        recurrentKind("gru", "recurrent language model, GRU"),
        {"moegpt", ModelFamily::Text, "TinyGPT with a mixture-of-experts MLP (top-k routing)",
         [](const SafeTensors& f, const std::string& label) { return textModel(MoeGpt::fromSafetensors(f, label)); }, {}, {}, {}},
        {"seq2seq", ModelFamily::Translator, "zh->en translator: LSTM encoder-decoder with Luong attention",
         [](const SafeTensors& f, const std::string& label) {
             return wrapModel(std::shared_ptr<Seq2Seq>(loadSeq2Seq(f, label)));
         },
         {}, {}, {}},
        {"nat", ModelFamily::ParallelTranslator, "zh->en non-autoregressive translator: Transformer trained as a conditional masked LM",
         [](const SafeTensors& f, const std::string& label) {
             return wrapModel(std::shared_ptr<NatTranslator>(loadNatTranslator(f, label)));
         },
         {}, {}, {}},
        imageKind("pixelcnn", "PixelCNN over binary images (masked convolutions)"),
        imageKind("gatedpixelcnn", "Gated PixelCNN (vertical and horizontal stacks)"),
        imageKind("made", "MADE: masked autoencoder over binary images"),
        // Published checkpoints, read as they are (core/io/realmodels.h). A folder of several llama2.c
        // checkpoints is claimed so that it gets the specific "open one of them" message.
        {"gpt2", ModelFamily::Text, "GPT-2 family in the Hugging Face layout (folder, model.safetensors, config.json)",
         {}, {},
         [](const std::string& p) {
             try {
                 return detectRealModel(p) == RealModelFormat::Gpt2HuggingFace;
             } catch (const Error&) {
                 return false;
             }
         },
         [](const std::string& p) { return textModel(openRealModel(p)); }},
        {"llama", ModelFamily::Text, "llama2.c checkpoint (.bin, legacy or version 1) with tokenizer.bin",
         {}, {},
         [](const std::string& p) {
             try {
                 return detectRealModel(p) == RealModelFormat::Llama2c;
             } catch (const Error& e) {
                 return std::string(e.what()).find("llama2.c checkpoints") != std::string::npos;
             }
         },
         [](const std::string& p) { return textModel(openRealModel(p)); }},
    };
}
// ---------------------------------------------------------------------------------------------------------------

std::vector<ModelKind>& registry() {
    static std::vector<ModelKind> kinds = builtinKinds();
    return kinds;
}

std::string allKindNames() {
    std::string out;
    for (const auto& k : registry()) out += (out.empty() ? "" : ", ") + k.name;
    return out;
}

}  // namespace

std::string familyName(ModelFamily family) {
    switch (family) {
    case ModelFamily::Text: return "text";
    case ModelFamily::Image: return "image";
    case ModelFamily::Translator: return "translator";
    case ModelFamily::ParallelTranslator: return "parallel translator";
    }
    return "unknown";
}

const std::vector<ModelKind>& modelKinds() { return registry(); }

const ModelKind* findModelKind(const std::string& name) {
    for (const auto& k : registry())
        if (k.name == name) return &k;
    return nullptr;
}

void registerModelKind(ModelKind kind) {
    auto& kinds = registry();
    auto it = std::find_if(kinds.begin(), kinds.end(), [&](const ModelKind& k) { return k.name == kind.name; });
    if (it != kinds.end()) *it = std::move(kind);
    else kinds.push_back(std::move(kind));
}

std::string modelKindNames(ModelFamily family) {
    std::string out;
    for (const auto& k : registry())
        if (k.family == family) out += (out.empty() ? "" : ", ") + k.name;
    return out;
}

// --- opening -----------------------------------------------------------------------------------------------------

OpenedModel loadModel(const SafeTensors& file, const std::string& label) {
    const std::string kind = modelKind(file, label);
    const ModelKind* k = findModelKind(kind);
    if (!k || !k->load) throw Error(label + ": unknown arlab.kind '" + kind + "' (known kinds: " + allKindNames() + ")");
    OpenedModel m = k->load(file, label);
    m.kind = kind;
    m.family = k->family;
    return m;
}

OpenedModel loadModel(const std::string& path) {
    const std::string label = "model '" + path + "'";
    for (const auto& k : registry())
        if (k.claims && k.loadPath && k.claims(path)) {
            OpenedModel m = k.loadPath(path);
            m.kind = k.name;
            m.family = k.family;
            return m;
        }
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        std::string why = "known kinds: " + allKindNames();
        try {
            detectRealModel(path);
        } catch (const Error& e) {
            why = e.what();   // "folder '...' holds no model: expected model.safetensors + config.json (GPT-2) or ..."
        }
        throw Error(label + ": is a folder, and no model kind reads folders like it (" + why + ")");
    }
    return loadModel(openSafetensors(path), label);  // values read into the model, once
}

OpenedModel loadModelBytes(std::string_view bytes, const std::string& label) {
    return loadModel(parseSafetensors(bytes, label), label);
}

OpenResult openModel(const std::string& path) {
    OpenResult r;
    try {
        r.model = loadModel(path);
    } catch (const std::exception& e) {
        r.error = e.what();
        if (r.error.empty()) r.error = "model '" + path + "': could not be opened";
    }
    return r;
}

namespace {
std::string familyNoun(ModelFamily family) {   // "an image model", "a seq2seq translator"
    switch (family) {
    case ModelFamily::Text: return "a text model";
    case ModelFamily::Image: return "an image model";
    case ModelFamily::Translator: return "a seq2seq translator";
    case ModelFamily::ParallelTranslator: return "a non-autoregressive translator";
    }
    return "a model";
}
}  // namespace

void checkFamily(const std::string& kind, ModelFamily have, ModelFamily want, const std::string& label) {
    if (have == want) return;
    std::string hint;
    if (have == ModelFamily::Translator || have == ModelFamily::ParallelTranslator) hint = ": it needs a source sentence (use arlab-cli translate)";
    throw Error(label + ": kind '" + kind + "' is " + familyNoun(have) + ", not " + familyNoun(want) + hint);
}

OpenedModel requireFamily(OpenedModel model, ModelFamily family, const std::string& label) {
    checkFamily(model.kind, model.family, family, label);
    return model;
}

std::shared_ptr<LanguageModel> loadTextModel(const SafeTensors& file, const std::string& label) {
    // The family is checked before anything is built, so the message names the real problem.
    const std::string kind = modelKind(file, label);
    if (const ModelKind* k = findModelKind(kind)) checkFamily(kind, k->family, ModelFamily::Text, label);
    return loadModel(file, label).text;
}

std::shared_ptr<LanguageModel> loadTextModel(const std::string& path) {
    return requireFamily(loadModel(path), ModelFamily::Text, "model '" + path + "'").text;
}

std::shared_ptr<ImageModel> loadImageModelFile(const std::string& path) {
    return requireFamily(loadModel(path), ModelFamily::Image, "model '" + path + "'").image;
}

std::shared_ptr<Seq2Seq> loadTranslator(const std::string& path) {
    return requireFamily(loadModel(path), ModelFamily::Translator, "model '" + path + "'").translator;
}

// --- saving ------------------------------------------------------------------------------------------------------

namespace {
// `model` in its family's slot of an OpenedModel.
template <class Model>
OpenedModel wrapped(std::string kind, ModelFamily family, std::shared_ptr<Model> OpenedModel::*slot,
                    std::shared_ptr<Model> model) {
    OpenedModel m;
    m.kind = std::move(kind);
    m.family = family;
    m.*slot = std::move(model);
    return m;
}
}  // namespace

OpenedModel wrapModel(std::shared_ptr<LanguageModel> model) {
    std::string kind = model ? model->kind() : std::string();
    return wrapped(std::move(kind), ModelFamily::Text, &OpenedModel::text, std::move(model));
}

OpenedModel wrapModel(std::shared_ptr<ImageModel> model) {
    std::string kind = model ? model->kind() : std::string();
    return wrapped(std::move(kind), ModelFamily::Image, &OpenedModel::image, std::move(model));
}

OpenedModel wrapModel(std::shared_ptr<Seq2Seq> model) {
    return wrapped("seq2seq", ModelFamily::Translator, &OpenedModel::translator, std::move(model));
}

OpenedModel wrapModel(std::shared_ptr<NatTranslator> model) {
    return wrapped("nat", ModelFamily::ParallelTranslator, &OpenedModel::parallel, std::move(model));
}

SafeTensors modelToSafetensors(const OpenedModel& model) {
    if (!model) throw Error("save: there is no model to save");
    if (const ModelKind* k = findModelKind(model.kind); k && k->save) return k->save(model);
    if (model.text) return toSafetensors(model.text->parameters(), model.text->metadata());
    if (model.image) return toSafetensors(*model.image);
    if (model.parallel) return toSafetensors(model.parallel->parameters(), model.parallel->metadata());
    return toSafetensors(model.translator->parameters(), model.translator->metadata());
}

void saveModel(const OpenedModel& model, const std::string& path) { writeSafetensors(path, modelToSafetensors(model)); }

// --- provenance --------------------------------------------------------------------------------------------------

std::string provenanceOf(const OpenedModel& model) {
    if (model.image) return model.image->provenance;
    if (model.translator) return model.translator->provenanceJson;
    if (model.parallel) return model.parallel->provenanceJson;
    if (model.text) {
        const Metadata meta = model.text->metadata();
        auto it = meta.find("arlab.provenance");
        return it == meta.end() ? std::string("{}") : it->second;
    }
    return "{}";
}

void setProvenance(const OpenedModel& model, std::string json) {
    if (model.image) model.image->provenance = std::move(json);
    else if (model.translator) model.translator->provenanceJson = std::move(json);
    else if (model.parallel) model.parallel->provenanceJson = std::move(json);
    else if (auto* g = dynamic_cast<TinyGpt*>(model.text.get())) g->setProvenance(std::move(json));
    else if (auto* r = dynamic_cast<CharRnn*>(model.text.get())) r->provenanceJson = std::move(json);
    else throw Error("model kind '" + model.kind + "': its provenance cannot be set");
}

}  // namespace ar
