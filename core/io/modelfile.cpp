// Model files: the kind a parsed file names.
#include "core/io/modelfile.h"

#include "core/error.h"

namespace ar {

std::string modelKind(const SafeTensors& file, const std::string& label) {
    auto it = file.metadata.find("arlab.kind");
    if (it == file.metadata.end()) throw Error(label + ": has no arlab.kind metadata; not an arlab model file");
    if (it->second.empty()) throw Error(label + ": arlab.kind metadata is empty; not an arlab model file");
    return it->second;
}

}  // namespace ar
