#include "core/models/made.h"

#include "core/error.h"
#include "core/models/configlimits.h"
#include "core/models/configreader.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

namespace ar {

MadeMasks makeMadeMasks(const MadeConfig& cfg, int set) {
    const int D = cfg.height * cfg.width;
    Rng rng(cfg.maskSeed * 1000003ull + uint64_t(set));
    MadeMasks mm;
    std::vector<int> m0(D);
    std::iota(m0.begin(), m0.end(), 0);
    if (!cfg.naturalOrder) rng.shuffle(m0);  // m0[d] = position of pixel d in the ordering
    mm.m.push_back(m0);
    for (int units : cfg.hidden) {
        const std::vector<int>& prev = mm.m.back();
        const int lo = std::min(*std::min_element(prev.begin(), prev.end()), D - 2);
        std::vector<int> mk(units);
        for (int& v : mk) v = rng.randint(lo, D - 2);
        mm.m.push_back(std::move(mk));
    }
    for (size_t l = 1; l < mm.m.size(); ++l) {
        const auto &below = mm.m[l - 1], &here = mm.m[l];
        Mat mask(Index(here.size()), Index(below.size()));
        for (size_t k = 0; k < here.size(); ++k)
            for (size_t j = 0; j < below.size(); ++j) mask(Index(k), Index(j)) = here[k] >= below[j] ? 1.0f : 0.0f;
        mm.masks.push_back(std::move(mask));
    }
    const auto& top = mm.m.back();
    Mat out(D, Index(top.size()));
    for (int d = 0; d < D; ++d)
        for (size_t k = 0; k < top.size(); ++k) out(d, Index(k)) = m0[d] > top[k] ? 1.0f : 0.0f;
    mm.masks.push_back(std::move(out));
    mm.order.resize(D);
    for (int d = 0; d < D; ++d) mm.order[m0[d]] = d;
    return mm;
}

Made::Made(const MadeConfig& cfg, Rng& rng) : m_cfg(cfg) {
    validateMadeConfig(cfg);
    const int D = cfg.height * cfg.width;
    std::vector<int> sizes = {D};
    sizes.insert(sizes.end(), cfg.hidden.begin(), cfg.hidden.end());
    sizes.push_back(D);
    for (size_t i = 0; i + 1 < sizes.size(); ++i) {
        const float bound = 1.0f / std::sqrt(float(sizes[i]));
        Mat w = Mat::Zero(sizes[i + 1], sizes[i]);
        Mat b = Mat::Zero(1, sizes[i + 1]);
        if (!rng.isForLoading()) {  // else the weights come from a file next
            for (Index j = 0; j < w.size(); ++j) w.data()[j] = float(rng.uniform(-bound, bound));
            for (Index j = 0; j < b.size(); ++j) b.data()[j] = float(rng.uniform(-bound, bound));
        }
        m_weights.push_back(Var::param(std::move(w)));
        m_biases.push_back(Var::param(std::move(b)));
    }
    m_masks = makeMadeMasks(m_cfg, 0);
}

void Made::setMaskSet(int set) {
    if (set < 0) throw Error("made: mask set must be >= 0");
    m_maskSet = set;
    m_masks = makeMadeMasks(m_cfg, set);
}

void Made::resampleMasks(bool naturalOrder, uint64_t maskSeed) {
    m_cfg.naturalOrder = naturalOrder;
    m_cfg.maskSeed = maskSeed;
    m_masks = makeMadeMasks(m_cfg, m_maskSet);
}

Var Made::logits(const Var& images, const std::vector<int>&) const {
    if (images.cols() != pixels())
        throw Error("made: images have " + std::to_string(images.cols()) + " pixels, the model expects " +
                    std::to_string(pixels()));
    Var h = images;  // (B, D)
    for (size_t i = 0; i < m_weights.size(); ++i) {
        const Var mw = ops::mul(m_weights[i], Var(m_masks.masks[i]));     // masked weight (out, in)
        h = ops::linear(h, mw, m_biases[i]);                             // (B, out)
        if (i + 1 < m_weights.size()) h = ops::relu(h);
    }
    return h;  // (B, D)
}

// ---- incremental evaluation: rank-1 updates ----------------------------------------------------------

class MadeState : public ImageState {
public:
    explicit MadeState(const Made& m) : m_model(&m), m_order(m.m_masks.order) {
        const size_t n = m.m_weights.size();
        for (size_t i = 0; i < n; ++i) {
            // transposed masked weights: row j = what input/unit j adds to every unit above (contiguous)
            m_wt.push_back((m.m_weights[i].value().cwiseProduct(m.m_masks.masks[i])).transpose());
        }
        m_out = m.m_weights[n - 1].value().cwiseProduct(m.m_masks.masks[n - 1]);  // (D, HL)
        m_outBias = m.m_biases[n - 1].value();
        m_value.assign(size_t(m.pixels()), 0.0f);
        reset();
    }
    float logit(int step) override {
        const int d = m_order[size_t(step)];
        return m_out.row(d).dot(m_h.back()) + m_outBias(0, d);
    }
    void set(int step, float value) override {
        const int d = m_order[size_t(step)];
        const float delta = value - m_value[size_t(d)];
        m_value[size_t(d)] = value;
        if (delta == 0.0f) return;
        // rank-1 update of the first hidden pre-activations, then push the changed units upwards
        m_a[0].noalias() += delta * m_wt[0].row(d);
        propagate();
    }
    void rewind(int step) override {
        for (size_t s = size_t(step); s < m_order.size(); ++s) m_value[size_t(m_order[s])] = 0.0f;
        reset();
    }

private:
    void reset() {
        const Made& m = *m_model;
        const size_t L = m.m_weights.size() - 1;  // hidden layers
        m_a.assign(L, RowVec());
        m_h.assign(L, RowVec());
        m_a[0] = m.m_biases[0].value();
        for (size_t d = 0; d < m_value.size(); ++d)
            if (m_value[d] != 0.0f) m_a[0] += m_value[d] * m_wt[0].row(Index(d));
        m_h[0] = m_a[0].cwiseMax(0.0f);
        for (size_t l = 1; l < L; ++l) {
            m_a[l] = m_h[l - 1] * m_wt[l] + m.m_biases[l].value();
            m_h[l] = m_a[l].cwiseMax(0.0f);
        }
    }
    // After m_a[0] changed: recompute h[0]; for deeper layers add only the changed units' contributions.
    void propagate() {
        RowVec fresh = m_a[0].cwiseMax(0.0f);
        for (size_t l = 1; l < m_a.size(); ++l) {
            for (Index k = 0; k < fresh.size(); ++k) {
                const float dk = fresh[k] - m_h[l - 1][k];
                if (dk != 0.0f) m_a[l].noalias() += dk * m_wt[l].row(k);
            }
            m_h[l - 1] = fresh;
            fresh = m_a[l].cwiseMax(0.0f);
        }
        m_h.back() = fresh;
    }

