#pragma once
// Text corpora for language-model training, shared by every text model (TinyGPT, RNN/LSTM/GRU):
// corpus text -> token stream -> train/validation split -> random (B, T) batches from a seeded Rng, and a
// deterministic validation pass that scores every validation token exactly once.
//
// Boundary token: when the corpus has one (the toy language's ".", the "\n" between dictionary words),
// it doubles as the model's BOS and every training/validation window STARTS at a boundary, exactly the
// situation of generation (BOS first, then the text). With boundary = -1 windows start anywhere.
//
// Legend: B batch (windows), T window length (context), N = B*T.
#include "core/autograd/tape.h"
#include "core/data/tokenizer.h"
#include "core/random.h"
#include "core/training/trainer.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace ar {

struct TextBatch {
    int B = 0, T = 0;
    Tokens inputs;   // (B*T) row-major: window b is inputs[b*T .. b*T+T-1]
    Tokens targets;  // (B*T) next tokens; kIgnore where a position is padding or already scored
    int counted = 0; // targets that are not kIgnore
    static constexpr int kIgnore = -100;
};

class TextData {
public:
    // Tokenizes `text` with `tok` (throws ar::Error naming unknown pieces), prepends the boundary when the
    // text does not start with it, and splits off the last valFraction of the stream (cut at a boundary)
    // for validation. Throws when either part is too short for windows of `context` tokens.
    TextData(std::string_view text, Tokenizer tok, int boundary, double valFraction, int context);

    const Tokenizer& tokenizer() const { return m_tok; }
    int boundary() const { return m_boundary; }
    int context() const { return m_T; }
    const Tokens& train() const { return m_train; }
    const Tokens& val() const { return m_val; }

    // B random windows of T = context() tokens from the training stream.
    TextBatch sampleBatch(int B, Rng& rng) const;
    // Batches covering the validation stream (at most maxTokens scored targets), each target scored once,
    // with as much of its own context as the window allows. Deterministic.
    std::vector<TextBatch> validationBatches(int B, int maxTokens) const;

    // Window starts usable in a stream (boundary positions, or every position), with T+1 tokens available.
    static std::vector<size_t> windowStarts(const Tokens& stream, int boundary, int T);
    // Deterministic scoring windows over any stream (used for validation and for held-out test text).
    static std::vector<TextBatch> scoringBatches(const Tokens& stream, int boundary, int T, int B, int maxTokens);

private:
    Tokenizer m_tok;
    int m_boundary = -1;
    int m_T = 0;
    Tokens m_train, m_val;
    std::vector<size_t> m_trainStarts;
};

// Mean loss over batches, weighted by each batch's counted targets. lossOf returns the mean cross-entropy
// of one batch (ignoring kIgnore targets); it runs without gradient recording.
double meanLoss(const std::vector<TextBatch>& batches, const std::function<float(const TextBatch&)>& lossOf);

// A training corpus is at most kMaxCorpusBytes; training holds about 10 bytes per byte of text at most
// (the text, its token ids, the train/validation split: README "Reliability").
inline constexpr uint64_t kMaxCorpusBytes = uint64_t(128) << 20;
// Reads a whole file (at most kMaxCorpusBytes; devices refused); throws ar::Error "corpus '<path>': cannot open:
// <reason>" / "... the file is empty" / "... invalid UTF-8 at byte offset N".
std::string readTextFile(const std::string& path, const std::string& label);

// The provenance every trained text model keeps in its file ("arlab.provenance"): corpus, seed, steps,
// stopped_early, final train/validation loss in nats per token, token counts. Callers add their own keys.
nlohmann::json textTrainingProvenance(const std::string& corpus, uint64_t seed, const TrainResult& r,
                                      const TextData& data);

}  // namespace ar
