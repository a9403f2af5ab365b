// Fuzz target: a whole model file of any kind (text, image, translator) through the registry's loader (what
// openModel uses): metadata, config, tokenizer and tensors together. A model that loads must run one small step.
#include "core/io/modelregistry.h"
#include "core/models/imagemodel.h"
#include "core/models/languagemodel.h"
#include "core/models/seq2seq.h"
#include "fuzzutil.h"

#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ar::OpenedModel m;
    try {
        m = ar::loadModelBytes(fuzz::bytes(data, size), "fuzz");
    } catch (const ar::Error&) {
        return 0;
    }
    fuzz::require(bool(m), "no model and no error");
    try {
        if (m.text) {
            auto state = m.text->newState();
            ar::DecodeState* s = state.get();
            const int first = m.text->bosToken() >= 0 ? m.text->bosToken() : 0;
            const ar::Mat logits = m.text->step(std::span<ar::DecodeState* const>(&s, 1), std::span<const int>(&first, 1));
            fuzz::require(logits.rows() == 1 && logits.cols() == m.text->vocabSize(), "logits shape");
        } else if (m.image) {
            auto state = m.image->newState(m.image->numClasses() > 0 ? 0 : -1);
            state->logit(0);
            state->set(0, 1.0f);
            if (m.image->pixels() > 1) state->logit(1);
        } else if (m.translator) {
            const ar::Tokenizer& src = m.translator->srcTokenizer();
            if (src.size() > 0) ar::translateGreedy(*m.translator, ar::Tokens{src.size() - 1}, 3);
        }
    } catch (const ar::Error&) {
        // a typed refusal at run time (e.g. a context of 0) is fine
    }
    return 0;
}
