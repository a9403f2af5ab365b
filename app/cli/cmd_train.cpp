// arlab-cli train <kind> ...: picks the trainer of a model family (see trainers.h).
#include "app/cli/commands.h"
#include "app/cli/trainers.h"
#include "core/error.h"

#include <cstdio>
#include <string>
#include <vector>

namespace arcli {

namespace {
struct Trainer {
    const char* kind;
    const char* summary;
    int (*run)(int argc, char** argv);
};
const std::vector<Trainer>& trainers() {
    static const std::vector<Trainer> table = {
        {"tinygpt", "decoder-only Transformer (nanoGPT's GPT)", trainTinyGpt},
        {"rnn", "recurrent LM, tanh RNN (truncated BPTT)", trainRecurrent},
        {"lstm", "recurrent LM, LSTM (truncated BPTT)", trainRecurrent},
        {"gru", "recurrent LM, GRU (truncated BPTT)", trainRecurrent},
        {"seq2seq", "zh->en translator: LSTM encoder-decoder with Luong attention", trainSeq2SeqCmd},
        {"nat", "zh->en non-autoregressive translator: Transformer trained as a conditional masked LM", trainNatCmd},
    };
    return table;
}
}  // namespace

int cmdTrain(int argc, char** argv) {
    std::string kinds;
    for (const auto& t : trainers()) kinds += (kinds.empty() ? "" : ", ") + std::string(t.kind);
    if (argc < 3 || std::string(argv[2]) == "--help" || std::string(argv[2]) == "-h") {
        std::printf("Usage: arlab-cli train <kind> [options]   (arlab-cli train <kind> --help)\n\nKinds:\n");
        for (const auto& t : trainers()) std::printf("  %-10s %s\n", t.kind, t.summary);
        return argc < 3 ? 2 : 0;
    }
    for (const auto& t : trainers())
        if (std::string(argv[2]) == t.kind) return t.run(argc, argv);
    throw ar::Error("unknown model kind '" + std::string(argv[2]) + "' (choose one of: " + kinds + ")");
}

}  // namespace arcli
