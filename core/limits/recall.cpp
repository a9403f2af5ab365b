// The recall task, recall accuracy and gradient flow measured on real models.
#include "core/limits/recall.h"

#include "core/error.h"
#include "core/models/charrnn.h"
#include "core/models/tinygpt.h"

#include <climits>
#include <cmath>

namespace ar {

Tokenizer RecallTask::tokenizer() {
    std::vector<std::string> v;
    for (int i = 0; i < kKeys; ++i) v.push_back(std::string(1, char('A' + i)));
    for (int i = 0; i < kFillers; ++i) v.push_back(std::string(1, char('w' + i)));
    v.push_back("?");
    return Tokenizer(Tokenizer::Kind::Char, v);
}

RecallEpisode RecallTask::episode(int d, Rng& rng) {
    if (d < 0) throw Error("recall: the distance must be >= 0, got " + std::to_string(d));
    RecallEpisode e;
    e.key = int(rng.below(kKeys));
    e.input.reserve(size_t(d) + 2);
    e.input.push_back(e.key);
    for (int i = 0; i < d; ++i) e.input.push_back(kKeys + int(rng.below(kFillers)));
    e.input.push_back(queryToken());
    return e;
}

void RecallTask::checkVocabulary(const LanguageModel& model, const std::string& label) {
    const Tokenizer task = tokenizer();
    std::string missing;
    for (const auto& piece : task.vocab())
        if (model.tokenizer().id(piece) < 0) missing += (missing.empty() ? "'" : ", '") + piece + "'";
    if (!missing.empty())
        throw Error(label + " was not trained on the recall task: its vocabulary lacks " + missing +
                    " (train one with arlab-cli train-recall)");
}

Tokens RecallTask::modelIds(const LanguageModel& model) {
    checkVocabulary(model, "the model");
    Tokens ids;
    const Tokenizer task = tokenizer();
    for (const auto& piece : task.vocab()) ids.push_back(model.tokenizer().id(piece));
    return ids;
}

int maxRecallDistance(const LanguageModel& model) {
    return model.contextLength() > 0 ? model.contextLength() - 2 : INT_MAX;
}

namespace {

void checkDistance(const LanguageModel& model, int d) {
    if (d < 0 || d > maxRecallDistance(model))
        throw Error("distance " + std::to_string(d) + " does not fit: the model's context holds " +
                    std::to_string(model.contextLength()) + " tokens, so d <= " + std::to_string(maxRecallDistance(model)));
}

RecallEpisode mapped(RecallEpisode e, const Tokens& ids) {
    for (int& t : e.input) t = ids[size_t(t)];
    e.key = ids[size_t(e.key)];
    return e;
}

}  // namespace

double recallAccuracy(const LanguageModel& model, int d, int episodes, uint64_t seed) {
    checkDistance(model, d);
    if (episodes < 1) throw Error("recall: at least one episode is needed");
    const Tokens ids = RecallTask::modelIds(model);
    NoGradGuard ng;
    Rng rng(seed);
    // All episodes side by side through the batched decoder: one step() per position.
    std::vector<RecallEpisode> eps;
    std::vector<std::unique_ptr<DecodeState>> states;
    std::vector<DecodeState*> ptrs;
    for (int i = 0; i < episodes; ++i) {
        eps.push_back(mapped(RecallTask::episode(d, rng), ids));
        states.push_back(model.newState());
        ptrs.push_back(states.back().get());
    }
    Mat logits;
    Tokens column(static_cast<size_t>(episodes));
    for (int t = 0; t < d + 2; ++t) {
        for (int i = 0; i < episodes; ++i) column[size_t(i)] = eps[size_t(i)].input[size_t(t)];
        logits = model.step(ptrs, column);  // (episodes, V)
    }
    int correct = 0;
    for (int i = 0; i < episodes; ++i) {
        Index best;
        logits.row(i).maxCoeff(&best);
        correct += int(best) == eps[size_t(i)].key;
    }
    return double(correct) / episodes;
}

double recallGradientNorm(const LanguageModel& model, int d, int episodes, uint64_t seed) {
    checkDistance(model, d);
    if (episodes < 1) throw Error("gradient flow: at least one episode is needed");
    const Tokens ids = RecallTask::modelIds(model);
    const auto* rnn = dynamic_cast<const CharRnn*>(&model);
    const auto* gpt = dynamic_cast<const TinyGpt*>(&model);
    if (gpt && gpt->config().pos != PositionMode::Learned)
        throw Error("gradient flow is measured at wpe[0], so the TinyGPT needs learned positions; this one has " +
                    positionModeName(gpt->config().pos));
    if (!rnn && !gpt) throw Error("gradient flow: a '" + model.kind() + "' model is not supported (rnn, lstm, gru, tinygpt)");
    const ParamList params = model.parameters();
    const std::string probeName = rnn ? "embedding.weight" : "transformer.wpe.weight";
    Var probe;
    for (const auto& p : params)
        if (p.name == probeName) probe = p.var;
    if (!probe.defined()) throw Error("gradient flow: the model has no " + probeName);
    Rng rng(seed);
    double total = 0;
    for (int i = 0; i < episodes; ++i) {
        const RecallEpisode e = mapped(RecallTask::episode(d, rng), ids);
        Tokens targets(e.input.size(), -100);  // only the recall is scored
        targets.back() = e.key;
        for (const auto& p : params) const_cast<Var&>(p.var).zeroGrad();
        Var loss;
        if (rnn) {
            nn::RecurrentState s = rnn->zeroState(1);
            loss = rnn->chunkLoss({e.input}, {targets}, s);
        } else {
            loss = gpt->loss(e.input, targets, 1, int(e.input.size()), false, nullptr);
        }
        backward(loss);
        const Index row = rnn ? Index(e.input[0]) : 0;  // the key's embedding row, or position 0
        total += probe.hasGrad() ? double(probe.node()->grad.row(row).norm()) : 0.0;
    }
    for (const auto& p : params) const_cast<Var&>(p.var).zeroGrad();
    return total / episodes;
}

double log10Slope(const std::vector<int>& x, const std::vector<double>& y) {
    if (x.size() != y.size() || x.size() < 2) throw Error("slope: need at least two points");
    double mx = 0, my = 0;
    const double n = double(x.size());
    for (size_t i = 0; i < x.size(); ++i) {
        mx += x[i] / n;
        my += std::log10(std::max(y[i], 1e-300)) / n;
    }
    double sxy = 0, sxx = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        sxy += (x[i] - mx) * (std::log10(std::max(y[i], 1e-300)) - my);
        sxx += (x[i] - mx) * (x[i] - mx);
    }
    return sxx > 0 ? sxy / sxx : 0.0;
}

