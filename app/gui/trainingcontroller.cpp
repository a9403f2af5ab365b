#include "app/gui/trainingcontroller.h"

#include "app/gui/generationcontroller.h"
#include "app/gui/jobrunner.h"
#include "core/data/toygrammar.h"
#include "widgets/trainingview.h"

#include <QLocale>

namespace arlab {

namespace {
const QString kTrain = QStringLiteral("train");
}

TrainingController::TrainingController(TrainingView* view, GenerationController* generation, QObject* parent)
    : QObject(parent), m_view(view), m_generation(generation), m_jobs(new JobRunner(this)) {
    setObjectName("trainingController");
    qRegisterMetaType<arlab::TrainingProgress>();
    qRegisterMetaType<arlab::TrainingOutcome>();
    connect(m_jobs, &JobRunner::failed, this, [this](const QString&, const QString& message) { onFailed(message); });
    view->setEntropyRate(ar::ToyGrammar().entropyRate());
    view->setTotalSteps(view->settings().steps);
    connect(view, &TrainingView::settingsChanged, this, &TrainingController::checkSettings);
    connect(view, &TrainingView::startRequested, this, &TrainingController::start);
    connect(view, &TrainingView::stopRequested, this, &TrainingController::stop);
    connect(view, &TrainingView::useRequested, this, &TrainingController::useModel);
    checkSettings();
}

TrainingController::~TrainingController() {
    shutdown();
    m_jobs->shutdown();
}

bool TrainingController::isRunning() const { return m_jobs->pending(kTrain); }

void TrainingController::checkSettings() {
    if (!m_view) return;
    const ar::ToyGptSettings s = m_view->settings();
    const std::string problem = s.problem();
    m_view->setSettingsProblem(problem.empty() ? QString() : tr("Cannot train: %1.").arg(QString::fromStdString(problem)));
    if (!isRunning()) m_view->setTotalSteps(s.steps);
}

bool TrainingController::start() {
    if (!m_view || isRunning()) return false;
    const ar::ToyGptSettings s = m_view->settings();
    if (const std::string problem = s.problem(); !problem.empty()) {
        m_view->setSettingsProblem(tr("Cannot train: %1.").arg(QString::fromStdString(problem)));
        return false;
    }
    m_jobs->run(kTrain, [this, s](const JobContext& job) -> JobRunner::Deliver {
        const TrainingOutcome outcome = TrainingWorker(s).run(
            job.stopFlag(),
            [&](qint64 params) {
                job.post([this, params] {
                    if (m_view) m_view->setStatus(tr("Training %1 parameters…").arg(QLocale(QLocale::English).toString(params)));
                });
            },
            [&](const TrainingProgress& p) { job.post([this, p] { showProgress(p); }); });
        return [this, outcome] { onFinished(outcome); };
    });
    m_view->clearCurves();
    m_view->setTotalSteps(s.steps);
    m_view->setRunning(true);
    m_view->setStatus(tr("Starting…"));
    return true;
}

void TrainingController::showProgress(const TrainingProgress& p) {
    if (m_view) {
        m_view->appendCurves(p.train, p.validation);
        const QString loss = p.train.isEmpty() ? QString() : tr(", batch loss %1").arg(p.train.last().y(), 0, 'f', 3);
        m_view->setStatus(tr("Step %1 / %2%3 — %4 s").arg(p.step).arg(p.totalSteps).arg(loss).arg(p.seconds, 0, 'f', 1));
    }
    emit progressed(p);
}

void TrainingController::stop() {
    m_jobs->stop(kTrain);
    if (m_view && isRunning()) m_view->setStatus(tr("Stopping…"));
}

void TrainingController::shutdown() {
    m_jobs->cancel(kTrain);   // whatever this run still posts or returns is dropped
    if (m_view) m_view->setRunning(false);
}

QString TrainingController::sourceName(const TrainingOutcome& o) {
    const ar::ToyGptSettings& s = o.settings;
    return tr("trained in the app: toy language, L=%1 H=%2 C=%3 T=%4 %5 positions, %6 steps%7, seed %8")
        .arg(s.layers)
        .arg(s.heads)
        .arg(s.embd)
        .arg(s.context)
        .arg(QString::fromStdString(ar::positionModeName(s.pos)))
        .arg(o.steps)
        .arg(o.stopped ? tr(" (stopped early)") : QString())
        .arg(s.seed);
}

void TrainingController::onFinished(const TrainingOutcome& o) {
    m_outcome = o;
    if (m_view) {
        m_view->setRunning(false);
        m_view->setModelAvailable(bool(o.model));
        m_view->setStatus(tr("%1 after %2 steps in %3 s: training loss %4, validation loss %5 nats/token (true entropy rate %6).")
                              .arg(o.stopped ? tr("Stopped") : tr("Done"))
                              .arg(o.steps)
                              .arg(o.seconds, 0, 'f', 1)
                              .arg(o.trainLoss, 0, 'f', 3)
                              .arg(o.valLoss, 0, 'f', 3)
                              .arg(ar::ToyGrammar().entropyRate(), 0, 'f', 3));
    }
    emit finished();
}

void TrainingController::onFailed(const QString& message) {
    const QString text = tr("Training failed: %1").arg(message);
    if (m_view) {
        m_view->setRunning(false);
        m_view->setStatus(text);
    }
    emit failed(text);
    emit finished();
}

bool TrainingController::useModel() {
    if (!m_outcome.model || !m_generation) return false;
    m_generation->setModel(m_outcome.model, sourceName(m_outcome));
    if (m_view) m_view->setStatus(tr("The Generation, Next token, Attention and Model docks now show the model trained here."));
    return true;
}

}  // namespace arlab
