#pragma once
// Replaying a tokenizer's trace (ar::Tokenizer::Trace): the symbols of every pre-token after the first k merges,
// so a view can show the merges one at a time (the Tokenizer dock). Replaying all of them gives the ids.
#include "core/data/tokenizer.h"

#include <vector>

namespace ar {

// Each pre-token's symbols after the first `count` merges (0: the initial symbols; merges.size() or more: the
// ids, split by pre-token). Throws ar::Error for a merge that names no pre-token or falls outside it.
std::vector<Tokens> traceSymbolsAfter(const Tokenizer::Trace& trace, size_t count);

}  // namespace ar
