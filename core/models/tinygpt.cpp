#include "core/models/tinygpt.h"

#include "core/enumnames.h"
#include "core/error.h"
#include "core/models/configlimits.h"
#include "core/models/configreader.h"
#include "core/models/textmodelfile.h"
#include "core/nn/blocknames.h"
#include "core/nn/kernels.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace ar {

using nlohmann::json;

namespace {
constexpr EnumName<PositionMode> kPositionNames[] = {
    {PositionMode::Learned, "learned"}, {PositionMode::Sinusoidal, "sinusoidal"}, {PositionMode::Rope, "rope"}};
}  // namespace

std::string positionModeName(PositionMode m) { return nameOf(kPositionNames, m, "?"); }

PositionMode parsePositionMode(const std::string& s) {
    if (const auto e = fromName(kPositionNames, s)) return *e;
    throw Error("position encoding '" + s + "' is not one of learned, sinusoidal, rope");
}

// --- config -----------------------------------------------------------------------------------------

void TinyGptConfig::validate() const {
    const auto need = [](bool ok, const std::string& msg) { if (!ok) throw Error(msg); };
    need(vocabSize >= 2, "the vocabulary needs at least 2 tokens, it has " + std::to_string(vocabSize));
    need(vocabSize <= kMaxVocab, "the vocabulary has " + std::to_string(vocabSize) + " tokens, more than the limit of " + std::to_string(kMaxVocab));
    need(contextLength >= 1 && contextLength <= 4096, "context length must be between 1 and 4096, got " + std::to_string(contextLength));
    need(layers >= 1 && layers <= 48, "layers must be between 1 and 48, got " + std::to_string(layers));
    need(embd >= 1 && embd <= 4096, "embedding width must be between 1 and 4096, got " + std::to_string(embd));
    need(heads >= 1, "heads must be at least 1, got " + std::to_string(heads));
    need(embd % heads == 0, "heads (" + std::to_string(heads) + ") must divide the embedding width (" + std::to_string(embd) + ")");
    need(kvHeads >= 0 && kvHeads <= heads,
         "n_kv_heads must be between 1 and n_head (" + std::to_string(heads) + "), got " + std::to_string(kvHeads));
    need(heads % kvHeadCount() == 0, "n_kv_heads (" + std::to_string(kvHeads) + ") must divide n_head (" +
                                         std::to_string(heads) + "): each key/value head serves a whole group of query heads");
    if (pos == PositionMode::Rope)
        need((embd / heads) % 2 == 0, "rope needs an even head width; embd/heads = " + std::to_string(embd / heads));
    if (pos == PositionMode::Sinusoidal) need(embd % 2 == 0, "sinusoidal positions need an even embedding width, got " + std::to_string(embd));
    need(dropout >= 0.0f && dropout < 1.0f, "dropout must be in [0, 1), got " + std::to_string(dropout));
    need(bos >= -1 && bos < vocabSize, "bos token id " + std::to_string(bos) + " is outside the vocabulary");
    need(eos >= -1 && eos < vocabSize, "eos token id " + std::to_string(eos) + " is outside the vocabulary");
    need(lnEps > 0.0f && lnEps < 1.0f, "layer_norm_epsilon must be in (0, 1), got " + std::to_string(lnEps));
    checkParameterLimit(minParameters(*this), "config");  // layers x width^2 etc. in 64-bit
}

std::string TinyGptConfig::toJson() const {
    json j;
    j["vocab_size"] = vocabSize;
    j["block_size"] = contextLength;
    j["n_layer"] = layers;
    j["n_head"] = heads;
    j["n_embd"] = embd;
    if (kvHeadCount() != heads) j["n_kv_heads"] = kvHeads;  // multi-head files stay nanoGPT's, byte for byte
    j["dropout"] = dropout;
    j["bias"] = true;
    j["pos"] = positionModeName(pos);
    j["bos"] = bos;
    j["eos"] = eos;
    if (act != Activation::Gelu) j["activation"] = "gelu_new";
    if (lnEps != 1e-5f) j["layer_norm_epsilon"] = lnEps;
    return j.dump();
}

