#pragma once
// Logit lens (nostalgebraist 2020): read the next-token distribution straight from the residual stream after
// each layer, through the model's own head (final norm + unembedding). The last layer's lens is the model's
// output. A commitment strip says, for each token of a sequence, the first layer from which that token is
// the top-1 of the lens and stays top-1 up to the last layer.
//
// Models that have a residual stream (TinyGPT, GPT-2, Llama) implement ResidualStreamModel next to
// LanguageModel.
//
// Legend: T tokens, C width, V vocab, L layers (L+1 lens rows: the embedding, then after each layer).
#include "core/models/languagemodel.h"

#include <span>
#include <vector>

namespace ar {

class ResidualStreamModel {
public:
    virtual ~ResidualStreamModel() = default;
    // One full forward of `tokens`: the residual stream after the embedding and after each layer,
    // L+1 matrices (T, C).
    virtual std::vector<Mat> residualStream(std::span<const int> tokens) const = 0;
    // The model's head on residual rows: (N, C) -> logits (N, V).
    virtual Mat readout(const Mat& residual) const = 0;
};

// The model's ResidualStreamModel side, or nullptr.
const ResidualStreamModel* residualStreamOf(const LanguageModel& model);

struct LensEntry {
    int token = -1;
    float p = 0;
};

struct LensResult {
    Mat probs;                                  // (L+1, V): row l = softmax(readout(residual_l[position]))
    std::vector<std::vector<LensEntry>> top;    // per row: the k most probable tokens, most probable first
};

// The lens at one position of `tokens` (0-based; the distribution of the token after it). Throws ar::Error
// for a model without a residual stream or a position outside the tokens.
LensResult logitLens(const LanguageModel& model, std::span<const int> tokens, int position, int k = 5);

// For i = first .. T-1: the first layer l (0..L) such that tokens[i] is the top-1 of the lens at position i-1
// in every layer from l to L; -1 when tokens[i] is not the model's own top-1 (it was sampled, or forced).
std::vector<int> commitmentLayers(const LanguageModel& model, std::span<const int> tokens, int first);

// Both from one residual stream (L+1 x (T', C) for T' >= the rows read), so a view computes the forward once.
LensResult lensFromStream(const ResidualStreamModel& rs, const std::vector<Mat>& stream, int position, int k);
std::vector<int> commitmentFromStream(const ResidualStreamModel& rs, const std::vector<Mat>& stream,
                                      std::span<const int> tokens, int first);

}  // namespace ar
