#pragma once
// The Teacher-forcing dock: for one sentence pair, the decoder's word at every position when it is fed the
// gold previous words (teacher forcing) vs when it is fed its own previous outputs (free running), side by
// side with the gold; colours show where free running first goes wrong and how errors compound after it.
// Below: the per-position error rate over the test set for both modes (QCustomPlot).
#include "widgets/exportable.h"
#include <QStringList>
#include <QWidget>

#include <vector>

class QComboBox;
class QCustomPlot;
class QLabel;
class QTableWidget;

namespace arlab {

class TeacherForcingView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    ExportTable exportTable() const override;   // the numbers behind the view, for CSV (widgets/exporttables.cpp)
    explicit TeacherForcingView(QWidget* parent = nullptr);

    void setModels(const QStringList& names);
    void setPairs(const QStringList& sources);
    void setCurrentPair(int index);
    // The three rows; positions past a row's end are left empty.
    void setComparison(const QStringList& gold, const QStringList& teacherForced, const QStringList& freeRunning);
    // Error rate per target position for both modes (same length), and the number of sentences per position.
    void setCurves(const std::vector<double>& tf, const std::vector<double>& fr, const std::vector<int>& counts);
    void setSummary(const QString& text);

    // Cell states of the comparison (for tests): 'c' correct, 'x' the first free-running mistake,
    // 'e' a later error (compounding), 'r' correct again after a mistake, ' ' empty.
    QString rowStates(int row) const;  // row 1 = teacher forcing, 2 = free running
    QTableWidget* table() const { return m_table; }
    QCustomPlot* plot() const { return m_plot; }
    QString summary() const;

    static QColor correctColor() { return QColor(200, 235, 200); }
    static QColor firstMistakeColor() { return QColor(230, 80, 70); }
    static QColor compoundColor() { return QColor(250, 170, 120); }

signals:
    void modelChosen(int index);
    void pairChosen(int index);

protected:
    void changeEvent(QEvent* event) override;

private:
    void fitTableHeight();
    QComboBox* m_models;
    QComboBox* m_pairs;
    QTableWidget* m_table;
    QCustomPlot* m_plot;
    QLabel* m_summary;
    std::vector<QString> m_states;  // per row
};

}  // namespace arlab