TinyGptConfig TinyGptConfig::fromJson(const std::string& text) {
    ConfigReader r(text, "config");  // unknown keys, wrong types and out-of-range values are refused by name
    const auto integer = [&](const char* key, std::optional<int64_t> def) { return int(r.integer(key, def, -1, 1000000)); };
    TinyGptConfig c;
    c.vocabSize = integer("vocab_size", std::nullopt);
    c.contextLength = integer("block_size", std::nullopt);
    c.layers = integer("n_layer", std::nullopt);
    c.heads = integer("n_head", std::nullopt);
    c.embd = integer("n_embd", std::nullopt);
    c.kvHeads = int(r.integer("n_kv_heads", 0, 1, 4096));  // missing: multi-head (nanoGPT)
    if (c.kvHeads == c.heads) c.kvHeads = 0;                // explicit n_kv_heads = n_head: the same model
    c.dropout = float(r.number("dropout", 0.0, 0.0, 1.0));
    if (!r.boolean("bias", true)) throw Error("config 'bias' must be true (TinyGPT always has biases)");
    c.pos = parsePositionMode(r.choice("pos", "learned", {"learned", "sinusoidal", "rope"}));
    c.bos = integer("bos", -1);
    c.eos = integer("eos", -1);
    c.act = r.choice("activation", "gelu", {"gelu", "gelu_new"}) == "gelu_new" ? Activation::GeluTanh : Activation::Gelu;
    c.lnEps = float(r.number("layer_norm_epsilon", 1e-5, 0.0, 1.0));
    r.finish();
    c.validate();
    return c;
}

// --- construction -----------------------------------------------------------------------------------

static void fillNormal(Var& v, Rng& rng, double std) {
    Mat& m = v.value();
    for (Index i = 0; i < m.size(); ++i) m.data()[i] = float(rng.normal(0.0, std));
}

TinyGpt::TinyGpt(TinyGptConfig config, Tokenizer tokenizer, uint64_t seed)
    : TinyGpt(std::move(config), std::move(tokenizer), std::make_unique<Rng>(seed).get()) {}

std::unique_ptr<TinyGpt> TinyGpt::forLoading(TinyGptConfig config, Tokenizer tokenizer) {
    return std::unique_ptr<TinyGpt>(new TinyGpt(std::move(config), std::move(tokenizer), static_cast<Rng*>(nullptr)));
}

TinyGpt::TinyGpt(TinyGptConfig config, Tokenizer tokenizer, Rng* rng) : m_cfg(config), m_tok(std::move(tokenizer)) {
    Rng shapesOnly = Rng::forLoading();  // no rng: the layers allocate zeros (read from a file next); a draw throws
    if (!rng) rng = &shapesOnly;
    m_cfg.vocabSize = m_tok.size();
    m_cfg.validate();
    const int V = m_cfg.vocabSize, C = m_cfg.embd, T = m_cfg.contextLength;
    m_wte = nn::Embedding(V, C, *rng, 0.02f);
    if (m_cfg.pos == PositionMode::Learned) m_wpe = nn::Embedding(T, C, *rng, 0.02f);
    const double projStd = 0.02 / std::sqrt(2.0 * m_cfg.layers);
    const auto linear = [&](int in, int out) { return nn::Linear(in, out, true, *rng); };
    for (int l = 0; l < m_cfg.layers; ++l) {
        Block b;
        b.ln1 = nn::LayerNorm(C);
        b.ln2 = nn::LayerNorm(C);
        b.ln1.eps = b.ln2.eps = m_cfg.lnEps;
        b.cAttn = linear(C, C + 2 * m_cfg.kvWidth());
        b.attnProj = linear(C, C);
        b.cFc = linear(C, 4 * C);
        b.mlpProj = linear(4 * C, C);
        if (!rng->isForLoading())
            for (nn::Linear* lin : {&b.cAttn, &b.attnProj, &b.cFc, &b.mlpProj}) {
                fillNormal(lin->weight, *rng, lin == &b.attnProj || lin == &b.mlpProj ? projStd : 0.02);
                lin->bias.value().setZero();
            }
        m_blocks.push_back(std::move(b));
    }
    m_lnf = nn::LayerNorm(C);
    m_lnf.eps = m_cfg.lnEps;
    if (m_cfg.pos == PositionMode::Sinusoidal) m_sinusoid = nn::sinusoidalEncoding(T, m_cfg.embd);
}

// --- training forward (autograd) --------------------------------------------------------------------

