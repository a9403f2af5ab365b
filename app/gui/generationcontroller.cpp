#include "app/gui/generationcontroller.h"

#include "app/gui/modelfiles.h"
#include "core/data/toygrammar.h"
#include "core/error.h"

#include <QFile>
#include <QTimer>

#include <algorithm>

namespace arlab {

namespace {

const ar::ToyGrammar& toyGrammar() {
    static const ar::ToyGrammar grammar;
    return grammar;
}

bool isToyLanguage(const ar::LanguageModel& m) {
    const ar::Tokenizer& tok = m.tokenizer();
    if (tok.kind() != ar::Tokenizer::Kind::Word) return false;
    for (const auto& w : toyGrammar().words())
        if (tok.id(w) < 0) return false;
    return true;
}

}  // namespace

GenerationController::GenerationController(QObject* parent) : QObject(parent), m_timer(new QTimer(this)) {
    m_timer->setInterval(1000 / m_speed);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (!m_session || !m_session->canStep()) {
            pause();
            return;
        }
        step();
    });
}

GenerationController::~GenerationController() = default;

void GenerationController::setModel(std::shared_ptr<const ar::LanguageModel> model, const QString& source) {
    pause();
    m_model = std::move(model);
    m_source = source;
    m_toyLanguage = m_model && isToyLanguage(*m_model);
    if (m_model) {
        // Keep the prompt when the new vocabulary can encode it; otherwise use the model's default prompt.
        const auto enc = m_model->tokenizer().encode(m_prompt.toStdString());
        if (m_prompt.trimmed().isEmpty() || !enc.ok()) m_prompt = defaultPrompt();
    }
    rebuildSession();
    emit modelChanged();
    emit changed(Change::Model | Change::Prompt);
}

void GenerationController::adoptSession(std::shared_ptr<const ar::LanguageModel> model, const QString& source,
                                        const QString& prompt, std::unique_ptr<ar::DecodingSession> session) {
    pause();
    m_model = std::move(model);
    m_source = source;
    m_toyLanguage = m_model && isToyLanguage(*m_model);
    m_prompt = prompt;
    m_unknown.clear();
    m_promptError.clear();
    m_session = std::move(session);
    if (m_session) m_settings = m_session->settings();
    emit modelChanged();
    emit changed(Change::Model | Change::Prompt | Change::Settings);
}

void GenerationController::loadModelFile(const QString& path) {
    // Everything that can fail happens before the current model is touched.
    setModel(openModelAt(path, ar::ModelFamily::Text).text, path);
}

bool GenerationController::loadBuiltinModel(QString* message) {
    if (!QFile::exists(builtinModelPath())) {
        if (message)
            *message = tr("The built-in toy-language model (%1) is not in this build yet; open a model with "
                          "File > Open model.").arg(builtinModelPath());
        return false;
    }
    try {
        setModel(openModelAt(builtinModelPath(), ar::ModelFamily::Text).text, builtinModelPath());
    } catch (const std::exception& e) {
        if (message) *message = tr("The built-in model could not be loaded: %1").arg(QString::fromStdString(e.what()));
        return false;
    }
    return true;
}

QString GenerationController::defaultPrompt() const {
    if (!m_model) return {};
    // A singular subject: the first Space shows the verb distribution, where the truth allows only singular
    // verbs ("likes", not "like"): agreement, live. With the default seed 0 the sentence runs past 8 tokens
    // ("... likes the cat with a small red fox"), so `--steps 8` leaves an open next position to look at.
    if (isToyLanguage(*m_model)) return QStringLiteral("a happy child");
    const ar::Tokenizer& tok = m_model->tokenizer();
    // Any model: the first few vocabulary entries that are printable, or empty when the model has a BOS.
    if (m_model->bosToken() >= 0) return {};
    for (int i = 0; i < tok.size(); ++i) {
        const std::string& t = tok.token(i);
        if (!t.empty() && t.find_first_of(" \n\t<") == std::string::npos) return QString::fromStdString(t);
    }
    return QString::fromStdString(tok.token(0));
}

void GenerationController::rebuildSession() {
    m_session.reset();
    m_unknown.clear();
    m_promptError.clear();
    if (!m_model) return;
    const std::string text = m_prompt.toStdString();
    try {
        const auto enc = m_model->tokenizer().encode(text);
        for (size_t i : enc.unknown) m_unknown << QString::fromStdString(enc.pieces[i]);
        m_session = std::make_unique<ar::DecodingSession>(m_model, text, m_settings);
    } catch (const std::exception& e) {
        m_promptError = QString::fromStdString(e.what());
        m_session.reset();
    }
}

void GenerationController::setPrompt(const QString& text) {
    pause();
    m_prompt = text;
    rebuildSession();
    if (!m_promptError.isEmpty()) emit promptRejected(m_promptError, m_unknown);
    emit changed(Change::Prompt);
}

