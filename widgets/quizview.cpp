#include "widgets/quizview.h"

#include "widgets/fonts.h"
#include "widgets/spinboxes.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QCompleter>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QShortcut>
#include <QSpinBox>
#include <QTableWidget>
#include <QScrollArea>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace arlab {

namespace {
QString nats(double v) { return QString::number(v, 'f', 2); }
QString prob(double v) { return v >= 0.01 || v == 0 ? QString::number(v, 'f', 2) : QString::number(v, 'g', 2); }
QString percent(int part, int whole) { return whole > 0 ? QString::number(100.0 * part / whole, 'f', 0) + QLatin1Char('%') : QStringLiteral("–"); }
}  // namespace

QuizView::QuizView(QWidget* parent) : QWidget(parent) {
    auto* top = new QHBoxLayout;
    m_progress = new QLabel;
    m_progress->setTextFormat(Qt::RichText);
    top->addWidget(m_progress, 1);
    top->addWidget(new QLabel(tr("Round of")));
    m_lengthBox = makeSpinBox(1, ar::kQuizMaxSteps, 10, tr("How many tokens a round asks for (applies to the next round)"));
    m_lengthBox->setSuffix(tr(" steps"));
    top->addWidget(m_lengthBox);
    m_newRound = new QPushButton(tr("&New round"));
    m_newRound->setToolTip(tr("Start a new round from where the text is now (Ctrl+Shift+N)"));
    connect(m_newRound, &QPushButton::clicked, this, [this] { emit newRoundRequested(m_lengthBox->value()); });
    top->addWidget(m_newRound);

    m_context = new QLabel;
    m_context->setTextFormat(Qt::RichText);
    m_context->setWordWrap(true);
    m_context->setFont(scaledFont(m_context->font(), 1.4));
    m_source = new QLabel;
    m_source->setObjectName(QStringLiteral("quizSource"));
    m_source->setWordWrap(true);
    m_source->setStyleSheet(QStringLiteral("color: #505050;"));

    auto* modes = new QHBoxLayout;
    m_pickMode = new QRadioButton(tr("&Pick one"));
    m_pickMode->setToolTip(tr("A click on a word is your guess: all 100 points on it"));
    m_spreadMode = new QRadioButton(tr("&Spread 100 points"));
    m_spreadMode->setToolTip(tr("A click gives a word 10 more points, a right-click takes 10 back; reveal at 100"));
    m_pickMode->setChecked(true);
    auto* modeGroup = new QButtonGroup(this);
    modeGroup->addButton(m_pickMode);
    modeGroup->addButton(m_spreadMode);
    connect(m_spreadMode, &QRadioButton::toggled, this, [this] { clearGuess(); });
    modes->addWidget(m_pickMode);
    modes->addWidget(m_spreadMode);
    modes->addStretch();

    m_words = new QWidget;
    m_wordGrid = new QGridLayout(m_words);
    m_wordGrid->setContentsMargins(0, 0, 0, 0);
    m_wordGrid->setSpacing(4);

    m_entryRow = new QWidget;
    auto* entry = new QHBoxLayout(m_entryRow);
    entry->setContentsMargins(0, 0, 0, 0);
    m_entry = new QComboBox;
    m_entry->setEditable(true);
    m_entry->setInsertPolicy(QComboBox::NoInsert);
    m_entry->setToolTip(tr("Type a token of the vocabulary (completion offers the matches)"));
    m_entryPoints = makeSpinBox(1, ar::kQuizPoints, ar::kQuizPoints, QString());
    m_entryPoints->setSuffix(tr(" points"));
    m_entryAdd = new QPushButton(tr("&Add"));
    m_entryAdd->setToolTip(tr("Put these points on the token (in pick mode: the token is your guess)"));
    connect(m_entryAdd, &QPushButton::clicked, this, [this] {
        const int id = m_vocab.indexOf(m_entry->currentText());
        if (id < 0) {
            m_guessLine->setText(tr("'%1' is not a token of this model's vocabulary.").arg(m_entry->currentText()));
            return;
        }
        if (!spreadMode()) {
            clickToken(id);
            return;
        }
        const int add = std::min(m_entryPoints->value(), ar::kQuizPoints - m_guess.total());
        if (add <= 0) return;
        auto it = std::find_if(m_guess.points.begin(), m_guess.points.end(), [id](const auto& p) { return p.first == id; });
        if (it == m_guess.points.end()) m_guess.points.emplace_back(id, add);
        else it->second += add;
        updateGuessLine();
    });
    entry->addWidget(new QLabel(tr("Token:")));
    entry->addWidget(m_entry, 1);
    entry->addWidget(m_entryPoints);
    entry->addWidget(m_entryAdd);

    auto* guessRow = new QHBoxLayout;
    m_guessLine = new QLabel;
    m_guessLine->setWordWrap(true);
    guessRow->addWidget(m_guessLine, 1);
    m_revealBtn = new QPushButton(tr("&Reveal"));
    m_revealBtn->setToolTip(tr("Show the model's distribution and the token that came (Enter)"));
    connect(m_revealBtn, &QPushButton::clicked, this, &QuizView::reveal);
    m_clearBtn = new QPushButton(tr("C&lear"));
    m_clearBtn->setToolTip(tr("Take back all points"));
    connect(m_clearBtn, &QPushButton::clicked, this, &QuizView::clearGuess);
    guessRow->addWidget(m_revealBtn);
    guessRow->addWidget(m_clearBtn);

    auto* revealRow = new QHBoxLayout;
    m_revealed = new QLabel;
    m_revealed->setTextFormat(Qt::RichText);
    m_revealed->setWordWrap(true);
    revealRow->addWidget(m_revealed, 1);
    m_nextBtn = new QPushButton(tr("Ne&xt question"));
    m_nextBtn->setToolTip(tr("Ask for the next token (Ctrl+Enter)"));
    connect(m_nextBtn, &QPushButton::clicked, this, &QuizView::nextRequested);
    revealRow->addWidget(m_nextBtn, 0, Qt::AlignTop);

    m_table = new QTableWidget(0, 7);
    m_table->setHorizontalHeaderLabels({tr("#"), tr("came"), tr("your top"), tr("model's top"), tr("your loss"),
                                        tr("model loss"), tr("truth loss")});
    m_table->horizontalHeaderItem(4)->setToolTip(tr("−ln q(x): your (smoothed) probability of the token that came, in nats"));
    m_table->horizontalHeaderItem(5)->setToolTip(tr("−ln p(x): the model's probability of the token that came, in nats"));
    m_table->horizontalHeaderItem(6)->setToolTip(tr("−ln P*(x): the toy language's exact probability (the best possible forecaster)"));
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->setMinimumHeight(80);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);

    auto* summaryRow = new QHBoxLayout;
    m_summary = new QLabel;
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setWordWrap(true);
    summaryRow->addWidget(m_summary, 1);
    m_exportBtn = new QPushButton(tr("&Export summary CSV…"));
    m_exportBtn->setToolTip(tr("Save every step of the round and the totals as CSV"));
    connect(m_exportBtn, &QPushButton::clicked, this, &QuizView::exportRequested);
    summaryRow->addWidget(m_exportBtn, 0, Qt::AlignTop);

    m_note = new QLabel(smoothingNote());
    m_note->setObjectName(QStringLiteral("quizNote"));
    m_note->setWordWrap(true);
    m_note->setStyleSheet(QStringLiteral("color: #505050;"));

    // Everything in a scroll area: when the dock is too small (presentation mode's larger fonts), the quiz scrolls
    // rather than squeezing its word buttons and notes below the height their text needs.
    auto* content = new QWidget;
    auto* scroll = new QScrollArea;
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(content);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    auto* layout = new QVBoxLayout(content);
    layout->addLayout(top);
    layout->addWidget(m_context);
    layout->addWidget(m_source);
    layout->addLayout(modes);
    layout->addWidget(m_words);
    layout->addWidget(m_entryRow);
    layout->addLayout(guessRow);
    layout->addLayout(revealRow);
    layout->addWidget(m_table, 1);
    layout->addLayout(summaryRow);
    layout->addWidget(m_note);

    auto* revealKey = new QShortcut(QKeySequence(Qt::Key_Return), this, this, &QuizView::reveal, Qt::WidgetWithChildrenShortcut);
    new QShortcut(QKeySequence(Qt::Key_Enter), this, this, &QuizView::reveal, Qt::WidgetWithChildrenShortcut);
    Q_UNUSED(revealKey);
    new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this, this, [this] { if (m_nextBtn->isEnabled()) emit nextRequested(); },
                  Qt::WidgetWithChildrenShortcut);

    setUnavailable(tr("No model loaded."));
    setRound(ar::PredictionQuiz(m_lengthBox->value()));
}

