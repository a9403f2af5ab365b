#pragma once
// One atomic writer for every file arlab writes from core (models, PNGs, CSV/SVG exports, sessions):
// the bytes go to a temporary file in the destination's folder, are fsync'ed, renamed over the destination,
// and the folder is fsync'ed. A reader (or a crash, a SIGKILL, a power cut) sees the old file or the new one,
// never a torn one. The temporary file is an unnamed O_TMPFILE where the file system supports it (a killed
// writer leaves nothing behind), else "<path>.partial" (a fixed name: a killed writer leaves at most one,
// replaced by the next write). Any failure removes the temporary file, leaves the old file untouched and
// throws ar::Error "<label>: <what failed>: <reason>".
// Special files (/dev/stdout, /dev/full, a pipe) cannot be replaced: they are written in place, with every
// write and the close checked, so /dev/full fails loudly ("No space left on device").
// Core and the CLI write through this class. Qt code in app/ and widgets/ (exports, screenshots, sessions)
// uses QSaveFile, Qt's equivalent (temporary file, commit() renames), or calls writeFileAtomic with bytes.
#include <string>
#include <string_view>

namespace ar {

class AtomicFile {
public:
    // Opens the temporary file (throws on failure). label names the file in errors, e.g. "PNG 'a.png'".
    AtomicFile(const std::string& path, const std::string& label);
    ~AtomicFile();  // not committed: discards the temporary file; the destination is untouched
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    void write(std::string_view bytes);  // throws ar::Error on a failed or short write
    void commit();                       // fsync, rename over the destination, fsync the folder

private:
    [[noreturn]] void fail(const std::string& what, int err);
    void discard() noexcept;
    std::string m_path, m_label, m_dir, m_partial;  // m_partial: named temporary file ("" for O_TMPFILE)
    int m_fd = -1;
    bool m_special = false;  // writing in place into a device or pipe
    bool m_done = false;
};

// The whole file in one call.
void writeFileAtomic(const std::string& path, std::string_view bytes, const std::string& label);
// Opens and discards a temporary file for `path`: a folder that does not exist or cannot be written fails now,
// before an hour of training, not at the end.
void checkWritable(const std::string& path, const std::string& label);

}  // namespace ar
