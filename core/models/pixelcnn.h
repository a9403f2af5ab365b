#pragma once
// PixelCNN (van den Oord et al., 2016, "Pixel Recurrent Neural Networks", section 3.5) for binary images.
//
//   x (B*P, 1) -> conv_in: 7x7 mask A (never sees the pixel itself)            -> a0 (B*P, C)
//   for l in 1..L:  a_l = a_{l-1} + layers[l-1]( relu(a_{l-1}) )   3x3 mask B    (B*P, C)
//   head: relu -> 1x1 (C -> C) -> relu -> 1x1 (C -> 1) = Bernoulli logit per pixel (B*P, 1)
// Optional class-conditional mode: a learned per-class vector is added to a0. A learned per-position vector
// (like GPT's position embedding) is also added to a0: without it the translation-equivariant convolutions do
// not know WHERE in the image an empty neighbourhood is, and samples rarely start a digit.
//
// Stacking masked convolutions leaves a BLIND SPOT: mask B only reaches one column to the right per row
// above, so pixels up and to the right of the current one are never seen (the gated variant fixes that).
//
// Incremental sampling (newState): every layer's activation at a position q depends only on input pixels
// before q in raster order, so once the pixels before q are fixed it never changes again. The state computes
// each (layer, position) activation once, lazily, when the next pixel needs it: a whole sample costs about
// one forward pass instead of P of them.
//
//   B batch  P = H*W pixels  C channels  L residual layers
#include "core/models/pixelcnnmodel.h"
#include "core/nn/linear.h"
#include "core/nn/maskedconv.h"

namespace ar {


class PixelCnn : public PixelCnnModel<PixelCnn> {
public:
    PixelCnn(const PixelCnnConfig& cfg, Rng& rng);
    std::string kind() const override { return "pixelcnn"; }
    Var logits(const Var& images, const std::vector<int>& labels = {}) const override;
    std::unique_ptr<ImageState> newState(int label = -1) const override;
    ParamList params() const override;
    static PixelCnnConfig parseConfig(const std::string& json);

private:
    friend class PixelCnnState;
    nn::MaskedConv2d m_convIn;             // 1 -> C, mask A
    std::vector<nn::MaskedConv2d> m_layers;  // L x (C -> C, mask B)
    nn::Linear m_head1, m_head2;           // C -> C, C -> 1
    Var m_classEmb;                        // (classes, C) when class-conditional
    Var m_posEmb;                          // (P, C) when positions
};

}  // namespace ar
