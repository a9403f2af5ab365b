#pragma once
// CompareController: decodes the app's current prompt with greedy, beam(k) and N seeded samples
// (ar::compareStrategies) on a worker thread and shows the rows in a CompareView. Everything comes from the
// one settings value (GenerationController::settings()): the view's boxes edit its .compare part and the beam
// width; the sampled rows use its filters, the beam row its beam width and length penalty.
#include "core/decoding/compare.h"

#include <QObject>
#include <memory>

class QThread;

namespace arlab {

class CompareView;
class GenerationController;

class CompareController : public QObject {
    Q_OBJECT
public:
    CompareController(CompareView* view, GenerationController* generation, QObject* parent = nullptr);
    ~CompareController() override;
    bool isBusy() const { return m_thread != nullptr; }
    void waitForIdle();  // tests and screenshots

public slots:
    void run(const ar::CompareSettings& compare);   // with the rest of the settings value
    void runNow();       // with the view's settings, waiting for the result

signals:
    void finished();

private:
    void finishWork();

    CompareView* m_view;
    GenerationController* m_generation;
    QThread* m_thread = nullptr;
    std::shared_ptr<std::vector<ar::CompareRow>> m_result;
    std::shared_ptr<std::string> m_error;
    QString m_prompt;
};

}  // namespace arlab
