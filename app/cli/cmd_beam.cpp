// arlab-cli beam MODEL --prompt P --width K --max-len L [--length-penalty A] [--json]
// Beam search with the whole search tree (core/decoding/beamsearch.h): the n-best list and every node.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/textmodel.h"
#include "core/decoding/beamsearch.h"
#include "core/error.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace arcli {

int cmdBeam(int argc, char** argv) {
    const std::vector<OptionSpec> specs = {
        {"prompt", "P", "text to continue (default: empty, start from the model's start token)"},
        {"width", "K", "beam width: hypotheses kept per round, 1..64 (default 4)"},
        {"max-len", "L", "generated tokens at most, 1..4096 (default 20)"},
        {"length-penalty", "A", "GNMT alpha in [0, 5]: score = logprob / ((5 + len) / 6)^A (default 0)"},
        {"json", "", "machine-readable output: {\"hypotheses\": [...], \"tree\": {\"nodes\": [...]}}"},
        tokenizerOption(),
    };
    Args args(argc, argv, 2, specs);
    if (args.printHelp("Usage: arlab-cli beam MODEL [--prompt P] [--width K] [--max-len L] [--length-penalty A] [--json]"))
        return 0;
    const std::string modelName = args.model();
    ar::BeamSettings settings;
    settings.width = int(args.integer("width", 4, 1, 64));
    settings.maxLength = int(args.integer("max-len", 20, 1, 4096));
    settings.lengthPenalty = float(args.number("length-penalty", 0.0, 0.0, 5.0));
    settings.validate();

    auto model = openLanguageModel(modelName, args.str("tokenizer"));
    const ar::Tokenizer& tok = model->tokenizer();
    ar::BeamSearch beam(model, tok.encodeStrict(args.str("prompt"), "prompt"), settings);
    beam.run();
    const auto best = beam.nbest();
    for (const auto& n : beam.tree().nodes) requireFinite(n.logprob, modelLabel(modelName), "log-probabilities");

    if (args.flag("json")) {
        nlohmann::json hyps = nlohmann::json::array();
        for (const auto& h : best) {
            nlohmann::json toks = nlohmann::json::array();
            for (int t : h.tokens) toks.push_back(jsonToken(tok, t));
            hyps.push_back({{"tokens", toks}, {"text", tok.decodeText(h.tokens)}, {"logprob", h.logprob},
                            {"score", h.score}, {"eos", h.eos}});
        }
        nlohmann::json nodes = nlohmann::json::array();
        for (const auto& n : beam.tree().nodes)
            nodes.push_back({{"id", n.id}, {"parent", n.parent}, {"step", n.step},
                             {"token", n.token < 0 ? std::string() : jsonToken(tok, n.token)}, {"logprob", n.logprob},
                             {"step_logprob", n.stepLogprob}, {"score", n.score}, {"status", ar::beamStatusName(n.status)}});
        nlohmann::json j;
        j["hypotheses"] = hyps;
        j["tree"] = {{"nodes", nodes}, {"rounds", beam.round()}, {"expansions", beam.tree().expansions()}};
        j["stop_reason"] = beam.stopReason();
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
    std::printf("prompt: %s\n", args.str("prompt").c_str());
    for (size_t i = 0; i < best.size(); ++i)
        std::printf("%2zu. score %8.4f  logprob %8.4f  %s%s\n", i + 1, best[i].score, best[i].logprob,
                    tok.decodeText(best[i].tokens).c_str(), best[i].eos ? "" : "  (max length)");
    std::printf("tree: %zu nodes (%d expansions) in %d rounds; stopped: %s\n", beam.tree().nodes.size(),
                beam.tree().expansions(), beam.round(), beam.stopReason().c_str());
    return 0;
}

}  // namespace arcli
