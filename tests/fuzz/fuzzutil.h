#pragma once
// Shared by the libFuzzer targets in tests/fuzz. Each target feeds its input to one loader; the loader must
// either return a value that passes the target's checks or throw ar::Error. Anything else (a crash, a
// sanitizer report, another exception type, a hang, a huge allocation) is a finding.
#include "core/error.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace fuzz {

inline std::string_view bytes(const uint8_t* data, size_t size) { return {reinterpret_cast<const char*>(data), size}; }

// A broken invariant on an accepted input: report and abort, so libFuzzer saves the input.
[[noreturn]] inline void broken(const char* what) {
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
}
inline void require(bool ok, const char* what) {
    if (!ok) broken(what);
}

}  // namespace fuzz
