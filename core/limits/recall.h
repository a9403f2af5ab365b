#pragma once
// Long-range memory: a synthetic recall task with known answers, and the two measurements made on a real model.
//
// Task. An episode is   key  f_1 .. f_d  ?   and the model must then predict the key again:
//   key  one of 8 tokens A..H, drawn uniformly;
//   f_i  d filler tokens drawn uniformly from w x y z (random, so the state is disturbed at every step);
//   ?    the query. The input is d + 2 tokens; the one scored prediction is the one made after reading '?',
//        d + 1 steps after the key was read. Chance is 1/8.
// The answer is known exactly, so accuracy is exact (argmax of the model's logits after '?' == key).
//
// Gradient flow. ||d loss / d x_0||: the gradient of the recall loss (-log p(key) after '?') with respect to the
// model's input vector at the key's position, averaged over episodes, for each distance d. Measured by a
// backward pass on the real model:
//   RNN / LSTM / GRU: x_0 = embedding.weight[key]; the key token occurs nowhere else in the input and the output
//     layer fc is separate, so the gradient of that embedding row IS the gradient at x_0.
//   TinyGPT (learned positions): x_0 = wte[key] + wpe[0]; wpe row 0 is used only at position 0, so its gradient
//     IS the gradient at x_0 (wte is tied to the output head, so its row would mix in the answer).
//
// Legend: d distance (number of fillers), V vocabulary (13 tokens).
#include "core/models/languagemodel.h"
#include "core/random.h"

#include <vector>

namespace ar {

struct RecallEpisode {
    Tokens input;  // key, d fillers, '?'   (d + 2 tokens)
    int key = 0;   // the answer: the token id to predict after the last input token
};

class RecallTask {
public:
    static constexpr int kKeys = 8;
    static constexpr int kFillers = 4;
    static Tokenizer tokenizer();                    // "A".."H", "w".."z", "?" (char level, ids in that order)
    static int queryToken() { return kKeys + kFillers; }
    static RecallEpisode episode(int d, Rng& rng);   // d >= 0
    // Throws ar::Error naming what is missing when `model` cannot read the task's tokens.
    static void checkVocabulary(const LanguageModel& model, const std::string& label);
    // The model's id of each task token (the order of tokenizer()).
    static Tokens modelIds(const LanguageModel& model);
};

// Largest d whose episode fits the model's context (d + 2 input tokens); INT_MAX when unbounded.
int maxRecallDistance(const LanguageModel& model);

// Fraction of `episodes` episodes at distance d whose key is the argmax after '?'. Seeded; no grad.
// Throws ar::Error when d does not fit the model's context.
double recallAccuracy(const LanguageModel& model, int d, int episodes, uint64_t seed);

// Mean over `episodes` episodes of ||d loss / d x_0|| at distance d (see above). Throws ar::Error for a model
// kind it cannot measure (a TinyGPT without learned positions, a seq2seq model).
double recallGradientNorm(const LanguageModel& model, int d, int episodes, uint64_t seed);

// How strongly the key still reaches each unit of a recurrent model's hidden state along one episode (task ids, as
// episode() makes them): influence (T, H), row t = |d h_t[u] / d x_0| for every unit u of the top layer, the norm
// over the key's input vector x_0 = embedding.weight[key] (the hidden state after reading input[t]). Exact
// derivatives by backward passes: for step t the episode runs as H identical rows with x_0 a leaf, and the loss
// sum_u h_t[u, u] puts unit u's gradient in row u of x_0 (one backward per step). The model is only read (its
// weights enter as constants), so other threads may use it meanwhile. A vanishing gradient is these
// numbers falling to 0 across the fillers. Throws ar::Error for a model that is not a recurrent model over the
// task's tokens, or an episode that does not start with a key.
Mat keyInfluence(const LanguageModel& model, const RecallEpisode& episode);

// Least-squares slope of log10(y) against x (decades per step of distance).
double log10Slope(const std::vector<int>& x, const std::vector<double>& y);

}  // namespace ar
