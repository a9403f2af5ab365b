#pragma once
// Safetensors: 8-byte little-endian header length N, N bytes of JSON header, then the raw tensor data.
// The header maps tensor name -> {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to the
// data section) plus an optional "__metadata__" string -> string map.
//
// The reader is hardened: every failure throws ar::Error with a specific message that starts with the
// file's label, e.g. "model 'x.safetensors': tensor 'wte' data runs past end of file (offset 4096, file size 4000)".
#include "core/autograd/tape.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ar {

struct TensorSource;  // an open model file whose tensor values are read when a model loads them (safetensors.cpp)

struct TensorEntry {
    std::string name;
    std::vector<int64_t> shape;
    std::vector<float> data;  // F32 values (F16/BF16 on disk are converted on read); empty while `source` holds them
    std::string dtype = "F32";  // dtype on disk as read (informational; the writer always writes F32)
    // openSafetensors(): the values are still in the file, at byte `offset`, and read() reads them from there.
    std::shared_ptr<const TensorSource> source;
    uint64_t offset = 0;
    bool transposed = false;  // 2-D: stored as the (shape[1], shape[0]) transpose; read() transposes (GPT-2's Conv1D)

    uint64_t count() const;  // elements: the product of shape
    // Writes the count() values, row-major in `shape`, to out: a file's F32 bytes are read straight into `out`,
    // F16/BF16/F64 converted in one pass; a transposed tensor goes through one temporary. Returns the index in
    // `out` of the first NaN or Inf, or -1. Throws ar::Error naming the file when it cannot be read.
    int64_t read(float* out) const;
    // The stored values in chunks, without a copy of the whole tensor: fn(index of the chunk's first value, values).
    void scan(const std::function<void(uint64_t first, std::span<const float> values)>& fn) const;
};

struct SafeTensors {
    std::vector<TensorEntry> tensors;             // in file order (the writer sorts by name, like PyTorch)
    std::map<std::string, std::string> metadata;  // "__metadata__"
    const TensorEntry* find(std::string_view name) const;
    // arlab's own metadata, for the model loaders: the value of `key`, or ar::Error "<label>: metadata has no
    // '<key>'"; and the check that "arlab.kind" is `kind`, or "<label>: holds a '<other>' model, not <what>".
    const std::string& requireMetadata(const std::string& key, const std::string& label) const;
    void requireKind(std::string_view kind, const std::string& what, const std::string& label) const;
    // "arlab.provenance" (the JSON a model keeps and writes back), or "{}" for a file without one.
    std::string provenance() const;
};

SafeTensors parseSafetensors(std::string_view bytes, const std::string& label);
SafeTensors readSafetensors(const std::string& path);                // label = "model '<path>'"
// The same checks and messages as readSafetensors, but only the header is read: every tensor's values stay in
// the file (TensorEntry::source) until a loader reads them into the model's own buffers. No copy of the file is
// held in memory. (A pipe, which cannot be read twice, is read whole as readSafetensors does.)
SafeTensors openSafetensors(const std::string& path);
std::string serializeSafetensors(const SafeTensors& file);           // deterministic bytes
void writeSafetensors(const std::string& path, const SafeTensors& file);  // writes a temp file, then renames

// ParamList <-> SafeTensors. Shapes come from NamedParam::shape (or (rows, cols)).
SafeTensors toSafetensors(const ParamList& params, const std::map<std::string, std::string>& metadata);
// Reads every tensor into the matching parameter (TensorEntry::read). Throws when a parameter is missing from the
// file, a shape differs, the file holds tensors the model does not know, or values are NaN or Inf (names them
// all; after the non-finite check alone the parameters may hold the values read: loaders discard the model).
// `tiedCopy`: a tensor of that name is neither read nor unexpected (a tied copy; the caller checks it, sameValues).
void loadParams(const SafeTensors& file, const ParamList& params, const std::string& label, std::string_view tiedCopy = {});
// Whether the tensor holds exactly `m` (shape (rows, cols) and every value, read chunk by chunk). `nonFinite`
// (optional) receives the index of its first NaN or Inf, or -1.
bool sameValues(const TensorEntry& t, const Mat& m, int64_t* nonFinite = nullptr);

}  // namespace ar
