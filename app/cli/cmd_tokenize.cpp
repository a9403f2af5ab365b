// arlab-cli tokenize MODEL --text T [--json]: the model's tokenizer on a text: ids, tokens and their bytes.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/textmodel.h"
#include "core/error.h"
#include "core/io/realmodels.h"

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace arcli {

int cmdTokenize(int argc, char** argv) {
    const std::vector<OptionSpec> specs = {
        {"text", "T", "the text to tokenize (no start token is added)"},
        {"json", "", "machine-readable output: {\"ids\": [...], \"tokens\": [...], \"bytes\": [[...]]}"},
        tokenizerOption(),
    };
    Args args(argc, argv, 2, specs);
    if (args.printHelp("Usage: arlab-cli tokenize MODEL --text T [--json]\n"
                       "MODEL: an arlab .safetensors file or built-in name, a GPT-2 folder, or a llama2.c checkpoint.\n"
                       "Only the tokenizer is read, not the weights.")) return 0;
    const std::string name = args.model("a model file, folder or built-in name");
    const std::string text = args.required("text");
    std::error_code ec;
    const ar::Tokenizer tok = std::filesystem::exists(name, ec) ? ar::openTokenizer(name, args.str("tokenizer"))
                                                                : openLanguageModel(name, args.str("tokenizer"))->tokenizer();
    const ar::Tokens ids = tok.encodeStrict(text, "text");
    if (args.flag("json")) {
        nlohmann::json j;
        j["ids"] = ids;
        j["tokens"] = nlohmann::json::array();
        j["bytes"] = nlohmann::json::array();
        for (int id : ids) {
            j["tokens"].push_back(jsonToken(tok, id));
            std::vector<int> bytes;
            for (char c : tok.token(id)) bytes.push_back(static_cast<unsigned char>(c));
            j["bytes"].push_back(bytes);
        }
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
    std::printf("%zu tokens (%s tokenizer, vocabulary %d)\n", ids.size(), tok.kindName().c_str(), tok.size());
    for (int id : ids) {
        std::printf("%8d  %-20s ", id, tok.display(id).c_str());
        for (char c : tok.token(id)) std::printf(" %02X", unsigned(static_cast<unsigned char>(c)));
        std::printf("\n");
    }
    return 0;
}

}  // namespace arcli
