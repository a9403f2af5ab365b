#pragma once
// Opening a model in the app: a file path or a Qt resource (":/models/toy-word.safetensors"), through the core
// model registry (core/io/modelregistry.h), checked to be of the family the caller needs.
#include "core/io/modelregistry.h"

#include <QString>

namespace arlab {

// Throws ar::Error naming the file and the problem (missing, corrupt, another family).
ar::OpenedModel openModelAt(const QString& path, ar::ModelFamily family);

}  // namespace arlab
