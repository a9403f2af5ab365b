#pragma once
// The toy language: a small probabilistic finite-state grammar whose every probability is known, so a
// trained model can be compared with the truth.
//
//   "the small cat sees a dog ."   "some foxes sleep today ."   "a bird chases the red cats with some dogs ."
//
// Subject-verb number agreement ("a" forces a singular noun, "some" a plural one, the noun's number picks
// "sees" or "see") gives the model a dependency that reaches back over adjectives.
//
// The automaton is deterministic: the state after a prefix is a function of the prefix, so the exact
// next-token distribution P(x_t | x_<t) is a table lookup.
// Stream and boundary convention: text is a stream of sentences, each ending with "." . The token "." is
// also the BOS: a sequence starts with "." (nothing said yet), and after every "." the automaton is back in
// its start state. A prefix may start with that BOS "." or not; either way it is read from the start
// state. Sentences are independent, so the entropy rate of the stream (nats per token, "." included) is
//   H = E[entropy of one sentence] / E[tokens in one sentence],
// both solved exactly from the automaton (a small linear system).
#include "core/data/tokenizer.h"
#include "core/random.h"

#include <span>
#include <string>
#include <vector>

namespace ar {

class ToyGrammar {
public:
    struct Arc {
        int word;     // index into words()
        double p;     // probability of emitting it in this state
        int next;     // state after it; -1 = the sentence ended (back to the start state)
    };

    ToyGrammar();  // the built-in grammar

    static constexpr const char* kBoundary = ".";
    const std::vector<std::string>& words() const { return m_words; }  // "." first
    int stateCount() const { return int(m_arcs.size()); }
    const std::vector<Arc>& arcs(int state) const { return m_arcs.at(size_t(state)); }
    std::string stateName(int state) const { return m_names.at(size_t(state)); }

    // Word-level tokenizer over exactly this language's words ("." is id 0 and serves as BOS and EOS).
    Tokenizer tokenizer() const;

    // One sentence as words, "." last.
    std::vector<std::string> sampleSentence(Rng& rng) const;
    // `sentences` sentences, words separated by spaces, one sentence per line.
    std::string sample(Rng& rng, int sentences) const;

    // State after reading prefix (token ids of `tok`) from the start state; a leading "." is the BOS and is
    // skipped. Returns -1 when the prefix is impossible in the language (or holds a token that is not one
    // of its words).
    int stateAfter(std::span<const int> prefix, const Tokenizer& tok) const;
    // Exact P(next | prefix) over tok's vocabulary (sums to 1; tokens that are not words of the language
    // get 0). Throws ar::Error naming the first impossible word when the prefix cannot occur, or when a
    // word the language can emit next is missing from tok.
    std::vector<double> nextDistribution(std::span<const int> prefix, const Tokenizer& tok) const;

    double entropyRate() const { return m_entropyRate; }            // nats per token
    double sentenceEntropy() const { return m_sentenceEntropy; }    // nats per sentence
    double meanSentenceLength() const { return m_meanLength; }      // tokens per sentence, "." included

    // KL(truth || model) in nats, model given as logits over the same vocabulary (softmax taken here).
    static double klDivergence(std::span<const double> truth, std::span<const float> modelLogits);

private:
    int addWord(const std::string& w);
    int addState(const std::string& name);
    void solve();

    std::vector<std::string> m_words;
    std::vector<std::vector<Arc>> m_arcs;  // per state
    std::vector<std::string> m_names;      // per state, for messages
    double m_entropyRate = 0, m_sentenceEntropy = 0, m_meanLength = 0;
};

}  // namespace ar
