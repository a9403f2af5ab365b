#pragma once
// QuizController: the prediction quiz of the Transformer lesson over the shared GenerationController.
//
//   ask()            the view shows the text so far and asks what comes next (the session's next position); a
//                    text that has ended starts again from the prompt (only here: a change notice or a restored
//                    session never moves the text, the view then says how to go on)
//   answer(guess)    the token comes: drawn from the toy language itself when its exact distribution is known
//                    there (like real text: the model and the student both predict it; appended as a forced
//                    step, so the Generation dock shows it), else the model's own draw (Space); then the step
//                    is scored against the model's raw distribution (softmax of its logits, T = 1) and the
//                    truth (core/decoding/predictionquiz.h) and the view reveals it
//   newRound(n)      a fresh round of n steps from where the text is now
// The draw from the language is seeded by the sampler seed, the step of the round and the position, so a round
// replays exactly. A text that ends during a round (end of sentence, full context) starts again from the prompt;
// the old text stays in the history as a branch.
#include "app/gui/changes.h"
#include "core/decoding/predictionquiz.h"

#include <QObject>
#include <QString>

namespace arlab {

class GenerationController;
class QuizView;

class QuizController : public QObject {
    Q_OBJECT
public:
    QuizController(QuizView* view, GenerationController* generation, QObject* parent = nullptr);

    const ar::PredictionQuiz& round() const { return m_round; }
    // Replaces the round (a restored session): shown as it was; asks again unless it is over.
    void setRound(ar::PredictionQuiz round);
    // The token the language draws at the session's next position, or -1 when its distribution is not known.
    int languageDraw() const;

public slots:
    void newRound(int length);
    void ask();
    // Scores `guess` for the next position; false (and a message in the view) when the step cannot be taken.
    bool answer(const ar::QuizGuess& guess);
    void generationChanged(arlab::Changes what);

private:
    void show(bool restart);

    QuizView* m_view;
    GenerationController* m_gen;
    ar::PredictionQuiz m_round;
    bool m_stepping = false;   // our own step is being appended (ignore its change notice)
};

}  // namespace arlab
