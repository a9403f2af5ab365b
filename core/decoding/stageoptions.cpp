#include "core/decoding/stageoptions.h"

#include "core/decoding/samplerstages.h"
#include "core/error.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace ar {

namespace {
std::string optionName(const StageParam& p) {
    std::string name = p.key;
    std::replace(name.begin(), name.end(), '_', '-');
    return name;
}

// The whole text as a T (std::from_chars: no locale, no leading '+' or space), or nullopt.
template <typename T>
std::optional<T> parseWhole(const std::string& text) {
    T v{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return v;
}
}  // namespace

std::vector<StageOption> stageOptions() {
    std::vector<StageOption> out;
    for (const StageParam& p : samplerKnobs()) {
        std::string help = p.tooltip;
        std::replace(help.begin(), help.end(), '\n', ' ');
        out.push_back({optionName(p), p.valueName.empty() ? "VALUE" : p.valueName,
                       help + " (default " + stageValueText(p, p.defaultValue) + ")", &p});
    }
    return out;
}

double parseStageValue(const StageParam& p, const std::string& text) {
    double v = 0;
    if (p.decimals == 0) {
        const auto whole = parseWhole<long long>(text);
        if (!whole) throw Error(p.name + " must be a whole number, got '" + text + "'");
        v = double(*whole);
    } else {
        const auto number = parseWhole<double>(text);
        if (!number || !std::isfinite(*number)) throw Error(p.name + " must be a number, got '" + text + "'");
        v = *number;
    }
    checkStageValue(p, p.decimals == 0 ? v : double(float(v)));   // as the float slot will hold it
    return v;
}

std::vector<std::pair<std::string, double>> readStageOptions(const std::function<std::optional<std::string>(const std::string&)>& given) {
    std::vector<std::pair<std::string, double>> out;
    for (const StageOption& o : stageOptions()) {
        const std::optional<std::string> text = given(o.name);
        if (!text) continue;
        try {
            out.emplace_back(o.knob->key, parseStageValue(*o.knob, *text));
        } catch (const Error& e) {
            throw Error("--" + o.name + ": " + e.what());
        }
    }
    return out;
}

}  // namespace ar
