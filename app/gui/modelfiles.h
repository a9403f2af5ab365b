#pragma once
// Opening a model in the app: a file path, a folder (a GPT-2 Hugging Face folder, a folder with one llama2.c
// checkpoint) or a Qt resource (":/models/toy-word.safetensors"), through the core model registry
// (core/io/modelregistry.h, core/io/realmodels.h). Nothing here reads a format itself.
#include "core/io/modelregistry.h"

#include <QString>

namespace arlab {

// Throws ar::Error naming the file and the problem (missing, corrupt, another family).
ar::OpenedModel openModelAt(const QString& path, ar::ModelFamily family);

// Any model the registry opens (every family). `tokenizerPath` names a llama2.c tokenizer.bin other than the
// one next to the checkpoint ("" = that one); for any other kind of model it is an error. Throws ar::Error.
ar::OpenedModel openAnyModel(const QString& path, const QString& tokenizerPath = {});

// What `path` holds, without reading the weights (for the Open model dialog).
struct ModelPathInfo {
    QString description;        // "GPT-2 (Hugging Face layout): model.safetensors, config.json, vocab.json + merges.txt"
    QString error;              // core's specific message when the path cannot be opened as it is
                                // ("merges.txt not found next to model.safetensors (folder '…')")
    bool llama2c = false;       // a llama2.c checkpoint (a tokenizer may be chosen)
    bool tokenizerNextTo = false;   // llama2.c: tokenizer.bin found next to the checkpoint
};
ModelPathInfo describeModelPath(const QString& path);

// SHA-256 of a model file (Qt resources too) as 64 lowercase hex digits; "" and *error when it cannot be read.
// For a model folder: over the names and SHA-256s of its model files (model.safetensors, config.json,
// vocab.json, merges.txt, tokenizer.json, *.bin), so a change to any of them is found. Sessions name a model by
// it; File -> Open model computes it in the load job (a 500 MB file takes seconds), never on the GUI thread.
QString modelFileSha256(const QString& path, QString* error);

}  // namespace arlab
