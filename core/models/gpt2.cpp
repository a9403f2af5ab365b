// GPT-2 in the Hugging Face layout -> TinyGPT: find the files, check config.json against the tensors,
// rename and transpose the Conv1D weights, load.
#include "core/models/gpt2.h"

#include "core/data/bytelevelbpe.h"
#include "core/error.h"
#include "core/io/readfile.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace fs = std::filesystem;

namespace ar {

namespace {
const uint64_t kMaxTextFile = 256ull << 20;  // config, vocab, merges, tokenizer.json: far below this

bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}
}  // namespace

Gpt2Paths findGpt2Files(const std::string& path) {
    std::error_code ec;
    fs::path dir, weights;
    if (fs::is_directory(path, ec)) {
        dir = path;
        weights = dir / "model.safetensors";
        if (!isFile(weights)) throw Error("model.safetensors not found in folder '" + path + "'");
    } else {
        if (!fs::exists(path, ec)) throw Error("model file '" + path + "' does not exist");
        dir = fs::path(path).parent_path();
        if (dir.empty()) dir = ".";
        weights = fs::path(path).extension() == ".safetensors" ? fs::path(path) : dir / "model.safetensors";
        if (!isFile(weights)) throw Error("model.safetensors not found next to " + fs::path(path).filename().string() +
                                          " (folder '" + dir.string() + "')");
    }
    const std::string next = " not found next to " + weights.filename().string() + " (folder '" + dir.string() + "')";
    Gpt2Paths p;
    p.weights = weights.string();
    if (!isFile(dir / "config.json")) throw Error("config.json" + next);
    p.config = (dir / "config.json").string();
    if (isFile(dir / "vocab.json")) {
        if (!isFile(dir / "merges.txt")) throw Error("merges.txt" + next);
        p.vocab = (dir / "vocab.json").string();
        p.merges = (dir / "merges.txt").string();
    } else if (isFile(dir / "tokenizer.json")) {
        p.tokenizerJson = (dir / "tokenizer.json").string();
    } else {
        if (isFile(dir / "merges.txt")) throw Error("vocab.json" + next);
        throw Error("no tokenizer next to " + weights.filename().string() + " (folder '" + dir.string() +
                    "'): GPT-2 needs vocab.json + merges.txt, or tokenizer.json");
    }
    return p;
}

Tokenizer loadGpt2Tokenizer(const Gpt2Paths& p) {
    if (!p.vocab.empty()) {
        const std::string vl = "vocab.json '" + p.vocab + "'", ml = "merges.txt '" + p.merges + "'";
        return gpt2TokenizerFromVocabMerges(readFileLimited(p.vocab, kMaxTextFile, vl), readFileLimited(p.merges, kMaxTextFile, ml),
                                            vl, ml);
    }
    const std::string tl = "tokenizer.json '" + p.tokenizerJson + "'";
    return gpt2TokenizerFromTokenizerJson(readFileLimited(p.tokenizerJson, kMaxTextFile, tl), tl);
}

