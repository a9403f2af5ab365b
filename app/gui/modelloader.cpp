#include "app/gui/modelloader.h"

#include "app/gui/jobrunner.h"
#include "app/gui/modelfiles.h"

namespace arlab {

namespace {
const QString kJob = QStringLiteral("open-model");
}

ModelLoader::ModelLoader(QObject* parent) : QObject(parent), m_jobs(new JobRunner(this)) {
    connect(m_jobs, &JobRunner::failed, this, [this](const QString& kind, const QString& message) {
        if (kind != kJob || !m_done) return;
        Result r;
        r.path = m_path;
        r.tokenizer = m_tokenizer;
        r.error = message;
        finish(std::move(r));
    });
}

ModelLoader::~ModelLoader() {
    m_done = nullptr;   // the runner's destructor stops and waits for the thread; nothing is delivered
}

void ModelLoader::load(const QString& path, const QString& tokenizer, Done done) {
    if (m_done) cancel();
    m_done = std::move(done);
    m_path = path;
    m_tokenizer = tokenizer;
    m_clock.start();
    emit busyChanged(true);
    m_jobs->run(kJob, [this, path, tokenizer](const JobContext&) -> JobRunner::Deliver {
        ar::OpenedModel model = openAnyModel(path, tokenizer);   // the job's thread; throws ar::Error
        QString hashError;
        const QString sha256 = modelFileSha256(path, &hashError);   // for sessions; seconds for a 500 MB file
        const QString tokenizerSha256 = tokenizer.isEmpty() ? QString() : modelFileSha256(tokenizer, &hashError);
        return [this, model = std::move(model), path, tokenizer, sha256, tokenizerSha256] {
            Result r;
            r.model = model;
            r.sha256 = sha256;
            r.tokenizerSha256 = tokenizerSha256;
            r.path = path;
            r.tokenizer = tokenizer;
            finish(std::move(r));
        };
    });
}

void ModelLoader::cancel() {
    if (!m_done) return;
    m_jobs->cancel(kJob);
    Result r;
    r.path = m_path;
    r.tokenizer = m_tokenizer;
    r.cancelled = true;
    finish(std::move(r));
}

void ModelLoader::finish(Result r) {
    Done done = std::move(m_done);
    m_done = nullptr;
    m_clock.invalidate();
    emit busyChanged(false);
    if (done) done(r);
}

}  // namespace arlab
