#include "widgets/samplingpanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

namespace arlab {

static QDoubleSpinBox* doubleBox(double lo, double hi, double step, int decimals, const QString& tip) {
    auto* b = new QDoubleSpinBox;
    b->setRange(lo, hi);
    b->setSingleStep(step);
    b->setDecimals(decimals);
    b->setToolTip(tip);
    b->setKeyboardTracking(false);
    return b;
}

static QSpinBox* intBox(int lo, int hi, const QString& tip) {
    auto* b = new QSpinBox;
    b->setRange(lo, hi);
    b->setToolTip(tip);
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
    m_temperature = doubleBox(0.0, 5.0, 0.1, 2,
        tr("Temperature T divides the logits before the softmax.\n"
           "T < 1 sharpens the distribution (more predictable), T > 1 flattens it (more surprising).\n"
           "T = 0 keeps only the most probable token: greedy decoding."));
    m_topK = intBox(0, 100000, tr("Top-k keeps only the k most probable tokens and renormalises.\n0 = off."));
    m_topP = doubleBox(0.01, 1.0, 0.05, 2,
        tr("Top-p (nucleus) keeps the smallest set of most probable tokens whose probabilities\n"
           "add up to at least p, then renormalises. 1 = off.\n"
           "Example: p = 0.7 on {0.4, 0.3, 0.2, 0.1} keeps {0.4, 0.3} → {0.57, 0.43}."));
    m_minP = doubleBox(0.0, 0.99, 0.05, 2,
        tr("Min-p keeps the tokens whose probability is at least min-p × the top token's probability.\n"
           "It adapts to the distribution: strict when the model is sure, loose when it is not. 0 = off."));
    m_penalty = doubleBox(0.1, 10.0, 0.05, 2,
        tr("Repetition penalty r for tokens already in the recent window (prompt included):\n"
           "a positive logit is divided by r, a negative one multiplied by r. 1 = off; > 1 discourages repeats."));
    m_window = intBox(0, 4096, tr("How many recent tokens the repetition penalty looks at."));
    m_beamWidth = intBox(1, 64, tr("Beam width k: how many partial sequences beam search keeps each round (the Beam search dock).\nk = 1 is greedy."));
    m_lengthPenalty = doubleBox(0.0, 5.0, 0.1, 2,
        tr("Beam search length penalty alpha (GNMT): score = log P / ((5 + length) / 6)^alpha.\n"
           "0 ranks by raw log-probability, which favours short endings; larger alpha favours longer ones."));
    m_seed = intBox(0, 2000000000, tr("Seed of the random draws: the same seed and settings give the same text."));

    auto* form = new QFormLayout;
    // Hidden in presentation mode (app/gui/presentation.h): the class sees the main knobs only.
    for (QWidget* w : {static_cast<QWidget*>(m_minP), static_cast<QWidget*>(m_penalty), static_cast<QWidget*>(m_window)})
        w->setProperty("arlabAdvanced", true);
    form->addRow(tr("Strategy"), m_strategy);
    form->addRow(tr("Temperature"), m_temperature);
    form->addRow(tr("Top-k"), m_topK);
    form->addRow(tr("Top-p"), m_topP);
    form->addRow(tr("Min-p"), m_minP);
    form->addRow(tr("Repetition penalty"), m_penalty);
    form->addRow(tr("Penalty window"), m_window);
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
    for (auto* b : {m_temperature, m_topP, m_minP, m_penalty, m_lengthPenalty})
        connect(b, &QDoubleSpinBox::valueChanged, this, &SamplingPanel::edited);
    for (auto* b : {m_topK, m_window, m_beamWidth, m_seed}) connect(b, &QSpinBox::valueChanged, this, &SamplingPanel::edited);
}

ar::SamplerSettings SamplingPanel::settings() const {
    ar::SamplerSettings s = m_base;
    s.strategy = ar::DecodeStrategy(m_strategy->currentData().toInt());
    s.temperature = float(m_temperature->value());
    s.topK = m_topK->value();
    s.topP = float(m_topP->value());
    s.minP = float(m_minP->value());
    s.repetitionPenalty = float(m_penalty->value());
    s.repetitionWindow = m_window->value();
    s.beamWidth = m_beamWidth->value();
    s.lengthPenalty = float(m_lengthPenalty->value());
    s.seed = uint64_t(m_seed->value());
    return s;
}

void SamplingPanel::setSettings(const ar::SamplerSettings& s) {
    const QSignalBlocker b0(m_strategy), b1(m_temperature), b2(m_topK), b3(m_topP), b4(m_minP), b5(m_penalty),
        b6(m_window), b7(m_beamWidth), b8(m_lengthPenalty), b9(m_seed);
    m_base = s;
    m_strategy->setCurrentIndex(m_strategy->findData(int(s.strategy)));
    m_temperature->setValue(s.temperature);
    m_topK->setValue(s.topK);
    m_topP->setValue(s.topP);
    m_minP->setValue(s.minP);
    m_penalty->setValue(s.repetitionPenalty);
    m_window->setValue(s.repetitionWindow);
    m_beamWidth->setValue(s.beamWidth);
    m_lengthPenalty->setValue(s.lengthPenalty);
    m_seed->setValue(int(std::min<uint64_t>(s.seed, 2000000000)));
    updateEnabled();
}

void SamplingPanel::updateEnabled() {
    const auto st = ar::DecodeStrategy(m_strategy->currentData().toInt());
    const bool sample = st == ar::DecodeStrategy::Sample;
    for (QWidget* w : std::initializer_list<QWidget*>{m_temperature, m_topK, m_topP, m_minP, m_seed}) w->setEnabled(sample);
    m_window->setEnabled(m_penalty->value() != 1.0);
    m_summary->setText(chainSummary());
}

QString SamplingPanel::chainSummary() const {
    const ar::SamplerSettings s = settings();
    if (s.strategy == ar::DecodeStrategy::Beam)
        return tr("beam search: width %1, length penalty α = %2").arg(s.beamWidth).arg(s.lengthPenalty);
    QStringList parts{tr("logits")};
    if (s.repetitionPenalty != 1.0f) parts << tr("penalty %1 (last %2)").arg(s.repetitionPenalty).arg(s.repetitionWindow);
    if (s.strategy == ar::DecodeStrategy::Sample) {
        if (s.temperature != 1.0f) parts << (s.temperature == 0 ? tr("T = 0 (greedy)") : tr("T = %1").arg(s.temperature));
        if (s.topK > 0) parts << tr("top-k %1").arg(s.topK);
        if (s.topP < 1.0f) parts << tr("top-p %1").arg(s.topP);
        if (s.minP > 0.0f) parts << tr("min-p %1").arg(s.minP);
        parts << (s.temperature == 0 ? tr("argmax") : tr("draw (seed %1)").arg(s.seed));
    } else {
        parts << tr("argmax");
    }
    return parts.join(QStringLiteral(" → "));
}

void SamplingPanel::edited() {
    updateEnabled();
    emit settingsChanged(settings());
}

}  // namespace arlab
