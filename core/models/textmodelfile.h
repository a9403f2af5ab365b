#pragma once
// Reading a text model's file, shared by the loaders of TinyGPT, MoE-GPT and the recurrent models (CharRnn):
//   "arlab.config" (by the model's own reader), then "arlab.tokenizer"; every error of the two is "<label>: ...".
// TinyGPT and MoE-GPT also check the tokenizer against the config's vocabulary size here.
#include "core/data/tokenizer.h"
#include "core/error.h"
#include "core/io/safetensors.h"

#include <string>
#include <utility>

namespace ar {

template <class ReadConfig>
auto readConfigAndTokenizer(const SafeTensors& file, const std::string& label, ReadConfig readConfig) {
    try {
        auto cfg = readConfig(file.requireMetadata("arlab.config", label));
        Tokenizer tok = Tokenizer::fromJson(file.requireMetadata("arlab.tokenizer", label));
        return std::pair(std::move(cfg), std::move(tok));
    } catch (const Error& e) {
        throw Error(label + ": " + e.what());
    }
}

inline void checkVocabularySize(int configVocab, const Tokenizer& tok, const std::string& label) {
    if (tok.size() != configVocab)
        throw Error(label + ": the config says " + std::to_string(configVocab) + " tokens but the vocabulary has " +
                    std::to_string(tok.size()));
}

}  // namespace ar
