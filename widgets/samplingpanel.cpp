#include "widgets/samplingpanel.h"

#include "widgets/spinboxes.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace arlab {

// A stage's texts are English in core, marked ARLAB_STAGE_TEXT("arlab::SamplingPanel", ...) in the stage's own file,
// where lupdate finds them (app/CMakeLists.txt): translated here in that context.
static QString translated(const std::string& english) {
    return QCoreApplication::translate("arlab::SamplingPanel", english.c_str());
}

struct SamplingPanel::StageRow {
    const ar::SamplerStageKind* stage;
    ar::StageParam param;
    QAbstractSpinBox* box;
    double value() const {
        if (auto* i = qobject_cast<QSpinBox*>(box)) return i->value();
        return static_cast<QDoubleSpinBox*>(box)->value();
    }
    void setValue(double v) const {
        if (auto* i = qobject_cast<QSpinBox*>(box)) i->setValue(int(v));
        else static_cast<QDoubleSpinBox*>(box)->setValue(v);
    }
};

// The panel's boxes start at 0 within their range (the settings are set afterwards) and report a typed value
// only when it is complete (no keyboard tracking).
static QDoubleSpinBox* doubleBox(double lo, double hi, double step, int decimals, const QString& tip) {
    auto* b = makeDoubleSpinBox(lo, hi, qBound(lo, 0.0, hi), step, decimals, tip);
    b->setKeyboardTracking(false);
    return b;
}

static QSpinBox* intBox(int lo, int hi, const QString& tip) {
    auto* b = makeSpinBox(lo, hi, qBound(lo, 0, hi), tip);
    b->setKeyboardTracking(false);
    return b;
}

SamplingPanel::SamplingPanel(QWidget* parent) : QWidget(parent) {
    m_strategy = new QComboBox;
    m_strategy->addItem(tr("Sample"), int(ar::DecodeStrategy::Sample));
    m_strategy->addItem(tr("Greedy"), int(ar::DecodeStrategy::Greedy));
    m_strategy->addItem(tr("Beam search"), int(ar::DecodeStrategy::Beam));
    m_strategy->setToolTip(tr("Sample: draw the next token at random from the filtered distribution.\n"
                              "Greedy: always take the most probable token.\n"
                              "Beam search: keep the k best partial sequences (see the Beam search dock);\n"
                              "stepping one token at a time then takes the most probable token."));
    m_beamWidth = intBox(1, 64, tr("Beam width k: how many partial sequences beam search keeps each round (the Beam search dock).\nk = 1 is greedy."));
    m_lengthPenalty = doubleBox(0.0, 5.0, 0.1, 2,
        tr("Beam search length penalty alpha (GNMT): score = log P / ((5 + length) / 6)^alpha.\n"
           "0 ranks by raw log-probability, which favours short endings; larger alpha favours longer ones."));
    m_seed = intBox(0, 2000000000, tr("Seed of the random draws: the same seed and settings give the same text."));

    auto* form = new QFormLayout;
    form->addRow(tr("Strategy"), m_strategy);
    // One row per knob of the chain's stages, in panel order (stable: a stage's knobs stay together).
    for (const ar::SamplerStageKind* stage : ar::samplerStagesInPanelOrder())
        for (const ar::StageParam& p : stage->params()) {
            const QString tip = translated(p.tooltip);
            QAbstractSpinBox* box = p.decimals == 0 ? static_cast<QAbstractSpinBox*>(intBox(int(p.min), int(p.max), tip))
                                                    : doubleBox(p.min, p.max, p.step, p.decimals, tip);
            box->setObjectName(QString::fromStdString(p.key));
            // Hidden in presentation mode (app/gui/presentation.h): the class sees the main knobs only.
            if (p.advanced) box->setProperty("arlabAdvanced", true);
            form->addRow(translated(p.label), box);
            m_rows.push_back({stage, p, box});
        }
    form->addRow(tr("Seed"), m_seed);
    form->addRow(tr("Beam width"), m_beamWidth);
    form->addRow(tr("Length penalty α"), m_lengthPenalty);
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    m_summary->setToolTip(tr("The sampler chain in order: each filter sees what the previous one kept."));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_summary);
    layout->addStretch(1);

    setSettings(ar::SamplerSettings{});
    connect(m_strategy, &QComboBox::currentIndexChanged, this, &SamplingPanel::edited);
    for (const StageRow& r : m_rows) {
        if (auto* i = qobject_cast<QSpinBox*>(r.box)) connect(i, &QSpinBox::valueChanged, this, &SamplingPanel::edited);
        else connect(static_cast<QDoubleSpinBox*>(r.box), &QDoubleSpinBox::valueChanged, this, &SamplingPanel::edited);
    }
    connect(m_lengthPenalty, &QDoubleSpinBox::valueChanged, this, &SamplingPanel::edited);
    for (auto* b : {m_beamWidth, m_seed}) connect(b, &QSpinBox::valueChanged, this, &SamplingPanel::edited);
}

