#pragma once
// QuizView: the prediction quiz ("what comes next?") of the Transformer lesson. A view with plain setters;
// the scoring is core's (core/decoding/predictionquiz.h), the asking and drawing is QuizController's.
//
//   Step 3 of 10 · … a happy child ▁▁▁                              Round of [10] steps  [New round]
//   (•) Pick one   ( ) Spread 100 points
//   [ . ] [ a ] [ the ] [ cat 30 ] [ dog 70 ] ...      one button per word (an entry box for big vocabularies)
//   Your guess: dog 70 · cat 30          Points left: 0                      [Reveal ⏎]  [Clear]
//   ── revealed ──  came: "sees" (from the toy language) · you 0.40 (0.92 nats) · model 0.31 (1.17 nats) ...
//   table: one row per step of the round, then the totals; [Export summary CSV…] when the round is over
//
// Pick mode: a click on a word is the guess (all 100 points on it). Spread mode: a click gives the word 10
// more points (right-click takes 10 back) and Reveal is enabled at exactly 100. How zero points are scored
// (1 % uniform mixed in) is written under the table.
#include "core/decoding/predictionquiz.h"
#include "widgets/exportable.h"

#include <QStringList>
#include <QWidget>

#include <utility>
#include <vector>

class QButtonGroup;
class QComboBox;
class QGridLayout;
class QLabel;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTableWidget;
class QToolButton;

namespace arlab {

class QuizView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    static constexpr int kButtonVocab = 80;   // vocabularies up to this size get one button per word
    static constexpr int kSpreadStep = 10;    // points a click adds in spread mode

    explicit QuizView(QWidget* parent = nullptr);

    // The display text of every token id (the word buttons, the table).
    void setVocabulary(const QStringList& vocab);
    // Asks for a guess: step `step` (1-based) of `length`, the context shown before the gap, and where the
    // token that comes will be drawn from (a sentence under the context). Clears the previous guess.
    void setQuestion(int step, int length, const QString& context, const QString& source);
    // Shows a scored step (the revealed distribution: the model's `modelTop` (id, p), most probable first)
    // and the round so far; `sourceNote` says where the token came from.
    void setRevealed(const ar::QuizStep& step, const std::vector<std::pair<int, double>>& modelTop,
                     const QString& sourceNote);
    // The round's steps and totals (the table and the summary). Call after every step and for a new round.
    void setRound(const ar::PredictionQuiz& round);
    // Nothing can be asked (no model, the sequence cannot go on): the message instead of the question.
    // nextEnabled: Next question can go on (the text ended: it starts again from the prompt).
    void setUnavailable(const QString& message, bool nextEnabled = false);

    // The guess being built (spread mode), and the mode.
    const ar::QuizGuess& currentGuess() const { return m_guess; }
    bool spreadMode() const;
    void setSpreadMode(bool on);
    int roundLength() const;
    // What a click on word `token` does (the tests' way in): pick, or add/remove kSpreadStep points.
    void clickToken(int token, bool remove = false);
    bool canReveal() const;
    bool asking() const { return m_asking; }
    QString revealText() const;     // the revealed step's summary line ("" while asking)
    QString summaryText() const;    // the totals line of the round
    QString smoothingNote() const;  // how zero points are scored
    QTableWidget* table() const { return m_table; }

    ExportTable exportTable() const override;   // the round: one row per step, then a totals row
    QSize sizeHint() const override { return {760, 560}; }

signals:
    void guessed(const ar::QuizGuess& guess);   // the student commits a guess (pick, or Reveal with 100 points)
    void nextRequested();                       // next question
    void newRoundRequested(int length);
    void exportRequested();                     // "Export summary CSV…"
    void askingChanged(bool asking);            // a question opened (the model's answer must stay hidden) or closed

public slots:
    void reveal();          // commits the spread guess (no-op unless canReveal())
    void clearGuess();

private:
    void rebuildWordButtons();
    void updateGuessLine();
    void setAsking(bool asking);
    QString tokenText(int id) const;
    QString guessText(const ar::QuizGuess& guess) const;   // "dog 70 · cat 30"

    QStringList m_vocab;
    ar::QuizGuess m_guess;
    bool m_asking = false;
    int m_stepsDone = 0, m_length = 0;
    std::vector<ar::QuizStep> m_steps;
    ar::QuizTotals m_totals;

    QLabel* m_progress;
    QLabel* m_context;
    QLabel* m_source;
    QSpinBox* m_lengthBox;
    QPushButton* m_newRound;
    QRadioButton* m_pickMode;
    QRadioButton* m_spreadMode;
    QWidget* m_words;
    QGridLayout* m_wordGrid;
    std::vector<QToolButton*> m_wordButtons;
    QWidget* m_entryRow;       // big vocabularies: an entry box with completion
    QComboBox* m_entry;
    QSpinBox* m_entryPoints;
    QPushButton* m_entryAdd;
    QLabel* m_guessLine;
    QPushButton* m_revealBtn;
    QPushButton* m_clearBtn;
    QLabel* m_revealed;
    QPushButton* m_nextBtn;
    QTableWidget* m_table;
    QLabel* m_summary;
    QPushButton* m_exportBtn;
    QLabel* m_note;
};

}  // namespace arlab

Q_DECLARE_METATYPE(ar::QuizGuess)
