#pragma once
// PixelController: drives the Pixels dock (PixelPanel) over core's ImageSampler.
//   - the three pretrained image models from the resources (PixelCNN with its blind spot, Gated PixelCNN,
//     MADE), or one opened with File -> Open model
//   - Step / Back / Reset on the GUI thread (one incremental step is far below a millisecond)
//   - Play and Fast-forward as timer ticks that each spend at most ~8 ms drawing pixels
//   - the receptive-field overlay: gradient of the next pixel's logit w.r.t. the input, computed as a job of a
//     JobRunner on the controller's own copy of the model (requests coalesce: one job at a time, and a state
//     that changed meanwhile is asked for again when it ends); an error is shown in the dock's info line and,
//     through `failed`, in the status bar
//   - the user's drawing: pixels in the first "keep" rows are fixed, the model completes the rest
#include "core/models/imagemodel.h"
#include "core/sampling/imagesampler.h"

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <vector>

namespace arlab {

class JobRunner;
class PixelPanel;

class PixelController : public QObject {
    Q_OBJECT
public:
    PixelController(PixelPanel* panel, QObject* parent = nullptr);
    ~PixelController() override;

    // Adds a model to the selector (and selects it). Takes ownership.
    void addModel(const QString& name, std::shared_ptr<ar::ImageModel> model);
    void loadBuiltInModels();       // :/models/{pixelcnn,gatedpixelcnn,made}-digits.safetensors
    int modelCount() const { return int(m_models.size()); }
    const ar::ImageSampler* sampler() const { return m_sampler.get(); }
    // For --steps N and tests: N steps now, then waits for the overlay.
    void stepPixels(int n);
    bool overlayPending() const { return m_fieldInFlight; }

public slots:
    void selectModel(int index);
    void step();
    void back();
    void reset();
    void fastForward();
    void setPlaying(bool on);
    void paintCell(int index, int value);
    void clearDrawing();

signals:
    void overlayUpdated();
    void failed(const QString& message);   // the overlay could not be computed (also in the dock's info line)

private:
    void rebuildSampler();
    void refresh();
    void requestField();
    void tick();
    void fieldArrived(const std::vector<float>* field);   // nullptr: the job failed
    void showField(const std::vector<float>& field);

    struct Entry {
        QString name;
        std::shared_ptr<ar::ImageModel> model;
        std::shared_ptr<ar::ImageModel> workerCopy;  // used only by the overlay job (one at a time)
    };
    PixelPanel* m_panel;
    std::vector<Entry> m_models;
    int m_current = -1;
    std::unique_ptr<ar::ImageSampler> m_sampler;
    std::vector<int8_t> m_drawing;     // user's pixels: -1 untouched, 0/1
    QTimer m_timer;
    bool m_fastForward = false;
    double m_carry = 0;                // fractional pixels owed by the play timer
    QElapsedTimer m_clock;
    JobRunner* m_jobs;
    bool m_fieldInFlight = false;
    bool m_fieldDirty = false;
};

}  // namespace arlab
