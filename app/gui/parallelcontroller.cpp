#include "app/gui/parallelcontroller.h"

#include "app/gui/jobrunner.h"
#include "app/gui/modelfiles.h"
#include "core/data/zhencorpus.h"
#include "core/decoding/paralleldecode.h"
#include "core/error.h"
#include "core/training/nattrain.h"

#include <map>
#include <mutex>
#include <optional>

namespace arlab {

namespace {

// Complete results kept for the process: the test-set sweep per NAT model path, the speedup measurement.
std::mutex g_cacheMutex;
std::map<QString, QVector<ParallelQualityPoint>> g_quality;
std::optional<ar::SpeculativeSpeed> g_speed;

const std::vector<ar::ZhEnPair>& grammar() {
    static const std::vector<ar::ZhEnPair> all = ar::allZhEnPairs();
    return all;
}

QString word(const ar::Tokenizer& t, int id) { return QString::fromStdString(t.token(id)); }

const char* const kDefaultSource = "我 昨天 吃 了 三 个 苹果";
const char* const kDefaultPrompt = "the";

}  // namespace

ParallelController::ParallelController(const Views& views, QObject* parent)
    : QObject(parent), m_views(views), m_jobs(new JobRunner(this)) {
    m_views.speculative->setPrompt(QString::fromLatin1(kDefaultPrompt));

    connect(m_views.decode, &ParallelDecodeView::sourceEdited, this, &ParallelController::setSource);
    connect(m_views.decode, &ParallelDecodeView::exampleChosen, this, &ParallelController::chooseExample);
    connect(m_views.decode, &ParallelDecodeView::checkpointChosen, this, &ParallelController::setCheckpoint);
    connect(m_views.decode, &ParallelDecodeView::iterationsChanged, this, &ParallelController::setIterations);
    connect(m_views.speculative, &SpeculativeView::runRequested, this, &ParallelController::runSpeculative);
    connect(m_views.speculative, &SpeculativeView::measureRequested, this, [this] { measureSpeedup(true); });
    connect(m_jobs, &JobRunner::failed, this, [this](const QString& kind, const QString& message) {
        if (kind == QLatin1String("sentence")) m_views.decode->setStatus(message, true);
        else if (kind == QLatin1String("quality")) {
            m_views.quality->setStatus(message, true);
            measureSpeedupOnce();
        }
        else if (kind == QLatin1String("speculative")) m_views.speculative->clearRun(message);
        else m_views.speculative->setSpeedupStatus(message);
    });
}

ParallelController::~ParallelController() {
    delete m_jobs;   // cancels and waits for the jobs first: they read this object's models
}

// Everything start() reads from disk or generates, made off the GUI thread (about 0.7 s in all).
struct ParallelController::Loaded {
    std::shared_ptr<const ar::Seq2Seq> ar;
    std::vector<Checkpoint> checkpoints;
    std::shared_ptr<const ar::TinyGpt> target, draft;
    std::vector<ar::ZhEnPair> test;
    QStringList errors;           // for the sentence dock
    QString speculativeError;
};

void ParallelController::start() {
    m_views.decode->setStatus(tr("Loading the translators…"), false);
    m_jobs->run(QStringLiteral("load"), [this](const JobContext&) -> JobRunner::Deliver {
        auto l = std::make_shared<Loaded>();
        l->test = ar::makeZhEnCorpus(1).test;   // the shipped translators' split
        try {
            l->ar = openModelAt(":/models/zh-en-seq2seq.safetensors", ar::ModelFamily::Translator).translator;
        } catch (const ar::Error& e) {
            l->errors << tr("The LSTM translator could not be loaded: %1").arg(QString::fromStdString(e.what()));
        }
        const std::pair<QString, QString> shipped[] = {
            {tr("early checkpoint (400 steps)"), QStringLiteral(":/models/zh-en-nat-early.safetensors")},
            {tr("fully trained"), QStringLiteral(":/models/zh-en-nat.safetensors")}};
        for (const auto& [name, path] : shipped) {
            try {
                l->checkpoints.push_back({name, path, openModelAt(path, ar::ModelFamily::ParallelTranslator).parallel});
            } catch (const ar::Error& e) {
                l->errors << tr("The parallel translator could not be loaded: %1").arg(QString::fromStdString(e.what()));
            }
        }
        try {
            l->target = std::dynamic_pointer_cast<const ar::TinyGpt>(openModelAt(":/models/toy-target.safetensors", ar::ModelFamily::Text).text);
            l->draft = std::dynamic_pointer_cast<const ar::TinyGpt>(openModelAt(":/models/toy-draft.safetensors", ar::ModelFamily::Text).text);
            if (!l->target || !l->draft) throw ar::Error("toy-target and toy-draft must be TinyGPT models");
        } catch (const ar::Error& e) {
            l->target.reset();
            l->draft.reset();
            l->speculativeError = tr("The speculative decoding models could not be loaded: %1").arg(QString::fromStdString(e.what()));
        }
        return [this, l] { apply(*l); };
    });
}

void ParallelController::apply(const Loaded& l) {
    m_test = l.test;
    m_examples.clear();
    for (size_t i = 0; i < m_test.size() && m_examples.size() < 60; i += 17) m_examples.push_back(m_test[i]);
    QStringList ex;
    for (const auto& p : m_examples) ex << QString::fromStdString(p.srcText());
    m_views.decode->setExamples(ex);
    m_ar = l.ar;
    // the shipped checkpoints first; a model the user opened while loading stays (and stays chosen)
    const bool userChose = !m_checkpoints.empty();
    m_checkpoints.insert(m_checkpoints.begin(), l.checkpoints.begin(), l.checkpoints.end());
    m_current = m_checkpoints.empty() ? -1 : userChose ? int(m_checkpoints.size()) - 1 : 0;
    m_target = l.target;
    m_draft = l.draft;
    if (!l.speculativeError.isEmpty()) m_views.speculative->clearRun(l.speculativeError);
    QStringList names;
    for (const Checkpoint& c : m_checkpoints) names << c.name;
    m_views.decode->setCheckpoints(names, m_current);
    if (m_source.isEmpty()) m_source = QString::fromUtf8(kDefaultSource);
    m_views.decode->setSourceText(m_source);
    refreshSentence();
    runSpeculative();
    refreshQuality();   // the speedup is timed once the sweep is done: not while it competes for the CPU
    if (!checkpoint()) measureSpeedupOnce();
    m_loadErrors = l.errors.join(QLatin1Char('\n'));
    if (!m_loadErrors.isEmpty()) m_views.decode->setStatus(m_loadErrors, true);
}

void ParallelController::measureSpeedupOnce() {
    if (m_speedStarted) return;
    m_speedStarted = true;
    measureSpeedup(false);
}

void ParallelController::addCheckpoint(const QString& name, const QString& path, std::shared_ptr<const ar::NatTranslator> model) {
    m_checkpoints.push_back({name, path, std::move(model)});
    QStringList names;
    for (const Checkpoint& c : m_checkpoints) names << c.name;
    m_views.decode->setCheckpoints(names, int(m_checkpoints.size()) - 1);
    setCheckpoint(int(m_checkpoints.size()) - 1);
}

const ParallelController::Checkpoint* ParallelController::checkpoint() const {
    return m_current >= 0 && m_current < int(m_checkpoints.size()) ? &m_checkpoints[size_t(m_current)] : nullptr;
}

void ParallelController::setCheckpoint(int index) {
    if (index < 0 || index >= int(m_checkpoints.size())) return;
    m_current = index;
    refreshSentence();
    refreshQuality();
}

void ParallelController::setSource(const QString& text) {
    m_source = text;
    refreshSentence();
}

void ParallelController::setIterations(int k) {
    m_views.decode->setIterations(k);
    refreshSentence();
}

void ParallelController::chooseExample(int index) {
    if (index < 0 || index >= int(m_examples.size())) return;
    m_source = QString::fromStdString(m_examples[size_t(index)].srcText());
    m_views.decode->setSourceText(m_source);
    refreshSentence();
}

int ParallelController::pendingJobs() const { return m_jobs->pending(); }
bool ParallelController::waitIdle(int timeoutMs) { return m_jobs->waitIdle(timeoutMs); }

// --- one sentence -----------------------------------------------------------------------------------------

ParallelLaneData ParallelController::laneOf(const ar::NatTranslator& nat, const ar::ParallelTranslation& t, const QString& id,
                                            const QString& title, bool everyPass) {
    ParallelLaneData lane;
    lane.id = id;
    lane.title = title;
    lane.everyPass = everyPass;
    for (const ar::ParallelIteration& it : t.iterations) {
        ParallelPassData pass;
        for (size_t i = 0; i < it.tokens.size(); ++i) {
            const bool decided = it.tokens[i] != nat.maskToken();
            pass.words << (decided ? word(nat.tgtTokenizer(), it.tokens[i]) : QString());
            pass.confidence << (decided ? double(it.confidence[i]) : 0.0);
            pass.predicted << bool(it.masked[i]);
        }
        lane.passes.push_back(pass);
    }
    return lane;
}

ParallelSentenceData ParallelController::sentenceData(const ar::Seq2Seq* arModel, const ar::NatTranslator& nat,
                                                      const QString& source, int iterations) {
    const std::string text = source.simplified().toStdString();
    if (text.empty()) throw ar::Error(tr("Type a Chinese sentence, words separated by spaces (or pick an example).").toStdString());
    const ar::Tokens src = nat.encodeSource(text);   // names every unknown word
    ParallelSentenceData d;
    if (const ar::ZhEnPair* gold = ar::findPair(grammar(), text))
        for (const std::string& w : gold->tgt) d.gold << QString::fromStdString(w);
    if (arModel) {
        const ar::Translation t = ar::translateGreedy(*arModel, arModel->encodeSource(text));
        ParallelLaneData lane;
        lane.id = QStringLiteral("ar");
        lane.title = tr("AR (the LSTM translator): one word per pass");
        lane.growing = true;
        ParallelPassData pass;
        for (size_t i = 0; i < t.tokens.size(); ++i) {
            pass.words << (t.tokens[i] == arModel->eos() ? QStringLiteral("</s>") : word(arModel->tgtTokenizer(), t.tokens[i]));
            pass.confidence << double(t.p[i]);
            pass.predicted.fill(false);
            pass.predicted << true;
            lane.passes.push_back(pass);
        }
        d.lanes.push_back(lane);
    }
    ar::ParallelOptions o;
    const ar::ParallelTranslation nt = ar::translateParallel(nat, src, o);
    d.lanes.push_back(laneOf(nat, nt, QStringLiteral("nat"), tr("Fully parallel (NAT): every word in one pass"), false));
    o.mode = ar::ParallelMode::MaskPredict;
    o.iterations = iterations;
    d.lanes.push_back(laneOf(nat, ar::translateParallel(nat, src, o), QStringLiteral("mask-predict"),
                             tr("Mask-Predict, K = %1").arg(iterations), true));
    o.mode = ar::ParallelMode::Semi;
    for (int k : {2, 4}) {
        o.block = k;
        d.lanes.push_back(laneOf(nat, ar::translateParallel(nat, src, o), QStringLiteral("semi-%1").arg(k),
                                 tr("Semi-autoregressive, blocks of k = %1").arg(k), false));
    }
    const int T = nt.length;
    d.note = tr("The parallel translator predicts the length first: %1 words (p %2).").arg(T).arg(nt.lengthProbs[size_t(T - 1)], 0, 'f', 2);
    if (!d.gold.isEmpty())
        d.note += QLatin1Char(' ') + tr("Reference: “%1” (%2 words).").arg(d.gold.join(QLatin1Char(' '))).arg(d.gold.size());
    else
        d.note += QLatin1Char(' ') + tr("This sentence is not in the corpus: there is no reference translation to compare with.");
    return d;
}

void ParallelController::refreshSentence() {
    const Checkpoint* c = checkpoint();
    if (!c) {
        m_views.decode->clearSentence();
        return;
    }
    auto nat = c->model;
    auto arModel = m_ar;
    const QString source = m_source;
    const int k = m_views.decode->iterations();
    m_views.decode->setStatus(tr("Translating…"), false);
    m_jobs->run(QStringLiteral("sentence"), [this, nat, arModel, source, k](const JobContext&) -> JobRunner::Deliver {
        try {
            auto data = std::make_shared<ParallelSentenceData>(sentenceData(arModel.get(), *nat, source, k));
            return [this, data] {
                m_views.decode->setStatus(m_loadErrors, !m_loadErrors.isEmpty());   // a model that failed to load stays named
                m_views.decode->setSentence(*data);
                emit sentenceUpdated();
            };
        } catch (const ar::Error& e) {
            const QString message = QString::fromStdString(e.what());
            return [this, message] {
                m_views.decode->setStatus(message, true);
                m_views.decode->clearSentence();
                emit sentenceUpdated();
            };
        }
    });
}

// --- quality over the test set ----------------------------------------------------------------------------

QVector<ParallelQualityPoint> ParallelController::qualityPoints(const ar::Seq2Seq* arModel, const ar::NatTranslator& nat,
                                                                const std::vector<ar::ZhEnPair>& test, int maxIterations,
                                                                const std::atomic<bool>* stop,
                                                                const std::function<void(const QVector<ParallelQualityPoint>&)>& progress) {
    QVector<ParallelQualityPoint> points;
    const auto add = [&](const QString& id, const QString& mode, const QString& setting, const ar::ParallelEval& e) {
        if (stop && stop->load()) return false;
        points.push_back({id, mode, setting, e.meanPasses, e.exactMatch, e.wordAccuracy, e.repeatedRate, e.sentences});
        if (progress) progress(points);
        return true;
    };
    if (arModel && !add(QStringLiteral("ar"), tr("AR (LSTM)"), {}, ar::evaluateArGreedy(*arModel, test, stop))) return {};
    ar::ParallelOptions o;
    const ar::ParallelEval nat1 = ar::evaluateParallel(nat, test, o, stop);
    if (!add(QStringLiteral("nat"), tr("NAT (one pass)"), {}, nat1)) return {};
    o.mode = ar::ParallelMode::MaskPredict;
    for (int k = 1; k <= maxIterations; ++k) {
        o.iterations = k;
        // K = 1 is the one-pass NAT (tested in core): the same numbers, not computed twice
        if (!add(QStringLiteral("mask-predict-%1").arg(k), tr("Mask-Predict"), QStringLiteral("K=%1").arg(k),
                 k == 1 ? nat1 : ar::evaluateParallel(nat, test, o, stop)))
            return {};
    }
    o.mode = ar::ParallelMode::Semi;
    for (int k : {4, 2, 1}) {
        o.block = k;
        if (!add(QStringLiteral("semi-%1").arg(k), tr("semi-AR"), QStringLiteral("k=%1").arg(k), ar::evaluateParallel(nat, test, o, stop)))
            return {};
    }
    return points;
}

void ParallelController::refreshQuality() {
    const Checkpoint* c = checkpoint();
    if (!c) return;
    const QString key = c->path;
    std::optional<QVector<ParallelQualityPoint>> cached;
    {
        std::lock_guard<std::mutex> lock(g_cacheMutex);
        auto it = g_quality.find(key);
        if (it != g_quality.end()) cached = it->second;
    }
    if (cached) {
        m_views.quality->setPoints(*cached);
        m_views.quality->setStatus(tr("%1: the whole test set (%2 sentences).").arg(c->name).arg(m_test.size()));
        emit qualityUpdated(true);
        measureSpeedupOnce();
        return;
    }
    auto nat = c->model;
    auto arModel = m_ar;
    const auto* test = &m_test;
    const QString name = c->name;
    const int total = 3 + kQualityIterations + (arModel ? 1 : 0);
    m_views.quality->setPoints({});
    m_views.quality->setStatus(tr("%1: translating the %2 test sentences in every mode (in the background)…").arg(name).arg(m_test.size()));
    m_jobs->run(QStringLiteral("quality"), [this, nat, arModel, test, key, name, total](const JobContext& job) -> JobRunner::Deliver {
        const auto points = qualityPoints(arModel.get(), *nat, *test, kQualityIterations, job.stopFlag(),
                                          [&](const QVector<ParallelQualityPoint>& sofar) {
                                              job.post([this, sofar, name, total] {
                                                  m_views.quality->setPoints(sofar);
                                                  m_views.quality->setStatus(tr("%1: %2 of %3 modes done…").arg(name).arg(sofar.size()).arg(total));
                                                  emit qualityUpdated(false);
                                              });
                                          });
        if (job.cancelled()) return {};
        {
            std::lock_guard<std::mutex> lock(g_cacheMutex);
            g_quality[key] = points;
        }
        return [this, points, name] {
            m_views.quality->setPoints(points);
            m_views.quality->setStatus(tr("%1: the whole test set (%2 sentences).").arg(name).arg(m_test.size()));
            emit qualityUpdated(true);
            measureSpeedupOnce();
        };
    });
}

// --- speculative decoding ---------------------------------------------------------------------------------

SpeculativeRunData ParallelController::runData(const ar::TinyGpt& target, const ar::Tokens& prompt, const ar::SpeculativeResult& r,
                                               int gamma) {
    SpeculativeRunData d;
    const ar::Tokenizer& tok = target.tokenizer();
    QStringList words;
    for (int id : prompt)
        if (id != target.bosToken()) words << word(tok, id);
    d.prompt = words.isEmpty() ? QStringLiteral("<s>") : words.join(QLatin1Char(' '));
    d.gamma = gamma;
    for (const ar::SpeculativeRound& round : r.rounds) {
        SpeculativeRoundData rd;
        for (size_t i = 0; i < round.draft.size(); ++i) {
            SpeculativeDraftToken t;
            t.text = word(tok, round.draft[i]);
            t.p = i < round.p.size() ? round.p[i] : 0.0;
            t.q = i < round.q.size() ? round.q[i] : 0.0;
            t.status = int(i) < round.accepted                   ? SpeculativeDraftToken::Accepted
                       : int(i) == round.accepted && !round.bonus ? SpeculativeDraftToken::Rejected
                                                                  : SpeculativeDraftToken::Unchecked;
            rd.draft.push_back(t);
        }
        rd.next = round.next >= 0 ? word(tok, round.next) : QString();
        rd.bonus = round.bonus;
        d.rounds.push_back(rd);
    }
    d.tokens = int(r.tokens.size());
    d.targetCalls = r.targetCalls;
    d.draftCalls = r.draftCalls;
    d.acceptance = r.acceptanceRate();
    d.expectedAcceptance = r.expectedAcceptance();
    return d;
}

void ParallelController::runSpeculative() {
    if (!m_target || !m_draft) return;
    auto target = m_target, draft = m_draft;
    const std::string text = m_views.speculative->prompt().simplified().toStdString();
    ar::SpeculativeOptions o;
    o.gamma = m_views.speculative->gamma();
    o.steps = m_views.speculative->steps();
    o.sampler.seed = m_views.speculative->seed();
    m_jobs->run(QStringLiteral("speculative"), [this, target, draft, text, o](const JobContext&) -> JobRunner::Deliver {
        try {
            ar::Tokens prompt = {target->bosToken()};
            for (int id : target->tokenizer().encodeStrict(text, "prompt")) prompt.push_back(id);
            auto data = std::make_shared<SpeculativeRunData>(runData(*target, prompt, ar::speculativeDecode(*target, *draft, prompt, o), o.gamma));
            return [this, data] {
                m_views.speculative->setRun(*data);
                emit speculativeUpdated();
            };
        } catch (const ar::Error& e) {
            const QString message = QString::fromStdString(e.what());
            return [this, message] {
                m_views.speculative->clearRun(message);
                emit speculativeUpdated();
            };
        }
    });
}

ar::SpeculativeSpeedOptions ParallelController::speedOptions() {
    ar::SpeculativeSpeedOptions o;
    o.runs = 8;
    o.steps = 40;
    o.maxGamma = 8;
    o.repeats = 5;   // five AR/speculative pairs per γ: the median and the spread
    return o;
}

QVector<SpeculativeSpeedPoint> ParallelController::speedPoints(const ar::SpeculativeSpeed& m) {
    QVector<SpeculativeSpeedPoint> points;
    for (const ar::SpeculativeSpeedRow& r : m.rows)
        points.push_back({r.gamma, r.expectedAcceptance, r.tokensPerCall(), ar::expectedTokensPerCall(r.expectedAcceptance, r.gamma),
                          r.wallSpeedup(), r.seconds, r.wallSpeedupMin(), r.wallSpeedupMax()});
    return points;
}

void ParallelController::measureSpeedup(bool force) {
    if (!m_target || !m_draft) return;
    std::optional<ar::SpeculativeSpeed> cached;
    {
        std::lock_guard<std::mutex> lock(g_cacheMutex);
        if (force) g_speed.reset();
        cached = g_speed;
    }
    if (cached) {
        m_views.speculative->setSpeedup(speedPoints(*cached), cached->arSeconds, int(cached->tokens));
        emit speedupUpdated(true);
        return;
    }
    auto target = m_target, draft = m_draft;
    m_views.speculative->setSpeedup({}, 0, 0);
    m_views.speculative->setSpeedupStatus(tr("Timing plain AR and speculative decoding for γ = 1..8 (in the background)…"));
    m_jobs->run(QStringLiteral("speedup"), [this, target, draft](const JobContext& job) -> JobRunner::Deliver {
        const ar::SpeculativeSpeed m = ar::measureSpeculativeSpeed(
            *target, *draft, {target->bosToken()}, speedOptions(), job.stopFlag(), [&](const ar::SpeculativeSpeed& sofar) {
                const auto points = speedPoints(sofar);
                const double arSeconds = sofar.arSeconds;
                const int tokens = int(sofar.tokens);
                job.post([this, points, arSeconds, tokens] {
                    m_views.speculative->setSpeedup(points, arSeconds, tokens);
                    emit speedupUpdated(false);
                });
            });
        if (job.cancelled()) return {};
        {
            std::lock_guard<std::mutex> lock(g_cacheMutex);
            g_speed = m;
        }
        const auto points = speedPoints(m);
        return [this, points, m] {
            m_views.speculative->setSpeedup(points, m.arSeconds, int(m.tokens));
            emit speedupUpdated(true);
        };
    });
}

}  // namespace arlab
