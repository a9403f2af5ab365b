#pragma once
// ModelLoader: File -> Open model in the background. Reading a model (a 500 MB GPT-2 model.safetensors, a
// llama2.c checkpoint) runs as a job of the app's JobRunner, never on the GUI thread; the window stays live
// and shows that it is busy. The job also computes the model's SHA-256 (sessions name the model by it), so a
// 500 MB file is not read again on the GUI thread at the first save. The model and its hash are handed over on
// the GUI thread, to the caller's `done`.
//
//   m_loader->load(path, tokenizer, [this, path](const ModelLoader::Result& r) {
//       if (r.ok()) hand r.model to a lesson;  else if (!r.cancelled) show r.error;
//   });
//
// One load at a time: a newer load() or cancel() stops the older one, which is then reported as cancelled
// (the core reader has no stop flag: a cancelled read finishes in the background and its model is dropped).
#include "core/io/modelregistry.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <functional>

namespace arlab {

class JobRunner;

class ModelLoader : public QObject {
    Q_OBJECT
public:
    struct Result {
        ar::OpenedModel model;
        QString path, tokenizer;
        QString sha256;         // of the model file(s), computed in the load job ("" when unreadable; sessions)
        QString tokenizerSha256;   // of `tokenizer` when one was chosen apart from the checkpoint (sessions)
        QString error;          // core's message; empty when opened or cancelled
        bool cancelled = false;
        bool ok() const { return !cancelled && error.isEmpty() && bool(model); }
    };
    using Done = std::function<void(const Result&)>;

    explicit ModelLoader(QObject* parent = nullptr);
    ~ModelLoader() override;

    // Starts reading `path` (a file or a folder; `tokenizer`: a llama2.c tokenizer.bin elsewhere, or "").
    void load(const QString& path, const QString& tokenizer, Done done);
    // Stops the load in progress; its `done` gets a cancelled Result.
    void cancel();
    bool busy() const { return bool(m_done); }
    QString path() const { return m_path; }           // the file being read
    qint64 elapsedMs() const { return m_clock.isValid() ? m_clock.elapsed() : 0; }

signals:
    void busyChanged(bool busy);

private:
    void finish(Result r);

    JobRunner* m_jobs;
    Done m_done;
    QString m_path, m_tokenizer;
    QElapsedTimer m_clock;
};

}  // namespace arlab
