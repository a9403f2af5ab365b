#pragma once
// Bounded file reading: every loader reads through here, so a huge file, a directory or a special file that
// never ends costs a specific message, never all of memory: devices (/dev/zero, /dev/urandom) are refused
// at once, a pipe is read up to `maxBytes`, a regular file larger than `maxBytes` is refused from its size. The limits each loader uses are documented in README "Reliability" (limits).
#include <cstdint>
#include <string>

namespace ar {

// Largest file any arlab loader reads (models, PNGs, IDX files, corpora): 1 GiB.
inline constexpr uint64_t kMaxFileBytes = uint64_t(1) << 30;

// The whole file's bytes. Throws ar::Error "<label>: ..." when it cannot be opened ("cannot open: <reason>"),
// is a directory or a device, is larger than maxBytes (regular files are refused from their size, before reading), or
// fails while reading.
std::string readFileLimited(const std::string& path, uint64_t maxBytes, const std::string& label);

// Opens `path` with the same checks and messages (cannot open, directory, device, a regular file larger than
// maxBytes) and returns the descriptor, which the caller closes. `regular` is false for a pipe or socket (its
// `size` is then 0: such a file can only be read through readFileLimited).
int openFileLimited(const std::string& path, uint64_t maxBytes, const std::string& label, uint64_t& size, bool& regular);
// Everything an open descriptor gives (as readFileLimited reads it), up to maxBytes.
std::string readAllLimited(int fd, bool regular, uint64_t size, uint64_t maxBytes, const std::string& label);

// "12.5 MB", "1 GiB": sizes in messages.
std::string byteCountText(uint64_t bytes);

}  // namespace ar
