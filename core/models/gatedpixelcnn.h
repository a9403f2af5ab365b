#pragma once
// Gated PixelCNN (van den Oord et al., 2016, "Conditional Image Generation with PixelCNN Decoders"):
// two stacks remove PixelCNN's blind spot.
//   vertical stack   v: k x k mask "V" (all rows up to and including the current one) - sees everything above
//   horizontal stack h: 1 x k mask "HA"/"HB" (current row, left of / up to the pixel)
// The vertical stack feeds the horizontal one SHIFTED DOWN by one row, so the pixel only sees rows above it
// (through v) and pixels to its left (through h): the receptive field covers the whole causal past.
//
// Layer l (C channels, gate(z) = tanh(z[:, :C]) * sigmoid(z[:, C:])):
//   vpre = v_conv(v)                                       (B*P, 2C)
//   hpre = h_conv(h) + v_to_h(shiftDown(vpre))             (B*P, 2C)
//   v    = gate(vpre)                                      (B*P, C)
//   h    = h_out(gate(hpre)) (+ h, residual for l > 0)     (B*P, C)
// head: relu -> 1x1 (C -> C) -> relu -> 1x1 (C -> 1). Optional per-class bias added to vpre and hpre; a learned
// per-pixel position vector pos_embedding (P, 2C) is added to layer 0's vpre and hpre.
//
// Incremental sampling: the vertical stack of row r is computed once, when the first pixel of row r+1 is
// needed; the horizontal stack once per pixel. A sample costs about one forward pass.
#include "core/models/pixelcnnmodel.h"
#include "core/nn/linear.h"
#include "core/nn/maskedconv.h"

namespace ar {


class GatedPixelCnn : public PixelCnnModel<GatedPixelCnn> {
public:
    GatedPixelCnn(const GatedPixelCnnConfig& cfg, Rng& rng);
    std::string kind() const override { return "gatedpixelcnn"; }
    Var logits(const Var& images, const std::vector<int>& labels = {}) const override;
    std::unique_ptr<ImageState> newState(int label = -1) const override;
    ParamList params() const override;
    static GatedPixelCnnConfig parseConfig(const std::string& json);

private:
    friend class GatedPixelCnnState;
    struct Layer {
        nn::MaskedConv2d vConv;  // Cin -> 2C, mask V
        nn::MaskedConv2d hConv;  // Cin -> 2C, mask HA (l = 0) or HB
        nn::Linear vToH;         // 2C -> 2C
        nn::Linear hOut;         // C -> C
        Var classEmb;            // (classes, 2C) when class-conditional
    };
    std::vector<Layer> m_layers;
    nn::Linear m_head1, m_head2;
    Var m_posEmb;  // (P, 2C) when positions
};

}  // namespace ar
