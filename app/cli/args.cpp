#include "app/cli/args.h"

#include <cstdio>

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace arcli {

using ar::Error;

Args::Args(int argc, char** argv, int first, const std::vector<OptionSpec>& specs) : m_specs(specs) {
    m_specs.push_back({"help", "", "show this help"});
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (a.size() > 2 && a.rfind("--", 0) == 0) {
            std::string name = a.substr(2), value;
            bool hasInline = false;
            if (auto eq = name.find('='); eq != std::string::npos) {
                value = name.substr(eq + 1);
                name = name.substr(0, eq);
                hasInline = true;
            }
            const OptionSpec* spec = nullptr;
            for (const auto& s : m_specs)
                if (s.name == name) spec = &s;
            if (!spec) throw Error("unknown option --" + name + " (see --help)");
            if (spec->valueName.empty()) {
                if (hasInline) throw Error("option --" + name + " takes no value");
                m_flags.insert(name);
            } else {
                if (!hasInline) {
                    if (i + 1 >= argc) throw Error("option --" + name + " needs a value " + spec->valueName);
                    value = argv[++i];
                }
                m_values[name] = value;
            }
        } else {
            m_positional.push_back(a);
        }
    }
}

void Args::expectPositional(size_t count, const std::string& what) const {
    if (m_positional.size() < count) positional(m_positional.size(), what);
    if (m_positional.size() > count) throw Error("unexpected argument '" + m_positional[count] + "'");
}

const std::string& Args::model(const std::string& what) const {
    expectPositional(1, "MODEL (" + what + ")");
    return m_positional[0];
}

bool Args::printHelp(const std::string& text) const {
    if (!flag("help")) return false;
    std::printf("%s\n\n%s", text.c_str(), usageLines(m_specs).c_str());
    return true;
}

const std::string& Args::positional(size_t i, const std::string& what) const {
    if (i >= m_positional.size()) throw Error("missing argument " + what);
    return m_positional[i];
}

std::string Args::str(const std::string& name, const std::string& fallback) const {
    auto it = m_values.find(name);
    return it == m_values.end() ? fallback : it->second;
}

std::string Args::required(const std::string& name) const {
    auto it = m_values.find(name);
    if (it == m_values.end()) throw Error("missing required option --" + name);
    return it->second;
}

uint64_t Args::seed(uint64_t fallback) const { return uint64_t(integer("seed", (long long)fallback, 0, 1LL << 62)); }

long long Args::integer(const std::string& name, long long fallback, long long min, long long max) const {
    auto it = m_values.find(name);
    if (it == m_values.end()) return fallback;
    const std::string& s = it->second;
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || errno == ERANGE)
        throw Error("option --" + name + " expects a whole number, got '" + s + "'");
    if (v < min || v > max)
        throw Error("option --" + name + " must be between " + std::to_string(min) + " and " + std::to_string(max) +
                    ", got " + s);
    return v;
}

double Args::number(const std::string& name, double fallback, double min, double max) const {
    auto it = m_values.find(name);
    if (it == m_values.end()) return fallback;
    const std::string& s = it->second;
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v))
        throw Error("option --" + name + " expects a number, got '" + s + "'");
    if (v < min || v > max) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "option --%s must be between %g and %g, got %s", name.c_str(), min, max, s.c_str());
        throw Error(buf);
    }
    return v;
}

std::string usageLines(const std::vector<OptionSpec>& specs) {
    std::string out;
    for (const auto& s : specs) {
        std::string left = "  --" + s.name + (s.valueName.empty() ? "" : " " + s.valueName);
        if (left.size() < 26) left.resize(26, ' ');
        else left += "  ";
        // The help wrapped at word boundaries to 100 columns, continuation lines under its first word.
        std::string line = left;
        size_t at = 0;
        while (at < s.help.size()) {
            size_t end = s.help.find(' ', at);
            if (end == std::string::npos) end = s.help.size();
            const std::string word = s.help.substr(at, end - at);
            if (line.size() > left.size() && line.size() + 1 + word.size() > 100) {
                out += line + "\n";
                line = std::string(left.size(), ' ');
            } else if (line.size() > left.size()) {
                line += ' ';
            }
            line += word;
            at = end + 1;
        }
        out += line + "\n";
    }
    return out;
}

}  // namespace arcli
