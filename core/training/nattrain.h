#pragma once
// Training the NatTranslator as a conditional masked LM (CMLM) on the synthetic zh->en corpus, and scoring the
// parallel decoding modes (and the LSTM translator's greedy AR decoding) on its test split with one metric.
//
// CMLM training (Ghazvininejad et al. 2019): for each target sentence of length T draw n ~ U{1..T}, replace n
// random words by [MASK], and train the decoder to predict the masked words from the source and the visible
// words (cross-entropy over the masked positions), plus the length classifier (cross-entropy over lengths,
// weight `lengthWeight`). n = T is the one-pass NAT case, so the same model decodes all three ways.
// Batches group pairs by (source length, target length): no padding anywhere.
#include "core/data/zhencorpus.h"
#include "core/decoding/paralleldecode.h"
#include "core/models/seq2seq.h"
#include "core/training/trainer.h"

#include <atomic>
#include <functional>
#include <memory>

namespace ar {

struct NatTrainOptions {
    int steps = 3000;
    int batch = 32;
    float lr = 2e-3f;
    int warmup = 100;
    float clip = 1.0f;
    float lengthWeight = 0.1f;
    int evalEvery = 500;
    uint64_t seed = 1;             // weights (seed), batches and masks (seed + 1)
    int embd = 64, heads = 4, encLayers = 2, decLayers = 2;
    std::string problem() const;   // empty when usable, else the first problem in words
};

// Target vocabulary "[MASK]" + the corpus' English words; source = the corpus' Chinese words.
Tokenizer natTargetTokenizer(const ZhEnCorpus& c);
std::unique_ptr<NatTranslator> makeNatTranslator(const ZhEnCorpus& c, const NatTrainOptions& o);

// CMLM loss of a batch whose pairs share source and target lengths; masks drawn with `rng`.
Var natLoss(const NatTranslator& m, const std::vector<const ZhEnPair*>& batch, float lengthWeight, Rng& rng);

TrainResult trainNat(NatTranslator& m, const ZhEnCorpus& c, const NatTrainOptions& o,
                     const std::function<void(const TrainProgress&)>& onStep = {},
                     const std::atomic<bool>* stop = nullptr);

// Test-set quality of one decoding mode. Word accuracy: position-wise equal words over the gold length
// (missing or extra positions are wrong; </s> not counted).
struct ParallelEval {
    int sentences = 0;
    double exactMatch = 0;        // share of outputs equal to the gold sentence
    double wordAccuracy = 0;
    double repeatedRate = 0;      // share of outputs with two equal adjacent words (the gold has none)
    double meanPasses = 0;        // sequential decoder passes per sentence
    double seconds = 0;           // wall time of the whole set
};
// `stop` (optional) is polled before each sentence: once set, the sentences so far are scored (the GUI drops it).
ParallelEval evaluateParallel(const NatTranslator& m, const std::vector<ZhEnPair>& pairs, const ParallelOptions& o,
                              const std::atomic<bool>* stop = nullptr);
// The same metrics for the LSTM translator's greedy decoding (passes = words produced, </s> included).
ParallelEval evaluateArGreedy(const Seq2Seq& m, const std::vector<ZhEnPair>& pairs, const std::atomic<bool>* stop = nullptr);

}  // namespace ar
