#pragma once
// The sampler chain (llama.cpp's llama-sampling.cpp idea): a next-token distribution goes through a row of
// filters, then one selector picks the token.
//
//   raw logits (V)
//     -> the stages of samplerStages() that the settings switch on, in order (core/decoding/samplerstages.h:
//        repetition penalty, temperature, top-k, top-p, min-p; one object per file under stages/)
//     -> selector            greedy: the most probable survivor; sample: a draw from the survivors with an Rng
//
// Each stage that is switched on records its surviving candidates {id, logit, p} with p renormalised over
// the survivors (a SamplerStage), so a view can show exactly what each filter removed. A stage works on all
// its survivors but sorts only the top kRecordedCandidates (std::nth_element, then a sort of those): O(V)
// per stage, not O(V log V); the recorded stage lists those (plus the raw stage's listed tokens it kept and
// the chosen token) and keeps the rest as a count and a mass.
#include "core/decoding/decodestep.h"
#include "core/decoding/decodingsettings.h"
#include "core/random.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ar {

// Every stage's result and the choice. `stages.front()` is "raw".
struct SampleResult {
    std::vector<SamplerStage> stages;
    int token = -1;
    float p = 0;          // probability of `token` in the last stage
    float modelP = 0;     // probability of `token` under the raw model
    double tokenLogprob = 0;  // log of the raw model probability (double precision log-softmax)
};

class SamplerChain {
public:
    explicit SamplerChain(const SamplerSettings& settings = {});  // validates
    const SamplerSettings& settings() const { return m_settings; }
    void setSettings(const SamplerSettings& settings);          // validates

    // Runs the filters on one row of logits. `recent` = the tokens so far (prompt + generated); the last
    // repetitionWindow of them are penalised. Throws ar::Error on a logits row that is empty or not finite.
    std::vector<SamplerStage> filter(std::span<const float> logits, std::span<const int> recent) const;
    // filter() + the selector on the last stage's survivors (all of them, listed or not): argmax (greedy, or
    // temperature 0) or a draw with `rng`. Greedy never touches rng; a draw consumes exactly one
    // rng.uniform(). Also the raw probability of the chosen token, which every stage lists.
    SampleResult sample(std::span<const float> logits, std::span<const int> recent, Rng& rng) const;
    // filter() and the raw/final probabilities of a token the user chose (no draw; rng untouched).
    SampleResult forced(std::span<const float> logits, std::span<const int> recent, int token) const;
    // What the selector draws from, over the whole vocabulary: the last stage's p (0 = removed); greedy (or
    // T = 0): 1 on the argmax.
    std::vector<double> distribution(std::span<const float> logits, std::span<const int> recent) const;

private:
    struct FullStage {                  // a stage with all its survivors, while the chain runs
        std::string name, setting;
        std::vector<Candidate> cs;      // the first min(kRecordedCandidates, size) sorted, the rest below them
        int removed = 0;
        double logSumExp = 0;           // raw stage: log(sum exp(logits)), for the chosen token's log-probability
    };
    std::vector<FullStage> run(std::span<const float> logits, std::span<const int> recent) const;
    static std::vector<SamplerStage> record(std::vector<FullStage> full, int chosen);
    static SampleResult finish(std::vector<FullStage> full, int token, std::span<const float> logits);
    int choose(const std::vector<Candidate>& last, Rng& rng) const;

    SamplerSettings m_settings;
};

// Helpers shared by the decoders (all in double precision internally).
// log-softmax of a row of logits.
std::vector<double> logSoftmax(std::span<const float> logits);
// Candidates of a row of logits, p = softmax(logits); the first min(kRecordedCandidates, V) sorted by p
// descending (ties: lower id first), the rest below them. logSumExp (optional) receives log(sum exp(logits)),
// the same bits as logSoftmax's, so logits[i] - *logSumExp = logSoftmax(logits)[i].
std::vector<Candidate> softmaxCandidates(std::span<const float> logits, double* logSumExp = nullptr);

}  // namespace ar
