#include "app/gui/beamcontroller.h"

#include "app/gui/generationcontroller.h"
#include "app/gui/jobrunner.h"
#include "core/error.h"
#include "widgets/beamsearchpanel.h"

namespace arlab {

namespace {
const QString kRounds = QStringLiteral("beam-rounds");
}

BeamController::BeamController(BeamSearchPanel* panel, GenerationController* generation, QObject* parent)
    : QObject(parent), m_panel(panel), m_generation(generation), m_jobs(new JobRunner(this)) {
    // The tree stays as it was after the last complete round; the message goes to the dock and the status bar.
    connect(m_jobs, &JobRunner::failed, this, [this](const QString&, const QString& message) { finishWork(message); });
    m_panel->setSettings(settings());
    connect(m_panel, &BeamSearchPanel::stepRequested, this, &BeamController::stepRound);
    connect(m_panel, &BeamSearchPanel::runRequested, this, &BeamController::runToEnd);
    connect(m_panel, &BeamSearchPanel::resetRequested, this, &BeamController::rebuild);
    connect(m_panel, &BeamSearchPanel::settingsChanged, this, &BeamController::setSettings);
    rebuild();
}

BeamController::~BeamController() { m_jobs->shutdown(); }

const ar::BeamSettings& BeamController::settings() const { return m_generation->settings().beam; }

void BeamController::generationChanged(Changes what) {
    // Steps of the generation session do not concern the beam; a new model, prompt or beam setting does.
    if (what & Change::Settings) m_panel->setSettings(settings());
    if (what & (Change::Model | Change::Prompt) || (what & Change::Settings && (!m_search || m_search->settings() != settings())))
        rebuild();
}

void BeamController::setSettings(const ar::BeamSettings& beam) {
    ar::SamplerSettings s = m_generation->settings();
    if (s.beam == beam) return;
    s.beam = beam;
    m_generation->setSettings(s);   // throws ar::Error on a bad value (the panel's ranges keep it valid)
}

void BeamController::rebuild() {
    // Rounds still running work on the old search: they stop, and what they return is dropped with it.
    m_jobs->cancel(kRounds);
    if (m_busy) {
        m_busy = false;
        m_panel->setBusy(false);
    }
    m_search.reset();
    m_error.clear();
    m_roundError.clear();
    const ar::DecodingSession* session = m_generation->session();
    if (!m_generation->model()) {
        m_error = tr("No text model loaded.");
    } else if (!session) {
        m_error = tr("The prompt does not encode: %1").arg(m_generation->promptError());
    } else {
        try {
            m_search = std::make_shared<ar::BeamSearch>(m_generation->model(), session->promptTokens(), settings());
        } catch (const ar::Error& e) {
            m_error = tr("Error: %1").arg(QString::fromStdString(e.what()));
        }
    }
    publish();
}

void BeamController::stepRound() { start(1); }

void BeamController::runToEnd() { start(settings().maxLength + 1); }

void BeamController::stepRounds(int n) {
    start(n);
    waitForIdle();
}

void BeamController::start(int rounds) {
    if (m_busy || !m_search || m_search->done()) return;
    m_busy = true;
    m_panel->setBusy(true);
    std::shared_ptr<ar::BeamSearch> search = m_search;
    m_jobs->run(kRounds, [this, search, rounds](const JobContext& job) -> JobRunner::Deliver {
        for (int i = 0; i < rounds && !job.cancelled() && search->stepRound(); ++i) {}
        return [this] { finishWork({}); };
    });
}

void BeamController::waitForIdle() { m_jobs->waitIdle(600000); }

void BeamController::finishWork(const QString& error) {
    m_busy = false;
    m_panel->setBusy(false);
    m_roundError = error.isEmpty() ? QString() : tr("Beam search stopped: %1").arg(error);
    publish();
    if (!m_roundError.isEmpty()) emit failed(m_roundError);
}

void BeamController::publish() {
    std::vector<QString> vocab;
    QString prompt;
    if (auto model = m_generation->model()) {
        const ar::Tokenizer& tok = model->tokenizer();
        for (int i = 0; i < tok.size(); ++i) vocab.push_back(QString::fromStdString(tok.display(i)));
        if (m_search) prompt = QString::fromStdString(tok.decode(m_search->prompt()));
    }
    if (!m_search) {
        m_panel->setSearch(ar::BeamTree{}, vocab, prompt, {}, true, m_error);
        emit updated();
        return;
    }
    const ar::BeamTree& tree = m_search->tree();
    QString status = tr("round %1 · %2 nodes").arg(m_search->round()).arg(tree.nodes.size());
    if (m_search->done()) status += tr(" · done: %1").arg(QString::fromStdString(m_search->stopReason()));
    if (!m_roundError.isEmpty()) status += QStringLiteral(" · ") + m_roundError;
    m_panel->setSearch(tree, vocab, prompt.isEmpty() ? tr("<start>") : prompt, m_search->nbest(), m_search->done(), status);
    emit updated();
}

}  // namespace arlab
