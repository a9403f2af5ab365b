#include "core/decoding/decodingsettings.h"

#include "core/decoding/samplerstages.h"
#include "core/enumnames.h"
#include "core/error.h"

#include <cmath>
#include <cstdio>

namespace ar {

namespace {
constexpr EnumName<DecodeStrategy> kStrategyNames[] = {
    {DecodeStrategy::Greedy, "greedy"}, {DecodeStrategy::Sample, "sample"}, {DecodeStrategy::Beam, "beam"}};
}  // namespace

std::string strategyName(DecodeStrategy s) { return nameOf(kStrategyNames, s, "?"); }

DecodeStrategy strategyFromName(const std::string& s) {
    if (const auto e = fromName(kStrategyNames, s)) return *e;
    throw Error("unknown strategy '" + s + "' (choose greedy, sample or beam)");
}

static std::string num(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

void BeamSettings::validate() const {
    if (width < 1 || width > 64) throw Error("beam width must be in [1, 64], got " + std::to_string(width));
    if (maxLength < 1 || maxLength > 4096) throw Error("max length must be in [1, 4096], got " + std::to_string(maxLength));
    if (!std::isfinite(lengthPenalty) || lengthPenalty < 0 || lengthPenalty > 5)
        throw Error("length penalty must be in [0, 5], got " + num(lengthPenalty));
}

void CompareSettings::validate() const {
    if (maxNewTokens < 1 || maxNewTokens > 4096)
        throw Error("max new tokens must be in [1, 4096], got " + std::to_string(maxNewTokens));
    if (samples < 0 || samples > 32) throw Error("samples must be in [0, 32], got " + std::to_string(samples));
}

SamplerSettings::SamplerSettings() {
    for (const StageParam& p : samplerKnobs()) m_knobs.emplace(p.key, p.defaultValue);
}

static std::string noKnob(std::string_view key) { return "no sampler stage has a setting '" + std::string(key) + "'"; }

double SamplerSettings::knob(std::string_view key) const {
    const auto it = m_knobs.find(key);   // (every stage's knob is there from the constructor on)
    if (it == m_knobs.end()) throw Error(noKnob(key));
    return it->second;
}

void SamplerSettings::setKnob(std::string_view key, double value) {
    const StageParam* p = findSamplerKnob(key);
    if (!p) throw Error(noKnob(key));
    m_knobs.insert_or_assign(p->key, p->decimals == 0 ? value : double(float(value)));
}

void SamplerSettings::validate() const {
    for (const StageParam& p : samplerKnobs()) checkStageValue(p, knob(p.key));
    if (maxNewTokens < 1 || maxNewTokens > 4096)
        throw Error("max new tokens must be in [1, 4096], got " + std::to_string(maxNewTokens));
    beam.validate();
    compare.validate();
}

}  // namespace ar
