#include "core/models/gatedpixelcnn.h"

#include "core/error.h"
#include "core/models/configlimits.h"

#include <cmath>

namespace ar {

GatedPixelCnn::GatedPixelCnn(const GatedPixelCnnConfig& cfg, Rng& rng) : PixelCnnModel(cfg) {
    validatePixelCnnConfig(cfg, true);
    const int C = cfg.channels;
    for (int l = 0; l < cfg.layers; ++l) {
        const int cin = l == 0 ? 1 : C, k = l == 0 ? cfg.firstKernel : cfg.kernel;
        Layer L;
        L.vConv = nn::MaskedConv2d(cin, 2 * C, k, nn::MaskType::Vertical, rng);
        L.hConv = nn::MaskedConv2d(cin, 2 * C, k, l == 0 ? nn::MaskType::HorizontalA : nn::MaskType::HorizontalB, rng);
        L.vToH = nn::Linear(2 * C, 2 * C, false, rng);
        L.hOut = nn::Linear(C, C, true, rng);
        if (cfg.classes > 0) {
            Mat e = Mat::Zero(cfg.classes, 2 * C);
            if (!rng.isForLoading())  // else the weights come from a file next
                for (Index i = 0; i < e.size(); ++i) e.data()[i] = float(rng.normal(0.0, 0.1));
            L.classEmb = Var::param(std::move(e));
        }
        m_layers.push_back(std::move(L));
    }
    m_head1 = nn::Linear(C, C, true, rng);
    m_head2 = nn::Linear(C, 1, true, rng);
    if (cfg.positions) {
        Mat e = Mat::Zero(cfg.height * cfg.width, 2 * C);
        if (!rng.isForLoading())
            for (Index i = 0; i < e.size(); ++i) e.data()[i] = float(rng.normal(0.0, 0.02));
        m_posEmb = Var::param(std::move(e));
    }
}

namespace {
Var gate(const Var& z, int C) { return ops::mul(ops::tanh(ops::sliceCols(z, 0, C)), ops::sigmoid(ops::sliceCols(z, C, C))); }
inline float sigm(float v) { return 1.0f / (1.0f + std::exp(-v)); }
void gateRow(const float* z, int C, float* out) {
    for (int c = 0; c < C; ++c) out[c] = std::tanh(z[c]) * sigm(z[C + c]);
}
}  // namespace

Var GatedPixelCnn::logits(const Var& images, const std::vector<int>& labels) const {
    const int P = pixels(), C = m_cfg.channels;
    const nn::ImageShape s = imageShape(images);
    std::vector<int> ids;
    if (m_cfg.classes > 0) {
        if (int(labels.size()) != s.batch) throw Error("gatedpixelcnn: class-conditional model needs one label per image");
        for (int l : labels) {
            if (l < 0 || l >= m_cfg.classes) throw Error("gatedpixelcnn: label " + std::to_string(l) + " out of range");
            ids.insert(ids.end(), size_t(P), l);
        }
    }
    Var x = ops::reshape(images, s.rows(), 1);  // (B*P, 1)
    Var v = x, h = x;
    for (size_t l = 0; l < m_layers.size(); ++l) {
        const Layer& L = m_layers[l];
        Var vpre = L.vConv.forward(v, s);                                              // (B*P, 2C)
        Var hpre = ops::add(L.hConv.forward(h, s), L.vToH.forward(nn::shiftDown(vpre, s)));  // (B*P, 2C)
        if (m_cfg.classes > 0) {
            Var e = ops::embedding(L.classEmb, ids);
            vpre = ops::add(vpre, e);
            hpre = ops::add(hpre, e);
        }
        if (l == 0 && m_cfg.positions) {
            Var e = ops::concatRows(std::vector<Var>(size_t(s.batch), m_posEmb));
            vpre = ops::add(vpre, e);
            hpre = ops::add(hpre, e);
        }
        v = gate(vpre, C);
        Var hn = L.hOut.forward(gate(hpre, C));
        h = l == 0 ? hn : ops::add(h, hn);
    }
    Var o = ops::relu(m_head1.forward(ops::relu(h)));
    return ops::reshape(m_head2.forward(o), s.batch, P);  // (B, P)
}

// ---- incremental evaluation ------------------------------------------------------------------------

class GatedPixelCnnState : public ImageState {
public:
    GatedPixelCnnState(const GatedPixelCnn& m, int label) : m_model(&m), m_cfg(m.m_cfg) {
        if (m_cfg.classes > 0 && (label < 0 || label >= m_cfg.classes))
            throw Error("gatedpixelcnn: this model is class-conditional; pick a label in 0-" +
                        std::to_string(m_cfg.classes - 1));
        const int P = m_cfg.height * m_cfg.width, C = m_cfg.channels, L = m_cfg.layers;
        m_input = Mat::Zero(P, 1);
        for (const auto& layer : m.m_layers) {
            Prep p;
            p.vWc = layer.vConv.compact();
            p.hWc = layer.hConv.compact();
            p.vBias = layer.vConv.bias.value();
            p.hBias = layer.hConv.bias.value();
            if (m_cfg.classes > 0) {
                // vpre gets the class vector; v_to_h(shiftDown(vpre)) must see the conv output WITHOUT it
                // (the full forward adds the class vector after v_to_h), so it is kept separately.
                p.classVec = layer.classEmb.value().row(label);
            } else {
                p.classVec = RowVec::Zero(2 * C);
            }
            m_prep.push_back(std::move(p));
        }
        m_vconv.assign(L, Mat::Zero(P, 2 * C));
        m_v.assign(L, Mat::Zero(P, C));
        m_h.assign(L, Mat::Zero(P, C));
        m_hdone.assign(L, std::vector<char>(P, 0));
        m_z.resize(2 * C);
        m_g.resize(C);
        if (m_cfg.positions) m_pos = m.m_posEmb.value();
    }

