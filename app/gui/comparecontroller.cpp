#include "app/gui/comparecontroller.h"

#include "app/gui/generationcontroller.h"
#include "app/gui/jobrunner.h"
#include "core/error.h"
#include "widgets/compareview.h"

namespace arlab {

namespace {
const QString kCompare = QStringLiteral("compare");
}

CompareController::CompareController(CompareView* view, GenerationController* generation, QObject* parent)
    : QObject(parent), m_view(view), m_generation(generation), m_jobs(new JobRunner(this)) {
    connect(m_view, &CompareView::runRequested, this, &CompareController::run);
    connect(m_view, &CompareView::settingsEdited, this, [this](const ar::CompareSettings& c, int beamWidth) {
        ar::SamplerSettings s = m_generation->settings();
        s.compare = c;
        if (beamWidth > 0) s.beam.width = beamWidth;
        if (!(s == m_generation->settings())) m_generation->setSettings(s);
    });
    connect(m_jobs, &JobRunner::failed, this, [this](const QString&, const QString& error) {
        const QString message = tr("The comparison failed: %1").arg(error);
        m_view->setBusy(false);
        m_view->setMessage(message);
        emit failed(message);
        emit finished();
    });
    // A new model or prompt makes the old rows meaningless (and a running comparison's too).
    connect(m_generation, &GenerationController::modelChanged, m_view, [this] {
        m_jobs->cancel(kCompare);
        m_view->setBusy(false);
        m_view->setMessage(tr("Press Run to compare the strategies on the new model."));
    });
}

CompareController::~CompareController() { m_jobs->shutdown(); }

bool CompareController::isBusy() const { return m_jobs->pending(kCompare); }

void CompareController::run(const ar::CompareSettings& compare) {
    const ar::DecodingSession* session = m_generation->session();
    if (!m_generation->model() || !session) {
        m_jobs->cancel(kCompare);
        m_view->setBusy(false);
        m_view->setMessage(m_generation->model() ? tr("The prompt does not encode: %1").arg(m_generation->promptError())
                                                 : tr("No text model loaded."));
        return;
    }
    ar::SamplerSettings s = m_generation->settings();
    s.compare = compare;
    auto model = m_generation->model();
    const ar::Tokens prompt = session->promptTokens();
    const QString promptText = m_generation->prompt();
    m_view->setBusy(true);
    m_jobs->run(kCompare, [this, model, prompt, s, promptText](const JobContext&) -> JobRunner::Deliver {
        auto rows = std::make_shared<const std::vector<ar::CompareRow>>(ar::compareStrategies(model, prompt, s));
        return [this, rows, promptText] {
            m_view->setBusy(false);
            m_view->setRows(*rows, promptText);
            emit finished();
        };
    });
}

void CompareController::runNow() {
    run(m_view->settings());
    waitForIdle();
}

void CompareController::waitForIdle() { m_jobs->waitIdle(600000); }

}  // namespace arlab
