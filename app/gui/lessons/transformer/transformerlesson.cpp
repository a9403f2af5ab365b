// The Transformer lesson: generate with TinyGPT one token at a time and look inside.
//   Generation dock   prompt, Step/Play/Back/Reset, the tokens as chips coloured by probability
//   Next token dock   the distribution through the sampler chain, the truth for the toy language
//   Attention dock    who attends to whom, per layer and head
//   Model dock        architecture, parameter counts, provenance
//   Training dock     train a small TinyGPT on the toy language in seconds, then use it (hidden by default:
//                     View -> Training)
//   Quiz dock         "what comes next?": the student guesses, then the model's distribution is revealed and
//                     scored against the student's and the truth (hidden by default: View -> Quiz)
//   Tokenizer dock    text -> pre-tokens -> bytes -> merges one at a time -> ids (hidden by default)
//   Logit lens dock   the selected step read after each layer, and the commitment strip (hidden by default)
// The docks are views; this file only moves values from GenerationController (the session) into them.
#include "app/gui/lessons/transformer/transformerlesson.h"

#include "app/gui/changes.h"
#include "app/gui/generationcontroller.h"
#include "app/gui/generationpresenter.h"
#include "app/gui/mainwindow.h"
#include "app/gui/menuaction.h"
#include "app/gui/modelinfo.h"
#include "app/gui/quizcontroller.h"
#include "app/gui/realmodeldocks.h"
#include "app/gui/trainingcontroller.h"
#include "core/data/toygrammar.h"
#include "core/decoding/samplerstages.h"
#include "widgets/attentionview.h"
#include "widgets/generationdock.h"
#include "widgets/modelinfoview.h"
#include "widgets/nexttokenview.h"
#include "widgets/quizview.h"
#include "widgets/trainingview.h"
#include "widgets/viewexport.h"

#include <QAction>
#include <QCoreApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QMessageBox>
#include <QMenu>

#include <algorithm>
#include <memory>
#include <span>

