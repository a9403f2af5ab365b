#include "core/memory.h"

#include <cstdlib>  // defines __GLIBC__ on glibc systems

#include <cstdint>

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace ar {

bool tuneAllocator() {
#if defined(__GLIBC__)
    // Blocks up to 32 MB (glibc's maximum) come from the heap instead of fresh mmaps, and up to 256 MB of freed
    // heap stays mapped instead of being trimmed after every step. Setting both fixes the thresholds (glibc's
    // dynamic adjustment would otherwise keep trimming).
    const bool a = mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024) == 1;
    const bool b = mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024) == 1;
    return a && b;
#else
    return false;
#endif
}

size_t writeOnHugePages(void* p, size_t bytes, const std::function<void()>& write) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr uintptr_t kHuge = uintptr_t(2) << 20;
    if (bytes < kHuge) {
        write();
        return 0;
    }
    const uintptr_t lo = reinterpret_cast<uintptr_t>(p), hi = lo + bytes;
    const uintptr_t a = (lo + kHuge - 1) & ~(kHuge - 1), b = hi & ~(kHuge - 1);  // the interior [a, b), maybe empty
    // The interior is this buffer's alone: dropped only when the kernel takes the advice (else nothing changes).
    const bool interior = b > a && madvise(reinterpret_cast<void*>(a), b - a, MADV_HUGEPAGE) == 0;
    if (interior) madvise(reinterpret_cast<void*>(a), b - a, MADV_DONTNEED);
    write();
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25  // Linux 6.1; glibc 2.36's <sys/mman.h> does not name it yet
#endif
    // The 2 MB pages at the edges hold other memory too: collapsed with their contents (refused by older kernels,
    // or where the page reaches past the mapping).
    const uintptr_t first = lo & ~(kHuge - 1), last = (hi - 1) & ~(kHuge - 1);
    if (first < a) madvise(reinterpret_cast<void*>(first), kHuge, MADV_COLLAPSE);
    if (last >= b && last != first) madvise(reinterpret_cast<void*>(last), kHuge, MADV_COLLAPSE);
    return interior ? size_t(b - a) : 0;
#else
    write();
    return 0;
#endif
}

}  // namespace ar