Var TinyGpt::forward(std::span<const int> ids, int B, int T, bool training, Rng* rng,
                     std::vector<nn::AttentionMaps>* maps, std::vector<Mat>* residuals) const {
    if (T > m_cfg.contextLength)
        throw Error("context of " + std::to_string(m_cfg.contextLength) + " tokens is full: the sequence has " +
                    std::to_string(T) + " tokens");
    if (Index(ids.size()) != Index(B) * T) throw Error("TinyGpt::forward: expected B*T ids");
    training = training && m_cfg.dropout > 0.0f && rng;
    Rng none(0);
    Rng& r = rng ? *rng : none;
    const float p = m_cfg.dropout;

    Var x = m_wte.forward(ids);                                  // (B*T, C)
    if (m_cfg.pos == PositionMode::Learned) {
        Tokens pos(ids.size());
        for (size_t i = 0; i < pos.size(); ++i) pos[i] = int(i % size_t(T));
        x = ops::add(x, m_wpe.forward(pos));                     // + wpe[t]
    } else if (m_cfg.pos == PositionMode::Sinusoidal) {
        Mat pe(Index(ids.size()), m_cfg.embd);                   // (B*T, C)
        for (int b = 0; b < B; ++b) pe.middleRows(Index(b) * T, T) = m_sinusoid.topRows(T);
        x = ops::add(ops::scale(x, std::sqrt(float(m_cfg.embd))), Var(std::move(pe)));  // wte * sqrt(C) + PE
    }
    x = ops::dropout(x, p, r, training);
    if (maps) maps->assign(m_blocks.size(), {});
    if (residuals) residuals->assign(1, x.value());
    for (size_t l = 0; l < m_blocks.size(); ++l) {
        const Block& blk = m_blocks[l];
        Var qkv = blk.cAttn.forward(blk.ln1.forward(x));        // (B*T, C + 2K)
        Var y = nn::selfAttention(m_kernel, qkv, B, T, nn::Heads(m_cfg.heads, m_cfg.kvHeadCount()), m_cfg.pos == PositionMode::Rope,
                                  maps ? &(*maps)[l] : nullptr);  // (B*T, C)
        x = ops::add(x, ops::dropout(blk.attnProj.forward(y), p, r, training));
        Var f = blk.cFc.forward(blk.ln2.forward(x));
        Var h = m_cfg.act == Activation::GeluTanh ? ops::geluTanh(f) : ops::gelu(f);  // (B*T, 4C)
        x = ops::add(x, ops::dropout(blk.mlpProj.forward(h), p, r, training));
        if (residuals) residuals->push_back(x.value());
    }
    return ops::matmulNT(m_lnf.forward(x), m_wte.weight);       // (B*T, V), lm_head tied to wte
}

Var TinyGpt::loss(std::span<const int> inputs, std::span<const int> targets, int B, int T, bool training, Rng* rng) const {
    return ops::crossEntropy(forward(inputs, B, T, training, rng), targets);
}

Mat TinyGpt::logits(std::span<const int> tokens) const {
    if (tokens.empty()) return Mat(0, vocabSize());
    NoGradGuard ng;
    return forward(tokens, 1, int(tokens.size()), false).value();
}

std::vector<std::vector<Mat>> TinyGpt::attentionMaps(std::span<const int> tokens) const {
    NoGradGuard ng;
    std::vector<nn::AttentionMaps> maps;
    forward(tokens, 1, int(tokens.size()), false, nullptr, &maps);
    std::vector<std::vector<Mat>> out(maps.size());
    for (size_t l = 0; l < maps.size(); ++l) out[l] = maps[l].probs;
    return out;
}

// --- KV-cached decoding (plain Eigen, no tape) ------------------------------------------------------

namespace {
Mat layerNormRows(const Mat& x, const nn::LayerNorm& ln) { return nn::layerNormRows(x, ln.weight.value(), ln.bias.value(), ln.eps); }
Mat linearRows(const Mat& x, const nn::Linear& lin) { return nn::linearRows(x, lin.weight.value(), &lin.bias.value()); }
}  // namespace

// Beam search clones states every round: copy the filled cache rows only (a row is always written by step()
// before any read reaches it), into buffers allocated for the whole context but left uninitialised.
std::unique_ptr<DecodeState> TinyGptState::clone() const {
    auto c = std::make_unique<TinyGptState>();
    copyFilledInto(*c);
    return c;
}

void TinyGptState::allocate(const TinyGptConfig& cfg) {
    len = 0;
    k.clear();
    v.clear();
    for (int l = 0; l < cfg.layers; ++l) {  // uninitialised: rows are written before they are read
        k.emplace_back(cfg.contextLength, cfg.kvWidth());  // (T, K)
        v.emplace_back(cfg.contextLength, cfg.kvWidth());
    }
    attention.assign(size_t(cfg.layers), Mat());
}

