// arlab-cli: the headless face of arlab's core. Each subcommand lives in its own cmd_*.cpp.
#include "app/cli/commands.h"
#include "core/error.h"
#include "core/memory.h"
#include "core/nn/kernels.h"
#include "core/nn/threads.h"

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

namespace arcli {

const std::vector<Command>& commands() {
    static const std::vector<Command> table = {
        {"info", "print a model file's metadata and tensor table", cmdInfo},
        {"translate", "translate Chinese: translate MODEL --src \"我 爱 你\" [--mode ar|nat|mask-predict|semi] [--json]", cmdTranslate},
        {"train", "train a model: train tinygpt --corpus toy|FILE --out FILE ...", cmdTrain},
        {"generate", "continue a prompt with a text model (sampler chain), --json for every step", cmdGenerate},
        {"logits", "next-token logits after every prefix of a prompt", cmdLogits},
        {"score", "log-probability of every token of a text (nats and bits)", cmdScore},
        {"attention", "one attention head's matrix for a prompt (--json, --csv)", cmdAttention},
        {"speculative", "speculative decoding: speculative --target M --draft M --gamma G [--json]", cmdSpeculative},
        {"beam", "beam search with the whole search tree (--json)", cmdBeam},
        {"tokenize", "a model's tokenizer on a text: ids, tokens, bytes (GPT-2 and llama2.c BPE too)", cmdTokenize},
        {"lens", "logit lens: the next-token distribution read after every layer (--json)", cmdLens},
        {"train-image", "train an image model on procedural digits: train-image pixelcnn|gated|made --out FILE", cmdTrainImage},
        {"sample-image", "draw a binary image pixel by pixel: sample-image MODEL --seed S [--png F] [--json]", cmdSampleImage},
        {"score-image", "P(pixel = 1 | earlier pixels) for every pixel of a PNG (--json)", cmdScoreImage},
        {"train-recall", "train rnn|lstm|gru|tinygpt on the recall task: train-recall KIND --out FILE", cmdTrainRecall},
        {"recall", "recall accuracy against distance: recall MODEL --distances 1,2,4,8 [--json]", cmdRecall},
        {"train-moe", "train the mixture-of-experts GPT on the toy language: train-moe --out FILE [--experts E --top-k K]", cmdTrainMoe},
        {"moe-routing", "chosen experts and gates per token and layer: moe-routing MODEL --prompt P [--json]", cmdMoeRouting},
        {"gradient-flow", "||d loss / d x_(t-d)|| against distance, by backward passes (--json)", cmdGradientFlow},
    };
    return table;
}

}  // namespace arcli

static void printHelp() {
    std::printf("arlab-cli %s - autoregressive models, headless\n\n"
                "Usage: arlab-cli <command> [options]   (arlab-cli <command> --help for its options)\n\n"
                "Every command also takes --threads N: threads for the numeric kernels (default: ARLAB_THREADS, else 1;\n"
                "the results are the same bits for any N).\n\n"
                "Commands:\n", ARLAB_VERSION);
    for (const auto& c : arcli::commands()) std::printf("  %-14s %s\n", c.name, c.summary);
}

int main(int argc, char** argv) {
    ar::tuneAllocator();  // keep freed training buffers in the process (core/memory.h): ~2x faster training
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
        printHelp();
        return argc < 2 ? 2 : 0;
    }
    if (!std::strcmp(argv[1], "--version")) {
        std::printf("arlab-cli %s\n", ARLAB_VERSION);
        return 0;
    }
    for (const auto& c : arcli::commands()) {
        if (std::strcmp(argv[1], c.name) != 0) continue;
        try {
            // --threads N is common to every command: taken out here, before the command parses its options.
            std::vector<char*> rest(argv, argv + argc);
            for (size_t i = 2; i < rest.size(); ++i) {
                if (std::strcmp(rest[i], "--threads") != 0) continue;
                if (i + 1 >= rest.size()) throw ar::Error("--threads needs a value (a thread count from 1 to " +
                                                          std::to_string(ar::nn::kMaxThreads) + ")");
                ar::nn::setKernelThreads(ar::nn::parseThreadCount(rest[i + 1], "--threads"));
                rest.erase(rest.begin() + long(i), rest.begin() + long(i) + 2);
                --i;
            }
            ar::nn::kernelThreads();  // a bad ARLAB_THREADS or ARLAB_ISA is reported here, not in the middle of the work
            ar::nn::activeIsa();
            rest.push_back(nullptr);
            return c.run(int(rest.size()) - 1, rest.data());
        } catch (const ar::Error& e) {
            std::fprintf(stderr, "arlab-cli %s: error: %s\n", c.name, e.what());
            return 1;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "arlab-cli %s: internal error: %s\n", c.name, e.what());
            return 3;
        }
    }
    std::fprintf(stderr, "arlab-cli: unknown command '%s' (run arlab-cli --help for the list)\n", argv[1]);
    return 2;
}
