#pragma once
// Safetensors: 8-byte little-endian header length N, N bytes of JSON header, then the raw tensor data.
// The header maps tensor name -> {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to the
// data section) plus an optional "__metadata__" string -> string map.
//
// The reader is hardened: every failure throws ar::Error with a specific message that starts with the
// file's label, e.g. "model 'x.safetensors': tensor 'wte' data runs past end of file (offset 4096, file size 4000)".
#include "core/autograd/tape.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ar {

struct TensorEntry {
    std::string name;
    std::vector<int64_t> shape;
    std::vector<float> data;  // F32 values (F16/BF16 on disk are converted on read)
    std::string dtype = "F32";  // dtype on disk as read (informational; the writer always writes F32)
};

struct SafeTensors {
    std::vector<TensorEntry> tensors;             // in file order (the writer sorts by name, like PyTorch)
    std::map<std::string, std::string> metadata;  // "__metadata__"
    const TensorEntry* find(std::string_view name) const;
};

SafeTensors parseSafetensors(std::string_view bytes, const std::string& label);
SafeTensors readSafetensors(const std::string& path);                // label = "model '<path>'"
std::string serializeSafetensors(const SafeTensors& file);           // deterministic bytes
void writeSafetensors(const std::string& path, const SafeTensors& file);  // writes a temp file, then renames

// ParamList <-> SafeTensors. Shapes come from NamedParam::shape (or (rows, cols)).
SafeTensors toSafetensors(const ParamList& params, const std::map<std::string, std::string>& metadata);
// Copies every tensor into the matching parameter. Throws when a parameter is missing from the file, a
// shape differs, or the file holds tensors the model does not know (names them all).
void loadParams(const SafeTensors& file, const ParamList& params, const std::string& label);

}  // namespace ar
