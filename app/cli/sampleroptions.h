#pragma once
// arlab-cli's sampling options: the sampler stages' knobs as options (core/decoding/stageoptions.h, the code path
// arlab's own options use too): --top-p P etc., with the knob's tooltip and default as help; a bad value gets the
// knob's message, prefixed by the option ("option --top-p: top-p must be in (0, 1], got 1.5"). A new stage file's
// knobs are options of every sampling command with no edit here.
#include "app/cli/args.h"
#include "core/decoding/decodingsettings.h"

#include <vector>

namespace arcli {

// One OptionSpec per knob, in chain order (a stage's knobs in its order).
std::vector<OptionSpec> samplerOptions();
// A command's own options followed by samplerOptions().
std::vector<OptionSpec> withSamplerOptions(std::vector<OptionSpec> own);
// Writes each sampling option given into `s` and checks it; throws ar::Error naming the option.
void readSamplerOptions(const Args& args, ar::SamplerSettings& s);

}  // namespace arcli
