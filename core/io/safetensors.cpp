// Safetensors reader (hardened) and writer (deterministic).
//
// File layout:  [8 bytes: header length N, little-endian u64][N bytes: JSON header][data section]
// Header:       {"__metadata__": {"k": "v", ...}, "name": {"dtype": "F32", "shape": [r, c], "data_offsets": [b, e]}, ...}
//
// The reader trusts nothing: every length, offset and shape is checked (overflow first, before anything is
// allocated), the tensors must tile the data section exactly (contiguous, no overlap, no gap, no tail), and each
// failure gets its own message starting with the file's label. The writer sorts tensors by name and pads the
// header with spaces to a multiple of 8 bytes, like the reference implementation, so write -> read -> write
// gives identical bytes.
#include "core/io/safetensors.h"

#include "core/error.h"
#include "core/io/atomicfile.h"
#include "core/io/readfile.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

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

void decode(DType dt, const unsigned char* p, size_t count, float* out) {
    for (size_t i = 0; i < count; ++i) {
        switch (dt) {
        case DType::F32: {
            const uint32_t bits = uint32_t(p[4 * i]) | uint32_t(p[4 * i + 1]) << 8 | uint32_t(p[4 * i + 2]) << 16 |
                                  uint32_t(p[4 * i + 3]) << 24;
            std::memcpy(&out[i], &bits, 4);
            break;
        }
        case DType::F16: out[i] = halfToFloat(uint16_t(p[2 * i] | p[2 * i + 1] << 8)); break;
        case DType::BF16: out[i] = bf16ToFloat(uint16_t(p[2 * i] | p[2 * i + 1] << 8)); break;
        case DType::F64: {
            const uint64_t bits = readU64LE(p + 8 * i);
            double d;
            std::memcpy(&d, &bits, 8);
            out[i] = float(d);
            break;
        }
        }
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

SafeTensors parseSafetensors(std::string_view bytes, const std::string& label) {
    const uint64_t fileSize = bytes.size();
    if (fileSize < 8)
        fail(label, "file is " + std::to_string(fileSize) + " bytes, too short to hold the 8-byte header length");
    const auto* base = reinterpret_cast<const unsigned char*>(bytes.data());
    const uint64_t headerLen = readU64LE(base);
    if (headerLen > kMaxHeaderBytes)
        fail(label, "header length " + std::to_string(headerLen) + " exceeds the limit of " +
                        std::to_string(kMaxHeaderBytes) + " bytes (is this a .safetensors file?)");
    if (headerLen > fileSize - 8)
        fail(label, "header length " + std::to_string(headerLen) + " runs past end of file (file size " +
                        std::to_string(fileSize) + "; truncated, or not a .safetensors file)");
    if (headerLen < 2) fail(label, "header length " + std::to_string(headerLen) + " is too short for a JSON object");
    const std::string_view headerText = bytes.substr(8, headerLen);
    if (headerText[0] != '{') fail(label, "header does not start with '{'; not a safetensors file");
    const json header = parseHeaderJson(headerText, label);
    if (!header.is_object()) fail(label, "header is not a JSON object");

    const uint64_t dataStart = 8 + headerLen;
    const uint64_t dataSize = fileSize - dataStart;
    SafeTensors out;
    std::vector<Raw> raws;
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
            fail(label, "tensor '" + r.name + "' data runs past end of file (offset " + std::to_string(dataStart + r.end) +
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

    for (const Raw& r : raws) {
        TensorEntry t;
        t.name = r.name;
        t.shape = r.shape;
        t.dtype = r.dtypeName;
        t.data.resize(size_t(r.count));  // bounded: count * elemSize == end - begin <= file size
        decode(r.dtype, base + dataStart + r.begin, size_t(r.count), t.data.data());
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

void loadParams(const SafeTensors& file, const ParamList& params, const std::string& label) {
    std::vector<std::string> problems;
    std::vector<std::string> missing, mismatched, extra, nonFinite;
    std::set<std::string> known;
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
        for (size_t i = 0; i < t->data.size(); ++i)
            if (!std::isfinite(t->data[i])) {
                nonFinite.push_back("'" + p.name + "' (element " + std::to_string(i) + ")");
                break;
            }
    }
    for (const auto& t : file.tensors)
        if (!known.count(t.name)) extra.push_back("'" + t.name + "'");
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
    for (const auto& p : params) {
        const TensorEntry* t = file.find(p.name);
        Var v = p.var;
        std::copy(t->data.begin(), t->data.end(), v.value().data());
    }
}

}  // namespace ar
