// Safetensors reader (hardened) and writer (deterministic).
//
// File layout:  [8 bytes: header length N, little-endian u64][N bytes: JSON header][data section]
// Header:       {"__metadata__": {"k": "v", ...}, "name": {"dtype": "F32", "shape": [r, c], "data_offsets": [b, e]}, ...}
//
// The reader trusts nothing: every length, offset and shape is checked (overflow first, before anything is
// allocated), the tensors must tile the data section exactly (contiguous, no overlap, no gap, no tail), and each
// failure gets its own message starting with the file's label. Two ways to read: parseSafetensors/readSafetensors
// decode every tensor into TensorEntry::data; openSafetensors checks the same header and leaves the values in the
// file, so loadParams reads each one (pread) straight into the parameter's buffer: one read, no copy of the file.
// The writer sorts tensors by name and pads the header with spaces to a multiple of 8 bytes, like the reference
// implementation, so write -> read -> write gives identical bytes.
#include "core/io/safetensors.h"

#include "core/error.h"
#include "core/io/atomicfile.h"
#include "core/io/readfile.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <unistd.h>

namespace ar {

using json = nlohmann::json;

namespace {

constexpr uint64_t kMaxHeaderBytes = 100'000'000;  // same cap as the reference implementation

[[noreturn]] void fail(const std::string& label, const std::string& what) { throw Error(label + ": " + what); }

std::string shapeText(const std::vector<int64_t>& shape) {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

uint64_t readU64LE(const unsigned char* p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

void appendU64LE(std::string& out, uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(char((v >> (8 * i)) & 0xFF));
}

// --- dtypes -------------------------------------------------------------------------------------------

enum class DType { F32, F16, BF16, F64 };

// Element size of every dtype the format defines (0: unknown name). Only F32/F16/BF16/F64 are readable.
int dtypeSize(const std::string& name) {
    static const std::pair<const char*, int> table[] = {
        {"BOOL", 1}, {"U8", 1},  {"I8", 1},  {"F8_E4M3", 1}, {"F8_E5M2", 1}, {"I16", 2}, {"U16", 2}, {"F16", 2},
        {"BF16", 2}, {"I32", 4}, {"U32", 4}, {"F32", 4},     {"I64", 8},     {"U64", 8}, {"F64", 8}};
    for (const auto& [n, s] : table)
        if (name == n) return s;
    return 0;
}

float halfToFloat(uint16_t h) {  // IEEE binary16 -> binary32, exact (every half is a float)
    const uint32_t sign = uint32_t(h & 0x8000u) << 16;
    const uint32_t exp = (h >> 10) & 0x1Fu;
    uint32_t mant = h & 0x3FFu;
    uint32_t bits;
    if (exp == 0x1F) {
        bits = sign | 0x7F800000u | (mant << 13);  // inf / nan (payload kept)
    } else if (exp != 0) {
        bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
    } else if (mant == 0) {
        bits = sign;  // +-0
    } else {          // subnormal half: normalise
        int e = -1;
        do {
            ++e;
            mant <<= 1;
        } while ((mant & 0x400u) == 0);
        bits = sign | (uint32_t(127 - 15 - e) << 23) | ((mant & 0x3FFu) << 13);
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

float bf16ToFloat(uint16_t h) {
    const uint32_t bits = uint32_t(h) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

// `count` values of dtype `dt` (little-endian bytes at p) -> floats, one pass.
void decode(DType dt, const unsigned char* p, size_t count, float* out) {
    if (count == 0) return;  // an empty tensor: its buffer may be null, and memcpy must not see a null pointer
    switch (dt) {
    case DType::F32:
        if constexpr (std::endian::native == std::endian::little) {
            std::memcpy(out, p, 4 * count);
        } else {
            for (size_t i = 0; i < count; ++i) {
                const uint32_t bits = uint32_t(p[4 * i]) | uint32_t(p[4 * i + 1]) << 8 | uint32_t(p[4 * i + 2]) << 16 |
                                      uint32_t(p[4 * i + 3]) << 24;
                std::memcpy(&out[i], &bits, 4);
            }
        }
        break;
    case DType::F16:
        for (size_t i = 0; i < count; ++i) out[i] = halfToFloat(uint16_t(p[2 * i] | p[2 * i + 1] << 8));
        break;
    case DType::BF16:
        for (size_t i = 0; i < count; ++i) out[i] = bf16ToFloat(uint16_t(p[2 * i] | p[2 * i + 1] << 8));
        break;
    case DType::F64:
        for (size_t i = 0; i < count; ++i) {
            const uint64_t bits = readU64LE(p + 8 * i);
            double d;
            std::memcpy(&d, &bits, 8);
            out[i] = float(d);
        }
        break;
    }
}

// --- header parsing -----------------------------------------------------------------------------------

// nlohmann::json keeps only one of two equal keys. The parser callback sees every key, so duplicates are
// found here (at any depth: two tensors with one name, or a tensor with two "dtype" fields).
json parseHeaderJson(std::string_view text, const std::string& label) {
    std::vector<std::set<std::string>> keysPerObject;
    std::string duplicate;
    int duplicateDepth = 0;
    json::parser_callback_t cb = [&](int depth, json::parse_event_t event, json& parsed) {
        switch (event) {
        case json::parse_event_t::object_start: keysPerObject.emplace_back(); break;
        case json::parse_event_t::object_end:
            if (!keysPerObject.empty()) keysPerObject.pop_back();
            break;
        case json::parse_event_t::key:
            if (!keysPerObject.empty() && parsed.is_string() &&
                !keysPerObject.back().insert(parsed.get<std::string>()).second && duplicate.empty()) {
                duplicate = parsed.get<std::string>();
                duplicateDepth = depth;
            }
            break;
        default: break;
        }
        return true;
    };
    json j;
    try {
        j = json::parse(text.begin(), text.end(), cb, /*allow_exceptions=*/true);
    } catch (const json::exception& e) {
        std::string why = e.what();
        if (auto p = why.find("] "); p != std::string::npos) why = why.substr(p + 2);
        fail(label, "header is not valid JSON (" + why + ")");
    }
    if (!duplicate.empty()) {
        if (duplicateDepth <= 1) fail(label, "header names tensor '" + duplicate + "' more than once");
        fail(label, "header has the key '" + duplicate + "' twice inside one entry");
    }
    return j;
}

struct Raw {
    std::string name;
    std::string dtypeName;
    DType dtype;
    int elemSize;
    std::vector<int64_t> shape;
    uint64_t count;  // elements
    uint64_t begin, end;
};

uint64_t requireU64(const json& v, const std::string& label, const std::string& what) {
    if (!v.is_number_unsigned()) {
        if (v.is_number_integer()) fail(label, what + " is negative (" + v.dump() + ")");
        if (v.is_number_float()) fail(label, what + " is not a whole number below 2^64 (" + v.dump() + ")");
        fail(label, what + " is not a number (" + v.dump() + ")");
    }
    return v.get<uint64_t>();
}

Raw parseEntry(const std::string& name, const json& e, const std::string& label) {
    const std::string t = "tensor '" + name + "'";
    if (!e.is_object()) fail(label, t + ": entry is not a JSON object");
    for (auto it = e.begin(); it != e.end(); ++it)
        if (it.key() != "dtype" && it.key() != "shape" && it.key() != "data_offsets")
            fail(label, t + " has an unexpected field '" + it.key() + "'");
    Raw r;
    r.name = name;
    // dtype
    if (!e.contains("dtype")) fail(label, t + " has no dtype");
    if (!e["dtype"].is_string()) fail(label, t + ": dtype is not a string (" + e["dtype"].dump() + ")");
    const std::string dt = e["dtype"].get<std::string>();
    r.dtypeName = dt;
    r.elemSize = dtypeSize(dt);
    if (r.elemSize == 0) fail(label, t + " has unknown dtype '" + dt + "'");
    if (dt == "F32") r.dtype = DType::F32;
    else if (dt == "F16") r.dtype = DType::F16;
    else if (dt == "BF16") r.dtype = DType::BF16;
    else if (dt == "F64") r.dtype = DType::F64;
    else fail(label, t + " has dtype " + dt + "; arlab reads only floating-point tensors (F32, F16, BF16, F64)");
    // shape: element count and byte size are computed with overflow checks before anything is allocated
    if (!e.contains("shape")) fail(label, t + " has no shape");
    if (!e["shape"].is_array()) fail(label, t + ": shape is not an array (" + e["shape"].dump() + ")");
    uint64_t count = 1;
    bool overflow = false;
    for (size_t i = 0; i < e["shape"].size(); ++i) {
        const uint64_t d = requireU64(e["shape"][i], label, t + ": shape dimension " + std::to_string(i));
        if (d > uint64_t(std::numeric_limits<int64_t>::max()))
            fail(label, t + ": shape dimension " + std::to_string(i) + " is too large (" + std::to_string(d) + ")");
        r.shape.push_back(int64_t(d));
        if (d != 0 && count > std::numeric_limits<uint64_t>::max() / d) overflow = true;
        else count *= d;
    }
    // (a zero dimension makes the product 0 even if other dimensions overflowed; still refuse such a shape)
    if (overflow) fail(label, t + ": shape " + shapeText(r.shape) + " has more elements than fit in 64 bits");
    if (count > std::numeric_limits<uint64_t>::max() / uint64_t(r.elemSize))
        fail(label, t + ": shape " + shapeText(r.shape) + " needs more bytes than fit in 64 bits");
    r.count = count;
    // data_offsets
    if (!e.contains("data_offsets")) fail(label, t + " has no data_offsets");
    const json& off = e["data_offsets"];
    if (!off.is_array() || off.size() != 2)
        fail(label, t + ": data_offsets must be [begin, end] (got " + off.dump() + ")");
    r.begin = requireU64(off[0], label, t + ": data_offsets begin");
    r.end = requireU64(off[1], label, t + ": data_offsets end");
    if (r.end < r.begin)
        fail(label, t + ": data_offsets end " + std::to_string(r.end) + " is before begin " + std::to_string(r.begin));
    const uint64_t need = count * uint64_t(r.elemSize);
    if (need != r.end - r.begin)
        fail(label, t + ": shape " + shapeText(r.shape) + " of " + dt + " needs " + std::to_string(need) +
                        " bytes but data_offsets span " + std::to_string(r.end - r.begin));
    return r;
}

}  // namespace

const TensorEntry* SafeTensors::find(std::string_view name) const {
    for (const auto& t : tensors)
        if (t.name == name) return &t;
    return nullptr;
}

// --- reading ------------------------------------------------------------------------------------------

// An open model file (openSafetensors): the tensors' values are read from it when a model loads them.
struct TensorSource {
    int fd = -1;
    std::string label;
    ~TensorSource() {
        if (fd >= 0) ::close(fd);
    }
};

namespace {

// The header length from the first 8 bytes, checked against the file size.
uint64_t checkedHeaderLength(const unsigned char* first8, uint64_t fileSize, const std::string& label) {
    const uint64_t headerLen = readU64LE(first8);
    if (headerLen > kMaxHeaderBytes)
        fail(label, "header length " + std::to_string(headerLen) + " exceeds the limit of " +
                        std::to_string(kMaxHeaderBytes) + " bytes (is this a .safetensors file?)");
    if (headerLen > fileSize - 8)
        fail(label, "header length " + std::to_string(headerLen) + " runs past end of file (file size " +
                        std::to_string(fileSize) + "; truncated, or not a .safetensors file)");
    if (headerLen < 2) fail(label, "header length " + std::to_string(headerLen) + " is too short for a JSON object");
    return headerLen;
}

void checkFileSize(uint64_t fileSize, const std::string& label) {
    if (fileSize < 8)
        fail(label, "file is " + std::to_string(fileSize) + " bytes, too short to hold the 8-byte header length");
}

// The checked header: metadata and every tensor (sorted by offset, tiling the data section exactly).
struct Header {
    std::map<std::string, std::string> metadata;
    std::vector<Raw> raws;
    uint64_t dataStart = 0;  // file offset of the data section
};

Header parseHeader(std::string_view headerText, uint64_t fileSize, const std::string& label) {
    if (headerText[0] != '{') fail(label, "header does not start with '{'; not a safetensors file");
    const json header = parseHeaderJson(headerText, label);
    if (!header.is_object()) fail(label, "header is not a JSON object");

    Header out;
    out.dataStart = 8 + headerText.size();
    const uint64_t dataSize = fileSize - out.dataStart;
    std::vector<Raw>& raws = out.raws;
    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() == "__metadata__") {
            const json& m = it.value();
            if (!m.is_object()) fail(label, "__metadata__ is not a JSON object of strings");
            for (auto mi = m.begin(); mi != m.end(); ++mi) {
                if (!mi.value().is_string())
                    fail(label, "__metadata__ value of '" + mi.key() + "' is not a string (" + mi.value().dump() + ")");
                out.metadata[mi.key()] = mi.value().get<std::string>();
            }
            continue;
        }
        if (it.key().empty()) fail(label, "header has a tensor with an empty name");
        Raw r = parseEntry(it.key(), it.value(), label);
        if (r.end > dataSize)
            fail(label, "tensor '" + r.name + "' data runs past end of file (offset " + std::to_string(out.dataStart + r.end) +
                            ", file size " + std::to_string(fileSize) + ")");
        raws.push_back(std::move(r));
    }

    // The tensors must tile [0, dataSize) exactly: sorted by offset, each begins where the previous ends.
    std::sort(raws.begin(), raws.end(), [](const Raw& a, const Raw& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end != b.end ? a.end < b.end : a.name < b.name;
    });
    uint64_t pos = 0;
    const Raw* prev = nullptr;
    for (const Raw& r : raws) {
        if (r.begin < pos)
            fail(label, "tensors '" + prev->name + "' (bytes " + std::to_string(prev->begin) + ".." +
                            std::to_string(prev->end) + ") and '" + r.name + "' (bytes " + std::to_string(r.begin) + ".." +
                            std::to_string(r.end) + ") overlap");
        if (r.begin > pos)
            fail(label, "gap of " + std::to_string(r.begin - pos) + " unused bytes before tensor '" + r.name +
                            "' (data offset " + std::to_string(pos) + " to " + std::to_string(r.begin) + ")");
        pos = r.end;
        prev = &r;
    }
    if (pos != dataSize)
        fail(label, std::to_string(dataSize - pos) + " bytes after the last tensor are not used by any tensor " +
                        "(data section " + std::to_string(dataSize) + " bytes, tensors end at " + std::to_string(pos) + ")");
    return out;
}

DType dtypeOf(const std::string& name) {
    if (name == "F16") return DType::F16;
    if (name == "BF16") return DType::BF16;
    if (name == "F64") return DType::F64;
    if (name == "F32") return DType::F32;
    throw Error("tensor dtype '" + name + "' cannot be read");
}

// All `n` bytes at file offset `at`, or a specific error (the file may shrink after its header was checked).
void preadAll(int fd, void* buf, size_t n, uint64_t at, const std::string& label, const std::string& what) {
    auto* p = static_cast<char*>(buf);
    while (n > 0) {
        const ssize_t got = ::pread(fd, p, n, off_t(at));
        if (got < 0) {
            if (errno == EINTR) continue;
            fail(label, "read error in " + what + ": " + std::strerror(errno));
        }
        if (got == 0) fail(label, what + " ends early: the file is shorter than its header says (changed while being read?)");
        p += got;
        n -= size_t(got);
        at += uint64_t(got);
    }
}

using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

// Index of the first NaN or Inf among n floats, or -1. Per block, sum(x * 0) is NaN exactly when some x is NaN
// or Inf (Eigen's vectorised sum); the index is then found one by one.
int64_t firstNonFinite(const float* p, size_t n) {
    constexpr size_t kBlock = 4096;
    for (size_t b = 0; b < n; b += kBlock) {
        const size_t e = std::min(n, b + kBlock);
        if (!std::isnan((ConstArrayMap(p + b, Index(e - b)) * 0.0f).sum())) continue;
        for (size_t i = b; i < e; ++i)
            if (!std::isfinite(p[i])) return int64_t(i);
    }
    return -1;
}

constexpr size_t kChunkValues = size_t(1) << 18;  // read in 1 MB (F32) pieces, each checked while in cache

// The stored values of `t` in chunks: written to dst[first ..] when dst is given (the final buffer), else to a
// chunk-sized staging buffer; fn(first, values, n) after each chunk.
template <class Fn>
void forEachChunk(const TensorEntry& t, float* dst, Fn&& fn) {
    const uint64_t n = t.count();
    if (!t.source) {
        if (t.data.size() != n)
            throw Error("tensor '" + t.name + "' has shape " + shapeText(t.shape) + " (" + std::to_string(n) +
                        " values) but holds " + std::to_string(t.data.size()) + " values");
        if (dst && n) std::memcpy(dst, t.data.data(), 4 * n);
        fn(uint64_t(0), dst ? dst : t.data.data(), size_t(n));
        return;
    }
    const DType dt = dtypeOf(t.dtype);
    const int elem = dtypeSize(t.dtype);
    const std::string what = "tensor '" + t.name + "'";
    const bool direct = dt == DType::F32 && std::endian::native == std::endian::little;
    std::vector<unsigned char> bytes(direct ? 0 : size_t(std::min<uint64_t>(n, kChunkValues)) * size_t(elem));
    std::vector<float> staging(dst ? 0 : size_t(std::min<uint64_t>(n, kChunkValues)));
    for (uint64_t first = 0; first < n; first += kChunkValues) {
        const size_t len = size_t(std::min<uint64_t>(kChunkValues, n - first));
        float* out = dst ? dst + first : staging.data();
        const uint64_t at = t.offset + first * uint64_t(elem);
        if (direct) {
            preadAll(t.source->fd, out, 4 * len, at, t.source->label, what);
        } else {
            preadAll(t.source->fd, bytes.data(), len * size_t(elem), at, t.source->label, what);
            decode(dt, bytes.data(), len, out);
        }
        fn(first, static_cast<const float*>(out), len);
    }
}

}  // namespace

uint64_t TensorEntry::count() const {
    uint64_t n = 1;
    for (int64_t d : shape) n *= uint64_t(std::max<int64_t>(d, 0));
    return n;
}

int64_t TensorEntry::read(float* out) const {
    if (transposed) {
        if (shape.size() != 2) throw Error("tensor '" + name + "': only a 2-D tensor can be stored transposed");
        std::vector<float> stored(static_cast<size_t>(this->count()));  // the one copy: the layout changes
        forEachChunk(*this, stored.data(), [](uint64_t, const float*, size_t) {});
        MatMap(out, Index(shape[0]), Index(shape[1])) = ConstMatMap(stored.data(), Index(shape[1]), Index(shape[0])).transpose();
        return firstNonFinite(out, size_t(count()));
    }
    int64_t bad = -1;
    forEachChunk(*this, out, [&](uint64_t first, const float* p, size_t n) {
        if (bad < 0)
            if (const int64_t k = firstNonFinite(p, n); k >= 0) bad = int64_t(first) + k;
    });
    return bad;
}

void TensorEntry::scan(const std::function<void(uint64_t first, std::span<const float> values)>& fn) const {
    forEachChunk(*this, nullptr, [&](uint64_t first, const float* p, size_t n) { fn(first, std::span<const float>(p, n)); });
}

namespace {
// A tensor's name, shape and dtype as the header states them (its values are read by the caller).
TensorEntry entryOf(const Raw& r) {
    TensorEntry t;
    t.name = r.name;
    t.shape = r.shape;
    t.dtype = r.dtypeName;
    return t;
}
}  // namespace

SafeTensors parseSafetensors(std::string_view bytes, const std::string& label) {
    const uint64_t fileSize = bytes.size();
    checkFileSize(fileSize, label);
    const auto* base = reinterpret_cast<const unsigned char*>(bytes.data());
    const uint64_t headerLen = checkedHeaderLength(base, fileSize, label);
    Header h = parseHeader(bytes.substr(8, headerLen), fileSize, label);
    SafeTensors out;
    out.metadata = std::move(h.metadata);
    for (const Raw& r : h.raws) {
        TensorEntry t = entryOf(r);
        t.data.resize(size_t(r.count));  // bounded: count * elemSize == end - begin <= file size
        decode(r.dtype, base + h.dataStart + r.begin, size_t(r.count), t.data.data());
        out.tensors.push_back(std::move(t));
    }
    return out;
}

// Model files are at most 2 GiB (README "Reliability"); devices are refused (core/io/readfile.h).
constexpr uint64_t kMaxModelFileBytes = uint64_t(2) << 30;

SafeTensors readSafetensors(const std::string& path) {
    const std::string label = "model '" + path + "'";
    return parseSafetensors(readFileLimited(path, kMaxModelFileBytes, label), label);
}

SafeTensors openSafetensors(const std::string& path) {
    const std::string label = "model '" + path + "'";
    auto source = std::make_shared<TensorSource>();
    source->label = label;
    uint64_t fileSize = 0;
    bool regular = false;
    source->fd = openFileLimited(path, kMaxModelFileBytes, label, fileSize, regular);
    if (!regular) return parseSafetensors(readAllLimited(source->fd, false, 0, kMaxModelFileBytes, label), label);
    checkFileSize(fileSize, label);
    unsigned char first8[8];
    preadAll(source->fd, first8, 8, 0, label, "the header length");
    const uint64_t headerLen = checkedHeaderLength(first8, fileSize, label);
    std::string headerText(size_t(headerLen), '\0');
    preadAll(source->fd, headerText.data(), headerText.size(), 8, label, "the header");
    Header h = parseHeader(headerText, fileSize, label);
    SafeTensors out;
    out.metadata = std::move(h.metadata);
    for (const Raw& r : h.raws) {
        TensorEntry t = entryOf(r);
        t.source = source;
        t.offset = h.dataStart + r.begin;
        out.tensors.push_back(std::move(t));
    }
    return out;
}

// --- writing ------------------------------------------------------------------------------------------

std::string serializeSafetensors(const SafeTensors& file) {
    std::vector<const TensorEntry*> order;
    for (const auto& t : file.tensors) order.push_back(&t);
    std::sort(order.begin(), order.end(), [](const TensorEntry* a, const TensorEntry* b) { return a->name < b->name; });
    const auto quote = [](const std::string& s, const std::string& what) {
        try {
            return json(s).dump();
        } catch (const json::exception&) {
            throw Error("safetensors writer: " + what + " is not valid UTF-8");
        }
    };
    // Compact JSON written by hand so the field order is fixed: metadata first, then tensors by name with
    // dtype, shape, data_offsets (the order the reference implementation uses).
    std::string header = "{";
    bool first = true;
    if (!file.metadata.empty()) {
        header += "\"__metadata__\":{";
        bool firstMeta = true;
        for (const auto& [k, v] : file.metadata) {
            if (!firstMeta) header += ",";
            header += quote(k, "a metadata key") + ":" + quote(v, "the metadata value of '" + k + "'");
            firstMeta = false;
        }
        header += "}";
        first = false;
    }
    uint64_t offset = 0;
    for (size_t i = 0; i < order.size(); ++i) {
        const TensorEntry& t = *order[i];
        if (t.name.empty() || t.name == "__metadata__")
            throw Error("safetensors writer: invalid tensor name '" + t.name + "'");
        if (i > 0 && order[i - 1]->name == t.name)
            throw Error("safetensors writer: tensor '" + t.name + "' appears twice");
        uint64_t count = 1;
        for (int64_t d : t.shape) {
            if (d < 0) throw Error("safetensors writer: tensor '" + t.name + "' has a negative dimension");
            if (d != 0 && count > (uint64_t(1) << 60) / uint64_t(d))
                throw Error("safetensors writer: tensor '" + t.name + "' has an impossibly large shape " + shapeText(t.shape));
            count *= uint64_t(d);
        }
        if (count != t.data.size())
            throw Error("safetensors writer: tensor '" + t.name + "' has shape " + shapeText(t.shape) + " (" +
                        std::to_string(count) + " values) but holds " + std::to_string(t.data.size()) + " values");
        if (!first) header += ",";
        first = false;
        header += quote(t.name, "a tensor name") + ":{\"dtype\":\"F32\",\"shape\":[";
        for (size_t k = 0; k < t.shape.size(); ++k) header += (k ? "," : "") + std::to_string(t.shape[k]);
        header += "],\"data_offsets\":[" + std::to_string(offset) + "," + std::to_string(offset + 4 * count) + "]}";
        offset += 4 * count;
    }
    header += "}";
    header.append((8 - header.size() % 8) % 8, ' ');

    std::string out;
    out.reserve(8 + header.size() + offset);
    appendU64LE(out, header.size());
    out += header;
    for (const TensorEntry* t : order) {
        for (float f : t->data) {
            uint32_t bits;
            std::memcpy(&bits, &f, 4);
            for (int b = 0; b < 4; ++b) out.push_back(char((bits >> (8 * b)) & 0xFF));
        }
    }
    return out;
}

// Atomic: core/io/atomicfile.h.
void writeSafetensors(const std::string& path, const SafeTensors& file) {
    const std::string bytes = serializeSafetensors(file);  // throws before anything touches the disk
    writeFileAtomic(path, bytes, "model '" + path + "'");
}

// --- ParamList <-> SafeTensors ------------------------------------------------------------------------

static std::vector<int64_t> paramShape(const NamedParam& p) {
    if (p.shape.empty()) return {int64_t(p.var.rows()), int64_t(p.var.cols())};
    return std::vector<int64_t>(p.shape.begin(), p.shape.end());
}

SafeTensors toSafetensors(const ParamList& params, const std::map<std::string, std::string>& metadata) {
    SafeTensors out;
    out.metadata = metadata;
    std::set<std::string> seen;
    for (const auto& p : params) {
        if (!seen.insert(p.name).second) throw Error("parameter '" + p.name + "' appears twice in the model");
        TensorEntry t;
        t.name = p.name;
        t.shape = paramShape(p);
        int64_t count = 1;
        for (int64_t d : t.shape) count *= d;
        if (count != int64_t(p.var.value().size()))
            throw Error("parameter '" + p.name + "' declares shape " + shapeText(t.shape) + " but holds " +
                        std::to_string(p.var.value().size()) + " values");
        const Mat& v = p.var.value();  // row-major: the data pointer is already in file order
        t.data.assign(v.data(), v.data() + v.size());
        out.tensors.push_back(std::move(t));
    }
    std::sort(out.tensors.begin(), out.tensors.end(),
              [](const TensorEntry& a, const TensorEntry& b) { return a.name < b.name; });
    return out;
}

bool sameValues(const TensorEntry& t, const Mat& m, int64_t* nonFinite) {
    if (nonFinite) *nonFinite = -1;
    bool same = !t.transposed && t.shape == std::vector<int64_t>{m.rows(), m.cols()};
    if (!same && !nonFinite) return false;
    const float* want = m.data();  // row-major: file order
    t.scan([&](uint64_t first, std::span<const float> v) {
        if (nonFinite && *nonFinite < 0)
            if (const int64_t k = firstNonFinite(v.data(), v.size()); k >= 0) *nonFinite = int64_t(first) + k;
        // As floats (-0 == 0, NaN differs): the sum of |a - b| is 0 exactly when every pair is equal.
        if (same) same = (ConstArrayMap(v.data(), Index(v.size())) - ConstArrayMap(want + first, Index(v.size()))).abs().sum() == 0.0f;
    });
    return same;
}

void loadParams(const SafeTensors& file, const ParamList& params, const std::string& label, std::string_view tiedCopy) {
    std::vector<std::string> problems;
    std::vector<std::string> missing, mismatched, extra, nonFinite;
    std::set<std::string> known;
    std::vector<std::pair<const NamedParam*, const TensorEntry*>> matched;
    for (const auto& p : params) {
        known.insert(p.name);
        const TensorEntry* t = file.find(p.name);
        if (!t) {
            missing.push_back("'" + p.name + "'");
            continue;
        }
        const auto want = paramShape(p);
        if (t->shape != want) {
            mismatched.push_back("'" + p.name + "' is " + shapeText(t->shape) + " in the file but the model expects " +
                                 shapeText(want));
            continue;
        }
        matched.push_back({&p, t});
    }
    for (const auto& t : file.tensors)
        if (!known.count(t.name) && t.name != tiedCopy) extra.push_back("'" + t.name + "'");
    const bool structural = !missing.empty() || !extra.empty() || !mismatched.empty();
    // Each tensor is read once, straight into its parameter; when the file does not fit the model, the values
    // are only checked (nothing is copied).
    for (const auto& [p, t] : matched) {
        int64_t bad = -1;
        if (structural) {
            t->scan([&](uint64_t first, std::span<const float> v) {
                for (size_t i = 0; i < v.size() && bad < 0; ++i)
                    if (!std::isfinite(v[i])) bad = int64_t(first + i);
            });
        } else {
            Var v = p->var;
            bad = t->read(v.value().data());
        }
        if (bad >= 0) nonFinite.push_back("'" + p->name + "' (element " + std::to_string(bad) + ")");
    }
    const auto join = [](const std::vector<std::string>& v) {
        std::string s;
        for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
        return s;
    };
    if (!missing.empty()) problems.push_back("missing tensor" + std::string(missing.size() > 1 ? "s " : " ") + join(missing));
    if (!extra.empty()) problems.push_back("unexpected tensor" + std::string(extra.size() > 1 ? "s " : " ") + join(extra));
    if (!mismatched.empty()) problems.push_back("shape mismatch: " + join(mismatched));
    if (!nonFinite.empty()) problems.push_back("non-finite values (NaN or Inf) in " + join(nonFinite));
    if (!problems.empty()) {
        std::string msg = "does not match the model: ";
        for (size_t i = 0; i < problems.size(); ++i) msg += (i ? "; " : "") + problems[i];
        fail(label, msg);
    }
}

}  // namespace ar
