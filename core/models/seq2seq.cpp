#include "core/models/seq2seq.h"

#include "core/error.h"
#include "core/models/configlimits.h"
#include "core/models/configreader.h"
#include "core/models/translatorfile.h"
#include "core/nn/kernels.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace ar {

using json = nlohmann::json;

// --- Luong dot attention (fused) --------------------------------------------------------------------------

Var luongAttention(const Var& memory, const Var& query, int S, Mat* weights) {
    const Index B = query.rows(), H = query.cols();
    if (S <= 0 || memory.rows() != Index(S) * B || memory.cols() != H)
        throw Error("luongAttention: memory must be (S*B, H) for query (B, H)");
    const Mat& M = memory.value();
    const Mat& Q = query.value();
    Mat a(B, S);  // attention weights
    Mat ctx = Mat::Zero(B, H);
    for (Index b = 0; b < B; ++b) {
        for (int s = 0; s < S; ++s) a(b, s) = M.row(s * B + b).dot(Q.row(b));  // score = h_t . h̄_s
        nn::softmaxInPlace(a.row(b).data(), S);  // the same bits for row b alone or in a batch
        for (int s = 0; s < S; ++s) ctx.row(b) += a(b, s) * M.row(s * B + b);
    }
    if (weights) *weights = a;
    return makeResult(std::move(ctx), {memory, query}, [a, S](Node& self) {
        Node& Mn = *self.inputs[0];
        Node& Qn = *self.inputs[1];
        const Index B = self.grad.rows(), H = self.grad.cols();
        Mat dM = Mat::Zero(Mn.value.rows(), H);
        Mat dQ = Mat::Zero(B, H);
        for (Index b = 0; b < B; ++b) {
            const auto g = self.grad.row(b);
            RowVec da(S);
            for (int s = 0; s < S; ++s) da(s) = g.dot(Mn.value.row(s * B + b));    // d ctx / d a_s = h̄_s
            const float dot = da.dot(a.row(b));
            for (int s = 0; s < S; ++s) {
                const float ds = a(b, s) * (da(s) - dot);                          // softmax backward
                dQ.row(b) += ds * Mn.value.row(s * B + b);                          // d score / d h_t = h̄_s
                dM.row(s * B + b) += a(b, s) * g + ds * Qn.value.row(b);           // via ctx and via score
            }
        }
        if (Mn.requiresGrad) accumulate(Mn, dM);
        if (Qn.requiresGrad) accumulate(Qn, dQ);
    });
}

// --- config -------------------------------------------------------------------------------------------------

void Seq2SeqConfig::validate() const {
    auto bad = [](const std::string& w) { throw Error("seq2seq config: " + w); };
    if (srcVocab < 1 || tgtVocab < 3) bad("vocabularies too small");
    if (srcVocab > kMaxVocab || tgtVocab > kMaxVocab) bad("a vocabulary has more than " + std::to_string(kMaxVocab) + " tokens");
    if (embd < 1 || embd > 4096) bad("embd must be in 1..4096");
    if (hidden < 1 || hidden > 4096) bad("hidden must be in 1..4096");
    checkParameterLimit(minParameters(*this), "seq2seq config");
}

std::string Seq2SeqConfig::toJson() const {
    return json{{"src_vocab_size", srcVocab}, {"tgt_vocab_size", tgtVocab}, {"embd", embd}, {"hidden", hidden},
                {"input_feed", inputFeed}, {"bridge", bridge},
                {"attention", "luong-dot"}}.dump();
}

Seq2SeqConfig Seq2SeqConfig::fromJson(const std::string& text) {
    Seq2SeqConfig c;
    ConfigReader r(text, "seq2seq config");
    c.srcVocab = int(r.integer("src_vocab_size", std::nullopt, 1, kMaxVocab));
    c.tgtVocab = int(r.integer("tgt_vocab_size", std::nullopt, 3, kMaxVocab));
    c.embd = int(r.integer("embd", std::nullopt, 1, 4096));
    c.hidden = int(r.integer("hidden", std::nullopt, 1, 4096));
    c.inputFeed = r.boolean("input_feed", true);
    c.bridge = r.boolean("bridge", false);
    r.choice("attention", "luong-dot", {"luong-dot"});  // the only attention this model has
    r.finish();
    c.validate();
    return c;
}

// --- model --------------------------------------------------------------------------------------------------

