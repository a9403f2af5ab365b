#pragma once
// SamplingPanel: every knob of the sampler chain (core/decoding/samplerchain.h) and of beam search, with a
// tooltip explaining each. Emits settingsChanged(SamplerSettings) on every edit; the controller applies it
// to the NEXT step (what was generated stays). Knobs that do nothing for the chosen strategy are disabled.
#include "widgets/exportable.h"
#include "core/decoding/samplerchain.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace arlab {

class SamplingPanel : public QWidget, public ExportableView {
    Q_OBJECT
public:
    ExportTable exportTable() const override;   // the numbers behind the view, for CSV (widgets/exporttables.cpp)
    explicit SamplingPanel(QWidget* parent = nullptr);

    ar::SamplerSettings settings() const;
    // Shows `s` without emitting settingsChanged.
    void setSettings(const ar::SamplerSettings& s);
    // A one-line description of the chain as set, e.g. "T = 0.8 → top-k 40 → top-p 0.9 → draw (seed 1)".
    QString chainSummary() const;

    QComboBox* strategyBox() const { return m_strategy; }
    QDoubleSpinBox* temperatureBox() const { return m_temperature; }
    QSpinBox* topKBox() const { return m_topK; }
    QDoubleSpinBox* topPBox() const { return m_topP; }
    QDoubleSpinBox* minPBox() const { return m_minP; }
    QDoubleSpinBox* penaltyBox() const { return m_penalty; }
    QSpinBox* beamWidthBox() const { return m_beamWidth; }
    QDoubleSpinBox* lengthPenaltyBox() const { return m_lengthPenalty; }
    QSpinBox* seedBox() const { return m_seed; }

signals:
    void settingsChanged(const ar::SamplerSettings& settings);

private:
    void edited();
    void updateEnabled();

    QComboBox* m_strategy;
    QDoubleSpinBox* m_temperature;
    QSpinBox* m_topK;
    QDoubleSpinBox* m_topP;
    QDoubleSpinBox* m_minP;
    QDoubleSpinBox* m_penalty;
    QSpinBox* m_window;
    QSpinBox* m_beamWidth;
    QDoubleSpinBox* m_lengthPenalty;
    QSpinBox* m_seed;
    QLabel* m_summary;
    ar::SamplerSettings m_base;  // fields the panel does not show (maxNewTokens) are kept as given
};

}  // namespace arlab
