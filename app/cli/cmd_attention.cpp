// arlab-cli attention MODEL --prompt P --layer L --head H [--json|--csv]: one head's attention matrix.
// Row i = query position i (the model has read tokens 0..i), column j = key position j; rows sum to 1 and
// the future (j > i) is exactly 0. Built from the model's decoding steps (LanguageModel::lastAttention).
// --kernel standard|flash (TinyGPT): the matrix comes from one full forward with that attention kernel instead,
// and the output adds the peak bytes the attention op allocated (counted in core, nn::AttentionMemoryProbe).
// The flash kernel never holds the matrix: the rows shown are rebuilt from its saved log-sum-exps.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/textmodel.h"
#include "core/error.h"
#include "core/io/modelfile.h"
#include "core/models/tinygpt.h"

#include <cstdio>
#include <optional>
#include <nlohmann/json.hpp>

namespace arcli {

int cmdAttention(int argc, char** argv) {
    const std::vector<OptionSpec> specs = {
        {"prompt", "P", "the text (the model's start token is put in front)"},
        {"layer", "L", "layer, from 0 (default 0)"},
        {"head", "H", "head, from 0 (default 0)"},
        {"json", "", "output {\"tokens\": [...], \"weights\": [[...]]}"},
        {"csv", "", "output CSV with the tokens as header row and first column"},
        {"kernel", "K", "standard|flash: one full forward with that attention kernel, reports peak_bytes (TinyGPT)"},
        tokenizerOption(),
    };
    Args args(argc, argv, 2, specs);
    if (args.printHelp("Usage: arlab-cli attention MODEL --prompt P --layer L --head H [--json|--csv]")) return 0;
    const std::string modelName = args.model();
    if (args.flag("json") && args.flag("csv")) throw ar::Error("choose one of --json and --csv");
    const long long layer = args.integer("layer", 0, -1000000, 1000000);
    const long long head = args.integer("head", 0, -1000000, 1000000);
    const std::shared_ptr<ar::LanguageModel> model = openLanguageModel(modelName, args.str("tokenizer"));  // mutable: kernel
    const ar::Tokens ids = encodePrompt(*model, args.str("prompt"));

    ar::Mat weights = ar::Mat::Zero(ar::Index(ids.size()), ar::Index(ids.size()));  // (T, T)
    const auto checkIndex = [&](long long layers, long long heads) {
        if (layer < 0 || layer >= layers)
            throw ar::Error("--layer " + std::to_string(layer) + " is out of range: the model has " +
                            std::to_string(layers) + " layers (0.." + std::to_string(layers - 1) + ")");
        if (head < 0 || head >= heads)
            throw ar::Error("--head " + std::to_string(head) + " is out of range: the model has " + std::to_string(heads) +
                            " heads (0.." + std::to_string(heads - 1) + ")");
    };
    std::optional<size_t> peakBytes;
    std::string kernelName;
    if (args.has("kernel")) {
        const ar::nn::AttentionKernel kernel = ar::nn::parseAttentionKernel(args.str("kernel"));
        kernelName = ar::nn::attentionKernelName(kernel);
        auto* gpt = dynamic_cast<ar::TinyGpt*>(model.get());
        if (!gpt) throw ar::Error("--kernel needs a tinygpt model; this is a '" + model->kind() + "' model");
        checkIndex(gpt->config().layers, gpt->config().heads);
        gpt->setAttentionKernel(kernel);
        ar::nn::AttentionMemoryProbe probe;
        const auto maps = gpt->attentionMaps(ids);  // [layer][head] (T, T)
        peakBytes = probe.peakBytes();
        weights = maps[size_t(layer)][size_t(head)];
    }
    auto state = model->newState();
    ar::DecodeState* s = state.get();
    for (size_t i = 0; i < ids.size() && !peakBytes; ++i) {
        model->step(std::span<ar::DecodeState* const>(&s, 1), std::span<const int>(&ids[i], 1));
        const std::vector<ar::Mat> att = model->lastAttention(*s);  // per layer (H, i + 1)
        if (att.empty()) throw ar::Error("a '" + model->kind() + "' model has no attention");
        checkIndex((long long)att.size(), att[0].rows());
        const ar::Mat& a = att[size_t(layer)];
        weights.row(ar::Index(i)).head(a.cols()) = a.row(ar::Index(head));
    }
    requireFinite(weights, modelLabel(modelName), "attention weights");
    const ar::Tokenizer& tok = model->tokenizer();
    std::vector<std::string> labels;
    for (int id : ids) labels.push_back(tok.display(id));

    if (args.flag("json")) {
        nlohmann::json j;
        j["tokens"] = labels;
        j["weights"] = nlohmann::json::array();
        for (ar::Index i = 0; i < weights.rows(); ++i)
            j["weights"].push_back(std::vector<float>(weights.row(i).data(), weights.row(i).data() + weights.cols()));
        if (peakBytes) {
            j["kernel"] = kernelName;
            j["peak_bytes"] = *peakBytes;
        }
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
    const auto csvField = [](const std::string& f) {
        std::string q = "\"";
        for (char c : f) q += c == '"' ? std::string("\"\"") : std::string(1, c);
        return q + "\"";
    };
    if (args.flag("csv")) {
        std::printf("query\\key");
        for (const auto& l : labels) std::printf(",%s", csvField(l).c_str());
        std::printf("\n");
        for (ar::Index i = 0; i < weights.rows(); ++i) {
            std::printf("%s", csvField(labels[size_t(i)]).c_str());
            for (ar::Index k = 0; k < weights.cols(); ++k) std::printf(",%.6g", weights(i, k));
            std::printf("\n");
        }
        return 0;
    }
    if (peakBytes) std::printf("%s kernel: the attention op allocated at most %zu bytes\n", kernelName.c_str(), *peakBytes);
    std::printf("layer %lld, head %lld: rows = queries, columns = keys\n%12s", layer, head, "");
    for (const auto& l : labels) std::printf(" %6.6s", l.c_str());
    std::printf("\n");
    for (ar::Index i = 0; i < weights.rows(); ++i) {
        std::printf("%12.12s", labels[size_t(i)].c_str());
        for (ar::Index k = 0; k < weights.cols(); ++k) std::printf(" %6.3f", weights(i, k));
        std::printf("\n");
    }
    return 0;
}

}  // namespace arcli
