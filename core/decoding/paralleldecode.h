#pragma once
// Decoding the NatTranslator (core/models/nat.h) in parallel, iteratively, or block by block. One model, three
// ways to spend sequential decoder passes:
//
//   nat           one pass: the decoder reads T position queries ([MASK] everywhere), every word is the argmax
//                 of its own position. Positions do not see each other's choices ("I I love apples").
//   mask-predict  (Ghazvininejad et al. 2019) pass 1 = the nat pass; then for t = 1 .. K-1: re-mask the
//                 n = floor(T (K - t) / K) least confident words, predict them again from the others, and keep the
//                 new words with their new confidences (the others keep theirs). K passes.
//   semi          (semi-autoregressive) left to right in blocks of k words: pass b reads the words of blocks < b
//                 and [MASK] after them and fixes block b. ceil(T / k) passes; k = 1 is autoregressive, k = T nat.
//
// T is the argmax of the length classifier unless ParallelOptions::length says otherwise. Confidence = the
// model probability of the chosen word at its position ([MASK] itself is never chosen).
// `forced` (position -> word) overrides the model's choice at a position whenever that position is predicted,
// as if the model had chosen it: with it, a test perturbs one position's output and watches the others.
#include "core/models/nat.h"

#include <map>
#include <string>
#include <vector>

namespace ar {

enum class ParallelMode { Nat, MaskPredict, Semi };
std::string parallelModeName(ParallelMode m);            // "nat" | "mask-predict" | "semi"
ParallelMode parseParallelMode(const std::string& s);    // throws ar::Error naming the choices

struct ParallelOptions {
    ParallelMode mode = ParallelMode::Nat;
    int iterations = 4;          // K for mask-predict, >= 1
    int block = 2;               // k for semi, >= 1
    int length = 0;              // 0: predicted by the length classifier; else 1..maxLen
    std::map<int, int> forced;   // position -> target id
    void validate(int maxLen) const;  // throws ar::Error with the specific problem
};

// One decoder pass. masked[i] = position i was [MASK] in the pass's input (it was predicted in this pass);
// tokens = the sentence after the pass ([MASK] = 0 where nothing has been decided yet); confidence 0 there.
struct ParallelIteration {
    Tokens tokens;
    std::vector<float> confidence;
    std::vector<bool> masked;
};

struct ParallelTranslation {
    Tokens tokens;                            // the final words (no [MASK])
    std::vector<ParallelIteration> iterations;
    int passes = 0;                           // sequential decoder passes run
    int length = 0;                           // T
    std::vector<float> lengthProbs;           // P(length = n) at index n-1
};

ParallelTranslation translateParallel(const NatTranslator& model, const Tokens& src, const ParallelOptions& options);

// The share of adjacent equal words in a sentence's output ("I I love" has 1 of 2 adjacent pairs repeated).
bool hasRepeatedWord(const Tokens& tokens);

}  // namespace ar
