// Safetensors reader (hardened): the header and its checks.
//
// File layout:  [8 bytes: header length N, little-endian u64][N bytes: JSON header][data section]
// Header:       {"__metadata__": {"k": "v", ...}, "name": {"dtype": "F32", "shape": [r, c], "data_offsets": [b, e]}, ...}
//
// The reader trusts nothing: every length, offset and shape is checked (overflow first, before anything is
// allocated), the tensors must tile the data section exactly (contiguous, no overlap, no gap, no tail), and each
// failure gets its own message starting with the file's label. Two ways to read: parseSafetensors/readSafetensors
// decode every tensor into TensorEntry::data; openSafetensors checks the same header and leaves the values in the
// file, so loadParams reads each one (pread) straight into the parameter's buffer: one read, no copy of the file
// (safetensorsvalues.cpp). The writer is safetensorswriter.cpp.
#include "core/io/safetensors.h"

#include "core/error.h"
#include "core/io/readfile.h"
#include "core/io/safetensorsdetail.h"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

namespace ar {

using json = nlohmann::json;
using namespace st;

namespace {

constexpr uint64_t kMaxHeaderBytes = 100'000'000;  // same cap as the reference implementation

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
    if (!readableDtype(dt, r.dtype))
        fail(label, t + " has dtype " + dt + "; arlab reads only floating-point tensors (F32, F16, BF16, F64)");
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

const std::string& SafeTensors::requireMetadata(const std::string& key, const std::string& label) const {
    auto it = metadata.find(key);
    if (it == metadata.end()) throw Error(label + ": metadata has no '" + key + "'");
    return it->second;
}

void SafeTensors::requireKind(std::string_view kind, const std::string& what, const std::string& label) const {
    const std::string& k = requireMetadata("arlab.kind", label);
    if (k != kind) throw Error(label + ": holds a '" + k + "' model, not " + what);
}

std::string SafeTensors::provenance() const {
    auto it = metadata.find("arlab.provenance");
    return it == metadata.end() ? std::string("{}") : it->second;
}

// --- reading ------------------------------------------------------------------------------------------

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

}  // namespace ar
