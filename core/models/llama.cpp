#include "core/models/llama.h"

#include "core/error.h"
#include "core/nn/kernels.h"
#include "core/nn/attention.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace ar {

// --- config ------------------------------------------------------------------------------------------

void LlamaConfig::validate() const {
    const auto need = [](bool ok, const std::string& msg) { if (!ok) throw Error(msg); };
    const auto range = [&](const char* name, int v, int lo, int hi) {
        need(v >= lo && v <= hi, std::string(name) + " " + std::to_string(v) + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
    };
    range("dim", dim, 1, 65536);
    range("hidden_dim", hidden, 1, 1 << 20);
    range("n_layers", layers, 1, 1024);
    range("n_heads", heads, 1, 4096);
    range("n_kv_heads", kvHeads, 1, 4096);
    range("vocab_size", vocab, 3, 10'000'000);
    range("seq_len", seqLen, 1, 1 << 20);
    need(dim % heads == 0, "n_heads " + std::to_string(heads) + " does not divide dim " + std::to_string(dim));
    need(heads % kvHeads == 0, "n_kv_heads " + std::to_string(kvHeads) + " does not divide n_heads " + std::to_string(heads));
    need(headSize() % 2 == 0, "the head width dim / n_heads = " + std::to_string(headSize()) + " must be even for RoPE");
}

std::string LlamaConfig::toJson() const {
    nlohmann::json j = {{"dim", dim},       {"hidden_dim", hidden}, {"n_layers", layers}, {"n_heads", heads},
                        {"n_kv_heads", kvHeads}, {"vocab_size", vocab}, {"seq_len", seqLen},
                        {"shared_classifier", sharedClassifier}, {"norm_eps", normEps}};
    return j.dump();
}

uint64_t LlamaConfig::parameterCount() const {
    const uint64_t C = uint64_t(dim), K = uint64_t(kvDim()), F = uint64_t(hidden), V = uint64_t(vocab);
    const uint64_t perLayer = 2 * C + 2 * C * C + 2 * K * C + 3 * F * C;
    return V * C + uint64_t(layers) * perLayer + C + (sharedClassifier ? 0 : V * C);
}

// --- construction ------------------------------------------------------------------------------------

Llama::Llama(LlamaConfig config, Tokenizer tokenizer) : m_cfg(config), m_tok(std::move(tokenizer)) {
    m_cfg.validate();
    if (m_tok.size() != m_cfg.vocab)
        throw Error("the tokenizer has " + std::to_string(m_tok.size()) + " tokens but the model's vocab_size is " +
                    std::to_string(m_cfg.vocab));
    const int C = m_cfg.dim, K = m_cfg.kvDim(), F = m_cfg.hidden, V = m_cfg.vocab;
    const auto zeros = [](int r, int c) { return Var::param(Mat::Zero(r, c)); };
    m_tokEmb = zeros(V, C);
    for (int l = 0; l < m_cfg.layers; ++l)
        m_layers.push_back({zeros(1, C), zeros(C, C), zeros(K, C), zeros(K, C), zeros(C, C), zeros(1, C), zeros(F, C),
                            zeros(F, C), zeros(C, F)});
    m_norm = zeros(1, C);
    m_cls = m_cfg.sharedClassifier ? m_tokEmb : zeros(V, C);
    // The angles of nn::ropeRotate, once per position.
    const int D = m_cfg.headSize(), T = m_cfg.seqLen;
    m_ropeCos.resize(T, D / 2);
    m_ropeSin.resize(T, D / 2);
    for (int p = 0; p < T; ++p)
        for (int i = 0; i < D / 2; ++i) {
            const double angle = double(p) * std::pow(10000.0, -2.0 * i / double(D));
            m_ropeCos(p, i) = float(std::cos(angle));
            m_ropeSin(p, i) = float(std::sin(angle));
        }
}

// --- decoding ----------------------------------------------------------------------------------------

std::unique_ptr<DecodeState> LlamaState::clone() const {
    auto c = std::make_unique<LlamaState>();
    copyFilledInto(*c);
    return c;
}

std::unique_ptr<DecodeState> Llama::newState() const {
    auto s = std::make_unique<LlamaState>();
    const size_t L = m_layers.size();
    for (size_t l = 0; l < L; ++l) {  // uninitialised: rows are written before they are read
        s->k.emplace_back(m_cfg.seqLen, m_cfg.kvDim());  // (T, K)
        s->v.emplace_back(m_cfg.seqLen, m_cfg.kvDim());
    }
    s->attention.assign(L, Mat());
    return s;
}

namespace {
// RMSNorm of each row: x / sqrt(mean(x^2) + eps) * w.
Mat rmsNormRows(const Mat& x, const Mat& w, float eps) {
    ColVec inv = nn::rsqrtExact((nn::rowSums(x, true).array() / float(x.cols()) + eps).matrix());
    return (x.array().colwise() * inv.array()).rowwise() * w.row(0).array();
}
// x W^T for the rows of a step: (B, in) x (out, in)^T -> (B, out), the shared kernel (core/nn/kernels.h).
Mat linearRows(const Mat& x, const Mat& w) { return nn::linearRows(x, w); }
void rotate(float* x, int D, const float* c, const float* s) {  // nn::ropeRotate's arithmetic with a table
    for (int i = 0; i < D / 2; ++i) {
        const float a = x[2 * i], b = x[2 * i + 1];
        x[2 * i] = a * c[i] - b * s[i];
        x[2 * i + 1] = a * s[i] + b * c[i];
    }
}
}  // namespace

Mat Llama::step(std::span<DecodeState* const> states, std::span<const int> tokens) const {
    return run(states, tokens, nullptr);
}

Mat Llama::run(std::span<DecodeState* const> states, std::span<const int> tokens, std::vector<Mat>* residuals) const {
    if (states.size() != tokens.size()) throw Error("step: one token per state expected");
    const int B = int(states.size()), C = m_cfg.dim, H = m_cfg.heads, D = m_cfg.headSize();
    const int V = m_cfg.vocab;
    std::vector<LlamaState*> st(static_cast<size_t>(B));
    for (int b = 0; b < B; ++b) {  // check everything before touching any state
        st[size_t(b)] = dynamic_cast<LlamaState*>(states[size_t(b)]);
        if (!st[size_t(b)] || st[size_t(b)]->k.size() != m_layers.size()) throw Error("step: the state was not made by this Llama");
        if (st[size_t(b)]->len >= m_cfg.seqLen) throw Error("context of " + std::to_string(m_cfg.seqLen) + " tokens is full");
        if (tokens[size_t(b)] < 0 || tokens[size_t(b)] >= V)
            throw Error("step: token id " + std::to_string(tokens[size_t(b)]) + " is outside the vocabulary of " + std::to_string(V));
    }
    const nn::QkvLayout lay{nn::Heads(H, m_cfg.kvHeads), D, C, m_cfg.kvDim()};
    Mat x(B, C);                                                  // (B, C)
    for (int b = 0; b < B; ++b) x.row(b) = m_tokEmb.value().row(tokens[size_t(b)]);
    if (residuals) residuals->assign(1, x);
    for (size_t l = 0; l < m_layers.size(); ++l) {
        const Layer& ly = m_layers[l];
        const Mat xb = rmsNormRows(x, ly.attnNorm.value(), m_cfg.normEps);
        Mat q = linearRows(xb, ly.wq.value());                    // (B, C)
        Mat k = linearRows(xb, ly.wk.value());                    // (B, K)
        const Mat v = linearRows(xb, ly.wv.value());              // (B, K)
        Mat y(B, C);                                              // (B, C)
        for (int b = 0; b < B; ++b) {
            LlamaState& s = *st[size_t(b)];
            const int t = s.len;
            const float* c = m_ropeCos.row(t).data();
            const float* sn = m_ropeSin.row(t).data();
            for (int h = 0; h < H; ++h) rotate(q.row(b).data() + h * D, D, c, sn);
            for (int g = 0; g < m_cfg.kvHeads; ++g) rotate(k.row(b).data() + g * D, D, c, sn);
            s.k[l].row(t) = k.row(b);
            s.v[l].row(t) = v.row(b);
            nn::attendCached(q.row(b).data(), s.k[l], s.v[l], t + 1, lay, s.attention[l], y.row(b).data());
        }
        x += linearRows(y, ly.wo.value());
        const Mat xf = rmsNormRows(x, ly.ffnNorm.value(), m_cfg.normEps);
        Mat h1 = linearRows(xf, ly.w1.value());                  // (B, F)
        const Mat h3 = linearRows(xf, ly.w3.value());            // (B, F)
        h1 = (h1.array() / (1.0f + (-h1.array()).exp()) * h3.array()).matrix();  // silu(w1 x) * (w3 x)
        x += linearRows(h1, ly.w2.value());
        if (residuals) residuals->push_back(x);
    }
    for (auto* s : st) ++s->len;
    return readout(x);                                            // (B, V)
}

Mat Llama::readout(const Mat& residual) const {
    return linearRows(rmsNormRows(residual, m_norm.value(), m_cfg.normEps), m_cls.value());
}

std::vector<Mat> Llama::residualStream(std::span<const int> tokens) const {
    const int T = int(tokens.size());
    std::vector<Mat> out(m_layers.size() + 1, Mat(T, m_cfg.dim));
    auto state = newState();
    DecodeState* s = state.get();
    std::vector<Mat> rows;
    for (int t = 0; t < T; ++t) {
        run({&s, 1}, tokens.subspan(size_t(t), 1), &rows);
        for (size_t l = 0; l < out.size(); ++l) out[l].row(t) = rows[l].row(0);
    }
    return out;
}

std::vector<Mat> Llama::lastAttention(const DecodeState& state) const {
    const auto* s = dynamic_cast<const LlamaState*>(&state);
    if (!s) throw Error("lastAttention: the state was not made by this Llama");
    return s->attention;
}

// --- parameters --------------------------------------------------------------------------------------

ParamList Llama::parameters() const {
    ParamList out;
    const auto vec = [](const Var& v) { return std::vector<Index>{v.cols()}; };
    out.push_back({"tok_embeddings.weight", m_tokEmb, {}});
    for (size_t l = 0; l < m_layers.size(); ++l) {
        const Layer& y = m_layers[l];
        const std::string p = "layers." + std::to_string(l) + ".";
        out.push_back({p + "attention_norm.weight", y.attnNorm, vec(y.attnNorm)});
        out.push_back({p + "attention.wq.weight", y.wq, {}});
        out.push_back({p + "attention.wk.weight", y.wk, {}});
        out.push_back({p + "attention.wv.weight", y.wv, {}});
        out.push_back({p + "attention.wo.weight", y.wo, {}});
        out.push_back({p + "ffn_norm.weight", y.ffnNorm, vec(y.ffnNorm)});
        out.push_back({p + "feed_forward.w1.weight", y.w1, {}});
        out.push_back({p + "feed_forward.w2.weight", y.w2, {}});
        out.push_back({p + "feed_forward.w3.weight", y.w3, {}});
    }
    out.push_back({"norm.weight", m_norm, vec(m_norm)});
    if (!m_cfg.sharedClassifier) out.push_back({"output.weight", m_cls, {}});
    return out;
}

Metadata Llama::metadata() const {
    return {{"arlab.kind", "llama"}, {"arlab.config", m_cfg.toJson()}, {"arlab.provenance", m_provenance}};
}

}  // namespace ar
