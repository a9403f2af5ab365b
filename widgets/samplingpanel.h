#pragma once
// SamplingPanel: every knob of the one decoding-settings value that the sampler chain and beam search read
// (core/decoding/decodingsettings.h), with a tooltip explaining each. The filter rows are generated from the
// chain's stage objects (core/decoding/samplerstages.h): one row per StageParam, its label, range and tooltip
// from the stage, so a new stage appears here without an edit. Emits settingsChanged(SamplerSettings) on
// every edit; the controller applies it to the NEXT step (what was generated stays). Knobs that do nothing
// for the chosen strategy are disabled.
#include "widgets/exportable.h"
#include "core/decoding/samplerchain.h"
#include "core/decoding/samplerstages.h"

#include <QWidget>

#include <vector>

class QAbstractSpinBox;
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
    ~SamplingPanel() override;

    ar::SamplerSettings settings() const;
    // Shows `s` without emitting settingsChanged.
    void setSettings(const ar::SamplerSettings& s);
    // A one-line description of the chain as set, e.g. "T = 0.8 → top-k 40 → top-p 0.9 → draw (seed 1)".
    QString chainSummary() const;

    // The generated stage rows: the box of a StageParam key ("temperature", "top_k", ...; nullptr if none),
    // and the keys in panel order.
    QAbstractSpinBox* stageBox(const std::string& key) const;
    QStringList stageKeys() const;
    std::vector<ar::StageParam> stageParams() const;

    QComboBox* strategyBox() const { return m_strategy; }
    QDoubleSpinBox* temperatureBox() const;
    QSpinBox* topKBox() const;
    QDoubleSpinBox* topPBox() const;
    QDoubleSpinBox* minPBox() const;
    QDoubleSpinBox* penaltyBox() const;
    QSpinBox* beamWidthBox() const { return m_beamWidth; }
    QDoubleSpinBox* lengthPenaltyBox() const { return m_lengthPenalty; }
    QSpinBox* seedBox() const { return m_seed; }

signals:
    void settingsChanged(const ar::SamplerSettings& settings);

private:
    struct StageRow;
    void edited();
    void updateEnabled();

    QComboBox* m_strategy;
    std::vector<StageRow> m_rows;   // in panel order
    QSpinBox* m_beamWidth;
    QDoubleSpinBox* m_lengthPenalty;
    QSpinBox* m_seed;
    QLabel* m_summary;
    ar::SamplerSettings m_base;  // fields the panel does not show (maxNewTokens, beam length, compare) are kept as given
};

}  // namespace arlab
