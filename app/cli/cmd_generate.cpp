// arlab-cli generate MODEL --prompt P --steps N [sampler options] [--json]
// Runs the decoding engine's DecodingSession: the sampler chain (its options come from the stages,
// app/cli/sampleroptions.h), then a seeded draw.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/sampleroptions.h"
#include "app/cli/textmodel.h"
#include "core/decoding/decodingsession.h"
#include "core/data/utf8.h"
#include "core/error.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace arcli {

int cmdGenerate(int argc, char** argv) {
    const std::vector<OptionSpec> specs = {
        {"prompt", "P", "text to continue (default: empty, start from the model's start token)"},
        {"steps", "N", "tokens to generate at most (default 20); stops early at the end token or a full context"},
        {"seed", "S", "seeds the draws (default 0)"},
        {"top", "N", "alternatives listed per step in --json, 1..64 (default 5; the chain records the top 64)"},
        {"json", "", "machine-readable output"},
        tokenizerOption(),
    };
    Args args(argc, argv, 2, withSamplerOptions(specs));
    if (args.printHelp("Usage: arlab-cli generate MODEL [--prompt P] [--steps N] [options]")) return 0;
    const std::string modelName = args.model();
    const int steps = int(args.integer("steps", 20, 1, 100000));
    const int topN = int(args.integer("top", 5, 1, ar::kRecordedCandidates));
    ar::SamplerSettings settings;
    settings.strategy = ar::DecodeStrategy::Sample;
    readSamplerOptions(args, settings);
    settings.seed = args.seed(0);
    settings.maxNewTokens = steps;
    settings.validate();

    auto model = openLanguageModel(modelName, args.str("tokenizer"));
    ar::DecodingSession session(model, args.str("prompt"), settings, /*recordAttention=*/false);
    try {
        for (int i = 0; i < steps && session.canStep(); ++i) session.step();
    } catch (const ar::Error& e) {  // the sampler refuses non-finite logits; say which model gave them
        if (std::string(e.what()).find("not finite") == std::string::npos) throw;
        throw ar::Error("model '" + modelLabel(modelName) + "': " + e.what() + ": its weights overflow at run time");
    }
    const ar::Tokenizer& tok = model->tokenizer();

    if (args.flag("json")) {
        nlohmann::json j;
        j["text"] = ar::utf8::escapeInvalid(session.text());
        j["steps"] = nlohmann::json::array();
        for (const auto& s : session.steps()) {
            nlohmann::json top = nlohmann::json::array();
            const auto& raw = s.stages.front().candidates;  // the model's distribution, sorted by p
            for (size_t k = 0; k < raw.size() && int(k) < topN; ++k)
                top.push_back({{"token", jsonToken(tok, raw[k].id)}, {"p", raw[k].p}});
            j["steps"].push_back({{"token", jsonToken(tok, s.token)}, {"id", s.token}, {"p", s.modelP}, {"top", top}});
        }
        j["stop_reason"] = session.stopReason();
        std::printf("%s\n", j.dump().c_str());
    } else {
        std::printf("%s\n", session.text().c_str());
        if (!session.stopReason().empty()) std::printf("(stopped: %s)\n", session.stopReason().c_str());
    }
    return 0;
}

}  // namespace arcli
