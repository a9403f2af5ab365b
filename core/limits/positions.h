#pragma once
// Positions and the context limit: what the position encodings look like and what a model does at and past its
// context.
//   sinusoidalEncoding(T, C)  PE(p, 2i) = sin(p / 10000^(2i/C)), PE(p, 2i+1) = cos(p / 10000^(2i/C))  (Vaswani 2017)
//   similarity(E)             (T, T) dot products of the rows: how alike two positions look to the model
//   ropeScores(q, k, d)       q rotated to position m + d against k rotated to position m: the score depends on
//                             the distance d only (the same for every m)
//   nllByPosition             mean NLL of the token at each position of long text: inside the context, and past
//                             it with a sliding window (the last T tokens re-fed from position 0); a learned-
//                             position model without the window stops hard at T.
//
// Legend: T positions, C width, D head width, d distance.
#include "core/models/languagemodel.h"
#include "core/nn/embedding.h"

#include <vector>

namespace ar {

using nn::sinusoidalEncoding;          // (T, C), C even (core/nn/embedding.h: the table TinyGPT adds)
Mat similarity(const Mat& rows);       // (T, T) = rows rows^T

// Scores q . k after rotating q to position m + d and k to position m, for d = 0..maxDistance (m fixed), and
// the rotation angle of feature pair 0 (the fastest) at each distance.
struct RopeCurve {
    std::vector<double> score;   // maxDistance + 1
    std::vector<double> angle0;  // radians, pair 0
};
RopeCurve ropeScores(const RowVec& q, const RowVec& k, int m, int maxDistance);

// Mean NLL (nats) of the token at each position 0..positions-1 of `stream`, over `windows` starting points
// spaced through the stream. Positions past the model's context use a sliding window of its last
// contextLength() tokens. Throws when the stream is too short.
std::vector<double> nllByPosition(const LanguageModel& model, const Tokens& stream, int positions, int windows);

}  // namespace ar
