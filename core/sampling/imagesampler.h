#pragma once
// Drawing an image pixel by pixel in the model's order, and scoring an image.
//
// Each step: logit of the next pixel given the ones before it (ImageState), p = sigmoid(logit / temperature),
// draw value = (u < p) with one uniform u from the Rng. Pixels the user fixed ("given") are not drawn: they
// keep their value, consume no random number, and their probability is still recorded.
// ImageSampler is the step-by-step session the GUI drives (step, back, reset); sampleImage() runs it to the
// end. Incremental and naive evaluation draw the same image for the same seed.
//
//   P pixels per image
#include "core/models/imagemodel.h"
#include "core/random.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace ar {

struct PixelDraw {
    int index = 0;       // pixel index y*W + x
    float p = 0;         // P(pixel = 1 | earlier pixels), after temperature
    int value = 0;       // 0 or 1
    bool given = false;  // fixed by the user, not drawn
};

struct SampleOptions {
    float temperature = 1.0f;
    std::vector<int8_t> given;  // empty, or P entries: -1 = sample, 0/1 = fixed value
    int label = -1;             // class for class-conditional models
    bool incremental = true;    // false: recompute the whole image per pixel (reference / benchmark)
};

class ImageSampler {
public:
    ImageSampler(std::shared_ptr<const ImageModel> model, uint64_t seed, SampleOptions options = {});
    int position() const { return int(m_draws.size()); }   // pixels done so far
    int total() const { return int(m_order.size()); }
    bool done() const { return position() >= total(); }
    const PixelDraw& step();                               // draws the next pixel; throws when done
    float nextProbability();                               // P(next pixel = 1) (after temperature), no draw
    int nextIndex() const { return done() ? -1 : m_order[size_t(position())]; }
    void back();                                           // undoes the last pixel (exactly: same draws again)
    void reset();                                          // back to an empty canvas, same seed
    const std::vector<PixelDraw>& draws() const { return m_draws; }
    const std::vector<uint8_t>& image() const { return m_image; }  // P values; undrawn pixels are 0
    const std::vector<int>& order() const { return m_order; }
    double logProb() const;                                // sum of log P(drawn value) over drawn pixels
    const ImageModel& model() const { return *m_model; }

private:
    std::shared_ptr<const ImageModel> m_model;
    uint64_t m_seed;
    SampleOptions m_opt;
    std::vector<int> m_order;
    std::unique_ptr<ImageState> m_state;
    Rng m_rng;
    std::vector<Rng> m_rngHistory;  // rng before each step (so back() replays exactly)
    std::vector<PixelDraw> m_draws;
    std::vector<uint8_t> m_image;
};

struct ImageSample {
    std::vector<uint8_t> image;     // P values in {0,1}
    std::vector<PixelDraw> draws;   // in the model's order
    double logProb = 0;
};
ImageSample sampleImage(std::shared_ptr<const ImageModel> model, uint64_t seed, const SampleOptions& options = {});

// Per-pixel P(pixel = 1 | pixels before it in the order) for a whole image (one forward pass), (P) values.
std::vector<float> pixelProbabilities(const ImageModel& model, const std::vector<uint8_t>& image, int label = -1);
// The receptive field MEASURED on the model: |d logit(pixelIndex) / d input(j)| for every pixel j, by one
// backward pass through the real network at `image` (P values). Zero where the output cannot depend on j.
std::vector<float> receptiveField(const ImageModel& model, const std::vector<uint8_t>& image, int pixelIndex,
                                  int label = -1);
// Negative log-likelihood of images (N, P) in nats per image (mean over images) and in bits per dimension.
struct Likelihood { double natsPerImage = 0; double bitsPerDim = 0; };
Likelihood negLogLikelihood(const ImageModel& model, const Mat& images, const std::vector<int>& labels = {},
                            int batch = 64);

}  // namespace ar
