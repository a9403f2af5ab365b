// Training RNN / LSTM / GRU / TinyGPT on the recall task.
#include "core/limits/recalltrain.h"

#include "core/error.h"
#include "core/limits/recall.h"
#include "core/models/charrnn.h"
#include "core/models/tinygpt.h"
#include "core/training/optimizer.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>

namespace ar {

std::string RecallTrainSettings::problem() const {
    if (kind != "rnn" && kind != "lstm" && kind != "gru" && kind != "tinygpt")
        return "model kind '" + kind + "' is not one of rnn, lstm, gru, tinygpt";
    if (maxDistance < 1 || maxDistance > 512) return "the longest distance must be between 1 and 512, got " + std::to_string(maxDistance);
    if (steps < 1 || steps > 1000000) return "steps must be between 1 and 1000000, got " + std::to_string(steps);
    if (batch < 1 || batch > 4096) return "batch must be between 1 and 4096, got " + std::to_string(batch);
    if (!(lr > 0.0f && lr <= 1.0f)) return "learning rate must be in (0, 1], got " + std::to_string(lr);
    if (warmup < 0) return "warmup must be >= 0";
    if (embd < 1 || embd > 1024) return "embedding width must be between 1 and 1024, got " + std::to_string(embd);
    if (hidden < 0 || hidden > 4096) return "hidden width must be between 1 and 4096, got " + std::to_string(hidden);
    if (kind == "tinygpt") {
        if (heads < 1 || embd % heads != 0)
            return std::to_string(heads) + " heads do not divide the width " + std::to_string(embd);
        if (layers < 1 || layers > 12) return "layers must be between 1 and 12, got " + std::to_string(layers);
    }
    return {};
}

int RecallTrainSettings::hiddenWidth() const {
    if (hidden > 0) return hidden;
    return kind == "rnn" ? 68 : kind == "gru" ? 38 : 32;
}

std::string shortNumber(float x) {
    char buf[32];
    for (int digits = 1; digits <= 9; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, double(x));
        if (std::strtof(buf, nullptr) == x) break;
    }
    return buf;
}

std::string RecallTrainSettings::command() const {
    std::string c = "arlab-cli train-recall " + kind + " --max-distance " + std::to_string(maxDistance) + " --steps " +
                    std::to_string(steps) + " --batch " + std::to_string(batch) + " --lr " + shortNumber(lr) +
                    " --seed " + std::to_string(seed) + " --embd " + std::to_string(embd);
    if (kind == "tinygpt") c += " --layers " + std::to_string(layers) + " --heads " + std::to_string(heads);
    else c += " --hidden " + std::to_string(hiddenWidth());
    return c;
}

RecallTrainer::RecallTrainer(const RecallTrainSettings& s) : m_settings(s) {
    if (const std::string p = s.problem(); !p.empty()) throw Error(p);
    if (s.kind == "tinygpt") {
        TinyGptConfig cfg;
        cfg.contextLength = s.maxDistance + 2;
        cfg.layers = s.layers;
        cfg.heads = s.heads;
        cfg.embd = s.embd;
        cfg.pos = PositionMode::Learned;
        m_model = std::make_unique<TinyGpt>(cfg, RecallTask::tokenizer(), s.seed);
    } else {
        CharRnnConfig cfg;
        cfg.cell = nn::parseCellType(s.kind);
        cfg.vocabSize = RecallTask::tokenizer().size();
        cfg.embd = s.embd;
        cfg.hidden = s.hiddenWidth();
        cfg.layers = 1;
        Rng rng(s.seed);
        m_model = std::make_unique<CharRnn>(cfg, RecallTask::tokenizer(), rng);
    }
}

RecallTrainer::~RecallTrainer() = default;

