#pragma once
// The Limits lesson's controller: loads the shipped models (recall-*, moe-toy, toy-word), computes what the five
// views draw with core (recall accuracy and gradient flow, hidden states, the KV cost of the live session, a flash
// attention trace, MoE routing, positions) and retrains a recall model in a worker thread. Heavy computations run
// in background threads; a run id per kind drops results that a newer request replaced. On destruction it asks
// the training worker to stop and waits for every thread.
#include "core/models/languagemodel.h"

#include <QObject>
#include <QPointer>
#include <QThread>

#include <atomic>
#include <functional>
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

    bool isTraining() const { return m_trainThread != nullptr; }
    int pendingJobs() const { return m_jobs; }   // background computations not delivered yet (for tests)
    const std::map<QString, std::shared_ptr<const ar::LanguageModel>>& recallModels() const { return m_recall; }

    // Pure functions the views' data come from (also used by the tests).
    static FlashViewData flashData(const ar::TinyGpt& model, const ar::Tokens& tokens, int head, int blockQ, int blockK);
    static KvCostData kvCostData(const ar::TinyGpt& model, const ar::Tokens& tokens, const QString& name, bool measure);

signals:
    void memoryUpdated();
    void kvUpdated();
    void flashUpdated();
    void positionsUpdated();
    void trainingFinished(const QString& kind, bool stopped);

private:
    // Runs `work` on a new thread; `done` runs on this object's thread unless `id` is no longer current.
    void runJob(std::function<std::function<void()>()> work, int* counter);

    Views m_views;
    QPointer<GenerationController> m_generation;
    std::map<QString, std::shared_ptr<const ar::LanguageModel>> m_recall;  // rnn, lstm, gru, tinygpt
    std::shared_ptr<const ar::MoeGpt> m_moe;
    std::shared_ptr<const ar::TinyGpt> m_toy;
    std::map<QString, std::shared_ptr<const ar::TinyGpt>> m_toyPositions;  // "sinusoidal", "rope": toy-word's twins
    std::vector<QThread*> m_threads;
    int m_jobs = 0;
    int m_memoryRun = 0, m_hiddenRun = 0, m_kvRun = 0, m_flashRun = 0, m_positionsRun = 0;
    QThread* m_trainThread = nullptr;
    std::shared_ptr<std::atomic<bool>> m_stop;                                        // the training run's
    std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);  // every job's
    std::shared_ptr<std::mutex> m_gradLock = std::make_shared<std::mutex>();  // jobs that run backward on m_recall
};

}  // namespace arlab
