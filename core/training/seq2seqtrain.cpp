#include "core/training/seq2seqtrain.h"

#include "core/enumnames.h"
#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace ar {

namespace {
// The names first; then the longer spellings the parse also accepts.
constexpr EnumName<TfSchedule> kScheduleNames[] = {
    {TfSchedule::TeacherForcing, "tf"},      {TfSchedule::Linear, "linear"},
    {TfSchedule::Exponential, "exp"},        {TfSchedule::InverseSigmoid, "invsigmoid"},
    {TfSchedule::TeacherForcing, "teacher"}, {TfSchedule::Exponential, "exponential"},
    {TfSchedule::InverseSigmoid, "inverse-sigmoid"}};
}  // namespace

TfSchedule parseTfSchedule(const std::string& s) {
    if (const auto e = fromName(kScheduleNames, s)) return *e;
    throw Error("unknown teacher-forcing schedule '" + s + "' (choices: tf, linear, exp, invsigmoid)");
}

std::string tfScheduleName(TfSchedule s) { return nameOf(kScheduleNames, s, "tf"); }

float teacherForcingProb(TfSchedule s, float k, float minProb, int step) {
    const double i = step;
    double eps = 1.0;
    switch (s) {
    case TfSchedule::TeacherForcing: return 1.0f;
    case TfSchedule::Linear: eps = 1.0 - i / double(k > 0 ? k : 1000); break;
    case TfSchedule::Exponential: eps = std::pow(double(k > 0 ? k : 0.999), i); break;
    case TfSchedule::InverseSigmoid: {
        const double kk = k > 0 ? k : 300;
        eps = kk / (kk + std::exp(std::min(i / kk, 700.0)));
        break;
    }
    }
    return float(std::max(double(minProb), eps));
}

Tokenizer zhTokenizer(const ZhEnCorpus& c) { return Tokenizer(Tokenizer::Kind::Word, c.srcWords); }
Tokenizer enTokenizer(const ZhEnCorpus& c) {
    std::vector<std::string> v = {"<s>", "</s>"};
    v.insert(v.end(), c.tgtWords.begin(), c.tgtWords.end());
    return Tokenizer(Tokenizer::Kind::Word, v);
}

std::unique_ptr<Seq2Seq> makeTranslator(const ZhEnCorpus& c, const Seq2SeqTrainOptions& o, Rng& rng) {
    Tokenizer src = zhTokenizer(c), tgt = enTokenizer(c);
    Seq2SeqConfig cfg;
    cfg.srcVocab = src.size();
    cfg.tgtVocab = tgt.size();
    cfg.embd = o.embd;
    cfg.hidden = o.hidden;
    cfg.inputFeed = o.inputFeed;
    cfg.bridge = o.bridge;
    return std::make_unique<Seq2Seq>(cfg, std::move(src), std::move(tgt), rng);
}

Tokens translatorIds(const Tokenizer& t, const std::vector<std::string>& words) {
    Tokens out;
    for (const auto& w : words) {
        const int id = t.id(w);
        if (id < 0) throw Error("word '" + w + "' is not in the translator's vocabulary");
        out.push_back(id);
    }
    return out;
}

PairBatches::PairBatches(const std::vector<ZhEnPair>& pairs, int batch, Rng& rng, Key (*key)(const ZhEnPair&))
    : m_pairs(pairs), m_batch(size_t(batch)), m_rng(rng), m_key(key) {
    refill();
}

void PairBatches::refill() {
    std::map<Key, std::vector<const ZhEnPair*>> groups;
    for (const ZhEnPair& p : m_pairs) groups[m_key(p)].push_back(&p);
    m_batches.clear();
    for (auto& [key, v] : groups) {
        m_rng.shuffle(v);
        for (size_t i = 0; i < v.size(); i += m_batch)
            m_batches.emplace_back(v.begin() + long(i), v.begin() + long(std::min(v.size(), i + m_batch)));
    }
    m_rng.shuffle(m_batches);
    m_next = 0;
}

const std::vector<const ZhEnPair*>& PairBatches::next() {
    if (m_next >= m_batches.size()) refill();
    return m_batches[m_next++];
}

Var seq2seqLoss(const Seq2Seq& m, const std::vector<const ZhEnPair*>& batch, float tfProb, Rng& rng) {
    const int B = int(batch.size());
    std::vector<Tokens> src, tgt;
    size_t T = 0;
    for (const ZhEnPair* p : batch) {
        src.push_back(translatorIds(m.srcTokenizer(), p->src));
        tgt.push_back(translatorIds(m.tgtTokenizer(), p->tgt));
        tgt.back().push_back(m.eos());
        T = std::max(T, tgt.back().size());
    }
    auto mem = m.encode(src);
    auto st = m.startDecoder(mem);
    std::vector<Var> logits;
    std::vector<int> targets;
    Tokens prev(size_t(B), m.bos());
    for (size_t t = 0; t < T; ++t) {
        Var l = m.decodeStep(mem, st, prev);  // (B, V)
        logits.push_back(l);
        for (int b = 0; b < B; ++b) {
            const Tokens& y = tgt[size_t(b)];
            targets.push_back(t < y.size() ? y[t] : -100);
            // next input: the gold word (teacher forcing) or, with probability 1 - tfProb, the model's own argmax
            int next = t < y.size() ? y[t] : m.eos();
            if (tfProb < 1.0f && !rng.bernoulli(tfProb)) {
                Index best;
                l.value().row(b).maxCoeff(&best);
                next = int(best);
            }
            prev[size_t(b)] = next;
        }
    }
    return ops::crossEntropy(ops::concatRows(logits), targets);
}

