#pragma once
// arlab-cli's sampling options, generated from the sampler chain's stage objects (core/decoding/samplerstages.h)
// as the GUI's Sampling panel builds its rows from them. Each knob of each stage is one option:
//   name    the knob's key with '-' for '_'   ("top_p" -> --top-p)
//   value   its valueName                      (--top-p P)
//   help    its tooltip on one line, then its default ("... 1 = off. (default 1)")
//   parse   a whole number (decimals 0) or a number, within [lowest, highest]: Args' message
//           "option --top-p must be between 0 and 1, got 1.5"; then the stage's own check, prefixed by the option
//           ("option --top-p: top-p must be in (0, 1], got 0")
// A stage added to the chain (addSamplerStage) is an option of every sampling command with no edit here.
#include "app/cli/args.h"
#include "core/decoding/decodingsettings.h"

#include <string>
#include <vector>

namespace ar {
struct StageParam;
}

namespace arcli {

std::string samplerOptionName(const ar::StageParam& p);
// One OptionSpec per knob, in chain order (a stage's knobs in its order).
std::vector<OptionSpec> samplerOptions();
// A command's own options followed by samplerOptions().
std::vector<OptionSpec> withSamplerOptions(std::vector<OptionSpec> own);
// Writes each sampling option given into `s` and checks it; throws ar::Error naming the option.
void readSamplerOptions(const Args& args, ar::SamplerSettings& s);

}  // namespace arcli