QString QuizView::smoothingNote() const {
    const int V = std::max<int>(1, int(m_vocab.size()));
    return tr("Scoring (nats, lower is better): your points → q = 0.99 · points/100 + 0.01/V (ε = 0.01), so zero points "
              "on the token that came cost ln(100·V) = %1 nats here (V = %2), not infinity.")
        .arg(nats(std::log(100.0 * V)))
        .arg(V);
}

QString QuizView::tokenText(int id) const { return id >= 0 && id < m_vocab.size() ? m_vocab[id] : QString::number(id); }

void QuizView::setVocabulary(const QStringList& vocab) {
    if (vocab == m_vocab) return;
    m_vocab = vocab;
    m_guess = {};
    rebuildWordButtons();
    m_entry->clear();
    if (vocab.size() > kButtonVocab) {
        m_entry->addItems(vocab);
        m_entry->completer()->setCompletionMode(QCompleter::PopupCompletion);
        m_entry->completer()->setFilterMode(Qt::MatchContains);
        m_entry->setCurrentText(QString());
    }
    m_note->setText(smoothingNote());
    updateGuessLine();
}

void QuizView::rebuildWordButtons() {
    for (QToolButton* b : m_wordButtons) delete b;
    m_wordButtons.clear();
    const bool buttons = m_vocab.size() <= kButtonVocab;
    m_words->setVisible(buttons);
    m_entryRow->setVisible(!buttons);
    if (!buttons) return;
    // Words in alphabetical order (the vocabulary's order would hint at nothing, but is harder to scan).
    std::vector<int> order(size_t(m_vocab.size()));
    for (int i = 0; i < int(order.size()); ++i) order[size_t(i)] = i;
    std::stable_sort(order.begin(), order.end(), [this](int a, int b) { return m_vocab[a].localeAwareCompare(m_vocab[b]) < 0; });
    const int columns = 10;
    for (size_t k = 0; k < order.size(); ++k) {
        const int id = order[k];
        auto* b = new QToolButton;
        b->setText(m_vocab[id]);
        b->setProperty("token", id);
        b->setMinimumWidth(56);
        b->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        b->setContextMenuPolicy(Qt::CustomContextMenu);
        b->setToolTip(tr("Click: guess “%1” (pick mode) or give it 10 points (spread mode); right-click: take 10 back").arg(m_vocab[id]));
        connect(b, &QToolButton::clicked, this, [this, id] { clickToken(id); });
        connect(b, &QToolButton::customContextMenuRequested, this, [this, id] { clickToken(id, true); });
        m_wordGrid->addWidget(b, int(k) / columns, int(k) % columns);
        m_wordButtons.push_back(b);
    }
}

