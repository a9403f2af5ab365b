#pragma once
// TokenizerView: how a tokenizer turns text into ids, replayed one merge at a time (the Tokenizer dock).
//
//   [ text ................................ ]  GPT-2 byte-level BPE, 265 tokens
//   |<  <  Step >  >|   ====o=========   Merge 3 of 9: ␣ + t → ␣t (rank 0)
//   pre-token   bytes              tokens now                 ids
//   "the"       74 68 65           [t][he]                    83 257
//   "␣我爱你"     20 E6 88 91 …      [␣][\xE6\x88][\x91]…       32 262 145 …
//   9 tokens from 13 bytes in 2 pre-tokens
//
// Stages, left to right: the tokenizer's pre-tokens (GPT-2's regex pieces, llama2.c's whole text with its
// dummy space, characters or words), their bytes, the symbols after the first k merges (the chip the last
// merge made is outlined blue, the pair the next merge joins is dashed orange), and their ids (-1: not in the
// vocabulary). Step applies the next merge, Back undoes one, |< and >| go to the start and the end.
// A view with plain setters: the trace is core's (ar::Tokenizer::Trace); the labels of the ids in it come
// with it, so tests feed it fake data.
#include "core/data/tokenizer.h"
#include "widgets/exportable.h"

#include <QHash>
#include <QString>
#include <QWidget>

class QLabel;
class QLineEdit;
class QScrollArea;
class QSlider;
class QToolButton;

namespace arlab {

struct TokenizerTraceData {
    ar::Tokenizer::Trace trace;
    QHash<int, QString> labels;   // display text of every id in the trace ("␣the", "\xE6\x88")
    QString kind;                 // "GPT-2 byte-level BPE, 50257 tokens"
    QString priorityName;         // what Merge::priority is: "rank" (lower first) or "score" (higher first)
    QString note;                 // e.g. "2 pieces are not in the vocabulary" (shown under the table)
};

class TokenizerCanvas;

class TokenizerView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    explicit TokenizerView(QWidget* parent = nullptr);
    ExportTable exportTable() const override;   // one row per symbol as shown now (widgets/exporttables.cpp)

    void setText(const QString& text);           // does not emit textEdited
    QString text() const;
    // A new trace starts at 0 merges applied when `fromStart`, else at the end (all merges: the ids).
    void setTrace(const TokenizerTraceData& data, bool fromStart = false);
    void clear(const QString& message);
    const TokenizerTraceData& data() const { return m_data; }

    int mergeCount() const { return int(m_data.trace.merges.size()); }
    int mergesApplied() const { return m_applied; }
    void setMergesApplied(int n);                // clamped to 0..mergeCount()
    // The symbols of each pre-token now (after mergesApplied() merges).
    const std::vector<ar::Tokens>& symbols() const { return m_symbols; }
    QString stepText() const;                    // "Merge 3 of 9: ␣ + t → ␣t (rank 0)"
    QToolButton* stepButton() const { return m_step; }
    QToolButton* backButton() const { return m_back; }
    QSize sizeHint() const override { return {620, 360}; }

public slots:
    void stepForward();
    void stepBack();

signals:
    void textEdited(const QString& text);        // by the user (the owner traces it and calls setTrace)
    void mergesAppliedChanged(int n);

private:
    void refresh();
    QString label(int id) const;

    TokenizerTraceData m_data;
    std::vector<ar::Tokens> m_symbols;
    int m_applied = 0;
    QString m_message;
    QLineEdit* m_text;
    QLabel* m_kind;
    QToolButton *m_start, *m_back, *m_step, *m_end;
    QSlider* m_slider;
    QLabel* m_stepLabel;
    QScrollArea* m_scroll;
    TokenizerCanvas* m_canvas;
    friend class TokenizerCanvas;
};

}  // namespace arlab
