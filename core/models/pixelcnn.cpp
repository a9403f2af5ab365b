#include "core/models/pixelcnn.h"

#include "core/error.h"
#include "core/models/configlimits.h"


namespace ar {

PixelCnn::PixelCnn(const PixelCnnConfig& cfg, Rng& rng) : PixelCnnModel(cfg) {
    validatePixelCnnConfig(cfg, false);
    m_convIn = nn::MaskedConv2d(1, cfg.channels, cfg.firstKernel, nn::MaskType::A, rng);
    for (int l = 0; l < cfg.layers; ++l)
        m_layers.emplace_back(cfg.channels, cfg.channels, cfg.kernel, nn::MaskType::B, rng);
    m_head1 = nn::Linear(cfg.channels, cfg.channels, true, rng);
    m_head2 = nn::Linear(cfg.channels, 1, true, rng);
    if (cfg.positions) {
        Mat e = Mat::Zero(cfg.height * cfg.width, cfg.channels);
        if (!rng.isForLoading())  // else the weights come from a file next
            for (Index i = 0; i < e.size(); ++i) e.data()[i] = float(rng.normal(0.0, 0.02));
        m_posEmb = Var::param(std::move(e));
    }
    if (cfg.classes > 0) {
        Mat e = Mat::Zero(cfg.classes, cfg.channels);
        if (!rng.isForLoading())
            for (Index i = 0; i < e.size(); ++i) e.data()[i] = float(rng.normal(0.0, 0.1));
        m_classEmb = Var::param(std::move(e));
    }
}

namespace {
std::vector<int> rowLabels(const std::vector<int>& labels, int batch, int pixels, int classes) {
    if (int(labels.size()) != batch)
        throw Error("class-conditional image model needs one label per image (" + std::to_string(batch) +
                    "), got " + std::to_string(labels.size()));
    std::vector<int> ids;
    ids.reserve(size_t(batch) * pixels);
    for (int l : labels) {
        if (l < 0 || l >= classes)
            throw Error("label " + std::to_string(l) + " is outside 0-" + std::to_string(classes - 1));
        ids.insert(ids.end(), size_t(pixels), l);
    }
    return ids;
}
}  // namespace

Var PixelCnn::logits(const Var& images, const std::vector<int>& labels) const {
    const int P = pixels();
    const nn::ImageShape s = imageShape(images);
    Var x = ops::reshape(images, s.rows(), 1);                     // (B*P, 1)
    Var a = m_convIn.forward(x, s);                                // (B*P, C)
    if (m_cfg.classes > 0)
        a = ops::add(a, ops::embedding(m_classEmb, rowLabels(labels, s.batch, P, m_cfg.classes)));
    if (m_cfg.positions) a = ops::add(a, ops::concatRows(std::vector<Var>(size_t(s.batch), m_posEmb)));
    for (const auto& layer : m_layers) a = ops::add(a, layer.forward(ops::relu(a), s));
    Var h = ops::relu(m_head1.forward(ops::relu(a)));              // (B*P, C)
    return ops::reshape(m_head2.forward(h), s.batch, P);           // (B, P)
}

// ---- incremental evaluation ------------------------------------------------------------------------

class PixelCnnState : public ImageState {
public:
    PixelCnnState(const PixelCnn& m, int label) : m_cfg(m.m_cfg), m_model(&m) {
        const int P = m_cfg.height * m_cfg.width, C = m_cfg.channels;
        if (m_cfg.classes > 0 && (label < 0 || label >= m_cfg.classes))
            throw Error("pixelcnn: this model is class-conditional; pick a label in 0-" + std::to_string(m_cfg.classes - 1));
        m_input = Mat::Zero(P, 1);
        m_in.wc = m.m_convIn.compact();
        m_in.bias = m.m_convIn.bias.value();
        if (m_cfg.classes > 0) m_in.bias += m.m_classEmb.value().row(label);
        if (m_cfg.positions) m_pos = m.m_posEmb.value();
        m_in.taps = m.m_convIn.taps;
        for (const auto& l : m.m_layers) m_res.push_back({l.compact(), l.bias.value(), l.taps});
        const int L = m_cfg.layers;
        m_act.assign(L + 1, Mat::Zero(P, C));
        m_relu.assign(L + 1, Mat::Zero(P, C));
        m_done.assign(L + 1, std::vector<char>(P, 0));
        m_tmp.resize(C);
    }

    float logit(int step) override {
        ensure(m_cfg.layers, step);
        const PixelCnn& m = *m_model;
        RowVec h = (m_relu[m_cfg.layers].row(step) * m.m_head1.weight.value().transpose() +
                    m.m_head1.bias.value()).cwiseMax(0.0f);
        return (h * m.m_head2.weight.value().transpose())(0, 0) + m.m_head2.bias.value()(0, 0);
    }
    void set(int step, float value) override { m_input(step, 0) = value; }
    void rewind(int step) override {
        for (int q = step; q < int(m_input.rows()); ++q) {
            m_input(q, 0) = 0.0f;
            for (auto& d : m_done) d[q] = 0;
        }
    }

private:
    struct Conv { Mat wc; RowVec bias; std::vector<nn::Tap> taps; };

    // Activation of layer l at position q (raster index), computed once: it depends only on pixels < q.
    void ensure(int l, int q) {
        if (m_done[l][q]) return;
        const int H = m_cfg.height, W = m_cfg.width, y = q / W, x = q % W;
        if (l == 0) {
            nn::convAt(m_input, m_in.wc, m_in.bias.data(), m_in.taps, H, W, y, x, m_scratch, m_act[0].row(q).data());
            if (m_cfg.positions) m_act[0].row(q) += m_pos.row(q);
        } else {
            const Conv& c = m_res[l - 1];
            for (const nn::Tap& t : c.taps) {
                const int yy = y + t.dy, xx = x + t.dx;
                if (yy >= 0 && yy < H && xx >= 0 && xx < W) ensure(l - 1, yy * W + xx);
            }
            nn::convAt(m_relu[l - 1], c.wc, c.bias.data(), c.taps, H, W, y, x, m_scratch, m_tmp.data());
            m_act[l].row(q) = m_act[l - 1].row(q) + m_tmp;
        }
        m_relu[l].row(q) = m_act[l].row(q).cwiseMax(0.0f);
        m_done[l][q] = 1;
    }

    PixelCnnConfig m_cfg;
    const PixelCnn* m_model;
    Mat m_input;                           // (P, 1)
    Conv m_in;
    Mat m_pos;                             // (P, C) position vectors (empty without positions)
    std::vector<Conv> m_res;
    std::vector<Mat> m_act, m_relu;        // L+1 x (P, C)
    std::vector<std::vector<char>> m_done; // L+1 x P
    RowVec m_scratch, m_tmp;
};

std::unique_ptr<ImageState> PixelCnn::newState(int label) const { return std::make_unique<PixelCnnState>(*this, label); }

ParamList PixelCnn::params() const {
    ParamList p;
    m_convIn.collect(p, "conv_in.");
    for (size_t l = 0; l < m_layers.size(); ++l) m_layers[l].collect(p, "layers." + std::to_string(l) + ".");
    m_head1.collect(p, "head.1.");
    m_head2.collect(p, "head.3.");
    if (m_classEmb.defined()) p.push_back({"class_embedding.weight", m_classEmb, {}});
    if (m_posEmb.defined()) p.push_back({"pos_embedding", m_posEmb, {}});
    return p;
}

PixelCnnConfig PixelCnn::parseConfig(const std::string& json) { return parsePixelCnnConfig(json); }

}  // namespace ar
