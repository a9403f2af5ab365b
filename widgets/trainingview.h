#pragma once
// The Training dock: settings of a small TinyGPT (layers, heads, width, context, positions, steps, learning
// rate, seed), Start / Stop, the loss curves (training and validation, nats/token) against the toy
// language's true entropy rate (dashed: no model can go below it on average), a status line, and
// "Use this model". A view: plain setters, signals for the buttons; it never trains anything.
#include "widgets/exportable.h"
#include "core/training/tinygpttrain.h"

#include <QPointF>
#include <QVector>
#include <QWidget>

#include <cmath>

class QComboBox;
class QCustomPlot;
class QCPItemStraightLine;
class QCPItemText;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace arlab {

class TrainingView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    ExportTable exportTable() const override;   // the numbers behind the view, for CSV (widgets/exporttables.cpp)
    explicit TrainingView(QWidget* parent = nullptr);

    ar::ToyGptSettings settings() const;         // the form's values over the hidden defaults
    void setSettings(const ar::ToyGptSettings& s);
    // A problem with the settings (shown in red, Start disabled); empty = fine.
    void setSettingsProblem(const QString& message);
    void setRunning(bool running);               // Start / Stop / settings enabled accordingly
    void setModelAvailable(bool available);      // "Use this model"
    void setStatus(const QString& text);
    void setEntropyRate(double nats);            // dashed line; NaN hides it
    void setTotalSteps(int steps);               // x range of the plot
    void clearCurves();
    void appendCurves(const QVector<QPointF>& train, const QVector<QPointF>& validation);

    // For tests.
    QString status() const;
    QString settingsProblem() const;
    QPushButton* startButton() const { return m_start; }
    QPushButton* stopButton() const { return m_stop; }
    QPushButton* useButton() const { return m_use; }
    QSpinBox* headsBox() const { return m_heads; }
    QSpinBox* widthBox() const { return m_embd; }
    QCustomPlot* plot() const { return m_plot; }
    int trainPointCount() const;
    int validationPointCount() const;

signals:
    void settingsChanged();
    void startRequested();
    void stopRequested();
    void useRequested();

private:
    void updateButtons();

    ar::ToyGptSettings m_hidden;   // batch, corpus size, ... (not in the form)
    QSpinBox* m_layers;
    QSpinBox* m_heads;
    QSpinBox* m_embd;
    QSpinBox* m_context;
    QComboBox* m_pos;
    QSpinBox* m_steps;
    QDoubleSpinBox* m_lr;
    QSpinBox* m_seed;
    QPushButton* m_start;
    QPushButton* m_stop;
    QPushButton* m_use;
    QLabel* m_problem;
    QLabel* m_status;
    QCustomPlot* m_plot;
    QCPItemStraightLine* m_entropyLine = nullptr;
    QCPItemText* m_entropyLabel = nullptr;
    bool m_running = false;
    bool m_modelAvailable = false;
    bool m_valid = true;
    double m_yMax = 0, m_yMin = 1e300;   // of the curves so far
    double m_entropy = std::nan("");
};

}  // namespace arlab