    const Made* m_model;
    std::vector<int> m_order;
    std::vector<Mat> m_wt;       // layer i: (in_i, out_i) masked, transposed
    Mat m_out;                   // (D, HL) masked output weight
    RowVec m_outBias;            // (1, D)
    std::vector<RowVec> m_a, m_h;  // hidden pre-activations / activations per layer (1, Hl)
    std::vector<float> m_value;  // (D) current input values
};

std::unique_ptr<ImageState> Made::newState(int) const { return std::make_unique<MadeState>(*this); }

ParamList Made::params() const {
    // Names of pytorch-made's MADE: net = Sequential(MaskedLinear, ReLU, MaskedLinear, ReLU, ..., MaskedLinear)
    ParamList p;
    for (size_t i = 0; i < m_weights.size(); ++i) {
        const std::string pre = "net." + std::to_string(2 * i) + ".";
        p.push_back({pre + "weight", m_weights[i], {}});
        p.push_back({pre + "bias", m_biases[i], {m_biases[i].cols()}});
    }
    return p;
}

std::string Made::configJson() const {
    nlohmann::json j = {{"height", m_cfg.height}, {"width", m_cfg.width}, {"hidden", m_cfg.hidden},
                        {"order", m_cfg.naturalOrder ? "natural" : "random"}, {"masks", m_cfg.masks},
                        {"mask_seed", m_cfg.maskSeed}};
    return j.dump();
}

MadeConfig Made::parseConfig(const std::string& json) try {
    MadeConfig c;
    ConfigReader r(json, "made config");
    const auto integer = [&](const char* key, int def) { return int(r.integer(key, def, INT32_MIN, INT32_MAX)); };
    c.height = integer("height", c.height);
    c.width = integer("width", c.width);
    c.hidden.clear();
    for (int64_t h : r.integers("hidden", {300}, 8, INT32_MIN, INT32_MAX)) c.hidden.push_back(int(h));
    c.naturalOrder = r.choice("order", "natural", {"natural", "random"}) == "natural";
    c.masks = integer("masks", c.masks);
    c.maskSeed = uint64_t(r.integer("mask_seed", int64_t(c.maskSeed), 0, INT64_MAX));
    r.finish();
    validateMadeConfig(c);  // the documented limits (core/models/configlimits.h)
    return c;
} catch (const nlohmann::json::exception& e) {  // malformed JSON or a value of the wrong type: a typed error
    throw Error(std::string("made configuration: ") + e.what());
}

std::unique_ptr<ImageModel> Made::clone() const {
    Rng rng = Rng::forLoading();  // every weight is copied next
    auto c = std::make_unique<Made>(m_cfg, rng);
    for (size_t i = 0; i < m_weights.size(); ++i) {
        c->m_weights[i].value() = m_weights[i].value();
        c->m_biases[i].value() = m_biases[i].value();
    }
    c->setMaskSet(m_maskSet);
    c->provenance = provenance;
    return c;
}

}  // namespace ar
