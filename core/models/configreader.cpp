#include "core/models/configreader.h"

#include "core/error.h"

#include <cmath>

namespace ar {

ConfigReader::ConfigReader(const std::string& json, std::string what) : m_what(std::move(what)) {
    m_json = nlohmann::json::parse(json.empty() ? "{}" : json, nullptr, false);
    if (m_json.is_discarded()) fail("the configuration is not valid JSON");
    if (!m_json.is_object()) fail("the configuration is not a JSON object");
}

void ConfigReader::fail(const std::string& what) const { throw Error(m_what + ": " + what); }

const nlohmann::json* ConfigReader::find(const char* key) {
    m_known.insert(key);
    auto it = m_json.find(key);
    return it == m_json.end() ? nullptr : &*it;
}

int64_t ConfigReader::integer(const char* key, std::optional<int64_t> def, int64_t lo, int64_t hi) {
    const nlohmann::json* v = find(key);
    if (!v) {
        if (!def) fail(std::string("has no integer '") + key + "'");
        return *def;
    }
    if (!v->is_number_integer()) fail(std::string("'") + key + "' must be an integer, got " + v->dump());
    // a value beyond int64 arrives as an unsigned integer
    const bool huge = v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(INT64_MAX);
    const int64_t x = huge ? INT64_MAX : v->get<int64_t>();
    if (huge || x < lo || x > hi)
        fail(std::string("'") + key + "' = " + v->dump() + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
    return x;
}

double ConfigReader::number(const char* key, double def, double lo, double hi) {
    const nlohmann::json* v = find(key);
    if (!v) return def;
    if (!v->is_number()) fail(std::string("'") + key + "' must be a number, got " + v->dump());
    const double x = v->get<double>();
    if (!std::isfinite(x) || x < lo || x > hi) fail(std::string("'") + key + "' = " + v->dump() + " is out of range");
    return x;
}

bool ConfigReader::boolean(const char* key, bool def) {
    const nlohmann::json* v = find(key);
    if (!v) return def;
    if (!v->is_boolean()) fail(std::string("'") + key + "' must be true or false, got " + v->dump());
    return v->get<bool>();
}

std::string ConfigReader::choice(const char* key, const std::string& def, const std::vector<std::string>& choices) {
    const nlohmann::json* v = find(key);
    if (!v) return def;
    std::string list;
    for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
    if (!v->is_string()) fail(std::string("'") + key + "' must be a string (one of " + list + "), got " + v->dump());
    const std::string s = v->get<std::string>();
    for (const auto& c : choices)
        if (s == c) return s;
    fail(std::string("'") + key + "' is " + v->dump() + "; the choices are " + list);
}

std::vector<int64_t> ConfigReader::integers(const char* key, std::vector<int64_t> def, size_t maxCount, int64_t lo,
                                            int64_t hi) {
    const nlohmann::json* v = find(key);
    if (!v) return def;
    if (!v->is_array() || v->empty() || v->size() > maxCount)
        fail(std::string("'") + key + "' must be a list of 1 to " + std::to_string(maxCount) + " integers");
    std::vector<int64_t> out;
    for (const auto& e : *v) {
        const bool huge = e.is_number_unsigned() && e.get<uint64_t>() > uint64_t(INT64_MAX);
        if (!e.is_number_integer() || huge || e.get<int64_t>() < lo || e.get<int64_t>() > hi)
            fail(std::string("'") + key + "' holds " + e.dump() + "; each entry must be an integer in " +
                 std::to_string(lo) + ".." + std::to_string(hi));
        out.push_back(e.get<int64_t>());
    }
    return out;
}

void ConfigReader::finish() const {
    for (auto it = m_json.begin(); it != m_json.end(); ++it) {
        if (m_known.count(it.key())) continue;
        std::string list;
        for (const auto& k : m_known) list += (list.empty() ? "" : ", ") + k;
        fail("unknown key '" + it.key() + "' (known keys: " + list + ")");
    }
}

}  // namespace ar