namespace {
using nlohmann::json;

TinyGptConfig readConfig(std::string_view text, const std::string& label) {
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw Error(label + ": is not a JSON object (truncated?)");
    if (j.contains("model_type") && j["model_type"] != "gpt2")
        throw Error(label + ": model_type is " + j["model_type"].dump() + ", not \"gpt2\"");
    const auto integer = [&](std::initializer_list<const char*> keys) -> int {
        for (const char* k : keys)
            if (j.contains(k)) {
                if (!j[k].is_number_integer()) throw Error(label + ": '" + k + "' is not an integer");
                const long long v = j[k].get<long long>();
                if (v < 1 || v > 10'000'000) throw Error(label + ": '" + k + "' = " + std::to_string(v) + " is out of range");
                return int(v);
            }
        throw Error(label + ": has no '" + *keys.begin() + "'");
    };
    TinyGptConfig c;
    c.layers = integer({"n_layer"});
    c.heads = integer({"n_head"});
    c.embd = integer({"n_embd"});
    c.contextLength = integer({"n_positions", "n_ctx"});
    c.vocabSize = integer({"vocab_size"});
    c.pos = PositionMode::Learned;
    if (j.contains("n_inner") && !j["n_inner"].is_null() && j["n_inner"] != 4 * c.embd)
        throw Error(label + ": n_inner " + j["n_inner"].dump() + " is not 4 x n_embd (" + std::to_string(4 * c.embd) +
                    "); only GPT-2's MLP shape is supported");
    if (j.value("scale_attn_by_inverse_layer_idx", false)) throw Error(label + ": scale_attn_by_inverse_layer_idx is not supported");
    if (j.contains("scale_attn_weights") && j["scale_attn_weights"] == false)
        throw Error(label + ": scale_attn_weights false is not supported (GPT-2 scales by 1/sqrt(head width))");
    const std::string act = j.value("activation_function", std::string("gelu_new"));
    if (act == "gelu_new" || act == "gelu_pytorch_tanh") c.act = Activation::GeluTanh;
    else if (act == "gelu") c.act = Activation::Gelu;
    else throw Error(label + ": activation_function \"" + act + "\" is not one of gelu_new, gelu_pytorch_tanh, gelu");
    if (j.contains("layer_norm_epsilon")) {
        if (!j["layer_norm_epsilon"].is_number()) throw Error(label + ": 'layer_norm_epsilon' is not a number");
        c.lnEps = j["layer_norm_epsilon"].get<float>();
    }
    if (j.contains("eos_token_id") && j["eos_token_id"].is_number_integer()) c.eos = j["eos_token_id"].get<int>();
    try {
        c.validate();
    } catch (const Error& e) {
        throw Error(label + ": " + e.what());
    }
    return c;
}

std::string shapeText(const std::vector<int64_t>& s) {
    std::string out = "[";
    for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
    return out + "]";
}
}  // namespace