std::unique_ptr<DecodeState> TinyGpt::newState() const {
    auto s = std::make_unique<TinyGptState>();
    s->allocate(m_cfg);
    return s;
}

Mat TinyGpt::step(std::span<DecodeState* const> states, std::span<const int> tokens) const {
    if (states.size() != tokens.size()) throw Error("step: one token per state expected");
    return forwardRows(states, tokens);
}

Mat TinyGpt::extend(DecodeState& state, std::span<const int> tokens) const {
    std::vector<DecodeState*> rows(tokens.size(), &state);
    return forwardRows(rows, tokens);
}

// Row r feeds tokens[r] to *rows[r]; rows of one state are its consecutive next positions. Every row's key and
// value are written to its cache before any row attends, so row r sees its own state's keys 0..pos_r.
Mat TinyGpt::forwardRows(std::span<DecodeState* const> rows, std::span<const int> tokens) const {
    const int B = int(rows.size()), C = m_cfg.embd, V = vocabSize();
    const nn::QkvLayout lay{nn::Heads(m_cfg.heads, m_cfg.kvHeadCount()), C / m_cfg.heads, C, m_cfg.kvWidth()};
    const int H = lay.heads.query, KV = lay.heads.kv, D = lay.D, K = lay.K;
    std::vector<TinyGptState*> st(static_cast<size_t>(B));
    std::vector<int> pos(static_cast<size_t>(B));
    for (int b = 0; b < B; ++b) {  // check everything before touching any state
        st[size_t(b)] = dynamic_cast<TinyGptState*>(rows[size_t(b)]);
        if (!st[size_t(b)] || st[size_t(b)]->k.size() != m_blocks.size() ||
            (!m_blocks.empty() && (st[size_t(b)]->k[0].rows() != m_cfg.contextLength || st[size_t(b)]->k[0].cols() != m_cfg.kvWidth())))
            throw Error("step: the state was not made by this TinyGPT");
        int earlier = 0;
        for (int e = 0; e < b; ++e) earlier += st[size_t(e)] == st[size_t(b)];
        pos[size_t(b)] = st[size_t(b)]->len + earlier;
        if (pos[size_t(b)] >= m_cfg.contextLength)
            throw Error("context of " + std::to_string(m_cfg.contextLength) + " tokens is full");
        if (tokens[size_t(b)] < 0 || tokens[size_t(b)] >= V)
            throw Error("step: token id " + std::to_string(tokens[size_t(b)]) + " is outside the vocabulary of " + std::to_string(V));
    }
    const bool rope = m_cfg.pos == PositionMode::Rope;

    Mat x(B, C);                                                // (B, C) the new tokens
    for (int b = 0; b < B; ++b) {
        const int t = pos[size_t(b)];
        x.row(b) = m_wte.weight.value().row(tokens[size_t(b)]);
        if (m_cfg.pos == PositionMode::Learned) x.row(b) += m_wpe.weight.value().row(t);
        if (m_cfg.pos == PositionMode::Sinusoidal) x.row(b) = x.row(b) * std::sqrt(float(C)) + m_sinusoid.row(t);
    }
    for (size_t l = 0; l < m_blocks.size(); ++l) {
        const Block& blk = m_blocks[l];
        Mat qkv = linearRows(layerNormRows(x, blk.ln1), blk.cAttn);  // (B, C + 2K)
        for (int b = 0; b < B; ++b) {
            TinyGptState& s = *st[size_t(b)];
            const int t = pos[size_t(b)];
            float* q = qkv.row(b).data();
            float* k = q + C;
            if (rope) {
                for (int h = 0; h < H; ++h) nn::ropeRotate(q + h * D, D, t);
                for (int g = 0; g < KV; ++g) nn::ropeRotate(k + g * D, D, t);
            }
            s.k[l].row(t) = qkv.row(b).segment(C, K);
            s.v[l].row(t) = qkv.row(b).segment(C + K, K);
        }
        Mat y(B, C);                                                  // (B, C)
        for (int b = 0; b < B; ++b) {                                 // keys 0..t of its own state
            TinyGptState& s = *st[size_t(b)];
            nn::attendCached(qkv.row(b).data(), s.k[l], s.v[l], pos[size_t(b)] + 1, lay, s.attention[l], y.row(b).data());
        }
        x += linearRows(y, blk.attnProj);
        Mat h = linearRows(layerNormRows(x, blk.ln2), blk.cFc);      // (B, 4C)
        if (m_cfg.act == Activation::GeluTanh) h = h.unaryExpr([](float v) { return ops::geluTanhAt(v); });
        else nn::geluArray(h.data(), h.data(), h.size());
        x += linearRows(h, blk.mlpProj);
    }
    for (int b = 0; b < B; ++b) st[size_t(b)]->len = std::max(st[size_t(b)]->len, pos[size_t(b)] + 1);
    return nn::linearRows(layerNormRows(x, m_lnf), m_wte.weight.value());  // (B, V), lm_head tied to wte
}

