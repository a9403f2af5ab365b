// arlab-cli train nat: the non-autoregressive zh->en translator (Transformer encoder-decoder trained as a
// conditional masked LM), then its test-split quality in every parallel decoding mode.
#include "app/cli/texttrain.h"
#include "app/cli/trainers.h"
#include "core/training/nattrain.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace arcli {

int trainNatCmd(int argc, char** argv) {
    const std::vector<OptionSpec> specs = {
        {"steps", "N", "optimizer steps (default 3000)"},
        {"batch", "N", "sentence pairs per step (default 32)"},
        {"lr", "X", "peak Adam learning rate, warmup then cosine decay (default 0.002)"},
        {"embd", "N", "model width C (default 64)"},
        {"heads", "N", "attention heads, must divide the width (default 4)"},
        {"enc-layers", "N", "encoder blocks (default 2)"},
        {"dec-layers", "N", "decoder blocks (default 2)"},
        {"seed", "N", "seeds the corpus split, the weights, the batches and the masks (default 1)"},
        {"eval-every", "N", "validation loss every N steps (default 500)"},
        {"out", "FILE", "where to save the model (.safetensors, required)"},
    };
    Args args(argc, argv, 3, specs);
    if (args.printHelp("Usage: arlab-cli train nat --out FILE [options]\n\nTrains the non-autoregressive zh->en translator "
                       "(Transformer encoder-decoder, length classifier, decoder without causal mask) as a conditional "
                       "masked LM on the synthetic corpus, then reports exact match of nat, mask-predict and semi "
                       "decoding on the held-out test split.")) return 0;
    args.expectPositional(0);
    ar::NatTrainOptions o;
    o.steps = int(args.integer("steps", 3000, 1, 10000000));
    o.batch = int(args.integer("batch", 32, 1, 4096));
    o.lr = float(args.number("lr", 2e-3, 1e-7, 1.0));
    o.embd = int(args.integer("embd", 64, 1, 1024));
    o.heads = int(args.integer("heads", 4, 1, 64));
    o.encLayers = int(args.integer("enc-layers", 2, 1, 24));
    o.decLayers = int(args.integer("dec-layers", 2, 1, 24));
    o.seed = args.seed(1);
    o.evalEvery = int(args.integer("eval-every", 500, 0, 10000000));
    const std::string out = args.required("out");
    if (const std::string p = o.problem(); !p.empty()) throw ar::Error(p);
    checkOutPath(out);
    Eigen::setNbThreads(1);

    const ar::ZhEnCorpus corpus = translatorCorpus(o.seed, /*words=*/false);
    auto model = ar::makeNatTranslator(corpus, o);
    const auto r = ar::trainNat(*model, corpus, o, translatorProgress(), stopOnSigint());

    nlohmann::json prov = translatorProvenance(corpus, o.seed, r, argc, argv);
    prov["training"] = "conditional masked LM: n ~ U{1..T} target words masked per sentence, + 0.1 x length cross-entropy";
    struct Row { const char* name; ar::ParallelOptions o; };
    std::vector<Row> rows;
    rows.push_back({"nat", {}});
    for (int k : {2, 4}) {
        ar::ParallelOptions p;
        p.mode = ar::ParallelMode::MaskPredict;
        p.iterations = k;
        rows.push_back({k == 2 ? "mask-predict-2" : "mask-predict-4", p});
    }
    std::printf("test split (%zu pairs):\n", corpus.test.size());
    for (const Row& row : rows) {
        const ar::ParallelEval e = ar::evaluateParallel(*model, corpus.test, row.o);
        prov["test"][row.name] = {{"exact_match", e.exactMatch}, {"word_accuracy", e.wordAccuracy},
                                  {"repeated_word_rate", e.repeatedRate}, {"passes", e.meanPasses}};
        std::printf("  %-15s exact match %6.2f%%  word accuracy %6.2f%%  repeated words %5.2f%%  passes %.2f\n", row.name,
                    100 * e.exactMatch, 100 * e.wordAccuracy, 100 * e.repeatedRate, e.meanPasses);
    }
    model->provenanceJson = prov.dump();
    ar::saveNatTranslator(*model, out);
    std::printf("%s\n", savedNote(out).c_str());
    return 0;
}

}  // namespace arcli
