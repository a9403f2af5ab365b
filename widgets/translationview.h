#pragma once
// The Translation dock: a Chinese source editor (words outside the lexicon flagged), buttons to decode the
// English target one word at a time, the output words with their probabilities, and the cross-attention
// heatmap (CrossAttentionView) that grows by one row per step. A view: plain setters and request signals.
#include "core/tensor.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace arlab {

class CrossAttentionView;

class TranslationView : public QWidget {
    Q_OBJECT
public:
    explicit TranslationView(QWidget* parent = nullptr);

    void setSourceText(const QString& text);          // does not emit sourceEdited
    QString sourceText() const;
    // The source split into words; unknown[i] = word i is not in the lexicon (shown in red, struck out).
    void setSourceWords(const QStringList& words, const std::vector<bool>& unknown);
    void setExamples(const QStringList& examples);    // "Examples" combo (corpus test sentences)
    // Output so far: words and each one's probability; finished = </s> reached.
    void setTarget(const QStringList& words, const std::vector<float>& p, bool finished);
    void setAttention(const QStringList& source, const QStringList& target, const ar::Mat& attention);
    void setGold(const std::vector<std::vector<int>>& gold);  // empty: not a corpus sentence
    void setStatus(const QString& text, bool error);
    void setCanStep(bool on);

    CrossAttentionView* heatmap() const { return m_heatmap; }
    QString statusText() const;
    QString targetText() const;
    QString sourceWordsHtml() const;
    int beamWidth() const;

signals:
    void sourceEdited(const QString& text);
    void stepRequested();
    void runRequested();
    void resetRequested();
    void beamRequested(int width);
    void exampleChosen(int index);

private:
    QLineEdit* m_source;
    QComboBox* m_examples;
    QLabel* m_words;
    QLabel* m_target;
    QLabel* m_status;
    QPushButton* m_step;
    QPushButton* m_run;
    QPushButton* m_reset;
    QPushButton* m_beam;
    QSpinBox* m_width;
    QCheckBox* m_gold;
    CrossAttentionView* m_heatmap;
};

}  // namespace arlab
