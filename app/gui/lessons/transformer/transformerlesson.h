#pragma once
// The Transformer lesson (generate with TinyGPT one token at a time and look inside), and its helpers, shared
// with the tests: they turn the session into the values the views draw.
#include "app/gui/lesson.h"
#include "widgets/nexttokenview.h"

#include <QStringList>

#include <vector>

namespace ar {
class DecodingSession;
}

namespace arlab {

class GenerationController;
class MainWindow;

class TransformerLesson : public Lesson {
    Q_OBJECT
public:
    explicit TransformerLesson(MainWindow& win);
    bool step(int n) override;   // --steps N: N tokens
};

// Display text of every token of the sequence (BOS included).
QStringList sequenceLabels(const ar::DecodingSession& s);
// The Next token dock's data for generated step `stepIndex` (out of range: the latest step, or the next
// position when nothing was generated yet). Includes the exact distribution and KL for the toy language.
NextTokenData nextTokenData(const GenerationController& gen, int stepIndex);
// How many tokens of the sequence were fed to the model (a final EOS, or a token that filled the context, never
// is): the rows of attentionRows() the Attention dock shows.
int fedTokenCount(const ar::DecodingSession& s);

}  // namespace arlab
