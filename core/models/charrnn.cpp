#include "core/models/charrnn.h"

#include "core/error.h"
#include "core/models/configlimits.h"
#include "core/models/configreader.h"
#include "core/models/textmodelfile.h"

#include <nlohmann/json.hpp>

namespace ar {

using json = nlohmann::json;

// --- config -----------------------------------------------------------------------------------------

void CharRnnConfig::validate() const {
    auto bad = [](const std::string& what) { throw Error("recurrent model config: " + what); };
    if (vocabSize < 1 || vocabSize > kMaxVocab) bad("vocab_size must be in 1.." + std::to_string(kMaxVocab));
    if (embd < 1 || embd > 4096) bad("embd must be in 1..4096");
    if (hidden < 1 || hidden > 4096) bad("hidden must be in 1..4096");
    if (layers < 1 || layers > 4) bad("layers must be in 1..4");
    if (bos < -1 || bos >= vocabSize) bad("bos must be -1 or a token id");
    if (eos < -1 || eos >= vocabSize) bad("eos must be -1 or a token id");
    checkParameterLimit(minParameters(*this), "recurrent model config");
}

std::string CharRnnConfig::toJson() const {
    return json{{"cell", nn::cellName(cell)}, {"vocab_size", vocabSize}, {"embd", embd}, {"hidden", hidden},
                {"layers", layers}, {"bos", bos}, {"eos", eos}}.dump();
}

CharRnnConfig CharRnnConfig::fromJson(const std::string& text, const std::string& kind) {
    CharRnnConfig c;
    ConfigReader r(text, "recurrent model config");
    c.cell = nn::parseCellType(r.choice("cell", kind, {"rnn", "lstm", "gru"}));
    if (nn::cellName(c.cell) != kind)
        throw Error("recurrent model config: cell '" + nn::cellName(c.cell) + "' but the file's kind is '" + kind + "'");
    c.vocabSize = int(r.integer("vocab_size", std::nullopt, 1, kMaxVocab));
    c.embd = int(r.integer("embd", std::nullopt, 1, 4096));
    c.hidden = int(r.integer("hidden", std::nullopt, 1, 4096));
    c.layers = int(r.integer("layers", std::nullopt, 1, 4));
    c.bos = int(r.integer("bos", -1, -1, kMaxVocab));
    c.eos = int(r.integer("eos", -1, -1, kMaxVocab));
    r.finish();
    c.validate();
    return c;
}

// --- model ------------------------------------------------------------------------------------------

CharRnn::CharRnn(const CharRnnConfig& cfg, Tokenizer tok, Rng& rng) : m_cfg(cfg), m_tok(std::move(tok)) {
    m_cfg.validate();
    if (m_tok.size() != m_cfg.vocabSize)
        throw Error("recurrent model: tokenizer has " + std::to_string(m_tok.size()) + " tokens, config says " +
                    std::to_string(m_cfg.vocabSize));
    embedding = nn::Embedding(cfg.vocabSize, cfg.embd, rng);
    rnn = nn::Recurrent(cfg.cell, cfg.embd, cfg.hidden, cfg.layers, rng);
    fc = nn::Linear(cfg.hidden, cfg.vocabSize, true, rng);
}

std::unique_ptr<DecodeState> CharRnn::newState() const {
    auto s = std::make_unique<CharRnnState>();
    for (int l = 0; l < m_cfg.layers; ++l) {
        s->h.push_back(Mat::Zero(1, m_cfg.hidden));
        if (m_cfg.cell == nn::CellType::Lstm) s->c.push_back(Mat::Zero(1, m_cfg.hidden));
    }
    return s;
}

Mat CharRnn::step(std::span<DecodeState* const> states, std::span<const int> tokens) const {
    if (states.size() != tokens.size()) throw Error("step: states and tokens differ in number");
    const Index B = Index(states.size());
    for (int t : tokens)
        if (t < 0 || t >= m_cfg.vocabSize)
            throw Error("step: token id " + std::to_string(t) + " is outside the vocabulary of " +
                        std::to_string(m_cfg.vocabSize));
    NoGradGuard ng;
    // Gather the B states into one (B, H) matrix per layer, run one batched step, scatter back.
    nn::RecurrentState s;
    const bool lstm = m_cfg.cell == nn::CellType::Lstm;
    for (int l = 0; l < m_cfg.layers; ++l) {
        Mat h(B, m_cfg.hidden), c(lstm ? B : 0, m_cfg.hidden);
        for (Index b = 0; b < B; ++b) {
            auto* st = dynamic_cast<CharRnnState*>(states[size_t(b)]);
            if (!st) throw Error("step: the state does not belong to a recurrent model");
            h.row(b) = st->h[size_t(l)];
            if (lstm) c.row(b) = st->c[size_t(l)];
        }
        s.h.push_back(Var(std::move(h)));
        if (lstm) s.c.push_back(Var(std::move(c)));
    }
    Var top = rnn.step(embedding.forward(tokens), s);
    Mat logits = fc.forward(top).value();  // (B, V)
    for (Index b = 0; b < B; ++b) {
        auto* st = static_cast<CharRnnState*>(states[size_t(b)]);
        for (int l = 0; l < m_cfg.layers; ++l) {
            st->h[size_t(l)] = s.h[size_t(l)].value().row(b);
            if (lstm) st->c[size_t(l)] = s.c[size_t(l)].value().row(b);
        }
        ++st->len;
    }
    return logits;
}

Var CharRnn::chunkLoss(const std::vector<Tokens>& inputs, const std::vector<Tokens>& targets,
                       nn::RecurrentState& state) const {
    if (inputs.empty() || inputs.size() != targets.size()) throw Error("chunkLoss: need B input and target rows");
    const size_t B = inputs.size(), T = inputs[0].size();
    std::vector<Var> outs;
    std::vector<int> flatTargets;
    flatTargets.reserve(B * T);
    Tokens ids(B);
    for (size_t t = 0; t < T; ++t) {
        for (size_t b = 0; b < B; ++b) {
            if (inputs[b].size() != T || targets[b].size() != T) throw Error("chunkLoss: rows differ in length");
            ids[b] = inputs[b][t];
        }
        outs.push_back(rnn.step(embedding.forward(ids), state));  // (B, H)
        for (size_t b = 0; b < B; ++b) flatTargets.push_back(targets[b][t]);
    }
    Var logits = fc.forward(ops::concatRows(outs));  // (T*B, V), time-major rows
    return ops::crossEntropy(logits, flatTargets);
}

std::vector<CharRnnStepTrace> CharRnn::trace(std::span<const int> tokens) const {
    NoGradGuard ng;
    std::vector<CharRnnStepTrace> out;
    nn::RecurrentState s = rnn.zeroState(1);
    const int H = m_cfg.hidden;
    for (int tok : tokens) {
        CharRnnStepTrace tr;
        Var x = embedding.forward(std::span<const int>(&tok, 1));
        for (int l = 0; l < m_cfg.layers; ++l) {
            const size_t k = size_t(l);
            // Recompute the activated gates from (x, h) with plain Eigen, for display only.
            Mat gi = x.value() * rnn.wih[k].value().transpose() + rnn.bih[k].value();
            Mat gh = s.h[k].value() * rnn.whh[k].value().transpose() + rnn.bhh[k].value();
            auto sig = [](const Mat& a) { return Mat((1.0f + (-a.array()).exp()).inverse()); };
            Mat gates;
            if (m_cfg.cell == nn::CellType::Lstm) {
                Mat pre = gi + gh;
                gates.resize(4, H);
                gates.row(0) = sig(pre.middleCols(0, H));
                gates.row(1) = sig(pre.middleCols(H, H));
                gates.row(2) = pre.middleCols(2 * H, H).array().tanh().matrix();
                gates.row(3) = sig(pre.middleCols(3 * H, H));
            } else if (m_cfg.cell == nn::CellType::Gru) {
                gates.resize(3, H);
                gates.row(0) = sig(gi.middleCols(0, H) + gh.middleCols(0, H));
                gates.row(1) = sig(gi.middleCols(H, H) + gh.middleCols(H, H));
                gates.row(2) = (gi.middleCols(2 * H, H) + gates.row(0).cwiseProduct(gh.middleCols(2 * H, H)))
                                   .array().tanh().matrix();
            }
            tr.gates.push_back(std::move(gates));
            Var in = l == 0 ? x : s.h[k - 1];
            switch (m_cfg.cell) {
            case nn::CellType::Rnn: s.h[k] = nn::rnnCell(in, s.h[k], rnn.wih[k], rnn.whh[k], rnn.bih[k], rnn.bhh[k]); break;
            case nn::CellType::Gru: s.h[k] = nn::gruCell(in, s.h[k], rnn.wih[k], rnn.whh[k], rnn.bih[k], rnn.bhh[k]); break;
            case nn::CellType::Lstm: {
                Var hc = nn::lstmCell(in, s.h[k], s.c[k], rnn.wih[k], rnn.whh[k], rnn.bih[k], rnn.bhh[k]);
                s.h[k] = Var(Mat(hc.value().leftCols(H)));
                s.c[k] = Var(Mat(hc.value().rightCols(H)));
                break;
            }
            }
            tr.h.push_back(s.h[k].value().row(0));
            if (m_cfg.cell == nn::CellType::Lstm) tr.c.push_back(s.c[k].value().row(0));
            if (l + 1 < m_cfg.layers) x = s.h[k];
        }
        out.push_back(std::move(tr));
    }
    return out;
}

ParamList CharRnn::parameters() const {
    ParamList p;
    embedding.collect(p, "embedding.");
    rnn.collect(p, "rnn.");
    fc.collect(p, "fc.");
    return p;
}

Metadata CharRnn::metadata() const {
    return {{"arlab.kind", kind()}, {"arlab.config", m_cfg.toJson()}, {"arlab.tokenizer", m_tok.toJson()},
            {"arlab.provenance", provenanceJson}};
}

std::unique_ptr<CharRnn> loadCharRnn(const SafeTensors& file, const std::string& label) {
    const std::string kind = file.requireMetadata("arlab.kind", label);
    auto [cfg, tok] = readConfigAndTokenizer(file, label, [&kind](const std::string& json) {
        return CharRnnConfig::fromJson(json, kind);
    });
    if (tok.size() != cfg.vocabSize)
        throw Error(label + ": tokenizer has " + std::to_string(tok.size()) + " tokens but vocab_size is " +
                    std::to_string(cfg.vocabSize));
    checkFileHoldsParameters(minParameters(cfg), file, label);  // before anything is allocated
    Rng shapesOnly = Rng::forLoading();
    auto model = std::make_unique<CharRnn>(cfg, std::move(tok), shapesOnly);
    loadParams(file, model->parameters(), label);
    model->provenanceJson = file.provenance();
    return model;
}

void saveCharRnn(const CharRnn& model, const std::string& path) {
    writeSafetensors(path, toSafetensors(model.parameters(), model.metadata()));
}

}  // namespace ar
