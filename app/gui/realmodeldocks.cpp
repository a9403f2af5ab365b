#include "app/gui/realmodeldocks.h"

#include "app/gui/changes.h"
#include "app/gui/generationcontroller.h"
#include "widgets/generationdock.h"
#include "app/gui/jobrunner.h"
#include "app/gui/mainwindow.h"
#include "core/error.h"
#include "core/models/lens.h"

#include <QAction>
#include <QDockWidget>
#include <QLineEdit>

#include <algorithm>

namespace arlab {

TokenizerTraceData tokenizerTraceData(const ar::Tokenizer& tok, const QString& text) {
    TokenizerTraceData d;
    const QByteArray utf8 = text.left(kTokenizerMaxChars).toUtf8();
    d.trace = tok.trace(std::string_view(utf8.constData(), size_t(utf8.size())));
    auto label = [&](int id) {
        if (id >= 0 && id < tok.size() && !d.labels.contains(id)) d.labels.insert(id, QString::fromStdString(tok.display(id)));
    };
    for (const auto& syms : d.trace.initial)
        for (int id : syms) label(id);
    for (const auto& m : d.trace.merges) {
        label(m.left);
        label(m.right);
        label(m.result);
    }
    switch (tok.kind()) {
    case ar::Tokenizer::Kind::Gpt2Bpe:
        d.kind = QObject::tr("GPT-2 byte-level BPE, %1 tokens").arg(tok.size());
        d.priorityName = QObject::tr("rank");
        break;
    case ar::Tokenizer::Kind::LlamaBpe:
        d.kind = QObject::tr("llama2.c BPE (byte fallback), %1 tokens").arg(tok.size());
        d.priorityName = QObject::tr("score");
        break;
    case ar::Tokenizer::Kind::Char: d.kind = QObject::tr("characters, %1 tokens").arg(tok.size()); break;
    case ar::Tokenizer::Kind::Word: d.kind = QObject::tr("words, %1 tokens").arg(tok.size()); break;
    }
    const long unknown = std::count(d.trace.ids.begin(), d.trace.ids.end(), -1);
    if (unknown > 0) d.note = QObject::tr("%n piece(s) are not in the vocabulary (id -1): this model cannot read them.", "", int(unknown));
    if (text.size() > kTokenizerMaxChars) d.note += QObject::tr(" Only the first %1 characters are shown.").arg(kTokenizerMaxChars);
    return d;
}

// --- logit lens ------------------------------------------------------------------------------------------

LensController::LensController(LensView* view, GenerationController* gen, QObject* parent)
    : QObject(parent), m_view(view), m_gen(gen), m_jobs(new JobRunner(this)) {
    connect(m_jobs, &JobRunner::failed, this, [this](const QString&, const QString& message) { m_view->clear(message); });
}

bool LensController::busy() const { return m_jobs->pending() > 0; }
bool LensController::waitForIdle(int timeoutMs) { return m_jobs->waitIdle(timeoutMs); }

void LensController::update(int stepIndex) {
    const ar::DecodingSession* s = m_gen->session();
    const auto model = m_gen->model();
    if (!s || !model) {
        m_view->clear(model ? m_gen->promptError() : tr("No model loaded."));
        return;
    }
    if (!ar::residualStreamOf(*model)) {
        m_view->clear(tr("The logit lens needs a Transformer's residual stream; this %1 model has none.").arg(QString::fromStdString(model->kind())));
        return;
    }
    // What to show: the step's distribution (the Next token dock's default: the latest step), else the next one.
    const int steps = s->stepCount();
    const int sel = stepIndex >= 0 && stepIndex < steps ? stepIndex : steps - 1;
    const ar::Tokens seq = s->sequence();
    const int position = sel >= 0 ? s->steps()[size_t(sel)].position - 1 : int(seq.size()) - 1;
    const int chosen = sel >= 0 ? s->steps()[size_t(sel)].token : -1;
    const int first = steps > 0 ? s->steps().front().position : int(seq.size());
    const int ctx = model->contextLength();
    const int T = ctx > 0 ? std::min(int(seq.size()), ctx) : int(seq.size());
    if (position < 0 || position >= T) {
        m_view->clear(tr("No position to read: the sequence is empty or fills the model's context."));
        return;
    }
    QStringList context;
    for (int i = std::max(0, position - 5); i <= position; ++i) context << QString::fromStdString(s->tokenText(seq[size_t(i)]));
    const QString title = (sel >= 0 ? tr("<b>Step %1</b> (position %2)").arg(sel + 1).arg(position + 1)
                                    : tr("<b>Next</b> (position %1)").arg(position + 1)) +
                          tr(": P(next | %1%2) read after each layer").arg(position > 5 ? QStringLiteral("… ") : QString(),
                                                                             context.join(QLatin1Char(' ')).toHtmlEscaped()) +
                          (chosen >= 0 ? tr(" — chose <b>%1</b>").arg(QString::fromStdString(s->tokenText(chosen)).toHtmlEscaped()) : QString());
    // Commitment layers of the unchanged prefix are kept.
    size_t keep = 0;
    if (m_commitModel == model.get() && m_commitFirst == first) {
        size_t common = 0;
        while (common < m_commitTokens.size() && common < size_t(T) && m_commitTokens[common] == seq[common]) ++common;
        // token first+i depends on tokens[0 .. first+i]
        keep = std::min(m_commit.size(), common > size_t(first) ? common - size_t(first) : size_t(0));
    }
    std::vector<int> kept(m_commit.begin(), m_commit.begin() + std::ptrdiff_t(keep));
    m_view->setBusy(tr("Computing the lens…"));
    m_jobs->run(QStringLiteral("lens"), [this, model, seq, T, position, chosen, first, sel, title, kept](const JobContext& job) -> JobRunner::Deliver {
        const ar::ResidualStreamModel& rs = *ar::residualStreamOf(*model);
        const std::span<const int> tokens(seq.data(), size_t(T));
        const std::vector<ar::Mat> stream = rs.residualStream(tokens);
        if (job.cancelled()) return {};
        const ar::LensResult lens = ar::lensFromStream(rs, stream, position, kTop);
        std::vector<int> commit = kept;
        if (first < T) {
            const std::vector<int> more = ar::commitmentFromStream(rs, stream, tokens, first + int(kept.size()));
            commit.insert(commit.end(), more.begin(), more.end());
        }
        LensData d;
        d.title = title;
        d.layers = int(stream.size()) - 1;
        d.chosen = chosen;
        d.selectedStep = sel;
        const ar::Tokenizer& tok = model->tokenizer();
        for (int l = 0; l <= d.layers; ++l) {
            d.rowNames << (l == 0 ? tr("embedding") : l == d.layers ? tr("layer %1 (output)").arg(l) : tr("layer %1").arg(l));
            QList<LensCell> row;
            for (const ar::LensEntry& e : lens.top[size_t(l)]) row.append(LensCell{e.token, QString::fromStdString(tok.display(e.token)), double(e.p)});
            d.rows << row;
        }
        for (size_t i = 0; i < commit.size(); ++i) {
            const int id = seq[size_t(first) + i];
            d.commitment.append(CommitmentChip{id, QString::fromStdString(tok.display(id)), commit[i], int(i)});
        }
        return [this, d, model, seq, T, first, commit] {
            m_commitModel = model.get();
            m_commitTokens.assign(seq.begin(), seq.begin() + T);
            m_commitFirst = first;
            m_commit = commit;
            m_view->setData(d);
        };
    });
}

// --- the docks -------------------------------------------------------------------------------------------

void addRealModelDocks(MainWindow& win, GenerationDock* generation, QObject* owner) {
    GenerationController* gen = win.generation();

    auto* tokenizer = new TokenizerView;
    QDockWidget* tokenizerDock = win.addDock(tokenizer, QStringLiteral("tokenizerDock"), Qt::RightDockWidgetArea, QSize(740, 380));
    win.setHiddenByDefault(tokenizerDock);
    // The text follows the prompt until the user types their own.
    auto follow = std::make_shared<bool>(true);
    QObject::connect(tokenizer, &TokenizerView::textEdited, owner, [follow](const QString&) { *follow = false; });
    auto retrace = [gen, tokenizer] {
        const auto model = gen->model();
        if (!model) {
            tokenizer->clear(QObject::tr("No model loaded."));
            return;
        }
        try {
            tokenizer->setTrace(tokenizerTraceData(model->tokenizer(), tokenizer->text()));
        } catch (const std::exception& e) {   // char/word tokenizers refuse invalid UTF-8 (never from a QString)
            tokenizer->clear(QString::fromStdString(e.what()));
        }
    };
    QObject::connect(tokenizer, &TokenizerView::textEdited, owner, retrace);
    auto updateTokenizer = [gen, tokenizer, follow, retrace](Changes) {
        if (*follow) tokenizer->setText(gen->prompt());
        retrace();
    };

    auto* lens = new LensView;
    QDockWidget* lensDock = win.addDock(lens, QStringLiteral("lensDock"), Qt::RightDockWidgetArea, QSize(740, 460));
    win.setHiddenByDefault(lensDock);
    auto* lensCtl = new LensController(lens, gen, owner);
    lensCtl->setObjectName(QStringLiteral("lensController"));
    QObject::connect(lens, &LensView::stepClicked, generation, &GenerationDock::selectStep);
    auto updateLens = [lensCtl, generation](Changes) { lensCtl->update(generation->selectedStep()); };
    auto* lensUpdater = new DockUpdater(lensDock, kSequenceChanges, updateLens);
    QObject::connect(generation, &GenerationDock::selectedStepChanged, lensUpdater, [lensUpdater] { lensUpdater->notify(Change::StepAppended); });

    // Shown later (they are hidden by default), each takes its preferred height in the column it joins, not a
    // sliver (queued: the toggle also fires while the window is being torn down).
    for (auto [dock, height] : {std::pair{tokenizerDock, 380}, std::pair{lensDock, 460}})
        QObject::connect(dock->toggleViewAction(), &QAction::toggled, dock, [&win, dock, height](bool on) {
            if (on && !dock->isFloating()) win.resizeDocks({dock}, {height}, Qt::Vertical);
        }, Qt::QueuedConnection);

    for (DockUpdater* u : {new DockUpdater(tokenizerDock, Changes(Change::Prompt) | Change::Model, updateTokenizer), lensUpdater}) {
        QObject::connect(gen, &GenerationController::changed, u, &DockUpdater::notify);
        u->notify(kSequenceChanges);   // the model may be loaded already: shown (or pending until shown) now
    }
}

}  // namespace arlab
