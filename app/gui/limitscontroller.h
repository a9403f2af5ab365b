#pragma once
// The Limits lesson's controller: loads the shipped models (recall-*, moe-toy, toy-word), computes what the five
// views draw with core (recall accuracy and gradient flow, hidden states, the KV cost of the live session, a flash
// attention trace, MoE routing, positions) and retrains a recall model as a long job. Heavy computations run as
// jobs of a JobRunner: a newer request of a kind drops the older one's result; an error is shown in the view the
// job was for and, through `failed`, in the status bar. On destruction every job is stopped and waited for.
#include "core/models/languagemodel.h"

#include <QObject>
#include <QPointer>

#include <map>
#include <memory>
#include <mutex>

namespace ar {
class TinyGpt;
class MoeGpt;
}

namespace arlab {

class FlashView;
class GenerationController;
class JobRunner;
class KvCostView;
class MemoryView;
class MoeRoutingView;
class PositionsView;
struct FlashViewData;
struct KvCostData;

// A text model from the Qt resources (":/models/x.safetensors") or a file; throws ar::Error.
std::shared_ptr<const ar::LanguageModel> loadTextModelResource(const QString& path);

class LimitsController : public QObject {
    Q_OBJECT
public:
    struct Views {
        MemoryView* memory = nullptr;
        KvCostView* kv = nullptr;
        FlashView* flash = nullptr;
        MoeRoutingView* moe = nullptr;
        PositionsView* positions = nullptr;
    };
    // The lesson calls refreshKvCost / refreshFlash when the live session changes (through DockUpdaters).
    LimitsController(const Views& views, GenerationController* generation, QObject* parent = nullptr);
    ~LimitsController() override;

    // Starts every computation (called once when the lesson is built).
    void refreshAll();
    void refreshMemory();
    void refreshHiddenState();
    void refreshKvCost();
    void refreshFlash();
    void setMoePrompt(const QString& text);
    void refreshPositions();
    void train();
    void stopTraining();

    bool isTraining() const;
    int pendingJobs() const;   // background computations not delivered yet, training aside (for tests)
    bool waitIdle(int timeoutMs);   // runs events until pendingJobs() is 0 (or timeoutMs passed); true then
    const std::map<QString, std::shared_ptr<const ar::LanguageModel>>& recallModels() const { return m_recall; }

    // Pure functions the views' data come from (also used by the tests).
    static FlashViewData flashData(const ar::TinyGpt& model, const ar::Tokens& tokens, int head, int blockQ, int blockK);
    static KvCostData kvCostData(const ar::TinyGpt& model, const ar::Tokens& tokens, const QString& name, bool measure);

signals:
    void memoryUpdated();
    void kvUpdated();
    void flashUpdated();
    void positionsUpdated();
    void trainingFinished(const QString& kind, bool stopped);   // also after a failure (stopped = false)
    void failed(const QString& message);                         // a job failed (also shown in its view)

private:
    void jobFailed(const QString& job, const QString& message);

    Views m_views;
    QPointer<GenerationController> m_generation;
    std::map<QString, std::shared_ptr<const ar::LanguageModel>> m_recall;  // rnn, lstm, gru, tinygpt
    std::shared_ptr<const ar::MoeGpt> m_moe;
    std::shared_ptr<const ar::TinyGpt> m_toy;
    std::map<QString, std::shared_ptr<const ar::TinyGpt>> m_toyPositions;  // "sinusoidal", "rope": toy-word's twins
    JobRunner* m_jobs;
    QString m_trainKind;                                                      // the model being retrained
    std::shared_ptr<std::mutex> m_gradLock = std::make_shared<std::mutex>();  // jobs that run backward on m_recall
};

}  // namespace arlab
