// Model files: read a .safetensors file and build the text model its "arlab.kind" names.
#include "core/io/modelfile.h"

#include "core/error.h"
#include "core/models/charrnn.h"
#include "core/models/tinygpt.h"

namespace ar {

std::string modelKind(const SafeTensors& file, const std::string& label) {
    auto it = file.metadata.find("arlab.kind");
    if (it == file.metadata.end()) throw Error(label + ": has no arlab.kind metadata; not an arlab model file");
    if (it->second.empty()) throw Error(label + ": arlab.kind metadata is empty; not an arlab model file");
    return it->second;
}

std::unique_ptr<LanguageModel> loadLanguageModel(const SafeTensors& file, const std::string& label) {
    const std::string kind = modelKind(file, label);

    // ---- dispatch: one branch per text-model kind ------------------------------------------------------
    // Each model engineer adds ONE branch here (and its #include at the top), e.g.
    //   if (kind == "tinygpt") return TinyGpt::fromSafetensors(file, label);
    if (kind == "tinygpt") return TinyGpt::fromSafetensors(file, label);
    if (kind == "rnn" || kind == "lstm" || kind == "gru") return loadCharRnn(file, label);
    // ---- end of dispatch -------------------------------------------------------------------------------

    if (kind == "pixelcnn" || kind == "gatedpixelcnn" || kind == "made")
        throw Error(label + ": kind '" + kind + "' is an image model, not a text model");
    if (kind == "seq2seq")
        throw Error(label + ": kind 'seq2seq' is a translator: it needs a source sentence (use arlab-cli translate)");
    throw Error(label + ": unknown arlab.kind '" + kind +
                "' (known text models: tinygpt, rnn, lstm, gru)");
}

std::unique_ptr<LanguageModel> loadLanguageModel(const std::string& path) {
    return loadLanguageModel(readSafetensors(path), "model '" + path + "'");
}

}  // namespace ar
