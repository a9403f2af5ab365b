#include "app/cli/sampleroptions.h"

#include "core/decoding/stageoptions.h"
#include "core/error.h"

namespace arcli {

std::vector<OptionSpec> samplerOptions() {
    std::vector<OptionSpec> out;
    for (const ar::StageOption& o : ar::stageOptions()) out.push_back({o.name, o.valueName, o.help});
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
    std::vector<std::pair<std::string, double>> knobs;
    try {
        knobs = ar::readStageOptions([&](const std::string& name) { return args.has(name) ? std::optional(args.str(name)) : std::nullopt; });
    } catch (const ar::Error& e) {
        throw ar::Error("option " + std::string(e.what()));
    }
    for (const auto& [key, value] : knobs) s.setKnob(key, value);
}

}  // namespace arcli
