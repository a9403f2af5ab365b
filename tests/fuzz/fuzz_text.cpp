// Fuzz target: text corpora and tokenizers. The input is corpus text (UTF-8 checked first), then both
// tokenizers are built from it and must encode it without unknown pieces and decode it back; the input is
// also read as a tokenizer's JSON (the vocabulary stored in model files), which must round-trip.
#include "core/data/tokenizer.h"
#include "core/data/utf8.h"
#include "core/training/textdata.h"
#include "fuzzutil.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text = fuzz::bytes(data, size);
    try {
        const ar::Tokenizer t = ar::Tokenizer::fromJson(text);
        const ar::Tokenizer u = ar::Tokenizer::fromJson(t.toJson());
        fuzz::require(u.vocab() == t.vocab() && u.kind() == t.kind(), "tokenizer JSON round trip");
    } catch (const ar::Error&) {
    }
    const bool valid = !ar::utf8::firstInvalid(text).has_value();
    try {
        ar::utf8::validate(text, "corpus");
        fuzz::require(valid, "validate accepted invalid UTF-8");
    } catch (const ar::Error&) {
        fuzz::require(!valid, "validate refused valid UTF-8");
        return 0;
    }
    for (ar::Tokenizer::Kind kind : {ar::Tokenizer::Kind::Char, ar::Tokenizer::Kind::Word}) {
        try {
            const ar::Tokenizer tok = ar::Tokenizer::build(kind, text);
            const ar::Tokens ids = tok.encodeStrict(text, "corpus");
            const std::string back = tok.decode(ids);
            if (kind == ar::Tokenizer::Kind::Char) fuzz::require(back == text, "char tokenizer does not round-trip");
            else fuzz::require(tok.encodeStrict(back, "decoded") == ids, "word tokenizer does not round-trip");
            for (int id = 0; id < tok.size(); ++id) (void)tok.display(id);
            // the corpus pipeline: token stream, split, a batch and the validation pass
            const int boundary = tok.size() > 0 ? 0 : -1;
            const ar::TextData d(text, tok, boundary, 0.2, 4);
            ar::Rng rng(1);
            const ar::TextBatch b = d.sampleBatch(2, rng);
            fuzz::require(b.inputs.size() == 8 && b.targets.size() == 8, "batch shape");
            for (const ar::TextBatch& v : d.validationBatches(2, 64)) fuzz::require(v.counted >= 0, "validation batch");
        } catch (const ar::Error&) {
        }
    }
    return 0;
}
