#pragma once
// MadeController: drives the MADE dock. The connectivity picture comes from core's makeMadeMasks() on a small
// MADE (3x3 inputs, hidden 8-8) built with the same rules as the real one; the samples come from the
// pretrained 784-input MADE with the mask set / ordering the user picks (the weights stay the same).
#include "core/models/made.h"

#include <QObject>

#include <memory>

namespace arlab {

class MadePanel;

class MadeController : public QObject {
    Q_OBJECT
public:
    MadeController(MadePanel* panel, QObject* parent = nullptr);
    void setModel(std::shared_ptr<ar::Made> model);   // the 784-input model for the samples (may be null)
    void loadBuiltInModel();                          // :/models/made-digits.safetensors
    int maskSet() const { return m_maskSet; }
    const ar::MadeMasks& smallMasks() const { return m_small; }

public slots:
    void setNaturalOrder(bool natural);
    void resample();
    void newSamples();

private:
    void rebuild();
    MadePanel* m_panel;
    std::shared_ptr<ar::Made> m_model;
    uint64_t m_trainedSeed = 1;
    int m_trainedSets = 1;
    bool m_natural = true;
    int m_maskSet = 0;
    int m_sampleSeed = 1;
    ar::MadeMasks m_small;
};

}  // namespace arlab
