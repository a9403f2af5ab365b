#pragma once
// Hyperparameters of both PixelCNNs (plain: core/models/pixelcnn.h, gated: core/models/gatedpixelcnn.h),
// stored in a model file as "arlab.config" JSON.
#include <string>

namespace ar {

struct PixelCnnConfig {
    int height = 28, width = 28;
    int channels = 16;    // C
    int layers = 5;       // L: residual 3x3 mask-B layers (plain) or gated layers, the first with firstKernel (gated)
    int firstKernel = 7;
    int kernel = 3;
    int classes = 0;      // > 0: class-conditional
    bool positions = true;  // a learned per-pixel vector added to the first layer: convolutions alone cannot tell
                            // where in the image they are (files without the key have none)
};
using GatedPixelCnnConfig = PixelCnnConfig;

std::string pixelCnnConfigJson(const PixelCnnConfig& c);
// Defaults for missing keys (positions: false, files before positions existed have none); unknown keys, wrong
// types and values outside the limits (core/models/configlimits.h) are refused naming the key.
PixelCnnConfig parsePixelCnnConfig(const std::string& json, bool gated = false);

}  // namespace ar
