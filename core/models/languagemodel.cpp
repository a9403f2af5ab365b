#include "core/models/languagemodel.h"

namespace ar {

Mat LanguageModel::logits(std::span<const int> tokens) const {
    Mat out(Index(tokens.size()), vocabSize());
    auto state = newState();
    DecodeState* s = state.get();
    for (size_t i = 0; i < tokens.size(); ++i) {
        const int t = tokens[i];
        out.row(Index(i)) = step(std::span<DecodeState* const>(&s, 1), std::span<const int>(&t, 1)).row(0);
    }
    return out;
}

}  // namespace ar
