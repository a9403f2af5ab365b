#include "app/gui/pixelcontroller.h"

#include "app/gui/jobrunner.h"
#include "app/gui/modelfiles.h"
#include "core/error.h"
#include "core/io/safetensors.h"
#include "widgets/pixelpanel.h"

#include <QFile>

#include <algorithm>
#include <cmath>

namespace arlab {

namespace {
const QString kField = QStringLiteral("receptive-field");
}

PixelController::PixelController(PixelPanel* panel, QObject* parent)
    : QObject(parent), m_panel(panel), m_jobs(new JobRunner(this)) {
    connect(m_jobs, &JobRunner::failed, this, [this](const QString&, const QString& error) {
        const QString message = tr("The receptive-field overlay failed: %1").arg(error);
        m_panel->setInfo(message);
        emit failed(message);
        fieldArrived(nullptr);
    });
    m_timer.setInterval(16);
    connect(&m_timer, &QTimer::timeout, this, &PixelController::tick);
    connect(panel, &PixelPanel::stepRequested, this, &PixelController::step);
    connect(panel, &PixelPanel::backRequested, this, &PixelController::back);
    connect(panel, &PixelPanel::resetRequested, this, &PixelController::reset);
    connect(panel, &PixelPanel::fastForwardRequested, this, &PixelController::fastForward);
    connect(panel, &PixelPanel::playToggled, this, &PixelController::setPlaying);
    connect(panel, &PixelPanel::modelChosen, this, &PixelController::selectModel);
    connect(panel, &PixelPanel::cellPainted, this, &PixelController::paintCell);
    connect(panel, &PixelPanel::clearDrawingRequested, this, &PixelController::clearDrawing);
    connect(panel, &PixelPanel::temperatureChanged, this, [this] { rebuildSampler(); });
    connect(panel, &PixelPanel::seedChanged, this, [this] { rebuildSampler(); });
    connect(panel, &PixelPanel::keepRowsChanged, this, [this] { rebuildSampler(); });
    connect(panel, &PixelPanel::overlayToggled, this, [this] { refresh(); });
    m_panel->setOverlayNote(
        tr("The orange overlay is MEASURED, not drawn from a formula: it is |∂ logit(next pixel) / ∂ input| from "
           "one backward pass through the real network. Plain PixelCNN misses a wedge up and to the right "
           "(its blind spot); the gated PixelCNN sees the whole past; MADE sees exactly the pixels before it."));
}

PixelController::~PixelController() {
    m_timer.stop();
    m_jobs->shutdown();
}

void PixelController::addModel(const QString& name, std::shared_ptr<ar::ImageModel> model) {
    Entry e{name, model, std::shared_ptr<ar::ImageModel>(model->clone())};
    m_models.push_back(std::move(e));
    QStringList names;
    for (const auto& m : m_models) names << m.name;
    m_panel->setModels(names, int(m_models.size()) - 1);
    selectModel(int(m_models.size()) - 1);
}

void PixelController::loadBuiltInModels() {
    const std::pair<const char*, QString> files[] = {
        {"pixelcnn-digits", tr("PixelCNN (masked convolutions: has a blind spot)")},
        {"gatedpixelcnn-digits", tr("Gated PixelCNN (vertical + horizontal stacks: no blind spot)")},
        {"made-digits", tr("MADE (masked autoencoder)")}};
    QStringList missing;
    for (const auto& [file, name] : files) {
        try {
            addModel(name, openModelAt(QStringLiteral(":/models/%1.safetensors").arg(file), ar::ModelFamily::Image).image);
        } catch (const ar::Error& e) {
            missing << QString::fromStdString(e.what());
        }
    }
    if (!missing.isEmpty()) m_panel->setInfo(tr("Not available: %1").arg(missing.join(", ")));
    if (!m_models.empty()) {
        m_panel->setModels([this] { QStringList n; for (auto& m : m_models) n << m.name; return n; }(), 0);
        selectModel(0);
    }
}

void PixelController::selectModel(int index) {
    if (index < 0 || index >= int(m_models.size())) return;
    m_current = index;
    const ar::ImageModel& m = *m_models[size_t(index)].model;
    m_panel->setGrid(m.height(), m.width());
    if (int(m_drawing.size()) != m.pixels()) m_drawing.assign(size_t(m.pixels()), -1);
    QString info = tr("%1 · %2×%3 binary pixels, drawn in %4 order")
                       .arg(QString::fromStdString(m.kind())).arg(m.height()).arg(m.width())
                       .arg(m.kind() == "made" ? tr("MADE's own") : tr("raster (row by row)"));
    m_panel->setInfo(info);
    rebuildSampler();
}

void PixelController::rebuildSampler() {
    if (m_current < 0) return;
    auto model = m_models[size_t(m_current)].model;
    ar::SampleOptions o;
    o.temperature = float(m_panel->temperature());
    o.label = model->numClasses() > 0 ? 0 : -1;
    const bool drew = std::any_of(m_drawing.begin(), m_drawing.end(), [](int8_t v) { return v >= 0; });
    if (drew) {
        o.given.assign(size_t(model->pixels()), -1);
        const int keep = std::min(m_panel->keepRows(), model->height()) * model->width();
        for (int i = 0; i < keep; ++i) o.given[size_t(i)] = int8_t(m_drawing[size_t(i)] > 0 ? 1 : 0);
    }
    try {
        m_sampler = std::make_unique<ar::ImageSampler>(model, uint64_t(m_panel->seed()), o);
    } catch (const ar::Error& e) {
        m_panel->setInfo(tr("Error: %1").arg(QString::fromStdString(e.what())));
        m_sampler.reset();
    }
    refresh();
}

void PixelController::refresh() {
    if (!m_sampler) return;
    const ar::ImageModel& m = m_sampler->model();
    const int P = m.pixels();
    QVector<float> canvas(P, -1.0f), probs(P, -1.0f);
    QVector<bool> fixed(P, false);
    for (const auto& d : m_sampler->draws()) {
        canvas[d.index] = float(d.value);
        probs[d.index] = d.p;
        fixed[d.index] = d.given;
    }
    const bool drew = std::any_of(m_drawing.begin(), m_drawing.end(), [](int8_t v) { return v >= 0; });
    if (drew) {  // the part of the drawing that will be kept, before the sampler reaches it
        const int keep = std::min(m_panel->keepRows(), m.height()) * m.width();
        for (int i = 0; i < keep; ++i)
            if (canvas[i] < 0) {
                canvas[i] = m_drawing[size_t(i)] > 0 ? 1.0f : 0.0f;
                fixed[i] = true;
            }
    }
    const int next = m_sampler->nextIndex();
    float pNext = -1.0f;
    if (next >= 0) {
        pNext = m_sampler->nextProbability();
        probs[next] = pNext;
    }
    m_panel->setCanvas(canvas, fixed, next);
    m_panel->setProbabilities(probs, next);
    m_panel->setNextPixel(next >= 0 ? next / m.width() : -1, next >= 0 ? next % m.width() : -1, pNext);
    m_panel->setProgress(m_sampler->position(), m_sampler->total(), m_sampler->logProb());
    if (m_panel->overlayEnabled() && next >= 0) requestField();
    else m_panel->setOverlay({});
}

void PixelController::requestField() {
    if (m_fieldInFlight) {  // coalesce: ask again with the latest state when the answer arrives
        m_fieldDirty = true;
        return;
    }
    m_fieldInFlight = true;
    m_fieldDirty = false;
    auto model = m_models[size_t(m_current)].workerCopy;
    const std::vector<uint8_t> image = m_sampler->image();
    const int next = m_sampler->nextIndex();
    const int label = model->numClasses() > 0 ? 0 : -1;
    m_jobs->run(kField, [this, model, image, next, label](const JobContext&) -> JobRunner::Deliver {
        auto field = std::make_shared<const std::vector<float>>(ar::receptiveField(*model, image, next, label));
        return [this, field] { fieldArrived(field.get()); };
    });
}

void PixelController::fieldArrived(const std::vector<float>* field) {
    // Shown even when the state moved on meanwhile (while playing, the overlay trails the canvas by one job),
    // then the latest state is asked for.
    m_fieldInFlight = false;
    if (field) showField(*field);
    if (m_fieldDirty && m_sampler && m_panel->overlayEnabled() && m_sampler->nextIndex() >= 0) requestField();
    else m_fieldDirty = false;
}

void PixelController::showField(const std::vector<float>& field) {
    if (!m_panel->overlayEnabled() || field.empty()) {
        m_panel->setOverlay({});
        emit overlayUpdated();
        return;
    }
    const float mx = *std::max_element(field.begin(), field.end());
    QVector<float> ov(int(field.size()), 0.0f);
    int seen = 0;
    for (size_t i = 0; i < field.size(); ++i)
        if (field[i] > 0) {
            ov[int(i)] = 0.25f + 0.75f * std::sqrt(field[i] / mx);
            ++seen;
        }
    m_panel->setOverlay(ov);
    emit overlayUpdated();
}

void PixelController::stepPixels(int n) {
    if (!m_sampler) return;
    for (int i = 0; i < n && !m_sampler->done(); ++i) m_sampler->step();
    m_panel->setOverlay({});
    refresh();                  // asks for the overlay of the new state
    m_jobs->waitIdle(600000);   // for --steps/--screenshot and tests: the overlay is there when this returns
}

void PixelController::step() {
    if (!m_sampler || m_sampler->done()) return;
    m_sampler->step();
    refresh();
}

void PixelController::back() {
    if (!m_sampler) return;
    m_sampler->back();
    refresh();
}

void PixelController::reset() {
    setPlaying(false);
    if (m_sampler) m_sampler->reset();
    refresh();
}

void PixelController::fastForward() {
    m_fastForward = true;
    m_timer.start();
    m_panel->setPlaying(true);
}

void PixelController::setPlaying(bool on) {
    m_fastForward = false;
    m_carry = 0;
    if (on) m_timer.start();
    else m_timer.stop();
    m_panel->setPlaying(on);
}

void PixelController::tick() {
    if (!m_sampler || m_sampler->done()) {
        setPlaying(false);
        refresh();
        return;
    }
    m_clock.start();
    if (m_fastForward) {
        while (!m_sampler->done() && m_clock.elapsed() < 8) m_sampler->step();
    } else {
        m_carry += m_panel->speed() * m_timer.interval() / 1000.0;
        while (m_carry >= 1.0 && !m_sampler->done() && m_clock.elapsed() < 8) {
            m_sampler->step();
            m_carry -= 1.0;
        }
        m_carry = std::min(m_carry, 2.0);
    }
    refresh();
}

void PixelController::paintCell(int index, int value) {
    if (index < 0 || index >= int(m_drawing.size())) return;
    m_drawing[size_t(index)] = int8_t(value);
    rebuildSampler();
}

void PixelController::clearDrawing() {
    std::fill(m_drawing.begin(), m_drawing.end(), int8_t(-1));
    rebuildSampler();
}

}  // namespace arlab
