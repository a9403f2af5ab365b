#include "app/gui/comparecontroller.h"

#include "app/gui/generationcontroller.h"
#include "core/error.h"
#include "widgets/compareview.h"

#include <QThread>

namespace arlab {

CompareController::CompareController(CompareView* view, GenerationController* generation, QObject* parent)
    : QObject(parent), m_view(view), m_generation(generation) {
    connect(m_view, &CompareView::runRequested, this, &CompareController::run);
    connect(m_view, &CompareView::settingsEdited, this, [this](const ar::CompareSettings& c, int beamWidth) {
        ar::SamplerSettings s = m_generation->settings();
        s.compare = c;
        if (beamWidth > 0) s.beam.width = beamWidth;
        if (!(s == m_generation->settings())) m_generation->setSettings(s);
    });
    // A new model or prompt makes the old rows meaningless.
    connect(m_generation, &GenerationController::modelChanged, m_view, [this] { m_view->setMessage(tr("Press Run to compare the strategies on the new model.")); });
}

CompareController::~CompareController() {
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

void CompareController::run(const ar::CompareSettings& compare) {
    if (m_thread) return;
    const ar::DecodingSession* session = m_generation->session();
    if (!m_generation->model() || !session) {
        m_view->setMessage(m_generation->model() ? tr("The prompt does not encode: %1").arg(m_generation->promptError())
                                                 : tr("No text model loaded."));
        return;
    }
    ar::SamplerSettings s = m_generation->settings();
    s.compare = compare;
    auto model = m_generation->model();
    const ar::Tokens prompt = session->promptTokens();
    m_prompt = m_generation->prompt();
    m_result = std::make_shared<std::vector<ar::CompareRow>>();
    m_error = std::make_shared<std::string>();
    auto result = m_result;
    auto error = m_error;
    m_view->setBusy(true);
    m_thread = QThread::create([model, prompt, s, result, error] {
        try {
            *result = ar::compareStrategies(model, prompt, s);
        } catch (const std::exception& e) {
            *error = e.what();
        }
    });
    QThread* thread = m_thread;
    connect(thread, &QThread::finished, this, [this, thread] {
        if (m_thread == thread) finishWork();
    });
    m_thread->start();
}

void CompareController::runNow() {
    run(m_view->settings());
    waitForIdle();
}

void CompareController::waitForIdle() {
    if (!m_thread) return;
    m_thread->wait();
    finishWork();
}

void CompareController::finishWork() {
    if (!m_thread) return;
    m_thread->disconnect(this);
    m_thread->deleteLater();
    m_thread = nullptr;
    m_view->setBusy(false);
    if (!m_error->empty()) m_view->setMessage(tr("The comparison failed: %1").arg(QString::fromStdString(*m_error)));
    else m_view->setRows(*m_result, m_prompt);
    emit finished();
}

}  // namespace arlab
