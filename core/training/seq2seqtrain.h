#pragma once
// Training and evaluating the Seq2Seq translator on the synthetic zh->en corpus.
//
// Teacher forcing vs free running. With teacher forcing the decoder always reads the gold previous word;
// at test time it reads its own previous output, so one mistake puts it in states it never saw in training
// (exposure bias). Scheduled sampling (Bengio et al. 2015) feeds the gold word with probability eps_i and
// the model's own previous argmax otherwise, per target position, with eps_i decaying over training step i:
//   linear:          eps_i = max(eps_min, 1 - i / k)
//   exponential:     eps_i = max(eps_min, k^i)                 (k < 1, e.g. 0.999)
//   inverse sigmoid: eps_i = max(eps_min, k / (k + exp(i / k))) (k >= 1, e.g. 300)
//
// Batches: pairs are grouped by source length, so a batch's sources need no padding; targets are padded
// with ignored positions.
#include "core/data/zhencorpus.h"
#include "core/models/seq2seq.h"
#include "core/training/trainer.h"

#include <atomic>
#include <functional>
#include <memory>

namespace ar {

enum class TfSchedule { TeacherForcing, Linear, Exponential, InverseSigmoid };
TfSchedule parseTfSchedule(const std::string& s);  // "tf" | "linear" | "exp" | "invsigmoid"
std::string tfScheduleName(TfSchedule s);
// Probability of feeding the gold previous word at training step `step`.
float teacherForcingProb(TfSchedule s, float k, float minProb, int step);

struct Seq2SeqTrainOptions {
    int steps = 1500;
    int batch = 32;
    float lr = 3e-3f;
    int warmup = 50;
    float clip = 1.0f;
    int evalEvery = 250;
    uint64_t seed = 1;
    int embd = 48, hidden = 96;
    bool inputFeed = true;
    bool bridge = false;
    TfSchedule schedule = TfSchedule::TeacherForcing;
    float k = 0;         // schedule parameter (0: a default per schedule)
    float minProb = 0.0f;
};

// Tokenizers from the corpus (source: Chinese words; target: "<s>", "</s>", then English words).
Tokenizer zhTokenizer(const ZhEnCorpus& c);
Tokenizer enTokenizer(const ZhEnCorpus& c);
std::unique_ptr<Seq2Seq> makeTranslator(const ZhEnCorpus& c, const Seq2SeqTrainOptions& o, Rng& rng);

// A pair's words as ids of a translator's vocabulary; ar::Error names the first word it does not know.
Tokens translatorIds(const Tokenizer& t, const std::vector<std::string>& words);

// Training batches for the translators (Seq2Seq, NAT): the pairs are grouped by `key` (lengths that must agree
// inside one batch), each group is shuffled and cut into batches of at most `batch`, then the batches are
// shuffled; next() starts a new epoch when one is used up. Every draw comes from `rng`, in that order.
class PairBatches {
public:
    using Key = std::pair<size_t, size_t>;
    PairBatches(const std::vector<ZhEnPair>& pairs, int batch, Rng& rng, Key (*key)(const ZhEnPair&));
    const std::vector<const ZhEnPair*>& next();

private:
    void refill();
    const std::vector<ZhEnPair>& m_pairs;
    size_t m_batch;
    Rng& m_rng;
    Key (*m_key)(const ZhEnPair&);
    std::vector<std::vector<const ZhEnPair*>> m_batches;
    size_t m_next = 0;
};

// Mean cross-entropy of a batch of pairs whose sources share one length. tfProb = 1: teacher forcing.
// `rng` draws the scheduled-sampling coins.
Var seq2seqLoss(const Seq2Seq& m, const std::vector<const ZhEnPair*>& batch, float tfProb, Rng& rng);
// Teacher-forced mean cross-entropy over a set of pairs (no gradient).
float seq2seqEvalLoss(const Seq2Seq& m, const std::vector<ZhEnPair>& pairs, int maxPairs = 100000);

struct Seq2SeqTrainResult {
    TrainResult train;
    std::vector<float> lossCurve;  // training loss of every step
};
Seq2SeqTrainResult trainSeq2Seq(Seq2Seq& m, const ZhEnCorpus& c, const Seq2SeqTrainOptions& o,
                                const std::function<void(const TrainProgress&)>& onStep = {},
                                const std::atomic<bool>* stop = nullptr);

// Greedy decoding against the gold translations, and teacher forcing against the same gold.
struct TranslationEval {
    int sentences = 0;
    double exactMatch = 0;          // greedy output == gold (with </s>)
    int alignedWords = 0;           // target words that have a gold source word, in exact-match outputs
    double alignmentAgreement = 0;  // argmax of their attention row is one of their gold source words
    // Per target position t (0-based; the gold includes </s>): share of sentences (long enough) whose token t
    // is wrong, under teacher forcing (argmax after the gold prefix) and free running (greedy output).
    std::vector<double> tfError, frError;
    std::vector<int> positionCount;
    // Exposure bias: over the positions after a sentence's first free-running mistake, the free-running
    // error rate vs the teacher-forced error rate at the same positions.
    double frErrorAfterFirstMistake = 0, tfErrorAfterFirstMistake = 0;
    int positionsAfterFirstMistake = 0;
};
TranslationEval evaluateTranslator(const Seq2Seq& m, const std::vector<ZhEnPair>& pairs, int maxLen = 30);

}  // namespace ar
