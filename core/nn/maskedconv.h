#pragma once
// Masked 2-D convolution for autoregressive image models (PixelCNN, Gated PixelCNN).
//
// Activations of a batch of images are kept as one matrix with a row per pixel: (B*H*W, C), rows ordered
// (image, y, x). A k x k kernel whose mask keeps only some positions is a list of "taps" (dy, dx): output
// pixel (y, x) reads input pixel (y+dy, x+dx) (zero outside the image). im2col gathers exactly the kept taps,
// so masked weights cost nothing and receive exactly zero gradient.
//
// The weight keeps PyTorch's Conv2d layout (Cout, Cin, k, k), stored here as (Cout, Cin*k*k); masked entries
// stay zero. For one pixel at a time (incremental sampling) convAt() evaluates a single output position.
//
//   B batch   H, W image height, width   N = B*H*W rows   Cin, Cout channels   T number of taps   k kernel size
#include "core/autograd/ops.h"

#include <string>
#include <vector>

namespace ar::nn {

// A:  rows above + pixels strictly left in the centre row (PixelCNN's first layer: never sees the pixel)
// B:  like A plus the centre (later layers)
// Vertical:    every row up to and including the centre row (Gated PixelCNN vertical stack)
// HorizontalA: centre row, strictly left;  HorizontalB: centre row, left and centre (horizontal stack)
enum class MaskType { A, B, Vertical, HorizontalA, HorizontalB };
MaskType maskTypeFromString(const std::string& s);
std::string toString(MaskType m);

struct Tap {
    int dy, dx;    // offset of the input pixel
    int kernel;    // index ky*k + kx in the k x k kernel
};
std::vector<Tap> maskTaps(MaskType mask, int k);

struct ImageShape {
    int batch = 1, height = 28, width = 28;
    Index rows() const { return Index(batch) * height * width; }
};

// x (N, Cin), weight (Cout, Cin*k*k), bias (1, Cout) or undefined -> (N, Cout).
Var maskedConv2d(const Var& x, const Var& weight, const Var& bias, int k, const std::vector<Tap>& taps,
                 ImageShape s);
// Row y of every image takes row y-1's values; row 0 gets zeros. x (N, C) -> (N, C).
Var shiftDown(const Var& x, ImageShape s);

// Compact weight for the kept taps only: (Cout, T*Cin), column t*Cin + ci.
Mat compactWeight(const Mat& weight, int cin, int k, const std::vector<Tap>& taps);

// One output pixel (y, x) of one image: in (H*W, Cin) activations, wc from compactWeight, bias may be null.
// Writes Cout values to out. `scratch` is reused between calls (T*Cin floats).
void convAt(const Mat& in, const Mat& wc, const float* bias, const std::vector<Tap>& taps, int height, int width,
            int y, int x, RowVec& scratch, float* out);

struct MaskedConv2d {
    Var weight;  // (Cout, Cin*k*k), file shape [Cout, Cin, k, k]; masked entries are zero
    Var bias;    // (1, Cout), file shape [Cout]
    int cin = 0, cout = 0, k = 1;
    MaskType mask = MaskType::B;
    std::vector<Tap> taps;

    MaskedConv2d() = default;
    MaskedConv2d(int cin, int cout, int k, MaskType mask, Rng& rng);
    Var forward(const Var& x, ImageShape s) const { return maskedConv2d(x, weight, bias, k, taps, s); }
    Mat compact() const { return compactWeight(weight.value(), cin, k, taps); }
    void collect(ParamList& out, const std::string& prefix) const;
};

}  // namespace ar::nn
