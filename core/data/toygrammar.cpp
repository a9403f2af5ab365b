#include "core/data/toygrammar.h"

#include "core/error.h"

#include <cmath>
#include <functional>

namespace ar {

namespace {
struct WordP {
    const char* word;
    double p;
};
// Word lists with their relative weights (each list sums to 1).
const std::vector<WordP> kAdjectives = {{"small", 0.3}, {"big", 0.25}, {"red", 0.2}, {"tall", 0.15}, {"happy", 0.1}};
const std::vector<WordP> kNounsSg = {{"cat", 0.3}, {"dog", 0.25}, {"bird", 0.2}, {"fox", 0.15}, {"child", 0.1}};
const std::vector<WordP> kNounsPl = {{"cats", 0.3}, {"dogs", 0.25}, {"birds", 0.2}, {"foxes", 0.15}, {"children", 0.1}};
const std::vector<WordP> kTransSg = {{"sees", 0.5}, {"likes", 0.3}, {"chases", 0.2}};
const std::vector<WordP> kTransPl = {{"see", 0.5}, {"like", 0.3}, {"chase", 0.2}};
const std::vector<WordP> kIntransSg = {{"sleeps", 0.6}, {"runs", 0.4}};
const std::vector<WordP> kIntransPl = {{"sleep", 0.6}, {"run", 0.4}};
enum Number { Any = 0, Sg = 1, Pl = 2 };
const char* kNumberName[] = {"any", "sg", "pl"};
}  // namespace

int ToyGrammar::addWord(const std::string& w) {
    for (size_t i = 0; i < m_words.size(); ++i)
        if (m_words[i] == w) return int(i);
    m_words.push_back(w);
    return int(m_words.size() - 1);
}

int ToyGrammar::addState(const std::string& name) {
    m_arcs.emplace_back();
    m_names.push_back(name);
    return int(m_arcs.size() - 1);
}

ToyGrammar::ToyGrammar() {
    addWord(kBoundary);  // id 0
    const int start = addState("sentence start");  // state 0
    auto arc = [&](int from, const std::string& w, double p, int next) { m_arcs[size_t(from)].push_back({addWord(w), p, next}); };
    auto arcs = [&](int from, const std::vector<WordP>& list, double total, int next) {
        for (const auto& wp : list) arc(from, wp.word, total * wp.p, next);
    };

    // A noun phrase: determiner, up to two adjectives, noun. `after(number)` is the state after the noun.
    // Returns the state that expects the determiner.
    auto nounPhrase = [&](const std::string& role, const std::function<int(Number)>& after) {
        const int detState = addState(role + ": determiner");
        for (int n : {Any, Sg, Pl}) {
            const std::string tag = role + " (" + kNumberName[n] + ")";
            const int det = addState(tag + ": after determiner");
            const int adj1 = addState(tag + ": after one adjective");
            const int adj2 = addState(tag + ": after two adjectives");
            arc(detState, n == Any ? "the" : n == Sg ? "a" : "some", n == Any ? 0.5 : 0.25, det);
            auto nouns = [&](int from, double total) {
                if (n == Any) {
                    arcs(from, kNounsSg, total * 0.5, after(Sg));
                    arcs(from, kNounsPl, total * 0.5, after(Pl));
                } else {
                    arcs(from, n == Sg ? kNounsSg : kNounsPl, total, after(Number(n)));
                }
            };
            arcs(det, kAdjectives, 0.3, adj1);
            nouns(det, 0.7);
            arcs(adj1, kAdjectives, 0.15, adj2);
            nouns(adj1, 0.85);
            nouns(adj2, 1.0);
        }
        return detState;
    };

    // Subject -> verb phrase (number agreement) -> object [with a prepositional phrase] or adverb -> "."
    const int ppEnd = addState("after the prepositional phrase");
    arc(ppEnd, kBoundary, 1.0, -1);
    const int pp = nounPhrase("prepositional object", [&](Number) { return ppEnd; });
    const int objEnd = addState("after the object");
    arc(objEnd, kBoundary, 0.7, -1);
    arc(objEnd, "with", 0.3, pp);
    const int obj = nounPhrase("object", [&](Number) { return objEnd; });
    const int advEnd = addState("after the adverb");
    arc(advEnd, kBoundary, 1.0, -1);
    const int intrEnd = addState("after an intransitive verb");
    arc(intrEnd, kBoundary, 0.7, -1);
    arc(intrEnd, "quickly", 0.15, advEnd);
    arc(intrEnd, "today", 0.15, advEnd);
    int vp[3] = {-1, -1, -1};
    for (int n : {Sg, Pl}) {
        vp[n] = addState(std::string("verb (") + kNumberName[n] + " subject)");
        arcs(vp[n], n == Sg ? kTransSg : kTransPl, 0.6, obj);
        arcs(vp[n], n == Sg ? kIntransSg : kIntransPl, 0.4, intrEnd);
    }
    const int subj = nounPhrase("subject", [&](Number n) { return vp[n]; });
    // The start state emits the subject's determiner: copy that state's arcs.
    m_arcs[size_t(start)] = m_arcs[size_t(subj)];
    solve();
}

void ToyGrammar::solve() {
    // h(s) = H(arcs of s) + sum_a p_a h(next_a),  len(s) = 1 + sum_a p_a len(next_a),  h(-1) = len(-1) = 0.
    const int S = stateCount();
    Eigen::MatrixXd A = Eigen::MatrixXd::Identity(S, S);
    Eigen::VectorXd hLocal = Eigen::VectorXd::Zero(S), ones = Eigen::VectorXd::Ones(S);
    for (int s = 0; s < S; ++s) {
        double total = 0;
        for (const Arc& a : m_arcs[size_t(s)]) {
            total += a.p;
            if (a.p > 0) hLocal(s) -= a.p * std::log(a.p);
            if (a.next >= 0) A(s, a.next) -= a.p;
        }
        if (!m_arcs[size_t(s)].empty() && std::abs(total - 1.0) > 1e-12)
            throw Error("toy grammar: state '" + m_names[size_t(s)] + "' has probabilities summing to " + std::to_string(total));
    }
    Eigen::PartialPivLU<Eigen::MatrixXd> lu(A);
    const Eigen::VectorXd h = lu.solve(hLocal), len = lu.solve(ones);
    m_sentenceEntropy = h(0);
    m_meanLength = len(0);
    m_entropyRate = m_sentenceEntropy / m_meanLength;
}

Tokenizer ToyGrammar::tokenizer() const { return Tokenizer(Tokenizer::Kind::Word, m_words); }

std::vector<std::string> ToyGrammar::sampleSentence(Rng& rng) const {
    std::vector<std::string> out;
    int s = 0;
    std::vector<double> w;
    while (s >= 0) {
        const auto& as = m_arcs[size_t(s)];
        w.clear();
        for (const Arc& a : as) w.push_back(a.p);
        const Arc& a = as[size_t(rng.categorical(std::span<const double>(w)))];
        out.push_back(m_words[size_t(a.word)]);
        s = a.next;
    }
    return out;
}

std::string ToyGrammar::sample(Rng& rng, int sentences) const {
    std::string text;
    for (int i = 0; i < sentences; ++i) {
        const auto words = sampleSentence(rng);
        for (size_t k = 0; k < words.size(); ++k) {
            text += words[k];
            text += k + 1 < words.size() ? ' ' : '\n';
        }
    }
    return text;
}

namespace {
// Finds the arc for word w in state s; nullptr when the word cannot follow.
const ToyGrammar::Arc* findArc(const std::vector<ToyGrammar::Arc>& arcs, int w) {
    for (const auto& a : arcs)
        if (a.word == w) return &a;
    return nullptr;
}
}  // namespace

int ToyGrammar::stateAfter(std::span<const int> prefix, const Tokenizer& tok) const {
    int s = 0;
    for (size_t i = 0; i < prefix.size(); ++i) {
        const int id = prefix[i];
        if (id < 0 || id >= tok.size()) return -1;
        const std::string& word = tok.token(id);
        if (i == 0 && word == kBoundary) continue;  // the BOS
        int w = -1;
        for (size_t k = 0; k < m_words.size(); ++k)
            if (m_words[k] == word) w = int(k);
        const Arc* a = w >= 0 ? findArc(m_arcs[size_t(s)], w) : nullptr;
        if (!a) return -1;
        s = a->next < 0 ? 0 : a->next;
    }
    return s;
}

std::vector<double> ToyGrammar::nextDistribution(std::span<const int> prefix, const Tokenizer& tok) const {
    const int s = stateAfter(prefix, tok);
    if (s < 0) {
        // Name the first word that cannot occur.
        for (size_t n = 1; n <= prefix.size(); ++n)
            if (stateAfter(prefix.first(n), tok) < 0) {
                const int id = prefix[n - 1];
                const std::string word = id >= 0 && id < tok.size() ? tok.token(id) : "#" + std::to_string(id);
                throw Error("the toy language cannot produce '" + word + "' at word " + std::to_string(n) +
                            (n > 1 ? " (state: " + m_names[size_t(stateAfter(prefix.first(n - 1), tok))] + ")" : ""));
            }
    }
    std::vector<double> p(size_t(tok.size()), 0.0);
    for (const Arc& a : m_arcs[size_t(s)]) {
        const int id = tok.id(m_words[size_t(a.word)]);
        if (id < 0) throw Error("the model's vocabulary lacks the toy-language word '" + m_words[size_t(a.word)] + "'");
        p[size_t(id)] += a.p;
    }
    return p;
}

double ToyGrammar::klDivergence(std::span<const double> truth, std::span<const float> logits) {
    if (truth.size() != logits.size()) throw Error("KL: the distributions have different sizes");
    double m = -INFINITY;
    for (float l : logits) m = std::max(m, double(l));
    double z = 0;
    for (float l : logits) z += std::exp(double(l) - m);
    const double logZ = m + std::log(z);
    double kl = 0;
    for (size_t i = 0; i < truth.size(); ++i)
        if (truth[i] > 0) kl += truth[i] * (std::log(truth[i]) - (double(logits[i]) - logZ));
    return kl;
}

}  // namespace ar
