// arlab-cli logits MODEL --prompt P [--json]: the next-token logits after every prefix of the prompt.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/textmodel.h"
#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <numeric>

namespace arcli {

int cmdLogits(int argc, char** argv) {
    const std::vector<OptionSpec> specs = {
        {"prompt", "P", "the text (the model's start token is put in front)"},
        {"top", "N", "most probable next tokens shown per position without --json (default 5)"},
        {"json", "", "machine-readable output: tokens, token_ids, vocab, logits"},
        tokenizerOption(),
    };
    Args args(argc, argv, 2, specs);
    if (args.printHelp("Usage: arlab-cli logits MODEL --prompt P [--json]")) return 0;
    const std::string modelName = args.model();
    const int topN = int(args.integer("top", 5, 1, 1000000));
    auto model = openLanguageModel(modelName, args.str("tokenizer"));
    const ar::Tokens ids = encodePrompt(*model, args.str("prompt"));
    const ar::Mat logits = model->logits(ids);  // (T, V): row i = next-token logits after ids[0..i]
    requireFinite(logits, modelLabel(modelName), "logits");
    const ar::Tokenizer& tok = model->tokenizer();

    if (args.flag("json")) {
        nlohmann::json j;
        j["tokens"] = nlohmann::json::array();
        for (int id : ids) j["tokens"].push_back(jsonToken(tok, id));
        j["token_ids"] = ids;
        j["vocab"] = jsonVocab(tok);
        j["logits"] = nlohmann::json::array();
        for (ar::Index i = 0; i < logits.rows(); ++i)
            j["logits"].push_back(std::vector<float>(logits.row(i).data(), logits.row(i).data() + logits.cols()));
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
    for (ar::Index i = 0; i < logits.rows(); ++i) {
        const float m = logits.row(i).maxCoeff();
        const double z = (logits.row(i).array() - m).exp().sum();
        std::vector<int> order(size_t(logits.cols()));
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return logits(i, a) > logits(i, b); });
        std::printf("after '%s':", tok.display(ids[size_t(i)]).c_str());
        for (int k = 0; k < std::min(topN, int(order.size())); ++k)
            std::printf("  %s %.3f", tok.display(order[size_t(k)]).c_str(), std::exp(double(logits(i, order[size_t(k)]) - m)) / z);
        std::printf("\n");
    }
    return 0;
}

}  // namespace arcli
