#pragma once
// Training the mixture-of-experts GPT (core/models/moegpt.h) on the toy language, and the dense baseline with the
// same recipe (E = 1, k = 1, expert width 4C: exactly TinyGPT's MLP), so their validation NLLs compare fairly:
// the same sampled corpus (seed), the same split, batches, steps and learning rate.
//
//   MoeTrainer t(settings);   t.run(onStep, &stop);   auto m = t.takeModel();   // provenance filled in
//
// The loss trained is cross-entropy + balance * aux (aux = the Switch Transformer's load-balancing loss, mean over
// layers); the losses reported are the cross-entropy alone (nats per token).
//
// Legend: B batch, T context, C width, E experts, k experts per token, F expert width.
#include "core/models/moegpt.h"
#include "core/training/textdata.h"
#include "core/training/trainer.h"

#include <atomic>
#include <functional>
#include <memory>

namespace ar {

struct MoeTrainSettings {
    int layers = 2, heads = 4, embd = 32, context = 32;
    int experts = 4;          // E (1 = the dense baseline)
    int topK = 2;             // k
    int expertHidden = 64;    // F: top-2 of width 2C computes as much per token as one dense MLP of 4C
    float balance = 0.01f;    // weight of the balancing loss (0: off)
    int steps = 800;
    float lr = 3e-3f;
    int warmup = 40;
    int batch = 16;
    uint64_t seed = 1;        // weights, corpus and batches
    int sentences = 4000;     // sampled from the toy language
    int valTokens = 4000;
    int evalEvery = 100;

    std::string problem() const;  // empty when usable
    std::string command() const;  // arlab-cli train-moe ... (without --out)
};

class MoeTrainer : public ModelTrainer<MoeGpt> {
public:
    explicit MoeTrainer(const MoeTrainSettings& settings);  // throws ar::Error
    ~MoeTrainer();
    const TextData& data() const { return *m_data; }
    TrainResult run(const std::function<void(const TrainProgress&)>& onStep, const std::atomic<bool>* stop);

private:
    MoeTrainSettings m_settings;
    std::unique_ptr<TextData> m_data;
};

// Mean cross-entropy (nats per token) of a model on scoring windows of a token stream (each token once).
double moeValidationNll(const MoeGpt& model, const std::vector<TextBatch>& batches);

// Held-out toy text (sentences sampled with a seed the training corpus never uses: seed + 1000), as token ids.
Tokens heldOutToyTokens(const Tokenizer& tok, uint64_t seed, int sentences);

// Routing slots per expert and layer over a token stream, fed in consecutive windows of the model's context:
// load[l][e].
std::vector<std::vector<int>> moeLoad(const MoeGpt& model, const Tokens& stream);

}  // namespace ar