bool QuizView::spreadMode() const { return m_spreadMode->isChecked(); }
void QuizView::setSpreadMode(bool on) { (on ? m_spreadMode : m_pickMode)->setChecked(true); }
int QuizView::roundLength() const { return m_lengthBox->value(); }

void QuizView::clickToken(int token, bool remove) {
    if (!m_asking || token < 0 || token >= m_vocab.size()) return;
    if (!spreadMode()) {
        if (remove) return;
        m_guess = ar::QuizGuess::pick(token);
        updateGuessLine();
        emit guessed(m_guess);
        return;
    }
    auto it = std::find_if(m_guess.points.begin(), m_guess.points.end(), [token](const auto& p) { return p.first == token; });
    if (remove) {
        if (it == m_guess.points.end()) return;
        it->second -= kSpreadStep;
        if (it->second <= 0) m_guess.points.erase(it);
    } else {
        const int add = std::min(kSpreadStep, ar::kQuizPoints - m_guess.total());
        if (add <= 0) return;
        if (it == m_guess.points.end()) m_guess.points.emplace_back(token, add);
        else it->second += add;
    }
    updateGuessLine();
}

bool QuizView::canReveal() const { return m_asking && m_guess.total() == ar::kQuizPoints; }

void QuizView::reveal() {
    if (canReveal()) emit guessed(m_guess);
}

