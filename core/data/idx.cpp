#include "core/data/idx.h"

#include "core/error.h"
#include "core/io/readfile.h"

#include <zlib.h>

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
                    ", expected 0x00 0x00: not an IDX file)");
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
        if (total > kMaxIdxBytes)
            throw Error(label + ": dimensions describe " + std::to_string(total) + " bytes, more than the limit of " +
                        byteCountText(kMaxIdxBytes));
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

std::string gunzip(std::string_view gz, uint64_t maxBytes, const std::string& label) {
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw Error(label + ": cannot start zlib");
    struct End {
        z_stream* zs;
        ~End() { inflateEnd(zs); }
    } end{&zs};
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
    zs.avail_in = uInt(gz.size());  // files are at most kMaxFileBytes (1 GiB) < 4 GiB
    std::string out;
    char buf[1 << 16];
    for (;;) {
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        const int rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buf, sizeof buf - zs.avail_out);
        if (out.size() > maxBytes)
            throw Error(label + ": decompresses to more than the limit of " + byteCountText(maxBytes));
        if (rc == Z_STREAM_END) {
            if (zs.avail_in == 0) return out;
            if (inflateReset(&zs) != Z_OK) throw Error(label + ": cannot restart zlib");  // another gzip member
            continue;
        }
        if (rc == Z_BUF_ERROR && zs.avail_in == 0) throw Error(label + ": gzip data ends early (truncated file?)");
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            throw Error(label + ": corrupt gzip data (" + std::string(zs.msg ? zs.msg : "zlib error") + ")");
    }
}

IdxArray readIdx(const std::string& path, int expectedDims) {
    const std::string label = "IDX file '" + path + "'";
    std::string bytes = readFileLimited(path, kMaxFileBytes, label);
    if (bytes.size() >= 2 && uint8_t(bytes[0]) == 0x1f && uint8_t(bytes[1]) == 0x8b)
        bytes = gunzip(bytes, kMaxIdxBytes + 4 + 4 * 3, label + " (gzip)");
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
