#pragma once
// The prediction quiz ("what comes next?"): before each step a student spreads 100 points over candidate
// next tokens (or puts all 100 on one pick); then the model's distribution is revealed and the token that
// came is known. This file only scores; the Transformer lesson's Quiz dock asks and shows.
//
// Legend: V = vocabulary size, x = the realised (next) token, q = the student's distribution, p = the
// model's (softmax of its raw logits, T = 1), P* = the toy language's exact distribution (when known).
//
// Zero points. Points become a distribution smoothed with a stated epsilon, so a token given nothing still
// has a finite loss:
//     q_i = (1 - eps) * points_i / 100 + eps / V,            eps = kQuizEpsilon = 0.01
// All 100 points on x cost -ln(0.99 + 0.01/V) ~ 0.01 nats; no points on x cost -ln(0.01/V) = ln(100 V)
// (8.0 nats for V = 30). The model's p is already > 0 everywhere (softmax).
//
// One step's scores:
//   log-loss on x            student -ln q(x), model -ln p(x), truth -ln P*(x) (the best any forecaster can
//                            expect; unknown when there is no truth or P*(x) = 0, i.e. x is impossible)
//   against the truth        cross-entropies H(P*, q) and H(P*, p): the expected loss if the next token came
//                            from the language, with the floor H(P*) (its entropy); they do not depend on
//                            which token happened to come, so they are the fairer comparison
//   top-1                    the student's top pick (most points; ties: lower id) and the model's (argmax p;
//                            ties: lower id): each a hit when it equals x, and whether the two agree
// A round (PredictionQuiz) is N such steps; its totals sum the losses and count hits and agreements.
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace ar {

inline constexpr int kQuizPoints = 100;       // what a student spreads over the candidates
inline constexpr double kQuizEpsilon = 0.01;  // mixed-in uniform mass (see above)
inline constexpr int kQuizMaxSteps = 200;     // longest round

struct QuizGuess {
    std::vector<std::pair<int, int>> points;  // (token id, points > 0), each id once; points sum to 100

    static QuizGuess pick(int token) { return QuizGuess{{{token, kQuizPoints}}}; }
    int total() const;
    int pointsOn(int token) const;
    // The token with most points (ties: lower id); -1 when empty.
    int top() const;
    // Throws ar::Error naming the problem: an id outside [0, V), an id twice, points <= 0, a total other
    // than 100 ("the points add up to 90, not 100").
    void validate(int vocabSize) const;
};

// q over the vocabulary (sums to 1). The guess must be valid for V.
std::vector<double> studentDistribution(const QuizGuess& guess, int vocabSize, double epsilon = kQuizEpsilon);

struct QuizStep {
    int position = 0;             // sequence index of x (BOS included)
    int token = -1;               // x, the token that came
    bool fromTruth = false;       // x was drawn from the language (else it is the model's own draw)
    QuizGuess guess;
    int studentTop = -1, modelTop = -1;
    double studentP = 0, modelP = 0;          // q(x), p(x)
    double studentLoss = 0, modelLoss = 0;    // -ln q(x), -ln p(x)
    bool hasTruth = false;                    // P* known at this position
    double trueP = 0, trueLoss = 0;           // P*(x), -ln P*(x) (trueLoss meaningful only when trueP > 0)
    double studentCrossEntropy = 0, modelCrossEntropy = 0, trueEntropy = 0;   // H(P*, q), H(P*, p), H(P*)
    bool studentHit() const { return studentTop == token; }
    bool modelHit() const { return modelTop == token; }
    bool agree() const { return studentTop == modelTop; }
};

// Scores one step. modelP: the model's distribution over V tokens; truth: P* over V, or empty when unknown.
// Throws ar::Error on a guess that is not valid, a token outside [0, V), sizes that differ.
QuizStep scoreQuizStep(const QuizGuess& guess, std::span<const double> modelP, std::span<const double> truth,
                       int token, int position);

struct QuizTotals {
    int steps = 0;
    double studentLoss = 0, modelLoss = 0;        // summed over all steps (nats)
    int studentHits = 0, modelHits = 0, agreements = 0;
    int truthSteps = 0;                           // steps with a known P*
    double studentCrossEntropy = 0, modelCrossEntropy = 0, trueEntropy = 0;   // summed over truthSteps
    int trueLossSteps = 0;                        // steps with P*(x) > 0
    double trueLoss = 0;                          // summed over trueLossSteps
    int impossibleSteps = 0;                      // steps whose x has P*(x) = 0 (the model's own draw)
    void add(const QuizStep& s);
};

// One round of `length` steps (1..kQuizMaxSteps).
class PredictionQuiz {
public:
    explicit PredictionQuiz(int length = 10);   // throws ar::Error outside 1..kQuizMaxSteps
    int length() const { return m_length; }
    const std::vector<QuizStep>& steps() const { return m_steps; }
    bool finished() const { return int(m_steps.size()) >= m_length; }
    const QuizTotals& totals() const { return m_totals; }
    // Appends a scored step; throws ar::Error when the round is finished.
    const QuizStep& add(QuizStep step);

private:
    int m_length;
    std::vector<QuizStep> m_steps;
    QuizTotals m_totals;
};

}  // namespace ar
