#include "core/training/nattrain.h"

#include "core/error.h"
#include "core/training/seq2seqtrain.h"

#include <algorithm>
#include <chrono>
#include <map>

namespace ar {

std::string NatTrainOptions::problem() const {
    if (steps < 1) return "steps must be at least 1";
    if (batch < 1) return "batch must be at least 1";
    if (!(lr > 0)) return "learning rate must be positive";
    if (embd < 1 || heads < 1 || embd % heads != 0)
        return std::to_string(heads) + " heads do not divide the width " + std::to_string(embd);
    if (encLayers < 1 || decLayers < 1) return "layers must be at least 1";
    return {};
}

Tokenizer natTargetTokenizer(const ZhEnCorpus& c) {
    std::vector<std::string> v = {"[MASK]"};
    v.insert(v.end(), c.tgtWords.begin(), c.tgtWords.end());
    return Tokenizer(Tokenizer::Kind::Word, v);
}

std::unique_ptr<NatTranslator> makeNatTranslator(const ZhEnCorpus& c, const NatTrainOptions& o) {
    if (const std::string p = o.problem(); !p.empty()) throw Error("nat training: " + p);
    Tokenizer src = zhTokenizer(c), tgt = natTargetTokenizer(c);
    size_t maxSrc = 1, maxLen = 1;
    for (const auto* split : {&c.train, &c.valid, &c.test})
        for (const ZhEnPair& p : *split) {
            maxSrc = std::max(maxSrc, p.src.size());
            maxLen = std::max(maxLen, p.tgt.size());
        }
    NatConfig cfg;
    cfg.srcVocab = src.size();
    cfg.tgtVocab = tgt.size();
    cfg.embd = o.embd;
    cfg.heads = o.heads;
    cfg.encLayers = o.encLayers;
    cfg.decLayers = o.decLayers;
    cfg.maxSrc = int(maxSrc) + 2;  // a little room for sentences typed in the app
    cfg.maxLen = int(maxLen) + 2;
    return std::make_unique<NatTranslator>(cfg, std::move(src), std::move(tgt), o.seed);
}

Var natLoss(const NatTranslator& m, const std::vector<const ZhEnPair*>& batch, float lengthWeight, Rng& rng) {
    const int B = int(batch.size());
    const int T = int(batch[0]->tgt.size());
    std::vector<Tokens> src;
    Tokens input, targets, lengths;
    for (const ZhEnPair* p : batch) {
        if (int(p->tgt.size()) != T) throw Error("natLoss: targets in one batch must have the same length");
        src.push_back(translatorIds(m.srcTokenizer(), p->src));
        const Tokens gold = translatorIds(m.tgtTokenizer(), p->tgt);
        std::vector<int> order(static_cast<size_t>(T), 0);
        for (int i = 0; i < T; ++i) order[size_t(i)] = i;
        rng.shuffle(order);
        const int n = rng.randint(1, T);  // how many words to mask
        std::vector<bool> masked(size_t(T), false);
        for (int i = 0; i < n; ++i) masked[size_t(order[size_t(i)])] = true;
        for (int i = 0; i < T; ++i) {
            input.push_back(masked[size_t(i)] ? m.maskToken() : gold[size_t(i)]);
            targets.push_back(masked[size_t(i)] ? gold[size_t(i)] : -100);
        }
        lengths.push_back(T - 1);
    }
    const auto mem = m.encode(src);
    Var words = ops::crossEntropy(m.decode(mem, input, T), targets);
    Var length = ops::crossEntropy(m.lengthLogits(mem), lengths);
    (void)B;
    return ops::add(words, ops::scale(length, lengthWeight));
}

TrainResult trainNat(NatTranslator& m, const ZhEnCorpus& c, const NatTrainOptions& o,
                     const std::function<void(const TrainProgress&)>& onStep, const std::atomic<bool>* stop) {
    if (const std::string p = o.problem(); !p.empty()) throw Error("nat training: " + p);
    if (c.train.empty()) throw Error("nat training: empty training set");
    Rng rng(o.seed + 1);
    // Batches of one source length and one target length (the decoder's input has the target's length).
    PairBatches batches(c.train, o.batch, rng, [](const ZhEnPair& p) { return PairBatches::Key{p.src.size(), p.tgt.size()}; });
    Adam opt(m.parameters(), o.lr, 0.9f, 0.98f, 1e-8f, 0.0f);
    const TrainConfig cfg = trainConfig(o.steps, o.lr, o.warmup, o.evalEvery, o.clip);
    TrainHooks hooks;
    hooks.batchLoss = [&](int) {
        return natLoss(m, batches.next(), o.lengthWeight, rng);
    };
    if (!c.valid.empty())
        hooks.validationLoss = [&]() {
            // fully masked (the one-pass NAT loss) on the validation split, fixed masks
            NoGradGuard ng;
            std::map<std::pair<size_t, size_t>, std::vector<const ZhEnPair*>> groups;
            for (const ZhEnPair& p : c.valid) groups[{p.src.size(), p.tgt.size()}].push_back(&p);
            Rng fixed(7);
            double sum = 0;
            int n = 0;
            for (auto& [key, v] : groups) {
                sum += double(natLoss(m, v, o.lengthWeight, fixed).item()) * double(v.size());
                n += int(v.size());
            }
            return n ? float(sum / n) : 0.0f;
        };
    hooks.onStep = onStep;
    return train(opt, cfg, hooks, stop);
}

namespace {
struct Tally {
    long long exact = 0, words = 0, right = 0, repeated = 0, passes = 0, n = 0;
    void add(const Tokens& out, const Tokens& gold, int passesUsed) {
        ++n;
        exact += out == gold;
        words += long(gold.size());
        for (size_t i = 0; i < gold.size() && i < out.size(); ++i) right += out[i] == gold[i];
        repeated += hasRepeatedWord(out);
        passes += passesUsed;
    }
    ParallelEval result(double seconds) const {
        ParallelEval e;
        e.sentences = int(n);
        e.exactMatch = n ? double(exact) / double(n) : 0;
        e.wordAccuracy = words ? double(right) / double(words) : 0;
        e.repeatedRate = n ? double(repeated) / double(n) : 0;
        e.meanPasses = n ? double(passes) / double(n) : 0;
        e.seconds = seconds;
        return e;
    }
};
double since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

ParallelEval evaluateParallel(const NatTranslator& m, const std::vector<ZhEnPair>& pairs, const ParallelOptions& o,
                              const std::atomic<bool>* stop) {
    Tally tally;
    const auto t0 = std::chrono::steady_clock::now();
    for (const ZhEnPair& p : pairs) {
        if (stop && stop->load()) break;
        const ParallelTranslation tr = translateParallel(m, translatorIds(m.srcTokenizer(), p.src), o);
        tally.add(tr.tokens, translatorIds(m.tgtTokenizer(), p.tgt), tr.passes);
    }
    return tally.result(since(t0));
}

ParallelEval evaluateArGreedy(const Seq2Seq& m, const std::vector<ZhEnPair>& pairs, const std::atomic<bool>* stop) {
    Tally tally;
    const auto t0 = std::chrono::steady_clock::now();
    for (const ZhEnPair& p : pairs) {
        if (stop && stop->load()) break;
        Tokens out = translateGreedy(m, translatorIds(m.srcTokenizer(), p.src)).tokens;
        const int passes = int(out.size());
        if (!out.empty() && out.back() == m.eos()) out.pop_back();
        tally.add(out, translatorIds(m.tgtTokenizer(), p.tgt), passes);
    }
    return tally.result(since(t0));
}

}  // namespace ar
