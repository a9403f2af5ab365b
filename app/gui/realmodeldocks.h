#pragma once
// Two docks of the Transformer lesson that open up a model's ends (issue #13), for arlab's own models and the
// real ones (GPT-2, llama2.c) alike:
//   Tokenizer dock     the text -> pre-tokens -> bytes -> merges, one at a time -> ids, from the tokenizer's own
//                      trace (ar::Tokenizer::trace). Traced on the GUI thread: the text is capped at
//                      kTokenizerMaxChars characters, so a trace stays in the milliseconds.
//   Logit lens dock    for the selected step, the next-token distribution read after each layer (core's
//                      logit lens), and the commitment strip over the generated tokens. Computed by a job of
//                      the JobRunner (one forward of the sequence, then the readouts); commitment layers are
//                      kept for the unchanged prefix, so a step computes only the new token's.
// Both follow the GenerationController through change notices and only while shown.
#include "widgets/lensview.h"
#include "widgets/tokenizerview.h"

#include "core/decoding/decodingsession.h"

#include <QObject>

#include <memory>

class QDockWidget;

namespace arlab {

class GenerationController;
class GenerationDock;
class JobRunner;
class MainWindow;

constexpr int kTokenizerMaxChars = 1000;

// The view's data for `text` under `tok` (labels for every id in the trace, the kind, the merge priority's name).
TokenizerTraceData tokenizerTraceData(const ar::Tokenizer& tok, const QString& text);

class LensController : public QObject {
    Q_OBJECT
public:
    LensController(LensView* view, GenerationController* gen, QObject* parent = nullptr);
    // Recomputes the lens for `stepIndex` (-1: the latest step, else the next position), in the background.
    void update(int stepIndex);
    bool busy() const;
    bool waitForIdle(int timeoutMs);   // tests and screenshots
    static constexpr int kTop = 8;     // tokens per lens row

private:
    LensView* m_view;
    GenerationController* m_gen;
    JobRunner* m_jobs;
    // Commitment layers already computed: for the tokens m_commitTokens (the prefix they depend on) of model
    // m_commitModel, entry i is the layer of token m_commitFirst + i.
    const ar::LanguageModel* m_commitModel = nullptr;
    ar::Tokens m_commitTokens;
    int m_commitFirst = 0;
    std::vector<int> m_commit;
};

// Creates the Tokenizer and Logit lens docks (hidden by default) in the lesson being built, wired to the
// window's GenerationController and the Generation dock's selected step.
void addRealModelDocks(MainWindow& win, GenerationDock* generation, QObject* owner);

}  // namespace arlab
