#pragma once
// The RNN inspector: what happens inside a character-level recurrent model while it reads a text. One
// heatmap with a column per character and a row per hidden unit, for the chosen quantity: the hidden state
// h, the LSTM cell c, or one gate (LSTM i, f, g, o; GRU r, z, n). Below it, the model's probability of each
// next character. A view: plain setters.
#include "widgets/exportable.h"
#include "core/tensor.h"

#include <QStringList>
#include <QWidget>

#include <map>
#include <vector>

class QComboBox;
class QCustomPlot;
class QLabel;
class QLineEdit;

namespace arlab {

class RnnInspectorView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    ExportTable exportTable() const override;   // the numbers behind the view, for CSV (widgets/exporttables.cpp)
    explicit RnnInspectorView(QWidget* parent = nullptr);

    void setText(const QString& text);   // does not emit textEdited
    // chars: one label per step; quantities: name -> (units, steps) matrix with its value range.
    struct Quantity {
        QString name;
        ar::Mat values;     // (units, steps)
        double lo = -1, hi = 1;
    };
    void setTrace(const QStringList& chars, const std::vector<Quantity>& quantities, const std::vector<float>& nextP);
    void setModelInfo(const QString& text);
    void setQuantity(int index);

    int quantityCount() const { return int(m_quantities.size()); }
    int currentQuantity() const { return m_current; }
    int heatmapRows() const;
    int heatmapCols() const;
    QCustomPlot* plot() const { return m_plot; }

signals:
    void textEdited(const QString& text);

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuild();
    void fitToFont();   // the heatmap's minimum height: its unit ticks and two lines of character labels readable

    QLineEdit* m_edit;
    QComboBox* m_box;
    QLabel* m_info;
    QCustomPlot* m_plot;
    QStringList m_chars;
    std::vector<Quantity> m_quantities;
    std::vector<float> m_nextP;
    int m_current = 0;
};

}  // namespace arlab
