#include "core/models/imagemodel.h"

#include "core/error.h"
#include "core/models/configlimits.h"
#include "core/models/gatedpixelcnn.h"
#include "core/models/made.h"
#include "core/models/pixelcnn.h"

#include <nlohmann/json.hpp>
#include <numeric>

namespace ar {

std::vector<int> ImageModel::order() const {
    std::vector<int> o(static_cast<size_t>(pixels()));
    std::iota(o.begin(), o.end(), 0);
    return o;
}

namespace {
// Recomputes the whole image for every pixel: the reference the incremental states are checked against.
class NaiveState : public ImageState {
public:
    NaiveState(const ImageModel& m, int label) : m_model(m), m_order(m.order()), m_image(Mat::Zero(1, m.pixels())) {
        if (m.numClasses() > 0) m_labels = {label};
    }
    float logit(int step) override {
        NoGradGuard ng;
        const Var out = m_model.logits(Var(m_image), m_labels);
        return out.value()(0, m_order[size_t(step)]);
    }
    void set(int step, float value) override { m_image(0, m_order[size_t(step)]) = value; }
    void rewind(int step) override {
        for (size_t s = size_t(step); s < m_order.size(); ++s) m_image(0, m_order[s]) = 0.0f;
    }

private:
    const ImageModel& m_model;
    std::vector<int> m_order;
    Mat m_image;  // (1, P)
    std::vector<int> m_labels;
};
}  // namespace

std::unique_ptr<ImageState> newNaiveState(const ImageModel& model, int label) {
    return std::make_unique<NaiveState>(model, label);
}

bool isImageModelKind(const std::string& kind) {
    return kind == "pixelcnn" || kind == "gatedpixelcnn" || kind == "made";
}

namespace {
// Rng::forLoading(): zero weights, read from a file next.
std::unique_ptr<ImageModel> buildImageModel(const std::string& kind, const std::string& configJson, Rng& rng) {
    try {
        if (kind == "pixelcnn") return std::make_unique<PixelCnn>(PixelCnn::parseConfig(configJson), rng);
        if (kind == "gatedpixelcnn") return std::make_unique<GatedPixelCnn>(GatedPixelCnn::parseConfig(configJson), rng);
        if (kind == "made") return std::make_unique<Made>(Made::parseConfig(configJson), rng);
    } catch (const nlohmann::json::exception& e) {
        throw Error(kind + ": bad configuration JSON: " + e.what());
    }
    throw Error("unknown image model kind '" + kind + "' (expected pixelcnn, gatedpixelcnn or made)");
}
}  // namespace

std::unique_ptr<ImageModel> makeImageModel(const std::string& kind, const std::string& configJson, uint64_t seed) {
    Rng rng(seed);
    return buildImageModel(kind, configJson, rng);
}

SafeTensors toSafetensors(const ImageModel& model) {
    return toSafetensors(model.params(), {{"arlab.kind", model.kind()},
                                          {"arlab.config", model.configJson()},
                                          {"arlab.provenance", model.provenance}});
}

std::unique_ptr<ImageModel> loadImageModel(const SafeTensors& file, const std::string& label) {
    auto it = file.metadata.find("arlab.kind");
    if (it == file.metadata.end()) throw Error(label + ": no 'arlab.kind' in the metadata; not an arlab model file");
    const std::string kind = it->second;
    if (!isImageModelKind(kind))
        throw Error(label + ": holds a '" + kind + "' model, not an image model (pixelcnn, gatedpixelcnn, made)");
    auto cfg = file.metadata.find("arlab.config");
    if (cfg == file.metadata.end()) throw Error(label + ": no 'arlab.config' in the metadata");
    std::unique_ptr<ImageModel> model;
    int64_t minParams = 0;
    try {
        const bool gated = kind == "gatedpixelcnn";
        minParams = kind == "made" ? minParameters(Made::parseConfig(cfg->second))
                                   : minParameters(parsePixelCnnConfig(cfg->second, gated), gated);
    } catch (const Error& e) {
        throw Error(label + ": " + e.what());
    }
    checkFileHoldsParameters(minParams, file, label);  // before anything is allocated
    try {
        Rng shapesOnly = Rng::forLoading();
        model = buildImageModel(kind, cfg->second, shapesOnly);
    } catch (const Error& e) {
        throw Error(label + ": " + e.what());
    }
    loadParams(file, model->params(), label);
    model->provenance = file.provenance();
    return model;
}

std::unique_ptr<ImageModel> loadImageModel(const std::string& path) {
    return loadImageModel(openSafetensors(path), "model '" + path + "'");
}

}  // namespace ar
