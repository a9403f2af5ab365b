#pragma once
// Internal to the safetensors files of core/io, not part of the API:
//   safetensors.cpp        the header: every check, parseSafetensors / readSafetensors / openSafetensors;
//   safetensorsvalues.cpp  tensor values: dtype decoding, chunked reads from an open file, loadParams;
//   safetensorswriter.cpp  deterministic bytes, toSafetensors.
#include "core/io/safetensors.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ar {

// An open model file (openSafetensors): the tensors' values are read from it when a model loads them.
struct TensorSource {
    int fd = -1;
    std::string label;
    ~TensorSource();
};

namespace st {

[[noreturn]] void fail(const std::string& label, const std::string& what);  // throws Error("label: what")
std::string shapeText(const std::vector<int64_t>& shape);                    // "[2, 3]"
uint64_t readU64LE(const unsigned char* p);
std::vector<int64_t> paramShape(const NamedParam& p);                      // its shape, or (rows, cols)

enum class DType { F32, F16, BF16, F64 };
// Element size of every dtype the format defines (0: unknown name). Only F32/F16/BF16/F64 are readable.
int dtypeSize(const std::string& name);
bool readableDtype(const std::string& name, DType& out);  // F32, F16, BF16, F64: true and out set
// `count` values of dtype `dt` (little-endian bytes at p) -> floats, one pass.
void decode(DType dt, const unsigned char* p, size_t count, float* out);
// All `n` bytes at file offset `at`, or a specific error (the file may shrink after its header was checked).
void preadAll(int fd, void* buf, size_t n, uint64_t at, const std::string& label, const std::string& what);

}  // namespace st
}  // namespace ar
