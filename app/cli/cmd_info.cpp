// arlab-cli info FILE [--json] [--full]: what a .safetensors file holds, without building a model.
// Metadata (values that are JSON are pretty-printed), then one row per tensor: name, dtype, shape, bytes,
// and the total parameter count. A corrupt file, or one holding NaN or Inf weights, gives a specific error
// (naming the tensors) and exit code 1.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/textmodel.h"
#include "core/error.h"
#include "core/io/safetensors.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace arcli {

namespace {

using nlohmann::json;

int dtypeBytes(const std::string& dtype) {
    if (dtype == "F16" || dtype == "BF16") return 2;
    if (dtype == "F64") return 8;
    return 4;
}

std::string shapeText(const std::vector<int64_t>& shape) {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

std::string withThousands(uint64_t n) {
    std::string s = std::to_string(n);
    for (int i = int(s.size()) - 3; i > 0; i -= 3) s.insert(size_t(i), ",");
    return s;
}

// JSON pretty-printer for a terminal: objects one key per line, arrays of scalars on one line (shortened to
// `maxItems` unless --full), nested arrays/objects indented.
void printJson(const json& v, int indent, size_t maxItems, std::string& out) {
    const std::string pad(size_t(indent) * 2, ' ');
    if (v.is_object()) {
        if (v.empty()) { out += "{}"; return; }
        out += "{\n";
        size_t i = 0;
        for (auto it = v.begin(); it != v.end(); ++it, ++i) {
            out += pad + "  " + json(it.key()).dump() + ": ";
            printJson(it.value(), indent + 1, maxItems, out);
            out += i + 1 < v.size() ? ",\n" : "\n";
        }
        out += pad + "}";
    } else if (v.is_array()) {
        const bool scalars = std::all_of(v.begin(), v.end(), [](const json& x) { return x.is_primitive(); });
        if (scalars) {
            out += "[";
            for (size_t i = 0; i < v.size(); ++i) {
                if (i == maxItems) {
                    out += ", ... (" + std::to_string(v.size()) + " items, --full shows all)";
                    break;
                }
                out += (i ? ", " : "") + v[i].dump(-1, ' ', false, json::error_handler_t::replace);
            }
            out += "]";
        } else {
            out += "[\n";
            for (size_t i = 0; i < v.size(); ++i) {
                out += pad + "  ";
                printJson(v[i], indent + 1, maxItems, out);
                out += i + 1 < v.size() ? ",\n" : "\n";
            }
            out += pad + "]";
        }
    } else {
        out += v.dump(-1, ' ', false, json::error_handler_t::replace);
    }
}

}  // namespace

int cmdInfo(int argc, char** argv) {
    const std::vector<OptionSpec> specs = {
        {"json", "", "machine-readable output (metadata values that are JSON are embedded as JSON)"},
        {"full", "", "do not shorten long lists (e.g. a vocabulary) in the metadata"},
    };
    Args args(argc, argv, 2, specs);
    if (args.printHelp("Usage: arlab-cli info FILE [--json] [--full]\n\n"
                       "Prints a .safetensors file's metadata and tensor table (name, dtype, shape, bytes) and the\n"
                       "total number of parameters. FILE may also be a built-in model name."))
        return 0;
    args.expectPositional(1, "FILE (a .safetensors file)");
    const std::string given = args.positional()[0];
    const std::string path = std::filesystem::exists(given) ? given : resolveModelPath(given);
    const ar::SafeTensors file = ar::openSafetensors(path);  // values read chunk by chunk below, never all at once
    std::error_code ec;
    const uintmax_t fileBytes = std::filesystem::file_size(path, ec);

    // NaN or Inf weights: every command that builds a model refuses them, so info does too, naming the tensors.
    std::string nonFinite;
    for (const auto& t : file.tensors) {
        bool found = false;
        t.scan([&](uint64_t first, std::span<const float> v) {
            for (size_t i = 0; i < v.size() && !found; ++i)
                if (!std::isfinite(v[i])) {
                    nonFinite += (nonFinite.empty() ? "'" : ", '") + t.name + "' (element " + std::to_string(first + i) +
                                 ": " + std::to_string(v[i]) + ")";
                    found = true;
                }
        });
    }
    if (!nonFinite.empty()) throw ar::Error("model '" + path + "': non-finite values (NaN or Inf) in " + nonFinite);

    uint64_t total = 0;
    for (const auto& t : file.tensors) total += t.count();

    if (args.flag("json")) {
        json out;
        out["file"] = path;
        out["bytes"] = ec ? 0 : uint64_t(fileBytes);
        json meta = json::object();
        for (const auto& [k, v] : file.metadata) {
            json parsed = json::parse(v, nullptr, false);
            meta[k] = (!parsed.is_discarded() && parsed.is_structured()) ? parsed : json(v);
        }
        out["metadata"] = meta;
        json tensors = json::array();
        for (const auto& t : file.tensors)
            tensors.push_back({{"name", t.name},
                               {"dtype", t.dtype},
                               {"shape", t.shape},
                               {"bytes", t.count() * uint64_t(dtypeBytes(t.dtype))}});
        out["tensors"] = tensors;
        out["parameters"] = total;
        std::printf("%s\n", out.dump(2, ' ', false, json::error_handler_t::replace).c_str());
        return 0;
    }

    const size_t maxItems = args.flag("full") ? size_t(-1) : 40;
    std::string text = "File: " + path + (ec ? "" : " (" + withThousands(fileBytes) + " bytes)") + "\n";
    text += "Metadata:";
    if (file.metadata.empty()) text += " (none)";
    text += "\n";
    for (const auto& [k, v] : file.metadata) {
        json parsed = json::parse(v, nullptr, false);
        text += "  " + k + ": ";
        if (!parsed.is_discarded() && parsed.is_structured()) printJson(parsed, 1, maxItems, text);
        else text += v;
        text += "\n";
    }
    size_t wName = 4, wShape = 5;
    for (const auto& t : file.tensors) {
        wName = std::max(wName, t.name.size());
        wShape = std::max(wShape, shapeText(t.shape).size());
    }
    text += "Tensors (" + std::to_string(file.tensors.size()) + "):\n";
    char line[1024];
    std::snprintf(line, sizeof line, "  %-*s  %-5s  %-*s  %12s\n", int(wName), "name", "dtype", int(wShape), "shape",
                  "bytes");
    text += line;
    for (const auto& t : file.tensors) {
        const uint64_t bytes = t.count() * uint64_t(dtypeBytes(t.dtype));
        std::snprintf(line, sizeof line, "  %-*s  %-5s  %-*s  %12s\n", int(wName), t.name.c_str(), t.dtype.c_str(),
                      int(wShape), shapeText(t.shape).c_str(), withThousands(bytes).c_str());
        text += line;
    }
    text += "Total parameters: " + withThousands(total) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
}

}  // namespace arcli
