// arlab-cli recall MODEL --distances 1,2,4,8,16,32 [--episodes N] [--seed S] [--json]: recall accuracy of a model
// trained on the recall task, at each distance (core/limits/recall.h). Distances past a TinyGPT's context are
// reported as null (JSON) or "past the context" (text).
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/textmodel.h"
#include "core/error.h"
#include "core/limits/recall.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace arcli {

std::vector<int> parseDistances(const std::string& text, int maxValue) {
    std::vector<int> out;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t comma = std::min(text.find(',', start), text.size());
        const std::string item = text.substr(start, comma - start);
        size_t used = 0;
        long long v = -1;
        try {
            v = std::stoll(item, &used);
        } catch (...) {
            used = 0;
        }
        if (item.empty() || used != item.size())
            throw ar::Error("option --distances: '" + item + "' is not a whole number (give e.g. 1,2,4,8)");
        if (v < 0 || v > maxValue)
            throw ar::Error("option --distances: " + item + " is outside 0.." + std::to_string(maxValue));
        out.push_back(int(v));
        start = comma + 1;
    }
    return out;
}

int cmdRecall(int argc, char** argv) {
    const std::vector<OptionSpec> specs = {
        {"distances", "D,D,...", "distances d (fillers between key and query), default 1,2,4,8,16,32"},
        {"episodes", "N", "episodes per distance (default 500)"},
        {"seed", "S", "seed of the episodes (default 7)"},
        {"json", "", "output {\"distance\": [...], \"accuracy\": [...]}"},
    };
    Args args(argc, argv, 2, specs);
    if (args.printHelp("Usage: arlab-cli recall MODEL [--distances 1,2,4,8,16,32] [--json]\n\nAccuracy of recalling the "
                       "key after '?' (argmax of the model's next-token distribution), chance = 1/8."))
        return 0;
    const std::string modelName = args.model();
    const std::vector<int> ds = parseDistances(args.str("distances", "1,2,4,8,16,32"), 4096);
    const int episodes = int(args.integer("episodes", 500, 1, 100000));
    const uint64_t seed = args.seed(7);
    const auto model = openLanguageModel(modelName);
    ar::RecallTask::checkVocabulary(*model, "model '" + modelName + "'");
    nlohmann::json acc = nlohmann::json::array();
    for (int d : ds) {
        if (d > ar::maxRecallDistance(*model)) acc.push_back(nullptr);
        else acc.push_back(ar::recallAccuracy(*model, d, episodes, seed));
    }
    if (args.flag("json")) {
        nlohmann::json j;
        j["model"] = model->kind();
        j["distance"] = ds;
        j["accuracy"] = acc;
        j["episodes"] = episodes;
        if (model->contextLength() > 0) j["max_distance"] = ar::maxRecallDistance(*model);
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
    std::printf("%s: recall accuracy (chance 0.125), %d episodes per distance\n", model->kind().c_str(), episodes);
    for (size_t i = 0; i < ds.size(); ++i) {
        if (acc[i].is_null()) std::printf("  d = %4d  past the context (%d tokens)\n", ds[i], model->contextLength());
        else std::printf("  d = %4d  %.3f\n", ds[i], acc[i].get<double>());
    }
    return 0;
}

}  // namespace arcli
