#pragma once
// ParallelQualityView: translation quality against the number of sequential model passes, over the whole test
// set, one curve per decoding mode: exact match (left) and word accuracy (right). Mask-Predict has one point per
// iteration count K, semi-autoregressive one per block size k, the one-pass NAT one point at 1 pass and the
// LSTM translator's greedy AR decoding one point at its mean length. Below, the numbers as a table (with the
// repeated-word rate). Points may arrive one by one while the controller computes them in the background.
#include "widgets/exportable.h"

#include <QString>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QLabel;
class QTableWidget;

namespace arlab {

struct ParallelQualityPoint {
    QString id;             // stable, for export and tests: "ar", "nat", "mask-predict-3", "semi-2"
    QString mode;           // the curve: "AR (LSTM)", "Mask-Predict", "semi-AR", "NAT (one pass)"
    QString setting;        // "K = 3", "k = 2", ""
    double passes = 0;      // mean sequential passes per sentence
    double exactMatch = 0;  // 0..1
    double wordAccuracy = 0;
    double repeatedRate = 0;
    int sentences = 0;
};

class ParallelQualityView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    ExportTable exportTable() const override;
    explicit ParallelQualityView(QWidget* parent = nullptr);

    void setPoints(const QVector<ParallelQualityPoint>& points);   // replaces every point
    void setStatus(const QString& text, bool error = false);
    const QVector<ParallelQualityPoint>& points() const { return m_points; }
    QCustomPlot* exactPlot() const { return m_exact; }
    QCustomPlot* wordPlot() const { return m_word; }
    QTableWidget* table() const { return m_table; }
    QString statusText() const;
    QString legendText() const;

private:
    QVector<ParallelQualityPoint> m_points;
    QCustomPlot* m_exact;
    QCustomPlot* m_word;
    QTableWidget* m_table;
    QLabel* m_status;
    QLabel* m_legend;
};

}  // namespace arlab
