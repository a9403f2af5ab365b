#pragma once
// GPT-2's byte-level BPE, exactly as OpenAI's encoder.py and Hugging Face's GPT2Tokenizer do it:
//   1. special tokens ("<|endoftext|>", and added special tokens of a tokenizer.json) are cut out of the text;
//   2. the rest is split by the pre-tokenizer pattern
//        's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//      run as it is by PCRE2 with Unicode properties (PCRE2_UTF | PCRE2_UCP): the letter and number classes
//      come from the library's Unicode tables. Bytes that are not valid UTF-8 never match; each run of them
//      becomes a pre-token of its own, so encode -> decode is the identity on any byte string;
//   3. each pre-token starts as one symbol per byte and the adjacent pair with the lowest merge rank is merged
//      (every occurrence, left to right) until no pair has a rank.
// Files store tokens through GPT-2's bytes-to-unicode table (byte 0x20 is "Ġ"); the vocabulary here holds the
// real bytes. Decoding concatenates the bytes: the exact inverse, invalid UTF-8 included.
#include "core/data/tokenizer.h"

#include <string>
#include <string_view>

namespace ar {

// GPT-2's bytes-to-unicode table: the code point that stands for a byte in vocab.json and merges.txt.
char32_t gpt2ByteToUnicode(unsigned char byte);
// A token as written in vocab.json -> its bytes. Throws ar::Error for a character outside the 256-symbol
// alphabet.
std::string gpt2TokenBytes(std::string_view fileToken);
// The inverse: bytes -> the vocab.json spelling.
std::string gpt2FileToken(std::string_view bytes);

// The pre-tokenizer alone (step 2 above; special tokens are not cut out here).
std::vector<std::string> gpt2PreTokenize(std::string_view text);

// From the text of vocab.json and merges.txt. The labels name the files in messages, e.g.
// "merges.txt line 7: 'Ġzz' is not in vocab.json".
Tokenizer gpt2TokenizerFromVocabMerges(std::string_view vocabJson, std::string_view mergesTxt,
                                       const std::string& vocabLabel = "vocab.json",
                                       const std::string& mergesLabel = "merges.txt");
// From a Hugging Face tokenizer.json whose model is BPE (vocab, merges, added_tokens).
Tokenizer gpt2TokenizerFromTokenizerJson(std::string_view json, const std::string& label = "tokenizer.json");

}  // namespace ar
