#pragma once
// CompareController: decodes the app's current prompt with greedy, beam(k) and N seeded samples
// (ar::compareStrategies) as a job of a JobRunner and shows the rows in a CompareView. Everything comes from the
// one settings value (GenerationController::settings()): the view's boxes edit its .compare part and the beam
// width; the sampled rows use its filters, the beam row its beam width and length penalty. Run while a comparison
// runs starts a new one (the older result is dropped): a new model drops the running one's rows. An error is
// shown in the view and, through `failed`, in the status bar.
#include "core/decoding/compare.h"

#include <QObject>
#include <memory>

namespace arlab {

class CompareView;
class GenerationController;
class JobRunner;

class CompareController : public QObject {
    Q_OBJECT
public:
    CompareController(CompareView* view, GenerationController* generation, QObject* parent = nullptr);
    ~CompareController() override;
    bool isBusy() const;
    void waitForIdle();  // tests and screenshots

public slots:
    void run(const ar::CompareSettings& compare);   // with the rest of the settings value
    void runNow();       // with the view's settings, waiting for the result

signals:
    void finished();                          // rows shown, or the error
    void failed(const QString& message);      // the comparison failed (also shown in the view)

private:
    CompareView* m_view;
    GenerationController* m_generation;
    JobRunner* m_jobs;
};

}  // namespace arlab
