// arlab-cli train-recall rnn|lstm|gru|tinygpt --out FILE: trains one model of the long-range-memory comparison
// on the recall task (core/limits/recalltrain.h) and saves it with its exact command in the provenance.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/texttrain.h"
#include "core/error.h"
#include "core/limits/recall.h"
#include "core/limits/recalltrain.h"

#include <cmath>
#include <cstdio>

namespace arcli {

int cmdTrainRecall(int argc, char** argv) {
    const ar::RecallTrainSettings d;
    const std::vector<OptionSpec> specs = {
        {"out", "FILE", "where to write the .safetensors model (required)"},
        {"max-distance", "N", "training distances d = 1..N (default 32; a TinyGPT's context is N + 2)"},
        {"steps", "N", "training steps (default 1500)"},
        {"batch", "N", "episodes per step (default 32)"},
        {"lr", "X", "peak Adam learning rate (default 0.01)"},
        {"seed", "S", "seed for the weights and the episodes (default 1)"},
        {"embd", "N", "embedding width (default 16)"},
        {"hidden", "N", "recurrent hidden width (default: rnn 68, lstm 32, gru 38: about 7k parameters each)"},
        {"layers", "N", "TinyGPT layers (default 2)"},
        {"heads", "N", "TinyGPT heads (default 2)"},
    };
    Args args(argc, argv, 2, specs);
    if (args.printHelp("Usage: arlab-cli train-recall rnn|lstm|gru|tinygpt --out FILE [options]\n\nThe recall task: a key "
                       "(A-H), d random fillers (w-z), '?', then the key must be predicted again."))
        return 0;
    args.expectPositional(1, "KIND (rnn, lstm, gru or tinygpt)");
    ar::RecallTrainSettings s;
    s.kind = args.positional()[0];
    const std::string out = requiredOutPath(args);
    s.maxDistance = int(args.integer("max-distance", d.maxDistance, 1, 512));
    s.steps = int(args.integer("steps", d.steps, 1, 1000000));
    s.batch = int(args.integer("batch", d.batch, 1, 4096));
    s.lr = float(args.number("lr", d.lr, 1e-7, 1.0));
    s.seed = args.seed(1);
    s.embd = int(args.integer("embd", d.embd, 1, 1024));
    s.hidden = int(args.integer("hidden", 0, 1, 4096));
    s.layers = int(args.integer("layers", d.layers, 1, 12));
    s.heads = int(args.integer("heads", d.heads, 1, 64));
    Eigen::setNbThreads(1);  // the same seed gives the same bytes
    ar::RecallTrainer trainer(s);
    std::printf("%s on the recall task, d = 1..%d: %zu parameters\n", s.kind.c_str(), s.maxDistance, trainer.parameterCount());
    const ar::TrainResult r = trainer.run([](const ar::TrainProgress& p) {
        if (!std::isnan(p.valLoss))
            std::printf("step %5d/%d  train %.4f  val %.4f nats/recall  (%.0f s)\n", p.step, p.totalSteps, p.trainLoss,
                        p.valLoss, p.seconds);
        std::fflush(stdout);
    }, nullptr);
    const auto model = trainer.takeModel();
    ar::saveRecallModel(*model, out);
    std::printf("saved %s: %d steps, recall accuracy at d = %d: %.3f\n", out.c_str(), r.steps, s.maxDistance,
                ar::recallAccuracy(*model, s.maxDistance, 500, s.seed + 3));
    return 0;
}

}  // namespace arcli
