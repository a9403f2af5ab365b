#include "core/data/idx.h"

#include "core/error.h"

#include <fstream>
#include <sstream>

namespace ar {

namespace {
uint32_t be32(std::string_view b, size_t at) {
    return (uint32_t(uint8_t(b[at])) << 24) | (uint32_t(uint8_t(b[at + 1])) << 16) |
           (uint32_t(uint8_t(b[at + 2])) << 8) | uint32_t(uint8_t(b[at + 3]));
}
std::string hexByte(uint8_t v) {
    static const char* digits = "0123456789abcdef";
    return std::string("0x") + digits[v >> 4] + digits[v & 15];
}
}  // namespace

IdxArray parseIdx(std::string_view bytes, int expectedDims, const std::string& label) {
    if (bytes.size() < 4)
        throw Error(label + ": too short for an IDX header (" + std::to_string(bytes.size()) + " bytes)");
    const uint8_t m0 = uint8_t(bytes[0]), m1 = uint8_t(bytes[1]), type = uint8_t(bytes[2]), nd = uint8_t(bytes[3]);
    if (m0 != 0 || m1 != 0)
        throw Error(label + ": bad magic number (first two bytes " + hexByte(m0) + " " + hexByte(m1) +
                    ", expected 0x00 0x00; is the file still gzip-compressed?)");
    if (type != 0x08)
        throw Error(label + ": unsupported IDX element type " + hexByte(type) + " (only 0x08 = unsigned byte)");
    if (nd != expectedDims)
        throw Error(label + ": has " + std::to_string(nd) + " dimensions, expected " + std::to_string(expectedDims) +
                    (expectedDims == 3 ? " (an image file: count, rows, cols)" : " (a label file: count)"));
    const size_t header = 4 + 4 * size_t(nd);
    if (bytes.size() < header)
        throw Error(label + ": truncated header (" + std::to_string(bytes.size()) + " bytes, need " +
                    std::to_string(header) + ")");
    IdxArray out;
    uint64_t total = 1;
    for (int i = 0; i < nd; ++i) {
        const uint32_t d = be32(bytes, 4 + 4 * size_t(i));
        if (d == 0 || d > (1u << 28)) throw Error(label + ": dimension " + std::to_string(i) + " is " + std::to_string(d));
        out.dims.push_back(d);
        total *= d;
        if (total > (uint64_t(1) << 34)) throw Error(label + ": dimensions describe an implausibly large array");
    }
    const uint64_t expected = header + total;
    if (bytes.size() < expected)
        throw Error(label + ": truncated: " + std::to_string(bytes.size()) + " bytes, the header promises " +
                    std::to_string(expected));
    if (bytes.size() > expected)
        throw Error(label + ": " + std::to_string(bytes.size() - expected) +
                    " unexpected bytes after the data (file size " + std::to_string(bytes.size()) + ", expected " +
                    std::to_string(expected) + ")");
    out.data.assign(reinterpret_cast<const uint8_t*>(bytes.data()) + header,
                    reinterpret_cast<const uint8_t*>(bytes.data()) + expected);
    return out;
}

IdxArray readIdx(const std::string& path, int expectedDims) {
    const std::string label = "IDX file '" + path + "'";
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(label + ": cannot open");
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string bytes = ss.str();
    if (bytes.size() >= 2 && uint8_t(bytes[0]) == 0x1f && uint8_t(bytes[1]) == 0x8b)
        throw Error(label + ": is gzip-compressed; decompress it first (gzip -dk '" + path + "')");
    return parseIdx(bytes, expectedDims, label);
}

ImageSet idxDataset(const IdxArray& images, const IdxArray& labels, float threshold, int maxLabel, int limit,
                    const std::string& label) {
    if (images.dims.size() != 3) throw Error(label + ": image array must have 3 dimensions");
    if (labels.dims.size() != 1) throw Error(label + ": label array must have 1 dimension");
    if (images.dims[0] != labels.dims[0])
        throw Error(label + ": " + std::to_string(images.dims[0]) + " images but " + std::to_string(labels.dims[0]) +
                    " labels");
    if (!(threshold > 0.0f && threshold <= 1.0f)) throw Error(label + ": threshold must be in (0, 1]");
    const int n = limit > 0 ? std::min<int>(limit, int(images.dims[0])) : int(images.dims[0]);
    const int h = int(images.dims[1]), w = int(images.dims[2]);
    ImageSet set;
    set.height = h;
    set.width = w;
    set.images.resize(n, Index(h) * w);
    set.labels.resize(n);
    const float cut = threshold * 255.0f;
    for (int i = 0; i < n; ++i) {
        const int l = labels.data[size_t(i)];
        if (l > maxLabel)
            throw Error(label + ": label " + std::to_string(l) + " of item " + std::to_string(i) +
                        " is outside 0-" + std::to_string(maxLabel));
        set.labels[i] = l;
        const uint8_t* px = images.data.data() + size_t(i) * h * w;
        for (int j = 0; j < h * w; ++j) set.images(i, j) = float(px[j]) >= cut ? 1.0f : 0.0f;
    }
    return set;
}

ImageSet readIdxDataset(const std::string& imagesPath, const std::string& labelsPath, float threshold, int maxLabel,
                        int limit) {
    const IdxArray images = readIdx(imagesPath, 3);
    const IdxArray labels = readIdx(labelsPath, 1);
    return idxDataset(images, labels, threshold, maxLabel, limit,
                      "IDX pair '" + imagesPath + "' + '" + labelsPath + "'");
}

}  // namespace ar