std::vector<Mat> TinyGpt::residualStream(std::span<const int> tokens) const {
    NoGradGuard ng;
    std::vector<Mat> out;
    if (!tokens.empty()) forward(tokens, 1, int(tokens.size()), false, nullptr, nullptr, &out);
    return out;
}

Mat TinyGpt::readout(const Mat& residual) const {
    return nn::linearRows(layerNormRows(residual, m_lnf), m_wte.weight.value());
}

std::vector<Mat> TinyGpt::lastAttention(const DecodeState& state) const {
    const auto* s = dynamic_cast<const TinyGptState*>(&state);
    if (!s) throw Error("lastAttention: the state was not made by this TinyGPT");
    return s->attention;
}

// --- parameters and files ---------------------------------------------------------------------------

ParamList TinyGpt::parameters() const {
    ParamList out;
    m_wte.collect(out, "transformer.wte.");
    if (m_cfg.pos == PositionMode::Learned) m_wpe.collect(out, "transformer.wpe.");
    for (size_t l = 0; l < m_blocks.size(); ++l) {
        const Block& b = m_blocks[l];
        const std::string p = "transformer.h." + std::to_string(l) + ".";
        nn::collectSelfAttention(out, p, b.ln1, b.cAttn, b.attnProj);
        b.ln2.collect(out, p + "ln_2.");
        nn::collectMlp(out, p, b.cFc, b.mlpProj);
    }
    m_lnf.collect(out, "transformer.ln_f.");
    return out;
}

Metadata TinyGpt::metadata() const {
    Metadata m = {{"arlab.kind", "tinygpt"}, {"arlab.config", m_cfg.toJson()}, {"arlab.provenance", m_provenance}};
    // A GPT-2 file's byte-level BPE lives in its own files (vocab.json + merges.txt), not in metadata.
    if (m_tok.kind() == Tokenizer::Kind::Char || m_tok.kind() == Tokenizer::Kind::Word) m["arlab.tokenizer"] = m_tok.toJson();
    return m;
}

SafeTensors TinyGpt::toSafetensors() const {
    ParamList params = parameters();
    params.push_back({"lm_head.weight", m_wte.weight, {}});  // nanoGPT's state_dict has the tied copy too
    return ar::toSafetensors(params, metadata());
}

void TinyGpt::save(const std::string& path) const { writeSafetensors(path, toSafetensors()); }

std::unique_ptr<TinyGpt> TinyGpt::fromSafetensors(const SafeTensors& file, const std::string& label) {
    file.requireKind("tinygpt", "a tinygpt", label);
    auto [cfg, tok] = readConfigAndTokenizer(file, label, TinyGptConfig::fromJson);
    checkVocabularySize(cfg.vocabSize, tok, label);
    checkFileHoldsParameters(minParameters(cfg), file, label);  // before anything is allocated
    auto model = forLoading(cfg, std::move(tok));
    // Every tensor is read straight into the model; lm_head.weight, tied to wte, is only compared with it.
    loadParams(file, model->parameters(), label, "lm_head.weight");
    if (const TensorEntry* head = file.find("lm_head.weight")) {
        int64_t bad = -1;  // NaN/Inf named as such first: NaN never equals itself
        const bool same = sameValues(*head, model->m_wte.weight.value(), &bad);
        if (bad >= 0)
            throw Error(label + ": non-finite values (NaN or Inf) in 'lm_head.weight' (element " + std::to_string(bad) + ")");
        if (!same) throw Error(label + ": lm_head.weight differs from transformer.wte.weight (TinyGPT ties them)");
    }
    model->m_provenance = file.provenance();
    return model;
}

}  // namespace ar
