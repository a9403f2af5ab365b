#include "app/gui/generationdock.h"

#include "app/gui/generationcontroller.h"
#include "widgets/tokenchipsview.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace arlab {

namespace {
constexpr int kAlternatives = 8;

QList<TokenAlternative> topAlternatives(const ar::DecodingSession& s, const ar::SamplerStage& raw, int chosen) {
    QList<TokenAlternative> out;
    for (const auto& c : raw.candidates) {
        if (out.size() >= kAlternatives) break;
        out << TokenAlternative{c.id, QString::fromStdString(s.tokenText(c.id)), double(c.p), c.id == chosen};
    }
    const bool has = std::any_of(out.begin(), out.end(), [&](const TokenAlternative& a) { return a.chosen; });
    if (chosen >= 0 && !has)
        if (const ar::Candidate* c = raw.find(chosen))
            out << TokenAlternative{c->id, QString::fromStdString(s.tokenText(c->id)), double(c->p), true};
    return out;
}
}  // namespace

GenerationDock::GenerationDock(GenerationController* controller, QWidget* parent) : QWidget(parent), m_ctl(controller) {
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
    connect(m_stepAct, &QAction::triggered, m_ctl, [this] { m_ctl->step(); });
    connect(m_playAct, &QAction::toggled, m_ctl, &GenerationController::setPlaying);
    connect(m_backAct, &QAction::triggered, m_ctl, [this] { m_ctl->back(); });
    connect(m_resetAct, &QAction::triggered, m_ctl, &GenerationController::reset);
    connect(m_ctl, &GenerationController::playingChanged, this, [this](bool on) {
        const QSignalBlocker b(m_playAct);
        m_playAct->setChecked(on);
        m_playAct->setText(on ? tr("Pause") : tr("Play"));
    });

    auto* controls = new QHBoxLayout;
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
    m_speed->setValue(m_ctl->speed());
    m_speed->setMaximumWidth(120);
    m_speed->setToolTip(tr("Play speed (tokens per second)"));
    controls->addWidget(m_speed);
    m_speedLabel = new QLabel(tr("%1 tok/s").arg(m_ctl->speed()), this);
    controls->addWidget(m_speedLabel);
    connect(m_speed, &QSlider::valueChanged, this, [this](int v) {
        m_ctl->setSpeed(v);
        m_speedLabel->setText(tr("%1 tok/s").arg(v));
    });
    m_backBtn = button(m_backAct);
    m_resetBtn = button(m_resetAct);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("Branches:"), this));
    m_branches = new QComboBox(this);
    m_branches->setToolTip(tr("Continuations you left by going back or choosing another token: pick one to "
                              "follow it again"));
    m_branches->setMinimumContentsLength(18);
    m_branches->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    controls->addWidget(m_branches, 1);
    connect(m_branches, &QComboBox::activated, this, [this](int i) {
        const int node = m_branches->itemData(i).toInt();
        if (node >= 0) m_ctl->switchTo(node);
    });
    layout->addLayout(controls);

    // The sampler: what turns the model's distribution into a choice. The boxes hand the keyboard back after
    // an edit (Enter, or a click on the arrows), so Space steps again at once.
    auto* sampling = new QHBoxLayout;
    auto label = [this, sampling](const QString& text, QWidget* box) {
        auto* l = new QLabel(text, this);
        l->setBuddy(box);
        sampling->addWidget(l);
        sampling->addWidget(box);
        sampling->addSpacing(8);
    };
    m_temperature = new QDoubleSpinBox(this);
    m_temperature->setRange(0, 5);
    m_temperature->setSingleStep(0.1);
    m_temperature->setDecimals(2);
    m_temperature->setToolTip(tr("Temperature T: the logits are divided by T before the softmax. T < 1 sharpens the "
                                 "distribution, T > 1 flattens it, T = 0 always takes the most probable token"));
    m_topK = new QSpinBox(this);
    m_topK->setRange(0, 100000);
    m_topK->setSpecialValueText(tr("off"));
    m_topK->setToolTip(tr("Top-k: keep only the k most probable tokens and renormalise (off = keep all)"));
    m_topP = new QDoubleSpinBox(this);
    m_topP->setRange(0.01, 1.0);
    m_topP->setSingleStep(0.05);
    m_topP->setDecimals(2);
    m_topP->setToolTip(tr("Top-p (nucleus): keep the most probable tokens until their mass reaches p, renormalise "
                          "(1 = keep all)"));
    m_seed = new QSpinBox(this);
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setToolTip(tr("Seed of the draws: the same seed gives the same tokens"));
    label(tr("&Temperature"), m_temperature);
    label(tr("Top-&k"), m_topK);
    label(tr("Top-&p"), m_topP);
    label(tr("S&eed"), m_seed);
    sampling->addStretch(1);
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
    m_info->setToolTip(tr("log P(generated | prompt) = Σ log p of the generated tokens (chain rule)"));
    layout->addWidget(m_info);

    connect(m_prompt, &QLineEdit::textEdited, this, &GenerationDock::checkPrompt);
    connect(m_prompt, &QLineEdit::returnPressed, this, [this] { m_ctl->setPrompt(m_prompt->text()); });
    connect(m_chips, &TokenChipsView::alternativeClicked, this, &GenerationDock::onAlternative);
    connect(m_chips, &TokenChipsView::chipSelected, this, [this](int chip) {
        m_selectedStep = chip < 0 ? -1 : chip - m_promptChips;
        emit selectedStepChanged(m_selectedStep);
    });
    refresh();   // (later changes: the lesson calls refresh() through its change notices)
}