namespace arlab {

QStringList sequenceLabels(const ar::DecodingSession& s) {
    QStringList out;
    for (int t : s.sequence()) out << QString::fromStdString(s.tokenText(t));
    return out;
}

NextTokenData nextTokenData(const GenerationController& gen, int stepIndex) {
    NextTokenData d;
    const ar::DecodingSession* s = gen.session();
    if (!s) return d;
    const ar::Tokenizer& tok = s->model().tokenizer();
    for (int i = 0; i < tok.size(); ++i) d.vocab << QString::fromStdString(tok.display(i));
    const int steps = s->stepCount();
    if (stepIndex < 0 || stepIndex >= steps) stepIndex = steps - 1;  // default: the latest step
    int position;  // sequence index of the token being predicted
    std::vector<float> logits;
    if (stepIndex >= 0) {
        const ar::DecodeStep& st = s->steps()[size_t(stepIndex)];
        d.stages = st.stages;
        d.chosen = st.token;
        position = st.position;
        logits.assign(size_t(tok.size()), 0.0f);
        for (const auto& c : st.stages.front().candidates) logits[size_t(c.id)] = c.logit;
    } else {
        d.stages = s->previewStages();
        position = int(s->sequence().size());
        logits.assign(s->nextLogits().data(), s->nextLogits().data() + s->nextLogits().size());
    }
    // The chain's main stages (those with a knob outside the advanced ones) that this distribution did not go
    // through (switched off): named, so the pipeline is whole.
    static const char* const offNames[] = {QT_TRANSLATE_NOOP("QObject", "temperature (T = 1)"), QT_TRANSLATE_NOOP("QObject", "top-k"),
                                           QT_TRANSLATE_NOOP("QObject", "top-p")};
    (void)offNames;   // (for lupdate: the built-in stages' off names)
    for (const ar::SamplerStageKind* stage : ar::samplerStages()) {
        const std::vector<ar::StageParam> params = stage->params();
        if (params.empty() || params.front().advanced) continue;
        const bool used = std::any_of(d.stages.begin(), d.stages.end(), [&](const ar::SamplerStage& st) { return st.name == stage->name(); });
        if (!used) d.inactiveStages << QCoreApplication::translate("QObject", stage->offName().c_str());
    }
    // The context, shortened from the left: "P(next | … small cat)".
    const QStringList labels = sequenceLabels(*s);
    QStringList ctx = labels.mid(0, position);
    const bool cut = ctx.size() > 6;
    if (cut) ctx = ctx.mid(ctx.size() - 6);
    const QString given = (cut ? QStringLiteral("… ") : QString()) + ctx.join(' ');
    d.title = stepIndex >= 0 ? QObject::tr("<b>Step %1</b> (position %2): P(next | %3) — chose <b>%4</b>%5")
                                   .arg(stepIndex + 1)
                                   .arg(position)
                                   .arg(given.toHtmlEscaped(), labels.value(position).toHtmlEscaped(),
                                        s->steps()[size_t(stepIndex)].forced ? QObject::tr(" (forced)") : QString())
                             : QObject::tr("<b>Next</b> (position %1): P(next | %2) — press Space to draw")
                                   .arg(position)
                                   .arg(given.toHtmlEscaped());
    d.truth = gen.trueDistributionAt(position);
    // (The toy language's vocabulary is small: its raw stage lists every token, so `logits` is whole.)
    if (!d.truth.empty() && d.stages.front().complete()) d.kl = ar::ToyGrammar::klDivergence(d.truth, logits);
    return d;
}

int fedTokenCount(const ar::DecodingSession& s) {
    int T = 0;
    while (T < int(s.attentionRows().size()) && !s.attentionRows()[size_t(T)].empty()) ++T;
    return T;
}

TransformerLesson::TransformerLesson(MainWindow& win) : Lesson(win) {
    GenerationController* gen = win.generation();

    auto* generation = new GenerationDock;
    auto* presenter = new GenerationPresenter(generation, gen, this);
    QDockWidget* generationDock = win.addDock(generation, "generationDock", Qt::LeftDockWidgetArea, QSize(860, 330));
    for (QAction* a : generation->actions()) {
        win.addAction(a);
        win.lessonMenu()->addAction(a);
    }
    win.lessonMenu()->addSeparator();

    auto* next = new NextTokenView;
    QDockWidget* nextDock = win.addDock(next, "nextTokenDock", Qt::LeftDockWidgetArea, QSize(860, 600));

    auto* attention = new AttentionView;
    QDockWidget* attentionDock = win.addDock(attention, "attentionDock", Qt::RightDockWidgetArea, QSize(740, 640));

    auto* info = new ModelInfoView;
    QDockWidget* infoDock = win.addDock(info, "modelDock", Qt::RightDockWidgetArea, QSize(740, 290));

    auto* training = new TrainingView;
    auto* trainingCtl = new TrainingController(training, gen, this);
    QObject::connect(trainingCtl, &TrainingController::failed, &win, [&win](const QString& m) { win.showMessage(m, 10000); });
    QDockWidget* trainingDock =
        win.addDock(training, "trainingDock", Qt::RightDockWidgetArea, QSize(740, 420));
    win.setHiddenByDefault(trainingDock);

    auto* quiz = new QuizView;
    QDockWidget* quizDock = win.addDock(quiz, "quizDock", Qt::LeftDockWidgetArea, QSize(860, 600));
    win.setHiddenByDefault(quizDock);
    // Shown in the left area, the quiz takes the Next token dock's place as a tab (that dock would show the
    // answer; after a reveal its tab shows the whole distribution). A quiz the user moved elsewhere stays there.
    // The Generation dock above it gives up its spare height (empty room under the chips) to the quiz's round table.
    auto placeQuiz = [&win, quizDock, nextDock, generationDock] {
        if (quizDock->isHidden() || quizDock->isFloating() || win.dockWidgetArea(quizDock) != Qt::LeftDockWidgetArea ||
            nextDock->isHidden() || !win.tabifiedDockWidgets(quizDock).isEmpty())
            return;
        win.tabifyDockWidget(nextDock, quizDock);
        quizDock->raise();
        if (!generationDock->isHidden() && !generationDock->isFloating() &&
            win.dockWidgetArea(generationDock) == Qt::LeftDockWidgetArea)
            win.resizeDocks({generationDock}, {generationDock->minimumSizeHint().height()}, Qt::Vertical);
    };
    connect(quizDock->toggleViewAction(), &QAction::toggled, quiz, placeQuiz, Qt::QueuedConnection);
    auto* quizCtl = new QuizController(quiz, gen, this);
    QAction* newRound = makeAction(tr("New &quiz round"),
                                   tr("Show the Quiz dock and start a round of “what comes next?” from the text as it is now"),
                                   this, QKeySequence(QStringLiteral("Ctrl+Shift+N")));
    connect(newRound, &QAction::triggered, this, [quiz, quizDock, quizCtl, placeQuiz] {
        quizDock->show();
        placeQuiz();
        quizDock->raise();
        quizCtl->newRound(quiz->roundLength());
    });
    win.addAction(newRound);
    win.lessonMenu()->addAction(newRound);
    connect(quiz, &QuizView::exportRequested, this, [&win, quiz, quizDock] {
        const QString path = QFileDialog::getSaveFileName(&win, tr("Export the quiz round"), QStringLiteral("quiz.csv"),
                                                          tr("CSV numbers (*.csv)"));
        if (path.isEmpty()) return;
        const QString error = exportView(quiz, path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive) ? path : path + ".csv",
                                         quizDock->windowTitle());
        if (!error.isEmpty()) QMessageBox::warning(&win, tr("Export failed"), error);
        else win.showMessage(tr("Quiz round saved to %1").arg(path));
    });