float seq2seqEvalLoss(const Seq2Seq& m, const std::vector<ZhEnPair>& pairs, int maxPairs) {
    NoGradGuard ng;
    std::map<size_t, std::vector<const ZhEnPair*>> bySrc;
    for (size_t i = 0; i < pairs.size() && int(i) < maxPairs; ++i) bySrc[pairs[i].src.size()].push_back(&pairs[i]);
    double sum = 0;
    long long n = 0;
    Rng rng(0);
    for (auto& [len, v] : bySrc)
        for (size_t i = 0; i < v.size(); i += 128) {
            std::vector<const ZhEnPair*> b(v.begin() + long(i), v.begin() + long(std::min(v.size(), i + 128)));
            long long tokens = 0;
            for (auto* p : b) tokens += long(p->tgt.size()) + 1;
            sum += double(seq2seqLoss(m, b, 1.0f, rng).item()) * double(tokens);
            n += tokens;
        }
    return n ? float(sum / double(n)) : 0.0f;
}

Seq2SeqTrainResult trainSeq2Seq(Seq2Seq& m, const ZhEnCorpus& c, const Seq2SeqTrainOptions& o,
                                const std::function<void(const TrainProgress&)>& onStep,
                                const std::atomic<bool>* stop) {
    if (c.train.empty()) throw Error("seq2seq training: empty training set");
    Rng rng(o.seed ^ 0x5eed5eedULL);
    // Batches of one source length.
    PairBatches batches(c.train, o.batch, rng, [](const ZhEnPair& p) { return PairBatches::Key{p.src.size(), 0}; });
    Seq2SeqTrainResult res;
    Adam opt(m.parameters(), o.lr, 0.9f, 0.999f, 1e-8f, 0.0f);
    const TrainConfig cfg = trainConfig(o.steps, o.lr, o.warmup, o.evalEvery, o.clip);
    TrainHooks hooks;
    hooks.batchLoss = [&](int step) {
        const float eps = teacherForcingProb(o.schedule, o.k, o.minProb, step);
        return seq2seqLoss(m, batches.next(), eps, rng);
    };
    if (!c.valid.empty()) hooks.validationLoss = [&]() { return seq2seqEvalLoss(m, c.valid, 400); };
    hooks.onStep = [&](const TrainProgress& p) {
        res.lossCurve.push_back(p.trainLoss);
        if (onStep) onStep(p);
    };
    res.train = train(opt, cfg, hooks, stop);
    return res;
}

TranslationEval evaluateTranslator(const Seq2Seq& m, const std::vector<ZhEnPair>& pairs, int maxLen) {
    TranslationEval ev;
    std::vector<long long> tfWrong, frWrong, count;
    long long exact = 0, aligned = 0, agree = 0, after = 0, afterFr = 0, afterTf = 0;
    for (const ZhEnPair& p : pairs) {
        const Tokens src = translatorIds(m.srcTokenizer(), p.src);
        Tokens gold = translatorIds(m.tgtTokenizer(), p.tgt);
        gold.push_back(m.eos());
        const Translation tr = translateGreedy(m, src, maxLen);
        const Tokens goldIn(gold.begin(), gold.end() - 1);
        const Mat tfLogits = teacherForcedLogits(m, src, goldIn);
        if (tfWrong.size() < gold.size()) {
            tfWrong.resize(gold.size());
            frWrong.resize(gold.size());
            count.resize(gold.size());
        }
        int firstMistake = -1;
        for (size_t t = 0; t < gold.size(); ++t) {
            Index best;
            tfLogits.row(Index(t)).maxCoeff(&best);
            const bool tfBad = int(best) != gold[t];
            const bool frBad = t >= tr.tokens.size() || tr.tokens[t] != gold[t];
            tfWrong[t] += tfBad;
            frWrong[t] += frBad;
            ++count[t];
            if (firstMistake >= 0) {
                ++after;
                afterFr += frBad;
                afterTf += tfBad;
            } else if (frBad) {
                firstMistake = int(t);
            }
        }
        if (tr.tokens == gold) {
            ++exact;
            for (size_t t = 0; t < p.tgt.size(); ++t) {
                if (p.align[t].empty()) continue;
                ++aligned;
                Index best;
                tr.attention.row(Index(t)).maxCoeff(&best);
                if (std::find(p.align[t].begin(), p.align[t].end(), int(best)) != p.align[t].end()) ++agree;
            }
        }
    }
    ev.sentences = int(pairs.size());
    ev.exactMatch = pairs.empty() ? 0 : double(exact) / double(pairs.size());
    ev.alignedWords = int(aligned);
    ev.alignmentAgreement = aligned ? double(agree) / double(aligned) : 0;
    for (size_t t = 0; t < count.size(); ++t) {
        ev.positionCount.push_back(int(count[t]));
        ev.tfError.push_back(count[t] ? double(tfWrong[t]) / double(count[t]) : 0);
        ev.frError.push_back(count[t] ? double(frWrong[t]) / double(count[t]) : 0);
    }
    ev.positionsAfterFirstMistake = int(after);
    ev.frErrorAfterFirstMistake = after ? double(afterFr) / double(after) : 0;
    ev.tfErrorAfterFirstMistake = after ? double(afterTf) / double(after) : 0;
    return ev;
}

}  // namespace ar
