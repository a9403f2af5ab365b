#include "core/memory.h"

#include <cstdlib>  // defines __GLIBC__ on glibc systems

#if defined(__GLIBC__)
#include <malloc.h>
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

}  // namespace ar
