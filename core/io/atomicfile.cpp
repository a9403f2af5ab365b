#include "core/io/atomicfile.h"

#include "core/error.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ar {

namespace {
// The folder part of a path ("." when there is none).
std::string folderOf(const std::string& path) {
    const size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}
}  // namespace

AtomicFile::AtomicFile(const std::string& path, const std::string& label) : m_path(path), m_label(label) {
    if (path.empty()) throw Error(label + ": empty file name");
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode)) throw Error(m_label + ": is a directory, not a file");
        if (!S_ISREG(st.st_mode)) {  // a device or a pipe: write in place, checked
            m_special = true;
            m_fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
            if (m_fd < 0) fail("cannot open for writing", errno);
            return;
        }
        // A symbolic link to a regular file: replace the file it points to, keep the link.
        char resolved[PATH_MAX];
        if (::realpath(path.c_str(), resolved)) m_path = resolved;
    }
    m_dir = folderOf(m_path);
    const mode_t mode = S_IRUSR | S_IWUSR | S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH;  // minus the umask
#ifdef O_TMPFILE
    m_fd = ::open(m_dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
#endif
    if (m_fd < 0) {
        m_partial = m_path + ".partial";
        m_fd = ::open(m_partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        if (m_fd < 0) {
            const int err = errno;
            m_partial.clear();
            fail("cannot write in folder '" + m_dir + "'", err);
        }
    }
}

AtomicFile::~AtomicFile() {
    if (!m_done) discard();
}

void AtomicFile::discard() noexcept {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
    if (!m_partial.empty()) ::unlink(m_partial.c_str());
    m_partial.clear();
    m_done = true;
}

void AtomicFile::fail(const std::string& what, int err) {
    discard();
    throw Error(m_label + ": " + what + ": " + std::strerror(err));
}

void AtomicFile::write(std::string_view bytes) {
    if (m_done) throw Error(m_label + ": write after the file was closed");
    while (!bytes.empty()) {
        const ssize_t n = ::write(m_fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write failed", errno);
        }
        if (n == 0) fail("write failed", EIO);
        bytes.remove_prefix(size_t(n));
    }
}

void AtomicFile::commit() {
    if (m_done) throw Error(m_label + ": commit after the file was closed");
    if (m_special) {
        // fsync on a pipe or terminal is meaningless (EINVAL); only the close can still report an error.
        const int fd = m_fd;
        m_fd = -1;
        m_done = true;
        if (::close(fd) != 0) throw Error(m_label + ": write failed: " + std::strerror(errno));
        return;
    }
    if (::fsync(m_fd) != 0) fail("cannot flush to disk", errno);
    if (m_partial.empty()) {
        // Give the unnamed file a name next to the destination, then rename it over the destination.
        m_partial = m_path + ".partial";
        ::unlink(m_partial.c_str());
        const std::string self = "/proc/self/fd/" + std::to_string(m_fd);
        if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, m_partial.c_str(), AT_SYMLINK_FOLLOW) != 0) {
            const int err = errno;
            m_partial.clear();
            fail("cannot write in folder '" + m_dir + "'", err);
        }
    }
    if (::close(m_fd) != 0) {
        m_fd = -1;
        fail("write failed", errno);
    }
    m_fd = -1;
    if (::rename(m_partial.c_str(), m_path.c_str()) != 0) fail("cannot replace the file", errno);
    m_partial.clear();
    m_done = true;
    const int dfd = ::open(m_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {  // the rename is done; a folder that cannot be synced (some file systems) is not an error
        ::fsync(dfd);
        ::close(dfd);
    }
}

void checkWritable(const std::string& path, const std::string& label) {
    AtomicFile probe(path, label);  // the destructor discards it
}

void writeFileAtomic(const std::string& path, std::string_view bytes, const std::string& label) {
    AtomicFile f(path, label);
    f.write(bytes);
    f.commit();
}

}  // namespace ar
