#pragma once
// Training a TinyGPT on a text corpus: one loop shared by `arlab-cli train tinygpt` (any corpus) and the app's
// Training dock (the toy language, through ToyGptTrainer below).
//
//   trainTinyGpt(model, data, options, onStep, &stop): AdamW (beta 0.9, 0.99), random windows of the training
//   tokens (seeded with seed + 1), dropout (seed + 2), validation loss over fixed batches; warmup + cosine lr,
//   clipping and the non-finite guard come from ar::train.
//
// ToyGptTrainer: a small TinyGPT on the built-in toy language in one object (the corpus sampled from ToyGrammar
// with the seed, the train/validation split, the model), so the app can train while a class watches:
//   ToyGptTrainer t(settings);         // throws ar::Error on bad settings (heads must divide the width, ...)
//   t.run(onStep, &stop);              // any thread; polls `stop` every step
//   std::unique_ptr<TinyGpt> m = t.takeModel();   // provenance filled in (corpus, seed, steps, losses)
//
// Legend: B batch (windows per step), T context (window length), C embedding width, L layers, H heads.
#include "core/models/tinygpt.h"
#include "core/training/textdata.h"
#include "core/training/trainer.h"

#include <atomic>
#include <functional>
#include <memory>

namespace ar {

struct TinyGptTrainOptions {
    int batch = 32;          // B windows per step
    int valTokens = 20000;   // validation tokens scored per evaluation
    float weightDecay = 0;   // AdamW, matrices only
    uint64_t seed = 1;       // batches use seed + 1, dropout seed + 2 (the weights were seeded by the caller)
    TrainConfig train;       // steps, lr schedule, clipping, evaluation interval
};

TrainResult trainTinyGpt(TinyGpt& model, const TextData& data, const TinyGptTrainOptions& options,
                         const std::function<void(const TrainProgress&)>& onStep, const std::atomic<bool>* stop);

struct ToyGptSettings {
    int layers = 2;          // L
    int heads = 4;           // H, must divide embd
    int embd = 64;           // C
    int context = 32;        // T
    PositionMode pos = PositionMode::Learned;
    int steps = 600;
    float lr = 3e-3f;        // peak AdamW rate (warmup, cosine decay)
    int warmup = 30;
    uint64_t seed = 1;       // weights, batches and the sampled corpus
    int batch = 16;          // B
    int sentences = 4000;    // sampled from the toy language
    double valFraction = 0.1;
    int valTokens = 2000;    // validation tokens scored per evaluation
    int evalEvery = 50;      // validation loss every N steps (and at the end)

    // Empty when usable, else the first problem in words ("4 heads do not divide the width 30").
    std::string problem() const;
};

class ToyGptTrainer : public ModelTrainer<TinyGpt> {
public:
    explicit ToyGptTrainer(const ToyGptSettings& settings);   // builds corpus and model; throws ar::Error
    ~ToyGptTrainer();

    const ToyGptSettings& settings() const { return m_settings; }
    const TextData& data() const { return *m_data; }

    // Trains (at most once). onStep is called after every step on the calling thread.
    TrainResult run(const std::function<void(const TrainProgress&)>& onStep, const std::atomic<bool>* stop);
    // model() / takeModel() (ModelTrainer): the model, with its provenance set after run().

private:
    ToyGptSettings m_settings;
    std::unique_ptr<TextData> m_data;
};

}  // namespace ar
