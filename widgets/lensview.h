#pragma once
// LensView: the logit lens of one step (the Logit lens dock). What would the model predict if it stopped
// after layer l? The residual stream after each layer is read through the model's own final norm and
// unembedding; the last row is the model's real output.
//
//   Step 3 (position 5): P(next | … the cat)
//                 1              2              3  ...
//   embedding     the  0.08      a    0.05      ...
//   layer 1       sat  0.21      the  0.09      ...
//   layer 2 (out) sat  0.64      ran  0.10      ...     <- the model's next-token distribution
//
//   Commitment  [sat 2] [on 1] [the 2] [mat —]          <- per generated token: the first layer from which it
//                                                          is top-1 and stays top-1 (— : not the model's top-1)
//
// Cells are shaded by p; the chosen token of the step is bold. Clicking a commitment chip selects that step
// (stepClicked); the selected step's chip is outlined. A view with plain setters: no model inside.
#include "widgets/exportable.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

class QLabel;
class QScrollArea;
class QTableWidget;

namespace arlab {

struct LensCell {
    int id = -1;
    QString token;
    double p = 0;
};

struct CommitmentChip {
    int id = -1;
    QString token;
    int layer = -1;     // 0 = the embedding, l = after layer l; -1 = never the model's top-1
    int step = -1;      // generated step index (for stepClicked)
};

struct LensData {
    QString title;                    // rich text: "<b>Step 3</b> (position 5): P(next | … the cat)"
    QStringList rowNames;             // "embedding", "layer 1", ..., "layer L (output)": L+1 rows
    QList<QList<LensCell>> rows;      // per row: the top tokens, most probable first
    int chosen = -1;                  // token id chosen at this step (-1: none yet)
    int layers = 0;                   // L
    QList<CommitmentChip> commitment; // over the generated tokens
    int selectedStep = -1;            // outlined in the strip (-1: none, the next position)
};

class CommitmentStrip;

class LensView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    explicit LensView(QWidget* parent = nullptr);
    ExportTable exportTable() const override;   // lens rows and commitment (widgets/exporttables.cpp)

    void setData(const LensData& data);
    void clear(const QString& message);
    void setBusy(const QString& message);        // shown over the old data while a new lens is computed
    const LensData& data() const { return m_data; }
    QTableWidget* table() const { return m_table; }
    QRect chipRect(int index) const;             // commitment chip `index` in view coordinates (tests)
    QSize sizeHint() const override { return {620, 420}; }
    static QColor colorForLayer(int layer, int layers);   // early commitment = dark, late = light

signals:
    void stepClicked(int step);

private:
    LensData m_data;
    QLabel* m_title;
    QLabel* m_status;
    QTableWidget* m_table;
    QLabel* m_stripTitle;
    QScrollArea* m_stripScroll;
    CommitmentStrip* m_strip;
    friend class CommitmentStrip;
};

}  // namespace arlab
