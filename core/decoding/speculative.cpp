#include "core/decoding/speculative.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>

namespace ar {

double SpeculativeResult::acceptanceRate() const {
    long long examined = 0, kept = 0;
    for (const auto& r : rounds) {
        examined += long(r.overlap.size());
        kept += r.accepted;
    }
    return examined ? double(kept) / double(examined) : 0.0;
}

double SpeculativeResult::expectedAcceptance() const {
    double sum = 0;
    long long n = 0;
    for (const auto& r : rounds)
        for (float o : r.overlap) {
            sum += o;
            ++n;
        }
    return n ? sum / double(n) : 0.0;
}

double expectedTokensPerCall(double alpha, int gamma) {
    if (alpha >= 1.0) return gamma + 1.0;
    return (1.0 - std::pow(alpha, gamma + 1)) / (1.0 - alpha);
}

std::vector<double> chainDistribution(const SamplerChain& chain, std::span<const float> logits, std::span<const int> recent) {
    return chain.distribution(logits, recent);
}

namespace {

void checkPair(const TinyGpt& target, const TinyGpt& draft) {
    if (target.tokenizer().vocab() != draft.tokenizer().vocab())
        throw Error("speculative decoding: the draft and the target have different vocabularies");
}

void checkSampler(const SamplerSettings& s) {
    s.validate();
    if (s.strategy == DecodeStrategy::Beam) throw Error("speculative decoding samples or decodes greedily; beam search is not a sampler");
}

void checkLength(const TinyGpt& m, const Tokens& prompt, int steps, const char* which) {
    if (prompt.empty()) throw Error("speculative decoding: empty prompt (the toy models start from '.')");
    if (int(prompt.size()) + steps > m.contextLength())
        throw Error(std::string("the prompt (") + std::to_string(prompt.size()) + " tokens) and " + std::to_string(steps) +
                    " steps do not fit the " + which + "'s context of " + std::to_string(m.contextLength()) + " tokens");
}

Mat extendFrom(const TinyGpt& m, TinyGptState& s, const Tokens& seq, const Tokens& extra) {
    Tokens feed(seq.begin() + s.len, seq.end());
    feed.insert(feed.end(), extra.begin(), extra.end());
    return m.extend(s, feed);
}

int drawFrom(const std::vector<double>& d, Rng& rng) { return rng.categorical(std::span<const double>(d)); }

}  // namespace

SpeculativeResult speculativeDecode(const TinyGpt& target, const TinyGpt& draft, const Tokens& prompt,
                                    const SpeculativeOptions& o) {
    checkPair(target, draft);
    checkSampler(o.sampler);
    if (o.gamma < 1 || o.gamma > 32) throw Error("gamma must be in 1..32, got " + std::to_string(o.gamma));
    if (o.steps < 1) throw Error("steps must be at least 1, got " + std::to_string(o.steps));
    checkLength(target, prompt, o.steps, "target");
    checkLength(draft, prompt, o.steps, "draft");
    const auto accept = o.acceptance ? o.acceptance : [](double p, double q) { return q > 0 ? std::min(1.0, p / q) : 1.0; };

    const SamplerChain chain(o.sampler);
    Rng rng(o.sampler.seed);
    auto tState = target.newState(), dState = draft.newState();
    auto& ts = static_cast<TinyGptState&>(*tState);
    auto& ds = static_cast<TinyGptState&>(*dState);
    Tokens seq = prompt;
    const size_t goal = prompt.size() + size_t(o.steps);
    const int context = std::min(target.contextLength(), draft.contextLength());
    SpeculativeResult res;
    while (seq.size() < goal) {
        const int n = int(seq.size());
        // no more drafts than the context can verify (the last verified position must still fit)
        const int gamma = std::max(1, std::min(o.gamma, context - n));
        SpeculativeRound round;
        // draft: gamma calls (the first also catches the draft cache up with the sequence)
        std::vector<std::vector<double>> q;
        Tokens recent = seq;
        DecodeState* dp = dState.get();
        for (int i = 0; i < gamma; ++i) {
            const Mat logits = i == 0 ? extendFrom(draft, ds, seq, {})
                                      : draft.step(std::span<DecodeState* const>(&dp, 1), std::span<const int>(&round.draft.back(), 1));
            ++res.draftCalls;
            const auto row = logits.row(logits.rows() - 1);
            q.push_back(chainDistribution(chain, std::span<const float>(row.data(), size_t(row.size())), recent));
            round.draft.push_back(drawFrom(q.back(), rng));
            recent.push_back(round.draft.back());
        }
        // verify: one target call over the gamma + 1 positions
        const Mat tl = extendFrom(target, ts, seq, round.draft);
        ++res.targetCalls;
        const Index first = tl.rows() - (gamma + 1);  // row of p_1
        recent = seq;
        std::vector<double> p;
        for (int i = 0; i <= gamma; ++i) {
            const auto row = tl.row(first + i);
            p = chainDistribution(chain, std::span<const float>(row.data(), size_t(row.size())), recent);
            if (i == gamma) {  // every draft kept: bonus token from p_{gamma+1}
                round.next = drawFrom(p, rng);
                round.bonus = true;
                break;
            }
            const int d = round.draft[size_t(i)];
            const double pi = p[size_t(d)], qi = q[size_t(i)][size_t(d)];
            round.p.push_back(float(pi));
            round.q.push_back(float(qi));
            double overlap = 0;
            for (size_t v = 0; v < p.size(); ++v) overlap += std::min(p[v], q[size_t(i)][v]);
            round.overlap.push_back(float(overlap));
            if (rng.uniform() < accept(pi, qi)) {
                ++round.accepted;
                recent.push_back(d);
                continue;
            }
            std::vector<double> residual(p.size());
            double mass = 0;
            for (size_t v = 0; v < p.size(); ++v) mass += residual[v] = std::max(0.0, p[v] - q[size_t(i)][v]);
            round.next = drawFrom(mass > 0 ? residual : p, rng);
            break;
        }
        // p and q of the drafts after the rejected one (not examined, shown for completeness)
        for (int i = int(round.p.size()); i < gamma; ++i) {
            recent.assign(seq.begin(), seq.end());
            recent.insert(recent.end(), round.draft.begin(), round.draft.begin() + i);
            const auto row = tl.row(first + i);
            const auto pi = chainDistribution(chain, std::span<const float>(row.data(), size_t(row.size())), recent);
            round.p.push_back(float(pi[size_t(round.draft[size_t(i)])]));
            round.q.push_back(float(q[size_t(i)][size_t(round.draft[size_t(i)])]));
        }
        seq.insert(seq.end(), round.draft.begin(), round.draft.begin() + round.accepted);
        seq.push_back(round.next);
        // cut both caches back to the kept tokens: the target fed seq minus its new last token
        ts.truncate(std::min(ts.len, int(seq.size()) - 1));
        ds.truncate(std::min(ds.len, int(seq.size()) - 1));
        res.rounds.push_back(std::move(round));
    }
    res.tokens.assign(prompt.size() + seq.begin(), prompt.size() + seq.begin() + o.steps);
    return res;
}

Tokens autoregressiveDecode(const TinyGpt& target, const Tokens& prompt, int steps, const SamplerSettings& sampler) {
    checkSampler(sampler);
    checkLength(target, prompt, steps, "target");
    const SamplerChain chain(sampler);
    Rng rng(sampler.seed);
    auto state = target.newState();
    auto& s = static_cast<TinyGptState&>(*state);
    Tokens seq = prompt;
    for (int i = 0; i < steps; ++i) {
        const Mat logits = extendFrom(target, s, seq, {});
        const auto row = logits.row(logits.rows() - 1);
        seq.push_back(drawFrom(chainDistribution(chain, std::span<const float>(row.data(), size_t(row.size())), seq), rng));
    }
    return Tokens(seq.begin() + long(prompt.size()), seq.end());
}

}  // namespace ar
