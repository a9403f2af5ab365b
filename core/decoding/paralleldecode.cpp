#include "core/decoding/paralleldecode.h"

#include "core/enumnames.h"
#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ar {

namespace {
constexpr EnumName<ParallelMode> kModeNames[] = {
    {ParallelMode::Nat, "nat"}, {ParallelMode::MaskPredict, "mask-predict"}, {ParallelMode::Semi, "semi"}};
}  // namespace

std::string parallelModeName(ParallelMode m) { return nameOf(kModeNames, m, "nat"); }

ParallelMode parseParallelMode(const std::string& s) {
    if (const auto e = fromName(kModeNames, s)) return *e;
    throw Error("unknown parallel decoding mode '" + s + "' (choices: nat, mask-predict, semi)");
}

void ParallelOptions::validate(int maxLen) const {
    if (iterations < 1 || iterations > 100) throw Error("iterations must be in 1..100, got " + std::to_string(iterations));
    if (block < 1 || block > 512) throw Error("block must be in 1..512, got " + std::to_string(block));
    if (length < 0 || length > maxLen)
        throw Error("length must be in 1.." + std::to_string(maxLen) + " (0 = predicted), got " + std::to_string(length));
}

bool hasRepeatedWord(const Tokens& t) {
    for (size_t i = 1; i < t.size(); ++i)
        if (t[i] == t[i - 1]) return true;
    return false;
}

namespace {

// The argmax word (never [MASK]) of one logits row and its probability.
std::pair<int, float> best(const Mat& logits, Index row, int mask) {
    const auto r = logits.row(row);
    Index arg = mask == 0 ? 1 : 0;
    for (Index v = 0; v < r.size(); ++v)
        if (v != mask && r(v) > r(arg)) arg = v;
    const double mx = r(arg);
    double z = 0;
    for (Index v = 0; v < r.size(); ++v)
        if (v != mask) z += std::exp(double(r(v)) - mx);
    return {int(arg), float(1.0 / z)};
}

float probOf(const Mat& logits, Index row, int mask, int token) {
    const auto r = logits.row(row);
    double mx = -INFINITY;
    for (Index v = 0; v < r.size(); ++v)
        if (v != mask) mx = std::max(mx, double(r(v)));
    double z = 0;
    for (Index v = 0; v < r.size(); ++v)
        if (v != mask) z += std::exp(double(r(v)) - mx);
    return float(std::exp(double(r(token)) - mx) / z);
}

}  // namespace

ParallelTranslation translateParallel(const NatTranslator& model, const Tokens& src, const ParallelOptions& o) {
    const int maxLen = model.config().maxLen, mask = model.maskToken(), V = model.tgtTokenizer().size();
    o.validate(maxLen);
    for (auto [pos, tok] : o.forced)
        if (pos < 0 || tok <= 0 || tok >= V) throw Error("forced word: position or word id out of range");
    NoGradGuard ng;
    const auto mem = model.encode({src});
    ParallelTranslation out;
    const Var lenVar = model.lengthLogits(mem);
    const Mat& lenLogits = lenVar.value();  // (1, maxLen)
    {
        const float mx = lenLogits.maxCoeff();
        RowVec p = (lenLogits.row(0).array() - mx).exp();
        p /= p.sum();
        out.lengthProbs.assign(p.data(), p.data() + p.size());
    }
    Index argLen;
    lenLogits.row(0).maxCoeff(&argLen);
    const int T = o.length > 0 ? o.length : int(argLen) + 1;
    out.length = T;

    Tokens tokens(size_t(T), mask);
    std::vector<float> conf(size_t(T), 0.0f);
    // One decoder pass: positions with masked[i] are predicted (or forced) and get their new confidence.
    auto pass = [&](const std::vector<bool>& masked, int predictFrom, int predictTo) {
        Tokens input = tokens;
        for (int i = 0; i < T; ++i)
            if (masked[size_t(i)]) input[size_t(i)] = mask;
        const Var logitsVar = model.decode(mem, input, T);
        const Mat& logits = logitsVar.value();  // (T, V), not copied
        ++out.passes;
        for (int i = predictFrom; i < predictTo; ++i) {
            if (!masked[size_t(i)]) continue;
            auto f = o.forced.find(i);
            if (f != o.forced.end()) {
                tokens[size_t(i)] = f->second;
                conf[size_t(i)] = probOf(logits, i, mask, f->second);
            } else {
                std::tie(tokens[size_t(i)], conf[size_t(i)]) = best(logits, i, mask);
            }
        }
        std::vector<bool> predicted(size_t(T), false);
        for (int i = predictFrom; i < predictTo; ++i) predicted[size_t(i)] = masked[size_t(i)];
        out.iterations.push_back({tokens, conf, predicted});
    };

    switch (o.mode) {
    case ParallelMode::Nat:
        pass(std::vector<bool>(size_t(T), true), 0, T);
        break;
    case ParallelMode::MaskPredict: {
        const int K = o.iterations;
        pass(std::vector<bool>(size_t(T), true), 0, T);
        for (int t = 1; t < K; ++t) {
            const int n = T * (K - t) / K;
            if (n == 0) break;  // nothing left to re-mask: further passes would change nothing
            std::vector<int> order(static_cast<size_t>(T), 0);
            std::iota(order.begin(), order.end(), 0);
            std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return conf[size_t(a)] < conf[size_t(b)]; });
            std::vector<bool> masked(size_t(T), false);
            for (int i = 0; i < n; ++i) masked[size_t(order[size_t(i)])] = true;
            pass(masked, 0, T);
        }
        break;
    }
    case ParallelMode::Semi:
        for (int from = 0; from < T; from += o.block) {
            const int to = std::min(T, from + o.block);
            std::vector<bool> masked(size_t(T), false);
            for (int i = from; i < T; ++i) masked[size_t(i)] = true;  // this block and everything after it
            pass(masked, from, to);
            // positions after the block stay undecided ([MASK], confidence 0) until their own block
        }
        break;
    }
    out.tokens = tokens;
    return out;
}

}  // namespace ar