ar::SamplerSettings GenerationController::defaultSettings() {
    ar::SamplerSettings s;
    s.beam = {3, 10, 0.6f};
    s.compare.maxNewTokens = 10;
    return s;
}

void GenerationController::setSettings(const ar::SamplerSettings& settings) {
    settings.validate();  // throws ar::Error: the caller (a panel) shows it
    m_settings = settings;
    if (m_session) m_session->setSettings(settings);
    emit changed(Change::Settings);
}

bool GenerationController::step() {
    if (!m_session) {
        emit stepFailed(m_promptError.isEmpty() ? tr("No model loaded.") : m_promptError);
        return false;
    }
    if (!m_session->canStep()) {
        emit stepFailed(tr("Cannot generate further: %1.").arg(QString::fromStdString(m_session->stopReason())));
        pause();
        return false;
    }
    try {
        m_session->step();
    } catch (const std::exception& e) {
        emit stepFailed(tr("The step failed: %1").arg(QString::fromStdString(e.what())));
        pause();
        return false;
    }
    emit changed(Change::StepAppended);
    return true;
}

int GenerationController::stepN(int n) {
    int done = 0;
    for (int i = 0; i < n; ++i) {
        if (!m_session || !m_session->canStep()) break;
        try {
            m_session->step();
        } catch (const std::exception& e) {
            emit stepFailed(tr("The step failed: %1").arg(QString::fromStdString(e.what())));
            break;
        }
        ++done;
    }
    emit changed(Change::StepAppended);
    return done;
}

bool GenerationController::back() {
    pause();
    if (!m_session || !m_session->back()) return false;
    emit changed(Change::StepRemoved);
    return true;
}

bool GenerationController::force(int tokenId) {
    pause();
    if (!m_session) return false;
    try {
        m_session->force(tokenId);
    } catch (const std::exception& e) {
        emit stepFailed(tr("The step failed: %1").arg(QString::fromStdString(e.what())));
        return false;
    }
    emit changed(Change::StepAppended);
    return true;
}

bool GenerationController::forceAt(int stepIndex, int tokenId) {
    pause();
    if (!m_session || stepIndex < 0 || stepIndex > m_session->stepCount()) return false;
    if (tokenId < 0 || tokenId >= m_model->vocabSize()) {
        emit stepFailed(tr("Token id %1 is outside the vocabulary.").arg(tokenId));
        return false;
    }
    const bool rewound = m_session->stepCount() > stepIndex;
    while (m_session->stepCount() > stepIndex) m_session->back();
    bool forced = true;
    try {
        m_session->force(tokenId);
    } catch (const std::exception& e) {
        emit stepFailed(QString::fromStdString(e.what()));
        forced = false;
    }
    Changes what;
    if (rewound) what |= Change::StepRemoved;
    if (forced) what |= Change::StepAppended;
    if (what) emit changed(what);
    return forced;
}

void GenerationController::switchTo(int node) {
    pause();
    if (!m_session) return;
    try {
        m_session->switchTo(node);
    } catch (const std::exception& e) {
        emit stepFailed(tr("The step failed: %1").arg(QString::fromStdString(e.what())));
        return;
    }
    emit changed(Change::StepRemoved | Change::StepAppended);
}

void GenerationController::reset() {
    pause();
    if (!m_session) return;
    m_session->reset();
    emit changed(Change::StepRemoved);
}

bool GenerationController::isPlaying() const { return m_timer->isActive(); }

void GenerationController::play() { setPlaying(true); }
void GenerationController::pause() { setPlaying(false); }

void GenerationController::setPlaying(bool playing) {
    if (playing == isPlaying()) return;
    if (playing) {
        if (!m_session || !m_session->canStep()) return;
        m_timer->start();
    } else {
        m_timer->stop();
    }
    emit playingChanged(playing);
}

void GenerationController::setSpeed(int tokensPerSecond) {
    m_speed = std::clamp(tokensPerSecond, 1, 50);
    m_timer->setInterval(1000 / m_speed);
}

std::vector<double> GenerationController::trueDistributionAt(int position) const {
    if (!m_toyLanguage || !m_session) return {};
    const ar::Tokens& seq = m_session->sequence();
    if (position < 0 || position > int(seq.size())) return {};
    try {
        return toyGrammar().nextDistribution(std::span<const int>(seq.data(), size_t(position)), m_model->tokenizer());
    } catch (const ar::Error&) {
        return {};  // the prefix is impossible in the toy language (the model made a mistake, or was forced)
    }
}

std::vector<double> GenerationController::trueNextDistribution() const {
    if (!m_session) return {};
    return trueDistributionAt(int(m_session->sequence().size()));
}

}  // namespace arlab
