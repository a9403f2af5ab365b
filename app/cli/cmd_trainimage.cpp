// arlab-cli train-image pixelcnn|gated|made: trains an autoregressive image model on procedural digits and
// saves it with its test NLL in the metadata.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/texttrain.h"
#include "core/data/digits.h"
#include "core/error.h"
#include "core/models/gatedpixelcnn.h"
#include "core/models/made.h"
#include "core/models/pixelcnn.h"
#include "core/sampling/imagesampler.h"
#include "core/training/imagetrain.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace arcli {

int cmdTrainImage(int argc, char** argv) {
    const std::vector<OptionSpec> specs = {
        {"out", "FILE", "where to write the .safetensors model (required)"},
        {"steps", "N", "training steps (default 1500)"},
        {"seed", "S", "seed for the weights, the data and the batch order (default 1)"},
        {"batch", "N", "images per step (default 16)"},
        {"lr", "X", "peak learning rate (default 3e-3)"},
        {"channels", "N", "PixelCNN channels (default 16)"},
        {"layers", "N", "PixelCNN layers (default 5 plain, 4 gated)"},
        {"hidden", "N", "MADE hidden units (one layer, default 300)"},
        {"masks", "N", "MADE mask sets for connectivity-agnostic training (default 1)"},
        {"order", "natural|random", "MADE input ordering (default natural)"},
        {"classes", "0|10", "class-conditional PixelCNN on the digit label (default 0)"},
        {"train-images", "N", "procedural training digits (default 6000)"},
        {"test-images", "N", "procedural test digits for the reported NLL (default 1000)"},
    };
    Args args(argc, argv, 2, specs);
    if (args.printHelp("Usage: arlab-cli train-image pixelcnn|gated|made --out FILE [options]")) return 0;
    args.expectPositional(1, "KIND (pixelcnn, gated or made)");
    const std::string which = args.positional()[0];
    const std::string out = requiredOutPath(args);
    const int steps = int(args.integer("steps", 1500, 1, 1000000));
    const uint64_t seed = args.seed(1);
    const int batch = int(args.integer("batch", 16, 1, 1024));
    const float lr = float(args.number("lr", 3e-3, 1e-6, 1.0));
    const int classes = int(args.integer("classes", 0, 0, 10));
    if (classes != 0 && classes != 10) throw ar::Error("--classes must be 0 or 10");
    const int nTrain = int(args.integer("train-images", 6000, 10, 1000000));
    const int nTest = int(args.integer("test-images", 1000, 10, 100000));
    Eigen::setNbThreads(1);  // the same seed gives the same bytes

    std::unique_ptr<ar::ImageModel> model;
    ar::Rng rng(seed);
    if (which == "pixelcnn") {
        ar::PixelCnnConfig c;
        c.channels = int(args.integer("channels", 16, 1, 256));
        c.layers = int(args.integer("layers", 5, 0, 32));
        c.classes = classes;
        model = std::make_unique<ar::PixelCnn>(c, rng);
    } else if (which == "gated") {
        ar::GatedPixelCnnConfig c;
        c.channels = int(args.integer("channels", 16, 1, 256));
        c.layers = int(args.integer("layers", 4, 1, 32));
        c.classes = classes;
        model = std::make_unique<ar::GatedPixelCnn>(c, rng);
    } else if (which == "made") {
        if (classes) throw ar::Error("--classes is for pixelcnn and gated");
        ar::MadeConfig c;
        c.hidden = {int(args.integer("hidden", 300, 1, 4096))};
        c.masks = int(args.integer("masks", 1, 1, 1000));
        const std::string order = args.str("order", "natural");
        if (order != "natural" && order != "random") throw ar::Error("--order must be natural or random, got '" + order + "'");
        c.naturalOrder = order == "natural";
        c.maskSeed = seed;
        model = std::make_unique<ar::Made>(c, rng);
    } else {
        throw ar::Error("unknown image model '" + which + "' (choose pixelcnn, gated or made)");
    }

    // Train, validation and test digits come from different seeds derived from --seed.
    const ar::ImageSet train = ar::makeDigits(nTrain, seed * 3 + 11);
    const ar::ImageSet val = ar::makeDigits(256, seed * 3 + 12);
    const ar::ImageSet test = ar::makeDigits(nTest, seed * 3 + 13);
    size_t nParams = 0;
    for (const auto& p : model->params()) nParams += size_t(p.var.value().size());
    std::printf("%s %s: %zu parameters; %d training digits, %d test digits\n", model->kind().c_str(),
                model->configJson().c_str(), nParams, nTrain, nTest);

    ar::ImageTrainOptions opt;
    opt.train.steps = steps;
    opt.train.lr = lr;
    opt.train.warmup = std::min(100, steps / 10);
    opt.train.evalEvery = std::max(50, steps / 10);
    opt.evalImages = 128;
    opt.batch = batch;
    opt.seed = seed + 1;
    const auto t0 = std::chrono::steady_clock::now();
    const ar::TrainResult r = ar::trainImageModel(*model, train, val, opt, [&](const ar::TrainProgress& p) {
        if (!std::isnan(p.valLoss))
            std::printf("step %5d/%d  train %.4f  val %.4f nats/pixel  (%.0f s)\n", p.step, p.totalSteps, p.trainLoss,
                        p.valLoss, p.seconds);
        std::fflush(stdout);
    });
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const ar::Likelihood nll = ar::negLogLikelihood(*model, test.images, test.labels);

    std::ostringstream cmd;
    cmd << "arlab-cli";
    for (int i = 1; i < argc; ++i) cmd << ' ' << argv[i];
    nlohmann::json prov = {{"corpus", "procedural digits (core/data/digits.cpp)"},
                           {"train_images", nTrain},
                           {"train_digits_seed", seed * 3 + 11},
                           {"test_images", nTest},
                           {"test_digits_seed", seed * 3 + 13},
                           {"seed", seed},
                           {"steps", r.steps},
                           {"batch", batch},
                           {"lr", lr},
                           {"train_loss", r.trainLoss},
                           {"val_loss", r.valLoss},
                           {"test_nll_nats", nll.natsPerImage},
                           {"test_bits_per_dim", nll.bitsPerDim},
                           {"command", cmd.str()}};
    model->provenance = prov.dump();
    ar::writeSafetensors(out, ar::toSafetensors(*model));
    std::printf("%s: test NLL %.2f nats/image = %.4f bits/dim (%d steps, %.0f s)\n", savedNote(out).c_str(),
                nll.natsPerImage, nll.bitsPerDim, r.steps, secs);
    return 0;
}

}  // namespace arcli
