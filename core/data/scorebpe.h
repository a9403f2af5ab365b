#pragma once
// llama2.c's tokenizer (tokenizer.bin, the SentencePiece vocabulary exported by llama2.c's tokenizer.py) and
// its encoding as run.c does it:
//   file:    int32 max_token_length, then per token: float32 score, int32 length, `length` bytes (no NUL).
//            The token count is not in the file: it is the checkpoint's vocab_size.
//   encode:  a dummy prefix " " token (when the text is not empty), then one symbol per UTF-8 character
//            (run.c's grouping: a lead byte and up to 3 continuation bytes) or, for a character the vocabulary
//            lacks, one byte-fallback token "<0xHH>" per byte; then, repeatedly, the adjacent pair whose
//            concatenation is in the vocabulary with the highest score is merged (the leftmost on ties).
//            BOS (1) is put in front by the model, not by encode(); EOS is 2.
//   decode:  a token right after BOS loses its leading space; "<0xHH>" is the raw byte; BOS and EOS add nothing.
#include "core/data/tokenizer.h"

#include <string>
#include <string_view>
#include <vector>

namespace ar {

// Parses a tokenizer.bin for a model with `vocabSize` tokens. Throws ar::Error naming the problem: a
// truncated file, a token longer than max_token_length, bytes left over (the file belongs to a model with a
// larger vocabulary), ...
Tokenizer parseLlamaTokenizer(std::string_view bytes, int vocabSize, const std::string& label = "tokenizer.bin");
Tokenizer readLlamaTokenizer(const std::string& path, int vocabSize);

// The file bytes for these tokens (for tests and benchmarks that write their own tokenizer.bin).
std::string llamaTokenizerBytes(const std::vector<std::string>& pieces, const std::vector<float>& scores);

// The score of each token (llama2.c BPE only; empty for other kinds).
std::vector<float> llamaTokenScores(const Tokenizer& tok);

}  // namespace ar
