#include "core/training/tinygpttrain.h"

#include "core/data/toygrammar.h"
#include "core/error.h"

#include <nlohmann/json.hpp>

namespace ar {

TrainResult trainTinyGpt(TinyGpt& model, const TextData& data, const TinyGptTrainOptions& o,
                         const std::function<void(const TrainProgress&)>& onStep, const std::atomic<bool>* stop) {
    Adam opt(model.parameters(), o.train.lr, 0.9f, 0.99f, 1e-8f, o.weightDecay);
    Rng batchRng(o.seed + 1), dropRng(o.seed + 2);
    const auto valBatches = data.validationBatches(o.batch, o.valTokens);
    const auto lossOf = [&](const TextBatch& b) { return model.loss(b.inputs, b.targets, b.B, b.T, false, nullptr).item(); };
    TrainHooks hooks;
    hooks.batchLoss = [&](int) {
        const TextBatch b = data.sampleBatch(o.batch, batchRng);
        return model.loss(b.inputs, b.targets, b.B, b.T, true, &dropRng);
    };
    hooks.validationLoss = [&] {
        NoGradGuard ng;
        return float(meanLoss(valBatches, lossOf));
    };
    hooks.onStep = onStep;
    return train(opt, o.train, hooks, stop);
}

std::string ToyGptSettings::problem() const {
    const auto s = [](auto v) { return std::to_string(v); };
    if (layers < 1 || layers > 8) return "layers must be 1 to 8, got " + s(layers);
    if (heads < 1) return "heads must be at least 1, got " + s(heads);
    if (embd < 1 || embd > 1024) return "embedding width must be 1 to 1024, got " + s(embd);
    if (embd % heads != 0) return s(heads) + " heads do not divide the embedding width " + s(embd) + " (each head gets C/H columns)";
    if (pos == PositionMode::Rope && (embd / heads) % 2 != 0)
        return "rotary positions need an even head width, but " + s(embd) + " / " + s(heads) + " = " + s(embd / heads);
    if (context < 2 || context > 256) return "context must be 2 to 256 tokens, got " + s(context);
    if (steps < 1) return "steps must be at least 1, got " + s(steps);
    if (!(lr > 0.0f) || lr > 1.0f) return "learning rate must be in (0, 1], got " + std::to_string(lr);
    if (batch < 1) return "batch must be at least 1, got " + s(batch);
    if (sentences < 100) return "the corpus needs at least 100 sentences, got " + s(sentences);
    return {};
}

ToyGptTrainer::ToyGptTrainer(const ToyGptSettings& settings) : m_settings(settings) {
    if (const std::string p = settings.problem(); !p.empty()) throw Error(p);
    const ToyGrammar g;
    Rng corpusRng(settings.seed);
    const std::string text = g.sample(corpusRng, settings.sentences);
    Tokenizer tok = g.tokenizer();
    const int boundary = tok.id(ToyGrammar::kBoundary);
    m_data = std::make_unique<TextData>(text, std::move(tok), boundary, settings.valFraction, settings.context);
    TinyGptConfig cfg;
    cfg.layers = settings.layers;
    cfg.heads = settings.heads;
    cfg.embd = settings.embd;
    cfg.pos = settings.pos;
    cfg.contextLength = settings.context;
    cfg.vocabSize = m_data->tokenizer().size();
    cfg.bos = cfg.eos = boundary;
    cfg.validate();
    m_model = std::make_unique<TinyGpt>(cfg, m_data->tokenizer(), settings.seed);
}

ToyGptTrainer::~ToyGptTrainer() = default;

TrainResult ToyGptTrainer::run(const std::function<void(const TrainProgress&)>& onStep, const std::atomic<bool>* stop) {
    const ToyGptSettings& s = m_settings;
    TinyGpt& model = startRun();
    TinyGptTrainOptions o;
    o.batch = s.batch;
    o.valTokens = s.valTokens;
    o.seed = s.seed;
    o.train = trainConfig(s.steps, s.lr, s.warmup, s.evalEvery);
    const TrainResult r = trainTinyGpt(model, *m_data, o, onStep, stop);

    nlohmann::json j = textTrainingProvenance(
        "toy language, " + std::to_string(s.sentences) + " sentences sampled with seed " + std::to_string(s.seed), s.seed,
        r, *m_data);
    j["trained"] = "in the app (Training dock)";
    j["batch"] = s.batch;
    j["lr"] = s.lr;
    j["entropy_rate"] = ToyGrammar().entropyRate();
    model.setProvenance(j.dump());
    return r;
}

}  // namespace ar
