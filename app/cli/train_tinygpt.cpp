// arlab-cli train tinygpt: trains a TinyGPT on the toy language or a text file and saves it.
#include "app/cli/texttrain.h"
#include "app/cli/trainers.h"
#include "core/data/toygrammar.h"
#include "core/error.h"
#include "core/models/tinygpt.h"
#include "core/training/tinygpttrain.h"

#include <cstdio>

namespace arcli {

int trainTinyGpt(int argc, char** argv) {
    const auto specs = withTextTrainOptions({
        {"layers", "N", "Transformer blocks (default 2)"},
        {"heads", "N", "attention heads, must divide --embd (default 4)"},
        {"kv-heads", "N", "key/value heads, must divide --heads: fewer is grouped-query, 1 multi-query (default --heads)"},
        {"embd", "N", "embedding width C (default 64)"},
        {"pos", "learned|sinusoidal|rope", "position encoding (default learned, loads into nanoGPT)"},
        {"dropout", "X", "dropout while training (default 0)"},
        {"weight-decay", "X", "AdamW decoupled weight decay on matrices (default 0)"},
    });
    Args args(argc, argv, 3, specs);
    if (args.printHelp("Usage: arlab-cli train tinygpt --corpus toy|FILE --out FILE [options]")) return 0;
    args.expectPositional(0);

    // Model options first: a bad setting fails before the corpus is read.
    ar::TinyGptConfig cfg;
    cfg.layers = int(args.integer("layers", 2, 1, 48));
    cfg.heads = int(args.integer("heads", 4, 1, 256));
    cfg.embd = int(args.integer("embd", 64, 1, 4096));
    cfg.kvHeads = int(args.integer("kv-heads", cfg.heads, 1, cfg.heads));
    if (cfg.heads % cfg.kvHeads != 0)
        throw ar::Error("--kv-heads " + std::to_string(cfg.kvHeads) + " must divide --heads " + std::to_string(cfg.heads));
    cfg.pos = ar::parsePositionMode(args.str("pos", "learned"));
    cfg.dropout = float(args.number("dropout", 0.0, 0.0, 0.9));
    const float weightDecay = float(args.number("weight-decay", 0.0, 0.0, 10.0));
    if (cfg.embd % cfg.heads != 0)
        throw ar::Error("--heads " + std::to_string(cfg.heads) + " must divide --embd " + std::to_string(cfg.embd));
    cfg.vocabSize = 2;
    cfg.contextLength = int(args.integer("context", 32, 1, 1024));
    cfg.validate();

    TextTrainRun run = prepareTextTraining(args, 32);
    const ar::Tokenizer& tok = run.data->tokenizer();
    cfg.contextLength = run.context;
    cfg.vocabSize = tok.size();
    cfg.bos = cfg.eos = run.data->boundary();
    Eigen::setNbThreads(1);  // one thread: the same seed gives the same bytes

    ar::TinyGpt model(cfg, tok, run.seed);
    size_t params = 0;
    for (const auto& p : model.parameters()) params += size_t(p.var.value().size());
    std::printf("tinygpt: %d layers, %d heads (%d key/value), embd %d, context %d, %s positions, vocab %d (%s), %zu parameters\n",
                cfg.layers, cfg.heads, cfg.kvHeadCount(), cfg.embd, cfg.contextLength, ar::positionModeName(cfg.pos).c_str(), tok.size(),
                tok.kind() == ar::Tokenizer::Kind::Char ? "characters" : "words", params);
    std::printf("corpus %s: %zu training tokens, %zu validation tokens\n", run.corpus.c_str(), run.data->train().size(),
                run.data->val().size());

    TrainReporter reporter(run, model);
    ar::TinyGptTrainOptions opts;
    opts.batch = run.batch;
    opts.valTokens = run.valTokens;
    opts.weightDecay = weightDecay;
    opts.seed = run.seed;
    opts.train = run.trainConfig();
    const ar::TrainResult result =
        ar::trainTinyGpt(model, *run.data, opts, [&](const ar::TrainProgress& p) { reporter.onStep(p); }, stopOnSigint());
    reporter.finish();

    model.setProvenance(provenanceJson(run, result, argc, argv));
    model.save(run.out);
    if (result.stopped) std::printf("interrupted at step %d: checkpoint saved\n", result.steps);
    std::printf("%s: %d steps, train loss %.4f, validation loss %.4f nats/token\n", savedNote(run.out).c_str(),
                result.steps, result.trainLoss, result.valLoss);
    if (run.toy && tok.kind() == ar::Tokenizer::Kind::Word) {
        const double h = ar::ToyGrammar().entropyRate();
        std::printf("toy language entropy rate %.4f nats/token: validation loss is %.2f%% above it\n", h,
                    100.0 * (result.valLoss / h - 1.0));
    }
    return 0;
}

}  // namespace arcli
