#include "core/models/nat.h"

#include "core/error.h"
#include "core/models/translatorfile.h"
#include "core/nn/blocknames.h"
#include "core/nn/kernels.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

namespace ar {

using json = nlohmann::json;

// --- config -------------------------------------------------------------------------------------------------

void NatConfig::validate() const {
    auto need = [](bool ok, const std::string& w) { if (!ok) throw Error("nat config: " + w); };
    need(srcVocab >= 1 && tgtVocab >= 2, "vocabularies too small");
    need(embd >= 1 && embd <= 4096, "embd must be in 1..4096, got " + std::to_string(embd));
    need(heads >= 1 && embd % heads == 0,
         "heads (" + std::to_string(heads) + ") must divide the width (" + std::to_string(embd) + ")");
    need(encLayers >= 1 && encLayers <= 24 && decLayers >= 1 && decLayers <= 24, "layers must be in 1..24");
    need(maxSrc >= 1 && maxSrc <= 512 && maxLen >= 1 && maxLen <= 512, "maxSrc and maxLen must be in 1..512");
}

std::string NatConfig::toJson() const {
    return json{{"src_vocab_size", srcVocab}, {"tgt_vocab_size", tgtVocab}, {"n_embd", embd}, {"n_head", heads},
                {"enc_layers", encLayers},   {"dec_layers", decLayers},   {"max_src", maxSrc}, {"max_len", maxLen}}
        .dump();
}

NatConfig NatConfig::fromJson(const std::string& text) {
    NatConfig c;
    try {
        const json j = json::parse(text);
        c.srcVocab = j.at("src_vocab_size").get<int>();
        c.tgtVocab = j.at("tgt_vocab_size").get<int>();
        c.embd = j.at("n_embd").get<int>();
        c.heads = j.at("n_head").get<int>();
        c.encLayers = j.at("enc_layers").get<int>();
        c.decLayers = j.at("dec_layers").get<int>();
        c.maxSrc = j.at("max_src").get<int>();
        c.maxLen = j.at("max_len").get<int>();
    } catch (const json::exception& e) {
        throw Error(std::string("nat config: ") + e.what());
    }
    c.validate();
    return c;
}

// --- model --------------------------------------------------------------------------------------------------

NatTranslator::NatTranslator(const NatConfig& cfg, Tokenizer src, Tokenizer tgt, uint64_t seed)
    : NatTranslator(cfg, std::move(src), std::move(tgt), *std::make_unique<Rng>(seed)) {}

NatTranslator::NatTranslator(const NatConfig& cfg, Tokenizer src, Tokenizer tgt, Rng& rng)
    : m_cfg(cfg), m_src(std::move(src)), m_tgt(std::move(tgt)) {
    m_cfg.validate();
    if (m_src.size() != cfg.srcVocab || m_tgt.size() != cfg.tgtVocab)
        throw Error("nat: tokenizer sizes do not match the config");
    if (m_tgt.id("[MASK]") != 0) throw Error("nat: the target vocabulary must start with [MASK]");
    const int C = cfg.embd;
    m_srcEmb = nn::Embedding(cfg.srcVocab, C, rng, 0.1f);
    m_srcPos = nn::Embedding(cfg.maxSrc, C, rng, 0.1f);
    m_tgtEmb = nn::Embedding(cfg.tgtVocab, C, rng, 0.1f);
    m_tgtPos = nn::Embedding(cfg.maxLen, C, rng, 0.1f);
    for (int l = 0; l < cfg.encLayers; ++l)
        m_enc.push_back({nn::LayerNorm(C), nn::LayerNorm(C), nn::Linear(C, 3 * C, true, rng), nn::Linear(C, C, true, rng),
                         nn::Linear(C, 4 * C, true, rng), nn::Linear(4 * C, C, true, rng)});
    m_encLn = nn::LayerNorm(C);
    m_length = nn::Linear(C, cfg.maxLen, true, rng);
    for (int l = 0; l < cfg.decLayers; ++l)
        m_dec.push_back({nn::LayerNorm(C), nn::LayerNorm(C), nn::LayerNorm(C), nn::Linear(C, 3 * C, true, rng),
                         nn::Linear(C, C, true, rng), nn::Linear(C, C, true, rng), nn::Linear(C, 2 * C, true, rng),
                         nn::Linear(C, C, true, rng), nn::Linear(C, 4 * C, true, rng), nn::Linear(4 * C, C, true, rng)});
    m_decLn = nn::LayerNorm(C);
    m_out = nn::Linear(C, cfg.tgtVocab, true, rng);
}

Tokens NatTranslator::encodeSource(const std::string& text) const {
    Tokens ids = m_src.encodeStrict(text, "source sentence");
    if (ids.empty()) throw Error("source sentence: empty (type Chinese words separated by spaces, e.g. 我 爱 你)");
    if (int(ids.size()) > m_cfg.maxSrc)
        throw Error("source sentence: " + std::to_string(ids.size()) + " words, the model reads at most " +
                    std::to_string(m_cfg.maxSrc));
    return ids;
}

namespace {
Tokens positions(int B, int T) {
    Tokens p(size_t(B) * size_t(T));
    for (size_t i = 0; i < p.size(); ++i) p[i] = int(i % size_t(T));
    return p;
}
}  // namespace

static Var linear(const nn::Linear& l, const Var& x) { return l.forward(x); }

// --- inference without a tape -------------------------------------------------------------------------------
// With gradients off (every decoding mode), encode(), lengthLogits() and decode() run on plain matrices through the
// shared kernels (core/nn/kernels.h: linearRows with each weight row read once for all rows, layerNormRows, geluArray):
// no autograd nodes, no packed GEMM copies of the weights. The decoder's cross-attention keys and values depend on
// the source only, so encode() computes them once per layer and every pass over that source reuses them.

namespace {
Mat lin(const nn::Linear& l, const Mat& x) { return nn::linearRows(x, l.weight.value(), &l.bias.value()); }
Mat norm(const nn::LayerNorm& n, const Mat& x) { return nn::layerNormRows(x, n.weight.value(), n.bias.value(), n.eps); }
Mat geluRows(Mat h) {
    nn::geluArray(h.data(), h.data(), h.size());
    return h;
}
// Unmasked multi-head attention of B groups: query rows b*Tq.. of q (columns qc.., C wide) read key rows b*Tk.. of
// k (columns kc..) and value rows of v (columns vc..). -> (B*Tq, C). Every score is one dot product summed over
// d = 0..D-1 in order and every output feature one sum over keys j = 0..Tk-1 in order; for speed the sums run in
// local accumulators, 8 keys (or 8 features) of 4 queries at once, never one long chain through memory.
// Per head the keys are laid out feature-major first (kt: D rows of Tk8 = Tk rounded up to 8, zero-padded); all the
// head's scores are computed, then each row's softmax, then the outputs. Each score row starts 16-byte aligned (a
// heap buffer, row stride a multiple of 8 floats), so softmaxInPlace needs no scratch copy of it.
Mat attendAll(const Mat& q, Index qc, const Mat& k, Index kc, const Mat& v, Index vc, int B, int Tq, int Tk, int H, int C) {
    constexpr int QB = 4;  // queries per block (a block past the last query repeats it and drops the copies)
    const int D = C / H;
    const float scale = 1.0f / std::sqrt(float(D));
    const size_t Tk8 = (size_t(Tk) + 7) / 8 * 8;
    Mat y(Index(B) * Tq, C);
    std::vector<float> kt(size_t(D) * Tk8, 0.0f), p(size_t(Tq) * Tk8);  // (D, Tk8) keys of one head; (Tq, Tk8) scores
    for (int b = 0; b < B; ++b)
        for (int h = 0; h < H; ++h) {
            for (int j = 0; j < Tk; ++j) {
                const float* kj = k.row(Index(b) * Tk + j).data() + kc + h * D;
                for (int d = 0; d < D; ++d) kt[size_t(d) * Tk8 + size_t(j)] = kj[d];
            }
            for (int i0 = 0; i0 < Tq; i0 += QB) {
                const int nq = std::min(QB, Tq - i0);
                const float* qs[QB];
                for (int u = 0; u < QB; ++u) qs[u] = q.row(Index(b) * Tq + i0 + std::min(u, nq - 1)).data() + qc + h * D;
                for (size_t j0 = 0; j0 < size_t(Tk); j0 += 8) {
                    float acc[QB][8] = {};
                    for (int d = 0; d < D; ++d) {
                        const float* kd = kt.data() + size_t(d) * Tk8 + j0;
#pragma GCC unroll 4
                        for (int u = 0; u < QB; ++u) {
                            const float qd = qs[u][d];
#pragma GCC unroll 8
                            for (int l = 0; l < 8; ++l) acc[u][l] += qd * kd[l];
                        }
                    }
                    for (int u = 0; u < nq; ++u)
#pragma GCC unroll 8
                        for (int l = 0; l < 8; ++l) p[size_t(i0 + u) * Tk8 + j0 + size_t(l)] = acc[u][l] * scale;
                }
            }
            for (int i = 0; i < Tq; ++i) nn::softmaxInPlace(p.data() + size_t(i) * Tk8, Tk);
            for (int i0 = 0; i0 < Tq; i0 += QB) {
                const int nq = std::min(QB, Tq - i0);
                const float* ps[QB];
                for (int u = 0; u < QB; ++u) ps[u] = p.data() + size_t(i0 + std::min(u, nq - 1)) * Tk8;
                int d0 = 0;
                for (; d0 + 8 <= D; d0 += 8) {
                    float acc[QB][8] = {};
                    for (int j = 0; j < Tk; ++j) {
                        const float* vj = v.row(Index(b) * Tk + j).data() + vc + h * D + d0;
#pragma GCC unroll 4
                        for (int u = 0; u < QB; ++u) {
                            const float pj = ps[u][j];
#pragma GCC unroll 8
                            for (int l = 0; l < 8; ++l) acc[u][l] += pj * vj[l];
                        }
                    }
                    for (int u = 0; u < nq; ++u) {
                        float* yi = y.row(Index(b) * Tq + i0 + u).data() + h * D + d0;
#pragma GCC unroll 8
                        for (int l = 0; l < 8; ++l) yi[l] = acc[u][l];
                    }
                }
                for (int u = 0; u < nq; ++u)
                    for (int d = d0; d < D; ++d) {
                        float a = 0;
                        for (int j = 0; j < Tk; ++j) a += ps[u][j] * v(Index(b) * Tk + j, vc + h * D + d);
                        y(Index(b) * Tq + i0 + u, h * D + d) = a;
                    }
            }
        }
    return y;
}
}  // namespace

Var NatTranslator::mlp(const Var& x, const nn::LayerNorm& ln, const nn::Linear& fc, const nn::Linear& proj) const {
    return linear(proj, ops::gelu(linear(fc, ln.forward(x))));
}

NatTranslator::Memory NatTranslator::encode(const std::vector<Tokens>& src) const {
    if (src.empty() || src[0].empty()) throw Error("nat: empty source batch");
    Memory m;
    m.B = int(src.size());
    m.S = int(src[0].size());
    if (m.S > m_cfg.maxSrc)
        throw Error("nat: source of " + std::to_string(m.S) + " words, the model reads at most " + std::to_string(m_cfg.maxSrc));
    Tokens ids;
    for (const Tokens& s : src) {
        if (int(s.size()) != m.S) throw Error("nat: sources in one batch must have the same length");
        ids.insert(ids.end(), s.begin(), s.end());
    }
    if (!gradEnabled()) {
        const int C = m_cfg.embd;
        Mat x(Index(ids.size()), C);                                                  // (B*S, C)
        for (size_t i = 0; i < ids.size(); ++i)
            x.row(Index(i)) = m_srcEmb.weight.value().row(ids[i]) + m_srcPos.weight.value().row(Index(i % size_t(m.S)));
        for (const EncoderBlock& b : m_enc) {
            const Mat qkv = lin(b.cAttn, norm(b.ln1, x));                            // (B*S, 3C)
            x += lin(b.attnProj, attendAll(qkv, 0, qkv, C, qkv, 2 * C, m.B, m.S, m.S, m_cfg.heads, C));
            x += lin(b.mlpProj, geluRows(lin(b.cFc, norm(b.ln2, x))));
        }
        Mat states = norm(m_encLn, x);
        for (const DecoderBlock& b : m_dec) m.crossKv.push_back(lin(b.crossKv, states));  // (B*S, 2C) per layer
        m.states = Var(std::move(states));
        return m;
    }
    Var x = ops::add(m_srcEmb.forward(ids), m_srcPos.forward(positions(m.B, m.S)));  // (B*S, C)
    for (const EncoderBlock& b : m_enc) {
        x = ops::add(x, linear(b.attnProj, nn::selfAttention(linear(b.cAttn, b.ln1.forward(x)), m.B, m.S, m_cfg.heads)));
        x = ops::add(x, mlp(x, b.ln2, b.cFc, b.mlpProj));
    }
    m.states = m_encLn.forward(x);
    return m;
}

Var NatTranslator::lengthLogits(const Memory& m) const {
    if (!gradEnabled()) {
        Mat mean(m.B, m_cfg.embd);  // (B, C): each sentence's mean encoder row
        for (int b = 0; b < m.B; ++b) mean.row(b) = m.states.value().middleRows(Index(b) * m.S, m.S).colwise().mean();
        return Var(lin(m_length, mean));
    }
    Mat pool = Mat::Zero(m.B, Index(m.B) * m.S);  // (B, B*S): row b averages sentence b's S rows
    for (int b = 0; b < m.B; ++b) pool.block(b, Index(b) * m.S, 1, m.S).setConstant(1.0f / float(m.S));
    return linear(m_length, ops::matmul(Var(std::move(pool)), m.states));  // (B, maxLen)
}

Var NatTranslator::decode(const Memory& m, std::span<const int> input, int T, nn::AttentionMaps* cross) const {
    if (T < 1 || T > m_cfg.maxLen)
        throw Error("nat: target length " + std::to_string(T) + " outside 1.." + std::to_string(m_cfg.maxLen));
    if (Index(input.size()) != Index(m.B) * T) throw Error("nat: decoder input must hold B*T ids");
    ++m_calls;
    if (!gradEnabled() && !cross && m.crossKv.size() == m_dec.size()) {
        const int C = m_cfg.embd;
        Mat y(Index(input.size()), C);                                               // (B*T, C)
        for (size_t i = 0; i < input.size(); ++i)
            y.row(Index(i)) = m_tgtEmb.weight.value().row(input[i]) + m_tgtPos.weight.value().row(Index(i % size_t(T)));
        for (size_t l = 0; l < m_dec.size(); ++l) {
            const DecoderBlock& b = m_dec[l];
            const Mat qkv = lin(b.cAttn, norm(b.ln1, y));                            // (B*T, 3C)
            y += lin(b.attnProj, attendAll(qkv, 0, qkv, C, qkv, 2 * C, m.B, T, T, m_cfg.heads, C));
            const Mat q = lin(b.crossQ, norm(b.ln2, y));                             // (B*T, C)
            const Mat& kv = m.crossKv[l];                                            // (B*S, 2C)
            y += lin(b.crossProj, attendAll(q, 0, kv, 0, kv, C, m.B, T, m.S, m_cfg.heads, C));
            y += lin(b.mlpProj, geluRows(lin(b.cFc, norm(b.ln3, y))));
        }
        return Var(lin(m_out, norm(m_decLn, y)));                                    // (B*T, V)
    }
    Var y = ops::add(m_tgtEmb.forward(input), m_tgtPos.forward(positions(m.B, T)));  // (B*T, C)
    for (size_t l = 0; l < m_dec.size(); ++l) {
        const DecoderBlock& b = m_dec[l];
        y = ops::add(y, linear(b.attnProj, nn::selfAttention(linear(b.cAttn, b.ln1.forward(y)), m.B, T, m_cfg.heads)));
        Var q = linear(b.crossQ, b.ln2.forward(y));                          // (B*T, C)
        Var kv = linear(b.crossKv, m.states);                                // (B*S, 2C)
        y = ops::add(y, linear(b.crossProj, nn::crossAttention(q, kv, m.B, T, m.S, m_cfg.heads,
                                                              l + 1 == m_dec.size() ? cross : nullptr)));
        y = ops::add(y, mlp(y, b.ln3, b.cFc, b.mlpProj));
    }
    return linear(m_out, m_decLn.forward(y));                                // (B*T, V)
}

ParamList NatTranslator::parameters() const {
    ParamList p;
    m_srcEmb.collect(p, "src_embedding.");
    m_srcPos.collect(p, "src_position.");
    m_tgtEmb.collect(p, "tgt_embedding.");
    m_tgtPos.collect(p, "tgt_position.");
    for (size_t l = 0; l < m_enc.size(); ++l) {
        const EncoderBlock& b = m_enc[l];
        const std::string s = "encoder.h." + std::to_string(l) + ".";
        nn::collectSelfAttention(p, s, b.ln1, b.cAttn, b.attnProj);
        b.ln2.collect(p, s + "ln_2.");
        nn::collectMlp(p, s, b.cFc, b.mlpProj);
    }
    m_encLn.collect(p, "encoder.ln_f.");
    m_length.collect(p, "length.");
    for (size_t l = 0; l < m_dec.size(); ++l) {
        const DecoderBlock& b = m_dec[l];
        const std::string s = "decoder.h." + std::to_string(l) + ".";
        nn::collectSelfAttention(p, s, b.ln1, b.cAttn, b.attnProj);
        b.ln2.collect(p, s + "ln_2.");
        b.crossQ.collect(p, s + "cross.q.");
        b.crossKv.collect(p, s + "cross.kv.");
        b.crossProj.collect(p, s + "cross.c_proj.");
        b.ln3.collect(p, s + "ln_3.");
        nn::collectMlp(p, s, b.cFc, b.mlpProj);
    }
    m_decLn.collect(p, "decoder.ln_f.");
    m_out.collect(p, "out.");
    return p;
}

Metadata NatTranslator::metadata() const {
    return translatorMetadata("nat", m_cfg.toJson(), m_tgt, m_src, provenanceJson);
}

std::unique_ptr<NatTranslator> loadNatTranslator(const SafeTensors& file, const std::string& label) {
    file.requireKind("nat", "a non-autoregressive (nat) translator", label);
    return loadTranslatorFile<NatTranslator, NatConfig>(file, label);
}

std::unique_ptr<NatTranslator> loadNatTranslator(const std::string& path) {
    return loadNatTranslator(openSafetensors(path), "model '" + path + "'");
}

void saveNatTranslator(const NatTranslator& model, const std::string& path) {
    writeSafetensors(path, toSafetensors(model.parameters(), model.metadata()));
}

}  // namespace ar
