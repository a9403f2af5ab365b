#include "core/decoding/predictionquiz.h"

#include "core/error.h"

#include <cmath>
#include <set>

namespace ar {

namespace {
// argmax with ties to the lower id.
int argmax(std::span<const double> v) {
    int best = -1;
    for (size_t i = 0; i < v.size(); ++i)
        if (best < 0 || v[i] > v[size_t(best)]) best = int(i);
    return best;
}
// -sum_i a_i ln b_i over the i with a_i > 0.
double crossEntropy(std::span<const double> a, std::span<const double> b) {
    double h = 0;
    for (size_t i = 0; i < a.size(); ++i)
        if (a[i] > 0) h -= a[i] * std::log(b[i]);
    return h;
}
}  // namespace

int QuizGuess::total() const {
    int t = 0;
    for (const auto& [id, pts] : points) t += pts;
    return t;
}

int QuizGuess::pointsOn(int token) const {
    for (const auto& [id, pts] : points)
        if (id == token) return pts;
    return 0;
}

int QuizGuess::top() const {
    int best = -1, bestPts = 0;
    for (const auto& [id, pts] : points)
        if (best < 0 || pts > bestPts || (pts == bestPts && id < best)) {
            best = id;
            bestPts = pts;
        }
    return best;
}

void QuizGuess::validate(int vocabSize) const {
    if (points.empty()) throw Error("the guess has no points: put " + std::to_string(kQuizPoints) + " points on one or more tokens");
    std::set<int> seen;
    long long sum = 0;
    for (const auto& [id, pts] : points) {
        if (id < 0 || id >= vocabSize)
            throw Error("the guess names token " + std::to_string(id) + ", outside the vocabulary of " + std::to_string(vocabSize));
        if (!seen.insert(id).second) throw Error("the guess names token " + std::to_string(id) + " twice");
        if (pts <= 0 || pts > kQuizPoints)
            throw Error("the guess gives token " + std::to_string(id) + " " + std::to_string(pts) + " points (1 to " +
                        std::to_string(kQuizPoints) + " each)");
        sum += pts;
    }
    if (sum != kQuizPoints)
        throw Error("the points add up to " + std::to_string(sum) + ", not " + std::to_string(kQuizPoints));
}

std::vector<double> studentDistribution(const QuizGuess& guess, int vocabSize, double epsilon) {
    guess.validate(vocabSize);
    std::vector<double> q(size_t(vocabSize), epsilon / vocabSize);
    for (const auto& [id, pts] : guess.points) q[size_t(id)] += (1 - epsilon) * pts / double(kQuizPoints);
    return q;
}

QuizStep scoreQuizStep(const QuizGuess& guess, std::span<const double> modelP, std::span<const double> truth, int token,
                       int position) {
    const int V = int(modelP.size());
    if (V == 0) throw Error("quiz: the model's distribution is empty");
    if (!truth.empty() && truth.size() != modelP.size())
        throw Error("quiz: the true distribution has " + std::to_string(truth.size()) + " entries, the model's " + std::to_string(V));
    if (token < 0 || token >= V) throw Error("quiz: token " + std::to_string(token) + " is outside the vocabulary of " + std::to_string(V));
    const std::vector<double> q = studentDistribution(guess, V);
    QuizStep s;
    s.position = position;
    s.token = token;
    s.guess = guess;
    s.studentTop = guess.top();
    s.modelTop = argmax(modelP);
    s.studentP = q[size_t(token)];
    s.modelP = modelP[size_t(token)];
    s.studentLoss = -std::log(s.studentP);
    s.modelLoss = -std::log(s.modelP);
    if (!truth.empty()) {
        s.hasTruth = true;
        s.trueP = truth[size_t(token)];
        s.trueLoss = s.trueP > 0 ? -std::log(s.trueP) : 0;
        s.studentCrossEntropy = crossEntropy(truth, q);
        s.modelCrossEntropy = crossEntropy(truth, modelP);
        s.trueEntropy = crossEntropy(truth, truth);
    }
    return s;
}

void QuizTotals::add(const QuizStep& s) {
    ++steps;
    studentLoss += s.studentLoss;
    modelLoss += s.modelLoss;
    studentHits += s.studentHit();
    modelHits += s.modelHit();
    agreements += s.agree();
    if (!s.hasTruth) return;
    ++truthSteps;
    studentCrossEntropy += s.studentCrossEntropy;
    modelCrossEntropy += s.modelCrossEntropy;
    trueEntropy += s.trueEntropy;
    if (s.trueP > 0) {
        ++trueLossSteps;
        trueLoss += s.trueLoss;
    } else {
        ++impossibleSteps;
    }
}

PredictionQuiz::PredictionQuiz(int length) : m_length(length) {
    if (length < 1 || length > kQuizMaxSteps)
        throw Error("a quiz round has 1 to " + std::to_string(kQuizMaxSteps) + " steps, got " + std::to_string(length));
}

const QuizStep& PredictionQuiz::add(QuizStep step) {
    if (finished()) throw Error("the quiz round of " + std::to_string(m_length) + " steps is over");
    m_totals.add(step);
    m_steps.push_back(std::move(step));
    return m_steps.back();
}

}  // namespace ar
