#include "core/limits/moetrain.h"

#include "core/data/toygrammar.h"
#include "core/error.h"
#include "core/limits/recalltrain.h"
#include "core/training/optimizer.h"

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace ar {

std::string MoeTrainSettings::problem() const {
    const auto s = [](auto v) { return std::to_string(v); };
    if (layers < 1 || layers > 8) return "layers must be 1 to 8, got " + s(layers);
    if (heads < 1 || embd % heads != 0) return s(heads) + " heads do not divide the embedding width " + s(embd);
    if (embd < 1 || embd > 1024) return "embedding width must be 1 to 1024, got " + s(embd);
    if (context < 2 || context > 256) return "context must be 2 to 256 tokens, got " + s(context);
    if (experts < 1 || experts > 64) return "experts must be between 1 and 64, got " + s(experts);
    if (topK < 1 || topK > experts) return "top-k must be between 1 and the number of experts (" + s(experts) + "), got " + s(topK);
    if (expertHidden < 1 || expertHidden > 16384) return "expert width must be between 1 and 16384, got " + s(expertHidden);
    if (!(balance >= 0.0f && balance <= 10.0f)) return "the balancing weight must be between 0 and 10, got " + std::to_string(balance);
    if (steps < 1) return "steps must be at least 1, got " + s(steps);
    if (!(lr > 0.0f) || lr > 1.0f) return "learning rate must be in (0, 1], got " + std::to_string(lr);
    if (batch < 1) return "batch must be at least 1, got " + s(batch);
    if (sentences < 100) return "the corpus needs at least 100 sentences, got " + s(sentences);
    return {};
}

std::string MoeTrainSettings::command() const {
    return "arlab-cli train-moe --experts " + std::to_string(experts) + " --top-k " + std::to_string(topK) +
           " --expert-hidden " + std::to_string(expertHidden) + " --balance " + shortNumber(balance) + " --layers " +
           std::to_string(layers) + " --heads " + std::to_string(heads) + " --embd " + std::to_string(embd) +
           " --context " + std::to_string(context) + " --steps " + std::to_string(steps) + " --lr " + shortNumber(lr) +
           " --batch " + std::to_string(batch) + " --seed " + std::to_string(seed);
}

MoeTrainer::MoeTrainer(const MoeTrainSettings& s) : m_settings(s) {
    if (const std::string p = s.problem(); !p.empty()) throw Error(p);
    const ToyGrammar g;
    Rng corpusRng(s.seed);
    const std::string text = g.sample(corpusRng, s.sentences);
    Tokenizer tok = g.tokenizer();
    const int boundary = tok.id(ToyGrammar::kBoundary);
    m_data = std::make_unique<TextData>(text, tok, boundary, 0.1, s.context);
    MoeGptConfig cfg;
    cfg.gpt.layers = s.layers;
    cfg.gpt.heads = s.heads;
    cfg.gpt.embd = s.embd;
    cfg.gpt.contextLength = s.context;
    cfg.gpt.vocabSize = tok.size();
    cfg.gpt.bos = cfg.gpt.eos = boundary;
    cfg.experts = s.experts;
    cfg.topK = s.topK;
    cfg.expertHidden = s.expertHidden;
    cfg.balance = s.balance;
    m_model = std::make_unique<MoeGpt>(cfg, std::move(tok), s.seed);
}

MoeTrainer::~MoeTrainer() = default;

double moeValidationNll(const MoeGpt& model, const std::vector<TextBatch>& batches) {
    return meanLoss(batches, [&](const TextBatch& b) { return model.loss(b.inputs, b.targets, b.B, b.T).crossEntropy.item(); });
}

TrainResult MoeTrainer::run(const std::function<void(const TrainProgress&)>& onStep, const std::atomic<bool>* stop) {
    const MoeTrainSettings& s = m_settings;
    MoeGpt& model = startRun();
    Adam opt(model.parameters(), s.lr, 0.9f, 0.99f);
    const TrainConfig cfg = trainConfig(s.steps, s.lr, s.warmup, s.evalEvery);
    Rng batchRng(s.seed + 1);
    const auto valBatches = m_data->validationBatches(s.batch, s.valTokens);
    TrainHooks hooks;
    hooks.batchLoss = [&](int) {
        const TextBatch b = m_data->sampleBatch(s.batch, batchRng);
        return model.loss(b.inputs, b.targets, b.B, b.T).objective;
    };
    hooks.validationLoss = [&] {
        NoGradGuard ng;
        return float(moeValidationNll(model, valBatches));
    };
    hooks.onStep = onStep;
    const TrainResult r = train(opt, cfg, hooks, stop);

    nlohmann::json j = textTrainingProvenance(
        "toy language, " + std::to_string(s.sentences) + " sentences sampled with seed " + std::to_string(s.seed), s.seed, r,
        *m_data);
    j["loss_unit"] = "nats per token (cross-entropy; training added balance x the load-balancing loss)";
    j["batch"] = s.batch;
    j["lr"] = s.lr;
    j["parameters_total"] = model.totalParameters();
    j["parameters_active_per_token"] = model.activeParametersPerToken();
    j["entropy_rate"] = ToyGrammar().entropyRate();
    j["command"] = s.command() + " --out FILE";
    model.setProvenance(j.dump());
    return r;
}

Tokens heldOutToyTokens(const Tokenizer& tok, uint64_t seed, int sentences) {
    const ToyGrammar g;
    Rng rng(seed + 1000);
    return tok.encodeStrict(g.sample(rng, sentences), "held-out text");
}

std::vector<std::vector<int>> moeLoad(const MoeGpt& model, const Tokens& stream) {
    const int T = model.contextLength();
    std::vector<std::vector<int>> load(size_t(model.config().gpt.layers), std::vector<int>(size_t(model.config().experts), 0));
    for (size_t start = 0; start < stream.size(); start += size_t(T)) {
        const size_t n = std::min(size_t(T), stream.size() - start);
        const auto r = model.routing(std::span<const int>(stream.data() + start, n));
        for (size_t l = 0; l < r.size(); ++l)
            for (size_t e = 0; e < r[l].load.size(); ++e) load[l][e] += r[l].load[e];
    }
    return load;
}

}  // namespace ar
