#pragma once
// The Parallel lesson's controller: one Chinese sentence through the LSTM translator (AR, one word per pass)
// and the NAT/CMLM translator (one pass, Mask-Predict, semi-AR k = 2 and 4), the test-set quality of every mode
// against its sequential passes, and speculative decoding on the toy language (toy-target with toy-draft):
// the rounds of one run and the measured speedup for γ = 1..8. Every computation runs in the background
// through a JobRunner (a newer request drops an older result); the test-set sweep and the speedup measurement
// are kept for the process once complete (per NAT model), so reopening the lesson does not redo them.
#include "core/data/zhencorpus.h"
#include "core/decoding/paralleldecode.h"
#include "core/decoding/speculativespeed.h"
#include "core/models/nat.h"
#include "core/models/seq2seq.h"
#include "core/models/tinygpt.h"
#include "widgets/paralleldecodeview.h"
#include "widgets/parallelqualityview.h"
#include "widgets/speculativeview.h"

#include <QObject>

#include <memory>
#include <vector>

namespace arlab {

class JobRunner;

class ParallelController : public QObject {
    Q_OBJECT
public:
    struct Views {
        ParallelDecodeView* decode = nullptr;
        ParallelQualityView* quality = nullptr;
        SpeculativeView* speculative = nullptr;
    };
    struct Checkpoint {
        QString name;                                   // shown in the combo
        QString path;                                   // resource or file (keys the quality cache)
        std::shared_ptr<const ar::NatTranslator> model;
    };
    explicit ParallelController(const Views& views, QObject* parent = nullptr);
    ~ParallelController() override;

    // Loads the shipped models and the test set in the background (errors go to the views), then starts every
    // computation.
    void start();
    // A NAT/CMLM model opened by the user: added as a checkpoint and chosen.
    void addCheckpoint(const QString& name, const QString& path, std::shared_ptr<const ar::NatTranslator> model);
    void setCheckpoint(int index);
    void setSource(const QString& text);
    void setIterations(int k);
    void chooseExample(int index);
    void runSpeculative();
    void measureSpeedup(bool force);

    int pendingJobs() const;
    bool waitIdle(int timeoutMs);
    const Checkpoint* checkpoint() const;
    const ar::Seq2Seq* arTranslator() const { return m_ar.get(); }
    const ar::TinyGpt* target() const { return m_target.get(); }
    const ar::TinyGpt* draft() const { return m_draft.get(); }
    const std::vector<ar::ZhEnPair>& examples() const { return m_examples; }
    const std::vector<ar::ZhEnPair>& testSet() const { return m_test; }

    // Pure functions the views' data come from (also used by the tests).
    // The lanes for one source sentence; throws ar::Error for words outside a vocabulary.
    static ParallelSentenceData sentenceData(const ar::Seq2Seq* ar, const ar::NatTranslator& nat, const QString& source,
                                             int iterations);
    static ParallelLaneData laneOf(const ar::NatTranslator& nat, const ar::ParallelTranslation& t, const QString& id,
                                   const QString& title, bool everyPass);
    // Mask-Predict K = 1..maxIterations, semi k = 4, 2, 1 and the LSTM's greedy AR: the quality points in order.
    static QVector<ParallelQualityPoint> qualityPoints(const ar::Seq2Seq* ar, const ar::NatTranslator& nat,
                                                       const std::vector<ar::ZhEnPair>& test, int maxIterations,
                                                       const std::atomic<bool>* stop = nullptr,
                                                       const std::function<void(const QVector<ParallelQualityPoint>&)>& progress = {});
    static SpeculativeRunData runData(const ar::TinyGpt& target, const ar::Tokens& prompt, const ar::SpeculativeResult& r,
                                      int gamma);
    static QVector<SpeculativeSpeedPoint> speedPoints(const ar::SpeculativeSpeed& m);
    static constexpr int kQualityIterations = 6;   // Mask-Predict K = 1..6 in the quality sweep
    static ar::SpeculativeSpeedOptions speedOptions();   // what the lesson measures (smaller than the bench)

signals:
    void sentenceUpdated();
    void qualityUpdated(bool complete);
    void speculativeUpdated();
    void speedupUpdated(bool complete);

private:
    struct Loaded;
    void apply(const Loaded& loaded);
    void refreshSentence();
    void refreshQuality();
    void measureSpeedupOnce();   // the first measurement, after the first test-set sweep

    Views m_views;
    JobRunner* m_jobs;
    std::shared_ptr<const ar::Seq2Seq> m_ar;
    std::vector<Checkpoint> m_checkpoints;
    int m_current = -1;
    std::shared_ptr<const ar::TinyGpt> m_target, m_draft;
    std::vector<ar::ZhEnPair> m_test, m_examples;
    QString m_source;
    bool m_speedStarted = false;
    QString m_loadErrors;   // models that could not be loaded (shown in the sentence dock)
};

}  // namespace arlab