void QuizView::clearGuess() {
    m_guess = {};
    updateGuessLine();
}

void QuizView::updateGuessLine() {
    for (QToolButton* b : m_wordButtons) {
        const int id = b->property("token").toInt();
        const int pts = m_guess.pointsOn(id);
        b->setText(pts > 0 && spreadMode() ? QStringLiteral("%1  %2").arg(m_vocab[id]).arg(pts) : m_vocab[id]);
        b->setStyleSheet(pts > 0 ? QStringLiteral("font-weight: bold; background: #ffe3b3; color: black;") : QString());
        b->setEnabled(m_asking);
    }
    m_entryAdd->setEnabled(m_asking);
    m_entryAdd->setText(spreadMode() ? tr("&Add") : tr("&Pick"));
    m_entryPoints->setEnabled(spreadMode());
    m_pickMode->setEnabled(m_asking);
    m_spreadMode->setEnabled(m_asking);
    m_revealBtn->setVisible(spreadMode());
    m_clearBtn->setVisible(spreadMode());
    m_revealBtn->setEnabled(canReveal());
    m_clearBtn->setEnabled(m_asking && !m_guess.points.empty());
    if (!m_asking) return;
    if (!spreadMode()) {
        m_guessLine->setText(tr("Click the word you think comes next."));
        return;
    }
    const QString parts = guessText(m_guess);
    const int left = ar::kQuizPoints - m_guess.total();
    m_guessLine->setText(parts.isEmpty() ? tr("Your guess: nothing yet. Points left: %1").arg(left)
                                         : tr("Your guess: %1. Points left: %2").arg(parts).arg(left));
}

QString QuizView::guessText(const ar::QuizGuess& guess) const {
    auto sorted = guess.points;
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second || (a.second == b.second && a.first < b.first); });
    QStringList parts;
    for (const auto& [id, pts] : sorted) parts << QStringLiteral("%1 %2").arg(tokenText(id)).arg(pts);
    return parts.join(QStringLiteral(" · "));
}

void QuizView::setAsking(bool asking) {
    if (asking == m_asking) return;
    m_asking = asking;
    emit askingChanged(asking);
}

void QuizView::setQuestion(int step, int length, const QString& context, const QString& source) {
    setAsking(true);
    m_guess = {};
    m_progress->setText(tr("<b>Step %1 of %2</b>: what comes next?").arg(step).arg(length));
    m_context->setText(context.toHtmlEscaped() + QStringLiteral(" <span style='color:#c05000'>▁▁▁</span>"));
    m_source->setText(source);
    m_revealed->setText(tr("Make your guess; then the model's distribution is revealed."));
    m_nextBtn->setEnabled(false);
    updateGuessLine();
}

void QuizView::setUnavailable(const QString& message, bool nextEnabled) {
    setAsking(false);
    m_guess = {};
    m_progress->setText(tr("<b>Prediction quiz</b>"));
    m_context->setText(message.toHtmlEscaped());
    m_source->clear();
    m_revealed->clear();
    m_guessLine->clear();
    m_nextBtn->setEnabled(nextEnabled && m_stepsDone < m_length);
    m_nextBtn->setText(tr("Ne&xt question"));
    updateGuessLine();
}

