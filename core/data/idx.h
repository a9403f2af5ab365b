#pragma once
// IDX files (the MNIST / Fashion-MNIST format): big-endian header, then raw unsigned bytes.
//   magic: 0x00 0x00 <type 0x08 = ubyte> <number of dimensions>; then one uint32 per dimension; then data.
// Images are idx3 (N, rows, cols); labels are idx1 (N). The reader is strict: wrong magic, wrong dimension
// count, a size that is not exactly header + product(dims), a count mismatch between images and labels or
// a label outside the expected range are each a clear ar::Error naming the file. gzip-compressed files (the
// *.gz that MNIST and Fashion-MNIST ship as) are read directly through zlib; the data is bounded at
// kMaxIdxBytes whether it is compressed or not.
#include "core/data/digits.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ar {

inline constexpr uint64_t kMaxIdxBytes = uint64_t(1) << 30;  // product(dims): 1 GiB

struct IdxArray {
    std::vector<uint32_t> dims;
    std::vector<uint8_t> data;  // product(dims) bytes
};

// Parses an IDX file's bytes; `label` names it in errors. expectedDims: 1 (labels) or 3 (images).
IdxArray parseIdx(std::string_view bytes, int expectedDims, const std::string& label);
IdxArray readIdx(const std::string& path, int expectedDims);  // plain or gzip-compressed
// gzip (one or more members) -> bytes; more than maxBytes of output is an error. label names it in errors.
std::string gunzip(std::string_view gz, uint64_t maxBytes, const std::string& label);

// Reads an image file and its label file into a binary ImageSet: pixel = 1 when value/255 >= threshold.
// maxLabel: labels must be in [0, maxLabel]. limit > 0 keeps only the first `limit` images.
ImageSet readIdxDataset(const std::string& imagesPath, const std::string& labelsPath, float threshold = 0.5f,
                        int maxLabel = 9, int limit = 0);
// The same from bytes already in memory (tests).
ImageSet idxDataset(const IdxArray& images, const IdxArray& labels, float threshold, int maxLabel, int limit,
                    const std::string& label);

}  // namespace ar
