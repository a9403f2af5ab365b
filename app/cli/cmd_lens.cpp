// arlab-cli lens MODEL --prompt P [--top K] [--json]: the logit lens at the prompt's last position: the
// next-token distribution read from the residual stream after the embedding and after every layer.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/textmodel.h"
#include "core/error.h"
#include "core/models/lens.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace arcli {

int cmdLens(int argc, char** argv) {
    const std::vector<OptionSpec> specs = {
        {"prompt", "P", "the text (the model's start token is put in front)"},
        {"top", "K", "most probable tokens per layer (default 5)"},
        {"json", "", "machine-readable output: {\"tokens\": [...], \"layers\": [[{\"token\", \"p\"}, ...], ...]}"},
        tokenizerOption(),
    };
    Args args(argc, argv, 2, specs);
    if (args.printHelp("Usage: arlab-cli lens MODEL --prompt P [--top K] [--json]\n"
                       "Row 0 reads the embeddings, row l the residual stream after layer l; the last row is the model's\n"
                       "own next-token distribution. Works for TinyGPT, GPT-2 and Llama models.")) return 0;
    const std::string modelName = args.model("a model file, folder or built-in name");
    const int topK = int(args.integer("top", 5, 1, 1000));
    auto model = openLanguageModel(modelName, args.str("tokenizer"));
    const ar::Tokens ids = encodePrompt(*model, args.required("prompt"));
    const ar::LensResult lens = ar::logitLens(*model, ids, int(ids.size()) - 1, topK);
    const ar::Tokenizer& tok = model->tokenizer();
    if (args.flag("json")) {
        nlohmann::json j;
        j["tokens"] = nlohmann::json::array();
        for (int id : ids) j["tokens"].push_back(jsonToken(tok, id));
        j["layers"] = nlohmann::json::array();
        for (const auto& row : lens.top) {
            nlohmann::json r = nlohmann::json::array();
            for (const auto& e : row) r.push_back({{"token", jsonToken(tok, e.token)}, {"id", e.token}, {"p", e.p}});
            j["layers"].push_back(r);
        }
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
    std::printf("next token after '%s' (%zu tokens), read after each layer:\n", tok.display(ids.back()).c_str(), ids.size());
    for (size_t l = 0; l < lens.top.size(); ++l) {
        std::printf("%-6s", l == 0 ? "embed" : ("L" + std::to_string(l)).c_str());
        for (const auto& e : lens.top[l]) std::printf("  %s %.3f", tok.display(e.token).c_str(), double(e.p));
        std::printf("\n");
    }
    return 0;
}

}  // namespace arcli
