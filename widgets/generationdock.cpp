#include "widgets/generationdock.h"

#include "widgets/flowlayout.h"
#include "widgets/spinboxes.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSlider>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace arlab {

GenerationDock::GenerationDock(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);

    auto* promptRow = new QHBoxLayout;
    promptRow->addWidget(new QLabel(tr("Prompt:"), this));
    m_prompt = new QLineEdit(this);
    m_prompt->setClearButtonEnabled(true);
    m_prompt->setFocusPolicy(Qt::ClickFocus);  // never the initial focus: Space must step at once
    m_prompt->setToolTip(tr("The text the model continues. Press Enter to start again from it. Words outside the "
                            "model's vocabulary are named below in red (they are never dropped)."));
    promptRow->addWidget(m_prompt, 1);
    layout->addLayout(promptRow);
    m_promptMsg = new QLabel(this);
    m_promptMsg->setWordWrap(true);
    m_promptMsg->setStyleSheet(QStringLiteral("color:#c00000;font-weight:bold"));
    m_promptMsg->hide();
    layout->addWidget(m_promptMsg);

    m_stepAct = new QAction(tr("Step"), this);
    m_stepAct->setShortcut(QKeySequence(Qt::Key_Space));
    m_stepAct->setToolTip(tr("Generate one token (Space)"));
    m_playAct = new QAction(tr("Play"), this);
    m_playAct->setCheckable(true);
    m_playAct->setShortcut(QKeySequence(Qt::Key_P));
    m_playAct->setToolTip(tr("Generate tokens one after another at the chosen speed (P)"));
    m_backAct = new QAction(tr("Back"), this);
    m_backAct->setShortcut(QKeySequence(Qt::Key_Backspace));
    m_backAct->setToolTip(tr("Undo the last token: the exact previous state comes back (Backspace)"));
    m_resetAct = new QAction(tr("Reset"), this);
    m_resetAct->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_resetAct->setToolTip(tr("Back to the prompt; the history is cleared (Ctrl+R)"));
    for (QAction* a : actions()) {
        a->setStatusTip(a->toolTip());
        a->setShortcutContext(Qt::WindowShortcut);
    }
    connect(m_stepAct, &QAction::triggered, this, &GenerationDock::stepRequested);
    connect(m_playAct, &QAction::toggled, this, &GenerationDock::playToggled);
    connect(m_backAct, &QAction::triggered, this, &GenerationDock::backRequested);
    connect(m_resetAct, &QAction::triggered, this, &GenerationDock::resetRequested);

    // The controls and the sampler's boxes wrap onto further lines in a narrow dock (presentation mode at 1280x800).
    auto* controls = new FlowLayout;
    auto button = [this, controls](QAction* a) {
        auto* b = new QToolButton(this);
        b->setDefaultAction(a);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setMinimumWidth(64);
        controls->addWidget(b);
        return b;
    };
    m_stepBtn = button(m_stepAct);
    m_playBtn = button(m_playAct);
    m_speed = new QSlider(Qt::Horizontal, this);
    m_speed->setRange(1, 20);
    m_speed->setFixedWidth(120);
    m_speed->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);   // (no share of its line's spare room)
    m_speed->setToolTip(tr("Play speed (tokens per second)"));
    m_speedLabel = new QLabel(this);
    controls->addGroup({m_speed, m_speedLabel});
    connect(m_speed, &QSlider::valueChanged, this, [this](int v) {
        m_speedLabel->setText(tr("%1 tok/s").arg(v));
        emit speedChanged(v);
    });
    m_backBtn = button(m_backAct);
    m_resetBtn = button(m_resetAct);
    controls->addSpacing(12);
    m_branches = new QComboBox(this);
    m_branches->setToolTip(tr("Continuations you left by going back or choosing another token: pick one to "
                              "follow it again"));
    m_branches->setMinimumContentsLength(18);
    m_branches->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_branches->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);   // the rest of its line
    controls->addGroup({new QLabel(tr("Branches:"), this), m_branches});
    connect(m_branches, &QComboBox::activated, this, [this](int i) {
        const int node = m_branches->itemData(i).toInt();
        if (node >= 0) emit branchChosen(node);
    });
    layout->addLayout(controls);

    // The sampler: what turns the model's distribution into a choice. The boxes hand the keyboard back after
    // an edit (Enter, or a click on the arrows), so Space steps again at once.
    auto* sampling = new FlowLayout;
    auto label = [this, sampling](const QString& text, QWidget* box) {
        auto* l = new QLabel(text, this);
        l->setBuddy(box);
        sampling->addGroup({l, box})->addSpacing(8);   // a label and its box stay together
    };
    m_temperature = makeDoubleSpinBox(0, 5, 0, 0.1, 2,
                                      tr("Temperature T: the logits are divided by T before the softmax. T < 1 sharpens "
                                         "the distribution, T > 1 flattens it, T = 0 always takes the most probable token"),
                                      this);
    m_topK = makeSpinBox(0, 100000, 0, tr("Top-k: keep only the k most probable tokens and renormalise (off = keep all)"), this);
    m_topK->setSpecialValueText(tr("off"));
    m_topP = makeDoubleSpinBox(0.01, 1.0, 0.01, 0.05, 2,
                               tr("Top-p (nucleus): keep the most probable tokens until their mass reaches p, renormalise "
                                  "(1 = keep all)"),
                               this);
    m_seed = makeSpinBox(0, std::numeric_limits<int>::max(), 0, tr("Seed of the draws: the same seed gives the same tokens"), this);
    label(tr("&Temperature"), m_temperature);
    label(tr("Top-&k"), m_topK);
    label(tr("Top-&p"), m_topP);
    label(tr("S&eed"), m_seed);
    layout->addLayout(sampling);
    for (QAbstractSpinBox* box : std::initializer_list<QAbstractSpinBox*>{m_temperature, m_topK, m_topP, m_seed}) {
        box->setKeyboardTracking(false);  // one change per Enter, not per digit
        box->setFocusPolicy(Qt::ClickFocus);
        // Enter (changed or not) and a click on the arrows give the keyboard back: Space steps again. Only the
        // box that has the focus lets it go (moving from one box to another keeps the new box's focus).
        connect(box, &QAbstractSpinBox::editingFinished, this, [this, box] { applySampling(box); });
    }
    for (QDoubleSpinBox* box : {m_temperature, m_topP})
        connect(box, &QDoubleSpinBox::valueChanged, this, [this, box] { applySampling(box); });
    for (QSpinBox* box : {m_topK, m_seed}) connect(box, &QSpinBox::valueChanged, this, [this, box] { applySampling(box); });

    m_chips = new TokenChipsView(this);
    layout->addWidget(m_chips, 1);
    m_info = new QLabel(this);
    m_info->setWordWrap(true);
    m_info->setToolTip(tr("log P(generated | prompt) = Σ log p of the generated tokens (chain rule)"));
    layout->addWidget(m_info);

    connect(m_prompt, &QLineEdit::textEdited, this, &GenerationDock::promptEdited);
    connect(m_prompt, &QLineEdit::returnPressed, this, [this] { emit promptEntered(m_prompt->text()); });
    connect(m_chips, &TokenChipsView::alternativeClicked, this, [this](int chipIndex, int tokenId) {
        const int stepIndex = chipIndex < 0 ? m_stepCount : chipIndex - m_promptChips;
        m_chips->selectChip(-1);
        emit alternativeChosen(stepIndex, tokenId);
    });
    connect(m_chips, &TokenChipsView::chipSelected, this, [this](int chip) {
        m_selectedStep = chip < 0 ? -1 : chip - m_promptChips;
        emit selectedStepChanged(m_selectedStep);
    });
    setSpeed(4);
    setState({});
}