std::unique_ptr<TinyGpt> gpt2FromHuggingFace(SafeTensors weights, std::string_view configJson, Tokenizer tok,
                                             const std::string& label) {
    TinyGptConfig cfg = readConfig(configJson, label + " config.json");
    const int C = cfg.embd, L = cfg.layers;
    // Every tensor by its name without "transformer.".
    std::map<std::string, TensorEntry*> byName;
    TensorEntry* head = nullptr;
    std::vector<std::string> unknown;
    std::set<std::string> expected = {"wte.weight", "wpe.weight", "ln_f.weight", "ln_f.bias"};
    for (int l = 0; l < L; ++l)
        for (const char* s : {"ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight",
                              "attn.c_proj.bias", "ln_2.weight", "ln_2.bias", "mlp.c_fc.weight", "mlp.c_fc.bias",
                              "mlp.c_proj.weight", "mlp.c_proj.bias"})
            expected.insert("h." + std::to_string(l) + "." + s);
    for (TensorEntry& t : weights.tensors) {
        std::string n = t.name;
        if (n.starts_with("transformer.")) n = n.substr(12);
        if (n == "lm_head.weight") { head = &t; continue; }
        if (n.ends_with(".attn.bias") || n.ends_with(".attn.masked_bias")) continue;  // causal-mask buffers
        if (!expected.count(n)) { unknown.push_back(t.name); continue; }
        byName[n] = &t;
    }
    if (!unknown.empty()) {
        std::string list;
        for (size_t i = 0; i < unknown.size() && i < 5; ++i) list += (i ? ", " : "") + unknown[i];
        if (unknown.size() > 5) list += " and " + std::to_string(unknown.size() - 5) + " more";
        const bool layerBeyond = unknown[0].find("h.") != std::string::npos;
        throw Error(label + ": tensors that a GPT-2 with n_layer " + std::to_string(L) + " does not have: " + list +
                    (layerBeyond ? " (config.json's n_layer contradicts the file?)" : ""));
    }
    for (const auto& n : expected)
        if (!byName.count(n)) throw Error(label + ": has no tensor '" + n + "' (truncated file, or config.json's n_layer is too large?)");
    const auto need = [&](const std::string& n, std::vector<int64_t> shape, const std::string& configSays) {
        const TensorEntry& t = *byName.at(n);
        if (t.shape != shape)
            throw Error(label + ": '" + n + "' has shape " + shapeText(t.shape) + " but config.json (" + configSays +
                        ") needs " + shapeText(shape));
    };
    const std::string cs = "n_embd " + std::to_string(C);
    need("wte.weight", {cfg.vocabSize, C}, "vocab_size " + std::to_string(cfg.vocabSize) + ", " + cs);
    need("wpe.weight", {cfg.contextLength, C}, "n_positions " + std::to_string(cfg.contextLength) + ", " + cs);
    for (const char* n : {"ln_f.weight", "ln_f.bias"}) need(n, {C}, cs);
    for (int l = 0; l < L; ++l) {
        const std::string p = "h." + std::to_string(l) + ".";
        for (const char* n : {"ln_1.weight", "ln_1.bias", "ln_2.weight", "ln_2.bias", "attn.c_proj.bias", "mlp.c_proj.bias"})
            need(p + n, {C}, cs);
        need(p + "attn.c_attn.weight", {C, 3 * C}, cs);
        need(p + "attn.c_attn.bias", {3 * C}, cs);
        need(p + "attn.c_proj.weight", {C, C}, cs);
        need(p + "mlp.c_fc.weight", {C, 4 * C}, cs);
        need(p + "mlp.c_fc.bias", {4 * C}, cs);
        need(p + "mlp.c_proj.weight", {4 * C, C}, cs);
    }
    if (tok.size() != cfg.vocabSize)
        throw Error(label + ": the tokenizer has " + std::to_string(tok.size()) + " tokens but config.json's vocab_size is " +
                    std::to_string(cfg.vocabSize));
    if (cfg.eos >= cfg.vocabSize || cfg.eos < 0) cfg.eos = tok.id("<|endoftext|>");

    // TinyGPT names; Conv1D (in, out) is read transposed into Linear (out, in). Entries only name where the
    // values are (openSafetensors): each is read once, straight into the model's buffer.
    SafeTensors renamed;
    for (auto& [n, t] : byName) {
        TensorEntry e = std::move(*t);
        e.name = "transformer." + n;
        if (n.ends_with(".c_attn.weight") || n.ends_with(".c_proj.weight") || n.ends_with(".c_fc.weight")) {
            std::swap(e.shape[0], e.shape[1]);
            e.transposed = true;
        }
        renamed.tensors.push_back(std::move(e));
    }
    auto model = TinyGpt::forLoading(cfg, std::move(tok));
    const ParamList params = model->parameters();
    loadParams(renamed, params, label);
    const auto wte = std::find_if(params.begin(), params.end(), [](const NamedParam& p) { return p.name == "transformer.wte.weight"; });
    if (head && !sameValues(*head, wte->var.value()))  // GPT-2 ties lm_head to wte
        throw Error(label + ": lm_head.weight differs from wte.weight; GPT-2 ties them (an untied head is not supported)");
    json prov;
    prov["format"] = "gpt2 (Hugging Face safetensors)";
    prov["activation_function"] = cfg.act == Activation::GeluTanh ? "gelu_new" : "gelu";
    model->setProvenance(prov.dump());
    return model;
}

std::unique_ptr<TinyGpt> loadGpt2(const std::string& path) {
    const Gpt2Paths p = findGpt2Files(path);
    Tokenizer tok = loadGpt2Tokenizer(p);
    const std::string config = readFileLimited(p.config, kMaxTextFile, "config.json '" + p.config + "'");
    auto model = gpt2FromHuggingFace(openSafetensors(p.weights), config, std::move(tok), "GPT-2 '" + p.weights + "'");
    json prov = json::parse(model->provenance());
    prov["weights"] = p.weights;
    prov["config"] = p.config;
    prov["tokenizer"] = p.vocab.empty() ? p.tokenizerJson : p.vocab + " + " + p.merges;
    model->setProvenance(prov.dump());
    return model;
}

}  // namespace ar
