#include "app/gui/limitscontroller.h"

#include "app/gui/generationcontroller.h"
#include "app/gui/jobrunner.h"
#include "app/gui/modelfiles.h"
#include "core/data/toygrammar.h"
#include "core/decoding/decodingsession.h"
#include "core/error.h"
#include "core/io/modelfile.h"
#include "core/limits/generationcost.h"
#include "core/limits/moetrain.h"
#include "core/limits/positions.h"
#include "core/limits/recall.h"
#include "core/limits/recalltrain.h"
#include "core/models/charrnn.h"
#include "core/models/moegpt.h"
#include "core/models/tinygpt.h"
#include "core/nn/flashattention.h"
#include "widgets/flashview.h"
#include "widgets/kvcostview.h"
#include "widgets/memoryview.h"
#include "widgets/moeroutingview.h"
#include "widgets/positionsview.h"

#include <QElapsedTimer>

namespace arlab {

std::shared_ptr<const ar::LanguageModel> loadTextModelResource(const QString& path) {
    return openModelAt(path, ar::ModelFamily::Text).text;
}

namespace {
const char* const kKinds[] = {"rnn", "lstm", "gru", "tinygpt"};
const int kDistances[] = {1, 2, 4, 8, 12, 16, 24, 32};
// The job kinds (a newer job of a kind drops the older one's result).
const QString kMemory = QStringLiteral("memory"), kHidden = QStringLiteral("hidden"), kKv = QStringLiteral("kv"),
              kFlash = QStringLiteral("flash"), kPositions = QStringLiteral("positions"), kTrain = QStringLiteral("train");
}  // namespace

LimitsController::LimitsController(const Views& views, GenerationController* generation, QObject* parent)
    : QObject(parent), m_views(views), m_generation(generation), m_jobs(new JobRunner(this)) {
    connect(m_jobs, &JobRunner::failed, this, &LimitsController::jobFailed);
    for (const char* k : kKinds) {
        try {
            m_recall[k] = loadTextModelResource(QString(":/models/recall-%1.safetensors").arg(k));
        } catch (const ar::Error& e) {
            m_views.memory->setStatus(QString::fromStdString(e.what()));
        }
    }
    try {
        m_moe = std::dynamic_pointer_cast<const ar::MoeGpt>(loadTextModelResource(":/models/moe-toy.safetensors"));
        m_toy = std::dynamic_pointer_cast<const ar::TinyGpt>(loadTextModelResource(":/models/toy-word.safetensors"));
    } catch (const ar::Error& e) {
        m_views.moe->setMessage(QString::fromStdString(e.what()));
    }
    for (const char* pos : {"sinusoidal", "rope"}) {  // the same toy model trained with the other two encodings
        try {
            m_toyPositions[pos] = std::dynamic_pointer_cast<const ar::TinyGpt>(
                loadTextModelResource(QString(":/models/toy-word-%1.safetensors").arg(pos)));
        } catch (const ar::Error& e) {
            m_views.positions->setNote(QString::fromStdString(e.what()));
        }
    }
    connect(m_views.memory, &MemoryView::trainRequested, this, &LimitsController::train);
    connect(m_views.memory, &MemoryView::stopRequested, this, &LimitsController::stopTraining);
    connect(m_views.memory, &MemoryView::hiddenRequested, this, &LimitsController::refreshHiddenState);
    connect(m_views.moe, &MoeRoutingView::promptEdited, this, &LimitsController::setMoePrompt);
}

LimitsController::~LimitsController() { m_jobs->shutdown(); }

bool LimitsController::isTraining() const { return m_jobs->pending(kTrain); }

int LimitsController::pendingJobs() const { return m_jobs->pending() - (isTraining() ? 1 : 0); }
bool LimitsController::waitIdle(int timeoutMs) { return m_jobs->waitUntil([this] { return pendingJobs() == 0; }, timeoutMs); }

void LimitsController::jobFailed(const QString& job, const QString& message) {
    if (job == kTrain) {
        m_views.memory->setRunning(false);
        m_views.memory->setStatus(tr("Training %1 failed: %2").arg(m_trainKind.toUpper(), message));
        emit failed(m_views.memory->status());
        emit trainingFinished(m_trainKind, false);
        return;
    }
    const QString text = tr("This view could not be computed: %1").arg(message);
    if (job == kMemory || job == kHidden) m_views.memory->setStatus(text);
    else if (job == kKv) m_views.kv->setMessage(text);
    else if (job == kFlash) m_views.flash->setMessage(text);
    else if (job == kPositions) m_views.positions->setNote(text);
    emit failed(text);
}

void LimitsController::refreshAll() {
    refreshMemory();
    refreshHiddenState();
    refreshKvCost();
    refreshFlash();
    setMoePrompt(QStringLiteral("the small cat sees a happy dog ."));
    refreshPositions();
}

// --- long-range memory ------------------------------------------------------------------------------------

void LimitsController::refreshMemory() {
    auto models = m_recall;  // shared, const: safe to read on another thread
    auto gradLock = m_gradLock;
    m_jobs->run(kMemory, [this, models, gradLock](const JobContext& job) -> JobRunner::Deliver {
        // the backward passes accumulate into the shared models' parameter gradients: one such job at a time
        // (a retrained model's refresh can start while the first measurement still runs)
        const std::lock_guard<std::mutex> lock(*gradLock);
        QVector<limitsplot::Curve> acc, grad;
        for (const char* k : kKinds) {
            auto it = models.find(k);
            if (it == models.end()) continue;
            limitsplot::Curve a{QString(k).toUpper(), {}, {}}, g{QString(k).toUpper(), {}, {}};
            for (int d : kDistances)
                if (d <= ar::maxRecallDistance(*it->second) && !job.cancelled()) {
                    a.x << d;
                    a.y << ar::recallAccuracy(*it->second, d, 200, 7);
                }
            for (int d = 1; d <= 30 && !job.cancelled(); d += (d < 4 ? 1 : 2)) {
                g.x << d;
                g.y << std::max(1e-30, ar::recallGradientNorm(*it->second, d, 8, 7));
            }
            acc << a;
            grad << g;
        }
        return [this, acc, grad] {
            m_views.memory->setAccuracy(acc);
            m_views.memory->setGradientFlow(grad);
            emit memoryUpdated();
        };
    });
}

void LimitsController::refreshHiddenState() {
    const QString kind = m_views.memory->hiddenKind();
    auto it = m_recall.find(kind);
    if (it == m_recall.end()) return;
    const auto* rnn = dynamic_cast<const ar::CharRnn*>(it->second.get());
    if (!rnn) return;
    ar::Rng rng(3);
    const ar::RecallEpisode e = ar::RecallTask::episode(m_views.memory->hiddenDistance(), rng);
    auto model = it->second;
    // The key's reach into every hidden unit after every token, |d h_t[u] / d x_0| by backward passes (a job: up to
    // 32 of them); shown as log10 so a vanishing gradient is a colour fading across the fillers. Each row is
    // labelled with its token and the norm over the units.
    m_jobs->run(kHidden, [this, model, e, kind](const JobContext&) -> JobRunner::Deliver {
        const ar::Mat inf = ar::keyInfluence(*model, e);
        const ar::Tokenizer task = ar::RecallTask::tokenizer();
        QStringList tokens;
        ar::Mat shown(inf.rows(), inf.cols());
        for (ar::Index t = 0; t < inf.rows(); ++t) {
            tokens << tr("%1  %2").arg(QString::fromStdString(task.display(e.input[size_t(t)]))).arg(double(inf.row(t).norm()), 0, 'e', 1);
            for (ar::Index u = 0; u < inf.cols(); ++u) shown(t, u) = float(std::log10(std::max(double(inf(t, u)), 1e-12)));
        }
        const QString title = tr("%1: log10 |∂h_t / ∂x₀| per unit, after each token").arg(kind.toUpper());
        return [this, title, shown, tokens] {
            m_views.memory->setHiddenState(title, shown, tokens);
            emit memoryUpdated();
        };
    });
}

void LimitsController::train() {
    if (isTraining()) return;
    ar::RecallTrainSettings s;
    s.kind = m_views.memory->trainKind().toStdString();
    const QString kind = m_views.memory->trainKind();
    m_trainKind = kind;
    m_views.memory->setRunning(true);
    m_views.memory->setStatus(tr("Training %1 on the recall task...").arg(kind.toUpper()));
    m_jobs->run(kTrain, [this, s, kind](const JobContext& job) -> JobRunner::Deliver {
        ar::RecallTrainer trainer(s);   // the job's own model
        QElapsedTimer since;
        since.start();
        const ar::TrainResult r = trainer.run([&](const ar::TrainProgress& p) {
            if (since.elapsed() < 50 && p.step != p.totalSteps) return;  // throttled progress
            since.restart();
            const QString text = tr("Training %1: step %2 of %3, recall loss %4").arg(kind.toUpper()).arg(p.step).arg(p.totalSteps).arg(p.trainLoss, 0, 'f', 3);
            job.post([this, text] { m_views.memory->setStatus(text); });
        }, job.stopFlag());
        auto model = std::shared_ptr<const ar::LanguageModel>(trainer.takeModel());
        const QString message = tr("%1 retrained (%2 steps%3): validation recall loss %4 nats.")
                                    .arg(kind.toUpper()).arg(r.steps).arg(r.stopped ? tr(", stopped") : QString()).arg(r.valLoss, 0, 'f', 4);
        return [this, model, message, kind, stopped = r.stopped] {
            m_views.memory->setRunning(false);
            m_views.memory->setStatus(message);
            m_recall[kind] = model;
            refreshMemory();
            refreshHiddenState();
            emit trainingFinished(kind, stopped);
        };
    });
}

void LimitsController::stopTraining() { m_jobs->stop(kTrain); }

// --- the cost of generating -------------------------------------------------------------------------------

KvCostData LimitsController::kvCostData(const ar::TinyGpt& model, const ar::Tokens& tokens, const QString& name, bool measure) {
    KvCostData d;
    const ar::GenerationShape shape = ar::GenerationShape::of(model.config());
    d.model = name;
    d.context = model.contextLength();
    d.layers = shape.layers;
    auto state = model.newState();
    ar::DecodeState* s = state.get();
    auto* st = dynamic_cast<ar::TinyGptState*>(s);
    for (size_t i = 0; i < tokens.size() && int(i) < model.contextLength(); ++i) {
        model.step(std::span<ar::DecodeState* const>(&s, 1), std::span<const int>(&tokens[i], 1));
        d.position << double(i + 1);
        d.kvFilledPerLayer << double(ar::kvFilledBytes(*st, 0));
        d.flopsCached << ar::flopsCachedStep(shape, int(i));
        d.flopsUncached << ar::flopsUncachedStep(shape, int(i));
    }
    d.kvAllocatedPerLayer = double(ar::kvAllocatedBytes(*st, 0));
    if (measure && !tokens.empty()) {
        const ar::Tokens fed(tokens.begin(), tokens.begin() + std::min<ptrdiff_t>(ptrdiff_t(tokens.size()), model.contextLength()));
        const ar::StepTimes t = ar::measureStepTimes(model, fed, 3);
        d.secondsCached = QVector<double>(t.cached.begin(), t.cached.end());
        d.secondsUncached = QVector<double>(t.uncached.begin(), t.uncached.end());
    }
    for (const auto& v : ar::kvVariants(model.config())) {  // real caches of this shape with H, H/2, 1 key/value heads
        const std::string n = v.name;
        const QString name = n == "multi-head" ? tr("multi-head") : n == "grouped-query" ? tr("grouped-query") : tr("multi-query");
        d.variants << qMakePair(tr("%1\n%2 key/value heads").arg(name).arg(v.kvHeads), double(v.bytesPerToken));
    }
    return d;
}

void LimitsController::refreshKvCost() {
    std::shared_ptr<const ar::TinyGpt> model;
    ar::Tokens tokens;
    QString name;
    if (m_generation && m_generation->session()) {
        model = std::dynamic_pointer_cast<const ar::TinyGpt>(m_generation->model());
        tokens = m_generation->session()->sequence();
        name = m_generation->modelSource().section('/', -1);
    }
    if (!model) {  // no TinyGPT in the live session: the toy model on a sample sentence
        model = m_toy;
        if (!model) return;
        tokens = {model->bosToken()};
        for (int id : model->tokenizer().encodeStrict("the small cat sees a happy dog . the dog runs .")) tokens.push_back(id);
        name = QStringLiteral("toy-word.safetensors");
    }
    m_jobs->run(kKv, [this, model, tokens, name](const JobContext&) -> JobRunner::Deliver {
        auto d = std::make_shared<KvCostData>(kvCostData(*model, tokens, name, true));
        return [this, d] {
            m_views.kv->setData(*d);
            emit kvUpdated();
        };
    });
}

// --- flash attention --------------------------------------------------------------------------------------

FlashViewData LimitsController::flashData(const ar::TinyGpt& model, const ar::Tokens& tokens, int head, int blockQ, int blockK) {
    const ar::TinyGptConfig& cfg = model.config();
    if (cfg.pos != ar::PositionMode::Learned) throw ar::Error("the flash view recomputes layer 0 and needs learned positions");
    std::map<std::string, ar::Var> p;
    for (const auto& np : model.parameters()) p[np.name] = np.var;
    ar::NoGradGuard ng;
    ar::Tokens pos(tokens.size());
    for (size_t i = 0; i < pos.size(); ++i) pos[i] = int(i);
    // layer 0's input and its q, k, v: x = wte[ids] + wpe[t]; qkv = c_attn(ln_1(x))
    ar::Var x = ar::ops::add(ar::ops::embedding(p["transformer.wte.weight"], tokens), ar::ops::embedding(p["transformer.wpe.weight"], pos));
    ar::Var h = ar::ops::layerNorm(x, p["transformer.h.0.ln_1.weight"], p["transformer.h.0.ln_1.bias"]);
    ar::Var qkv = ar::ops::addRow(ar::ops::matmulNT(h, p["transformer.h.0.attn.c_attn.weight"]), p["transformer.h.0.attn.c_attn.bias"]);
    const int T = int(tokens.size());
    const ar::nn::Heads heads(cfg.heads, cfg.kvHeadCount());
    const ar::nn::QkvLayout lay = ar::nn::checkQkvShape(T, qkv.cols(), 1, T, heads, false);  // grouped-query aware
    const int D = lay.D;
    const ar::Mat& X = qkv.value();
    const ar::Mat q = X.block(0, lay.qCol(head), T, D), k = X.block(0, lay.kCol(head), T, D), v = X.block(0, lay.vCol(head), T, D);
    FlashViewData d;
    d.blockQ = blockQ;
    d.blockK = blockK;
    ar::Mat y;
    ar::ColVec lse;
    const float scale = 1.0f / std::sqrt(float(D));
    ar::nn::flashHeadForward(q, k, v, scale, {blockQ, blockK}, y, lse, nullptr, &d.tiles);
    d.probabilities = ar::Mat::Zero(T, T);  // for display: p_ij = exp(s_ij - lse_i), what backward would recompute
    for (int i = 0; i < T; ++i)
        for (int j = 0; j <= i; ++j) d.probabilities(i, j) = std::exp(q.row(i).dot(k.row(j)) * scale - lse(i));
    for (ar::nn::AttentionKernel kernel : {ar::nn::AttentionKernel::Flash, ar::nn::AttentionKernel::Standard}) {
        ar::nn::AttentionMemoryProbe probe;
        ar::nn::selfAttention(kernel, qkv, 1, T, heads, false, nullptr, {blockQ, blockK});
        (kernel == ar::nn::AttentionKernel::Flash ? d.flashBytes : d.standardBytes) = qint64(probe.peakBytes());
    }
    for (int id : tokens) d.tokens << QString::fromStdString(model.tokenizer().display(id));
    d.title = QObject::tr("Layer 1, head %1, blocks of %2 queries x %3 keys").arg(head + 1).arg(blockQ).arg(blockK);
    return d;
}

void LimitsController::refreshFlash() {
    std::shared_ptr<const ar::TinyGpt> model = m_toy;
    ar::Tokens tokens;
    if (m_generation && m_generation->session()) {
        if (auto live = std::dynamic_pointer_cast<const ar::TinyGpt>(m_generation->model());
            live && live->config().pos == ar::PositionMode::Learned) {
            model = live;
            tokens = m_generation->session()->sequence();
        }
    }
    if (!model) return;
    if (tokens.size() < 8) {
        tokens = {model->bosToken()};
        for (int id : model->tokenizer().encodeStrict("the small cat sees a happy dog . the dog runs .")) tokens.push_back(id);
    }
    // T x T work (the probabilities shown, both kernels measured): off the GUI thread, like every other view's
    m_jobs->run(kFlash, [this, model, tokens](const JobContext&) -> JobRunner::Deliver {
        try {
            auto d = std::make_shared<FlashViewData>(flashData(*model, tokens, 0, 4, 4));
            return [this, d] {
                m_views.flash->setData(*d);
                emit flashUpdated();
            };
        } catch (const ar::Error& e) {
            const QString msg = QString::fromStdString(e.what());
            return [this, msg] { m_views.flash->setMessage(msg); };
        }
    });
}

// --- mixture of experts -----------------------------------------------------------------------------------

void LimitsController::setMoePrompt(const QString& text) {
    if (!m_moe) return;
    m_views.moe->setPrompt(text);
    try {
        ar::Tokens ids = {m_moe->bosToken()};
        for (int id : m_moe->tokenizer().encodeStrict(text.toStdString(), "text")) ids.push_back(id);
        if (int(ids.size()) > m_moe->contextLength()) throw ar::Error("the text has more tokens than the context of " + std::to_string(m_moe->contextLength()));
        const auto routing = m_moe->routing(ids);
        MoeRoutingData d;
        d.experts = m_moe->config().experts;
        d.topK = m_moe->config().topK;
        d.activeParameters = qint64(m_moe->activeParametersPerToken());
        d.totalParameters = qint64(m_moe->totalParameters());
        for (int id : ids) d.tokens << QString::fromStdString(m_moe->tokenizer().display(id));
        for (const auto& r : routing) {
            QVector<QVector<int>> chosen;
            QVector<QVector<float>> gates;
            for (ar::Index t = 0; t < r.experts.rows(); ++t) {
                QVector<int> e;
                QVector<float> g;
                for (ar::Index j = 0; j < r.experts.cols(); ++j) {
                    e << r.experts(t, j);
                    g << r.gates(t, j);
                }
                chosen << e;
                gates << g;
            }
            d.chosen << chosen;
            d.gates << gates;
            d.load << QVector<int>(r.load.begin(), r.load.end());
        }
        m_views.moe->setData(d);
    } catch (const ar::Error& e) {
        m_views.moe->setMessage(QString::fromStdString(e.what()));
    }
}

// --- positions --------------------------------------------------------------------------------------------

void LimitsController::refreshPositions() {
    const ar::Mat pe = ar::sinusoidalEncoding(64, 64);
    m_views.positions->setSinusoid(pe);
    m_views.positions->setSinusoidSimilarity(ar::similarity(pe));
    if (m_toy) {
        for (const auto& p : m_toy->parameters())
            if (p.name == "transformer.wpe.weight") m_views.positions->setLearnedSimilarity("toy-word", ar::similarity(p.var.value()));
    }
    ar::Rng rng(5);
    ar::RowVec q(16), k(16);
    for (int i = 0; i < 16; ++i) {
        q(i) = float(rng.normal());
        k(i) = q(i) + float(0.3 * rng.normal());
    }
    const ar::RopeCurve rope = ar::ropeScores(q, k, 0, 64);
    limitsplot::Curve c{tr("q · k"), {}, {}};
    for (size_t d = 0; d < rope.score.size(); ++d) {
        c.x << double(d);
        c.y << rope.score[d];
    }
    m_views.positions->setRope(c);
    // the rotation itself: feature pair 0 of q rotated to m + d (m = 0) by core's RoPE, and of k at m
    QVector<QPointF> qTurned;
    for (int d = 0; d <= 5; ++d) {
        ar::RowVec r = q;
        ar::nn::ropeRotate(r.data(), int(r.size()), d);
        qTurned << QPointF(r(0), r(1));
    }
    m_views.positions->setRopePlane(qTurned, QPointF(k(0), k(1)));
    // NLL by position of the three toy models (learned, sinusoidal, RoPE: same data, shape and seed): the learned
    // one has no position past its context and stops there; the other two go on with a sliding window.
    // (the learned one last, so that its curve is drawn on top: the three nearly coincide where all fit the data)
    std::vector<std::pair<QString, std::shared_ptr<const ar::TinyGpt>>> models;
    const QString slide = tr("%1: sliding window past the limit");
    if (auto it = m_toyPositions.find("sinusoidal"); it != m_toyPositions.end() && it->second)
        models.emplace_back(slide.arg(tr("sinusoidal")), it->second);
    if (auto it = m_toyPositions.find("rope"); it != m_toyPositions.end() && it->second)
        models.emplace_back(slide.arg(tr("RoPE")), it->second);
    if (m_toy) models.emplace_back(tr("learned positions: hard stop at the limit"), m_toy);
    if (models.empty()) return;
    m_jobs->run(kPositions, [this, models](const JobContext&) -> JobRunner::Deliver {
        QVector<limitsplot::Curve> curves;
        int ctx = 0;
        for (const auto& [name, model] : models) {
            const ar::Tokens stream = ar::heldOutToyTokens(model->tokenizer(), 7, 400);
            ctx = model->contextLength();
            const bool learned = model->config().pos == ar::PositionMode::Learned;
            // the same 24 windows of the same text for every model; the learned one's curve ends at its wall
            const std::vector<double> nll = ar::nllByPosition(*model, stream, ctx + 16, 24);
            limitsplot::Curve c{name, {}, {}};
            for (int p = 0; p < (learned ? ctx : ctx + 16); ++p) {
                c.x << p;
                c.y << nll[size_t(p)];
            }
            curves << c;
        }
        // the note: what each model does at the wall, with the measured means on either side of it
        QString note = tr("At the context limit (%1 tokens) a learned-position model has no position left: generation "
                          "stops (\"context of %1 tokens is full\"). Sinusoidal and RoPE models can go on with a sliding "
                          "window: the last %1 tokens re-fed from position 0.").arg(ctx);
        for (const auto& c : curves) {
            if (c.y.size() <= ctx) continue;
            double in = 0, past = 0;
            for (int p = 0; p < ctx; ++p) in += c.y[p] / ctx;
            for (int p = ctx; p < c.y.size(); ++p) past += c.y[p] / double(c.y.size() - ctx);
            note += tr(" %1: mean NLL %2 inside, %3 past the limit.").arg(c.name.section(':', 0, 0)).arg(in, 0, 'f', 3).arg(past, 0, 'f', 3);
        }
        return [this, curves, ctx, note] {
            m_views.positions->setNll(curves, ctx);
            m_views.positions->setNote(note);
            emit positionsUpdated();
        };
    });
}

}  // namespace arlab
