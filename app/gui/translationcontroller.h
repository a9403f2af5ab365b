#pragma once
// Drives the Translation dock: the source sentence -> TranslatorLM (the seq2seq target side as a language
// model) -> one greedy word per step, each with its probability and cross-attention row; beam search on the
// same adapter for the beam-tree dock. Every step is one decoder step (well under 10 ms).
#include "core/data/zhencorpus.h"
#include "core/decoding/beamsearch.h"
#include "core/models/seq2seq.h"

#include <QObject>
#include <QStringList>

#include <memory>
#include <vector>

namespace arlab {

class TranslationView;

// Loads a translator from a Qt resource or file path; throws ar::Error.
std::shared_ptr<const ar::Seq2Seq> loadTranslatorResource(const QString& path);

class TranslationController : public QObject {
    Q_OBJECT
public:
    TranslationController(TranslationView* view, QObject* parent = nullptr);
    void setModel(std::shared_ptr<const ar::Seq2Seq> model);
    const ar::Seq2Seq* model() const { return m_model.get(); }

    // Current translation (for tests).
    const QStringList& targetWords() const { return m_words; }
    const ar::Mat& attention() const { return m_attention; }
    bool finished() const { return m_finished; }
    bool sourceOk() const { return m_lm != nullptr; }
    const std::vector<ar::ZhEnPair>& examples() const { return m_examples; }

public slots:
    void setSource(const QString& text);   // re-encodes, flags unknown words, restarts decoding
    void step();                           // one more target word
    void steps(int n);
    void run();                            // until </s>
    void restart();
    void beam(int width);
    void chooseExample(int index);

signals:
    // A finished beam search on the translator: tree, how each token id is shown, the prompt label.
    void beamTreeReady(const ar::BeamTree& tree, const std::vector<QString>& vocab, const QString& root, int best);
    void message(const QString& text);

private:
    void refresh();

    TranslationView* m_view;
    std::shared_ptr<const ar::Seq2Seq> m_model;
    std::vector<ar::ZhEnPair> m_all, m_examples;
    std::shared_ptr<ar::TranslatorLM> m_lm;
    std::unique_ptr<ar::DecodeState> m_state;
    QStringList m_srcWords, m_words;
    std::vector<float> m_p;
    ar::Mat m_attention;            // (steps, S)
    int m_prev = -1;
    bool m_finished = false;
    const ar::ZhEnPair* m_gold = nullptr;
};

}  // namespace arlab
