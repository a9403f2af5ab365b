#pragma once
// A small strict argument parser for arlab-cli subcommands (plain C++, no Qt).
// Every subcommand declares its options; anything else is an error with a specific message.
#include "core/error.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace arcli {

struct OptionSpec {
    std::string name;      // without dashes: "steps"
    std::string valueName; // empty for flags ("json"); otherwise e.g. "N"
    std::string help;
};

class Args {
public:
    // Parses argv[first..] against specs (and --help, which every command takes: "show this help", listed last);
    // throws ar::Error on unknown options or a missing value.
    Args(int argc, char** argv, int first, const std::vector<OptionSpec>& specs);

    const std::vector<std::string>& positional() const { return m_positional; }
    // The i-th positional argument, or an error naming what was expected ("MODEL").
    const std::string& positional(size_t i, const std::string& what) const;
    // Exactly `count` positional arguments: the first missing one is named (`what`), an extra one is refused.
    void expectPositional(size_t count, const std::string& what = "") const;
    // The commands that read one model: exactly one positional argument, MODEL, returned; a missing one is named
    // "MODEL (<what>)".
    const std::string& model(const std::string& what = "a .safetensors file or a built-in name") const;
    // With --help: prints `text` (usage line and description) and the option table, and returns true.
    bool printHelp(const std::string& text) const;
    bool flag(const std::string& name) const { return m_flags.count(name) > 0; }
    bool has(const std::string& name) const { return m_values.count(name) > 0; }
    std::string str(const std::string& name, const std::string& fallback = "") const;
    std::string required(const std::string& name) const;
    // Numbers are checked: "--steps abc" or "--steps 1e99" are errors naming the option; min/max bound it.
    long long integer(const std::string& name, long long fallback, long long min, long long max) const;
    double number(const std::string& name, double fallback, double min, double max) const;
    // --seed S: the one range every command accepts (0 to 2^62), `fallback` when not given.
    uint64_t seed(uint64_t fallback) const;

private:
    std::vector<std::string> m_positional;
    std::map<std::string, std::string> m_values;
    std::set<std::string> m_flags;
    std::vector<OptionSpec> m_specs;
};

std::string usageLines(const std::vector<OptionSpec>& specs);

}  // namespace arcli
