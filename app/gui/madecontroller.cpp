#include "app/gui/madecontroller.h"

#include "app/gui/modelfiles.h"
#include "core/error.h"
#include "core/sampling/imagesampler.h"
#include "widgets/madeview.h"
#include "widgets/pixelgridview.h"

#include <QFile>

namespace arlab {

MadeController::MadeController(MadePanel* panel, QObject* parent) : QObject(parent), m_panel(panel) {
    connect(panel, &MadePanel::orderChanged, this, &MadeController::setNaturalOrder);
    connect(panel, &MadePanel::resampleRequested, this, &MadeController::resample);
    connect(panel, &MadePanel::newSamplesRequested, this, &MadeController::newSamples);
    rebuild();
}

void MadeController::setModel(std::shared_ptr<ar::Made> model) {
    m_model = std::move(model);
    if (m_model) {
        m_trainedSeed = m_model->config().maskSeed;
        m_trainedSets = m_model->config().masks;
        m_natural = m_model->config().naturalOrder;
    }
    m_maskSet = 0;
    rebuild();
}

void MadeController::loadBuiltInModel() {
    try {
        const ar::OpenedModel m = openModelAt(QStringLiteral(":/models/made-digits.safetensors"), ar::ModelFamily::Image);
        auto made = std::dynamic_pointer_cast<ar::Made>(m.image);
        if (!made) throw ar::Error("model ':/models/made-digits.safetensors': holds a '" + m.kind + "' model, not MADE");
        setModel(made);
    } catch (const ar::Error& e) {
        m_panel->setNote(tr("The model could not be loaded: %1").arg(QString::fromStdString(e.what())));
    }
}

void MadeController::setNaturalOrder(bool natural) {
    m_natural = natural;
    rebuild();
}

void MadeController::resample() {
    ++m_maskSet;
    rebuild();
}

void MadeController::newSamples() {
    ++m_sampleSeed;
    rebuild();
}

void MadeController::rebuild() {
    // the small picture: same rules, 3x3 inputs
    ar::MadeConfig small;
    small.height = 3;
    small.width = 3;
    small.hidden = {8, 8};
    small.naturalOrder = m_natural;
    small.maskSeed = 7;
    m_small = ar::makeMadeMasks(small, m_maskSet);
    MadeNetwork net;
    net.numbers = m_small.m;
    net.numbers.push_back(m_small.m.front());  // outputs carry their input's number
    net.masks = m_small.masks;
    m_panel->connectivity()->setNetwork(net);

    if (!m_model) return;
    // the real model: trained mask sets are 0..masks-1 with the training seed and ordering
    const bool trainedOrder = m_natural == m_model->config().naturalOrder;
    m_model->resampleMasks(m_natural, m_trainedSeed);
    m_model->setMaskSet(m_maskSet);
    const bool trained = trainedOrder && m_maskSet < m_trainedSets;
    m_panel->setMaskInfo(tr("Mask set %1 (%2 ordering). The pretrained MADE was trained with %3 mask set(s), "
                            "0–%4, natural ordering: %5")
                             .arg(m_maskSet).arg(m_natural ? tr("natural") : tr("random"))
                             .arg(m_trainedSets).arg(m_trainedSets - 1)
                             .arg(trained ? tr("these masks were seen in training, so the samples look like digits.")
                                          : tr("these masks were NEVER seen in training: the same weights now "
                                               "connect different units, and the samples fall apart.")));
    std::vector<QVector<float>> images;
    auto model = std::shared_ptr<const ar::ImageModel>(m_model, m_model.get());
    for (int i = 0; i < m_panel->sampleCount(); ++i) {
        const ar::ImageSample s = ar::sampleImage(model, uint64_t(m_sampleSeed * 100 + i));
        QVector<float> v(int(s.image.size()));
        for (size_t j = 0; j < s.image.size(); ++j) v[int(j)] = s.image[j];
        images.push_back(v);
    }
    m_panel->setSamples(images, m_model->height(), m_model->width());
}

}  // namespace arlab
