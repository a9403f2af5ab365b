#include "app/gui/quizcontroller.h"

#include "app/gui/generationcontroller.h"
#include "core/decoding/decodingsession.h"
#include "core/error.h"
#include "core/random.h"
#include "widgets/quizview.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace arlab {

namespace {
constexpr uint64_t kLanguageDrawSalt = 0x71757a5f6c616e67ULL;   // "quiz_lang": the language's draws differ from the sampler's

QStringList vocabulary(const ar::DecodingSession& s) {
    QStringList v;
    const ar::Tokenizer& tok = s.model().tokenizer();
    for (int i = 0; i < tok.size(); ++i) v << QString::fromStdString(tok.display(i));
    return v;
}

// The model's raw distribution for the next token, softmax of the logits in double.
std::vector<double> modelDistribution(const ar::DecodingSession& s) {
    const ar::RowVec& logits = s.nextLogits();
    double mx = -INFINITY;
    for (Eigen::Index i = 0; i < logits.size(); ++i) mx = std::max(mx, double(logits[i]));
    std::vector<double> p(size_t(logits.size()));
    double sum = 0;
    for (size_t i = 0; i < p.size(); ++i) sum += p[i] = std::exp(double(logits[Eigen::Index(i)]) - mx);
    for (double& x : p) x /= sum;
    return p;
}

// "… a happy child sees the" : the last 12 tokens after BOS.
QString contextText(const ar::DecodingSession& s) {
    QStringList words;
    const ar::Tokens& seq = s.sequence();
    for (size_t i = size_t(s.promptOffset()); i < seq.size(); ++i) words << QString::fromStdString(s.tokenText(seq[i]));
    const bool cut = words.size() > 12;
    if (cut) words = words.mid(words.size() - 12);
    return (cut ? QStringLiteral("… ") : QString()) + words.join(QLatin1Char(' '));
}
}  // namespace

QuizController::QuizController(QuizView* view, GenerationController* generation, QObject* parent)
    : QObject(parent), m_view(view), m_gen(generation), m_round(view->roundLength()) {
    connect(m_view, &QuizView::guessed, this, &QuizController::answer);
    connect(m_view, &QuizView::nextRequested, this, &QuizController::ask);
    connect(m_view, &QuizView::newRoundRequested, this, &QuizController::newRound);
    m_view->setRound(m_round);
    show(false);
}

void QuizController::setRound(ar::PredictionQuiz round) {
    m_round = std::move(round);
    m_view->setRound(m_round);
    show(false);
}

void QuizController::newRound(int length) {
    try {
        m_round = ar::PredictionQuiz(length);
    } catch (const ar::Error& e) {
        m_view->setUnavailable(QString::fromStdString(e.what()));
        return;
    }
    m_view->setRound(m_round);
    ask();
}

void QuizController::ask() { show(true); }

void QuizController::show(bool restart) {
    const ar::DecodingSession* s = m_gen->session();
    if (!s) {
        m_view->setUnavailable(m_gen->model() ? m_gen->promptError() : tr("No model loaded."));
        return;
    }
    m_view->setVocabulary(vocabulary(*s));
    if (m_round.finished()) {
        m_view->setUnavailable(tr("The round is over: see the summary below, export it, or start a new round."));
        return;
    }
    if (!s->canStep() && !restart) {   // only the student's own Next/New round moves the text back
        m_view->setUnavailable(tr("The text has ended (%1): Next question starts again from the prompt (the text stays in Branches).")
                                   .arg(QString::fromStdString(s->stopReason())),
                               true);
        return;
    }
    QString restarted;
    if (!s->canStep()) {
        // The sentence ended (or the context is full) during a round: the text starts again from the prompt, and
        // what was said stays in the history as a branch (Generation dock -> Branches).
        restarted = tr("The text had ended (%1): it starts again from the prompt (the old text stays in Branches).")
                      .arg(QString::fromStdString(s->stopReason()));
        m_stepping = true;
        while (m_gen->back()) {}
        m_stepping = false;
        s = m_gen->session();
        if (!s || !s->canStep()) {
            m_view->setUnavailable(tr("The text cannot go on (%1): change the prompt or the model.")
                                       .arg(s ? QString::fromStdString(s->stopReason()) : QString()));
            return;
        }
    }
    QString source = m_gen->trueNextDistribution().empty()
                               ? tr("The next token will be the model's own draw (no true language is known here): an advantage for the model.")
                               : tr("The next word will be drawn from the toy language itself, like real text; its exact probabilities are known.");
    if (!restarted.isEmpty()) source = restarted + QLatin1Char(' ') + source;
    m_view->setQuestion(int(m_round.steps().size()) + 1, m_round.length(), contextText(*s), source);
}

