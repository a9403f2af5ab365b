#pragma once
// Drives the Teacher-forcing dock: for the chosen model and test pair, the decoder's argmax under teacher
// forcing vs free running (fast: one sentence); the per-position error curves over the whole test split run
// as a job of a JobRunner (about a second), then land in the view. Choosing another model while they run drops
// the older curves; an error is shown in the view's summary and, through `failed`, in the status bar.
#include "core/data/zhencorpus.h"
#include "core/models/seq2seq.h"
#include "core/training/seq2seqtrain.h"

#include <QObject>
#include <QStringList>

#include <memory>
#include <vector>

namespace arlab {

class JobRunner;
class TeacherForcingView;

class TeacherForcingController : public QObject {
    Q_OBJECT
public:
    struct Entry {
        QString name;
        QString resource;
    };
    TeacherForcingController(TeacherForcingView* view, std::vector<Entry> models, QObject* parent = nullptr);
    ~TeacherForcingController() override;

    // Free-running and teacher-forced words of test pair `index` under the current model.
    void comparePair(int index, QStringList* gold, QStringList* tf, QStringList* fr) const;
    const std::vector<ar::ZhEnPair>& pairs() const { return m_pairs; }
    bool curvesReady() const { return m_curvesReady; }
    const ar::TranslationEval& evaluation() const { return m_eval; }

public slots:
    void chooseModel(int index);
    void choosePair(int index);

signals:
    void curvesComputed();
    void failed(const QString& message);   // the curves could not be measured (also in the view's summary)

private:
    void startCurves(bool stored);  // stored: curves from the file are already shown
    bool showStoredCurves();  // false when the file has none

    TeacherForcingView* m_view;
    std::vector<Entry> m_models;
    std::shared_ptr<const ar::Seq2Seq> m_model;
    std::vector<ar::ZhEnPair> m_pairs;   // the test split (seed 1)
    int m_pair = 0;
    JobRunner* m_jobs;                   // the curves: a newer model's drop an older one's
    bool m_curvesReady = false;
    ar::TranslationEval m_eval;
};

}  // namespace arlab
