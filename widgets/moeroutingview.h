#pragma once
// Mixture of experts: for every token (columns) and layer (rows) the chosen experts as coloured blocks whose
// heights are their gates (they sum to 1), the load per expert over the text, and the parameters one token uses
// against the model's total. A prompt field asks for another text. A view: plain setters, one signal.
#include "widgets/exportable.h"

#include <QStringList>
#include <QVector>
#include <QWidget>

class QLabel;
class QLineEdit;

namespace arlab {

struct MoeRoutingData {
    QStringList tokens;
    int experts = 0, topK = 0;
    QVector<QVector<QVector<int>>> chosen;    // [layer][token][j] expert ids, best first
    QVector<QVector<QVector<float>>> gates;   // [layer][token][j]
    QVector<QVector<int>> load;               // [layer][expert] routing slots
    qint64 activeParameters = 0, totalParameters = 0;
};

class MoeRoutingCanvas;

class MoeRoutingView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    explicit MoeRoutingView(QWidget* parent = nullptr);
    void setData(const MoeRoutingData& data);
    void setPrompt(const QString& text);
    void setMessage(const QString& text);
    QString prompt() const;
    const MoeRoutingData& data() const { return m_data; }
    QString summary() const;
    // One row per layer, token and chosen expert (its gate), then the load per expert.
    ExportTable exportTable() const override;

signals:
    void promptEdited(const QString& text);

private:
    MoeRoutingData m_data;
    MoeRoutingCanvas* m_canvas;
    QLineEdit* m_prompt;
    QLabel* m_summary;
};

}  // namespace arlab