    addRealModelDocks(win, generation, this);   // Tokenizer and Logit lens (hidden by default)

    // While the quiz asks, nothing shows the model's next-token distribution (it would give the answer away).
    auto quizAsking = [quiz, quizDock] { return quiz->asking() && quizDock->toggleViewAction()->isChecked(); };
    auto updateNext = [gen, next, generation, quizAsking] {
        if (quizAsking() && generation->selectedStep() < 0) {
            next->clear(QObject::tr("Hidden while the quiz asks what comes next: answer in the Quiz dock first."));
            return;
        }
        if (!gen->session()) {
            next->clear(gen->model() ? gen->promptError() : QObject::tr("No model loaded."));
            return;
        }
        next->setData(nextTokenData(*gen, generation->selectedStep()));
    };
    // The attention of the tokens fed, row by row. A row is computed once, when its token is fed, from the KV
    // cache of the tokens before it (DecodingSession::attentionRows()): a step or a Back leaves every row of the
    // common prefix as it was, so the view is told which rows it already has. A new prompt or model: none.
    auto updateAttention = [gen, attention, shown = std::make_shared<ar::Tokens>()](Changes what) {
        const ar::DecodingSession* s = gen->session();
        if (!s || s->layerCount() == 0) {
            attention->clear(s ? QObject::tr("This model has no attention (it is not a Transformer).")
                               : QObject::tr("No model loaded."));
            shown->clear();
            return;
        }
        const int T = fedTokenCount(*s);
        const ar::Tokens fed(s->sequence().begin(), s->sequence().begin() + T);
        int unchanged = 0;
        if (!(what & (Change::Prompt | Change::Model)))
            while (unchanged < T && unchanged < int(shown->size()) && (*shown)[size_t(unchanged)] == fed[size_t(unchanged)]) ++unchanged;
        attention->setAttention(std::span(s->attentionRows().data(), size_t(T)), sequenceLabels(*s).mid(0, T), unchanged);
        *shown = fed;
    };
    QObject::connect(generation, &GenerationDock::selectedStepChanged, next, updateNext);
    auto spoilers = [presenter, updateNext, quizAsking] {
        presenter->setNextHidden(quizAsking());
        updateNext();
    };
    connect(quiz, &QuizView::askingChanged, this, spoilers);
    // (queued: the toggle also fires while the window is being torn down)
    connect(quizDock->toggleViewAction(), &QAction::toggled, quiz, spoilers, Qt::QueuedConnection);
    auto updateInfo = [gen, info] {
        if (auto m = gen->model()) info->setModelInfo(describeModel(*m, gen->modelSource()));
        else info->clear(QObject::tr("No model loaded."));
    };
    // Change notices: each dock reads only what a change touches (attention and the model card ignore the
    // sampler settings, the model card ignores steps), and only while it is shown.
    DockUpdater* updaters[] = {
        new DockUpdater(generationDock, kAllChanges, [presenter](Changes) { presenter->refresh(); }),
        new DockUpdater(nextDock, kAllChanges, [updateNext](Changes) { updateNext(); }),
        new DockUpdater(attentionDock, kSequenceChanges, updateAttention),
        new DockUpdater(infoDock, Change::Model, [updateInfo](Changes) { updateInfo(); }),
        new DockUpdater(quizDock, kAllChanges, [quizCtl](Changes what) { quizCtl->generationChanged(what); })};
    for (DockUpdater* u : updaters) QObject::connect(gen, &GenerationController::changed, u, &DockUpdater::notify);
    // The text model may have been loaded before this lesson was built: show what there is now.
    updateNext();
    updateAttention(Change::Model);
    updateInfo();
}

bool TransformerLesson::step(int n) {
    window().generation()->stepN(n);
    return true;
}

ARLAB_LESSON(TransformerLesson, {.id = "transformer",
                                 .title = QT_TRANSLATE_NOOP("arlab::Lesson", "Transformer"),
                                 .order = 10,
                                 .shortcut = "Ctrl+1",
                                 .docks = {{"generationDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Generation")},
                                           {"nextTokenDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Next token")},
                                           {"attentionDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Attention")},
                                           {"modelDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Model")},
                                           {"trainingDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Training")},
                                           {"quizDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Quiz")},
                                           {"tokenizerDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Tokenizer")},
                                           {"lensDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Logit lens")}},
                                 .modelFamilies = {ar::ModelFamily::Text},
                                 .usesTextModel = true,
                                 .summary = QT_TRANSLATE_NOOP("arlab::Lesson", "generate with TinyGPT one token at a time and look inside")})

}  // namespace arlab
