#include "core/io/realmodels.h"

#include "core/error.h"
#include "core/data/scorebpe.h"
#include "core/io/llama2c.h"
#include "core/io/modelfile.h"
#include "core/models/gpt2.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace ar {

std::string realModelFormatName(RealModelFormat f) {
    switch (f) {
    case RealModelFormat::None: return "";
    case RealModelFormat::Gpt2HuggingFace: return "gpt2";
    case RealModelFormat::Llama2c: return "llama2.c";
    }
    return "";
}

namespace {
// True when the safetensors header carries arlab's "arlab.kind" metadata (only the header is read).
bool isArlabSafetensors(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    uint64_t n = 0;
    if (!in.read(reinterpret_cast<char*>(&n), 8) || n == 0 || n > (100u << 20)) return false;
    std::string header(size_t(n), '\0');
    if (!in.read(header.data(), std::streamsize(n))) return false;
    return header.find("\"arlab.kind\"") != std::string::npos;
}

// The llama2.c checkpoints of a folder: its .bin files other than tokenizer.bin.
std::vector<fs::path> checkpointsIn(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.is_regular_file(ec) && e.path().extension() == ".bin" && e.path().filename() != "tokenizer.bin")
            out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}
}  // namespace

RealModelFormat detectRealModel(const std::string& path) {
    std::error_code ec;
    const fs::path p(path);
    if (fs::is_directory(p, ec)) {
        if (fs::exists(p / "model.safetensors", ec) || fs::exists(p / "config.json", ec)) return RealModelFormat::Gpt2HuggingFace;
        const auto bins = checkpointsIn(p);
        if (bins.size() == 1) return RealModelFormat::Llama2c;
        if (bins.size() > 1)
            throw Error("folder '" + path + "' holds " + std::to_string(bins.size()) + " llama2.c checkpoints (" +
                        bins[0].filename().string() + ", " + bins[1].filename().string() + ", ...): open one of them");
        throw Error("folder '" + path + "' holds no model: expected model.safetensors + config.json (GPT-2) or a "
                    "llama2.c .bin checkpoint");
    }
    if (!fs::is_regular_file(p, ec)) return RealModelFormat::None;
    const std::string name = p.filename().string();
    if (name == "config.json" || name == "vocab.json" || name == "merges.txt" || name == "tokenizer.json")
        return RealModelFormat::Gpt2HuggingFace;
    if (name == "tokenizer.bin")
        throw Error("'" + path + "' is llama2.c's tokenizer, not a model: open the .bin checkpoint next to it");
    if (p.extension() == ".bin") return RealModelFormat::Llama2c;
    // A .safetensors without arlab metadata is GPT-2's when it is named like it or has config.json beside it (any
    // other stays with arlab's reader, which says what is missing).
    if (p.extension() == ".safetensors" && !isArlabSafetensors(path) &&
        (name == "model.safetensors" || fs::is_regular_file(p.parent_path() / "config.json", ec)))
        return RealModelFormat::Gpt2HuggingFace;
    return RealModelFormat::None;
}

std::unique_ptr<LanguageModel> openRealModel(const std::string& path, const std::string& tokenizerPath) {
    switch (detectRealModel(path)) {
    case RealModelFormat::None: return nullptr;
    case RealModelFormat::Gpt2HuggingFace:
        if (!tokenizerPath.empty())
            throw Error("--tokenizer names a llama2.c tokenizer.bin; a GPT-2 folder brings its own vocab.json + merges.txt");
        return loadGpt2(path);
    case RealModelFormat::Llama2c: {
        std::error_code ec;
        const std::string file = fs::is_directory(path, ec) ? checkpointsIn(path).front().string() : path;
        return loadLlama2c(file, tokenizerPath);
    }
    }
    return nullptr;
}

Tokenizer openTokenizer(const std::string& path, const std::string& tokenizerPath) {
    switch (detectRealModel(path)) {
    case RealModelFormat::Gpt2HuggingFace: return loadGpt2Tokenizer(findGpt2Files(path));
    case RealModelFormat::Llama2c: {
        std::error_code ec;
        const std::string file = fs::is_directory(path, ec) ? checkpointsIn(path).front().string() : path;
        const std::string label = "llama2.c checkpoint '" + file + "'";
        std::ifstream in(file, std::ios::binary);
        if (!in) throw Error(label + ": cannot open");
        std::string head(256, '\0');
        in.read(head.data(), 256);
        head.resize(size_t(in.gcount()));
        const Llama2cHeader h = parseLlama2cHeader(head, fs::file_size(file, ec), label);
        const std::string tok = tokenizerPath.empty() ? llamaTokenizerNextTo(file) : tokenizerPath;
        if (tok.empty()) throw Error("tokenizer.bin not found next to " + fs::path(file).filename().string() + "; name one with --tokenizer FILE");
        return readLlamaTokenizer(tok, h.config.vocab);
    }
    case RealModelFormat::None: break;
    }
    return loadLanguageModel(path)->tokenizer();
}

}  // namespace ar
