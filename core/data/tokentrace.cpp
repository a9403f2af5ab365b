#include "core/data/tokentrace.h"

#include "core/error.h"

#include <algorithm>
#include <string>

namespace ar {

std::vector<Tokens> traceSymbolsAfter(const Tokenizer::Trace& trace, size_t count) {
    std::vector<Tokens> sym = trace.initial;
    for (size_t i = 0; i < std::min(count, trace.merges.size()); ++i) {
        const Tokenizer::Merge& m = trace.merges[i];
        if (m.pretoken < 0 || size_t(m.pretoken) >= sym.size())
            throw Error("tokenizer trace: merge " + std::to_string(i + 1) + " names no pre-token");
        Tokens& s = sym[size_t(m.pretoken)];
        if (m.position < 0 || size_t(m.position) + 1 >= s.size())
            throw Error("tokenizer trace: merge " + std::to_string(i + 1) + " is outside its pre-token");
        s[size_t(m.position)] = m.result;
        s.erase(s.begin() + m.position + 1);
    }
    return sym;
}

}  // namespace ar