QString GenerationDock::promptMessage() const { return m_promptMsg->isHidden() ? QString() : m_promptMsg->text(); }

QString GenerationDock::infoText() const { return m_info->text(); }

void GenerationDock::setPromptMessage(const QString& message) {
    m_promptMsg->setText(message);
    m_promptMsg->setVisible(!message.isEmpty());
    m_prompt->setStyleSheet(message.isEmpty() ? QString() : QStringLiteral("QLineEdit{border:2px solid #c00000}"));
}

void GenerationDock::setInfo(const QString& text) { m_info->setText(text); }

void GenerationDock::setPlaying(bool on) {
    const QSignalBlocker b(m_playAct);
    m_playAct->setChecked(on);
    m_playAct->setText(on ? tr("Pause") : tr("Play"));
}

void GenerationDock::setSpeed(int tokensPerSecond) {
    const QSignalBlocker b(m_speed);
    m_speed->setValue(tokensPerSecond);
    m_speedLabel->setText(tr("%1 tok/s").arg(m_speed->value()));
}

void GenerationDock::applySampling(QAbstractSpinBox* from) {
    if (from && from->hasFocus()) from->clearFocus();  // Space steps again
    emit samplingEdited(float(m_temperature->value()), m_topK->value(), float(m_topP->value()), quint64(m_seed->value()));
}

void GenerationDock::selectStep(int stepIndex) { m_chips->selectChip(stepIndex < 0 ? -1 : m_promptChips + stepIndex); }

void GenerationDock::setState(const GenerationDockState& s) {
    {
        const QSignalBlocker b1(m_temperature), b2(m_topK), b3(m_topP), b4(m_seed);
        m_temperature->setValue(s.temperature);
        m_topK->setValue(s.topK);
        m_topP->setValue(s.topP);
        m_seed->setValue(int(std::min<uint64_t>(s.seed, uint64_t(m_seed->maximum()))));
    }
    if (!m_prompt->hasFocus() || m_prompt->text().isEmpty()) m_prompt->setText(s.prompt);
    for (QAction* a : actions()) a->setEnabled(s.hasSession);
    m_branches->clear();
    for (const auto& [label, node] : s.branches) m_branches->addItem(label, node);
    m_info->setText(s.info);
    m_promptChips = s.promptChips;
    m_stepCount = std::max(0, int(s.chips.size()) - s.promptChips);
    m_chips->setChips(s.chips, s.next, s.note);
    if (!s.hasSession) return;
    m_stepAct->setEnabled(s.canStep);
    m_playAct->setEnabled(s.canStep || s.playing);
    m_backAct->setEnabled(s.canBack);
    if (m_selectedStep >= m_stepCount) {
        m_selectedStep = -1;
        emit selectedStepChanged(-1);
    }
}

}  // namespace arlab
