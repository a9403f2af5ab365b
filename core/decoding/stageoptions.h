#pragma once
// The sampler stages' knobs as command-line options: one code path for arlab-cli (app/cli/sampleroptions.h) and
// arlab (app/gui/startup.cpp). One option per knob of samplerKnobs(), in chain order:
//   name    the knob's key with '-' for '_'   ("top_p" -> --top-p)
//   value   its valueName                      (--top-p P)
//   help    its tooltip on one line, then its default ("... 1 = off. (default 1)")
//   parse   a whole number (decimals 0) or a number, then the knob's one check (checkStageValue):
//           "--top-p: top-p must be in (0, 1], got 1.5", "--top-k: top-k must be a whole number, got 'many'"
// A new stage file's knobs are options of both programs with no edit here.
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ar {

struct StageParam;

struct StageOption {
    std::string name;        // "top-p" (without dashes)
    std::string valueName;   // "P"
    std::string help;        // one line
    const StageParam* knob;
};
std::vector<StageOption> stageOptions();

// The value a text gives the knob, checked; throws ar::Error with the knob's message (no option name).
double parseStageValue(const StageParam& p, const std::string& text);
// The options given: `given(name)` is the text of --name, or nullopt when it was not given. Returns (key, value)
// for each, parsed and checked, in option order; throws ar::Error naming the option ("--top-p: ...").
std::vector<std::pair<std::string, double>> readStageOptions(const std::function<std::optional<std::string>(const std::string&)>& given);

}  // namespace ar
