#pragma once
// ParallelDecodeView: one Chinese sentence translated several ways side by side, stepped one sequential model
// pass at a time (a slider and Space): AR (one word per pass), fully parallel (one pass), Mask-Predict (one row
// per pass: the words coloured by confidence, the ones re-masked for the next pass marked, and the next pass's
// input with [MASK]), semi-autoregressive (blocks of k words). After pass s every lane shows its state after
// min(s, its passes) passes, so the slider compares modes at equal sequential cost. Repeated neighbours and
// gold words missing from a lane's output are highlighted. Above: the source editor, examples, the NAT
// checkpoint and K. A view with plain setters: the controller fills it.
#include "widgets/exportable.h"

#include <QStringList>
#include <QVector>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QSpinBox;
class QScrollArea;

namespace arlab {

// One sequential model pass of a lane: the sentence after it.
struct ParallelPassData {
    QStringList words;            // "" = not decided yet (shown as [MASK])
    QVector<double> confidence;   // the model's probability of each decided word (0 where undecided)
    QVector<bool> predicted;      // predicted in this pass (its input there was [MASK])
};

struct ParallelLaneData {
    QString id;                   // "ar", "nat", "mask-predict", "semi-2" (export, tests)
    QString title;                // "Mask-Predict, K = 4"
    bool growing = false;         // AR: a word appears per pass, there is no [MASK]
    bool everyPass = false;       // one row per pass (Mask-Predict)
    QVector<ParallelPassData> passes;
};

struct ParallelSentenceData {
    QStringList gold;             // the corpus translation; empty when the sentence is not in the corpus
    QString note;                 // e.g. "predicted length 6 (p 0.35)"
    QVector<ParallelLaneData> lanes;
};

// What one lane shows at the current pass (also what tests read).
struct ParallelShownChip {
    enum Kind { Word, Mask, Pending };
    Kind kind = Word;
    QString text;
    double confidence = 0;
    bool predicted = false;       // new in this row's pass
    bool remasked = false;        // re-masked for the next pass
    bool repeated = false;        // equal to a neighbour
};
struct ParallelShownRow {
    QString label;                // "pass 2", "input of pass 3"
    QVector<ParallelShownChip> chips;
};
struct ParallelShownLane {
    QString title;
    QVector<ParallelShownRow> rows;
    QString footer;               // "done after 4 passes: exact match" / "repeated: apples apples; missing: three"
    bool problem = false;         // repeated or missing words, or not the gold
};

class ParallelDecodeView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    ExportTable exportTable() const override;   // every lane, every pass, every position
    explicit ParallelDecodeView(QWidget* parent = nullptr);

    void setSourceText(const QString& text);     // does not emit sourceEdited
    QString sourceText() const;
    void setExamples(const QStringList& sources);
    void setCheckpoints(const QStringList& names, int current);
    void setIterations(int k);                   // does not emit iterationsChanged
    int iterations() const;
    void setSentence(const ParallelSentenceData& data);   // keeps the pass (clamped)
    void clearSentence();
    void setStatus(const QString& text, bool error);

    int pass() const { return m_pass; }
    int maxPass() const;                         // the longest lane's passes
    void setPass(int pass);                      // clamped to 0..maxPass()
    const ParallelSentenceData& sentence() const { return m_data; }
    QVector<ParallelShownLane> shown() const;    // what every lane shows now
    QString laneText(int lane) const;            // the shown rows as text: "I ate [MASK] | ..." (tests)
    QString statusText() const;
    QSlider* slider() const { return m_slider; }
    QLineEdit* sourceEdit() const { return m_source; }

    // Positions whose word equals a neighbour's ("" never counts); gold words (as a multiset) missing from words.
    static QVector<bool> repeatedFlags(const QStringList& words);
    static QStringList missingWords(const QStringList& words, const QStringList& gold);

signals:
    void sourceEdited(const QString& text);
    void exampleChosen(int index);
    void checkpointChosen(int index);
    void iterationsChanged(int k);
    void passChanged(int pass);

public slots:
    void stepForward();                          // Space: one more pass (wraps to 0 at the end)
    void reset();

private:
    void refresh();

    ParallelSentenceData m_data;
    int m_pass = 0;
    QLineEdit* m_source;
    QComboBox* m_examples;
    QComboBox* m_checkpoints;
    QSpinBox* m_iterations;
    QSlider* m_slider;
    QLabel* m_passLabel;
    QLabel* m_status;
    QLabel* m_note;
    QWidget* m_canvas;
    QScrollArea* m_scroll;
    friend class ParallelLaneCanvas;
};

}  // namespace arlab
