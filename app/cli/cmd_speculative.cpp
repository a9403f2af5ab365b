// arlab-cli speculative --target M --draft M --gamma G --prompt P --steps N --seed S [sampler options] [--json]:
// speculative decoding of a TinyGPT target with a TinyGPT draft; every round's drafts, their p and q, how many
// were kept and the token that ended the round; target and draft calls.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/sampleroptions.h"
#include "app/cli/textmodel.h"
#include "core/decoding/speculative.h"
#include "core/error.h"
#include "core/io/safetensors.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace arcli {

namespace {
std::unique_ptr<ar::TinyGpt> openTinyGpt(const std::string& name, const char* role) {
    const std::string path = resolveModelPath(name);
    try {
        return ar::TinyGpt::fromSafetensors(ar::openSafetensors(path), "model '" + path + "'");
    } catch (const ar::Error& e) {
        throw ar::Error(std::string("--") + role + ": " + e.what());
    }
}
}  // namespace

int cmdSpeculative(int argc, char** argv) {
    const std::vector<OptionSpec> specs = {
        {"target", "MODEL", "the large TinyGPT whose distribution the output follows (required)"},
        {"draft", "MODEL", "the small TinyGPT that proposes tokens (same vocabulary; required)"},
        {"gamma", "G", "tokens drafted per round, 1..32 (default 4)"},
        {"prompt", "P", "text to continue (default: empty, start from the start token)"},
        {"steps", "N", "tokens to generate (default 20)"},
        {"seed", "S", "seeds the draws (default 0)"},
        {"greedy", "", "take the argmax (draft and target alike)"},
        {"json", "", "machine-readable output"},
    };
    Args args(argc, argv, 2, withSamplerOptions(specs));
    if (args.printHelp("Usage: arlab-cli speculative --target MODEL --draft MODEL [--gamma G] [--prompt P] [--steps N] "
                       "[--seed S] [sampler options] [--json]\n\nSpeculative decoding (Leviathan et al. 2023): the draft "
                       "proposes G tokens, the target scores all G + 1 positions in one pass, each draft is kept with "
                       "probability min(1, p/q); the output follows the target's distribution exactly."))
        return 0;
    args.expectPositional(0);
    ar::SpeculativeOptions o;
    o.gamma = int(args.integer("gamma", 4, 1, 32));
    o.steps = int(args.integer("steps", 20, 1, 100000));
    o.sampler.strategy = args.flag("greedy") ? ar::DecodeStrategy::Greedy : ar::DecodeStrategy::Sample;
    readSamplerOptions(args, o.sampler);
    o.sampler.seed = args.seed(0);
    o.sampler.validate();
    const auto target = openTinyGpt(args.required("target"), "target");
    const auto draft = openTinyGpt(args.required("draft"), "draft");
    const ar::Tokens prompt = encodePrompt(*target, args.str("prompt"));
    const ar::SpeculativeResult r = ar::speculativeDecode(*target, *draft, prompt, o);
    const ar::Tokenizer& tok = target->tokenizer();
    const auto words = [&](const ar::Tokens& ids) {
        std::vector<std::string> w;
        for (int id : ids) w.push_back(tok.token(id));
        return w;
    };
    if (args.flag("json")) {
        nlohmann::json j;
        j["tokens"] = words(r.tokens);
        j["rounds"] = nlohmann::json::array();
        for (const auto& round : r.rounds)
            j["rounds"].push_back({{"draft", words(round.draft)}, {"accepted", round.accepted}, {"p", round.p},
                                   {"q", round.q}, {"next", tok.token(round.next)}, {"bonus", round.bonus}});
        j["target_calls"] = r.targetCalls;
        j["draft_calls"] = r.draftCalls;
        j["acceptance_rate"] = r.acceptanceRate();
        j["expected_acceptance"] = r.expectedAcceptance();
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
    std::printf("%s\n\n", tok.decode(r.tokens).c_str());
    for (size_t i = 0; i < r.rounds.size(); ++i) {
        const auto& round = r.rounds[i];
        std::printf("round %zu:", i + 1);
        for (size_t d = 0; d < round.draft.size(); ++d)
            std::printf(" %s%s(p %.2f q %.2f)", int(d) < round.accepted ? "+" : int(d) == round.accepted ? "x" : "-",
                        tok.token(round.draft[d]).c_str(), round.p[d], round.q[d]);
        std::printf("  -> %s %s\n", round.bonus ? "bonus" : "resampled", tok.token(round.next).c_str());
    }
    std::printf("%zu tokens, %d target calls (%.2f tokens per call), %d draft calls, acceptance %.3f (expected %.3f)\n",
                r.tokens.size(), r.targetCalls, double(r.tokens.size()) / r.targetCalls, r.draftCalls, r.acceptanceRate(),
                r.expectedAcceptance());
    return 0;
}

}  // namespace arcli