SamplingPanel::~SamplingPanel() = default;

QAbstractSpinBox* SamplingPanel::stageBox(const std::string& key) const {
    for (const StageRow& r : m_rows)
        if (r.param.key == key) return r.box;
    return nullptr;
}

QStringList SamplingPanel::stageKeys() const {
    QStringList keys;
    for (const StageRow& r : m_rows) keys << QString::fromStdString(r.param.key);
    return keys;
}

std::vector<ar::StageParam> SamplingPanel::stageParams() const {
    std::vector<ar::StageParam> out;
    for (const StageRow& r : m_rows) out.push_back(r.param);
    return out;
}

QDoubleSpinBox* SamplingPanel::temperatureBox() const { return qobject_cast<QDoubleSpinBox*>(stageBox("temperature")); }
QSpinBox* SamplingPanel::topKBox() const { return qobject_cast<QSpinBox*>(stageBox("top_k")); }
QDoubleSpinBox* SamplingPanel::topPBox() const { return qobject_cast<QDoubleSpinBox*>(stageBox("top_p")); }
QDoubleSpinBox* SamplingPanel::minPBox() const { return qobject_cast<QDoubleSpinBox*>(stageBox("min_p")); }
QDoubleSpinBox* SamplingPanel::penaltyBox() const { return qobject_cast<QDoubleSpinBox*>(stageBox("repetition_penalty")); }

ar::SamplerSettings SamplingPanel::settings() const {
    ar::SamplerSettings s = m_base;
    s.strategy = ar::DecodeStrategy(m_strategy->currentData().toInt());
    for (const StageRow& r : m_rows) s.setKnob(r.param.key, r.value());
    s.beam.width = m_beamWidth->value();
    s.beam.lengthPenalty = float(m_lengthPenalty->value());
    s.seed = uint64_t(m_seed->value());
    return s;
}

void SamplingPanel::setSettings(const ar::SamplerSettings& s) {
    const QSignalBlocker b0(m_strategy), b1(m_beamWidth), b2(m_lengthPenalty), b3(m_seed);
    m_base = s;
    m_strategy->setCurrentIndex(m_strategy->findData(int(s.strategy)));
    for (const StageRow& r : m_rows) {
        const QSignalBlocker b(r.box);
        r.setValue(s.knob(r.param.key));
    }
    m_beamWidth->setValue(s.beam.width);
    m_lengthPenalty->setValue(s.beam.lengthPenalty);
    m_seed->setValue(int(std::min<uint64_t>(s.seed, 2000000000)));
    updateEnabled();
}

void SamplingPanel::updateEnabled() {
    const ar::SamplerSettings s = settings();
    const bool sample = s.strategy == ar::DecodeStrategy::Sample;
    for (const StageRow& r : m_rows)
        r.box->setEnabled((sample || !r.param.samplingOnly) && (!r.param.enabledWhen || r.param.enabledWhen(s)));
    m_seed->setEnabled(sample);
    m_summary->setText(chainSummary());
}

QString SamplingPanel::chainSummary() const {
    const ar::SamplerSettings s = settings();
    if (s.strategy == ar::DecodeStrategy::Beam)
        return tr("beam search: width %1, length penalty α = %2").arg(s.beam.width).arg(s.beam.lengthPenalty);
    const bool sample = s.strategy == ar::DecodeStrategy::Sample;
    QStringList parts{tr("logits")};
    for (const ar::SamplerStageKind* stage : ar::samplerStages()) {   // chain order
        const std::vector<ar::StageParam> params = stage->params();
        if (!stage->active(s) || (!sample && !params.empty() && params.front().samplingOnly)) continue;
        QString part = translated(stage->summary(s));
        for (const ar::StageParam& p : params) {
            if (!part.contains(QLatin1Char('%'))) break;
            part = p.decimals == 0 ? part.arg(qlonglong(s.knob(p.key))) : part.arg(s.knob(p.key));
        }
        parts << part;
    }
    if (sample) parts << (s.temperature() == 0 ? tr("argmax") : tr("draw (seed %1)").arg(s.seed));
    else parts << tr("argmax");
    return parts.join(QStringLiteral(" → "));
}

void SamplingPanel::edited() {
    updateEnabled();
    emit settingsChanged(settings());
}

}  // namespace arlab