void QuizView::setRevealed(const ar::QuizStep& s, const std::vector<std::pair<int, double>>& modelTop, const QString& sourceNote) {
    setAsking(false);
    updateGuessLine();
    auto mark = [](bool hit) { return hit ? QStringLiteral("<span style='color:#1a7f37'>✓</span>") : QStringLiteral("<span style='color:#c62828'>✗</span>"); };
    QStringList dist;
    for (const auto& [id, p] : modelTop) {
        const QString t = tokenText(id).toHtmlEscaped();
        dist << (id == s.token ? QStringLiteral("<b>%1 %2</b>") : QStringLiteral("%1 %2")).arg(t, prob(p));
    }
    QString text = tr("Came: <b>%1</b> %2 · you: p = %3, %4 nats, top pick %5 %6 · model: p = %7, %8 nats, top pick %9 %10")
                       .arg(tokenText(s.token).toHtmlEscaped(), sourceNote.toHtmlEscaped(), prob(s.studentP), nats(s.studentLoss),
                            tokenText(s.studentTop).toHtmlEscaped(), mark(s.studentHit()), prob(s.modelP), nats(s.modelLoss),
                            tokenText(s.modelTop).toHtmlEscaped())
                       .arg(mark(s.modelHit()));
    if (s.hasTruth)
        text += QStringLiteral("<br>") +
                (s.trueP > 0 ? tr("Truth: P* = %1, %2 nats. Expected loss under the truth: you %3, model %4, best possible %5.")
                                   .arg(prob(s.trueP), nats(s.trueLoss), nats(s.studentCrossEntropy), nats(s.modelCrossEntropy), nats(s.trueEntropy))
                             : tr("Truth: impossible in the toy language (P* = 0). Expected loss under the truth: you %1, model %2, best possible %3.")
                                   .arg(nats(s.studentCrossEntropy), nats(s.modelCrossEntropy), nats(s.trueEntropy)));
    text += QStringLiteral("<br>") + tr("The model's distribution: %1").arg(dist.join(QStringLiteral(", ")));
    m_revealed->setText(text);
    m_guessLine->setText(tr("Your guess was: %1").arg(guessText(s.guess)));
    m_progress->setText(tr("<b>Step %1 of %2</b>: the answer").arg(m_stepsDone).arg(m_length));
    m_nextBtn->setEnabled(m_stepsDone < m_length);
    m_nextBtn->setText(m_stepsDone < m_length ? tr("Ne&xt question") : tr("Round over"));
}

QString QuizView::revealText() const { return m_asking ? QString() : m_revealed->text(); }

void QuizView::setRound(const ar::PredictionQuiz& round) {
    m_steps = round.steps();
    m_totals = round.totals();
    m_stepsDone = int(m_steps.size());
    m_length = round.length();
    m_table->setRowCount(0);
    auto cell = [](const QString& text, bool bold = false) {
        auto* item = new QTableWidgetItem(text);
        if (bold) {
            QFont f = item->font();
            f.setBold(true);
            item->setFont(f);
        }
        return item;
    };
    for (const ar::QuizStep& s : m_steps) {
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        m_table->setItem(r, 0, cell(QString::number(r + 1)));
        m_table->setItem(r, 1, cell(tokenText(s.token)));
        m_table->setItem(r, 2, cell(tokenText(s.studentTop) + (s.studentHit() ? QStringLiteral(" ✓") : QString())));
        m_table->setItem(r, 3, cell(tokenText(s.modelTop) + (s.modelHit() ? QStringLiteral(" ✓") : QString())));
        m_table->setItem(r, 4, cell(nats(s.studentLoss)));
        m_table->setItem(r, 5, cell(nats(s.modelLoss)));
        m_table->setItem(r, 6, cell(s.hasTruth && s.trueP > 0 ? nats(s.trueLoss) : s.hasTruth ? tr("impossible") : tr("–")));
    }
    const ar::QuizTotals& t = m_totals;
    if (t.steps > 0) {
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        m_table->setItem(r, 0, cell(tr("Σ"), true));
        m_table->setItem(r, 1, cell(tr("%1 steps").arg(t.steps), true));
        m_table->setItem(r, 2, cell(tr("%1 hits").arg(t.studentHits), true));
        m_table->setItem(r, 3, cell(tr("%1 hits").arg(t.modelHits), true));
        m_table->setItem(r, 4, cell(nats(t.studentLoss), true));
        m_table->setItem(r, 5, cell(nats(t.modelLoss), true));
        m_table->setItem(r, 6, cell(t.trueLossSteps ? nats(t.trueLoss) : tr("–"), true));
        m_table->scrollToBottom();
    }
    QString text;
    if (t.steps == 0) {
        text = tr("Round of %1 steps: no answers yet.").arg(m_length);
    } else {
        text = tr("%1 after %2 of %3 steps: you %4 nats/token, the model %5; top-1 right: you %6, the model %7; you agreed with "
                  "the model's top pick %8 of the time.")
                   .arg(m_stepsDone >= m_length ? tr("<b>Round over</b>") : tr("<b>Running total</b>"))
                   .arg(t.steps)
                   .arg(m_length)
                   .arg(nats(t.studentLoss / t.steps), nats(t.modelLoss / t.steps), percent(t.studentHits, t.steps),
                        percent(t.modelHits, t.steps), percent(t.agreements, t.steps));
        if (t.truthSteps > 0)
            text += QLatin1Char(' ') + tr("Against the truth (%1 steps): expected loss you %2, model %3, best possible %4 nats/token.")
                                           .arg(t.truthSteps)
                                           .arg(nats(t.studentCrossEntropy / t.truthSteps), nats(t.modelCrossEntropy / t.truthSteps),
                                                nats(t.trueEntropy / t.truthSteps));
        if (m_stepsDone >= m_length)
            text += QLatin1Char(' ') + tr("(People get about 29 % top-1 on web text and lose to small language models.)");
    }
    m_summary->setText(text);
    m_exportBtn->setEnabled(t.steps > 0);
}

