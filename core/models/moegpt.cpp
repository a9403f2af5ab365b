#include "core/models/moegpt.h"

#include "core/error.h"
#include "core/models/configreader.h"
#include "core/models/textmodelfile.h"
#include "core/nn/blocknames.h"

#include <cmath>
#include <tuple>

#include <nlohmann/json.hpp>

namespace ar {

using nlohmann::json;

void MoeGptConfig::validate() const {
    gpt.validate();
    if (gpt.pos != PositionMode::Learned) throw Error("the mixture-of-experts GPT uses learned positions");
    if (gpt.kvHeadCount() != gpt.heads) throw Error("the mixture-of-experts GPT has one key/value head per query head (no n_kv_heads)");
    if (experts < 1 || experts > 64) throw Error("experts must be between 1 and 64, got " + std::to_string(experts));
    if (topK < 1 || topK > experts)
        throw Error("top-k must be between 1 and the number of experts (" + std::to_string(experts) + "), got " + std::to_string(topK));
    if (expertHidden < 1 || expertHidden > 16384) throw Error("expert width must be between 1 and 16384, got " + std::to_string(expertHidden));
    if (!(balance >= 0.0f && balance <= 10.0f)) throw Error("the balancing weight must be between 0 and 10, got " + std::to_string(balance));
}

std::string MoeGptConfig::toJson() const {
    json j = json::parse(gpt.toJson());
    j["n_experts"] = experts;
    j["top_k"] = topK;
    j["expert_hidden"] = expertHidden;
    j["balance"] = balance;
    return j.dump();
}

MoeGptConfig MoeGptConfig::fromJson(const std::string& text) {
    MoeGptConfig c;
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw Error("config is not a JSON object");
    json gpt = j;  // TinyGPT's reader refuses keys it does not know: give it only its own
    for (const char* key : {"n_experts", "top_k", "expert_hidden", "balance"}) gpt.erase(key);
    c.gpt = TinyGptConfig::fromJson(gpt.dump());
    // The experts' keys, strictly (types and ranges named); every other key is TinyGPT's, refused above when unknown.
    ConfigReader r(text, "moe config");
    c.experts = int(r.integer("n_experts", std::nullopt, 1, 64));
    c.topK = int(r.integer("top_k", std::nullopt, 1, 64));
    c.expertHidden = int(r.integer("expert_hidden", std::nullopt, 1, 16384));
    c.balance = float(r.number("balance", 0.0, 0.0, 10.0));
    c.validate();
    return c;
}

MoeGpt::MoeGpt(MoeGptConfig config, Tokenizer tokenizer, uint64_t seed)
    : MoeGpt(std::move(config), std::move(tokenizer), *std::make_unique<Rng>(seed)) {}

MoeGpt::MoeGpt(MoeGptConfig config, Tokenizer tokenizer, Rng& rng) : m_cfg(std::move(config)), m_tok(std::move(tokenizer)) {
    m_cfg.gpt.vocabSize = m_tok.size();
    m_cfg.gpt.dropout = 0.0f;
    m_cfg.validate();
    const int V = m_tok.size(), C = m_cfg.gpt.embd, L = m_cfg.gpt.layers;
    m_wte = nn::Embedding(V, C, rng, 0.02f);
    m_wpe = nn::Embedding(m_cfg.gpt.contextLength, C, rng, 0.02f);
    const double projStd = 0.02 / std::sqrt(2.0 * L);
    for (int l = 0; l < L; ++l) {
        Block b;
        b.ln1 = nn::LayerNorm(C);
        b.ln2 = nn::LayerNorm(C);
        b.cAttn = nn::Linear(C, 3 * C, true, rng);
        b.attnProj = nn::Linear(C, C, true, rng);
        for (auto [lin, std] : {std::pair{&b.cAttn, 0.02}, std::pair{&b.attnProj, projStd}}) {
            Mat& w = lin->weight.value();
            if (!rng.isForLoading())  // else the weights come from a file next
                for (Index i = 0; i < w.size(); ++i) w.data()[i] = float(rng.normal(0.0, std));
            lin->bias.value().setZero();
        }
        b.moe = nn::MoeMlp(C, m_cfg.experts, m_cfg.expertHidden, m_cfg.topK, rng, projStd);
        m_blocks.push_back(std::move(b));
    }
    m_lnf = nn::LayerNorm(C);
}

Var MoeGpt::forward(std::span<const int> ids, int B, int T, Var* aux, std::vector<nn::MoeRouting>* routing) const {
    if (T > m_cfg.gpt.contextLength)
        throw Error("context of " + std::to_string(m_cfg.gpt.contextLength) + " tokens is full: the sequence has " +
                    std::to_string(T) + " tokens");
    if (Index(ids.size()) != Index(B) * T) throw Error("MoeGpt::forward: expected B*T ids");
    Tokens pos(ids.size());
    for (size_t i = 0; i < pos.size(); ++i) pos[i] = int(i % size_t(T));
    Var x = ops::add(m_wte.forward(ids), m_wpe.forward(pos));    // (B*T, C)
    if (routing) routing->assign(m_blocks.size(), {});
    std::vector<Var> auxes;
    for (size_t l = 0; l < m_blocks.size(); ++l) {
        const Block& blk = m_blocks[l];
        Var qkv = blk.cAttn.forward(blk.ln1.forward(x));          // (B*T, 3C)
        x = ops::add(x, blk.attnProj.forward(nn::selfAttention(nn::AttentionKernel::Standard, qkv, B, T, m_cfg.gpt.heads, false)));
        Var a;
        x = ops::add(x, blk.moe.forward(blk.ln2.forward(x), aux ? &a : nullptr, routing ? &(*routing)[l] : nullptr));
        if (aux) auxes.push_back(a);
    }
    if (aux) *aux = ops::scale(ops::sum(ops::concatCols(auxes)), 1.0f / float(auxes.size()));
    return ops::matmulNT(m_lnf.forward(x), m_wte.weight);       // (B*T, V), lm_head tied to wte
}

MoeGpt::Loss MoeGpt::loss(std::span<const int> inputs, std::span<const int> targets, int B, int T) const {
    Var aux;
    Var ce = ops::crossEntropy(forward(inputs, B, T, &aux), targets);
    return {ce, m_cfg.balance > 0 ? ops::add(ce, ops::scale(aux, m_cfg.balance)) : ce};
}

std::vector<nn::MoeRouting> MoeGpt::routing(std::span<const int> tokens) const {
    NoGradGuard ng;
    std::vector<nn::MoeRouting> r;
    forward(tokens, 1, int(tokens.size()), nullptr, &r);
    return r;
}

Mat MoeGpt::logits(std::span<const int> tokens) const {
    if (tokens.empty()) return Mat(0, vocabSize());
    NoGradGuard ng;
    return forward(tokens, 1, int(tokens.size())).value();
}

Mat MoeGpt::step(std::span<DecodeState* const> states, std::span<const int> tokens) const {
    if (states.size() != tokens.size()) throw Error("step: one token per state expected");
    std::vector<MoeGptState*> st;
    for (size_t b = 0; b < states.size(); ++b) {  // check everything before touching any state
        st.push_back(dynamic_cast<MoeGptState*>(states[b]));
        if (!st.back()) throw Error("step: the state was not made by this model");
        if (st.back()->length() >= contextLength()) throw Error("context of " + std::to_string(contextLength()) + " tokens is full");
        if (tokens[b] < 0 || tokens[b] >= vocabSize())
            throw Error("step: token id " + std::to_string(tokens[b]) + " is outside the vocabulary of " + std::to_string(vocabSize()));
    }
    Mat out(Index(states.size()), vocabSize());
    for (size_t b = 0; b < st.size(); ++b) {
        st[b]->tokens.push_back(tokens[b]);
        const Mat l = logits(st[b]->tokens);
        out.row(Index(b)) = l.row(l.rows() - 1);
    }
    return out;
}

ParamList MoeGpt::parameters() const {
    ParamList out;
    m_wte.collect(out, "transformer.wte.");
    m_wpe.collect(out, "transformer.wpe.");
    for (size_t l = 0; l < m_blocks.size(); ++l) {
        const Block& b = m_blocks[l];
        const std::string p = "transformer.h." + std::to_string(l) + ".";
        nn::collectSelfAttention(out, p, b.ln1, b.cAttn, b.attnProj);
        b.ln2.collect(out, p + "ln_2.");
        b.moe.collect(out, p + "mlp.");
    }
    m_lnf.collect(out, "transformer.ln_f.");
    return out;
}

size_t MoeGpt::totalParameters() const {
    size_t n = 0;
    for (const auto& p : parameters()) n += size_t(p.var.value().size());
    return n;
}

size_t MoeGpt::activeParametersPerToken() const {
    const size_t C = size_t(m_cfg.gpt.embd), F = size_t(m_cfg.expertHidden);
    const size_t perExpert = F * C + F + C * F + C;
    return totalParameters() - size_t(m_cfg.gpt.layers) * size_t(m_cfg.experts - m_cfg.topK) * perExpert;
}

Metadata MoeGpt::metadata() const {
    return {{"arlab.kind", "moegpt"},
            {"arlab.config", m_cfg.toJson()},
            {"arlab.tokenizer", m_tok.toJson()},
            {"arlab.provenance", m_provenance}};
}

void MoeGpt::save(const std::string& path) const { writeSafetensors(path, toSafetensors(parameters(), metadata())); }

std::unique_ptr<MoeGpt> MoeGpt::fromSafetensors(const SafeTensors& file, const std::string& label) {
    file.requireKind("moegpt", "a moegpt", label);
    MoeGptConfig cfg;
    Tokenizer tok;
    try {
        std::tie(cfg, tok) = readConfigAndTokenizer(file, label, MoeGptConfig::fromJson);
    } catch (const json::exception&) {
        throw Error(label + ": config is not valid JSON");
    }
    checkVocabularySize(cfg.gpt.vocabSize, tok, label);
    Rng shapesOnly = Rng::forLoading();
    auto model = std::make_unique<MoeGpt>(cfg, std::move(tok), shapesOnly);
    loadParams(file, model->parameters(), label);
    model->m_provenance = file.provenance();
    return model;
}

}  // namespace ar
