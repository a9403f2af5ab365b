// arlab-cli train-moe --out FILE: the mixture-of-experts GPT on the toy language (core/limits/moetrain.h);
// --experts 1 --top-k 1 --expert-hidden 4C trains the dense baseline with the same recipe.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/texttrain.h"
#include "core/error.h"
#include "core/limits/moetrain.h"

#include <cmath>
#include <cstdio>

namespace arcli {

int cmdTrainMoe(int argc, char** argv) {
    const ar::MoeTrainSettings d;
    const std::vector<OptionSpec> specs = {
        {"out", "FILE", "where to write the .safetensors model (required)"},
        {"experts", "E", "experts per layer (default 4; 1 = a dense MLP)"},
        {"top-k", "K", "experts per token (default 2)"},
        {"expert-hidden", "F", "hidden width of each expert (default 64)"},
        {"balance", "X", "weight of the load-balancing loss (default 0.01; 0 = off)"},
        {"layers", "N", "layers (default 2)"},
        {"heads", "N", "attention heads (default 4)"},
        {"embd", "N", "embedding width C (default 32)"},
        {"context", "N", "context length (default 32)"},
        {"steps", "N", "training steps (default 800)"},
        {"lr", "X", "peak Adam learning rate (default 0.003)"},
        {"batch", "N", "windows per step (default 16)"},
        {"seed", "S", "seed for the weights, the sampled corpus and the batches (default 1)"},
    };
    Args args(argc, argv, 2, specs);
    if (args.printHelp("Usage: arlab-cli train-moe --out FILE [options]\n\nA TinyGPT whose MLPs are E experts with top-k "
                       "routing, trained on the toy language."))
        return 0;
    args.expectPositional(0);
    const std::string out = requiredOutPath(args);
    ar::MoeTrainSettings s;
    s.experts = int(args.integer("experts", d.experts, 1, 64));
    s.topK = int(args.integer("top-k", d.topK, 1, 64));
    s.expertHidden = int(args.integer("expert-hidden", d.expertHidden, 1, 16384));
    s.balance = float(args.number("balance", d.balance, 0.0, 10.0));
    s.layers = int(args.integer("layers", d.layers, 1, 8));
    s.heads = int(args.integer("heads", d.heads, 1, 64));
    s.embd = int(args.integer("embd", d.embd, 1, 1024));
    s.context = int(args.integer("context", d.context, 2, 256));
    s.steps = int(args.integer("steps", d.steps, 1, 10000000));
    s.lr = float(args.number("lr", d.lr, 1e-7, 1.0));
    s.batch = int(args.integer("batch", d.batch, 1, 4096));
    s.seed = args.seed(1);
    Eigen::setNbThreads(1);  // the same seed gives the same bytes
    ar::MoeTrainer trainer(s);
    std::printf("moegpt: %d experts, top-%d, %zu parameters (%zu active per token)\n", s.experts, s.topK,
                trainer.model().totalParameters(), trainer.model().activeParametersPerToken());
    const ar::TrainResult r = trainer.run([](const ar::TrainProgress& p) {
        if (!std::isnan(p.valLoss))
            std::printf("step %5d/%d  train %.4f  val %.4f nats/token  (%.0f s)\n", p.step, p.totalSteps, p.trainLoss,
                        p.valLoss, p.seconds);
        std::fflush(stdout);
    }, nullptr);
    trainer.takeModel()->save(out);
    std::printf("saved %s: %d steps, validation %.4f nats/token\n", out.c_str(), r.steps, r.valLoss);
    return 0;
}

}  // namespace arcli