QString QuizView::summaryText() const { return m_summary->text(); }

ExportTable QuizView::exportTable() const {
    ExportTable t{{QStringLiteral("step"), QStringLiteral("position"), QStringLiteral("token"), QStringLiteral("from"),
                   QStringLiteral("guess"), QStringLiteral("your_top"), QStringLiteral("model_top"), QStringLiteral("your_p"),
                   QStringLiteral("model_p"), QStringLiteral("true_p"), QStringLiteral("your_loss"), QStringLiteral("model_loss"),
                   QStringLiteral("true_loss"), QStringLiteral("your_ce_truth"), QStringLiteral("model_ce_truth"),
                   QStringLiteral("true_entropy"), QStringLiteral("your_hit"), QStringLiteral("model_hit"), QStringLiteral("agree")}};
    if (m_steps.empty()) {
        t.emptyReason = tr("no quiz answers yet");
        return t;
    }
    using N = ExportTable;
    auto opt = [](bool known, double v) { return known ? N::number(v) : QString(); };
    for (size_t i = 0; i < m_steps.size(); ++i) {
        const ar::QuizStep& s = m_steps[i];
        QStringList guess;
        for (const auto& [id, pts] : s.guess.points) guess << QStringLiteral("%1:%2").arg(tokenText(id)).arg(pts);
        t.addRow({QString::number(i + 1), QString::number(s.position), tokenText(s.token),
                  s.fromTruth ? QStringLiteral("language") : QStringLiteral("model"), guess.join(QLatin1Char(' ')),
                  tokenText(s.studentTop), tokenText(s.modelTop), N::number(s.studentP), N::number(s.modelP),
                  opt(s.hasTruth, s.trueP), N::number(s.studentLoss), N::number(s.modelLoss), opt(s.hasTruth && s.trueP > 0, s.trueLoss),
                  opt(s.hasTruth, s.studentCrossEntropy), opt(s.hasTruth, s.modelCrossEntropy), opt(s.hasTruth, s.trueEntropy),
                  QString::number(int(s.studentHit())), QString::number(int(s.modelHit())), QString::number(int(s.agree()))});
    }
    const ar::QuizTotals& k = m_totals;
    t.addRow({QStringLiteral("total"), QString(), QString(), QString(), QString(), QString(), QString(), QString(), QString(), QString(),
              N::number(k.studentLoss), N::number(k.modelLoss), k.trueLossSteps ? N::number(k.trueLoss) : QString(),
              k.truthSteps ? N::number(k.studentCrossEntropy) : QString(), k.truthSteps ? N::number(k.modelCrossEntropy) : QString(),
              k.truthSteps ? N::number(k.trueEntropy) : QString(), QString::number(k.studentHits), QString::number(k.modelHits),
              QString::number(k.agreements)});
    return t;
}

}  // namespace arlab
