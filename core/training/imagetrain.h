#pragma once
// Training an image model on binary images: loss = mean binary cross-entropy of the per-pixel logits
// (nats per pixel; x P = nats per image). MADE with several mask sets trains on a random set each step.
#include "core/data/digits.h"
#include "core/models/imagemodel.h"
#include "core/training/trainer.h"

namespace ar {

struct ImageTrainOptions {
    TrainConfig train;
    int batch = 32;
    uint64_t seed = 1;   // batch order (and MADE mask-set choice)
    int evalImages = 256;
};

// Trains `model` in place on `data`; validation loss (nats per pixel) on the first evalImages of `val`.
TrainResult trainImageModel(ImageModel& model, const ImageSet& data, const ImageSet& val, const ImageTrainOptions& opt,
                            const std::function<void(const TrainProgress&)>& onStep = {},
                            const std::atomic<bool>* stop = nullptr);

}  // namespace ar