Seq2Seq::Seq2Seq(const Seq2SeqConfig& cfg, Tokenizer src, Tokenizer tgt, Rng& rng)
    : m_cfg(cfg), m_src(std::move(src)), m_tgt(std::move(tgt)) {
    m_cfg.validate();
    if (m_src.size() != cfg.srcVocab || m_tgt.size() != cfg.tgtVocab)
        throw Error("seq2seq: tokenizer sizes do not match the config");
    if (m_tgt.id("<s>") < 0 || m_tgt.id("</s>") < 0) throw Error("seq2seq: target vocabulary needs <s> and </s>");
    srcEmbedding = nn::Embedding(cfg.srcVocab, cfg.embd, rng);
    tgtEmbedding = nn::Embedding(cfg.tgtVocab, cfg.embd, rng);
    encoder = nn::Recurrent(nn::CellType::Lstm, cfg.embd, cfg.hidden, 1, rng);
    decoder = nn::Recurrent(nn::CellType::Lstm, cfg.embd + (cfg.inputFeed ? cfg.hidden : 0), cfg.hidden, 1, rng);
    attnCombine = nn::Linear(2 * cfg.hidden, cfg.hidden, false, rng);
    out = nn::Linear(cfg.hidden, cfg.tgtVocab, true, rng);
}

Tokens Seq2Seq::encodeSource(const std::string& text) const {
    Tokens ids = m_src.encodeStrict(text, "source sentence");
    if (ids.empty()) throw Error("source sentence: empty (type Chinese words separated by spaces, e.g. 我 爱 你)");
    return ids;
}

Seq2Seq::Memory Seq2Seq::encode(const std::vector<Tokens>& src) const {
    if (src.empty() || src[0].empty()) throw Error("seq2seq: empty source batch");
    Memory m;
    m.B = int(src.size());
    m.S = int(src[0].size());
    for (const Tokens& s : src)
        if (int(s.size()) != m.S) throw Error("seq2seq: sources in one batch must have the same length");
    m.final = encoder.zeroState(m.B);
    std::vector<Var> outs;
    Tokens ids(size_t(m.B));
    for (int s = 0; s < m.S; ++s) {
        for (int b = 0; b < m.B; ++b) ids[size_t(b)] = src[size_t(b)][size_t(s)];
        outs.push_back(encoder.step(srcEmbedding.forward(ids), m.final));  // h̄_s (B, H)
    }
    m.states = ops::concatRows(outs);  // (S*B, H) time-major
    return m;
}

Seq2Seq::DecoderState Seq2Seq::startDecoder(const Memory& m) const {
    DecoderState st;
    st.rnn = m_cfg.bridge ? m.final : decoder.zeroState(m.B);  // h_0, c_0 = h̄_S, c̄_S or zeros
    st.feed = Var(Mat::Zero(m.B, m_cfg.hidden));        // h̃_0 = 0
    return st;
}

Var Seq2Seq::decodeStep(const Memory& m, DecoderState& st, std::span<const int> prev, Mat* attn) const {
    Var x = tgtEmbedding.forward(prev);                                        // (B, E)
    if (m_cfg.inputFeed) x = ops::concatCols({x, st.feed});                    // (B, E+H)
    Var h = decoder.step(x, st.rnn);                                           // h_t (B, H)
    Var ctx = luongAttention(m.states, h, m.S, attn);                          // (B, H)
    Var ht = ops::tanh(attnCombine.forward(ops::concatCols({ctx, h})));        // h̃_t (B, H)
    st.feed = ht;
    return out.forward(ht);                                                    // (B, V)
}

ParamList Seq2Seq::parameters() const {
    ParamList p;
    srcEmbedding.collect(p, "src_embedding.");
    tgtEmbedding.collect(p, "tgt_embedding.");
    encoder.collect(p, "encoder.");
    decoder.collect(p, "decoder.");
    attnCombine.collect(p, "attn_combine.");
    out.collect(p, "out.");
    return p;
}

Metadata Seq2Seq::metadata() const {
    return translatorMetadata("seq2seq", m_cfg.toJson(), m_tgt, m_src, provenanceJson);
}

std::unique_ptr<Seq2Seq> loadSeq2Seq(const SafeTensors& file, const std::string& label) {
    file.requireKind("seq2seq", "a seq2seq translator", label);
    return loadTranslatorFile<Seq2Seq, Seq2SeqConfig>(file, label, [&](const Seq2SeqConfig& cfg) {
        checkFileHoldsParameters(minParameters(cfg), file, label);
    });
}

std::unique_ptr<Seq2Seq> loadSeq2Seq(const std::string& path) {
    return loadSeq2Seq(openSafetensors(path), "model '" + path + "'");
}

void saveSeq2Seq(const Seq2Seq& model, const std::string& path) {
    writeSafetensors(path, toSafetensors(model.parameters(), model.metadata()));
}

// --- inference ----------------------------------------------------------------------------------------------

