#include "core/training/imagetrain.h"

#include "core/error.h"
#include "core/models/made.h"
#include "core/sampling/imagesampler.h"

namespace ar {

TrainResult trainImageModel(ImageModel& model, const ImageSet& data, const ImageSet& val, const ImageTrainOptions& opt,
                            const std::function<void(const TrainProgress&)>& onStep, const std::atomic<bool>* stop) {
    if (data.count() == 0) throw Error("training set is empty");
    if (data.images.cols() != model.pixels()) throw Error("training images do not match the model's size");
    Adam adam(model.params(), opt.train.lr);
    Rng rng(opt.seed);
    std::vector<int> perm(size_t(data.count()));
    for (size_t i = 0; i < perm.size(); ++i) perm[i] = int(i);
    rng.shuffle(perm);
    size_t cursor = 0;
    Made* made = dynamic_cast<Made*>(&model);
    const int maskSets = made ? made->config().masks : 1;
    const int batch = std::min(opt.batch, data.count());
    Mat valImages = val.images.topRows(std::min<Index>(opt.evalImages, val.images.rows()));
    std::vector<int> valLabels(val.labels.begin(), val.labels.begin() + valImages.rows());

    TrainHooks hooks;
    hooks.batchLoss = [&](int) {
        Mat x(batch, model.pixels());
        std::vector<int> labels(static_cast<size_t>(batch));
        for (int b = 0; b < batch; ++b) {
            if (cursor == perm.size()) {
                rng.shuffle(perm);
                cursor = 0;
            }
            const int i = perm[cursor++];
            x.row(b) = data.images.row(i);
            labels[size_t(b)] = data.labels[size_t(i)];
        }
        if (made && maskSets > 1) made->setMaskSet(int(rng.below(uint64_t(maskSets))));
        if (model.numClasses() == 0) labels.clear();
        return ops::bceWithLogits(model.logits(Var(x), labels), x);
    };
    if (valImages.rows() > 0)
        hooks.validationLoss = [&]() {
            if (made && maskSets > 1) made->setMaskSet(0);
            return float(negLogLikelihood(model, valImages, valLabels).natsPerImage / model.pixels());
        };
    hooks.onStep = onStep;
    TrainResult r = train(adam, opt.train, hooks, stop);
    if (made) made->setMaskSet(0);
    return r;
}

}  // namespace ar