    float logit(int step) override {
        const int W = m_cfg.width, y = step / W, L = m_cfg.layers;
        ensureVRows(y);  // rows < y
        ensureH(L - 1, step);
        const GatedPixelCnn& m = *m_model;
        RowVec r = m_h[L - 1].row(step).cwiseMax(0.0f);
        RowVec o = (r * m.m_head1.weight.value().transpose() + m.m_head1.bias.value()).cwiseMax(0.0f);
        return (o * m.m_head2.weight.value().transpose())(0, 0) + m.m_head2.bias.value()(0, 0);
    }
    void set(int step, float value) override { m_input(step, 0) = value; }
    void rewind(int step) override {
        const int P = int(m_input.rows());
        for (int q = step; q < P; ++q) {
            m_input(q, 0) = 0.0f;
            for (auto& d : m_hdone) d[q] = 0;
        }
        m_vRows = std::min(m_vRows, step / m_cfg.width);  // row r stays valid only if all its pixels are < step
    }

private:
    struct Prep { Mat vWc, hWc; RowVec vBias, hBias, classVec; };

    // Vertical stack for every row < rows (row r reads pixels of rows <= r only).
    void ensureVRows(int rows) {
        const int H = m_cfg.height, W = m_cfg.width, C = m_cfg.channels;
        for (; m_vRows < rows; ++m_vRows) {
            const int r = m_vRows;
            for (int l = 0; l < m_cfg.layers; ++l) {
                const Prep& p = m_prep[l];
                const Mat& in = l == 0 ? m_input : m_v[l - 1];
                const auto& taps = m_model->m_layers[l].vConv.taps;
                for (int x = 0; x < W; ++x) {
                    const int q = r * W + x;
                    nn::convAt(in, p.vWc, p.vBias.data(), taps, H, W, r, x, m_scratch, m_vconv[l].row(q).data());
                    m_z = m_vconv[l].row(q) + p.classVec;
                    if (l == 0 && m_cfg.positions) m_z += m_pos.row(q);
                    gateRow(m_z.data(), C, m_v[l].row(q).data());
                }
            }
        }
    }
    // Horizontal stack of layer l at position q (needs vertical rows < row(q)).
    void ensureH(int l, int q) {
        if (m_hdone[l][q]) return;
        const int H = m_cfg.height, W = m_cfg.width, C = m_cfg.channels, y = q / W, x = q % W;
        const auto& layer = m_model->m_layers[l];
        const Prep& p = m_prep[l];
        if (l > 0)
            for (const nn::Tap& t : layer.hConv.taps)
                if (x + t.dx >= 0) ensureH(l - 1, q + t.dx);
        const Mat& in = l == 0 ? m_input : m_h[l - 1];
        nn::convAt(in, p.hWc, p.hBias.data(), layer.hConv.taps, H, W, y, x, m_scratch, m_z.data());
        if (y > 0) m_z.noalias() += m_vconv[l].row(q - W) * layer.vToH.weight.value().transpose();
        m_z += p.classVec;
        if (l == 0 && m_cfg.positions) m_z += m_pos.row(q);
        gateRow(m_z.data(), C, m_g.data());
        RowVec hn = m_g * layer.hOut.weight.value().transpose() + layer.hOut.bias.value();
        m_h[l].row(q) = l == 0 ? hn : RowVec(m_h[l - 1].row(q) + hn);
        m_hdone[l][q] = 1;
    }

    const GatedPixelCnn* m_model;
    GatedPixelCnnConfig m_cfg;
    Mat m_input;                             // (P, 1)
    std::vector<Prep> m_prep;
    std::vector<Mat> m_vconv;                // L x (P, 2C) vertical conv output (before class vector)
    std::vector<Mat> m_v;                    // L x (P, C) gated vertical stack
    std::vector<Mat> m_h;                    // L x (P, C) horizontal stack
    std::vector<std::vector<char>> m_hdone;  // L x P
    int m_vRows = 0;                         // rows of the vertical stack computed
    Mat m_pos;                               // (P, 2C) position vectors of layer 0
    RowVec m_scratch, m_z, m_g;
};

std::unique_ptr<ImageState> GatedPixelCnn::newState(int label) const {
    return std::make_unique<GatedPixelCnnState>(*this, label);
}

ParamList GatedPixelCnn::params() const {
    ParamList p;
    for (size_t l = 0; l < m_layers.size(); ++l) {
        const std::string pre = "layers." + std::to_string(l) + ".";
        const Layer& L = m_layers[l];
        L.vConv.collect(p, pre + "v_conv.");
        L.hConv.collect(p, pre + "h_conv.");
        L.vToH.collect(p, pre + "v_to_h.");
        L.hOut.collect(p, pre + "h_out.");
        if (L.classEmb.defined()) p.push_back({pre + "class_embedding.weight", L.classEmb, {}});
    }
    m_head1.collect(p, "head.1.");
    m_head2.collect(p, "head.3.");
    if (m_posEmb.defined()) p.push_back({"pos_embedding", m_posEmb, {}});
    return p;
}

GatedPixelCnnConfig GatedPixelCnn::parseConfig(const std::string& json) { return parsePixelCnnConfig(json, true); }

}  // namespace ar