Translation translateGreedy(const Seq2Seq& model, const Tokens& src, int maxLen) {
    NoGradGuard ng;
    Translation tr;
    const auto m = model.encode({src});
    auto st = model.startDecoder(m);
    int prev = model.bos();
    std::vector<RowVec> rows;
    for (int t = 0; t < maxLen; ++t) {
        Mat a;
        const Mat logits = model.decodeStep(m, st, std::span<const int>(&prev, 1), &a).value();
        Index best;
        const float mx = logits.row(0).maxCoeff(&best);
        const double z = (logits.row(0).array() - mx).exp().sum();
        tr.tokens.push_back(int(best));
        tr.p.push_back(float(1.0 / z));
        rows.push_back(a.row(0));
        prev = int(best);
        if (prev == model.eos()) break;
    }
    tr.attention.resize(Index(rows.size()), Index(src.size()));
    for (size_t i = 0; i < rows.size(); ++i) tr.attention.row(Index(i)) = rows[i];
    return tr;
}

Mat teacherForcedLogits(const Seq2Seq& model, const Tokens& src, const Tokens& tgt, Mat* attention) {
    NoGradGuard ng;
    const auto m = model.encode({src});
    auto st = model.startDecoder(m);
    Mat logits(Index(tgt.size()) + 1, model.tgtTokenizer().size());
    if (attention) attention->resize(logits.rows(), Index(src.size()));
    int prev = model.bos();
    for (Index t = 0; t < logits.rows(); ++t) {
        Mat a;
        logits.row(t) = model.decodeStep(m, st, std::span<const int>(&prev, 1), &a).value().row(0);
        if (attention) attention->row(t) = a.row(0);
        if (t < Index(tgt.size())) prev = tgt[size_t(t)];
    }
    return logits;
}

// --- decoding adapter ---------------------------------------------------------------------------------------

TranslatorLM::TranslatorLM(std::shared_ptr<const Seq2Seq> model, Tokens source)
    : m_model(std::move(model)), m_source(std::move(source)) {
    if (m_source.empty()) throw Error("translator: empty source sentence");
    NoGradGuard ng;
    const auto m = m_model->encode({m_source});
    m_memory = std::make_shared<const Mat>(m.states.value());  // B = 1: time-major rows are just s
    const auto st = m_model->startDecoder(m);
    m_h0 = st.rnn.h[0].value();
    m_c0 = st.rnn.c[0].value();
}

std::unique_ptr<DecodeState> TranslatorLM::newState() const {
    auto s = std::make_unique<TranslatorState>();
    s->memory = m_memory;
    s->h = m_h0;
    s->c = m_c0;
    s->feed = Mat::Zero(1, m_model->config().hidden);
    return s;
}

Mat TranslatorLM::step(std::span<DecodeState* const> states, std::span<const int> tokens) const {
    if (states.size() != tokens.size()) throw Error("step: states and tokens differ in number");
    const int V = m_model->tgtTokenizer().size();
    for (int t : tokens)
        if (t < 0 || t >= V) throw Error("step: token id " + std::to_string(t) + " is outside the vocabulary");
    NoGradGuard ng;
    const int B = int(states.size()), H = m_model->config().hidden, S = int(m_source.size());
    Seq2Seq::Memory m;
    m.B = B;
    m.S = S;
    Mat mem(Index(S) * B, H), h(B, H), c(B, H), feed(B, H);
    for (int b = 0; b < B; ++b) {
        auto* st = dynamic_cast<TranslatorState*>(states[size_t(b)]);
        if (!st) throw Error("step: the state does not belong to this translator");
        for (int s = 0; s < S; ++s) mem.row(Index(s) * B + b) = st->memory->row(s);
        h.row(b) = st->h;
        c.row(b) = st->c;
        feed.row(b) = st->feed;
    }
    m.states = Var(std::move(mem));
    Seq2Seq::DecoderState ds;
    ds.rnn.h = {Var(std::move(h))};
    ds.rnn.c = {Var(std::move(c))};
    ds.feed = Var(std::move(feed));
    Mat attn;
    Mat logits = m_model->decodeStep(m, ds, tokens, &attn).value();
    for (int b = 0; b < B; ++b) {
        auto* st = static_cast<TranslatorState*>(states[size_t(b)]);
        st->h = ds.rnn.h[0].value().row(b);
        st->c = ds.rnn.c[0].value().row(b);
        st->feed = ds.feed.value().row(b);
        st->attention = attn.row(b);
        ++st->len;
    }
    return logits;
}

std::vector<Mat> TranslatorLM::lastAttention(const DecodeState& state) const {
    auto* st = dynamic_cast<const TranslatorState*>(&state);
    if (!st || st->attention.size() == 0) return {};
    return {st->attention};
}

}  // namespace ar
