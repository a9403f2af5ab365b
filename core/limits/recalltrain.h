#pragma once
// Training the four models of the long-range-memory comparison on the recall task (core/limits/recall.h):
// an RNN, an LSTM, a GRU and a TinyGPT of about 7 000 parameters each (the defaults below).
//
//   RecallTrainer t(settings);      // builds the model (seeded); throws ar::Error on bad settings
//   t.run(onStep, &stop);           // any thread; polls `stop` every step
//   std::unique_ptr<LanguageModel> m = t.takeModel();   // provenance filled in (command, losses, accuracy)
//
// Every step draws one distance d uniformly from 1..maxDistance and B episodes at that d (seed + 1); the loss
// is the recall's cross-entropy only. Adam, warmup + cosine lr, clipping at 1. Validation: the recall loss on a
// fixed set of episodes (seed + 2) at d = 1, maxDistance/2 and maxDistance.
// A TinyGPT gets learned positions and a context of exactly maxDistance + 2 tokens.
//
// Legend: B batch, d distance, E embedding width, H hidden width (recurrent) / heads (TinyGPT), C width.
#include "core/models/languagemodel.h"
#include "core/training/trainer.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace ar {

struct RecallTrainSettings {
    std::string kind = "lstm";   // rnn | lstm | gru | tinygpt
    int maxDistance = 32;        // training distances 1..maxDistance
    int steps = 1500;
    int batch = 32;              // B
    float lr = 1e-2f;
    int warmup = 50;
    uint64_t seed = 1;
    int evalEvery = 100;
    int embd = 16;               // E (recurrent) or C (TinyGPT)
    int hidden = 0;              // H of the recurrent cell; 0 = the ~7k-parameter default (rnn 68, lstm 32, gru 38)
    int layers = 2;              // TinyGPT layers (the recurrent models have one layer)
    int heads = 2;               // TinyGPT heads

    std::string problem() const;  // empty when usable, else the first problem in words
    int hiddenWidth() const;      // hidden, or the default for the kind
    std::string command() const;  // the arlab-cli command line that reproduces these settings (without --out)
};

class RecallTrainer : public ModelTrainer<LanguageModel> {
public:
    explicit RecallTrainer(const RecallTrainSettings& settings);  // throws ar::Error(problem())
    ~RecallTrainer();
    TrainResult run(const std::function<void(const TrainProgress&)>& onStep, const std::atomic<bool>* stop);

private:
    RecallTrainSettings m_settings;
};

// Provenance JSON of a model (the "arlab.provenance" metadata), "{}" when it has none.
std::string modelProvenance(const LanguageModel& model);
// The shortest decimal text that reads back as the same float (for the commands in provenances): 0.01, 3e-05.
std::string shortNumber(float x);
// Writes a recall model (TinyGPT or RNN/LSTM/GRU) atomically.
void saveRecallModel(const LanguageModel& model, const std::string& path);

}  // namespace ar
