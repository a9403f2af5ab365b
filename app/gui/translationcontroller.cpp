#include "app/gui/translationcontroller.h"

#include "app/gui/modelfiles.h"
#include "core/error.h"
#include "widgets/translationview.h"

#include <QFile>

#include <cmath>

namespace arlab {

std::shared_ptr<const ar::Seq2Seq> loadTranslatorResource(const QString& path) {
    return openModelAt(path, ar::ModelFamily::Translator).translator;
}

TranslationController::TranslationController(TranslationView* view, QObject* parent)
    : QObject(parent), m_view(view), m_all(ar::allZhEnPairs()) {
    const ar::ZhEnCorpus c = ar::makeZhEnCorpus(1);  // the shipped translator's split
    for (size_t i = 0; i < c.test.size() && m_examples.size() < 60; i += 17) m_examples.push_back(c.test[i]);
    QStringList ex;
    for (const auto& p : m_examples) ex << QString::fromStdString(p.srcText());
    m_view->setExamples(ex);
    connect(view, &TranslationView::sourceEdited, this, &TranslationController::setSource);
    connect(view, &TranslationView::stepRequested, this, &TranslationController::step);
    connect(view, &TranslationView::runRequested, this, &TranslationController::run);
    connect(view, &TranslationView::resetRequested, this, &TranslationController::restart);
    connect(view, &TranslationView::beamRequested, this, &TranslationController::beam);
    connect(view, &TranslationView::exampleChosen, this, &TranslationController::chooseExample);
}

void TranslationController::setModel(std::shared_ptr<const ar::Seq2Seq> model) {
    m_model = std::move(model);
    setSource(m_view->sourceText());
}

void TranslationController::chooseExample(int index) {
    if (index < 0 || index >= int(m_examples.size())) return;
    const QString text = QString::fromStdString(m_examples[size_t(index)].srcText());
    m_view->setSourceText(text);
    setSource(text);
}

void TranslationController::setSource(const QString& text) {
    m_view->setSourceText(text);
    m_lm.reset();
    m_state.reset();
    m_srcWords.clear();
    m_gold = nullptr;
    if (!m_model) {
        m_view->setStatus(tr("No translator loaded."), true);
        m_view->setCanStep(false);
        return;
    }
    const std::string src = text.toStdString();
    ar::Tokenizer::Encoded enc;
    try {
        enc = m_model->srcTokenizer().encode(src);
    } catch (const ar::Error& e) {
        m_view->setStatus(tr("Error: %1").arg(QString::fromStdString(e.what())), true);
        m_view->setCanStep(false);
        return;
    }
    std::vector<bool> unknown(enc.pieces.size(), false);
    for (size_t i : enc.unknown) unknown[i] = true;
    for (const auto& w : enc.pieces) m_srcWords << QString::fromStdString(w);
    m_view->setSourceWords(m_srcWords, unknown);
    m_words.clear();
    m_p.clear();
    m_attention.resize(0, int(enc.pieces.size()));
    m_finished = false;
    if (enc.pieces.empty()) {
        m_view->setStatus(tr("Type a Chinese sentence, words separated by spaces (or pick an example)."), false);
        m_view->setCanStep(false);
        refresh();
        return;
    }
    if (!enc.ok()) {
        QStringList bad;
        for (size_t i : enc.unknown) bad << QString("'%1' (word %2)").arg(QString::fromStdString(enc.pieces[i])).arg(i + 1);
        m_view->setStatus(tr("Not in the translator's lexicon of %1 words: %2. Remove or replace %3.")
                              .arg(m_model->srcTokenizer().size()).arg(bad.join(", "))
                              .arg(bad.size() == 1 ? tr("it") : tr("them")), true);
        m_view->setCanStep(false);
        m_view->setTarget({}, {}, true);
        refresh();
        return;
    }
    m_lm = std::make_shared<ar::TranslatorLM>(m_model, enc.ids);
    std::string joined;  // the words as the corpus writes them (single spaces)
    for (size_t i = 0; i < enc.pieces.size(); ++i) joined += (i ? " " : "") + enc.pieces[i];
    m_gold = ar::findPair(m_all, joined);
    restart();
}

void TranslationController::restart() {
    m_words.clear();
    m_p.clear();
    m_attention.resize(0, m_srcWords.size());
    m_finished = false;
    if (!m_lm) return;
    m_state = m_lm->newState();
    m_prev = m_lm->bosToken();
    m_view->setCanStep(true);
    m_view->setStatus(m_gold ? tr("A sentence of the corpus: its gold alignment is known (toggle \"Gold alignment\").")
                             : tr("Not a corpus sentence: no gold alignment to compare with."), false);
    refresh();
}

void TranslationController::step() {
    if (!m_lm || !m_state || m_finished) return;
    ar::DecodeState* s = m_state.get();
    const ar::Mat logits = m_lm->step(std::span<ar::DecodeState* const>(&s, 1), std::span<const int>(&m_prev, 1));
    ar::Index best;
    const float mx = logits.row(0).maxCoeff(&best);
    const double z = (logits.row(0).array() - mx).exp().sum();
    m_prev = int(best);
    m_words << QString::fromStdString(m_model->tgtTokenizer().token(m_prev));
    m_p.push_back(float(1.0 / z));
    const ar::Mat a = m_lm->lastAttention(*s).at(0);
    m_attention.conservativeResize(m_attention.rows() + 1, a.cols());
    m_attention.row(m_attention.rows() - 1) = a.row(0);
    m_finished = m_prev == m_lm->eosToken() || m_words.size() >= 30;
    refresh();
}

void TranslationController::steps(int n) {
    for (int i = 0; i < n && !m_finished; ++i) step();
}

void TranslationController::run() { steps(30); }

void TranslationController::beam(int width) {
    if (!m_lm) {
        emit message(tr("Beam search needs a source sentence made of lexicon words."));
        return;
    }
    ar::BeamSettings bs;
    bs.width = width;
    bs.maxLength = 30;
    ar::BeamSearch search(m_lm, {}, bs);   // (BeamSearch feeds the model's <s> itself)
    search.run();
    std::vector<QString> vocab;
    for (int i = 0; i < m_model->tgtTokenizer().size(); ++i) vocab.push_back(QString::fromStdString(m_model->tgtTokenizer().token(i)));
    emit beamTreeReady(search.tree(), vocab, m_srcWords.join(' '), search.bestNode());
    const auto best = search.nbest();
    if (!best.empty())
        emit message(tr("Beam search (width %1): %2").arg(width).arg(QString::fromStdString(m_model->tgtTokenizer().decode(best.front().tokens))));
}

void TranslationController::refresh() {
    m_view->setTarget(m_words, m_p, m_finished || !m_lm);
    if (!m_lm) m_view->setCanStep(false);
    m_view->setAttention(m_srcWords, m_words, m_attention);
    std::vector<std::vector<int>> gold;
    if (m_gold) {
        gold = m_gold->align;
        gold.push_back({});  // </s>
    }
    m_view->setGold(gold);
}

}  // namespace arlab
