#pragma once
// CompareView: the same prompt decoded by several strategies (ar::CompareRow: greedy, beam, seeded
// samples), one row each. A row shows its label, its total log-probability and its tokens as chips coloured
// by the model's probability of that token (dark = likely, pale = unlikely), with p under each chip.
// Chips sit in fixed columns (position i is column i in every row), so rows can be read against each other;
// the first position where a row departs from the greedy row gets a red frame and a marker.
//
// Controls on top (samples, beam width, max tokens, seed, Run) show a part of the one settings value
// (ar::SamplerSettings: its .compare and its beam width) and emit edits and runRequested(); a controller
// writes the value and computes.
#include "widgets/exportable.h"
#include "core/decoding/compare.h"

#include <QString>
#include <QWidget>
#include <vector>

class QLabel;
class QPushButton;
class QScrollArea;
class QSpinBox;

namespace arlab {

class CompareCanvas;

class CompareView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    ExportTable exportTable() const override;   // the numbers behind the view, for CSV (widgets/exporttables.cpp)
    explicit CompareView(QWidget* parent = nullptr);

    void setRows(const std::vector<ar::CompareRow>& rows, const QString& prompt);
    void setMessage(const QString& text);
    QString message() const;                 // the message shown instead of rows ("" when rows are shown)
    void setBusy(bool busy);
    const std::vector<ar::CompareRow>& rows() const;

    // Controls. The beam width box shows the shared beam width, or 0 when there is no beam row.
    ar::CompareSettings settings() const;   // samples, max tokens, seed, beam row (width box > 0)
    int beamWidth() const;                  // the width box (0 = no beam row)
    void setSettings(const ar::CompareSettings& s, int beamWidth);   // no settingsEdited emitted
    QPushButton* runButton() const { return m_run; }

    // Geometry and marks, for tests: the chip of token `index` of row `row` (canvas coordinates), and the
    // index that is marked as the row's first divergence (-1 when none).
    QRect chipRect(int row, int index) const;
    int markedDivergence(int row) const;
    QColor chipColor(float p) const;
    QWidget* canvas() const;

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

signals:
    void settingsEdited(const ar::CompareSettings& settings, int beamWidth);   // a box was edited
    void runRequested(const ar::CompareSettings& settings);

private:
    void fitRows();
    CompareCanvas* m_canvas;
    QScrollArea* m_scroll;
    QSpinBox* m_samples;
    QSpinBox* m_beam;
    QSpinBox* m_maxNew;
    QSpinBox* m_seed;
    QPushButton* m_run;
    QLabel* m_status;
};

}  // namespace arlab
