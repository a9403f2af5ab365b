// Safetensors writer (deterministic): tensors sorted by name, the header padded with spaces to a multiple of 8
// bytes like the reference implementation, so write -> read -> write gives identical bytes. Writes are atomic.
#include "core/io/safetensors.h"

#include "core/error.h"
#include "core/io/atomicfile.h"
#include "core/io/safetensorsdetail.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

namespace ar {

using json = nlohmann::json;
using st::paramShape;
using st::shapeText;

namespace {

void appendU64LE(std::string& out, uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(char((v >> (8 * i)) & 0xFF));
}

}  // namespace

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

}  // namespace ar
