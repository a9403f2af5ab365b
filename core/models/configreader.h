#pragma once
// Strict reading of a model's "arlab.config" JSON: every key must be known, every value has the right type and
// lies in its documented range, and choices are named. A hostile or mistyped config is refused with a message
// naming the key, never silently defaulted, truncated to int or accepted out of range.
//   ConfigReader r(json, "pixelcnn config");
//   c.layers = r.integer("layers", 5, 0, kMaxConvLayers);   // default when the key is missing
//   r.finish();                                               // refuses keys nobody asked for
// The limits themselves live in core/models/configlimits.h.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ar {

class ConfigReader {
public:
    ConfigReader(const std::string& json, std::string what);  // throws when it is not a JSON object

    // Missing key: the default, or an error when `def` is empty ("has no integer 'n_layer'").
    int64_t integer(const char* key, std::optional<int64_t> def, int64_t lo, int64_t hi);
    double number(const char* key, double def, double lo, double hi);
    bool boolean(const char* key, bool def);
    std::string choice(const char* key, const std::string& def, const std::vector<std::string>& choices);
    std::vector<int64_t> integers(const char* key, std::vector<int64_t> def, size_t maxCount, int64_t lo, int64_t hi);
    // A key that is accepted and ignored (kept for older files).
    void ignore(const char* key) { m_known.insert(key); }
    void finish() const;  // throws on the first key that was not asked for, naming the known ones

    [[noreturn]] void fail(const std::string& what) const;

private:
    const nlohmann::json* find(const char* key);
    nlohmann::json m_json;
    std::string m_what;
    std::set<std::string> m_known;
};

}  // namespace ar
