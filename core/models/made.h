#pragma once
// MADE: Masked Autoencoder for Distribution Estimation (Germain, Gregor, Murray, Larochelle, 2015).
//
// A plain MLP  x (B, D) -> hidden layers (ReLU) -> logits (B, D)  whose weight matrices are multiplied by
// binary masks built from CONNECTIVITY NUMBERS:
//   input d:        m0(d) = its position in the ordering (0..D-1)
//   hidden unit k:  m_l(k) drawn uniformly from [min m_{l-1}, D-2]
//   hidden mask:    unit k sees unit j of the layer below iff m_l(k) >= m_{l-1}(j)
//   output mask:    output d sees hidden unit k iff m0(d) > m_L(k)
// so output d depends only on inputs that come strictly before d in the ordering: an autoregressive model.
// Connectivity-agnostic training keeps `masks` different mask sets (numbers drawn from seed + set index) and
// trains on a random one each step; the ordering is natural (raster) or random (a permutation per set).
//
// Incremental sampling: setting input d to 1 adds column d of the first masked weight to the hidden
// pre-activations (a rank-1 update); changes then flow up only through hidden units that changed, and only
// output d's row is evaluated. A sample costs O(D*H) instead of O(D^2*H).
//
//   B batch  D = H*W inputs  Hl hidden units of layer l
#include "core/models/imagemodel.h"

namespace ar {

struct MadeConfig {
    int height = 28, width = 28;
    std::vector<int> hidden = {300};
    bool naturalOrder = true;
    int masks = 1;            // number of mask sets (connectivity-agnostic training when > 1)
    uint64_t maskSeed = 1;
};

// One mask set: connectivity numbers and the masks derived from them.
struct MadeMasks {
    std::vector<std::vector<int>> m;   // m[0] (D) inputs; m[l] (Hl) hidden layer l
    std::vector<Mat> masks;            // layer i: (out_i, in_i) in {0,1}; last one is the output mask (D, HL)
    std::vector<int> order;            // pixel indices sorted by m[0]
};
MadeMasks makeMadeMasks(const MadeConfig& cfg, int set);

class Made : public ImageModel {
public:
    Made(const MadeConfig& cfg, Rng& rng);
    std::string kind() const override { return "made"; }
    int height() const override { return m_cfg.height; }
    int width() const override { return m_cfg.width; }
    std::vector<int> order() const override { return m_masks.order; }
    Var logits(const Var& images, const std::vector<int>& labels = {}) const override;
    std::unique_ptr<ImageState> newState(int label = -1) const override;
    ParamList params() const override;
    std::string configJson() const override;
    std::unique_ptr<ImageModel> clone() const override;
    static MadeConfig parseConfig(const std::string& json);

    const MadeConfig& config() const { return m_cfg; }
    int maskSet() const { return m_maskSet; }
    void setMaskSet(int set);                          // 0..masks-1 (any set >= 0 for untrained variety)
    const MadeMasks& masks() const { return m_masks; }
    // Changes the ordering rule and mask seed (connectivity "resampling"); keeps the weights.
    void resampleMasks(bool naturalOrder, uint64_t maskSeed);

private:
    friend class MadeState;
    MadeConfig m_cfg;
    std::vector<Var> m_weights;  // layer i: (out_i, in_i)
    std::vector<Var> m_biases;   // layer i: (1, out_i)
    int m_maskSet = 0;
    MadeMasks m_masks;
};

}  // namespace ar