Mat keyInfluence(const LanguageModel& model, const RecallEpisode& episode) {
    const auto* rnn = dynamic_cast<const CharRnn*>(&model);
    if (!rnn) throw Error("the key's influence needs a recurrent model (RNN, LSTM or GRU), not a " + model.kind());
    const Tokens ids = RecallTask::modelIds(model);
    if (episode.input.empty()) throw Error("the episode is empty");
    for (int id : episode.input)
        if (id < 0 || id >= int(ids.size())) throw Error("the episode holds a token that is not one of the task's");
    if (episode.input[0] >= RecallTask::kKeys) throw Error("the episode does not start with a key");
    const int T = int(episode.input.size()), H = rnn->config().hidden;
    const Mat& emb = rnn->embedding.weight.value();                        // (V, E)
    const auto rows = [&](int taskId) {                                    // (H, E): one input row per unit
        return Mat(emb.row(ids[size_t(taskId)]).replicate(H, 1));
    };
    nn::Recurrent cell = rnn->rnn;  // the same weights as constants: only x_0 is differentiated, the model is only read
    for (auto* list : {&cell.wih, &cell.whh, &cell.bih, &cell.bhh})
        for (Var& w : *list) w = Var(Mat(w.value()));
    const Var pick(Mat::Identity(H, H));                                   // row u keeps unit u
    Mat influence(T, H);                                                   // (T, H)
    for (int t = 0; t < T; ++t) {
        Var x0 = Var::param(rows(episode.input[0]));                       // (H, E), the only leaf that is asked
        nn::RecurrentState state = cell.zeroState(H);
        Var h = cell.step(x0, state);                                      // (H, H) after the key
        for (int i = 1; i <= t; ++i) h = cell.step(Var(rows(episode.input[size_t(i)])), state);
        backward(ops::sum(ops::mul(h, pick)));                             // sum_u h_t[u, u]
        influence.row(t) = x0.grad().rowwise().norm().transpose();
    }
    return influence;
}

}  // namespace ar