namespace {

// Mean recall cross-entropy of B episodes of one distance (one graph).
Var recallLoss(const LanguageModel& model, const std::vector<RecallEpisode>& eps) {
    const size_t B = eps.size(), T = eps[0].input.size();
    std::vector<Tokens> inputs, targets;
    for (const auto& e : eps) {
        inputs.push_back(e.input);
        Tokens t(T, -100);
        t.back() = e.key;
        targets.push_back(std::move(t));
    }
    if (const auto* rnn = dynamic_cast<const CharRnn*>(&model)) {
        nn::RecurrentState s = rnn->zeroState(int(B));
        return rnn->chunkLoss(inputs, targets, s);
    }
    const auto& gpt = dynamic_cast<const TinyGpt&>(model);
    Tokens in, tg;
    for (size_t b = 0; b < B; ++b) {
        in.insert(in.end(), inputs[b].begin(), inputs[b].end());
        tg.insert(tg.end(), targets[b].begin(), targets[b].end());
    }
    return gpt.loss(in, tg, int(B), int(T), false, nullptr);
}

std::vector<RecallEpisode> episodes(int d, int n, Rng& rng) {
    std::vector<RecallEpisode> out;
    for (int i = 0; i < n; ++i) out.push_back(RecallTask::episode(d, rng));
    return out;
}

}  // namespace

TrainResult RecallTrainer::run(const std::function<void(const TrainProgress&)>& onStep, const std::atomic<bool>* stop) {
    const RecallTrainSettings& s = m_settings;
    LanguageModel& model = startRun();
    Adam opt(model.parameters(), s.lr);
    const TrainConfig cfg = trainConfig(s.steps, s.lr, s.warmup, s.evalEvery);
    Rng batchRng(s.seed + 1);
    std::vector<std::vector<RecallEpisode>> validation;
    {
        Rng valRng(s.seed + 2);
        for (int d : {1, std::max(1, s.maxDistance / 2), s.maxDistance}) validation.push_back(episodes(d, 64, valRng));
    }
    TrainHooks hooks;
    hooks.batchLoss = [&](int) {
        const int d = 1 + int(batchRng.below(uint64_t(s.maxDistance)));
        return recallLoss(model, episodes(d, s.batch, batchRng));
    };
    hooks.validationLoss = [&] {
        NoGradGuard ng;
        double sum = 0;
        for (const auto& v : validation) sum += recallLoss(model, v).item();
        return float(sum / double(validation.size()));
    };
    hooks.onStep = onStep;
    const TrainResult r = train(opt, cfg, hooks, stop);

    nlohmann::json j;
    j["task"] = "recall";
    j["corpus"] = "recall task: key, d random fillers, '?', recall the key; d uniform in 1.." + std::to_string(s.maxDistance);
    j["seed"] = s.seed;
    j["steps"] = r.steps;
    j["stopped_early"] = r.stopped;
    j["train_loss"] = r.trainLoss;
    j["val_loss"] = r.valLoss;
    j["loss_unit"] = "nats per recall";
    j["parameters"] = parameterCount();
    j["recall_accuracy_at_max_distance"] = recallAccuracy(model, s.maxDistance, 500, s.seed + 3);
    j["command"] = s.command() + " --out FILE";
    const std::string json = j.dump();
    if (auto* gpt = dynamic_cast<TinyGpt*>(m_model.get())) gpt->setProvenance(json);
    else dynamic_cast<CharRnn&>(*m_model).provenanceJson = json;
    return r;
}

std::string modelProvenance(const LanguageModel& model) {
    const Metadata m = model.metadata();
    const auto it = m.find("arlab.provenance");
    return it == m.end() ? "{}" : it->second;
}

void saveRecallModel(const LanguageModel& model, const std::string& path) {
    if (const auto* gpt = dynamic_cast<const TinyGpt*>(&model)) return gpt->save(path);
    if (const auto* rnn = dynamic_cast<const CharRnn*>(&model)) return saveCharRnn(*rnn, path);
    throw Error("a '" + model.kind() + "' model is not a recall model");
}

}  // namespace ar
