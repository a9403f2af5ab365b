// Fuzz target: the readers of real models' files (issue #13's formats). The first byte picks the reader:
//   0  GPT-2 vocab.json + merges.txt (split at the first NUL byte)   1  GPT-2 tokenizer.json
//   2  llama2.c tokenizer.bin (the next 2 bytes: the vocabulary size) 3  a llama2.c checkpoint header
// An accepted tokenizer must encode a few fixed texts and the input itself, replay its trace to the same ids,
// and (GPT-2, byte level) decode what it encoded back to the same bytes when no piece was unknown.
#include "core/data/bytelevelbpe.h"
#include "core/data/scorebpe.h"
#include "core/io/llama2c.h"
#include "fuzzutil.h"

#include <string>

namespace {

void exercise(const ar::Tokenizer& tok, std::string_view input, bool byteLevel) {
    const std::string texts[] = {"hello world", " the  there's 12 apples", "\xE6\x88\x91\xE7\x88\xB1\xE4\xBD\xA0 \xF0\x9F\x98\x80",
                                 "a\xFF\xC0z", std::string(input.substr(0, 256))};
    for (const std::string& t : texts) {
        try {
            const ar::Tokenizer::Encoded e = tok.encode(t);
            const ar::Tokenizer::Trace tr = tok.trace(t);
            fuzz::require(tr.ids == e.ids, "trace and encode disagree");
            for (int id : e.ids) (void)tok.display(id);
            if (byteLevel && e.ok()) fuzz::require(tok.decode(e.ids) == t, "byte-level BPE does not round-trip");
        } catch (const ar::Error&) {
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const std::string_view all = fuzz::bytes(data, size), rest = all.substr(1);
    try {
        switch (data[0] % 4) {
        case 0: {
            const size_t cut = rest.find('\0');
            const std::string_view vocab = rest.substr(0, cut), merges = cut == rest.npos ? "" : rest.substr(cut + 1);
            exercise(ar::gpt2TokenizerFromVocabMerges(vocab, merges), rest, true);
            break;
        }
        case 1: exercise(ar::gpt2TokenizerFromTokenizerJson(rest), rest, true); break;
        case 2: {
            if (rest.size() < 2) return 0;
            const int vocabSize = int(uint8_t(rest[0])) | (int(uint8_t(rest[1])) << 8);
            exercise(ar::parseLlamaTokenizer(rest.substr(2), vocabSize), rest, false);
            break;
        }
        case 3: {
            const ar::Llama2cHeader h = ar::parseLlama2cHeader(rest, rest.size(), "checkpoint");
            fuzz::require(h.fileBytes == rest.size(), "a header accepted for a file of another size");
            fuzz::require(h.headerBytes == 28 || h.headerBytes == 256, "header size");
            break;
        }
        }
    } catch (const ar::Error&) {
    }
    return 0;
}
