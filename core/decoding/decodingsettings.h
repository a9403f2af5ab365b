#pragma once
// The one decoding-settings value: everything a decoding run is told, owned in one place (the app's
// GenerationController, the CLI's argument parser) and validated by one function per part.
//
//   SamplerSettings            strategy, the sampler chain's filters, the seed, the generate length,
//     .beam   BeamSettings     beam search: width k, max length, length penalty alpha
//     .compare CompareSettings the Compare strategies run: samples, their length and first seed, beam row on/off
//
// Each quantity lives here once: the beam dock, the sampling panel and the compare dock's beam row all read
// `beam.width`; the compare run's samples use the chain's filters. validate() checks every part and throws
// ar::Error with a specific message, e.g. "top-p must be in (0, 1], got 1.5".
#include <cstdint>
#include <string>

namespace ar {

enum class DecodeStrategy { Greedy, Sample, Beam };
std::string strategyName(DecodeStrategy s);            // "greedy" | "sample" | "beam"
DecodeStrategy strategyFromName(const std::string& s);  // throws ar::Error naming the valid choices

struct BeamSettings {
    int width = 4;              // k in [1, 64]
    int maxLength = 20;         // generated tokens, [1, 4096]
    float lengthPenalty = 0;    // GNMT alpha in [0, 5]: score = logprob / ((5 + len) / 6)^alpha
    void validate() const;      // ar::Error, e.g. "beam width must be in [1, 64], got 0"
    bool operator==(const BeamSettings&) const = default;
};

struct CompareSettings {
    int samples = 3;            // [0, 32] seeded sample rows
    int maxNewTokens = 12;      // [1, 4096] tokens per row
    uint64_t seed = 1;          // sample i uses seed + i
    bool beamRow = true;        // a beam row with SamplerSettings::beam's width and length penalty
    void validate() const;      // ar::Error, e.g. "samples must be in [0, 32], got 33"
    bool operator==(const CompareSettings&) const = default;
};

struct SamplerSettings {
    DecodeStrategy strategy = DecodeStrategy::Sample;
    // The filters of the sampler chain (core/decoding/samplerstages.h says what each does; its stage objects
    // name, describe, range-check and apply them).
    float temperature = 1.0f;        // [0, 100]; 0 means greedy
    int topK = 0;                    // >= 0; 0 = off
    float topP = 1.0f;               // (0, 1]; 1 = off
    float minP = 0.0f;               // [0, 1); 0 = off
    float repetitionPenalty = 1.0f;  // (0, 10]; 1 = off
    int repetitionWindow = 64;       // [0, 2^20]: how many recent tokens (prompt included) the penalty looks at
    uint64_t seed = 0;               // seeds the draw; same seed -> same tokens
    int maxNewTokens = 20;           // [1, 4096]: stopping length of generate
    BeamSettings beam;
    CompareSettings compare;

    // Every part; throws ar::Error with a specific message.
    void validate() const;
    bool operator==(const SamplerSettings&) const = default;
};

}  // namespace ar
