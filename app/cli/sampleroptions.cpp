#include "app/cli/sampleroptions.h"

#include "core/decoding/samplerstages.h"
#include "core/error.h"

#include <algorithm>
#include <climits>

namespace arcli {

namespace {
std::string oneLine(std::string text) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
}
}  // namespace

std::string samplerOptionName(const ar::StageParam& p) {
    std::string name = p.key;
    std::replace(name.begin(), name.end(), '_', '-');
    return name;
}

std::vector<OptionSpec> samplerOptions() {
    const ar::SamplerSettings defaults;
    std::vector<OptionSpec> out;
    for (const ar::SamplerStageKind* stage : ar::samplerStages())
        for (const ar::StageParam& p : stage->params())
            out.push_back({samplerOptionName(p), p.valueName.empty() ? "VALUE" : p.valueName,
                           oneLine(p.tooltip) + " (default " + ar::stageNumber(p.get(defaults)) + ")"});
    return out;
}

std::vector<OptionSpec> withSamplerOptions(std::vector<OptionSpec> own) {
    for (OptionSpec& o : samplerOptions()) {
        for (const OptionSpec& mine : own)   // a stage's key that a command already uses is a programming error
            if (mine.name == o.name) throw ar::Error("sampler option --" + o.name + " is also one of the command's own options");
        own.push_back(std::move(o));
    }
    return own;
}

void readSamplerOptions(const Args& args, ar::SamplerSettings& s) {
    for (const ar::SamplerStageKind* stage : ar::samplerStages())
        for (const ar::StageParam& p : stage->params()) {
            const std::string name = samplerOptionName(p);
            if (!args.has(name)) continue;
            const double v = p.decimals == 0
                ? double(args.integer(name, 0, (long long)std::max(p.lowest, double(INT_MIN)),
                                      (long long)std::min(p.highest, double(INT_MAX))))
                : args.number(name, 0, p.lowest, p.highest);
            p.set(s, v);
            try {
                p.check(s);
            } catch (const ar::Error& e) {
                throw ar::Error("option --" + name + ": " + e.what());
            }
        }
}

}  // namespace arcli
