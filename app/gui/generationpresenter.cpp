#include "app/gui/generationpresenter.h"

#include "app/gui/generationcontroller.h"
#include "widgets/generationdock.h"

#include <QCoreApplication>
#include <QLineEdit>

#include <algorithm>
#include <cmath>

// The texts keep the dock's translation context (arlab::GenerationDock), where they were written before.
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

GenerationPresenter::GenerationPresenter(GenerationDock* view, GenerationController* controller, QObject* parent)
    : QObject(parent), m_view(view), m_ctl(controller) {
    GenerationController* ctl = m_ctl;
    connect(view, &GenerationDock::stepRequested, ctl, [ctl] { ctl->step(); });
    connect(view, &GenerationDock::playToggled, ctl, &GenerationController::setPlaying);
    connect(view, &GenerationDock::backRequested, ctl, [ctl] { ctl->back(); });
    connect(view, &GenerationDock::resetRequested, ctl, &GenerationController::reset);
    connect(view, &GenerationDock::speedChanged, ctl, &GenerationController::setSpeed);
    connect(view, &GenerationDock::branchChosen, ctl, &GenerationController::switchTo);
    connect(view, &GenerationDock::alternativeChosen, ctl, [ctl](int stepIndex, int tokenId) { ctl->forceAt(stepIndex, tokenId); });
    connect(view, &GenerationDock::promptEntered, ctl, &GenerationController::setPrompt);
    connect(view, &GenerationDock::promptEdited, this, [this](const QString& text) { m_view->setPromptMessage(promptMessage(text)); });
    connect(view, &GenerationDock::samplingEdited, this, [this](float temperature, int topK, float topP, quint64 seed) {
        ar::SamplerSettings s = m_ctl->settings();
        s.setTemperature(temperature);
        s.setTopK(topK);
        s.setTopP(topP);
        s.seed = seed;
        if (s == m_ctl->settings()) return;
        try {
            m_ctl->setSettings(s);
        } catch (const std::exception& e) {
            m_view->setInfo(QCoreApplication::translate("arlab::GenerationDock", "Error: %1").arg(QString::fromStdString(e.what())));
        }
    });
    connect(ctl, &GenerationController::playingChanged, view, &GenerationDock::setPlaying);
    view->setSpeed(ctl->speed());
    refresh();   // (later changes: the lesson calls refresh() through its change notices)
}

QString GenerationPresenter::promptMessage(const QString& text) const {
    auto m = m_ctl->model();
    if (!m) return {};
    try {
        const auto enc = m->tokenizer().encode(text.toStdString());
        QStringList words;
        for (size_t i : enc.unknown) words << QStringLiteral("‘%1’").arg(QString::fromStdString(enc.pieces[i]));
        if (words.isEmpty()) return {};
        return QCoreApplication::translate("arlab::GenerationDock", "Not in the model's vocabulary: %1. The model cannot read %2; change %3.")
            .arg(words.join(", "), words.size() == 1 ? QCoreApplication::translate("arlab::GenerationDock", "it") : QCoreApplication::translate("arlab::GenerationDock", "them"), words.size() == 1 ? QCoreApplication::translate("arlab::GenerationDock", "it") : QCoreApplication::translate("arlab::GenerationDock", "them"));
    } catch (const std::exception& e) {
        return QCoreApplication::translate("arlab::GenerationDock", "The prompt cannot be used: %1").arg(QString::fromStdString(e.what()));
    }
}

void GenerationPresenter::setNextHidden(bool hidden) {
    if (hidden == m_nextHidden) return;
    m_nextHidden = hidden;
    refresh();
}

void GenerationPresenter::refresh() {
    GenerationDockState st;
    const ar::SamplerSettings& settings = m_ctl->settings();
    st.temperature = settings.temperature();
    st.topK = settings.topK();
    st.topP = settings.topP();
    st.seed = settings.seed;
    st.prompt = m_ctl->prompt();
    st.playing = m_ctl->isPlaying();
    const ar::DecodingSession* s = m_ctl->session();
    st.hasSession = s != nullptr;
    if (!s) {
        st.note = m_ctl->model() ? QCoreApplication::translate("arlab::GenerationDock", "Fix the prompt to start.") : QCoreApplication::translate("arlab::GenerationDock", "Open a model to start.");
        st.info = m_ctl->promptError();
    } else {
        st.canStep = s->canStep();
        st.canBack = s->stepCount() > 0;
        const ar::Tokens& seq = s->sequence();
        st.promptChips = s->promptOffset() + int(s->promptTokens().size());
        for (int i = 0; i < st.promptChips; ++i) {
            TokenChip c;
            c.text = QString::fromStdString(s->tokenText(seq[size_t(i)]));
            c.prompt = true;
            st.chips << c;
        }
        for (const ar::DecodeStep& step : s->steps()) {
            TokenChip c;
            c.text = QString::fromStdString(s->tokenText(step.token));
            c.p = step.modelP;
            c.forced = step.forced;
            c.alternatives = topAlternatives(*s, step.stages.front(), step.token);
            st.chips << c;
        }
        if (s->canStep() && m_nextHidden) st.note = QCoreApplication::translate("arlab::GenerationDock", "(the next token's candidates are hidden while the quiz asks)");
        else if (s->canStep()) st.next = topAlternatives(*s, s->previewStages().front(), -1);
        else st.note = QCoreApplication::translate("arlab::GenerationDock", "(%1)").arg(QString::fromStdString(s->stopReason()));
        const double lp = s->steps().empty() ? 0.0 : s->steps().back().logprob;
        st.info = QCoreApplication::translate("arlab::GenerationDock", "%1 tokens generated · log P(generated | prompt) = %2 · P = %3")
                      .arg(s->stepCount())
                      .arg(lp, 0, 'f', 3)
                      .arg(std::exp(lp), 0, 'g', 3);
        const auto branches = s->branches();
        st.branches << qMakePair(branches.empty() ? QCoreApplication::translate("arlab::GenerationDock", "(none yet)") : QCoreApplication::translate("arlab::GenerationDock", "%1 abandoned").arg(branches.size()), -1);
        for (int node : branches) {
            QStringList words;
            for (int t : s->branchTokens(node)) words << QString::fromStdString(s->tokenText(t));
            st.branches << qMakePair(words.join(' '), node);
        }
    }
    m_view->setState(st);
    m_view->setPromptMessage(promptMessage(m_view->promptEdit()->text()));
}

}  // namespace arlab
