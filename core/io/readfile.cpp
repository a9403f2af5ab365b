#include "core/io/readfile.h"

#include "core/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ar {

std::string byteCountText(uint64_t bytes) {
    char buf[64];
    if (bytes >= (uint64_t(1) << 30) && bytes % (uint64_t(1) << 30) == 0)
        std::snprintf(buf, sizeof buf, "%llu GiB", (unsigned long long)(bytes >> 30));
    else if (bytes >= (uint64_t(1) << 20) && bytes % (uint64_t(1) << 20) == 0)
        std::snprintf(buf, sizeof buf, "%llu MiB", (unsigned long long)(bytes >> 20));
    else if (bytes >= 1000000)
        std::snprintf(buf, sizeof buf, "%.1f MB", double(bytes) / 1e6);
    else
        std::snprintf(buf, sizeof buf, "%llu bytes", (unsigned long long)bytes);
    return buf;
}

int openFileLimited(const std::string& path, uint64_t maxBytes, const std::string& label, uint64_t& size, bool& regular) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(label + ": cannot open: " + std::strerror(errno));
    try {
        struct stat st {};
        if (::fstat(fd, &st) != 0) throw Error(label + ": cannot open: " + std::strerror(errno));
        if (S_ISDIR(st.st_mode)) throw Error(label + ": is a directory, not a file");
        if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) throw Error(label + ": is a device, not a file");
        regular = S_ISREG(st.st_mode);
        size = regular ? uint64_t(st.st_size) : 0;
        if (regular && size > maxBytes)
            throw Error(label + ": the file is " + byteCountText(size) + ", more than the limit of " + byteCountText(maxBytes));
    } catch (...) {
        ::close(fd);
        throw;
    }
    return fd;
}

std::string readFileLimited(const std::string& path, uint64_t maxBytes, const std::string& label) {
    uint64_t size = 0;
    bool regular = false;
    const int fd = openFileLimited(path, maxBytes, label, size, regular);
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    return readAllLimited(fd, regular, size, maxBytes, label);
}

std::string readAllLimited(int fd, bool regular, uint64_t size, uint64_t maxBytes, const std::string& label) {
    std::string bytes;
    if (regular) bytes.reserve(size_t(size));
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(label + ": read error: " + std::strerror(errno));
        }
        if (n == 0) break;
        if (bytes.size() + size_t(n) > maxBytes)
            throw Error(label + ": gives more than the limit of " + byteCountText(maxBytes) +
                        (regular ? " (the file grew while being read)" : " (a pipe or socket)"));
        bytes.append(buf, size_t(n));
    }
    return bytes;
}

}  // namespace ar
