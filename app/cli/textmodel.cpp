#include "app/cli/textmodel.h"

#include "core/error.h"
#include "core/data/utf8.h"
#include "core/io/modelfile.h"
#include "core/io/realmodels.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>
#include <unistd.h>

namespace fs = std::filesystem;

namespace arcli {

namespace {
// Where built-in models live, in order: installed (share/arlab/models next to bin/, found from the
// executable's own location, so any prefix works); the source folder's resources/models, only when this
// executable sits in the build tree; models/ next to the executable and the executable's folder (an
// unpacked copy). An installed arlab-cli never reads the source folder, even on the machine that built it.
std::vector<fs::path> modelDirs() {
    std::vector<fs::path> dirs;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return dirs;
    const fs::path bin = exe.parent_path();
#ifdef ARLAB_DATA_FROM_BIN
    dirs.push_back((bin / ARLAB_DATA_FROM_BIN / "models").lexically_normal());
#endif
#if defined(ARLAB_RESOURCES_DIR) && defined(ARLAB_BUILD_DIR)
    const fs::path build = fs::weakly_canonical(ARLAB_BUILD_DIR, ec);
    const auto rel = bin.lexically_relative(build);
    if (!ec && !rel.empty() && *rel.begin() != "..") dirs.emplace_back(fs::path(ARLAB_RESOURCES_DIR) / "models");
#endif
    dirs.push_back(bin / "models");
    dirs.push_back(bin);
    return dirs;
}
}  // namespace

std::string resolveModelPath(const std::string& name) {
    std::error_code ec;
    if (fs::is_regular_file(name, ec)) return name;
    if (fs::exists(name, ec)) throw ar::Error("model '" + name + "' is not a regular file");
    const bool looksLikePath = name.find('/') != std::string::npos || name.find(".safetensors") != std::string::npos;
    std::set<std::string> builtins;
    for (const auto& dir : modelDirs()) {
        const fs::path candidate = dir / (name + ".safetensors");
        if (!looksLikePath && fs::is_regular_file(candidate, ec)) return candidate.string();
        for (const auto& e : fs::directory_iterator(dir, ec))
            if (e.path().extension() == ".safetensors") builtins.insert(e.path().stem().string());
    }
    std::string list;
    for (const auto& b : builtins) list += (list.empty() ? "" : ", ") + b;
    if (looksLikePath) throw ar::Error("model file '" + name + "' does not exist");
    throw ar::Error("model '" + name + "': no such file and no built-in model of that name" +
                    (list.empty() ? std::string() : " (built-in: " + list + ")"));
}

std::string modelLabel(const std::string& nameOrPath) {
    std::error_code ec;
    return fs::exists(nameOrPath, ec) ? nameOrPath : resolveModelPath(nameOrPath);
}

std::shared_ptr<ar::LanguageModel> openLanguageModel(const std::string& nameOrPath, const std::string& tokenizerPath) {
    std::error_code ec;
    if (fs::exists(nameOrPath, ec))
        if (auto real = ar::openRealModel(nameOrPath, tokenizerPath)) return real;
    if (!tokenizerPath.empty())
        throw ar::Error("--tokenizer is for llama2.c checkpoints; '" + nameOrPath + "' is an arlab model with its own vocabulary");
    return ar::loadLanguageModel(resolveModelPath(nameOrPath));
}

namespace {
[[noreturn]] void nonFinite(const std::string& modelPath, const std::string& what, const std::string& where) {
    throw ar::Error("model '" + modelPath + "': the model's " + what + " are not finite (" + where +
                    "): its weights overflow at run time");
}
}  // namespace

void requireFinite(const ar::Mat& values, const std::string& modelPath, const std::string& what) {
    if (values.allFinite()) return;
    for (ar::Index r = 0; r < values.rows(); ++r)
        for (ar::Index c = 0; c < values.cols(); ++c)
            if (!std::isfinite(values(r, c)))
                nonFinite(modelPath, what, std::to_string(values(r, c)) + " at row " + std::to_string(r) + ", column " +
                                               std::to_string(c));
}

void requireFinite(double value, const std::string& modelPath, const std::string& what) {
    if (!std::isfinite(value)) nonFinite(modelPath, what, std::to_string(value));
}

OptionSpec tokenizerOption() {
    return {"tokenizer", "FILE", "llama2.c checkpoints: the tokenizer.bin to use (default: the one next to the checkpoint)"};
}

std::string jsonToken(const ar::Tokenizer& tok, int id) {
    return id >= 0 && id < tok.size() ? ar::utf8::escapeInvalid(tok.token(id)) : std::string("?");
}

std::vector<std::string> jsonVocab(const ar::Tokenizer& tok) {
    std::vector<std::string> out;
    out.reserve(size_t(tok.size()));
    for (int i = 0; i < tok.size(); ++i) out.push_back(jsonToken(tok, i));
    return out;
}

ar::Tokens encodePrompt(const ar::LanguageModel& model, const std::string& text, const std::string& what) {
    ar::Tokens ids;
    if (model.bosToken() >= 0) ids.push_back(model.bosToken());
    const ar::Tokens body = model.tokenizer().encodeStrict(text, what);
    ids.insert(ids.end(), body.begin(), body.end());
    if (ids.empty()) throw ar::Error(what + " is empty and the model has no start token: give at least one token");
    if (model.contextLength() > 0 && int(ids.size()) > model.contextLength())
        throw ar::Error(what + " has " + std::to_string(ids.size()) + " tokens" +
                        (model.bosToken() >= 0 ? " (start token included)" : "") + " but the model's context holds " +
                        std::to_string(model.contextLength()));
    return ids;
}

}  // namespace arcli
