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
#include <map>
#include <string>
#include <string_view>

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
    SamplerSettings();   // every stage's knobs at their defaults (every filter off)
    DecodeStrategy strategy = DecodeStrategy::Sample;
    uint64_t seed = 0;               // seeds the draw; same seed -> same tokens
    int maxNewTokens = 20;           // [1, 4096]: stopping length of generate
    BeamSettings beam;
    CompareSettings compare;

    // The filters of the sampler chain: one slot per knob of its stages (core/decoding/samplerstages.h), by the
    // knob's key ("temperature", "top_k", "top_p", "min_p", "repetition_penalty", "repetition_window", ...).
    // Each stage declares its knobs (default, range) and reads them here. A float knob holds a float's value,
    // a whole-number knob an int's. A key no stage declares is an ar::Error.
    double knob(std::string_view key) const;
    void setKnob(std::string_view key, double value);
    // Typed views of the slots the app reads by name (greedy, the Generation dock's quick controls).
    float temperature() const { return float(knob("temperature")); }   // [0, 100]; 0 means greedy
    void setTemperature(float t) { setKnob("temperature", t); }
    int topK() const { return int(knob("top_k")); }                      // >= 0; 0 = off
    void setTopK(int k) { setKnob("top_k", k); }
    float topP() const { return float(knob("top_p")); }                  // (0, 1]; 1 = off
    void setTopP(float p) { setKnob("top_p", p); }

    // Every part (each knob's range, the beam and compare parts); throws ar::Error with a specific message.
    void validate() const;
    bool operator==(const SamplerSettings&) const = default;

private:
    std::map<std::string, double, std::less<>> m_knobs;
};

}  // namespace ar