int QuizController::languageDraw() const {
    const ar::DecodingSession* s = m_gen->session();
    if (!s) return -1;
    const std::vector<double> truth = m_gen->trueNextDistribution();
    if (truth.empty()) return -1;
    // Seeded by the sampler seed, the quiz step and the position: a round replays exactly, and a text that starts
    // again from the prompt gets a new sentence.
    const uint64_t step = uint64_t(m_round.steps().size());
    ar::Rng rng(ar::DecodingSession::drawSeed(s->settings().seed ^ kLanguageDrawSalt ^ (step * 0x9E3779B97F4A7C15ULL),
                                              int(s->sequence().size())));
    return rng.categorical(std::span<const double>(truth));
}

bool QuizController::answer(const ar::QuizGuess& guess) {
    const ar::DecodingSession* s = m_gen->session();
    if (!s || !s->canStep() || m_round.finished()) {
        show(false);
        return false;
    }
    const int position = int(s->sequence().size());
    const std::vector<double> p = modelDistribution(*s);
    const std::vector<double> truth = m_gen->trueNextDistribution();
    ar::QuizStep scored;
    try {
        scored = ar::scoreQuizStep(guess, p, truth, 0, position);   // validates before anything moves
    } catch (const ar::Error& e) {
        m_view->setUnavailable(tr("The guess cannot be scored: %1").arg(QString::fromStdString(e.what())));
        return false;
    }
    const int fromLanguage = languageDraw();
    m_stepping = true;
    const bool ok = fromLanguage >= 0 ? m_gen->force(fromLanguage) : m_gen->step();
    m_stepping = false;
    s = m_gen->session();
    if (!ok || !s || int(s->sequence().size()) != position + 1) {
        show(false);
        return false;
    }
    const int token = s->sequence().back();
    ar::QuizStep step = ar::scoreQuizStep(guess, p, truth, token, position);
    step.fromTruth = fromLanguage >= 0;
    m_round.add(step);
    std::vector<int> order(p.size());
    std::iota(order.begin(), order.end(), 0);
    const size_t shown = std::min<size_t>(6, order.size());
    std::partial_sort(order.begin(), order.begin() + long(shown), order.end(),
                      [&p](int a, int b) { return p[size_t(a)] > p[size_t(b)] || (p[size_t(a)] == p[size_t(b)] && a < b); });
    std::vector<std::pair<int, double>> top;
    for (size_t i = 0; i < shown; ++i) top.emplace_back(order[i], p[size_t(order[i])]);
    m_view->setRound(m_round);
    m_view->setRevealed(step, top, step.fromTruth ? tr("(drawn from the toy language)") : tr("(the model's own draw)"));
    return true;
}

void QuizController::generationChanged(Changes what) {
    if (m_stepping) return;
    // A question that is open follows the text (someone stepped in the Generation dock, a new prompt or model);
    // a revealed answer stays on screen until Next.
    if (m_view->asking() || (what & Change::Model) || (what & Change::Prompt) || !m_gen->session()) show(false);
}

}  // namespace arlab
