#pragma once
// The common interface of arlab's autoregressive image models (PixelCNN, Gated PixelCNN, MADE).
//
// An image is P = H*W binary pixels. The model fixes an order (raster for PixelCNN, MADE's own ordering) and
// gives for every pixel the Bernoulli logit of P(pixel = 1 | pixels before it in that order).
//   - logits(): the whole image at once (training, scoring, the naive sampler, receptive-field gradients).
//   - newState(): an incremental evaluator for sampling one pixel after another. It reuses earlier work and
//     must agree with logits() (tests check: same probabilities within 1e-5).
//
//   B batch   P pixels per image (H*W)
#include "core/autograd/ops.h"
#include "core/io/safetensors.h"

#include <memory>
#include <string>
#include <vector>

namespace ar {

// Incremental evaluation for one image. Positions are steps in the model's order (0..P-1).
class ImageState {
public:
    virtual ~ImageState() = default;
    // Logit of pixel order[step] given the values set for order[0..step-1]. Call with step = 0, 1, 2, ...
    virtual float logit(int step) = 0;
    // Sets pixel order[step] (0 or 1). Steps are set in order.
    virtual void set(int step, float value) = 0;
    // Forgets the pixels at order positions >= step (for "Back"); later logit() calls see them unset.
    virtual void rewind(int step) = 0;
};

class ImageModel {
public:
    virtual ~ImageModel() = default;
    virtual std::string kind() const = 0;              // "pixelcnn" | "gatedpixelcnn" | "made"
    virtual int height() const = 0;
    virtual int width() const = 0;
    int pixels() const { return height() * width(); }
    virtual int numClasses() const { return 0; }       // > 0: class-conditional (labels required)
    virtual std::vector<int> order() const;            // pixel indices (y*W + x) in generation order
    // images (B, P) in {0,1} -> logits (B, P). labels: B class ids when class-conditional, else empty.
    virtual Var logits(const Var& images, const std::vector<int>& labels = {}) const = 0;
    virtual std::unique_ptr<ImageState> newState(int label = -1) const = 0;
    virtual ParamList params() const = 0;
    virtual std::string configJson() const = 0;        // "arlab.config"
    virtual std::unique_ptr<ImageModel> clone() const = 0;
    std::string provenance = "{}";                     // "arlab.provenance" JSON (kept when loaded from a file)
};

// The naive evaluator: recomputes logits() over the whole image for every pixel (reference for tests and
// the benchmark).
std::unique_ptr<ImageState> newNaiveState(const ImageModel& model, int label = -1);

// Files: metadata arlab.kind / arlab.config / arlab.provenance + the parameters.
SafeTensors toSafetensors(const ImageModel& model);
std::unique_ptr<ImageModel> loadImageModel(const SafeTensors& file, const std::string& label);
std::unique_ptr<ImageModel> loadImageModel(const std::string& path);
// A fresh (untrained) model of `kind` from its config JSON (defaults for missing keys).
std::unique_ptr<ImageModel> makeImageModel(const std::string& kind, const std::string& configJson, uint64_t seed);
bool isImageModelKind(const std::string& kind);

}  // namespace ar
