// arlab-cli score MODEL --text T [--json]: log-probability of every token of a text under the model.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/textmodel.h"
#include "core/error.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <numbers>

namespace arcli {

int cmdScore(int argc, char** argv) {
    const std::vector<OptionSpec> specs = {
        {"text", "T", "the text to score (required)"},
        {"json", "", "machine-readable output"},
        tokenizerOption(),
    };
    Args args(argc, argv, 2, specs);
    if (args.printHelp("Usage: arlab-cli score MODEL --text T [--json]")) return 0;
    const std::string modelName = args.model();
    const std::string text = args.required("text");
    auto model = openLanguageModel(modelName, args.str("tokenizer"));
    const ar::Tokens ids = encodePrompt(*model, text, "text");
    if (ids.size() < 2) throw ar::Error("text: nothing to score (the model needs a first token as context)");
    const ar::Mat logits = model->logits(ids);
    requireFinite(logits, modelLabel(modelName), "logits");
    const ar::Tokenizer& tok = model->tokenizer();
    const double ln2 = std::numbers::ln2;

    // log P(ids[i] | ids[0..i-1]) = log_softmax(logits[i-1])[ids[i]], in double precision.
    std::vector<double> nats;
    for (size_t i = 1; i < ids.size(); ++i) {
        const auto row = logits.row(ar::Index(i - 1));
        const double m = row.maxCoeff();
        double z = 0;
        for (ar::Index k = 0; k < row.size(); ++k) z += std::exp(double(row(k)) - m);
        nats.push_back(double(row(ids[i])) - m - std::log(z));
    }
    double total = 0;
    for (double v : nats) total += v;
    const bool bos = model->bosToken() >= 0;

    if (args.flag("json")) {
        nlohmann::json j;
        j["tokens"] = nlohmann::json::array();
        j["token_ids"] = nlohmann::json::array();
        j["logprob_nats"] = nats;
        j["logprob_bits"] = nlohmann::json::array();
        for (size_t i = 1; i < ids.size(); ++i) {
            j["tokens"].push_back(jsonToken(tok, ids[i]));
            j["token_ids"].push_back(ids[i]);
            j["logprob_bits"].push_back(nats[i - 1] / ln2);
        }
        j["context_token"] = jsonToken(tok, ids[0]);  // given, not scored: the start token (or the text's first token)
        j["total_nats"] = total;
        j["total_bits"] = total / ln2;
        j["mean_nats_per_token"] = total / double(nats.size());
        j["perplexity"] = std::exp(-total / double(nats.size()));
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
    std::printf("%-16s %12s %12s\n", "token", "log p (nats)", "log p (bits)");
    if (!bos) std::printf("%-16s %12s %12s\n", tok.display(ids[0]).c_str(), "(context)", "");
    for (size_t i = 1; i < ids.size(); ++i)
        std::printf("%-16s %12.4f %12.4f\n", tok.display(ids[i]).c_str(), nats[i - 1], nats[i - 1] / ln2);
    std::printf("total: %.4f nats = %.4f bits over %zu tokens (perplexity %.3f)\n", total, total / ln2, nats.size(),
                std::exp(-total / double(nats.size())));
    return 0;
}

}  // namespace arcli