QString GenerationDock::promptMessage() const { return m_promptMsg->isVisible() ? m_promptMsg->text() : QString(); }

void GenerationDock::checkPrompt(const QString& text) {
    QString message;
    if (auto m = m_ctl->model()) {
        try {
            const auto enc = m->tokenizer().encode(text.toStdString());
            QStringList words;
            for (size_t i : enc.unknown) words << QStringLiteral("‘%1’").arg(QString::fromStdString(enc.pieces[i]));
            if (!words.isEmpty())
                message = tr("Not in the model's vocabulary: %1. The model cannot read %2; change %3.")
                              .arg(words.join(", "), words.size() == 1 ? tr("it") : tr("them"),
                                   words.size() == 1 ? tr("it") : tr("them"));
        } catch (const std::exception& e) {
            message = tr("The prompt cannot be used: %1").arg(QString::fromStdString(e.what()));
        }
    }
    m_promptMsg->setText(message);
    m_promptMsg->setVisible(!message.isEmpty());
    m_prompt->setStyleSheet(message.isEmpty() ? QString() : QStringLiteral("QLineEdit{border:2px solid #c00000}"));
}

void GenerationDock::onAlternative(int chipIndex, int tokenId) {
    const ar::DecodingSession* s = m_ctl->session();
    if (!s) return;
    const int stepIndex = chipIndex < 0 ? s->stepCount() : chipIndex - m_promptChips;
    m_chips->selectChip(-1);
    m_ctl->forceAt(stepIndex, tokenId);
}

void GenerationDock::applySampling(QAbstractSpinBox* from) {
    ar::SamplerSettings s = m_ctl->settings();
    s.temperature = float(m_temperature->value());
    s.topK = m_topK->value();
    s.topP = float(m_topP->value());
    s.seed = uint64_t(m_seed->value());
    if (from && from->hasFocus()) from->clearFocus();  // Space steps again
    if (s == m_ctl->settings()) return;
    try {
        m_ctl->setSettings(s);
    } catch (const std::exception& e) {
        m_info->setText(tr("Error: %1").arg(QString::fromStdString(e.what())));
    }
}

void GenerationDock::setNextHidden(bool hidden) {
    if (hidden == m_nextHidden) return;
    m_nextHidden = hidden;
    refresh();
}

void GenerationDock::selectStep(int stepIndex) { m_chips->selectChip(stepIndex < 0 ? -1 : m_promptChips + stepIndex); }

void GenerationDock::refresh() {
    {
        const ar::SamplerSettings& s = m_ctl->settings();
        const QSignalBlocker b1(m_temperature), b2(m_topK), b3(m_topP), b4(m_seed);
        m_temperature->setValue(s.temperature);
        m_topK->setValue(s.topK);
        m_topP->setValue(s.topP);
        m_seed->setValue(int(std::min<uint64_t>(s.seed, uint64_t(m_seed->maximum()))));
    }
    if (!m_prompt->hasFocus() || m_prompt->text().isEmpty()) m_prompt->setText(m_ctl->prompt());
    checkPrompt(m_prompt->text());
    const ar::DecodingSession* s = m_ctl->session();
    for (QAction* a : actions()) a->setEnabled(s != nullptr);
    if (!s) {
        m_chips->setChips({}, {}, m_ctl->model() ? tr("Fix the prompt to start.") : tr("Open a model to start."));
        m_info->setText(m_ctl->promptError());
        m_branches->clear();
        return;
    }
    m_stepAct->setEnabled(s->canStep());
    m_playAct->setEnabled(s->canStep() || m_ctl->isPlaying());
    m_backAct->setEnabled(s->stepCount() > 0);

    QList<TokenChip> chips;
    const ar::Tokens& seq = s->sequence();
    m_promptChips = s->promptOffset() + int(s->promptTokens().size());
    for (int i = 0; i < m_promptChips; ++i) {
        TokenChip c;
        c.text = QString::fromStdString(s->tokenText(seq[size_t(i)]));
        c.prompt = true;
        chips << c;
    }
    for (const ar::DecodeStep& st : s->steps()) {
        TokenChip c;
        c.text = QString::fromStdString(s->tokenText(st.token));
        c.p = st.modelP;
        c.forced = st.forced;
        c.alternatives = topAlternatives(*s, st.stages.front(), st.token);
        chips << c;
    }
    QList<TokenAlternative> next;
    QString note;
    if (s->canStep() && m_nextHidden) note = tr("(the next token's candidates are hidden while the quiz asks)");
    else if (s->canStep()) next = topAlternatives(*s, s->previewStages().front(), -1);
    else note = tr("(%1)").arg(QString::fromStdString(s->stopReason()));
    m_chips->setChips(chips, next, note);
    if (m_selectedStep >= s->stepCount()) {
        m_selectedStep = -1;
        emit selectedStepChanged(-1);
    }

    const double lp = s->steps().empty() ? 0.0 : s->steps().back().logprob;
    m_info->setText(tr("%1 tokens generated · log P(generated | prompt) = %2 · P = %3")
                        .arg(s->stepCount())
                        .arg(lp, 0, 'f', 3)
                        .arg(std::exp(lp), 0, 'g', 3));

    m_branches->clear();
    const auto branches = s->branches();
    m_branches->addItem(branches.empty() ? tr("(none yet)") : tr("%1 abandoned").arg(branches.size()), -1);
    for (int node : branches) {
        QStringList words;
        for (int t : s->branchTokens(node)) words << QString::fromStdString(s->tokenText(t));
        m_branches->addItem(words.join(' '), node);
    }
}

}  // namespace arlab
