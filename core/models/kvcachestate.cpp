// The append-only KV cache of a Transformer's decode step (kvcachestate.h).
#include "core/models/kvcachestate.h"

#include "core/error.h"

#include <string>
#include <utility>

namespace ar {

bool KvCacheState::truncate(int length) {
    if (length < 0 || length > len)
        throw Error("truncate: a cache of " + std::to_string(len) + " tokens cannot keep " + std::to_string(length));
    if (length < len) {
        len = length;
        for (Mat& a : attention) a.resize(0, 0);  // the last step's rows no longer describe the last token
    }
    return true;
}

size_t KvCacheState::bytes() const {
    size_t n = 0;
    for (const auto* mats : {&k, &v})
        for (const Mat& m : *mats) n += size_t(m.size()) * sizeof(float);
    return n;
}

void KvCacheState::copyFilledInto(KvCacheState& c) const {
    c.len = len;
    c.attention = attention;
    c.k.clear();
    c.v.clear();
    for (auto [from, to] : {std::pair{&k, &c.k}, std::pair{&v, &c.v}})
        for (const Mat& m : *from) {
            Mat copy(m.rows(), m.cols());
            copy.topRows(len) = m.topRows(len);
            to->push_back(std::move(copy));
        }
}

}  // namespace ar
