#pragma once
// What every text-model trainer of `arlab-cli train <kind>` shares: the corpus options, the training data
// (core/training/textdata.h), Ctrl-C handling, progress output and the provenance written to the file.
//
// A trainer (e.g. trainTinyGpt in train_tinygpt.cpp) does:
//   Args args(argc, argv, 3, withTextTrainOptions({...its own model options...}));
//   TextTrainRun run = prepareTextTraining(args);            // corpus -> tokens -> train/val, validated
//   ... build the model (vocab = run.data->tokenizer(), BOS/EOS = run.data->boundary()) ...
//   TrainReporter rep(run, argc, argv);
//   TrainResult r = ar::train(opt, run.trainConfig(), hooks{..., onStep = rep.onStep...}, stopOnSigint());
//   provenanceJson(run, r, argv) -> the model's "arlab.provenance"; save to run.out.
#include "app/cli/args.h"
#include "core/data/zhencorpus.h"
#include "core/models/languagemodel.h"
#include "core/training/textdata.h"
#include "core/training/trainer.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace arcli {

// The shared options (corpus, tokenizer, context, steps, batch, lr, seed, out, val-fraction, ...) plus a
// trainer's own.
std::vector<OptionSpec> withTextTrainOptions(std::vector<OptionSpec> own);

struct TextTrainRun {
    std::string corpus;             // "toy" or the path given
    bool toy = false;               // the built-in toy language (word level: exact truth available)
    int toySentences = 0;
    std::unique_ptr<ar::TextData> data;
    int context = 0, steps = 0, batch = 0, evalEvery = 0, sampleEvery = 0, warmup = 0, valTokens = 0;
    uint64_t seed = 0;
    float lr = 0, clip = 0;
    double valFraction = 0;
    bool shuffleLines = false;
    std::string out;
    ar::TrainConfig trainConfig() const;
};

// Validates every shared option (specific errors), checks that --out's folder exists, reads and tokenizes
// the corpus. Toy corpus: `toySentences` sentences sampled with --seed; word level uses the grammar's
// vocabulary and "." as boundary/BOS. File: UTF-8 checked; char level uses "\n" as boundary when present.
TextTrainRun prepareTextTraining(const Args& args, int defaultContext = 32);
// The corpus-independent part of the above: the numeric options and --out (checked), no data yet. For a
// trainer with a corpus of its own (train lstm --corpus english).
TextTrainRun readTrainRunOptions(const Args& args, int defaultContext);
// --out must name a file in an existing folder that can be written (checked now, not after training).
void checkOutPath(const std::string& out);
// A trainer's --out FILE: required, and checked as above.
std::string requiredOutPath(const Args& args);

// Installs a SIGINT handler that sets the returned flag (the trainer polls it and stops cleanly).
const std::atomic<bool>* stopOnSigint();

// The translators' progress (train nat, train seq2seq): "step i/n  train L  val V<extra>  Ts", a line per
// evaluation; on a terminal also every 10th step, rewritten in place. `extra` (e.g. "  tf 0.850") is asked
// for only when a line is printed.
std::function<void(const ar::TrainProgress&)> translatorProgress(
    std::function<std::string(const ar::TrainProgress&)> extra = {});
// The translators' corpus: the synthetic zh-en corpus split with `seed`, its sizes printed ("zh-en corpus (seed S):
// N train, N validation, N test pairs", with `words` also the Chinese and English vocabulary sizes).
ar::ZhEnCorpus translatorCorpus(uint64_t seed, bool words);
// What both translators' provenance records: the corpus and its split seed, the run (steps, stopped early,
// losses), the split sizes and the command line. The trainer adds its own settings and test results.
nlohmann::json translatorProvenance(const ar::ZhEnCorpus& corpus, uint64_t seed, const ar::TrainResult& r, int argc,
                                    char** argv);

// Progress: a live bar when stdout is a terminal, a plain line per evaluation otherwise; prints a model
// sample every run.sampleEvery steps.
class TrainReporter {
public:
    TrainReporter(const TextTrainRun& run, const ar::LanguageModel& model);
    void onStep(const ar::TrainProgress& p);
    void finish();

private:
    const TextTrainRun& m_run;
    const ar::LanguageModel& m_model;
    bool m_tty;
    double m_lastDraw = -1;
    float m_lastVal = -1;
    ar::Rng m_sampleRng;
};

// Draws `tokens` tokens from the model (softmax, temperature 1), starting from BOS (or from `first`).
std::string sampleText(const ar::LanguageModel& model, int tokens, ar::Rng& rng, int first = -1);
// "arlab-cli train tinygpt --corpus toy ..." exactly as typed (arguments with spaces quoted).
std::string commandLine(int argc, char** argv);
// "saved FILE (N KB)": a trainer's report of the file it wrote, the size read back from the disk.
std::string savedNote(const std::string& path);
// {"corpus", "seed", "steps", "train_loss", "val_loss", "command", ... (+ "entropy_rate" for the toy)}
std::string provenanceJson(const TextTrainRun& run, const ar::TrainResult& r, int argc, char** argv);

}  // namespace arcli
