#pragma once
// What the plain and the gated PixelCNN (core/models/pixelcnn.h, core/models/gatedpixelcnn.h) share as image
// models: one config (core/models/pixelcnnconfig.h), the sizes read from it, its "arlab.config" JSON, and
// clone(): the same model built for loading, then every weight copied in params() order; and the check of a
// batch's image size before logits().
//
//   Model: the derived class (PixelCnn or GatedPixelCnn), built from (config, Rng&)
#include "core/error.h"
#include "core/models/imagemodel.h"
#include "core/models/pixelcnnconfig.h"
#include "core/nn/maskedconv.h"
#include "core/random.h"

#include <memory>
#include <string>

namespace ar {

template <class Model>
class PixelCnnModel : public ImageModel {
public:
    int height() const override { return m_cfg.height; }
    int width() const override { return m_cfg.width; }
    int numClasses() const override { return m_cfg.classes; }
    std::string configJson() const override { return pixelCnnConfigJson(m_cfg); }
    std::unique_ptr<ImageModel> clone() const override {
        Rng rng = Rng::forLoading();  // every weight is copied next
        auto c = std::make_unique<Model>(m_cfg, rng);
        ParamList src = params(), dst = c->params();
        for (size_t i = 0; i < src.size(); ++i) dst[i].var.value() = src[i].var.value();
        c->provenance = provenance;
        return c;
    }
    const PixelCnnConfig& config() const { return m_cfg; }

protected:
    explicit PixelCnnModel(const PixelCnnConfig& cfg) : m_cfg(cfg) {}
    // images (B, P) -> the convolutions' shape; another P is refused: "<kind>: images have N pixels, the model
    // expects P (HxW)".
    nn::ImageShape imageShape(const Var& images) const {
        const int P = pixels();
        if (images.cols() != P)
            throw Error(kind() + ": images have " + std::to_string(images.cols()) + " pixels, the model expects " +
                        std::to_string(P) + " (" + std::to_string(m_cfg.height) + "x" + std::to_string(m_cfg.width) + ")");
        return {int(images.rows()), m_cfg.height, m_cfg.width};
    }
    PixelCnnConfig m_cfg;
};

}  // namespace ar
