// arlab-cli moe-routing MODEL --prompt P [--json]: for every token and layer of a mixture-of-experts GPT, the
// chosen experts and their gates (which sum to 1), the load per expert over the prompt, and the parameters a
// token uses against the total.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/textmodel.h"
#include "core/error.h"
#include "core/models/moegpt.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace arcli {

int cmdMoeRouting(int argc, char** argv) {
    const std::vector<OptionSpec> specs = {
        {"prompt", "P", "the text (the model's start token is put in front)"},
        {"json", "", "output {\"tokens\": [...], \"layers\": [[{\"experts\": [...], \"gates\": [...]}, ...]], ...}"},
    };
    Args args(argc, argv, 2, specs);
    if (args.printHelp("Usage: arlab-cli moe-routing MODEL --prompt P [--json]")) return 0;
    const auto model = openLanguageModel(args.model());
    const auto* moe = dynamic_cast<const ar::MoeGpt*>(model.get());
    if (!moe) throw ar::Error("moe-routing needs a mixture-of-experts model (kind moegpt); this is a '" + model->kind() + "' model");
    const ar::Tokens ids = encodePrompt(*model, args.str("prompt"));
    const auto routing = moe->routing(ids);
    std::vector<std::string> labels;
    for (int id : ids) labels.push_back(model->tokenizer().display(id));
    if (args.flag("json")) {
        nlohmann::json j;
        j["tokens"] = labels;
        j["layers"] = nlohmann::json::array();
        j["load"] = nlohmann::json::array();
        for (const auto& r : routing) {
            nlohmann::json layer = nlohmann::json::array();
            for (ar::Index t = 0; t < r.experts.rows(); ++t) {
                std::vector<int> e(r.experts.row(t).data(), r.experts.row(t).data() + r.experts.cols());
                std::vector<float> g(r.gates.row(t).data(), r.gates.row(t).data() + r.gates.cols());
                layer.push_back({{"experts", e}, {"gates", g}});
            }
            j["layers"].push_back(layer);
            j["load"].push_back(r.load);
        }
        j["experts"] = moe->config().experts;
        j["top_k"] = moe->config().topK;
        j["parameters_total"] = moe->totalParameters();
        j["parameters_active"] = moe->activeParametersPerToken();
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
    std::printf("%d experts, top-%d: %zu of %zu parameters active per token\n", moe->config().experts, moe->config().topK,
                moe->activeParametersPerToken(), moe->totalParameters());
    for (size_t l = 0; l < routing.size(); ++l) {
        std::printf("layer %zu (load per expert:", l);
        for (int n : routing[l].load) std::printf(" %d", n);
        std::printf(")\n");
        for (size_t t = 0; t < ids.size(); ++t) {
            std::printf("  %-10.10s", labels[t].c_str());
            for (ar::Index j = 0; j < routing[l].experts.cols(); ++j)
                std::printf("  expert %d (%.3f)", routing[l].experts(ar::Index(t), j), routing[l].gates(ar::Index(t), j));
            std::printf("\n");
        }
    }
    return 0;
}

}  // namespace arcli
