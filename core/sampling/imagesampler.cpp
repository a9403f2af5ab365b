#include "core/sampling/imagesampler.h"

#include "core/error.h"

#include <cmath>
#include <numbers>

namespace ar {

ImageSampler::ImageSampler(std::shared_ptr<const ImageModel> model, uint64_t seed, SampleOptions options)
    : m_model(std::move(model)), m_seed(seed), m_opt(std::move(options)), m_order(m_model->order()) {
    if (!(m_opt.temperature > 0.0f) || !std::isfinite(m_opt.temperature))
        throw Error("temperature must be a positive number");
    if (!m_opt.given.empty() && int(m_opt.given.size()) != m_model->pixels())
        throw Error("the given pixels cover " + std::to_string(m_opt.given.size()) + " pixels, the model draws " +
                    std::to_string(m_model->pixels()));
    if (m_model->numClasses() > 0 && (m_opt.label < 0 || m_opt.label >= m_model->numClasses()))
        throw Error("this model is class-conditional: choose a label in 0-" + std::to_string(m_model->numClasses() - 1));
    reset();
}

void ImageSampler::reset() {
    m_state = m_opt.incremental ? m_model->newState(m_opt.label) : newNaiveState(*m_model, m_opt.label);
    m_rng.reseed(m_seed);
    m_rngHistory.clear();
    m_draws.clear();
    m_image.assign(size_t(m_model->pixels()), 0);
}

const PixelDraw& ImageSampler::step() {
    if (done()) throw Error("the image is complete");
    const int s = position();
    const int idx = m_order[size_t(s)];
    const float logit = m_state->logit(s);
    const float p = 1.0f / (1.0f + std::exp(-logit / m_opt.temperature));
    m_rngHistory.push_back(m_rng);
    PixelDraw d;
    d.index = idx;
    d.p = p;
    const int8_t g = m_opt.given.empty() ? int8_t(-1) : m_opt.given[size_t(idx)];
    if (g >= 0) {
        d.value = g ? 1 : 0;
        d.given = true;
    } else {
        d.value = m_rng.uniform() < double(p) ? 1 : 0;
    }
    m_state->set(s, float(d.value));
    m_image[size_t(idx)] = uint8_t(d.value);
    m_draws.push_back(d);
    return m_draws.back();
}

float ImageSampler::nextProbability() {
    if (done()) return -1.0f;
    const float logit = m_state->logit(position());
    return 1.0f / (1.0f + std::exp(-logit / m_opt.temperature));
}

void ImageSampler::back() {
    if (m_draws.empty()) return;
    const int s = position() - 1;
    m_image[size_t(m_draws.back().index)] = 0;
    m_draws.pop_back();
    m_rng = m_rngHistory.back();
    m_rngHistory.pop_back();
    m_state->rewind(s);
}

double ImageSampler::logProb() const {
    double lp = 0;
    for (const PixelDraw& d : m_draws) lp += std::log(std::max(1e-30, double(d.value ? d.p : 1.0f - d.p)));
    return lp;
}

ImageSample sampleImage(std::shared_ptr<const ImageModel> model, uint64_t seed, const SampleOptions& options) {
    ImageSampler s(std::move(model), seed, options);
    while (!s.done()) s.step();
    return {s.image(), s.draws(), s.logProb()};
}

std::vector<float> pixelProbabilities(const ImageModel& model, const std::vector<uint8_t>& image, int label) {
    if (int(image.size()) != model.pixels())
        throw Error("image has " + std::to_string(image.size()) + " pixels, the model expects " +
                    std::to_string(model.pixels()) + " (" + std::to_string(model.height()) + "x" +
                    std::to_string(model.width()) + ")");
    Mat x(1, model.pixels());
    for (size_t i = 0; i < image.size(); ++i) x(0, Index(i)) = image[i] ? 1.0f : 0.0f;
    NoGradGuard ng;
    std::vector<int> labels;
    if (model.numClasses() > 0) labels = {label};
    const Mat logits = model.logits(Var(x), labels).value();
    std::vector<float> p(image.size());
    for (size_t i = 0; i < p.size(); ++i) p[i] = 1.0f / (1.0f + std::exp(-logits(0, Index(i))));
    return p;
}

std::vector<float> receptiveField(const ImageModel& model, const std::vector<uint8_t>& image, int pixelIndex,
                                  int label) {
    if (int(image.size()) != model.pixels()) throw Error("receptiveField: image size does not match the model");
    if (pixelIndex < 0 || pixelIndex >= model.pixels()) throw Error("receptiveField: pixel index out of range");
    Mat x(1, model.pixels());
    for (size_t i = 0; i < image.size(); ++i) x(0, Index(i)) = image[i] ? 1.0f : 0.0f;
    Var input = Var::param(std::move(x));
    std::vector<int> labels;
    if (model.numClasses() > 0) labels = {label};
    const Var z = model.logits(input, labels);
    backward(ops::sliceCols(z, pixelIndex, 1));
    std::vector<float> g(image.size());
    for (size_t i = 0; i < g.size(); ++i) g[i] = std::abs(input.grad()(0, Index(i)));
    // the model's parameters also received gradients: drop them so nothing leaks into a later training step
    for (auto& p : model.params()) p.var.zeroGrad();
    return g;
}

Likelihood negLogLikelihood(const ImageModel& model, const Mat& images, const std::vector<int>& labels, int batch) {
    if (images.cols() != model.pixels()) throw Error("negLogLikelihood: image size does not match the model");
    NoGradGuard ng;
    double total = 0;
    for (Index start = 0; start < images.rows(); start += batch) {
        const Index n = std::min<Index>(batch, images.rows() - start);
        std::vector<int> lb;
        if (model.numClasses() > 0) lb.assign(labels.begin() + start, labels.begin() + start + n);
        const Mat z = model.logits(Var(Mat(images.middleRows(start, n))), lb).value();
        // -log p(x) = softplus(z) - x*z, computed stably
        for (Index i = 0; i < z.size(); ++i) {
            const double zi = z.data()[i], xi = images.middleRows(start, n).data()[i];
            total += std::max(zi, 0.0) + std::log1p(std::exp(-std::abs(zi))) - xi * zi;
        }
    }
    Likelihood l;
    l.natsPerImage = images.rows() ? total / double(images.rows()) : 0.0;
    l.bitsPerDim = l.natsPerImage / (double(model.pixels()) * std::numbers::ln2);
    return l;
}

}  // namespace ar
