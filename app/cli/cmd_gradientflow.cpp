// arlab-cli gradient-flow MODEL [--distances ...] [--json]: ||d loss / d x_0|| of the recall loss with respect to
// the input at the key's position, against the distance d, measured by backward passes on the model
// (core/limits/recall.h), with the least-squares slope of log10(norm) against d.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/textmodel.h"
#include "core/error.h"
#include "core/limits/recall.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace arcli {

std::vector<int> parseDistances(const std::string& text, int maxValue);  // cmd_recall.cpp

int cmdGradientFlow(int argc, char** argv) {
    const std::vector<OptionSpec> specs = {
        {"distances", "D,D,...", "distances d, default 1,2,...,30 (clipped to a TinyGPT's context)"},
        {"episodes", "N", "episodes averaged per distance (default 32)"},
        {"seed", "S", "seed of the episodes (default 7)"},
        {"json", "", "output {\"distance\": [...], \"grad_norm\": [...], \"log10_slope\": x}"},
    };
    Args args(argc, argv, 2, specs);
    if (args.printHelp("Usage: arlab-cli gradient-flow MODEL [--distances 1,2,...] [--json]\n\nThe norm of the gradient "
                       "of the recall loss at the key's input, d + 1 steps before the prediction."))
        return 0;
    const std::string modelName = args.model();
    const auto model = openLanguageModel(modelName);
    ar::RecallTask::checkVocabulary(*model, "model '" + modelName + "'");
    std::vector<int> ds;
    if (args.has("distances")) {
        ds = parseDistances(args.str("distances"), 4096);
        for (int d : ds)
            if (d > ar::maxRecallDistance(*model))
                throw ar::Error("option --distances: " + std::to_string(d) + " does not fit the model's context of " +
                                std::to_string(model->contextLength()) + " tokens (d <= " +
                                std::to_string(ar::maxRecallDistance(*model)) + ")");
    } else {
        for (int d = 1; d <= std::min(30, ar::maxRecallDistance(*model)); ++d) ds.push_back(d);
    }
    const int episodes = int(args.integer("episodes", 32, 1, 100000));
    const uint64_t seed = args.seed(7);
    std::vector<double> norms;
    for (int d : ds) norms.push_back(ar::recallGradientNorm(*model, d, episodes, seed));
    const double slope = ds.size() >= 2 ? ar::log10Slope(ds, norms) : 0.0;
    if (args.flag("json")) {
        nlohmann::json j;
        j["model"] = model->kind();
        j["distance"] = ds;
        j["grad_norm"] = norms;
        j["log10_slope"] = slope;
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
    std::printf("%s: ||d loss / d x_0|| against d (%d episodes each); slope %.4f decades per step\n", model->kind().c_str(),
                episodes, slope);
    for (size_t i = 0; i < ds.size(); ++i) std::printf("  d = %4d  %.3e\n", ds[i], norms[i]);
    return 0;
}

}  // namespace arcli
