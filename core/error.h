#pragma once
// One exception type for every user-facing failure in core/: a bad file, a bad prompt, a bad setting.
// The message is complete and specific (what, where, why) so the CLI and the GUI can show it as is.
#include <stdexcept>
#include <string>

namespace ar {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace ar
