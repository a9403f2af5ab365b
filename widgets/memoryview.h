#pragma once
// The Limits lesson's long-range-memory view: recall accuracy against the distance d (one curve per model), the
// gradient norm ||d loss / d x_0|| against d on a log scale (measured by backward passes on the real models),
// and how strongly the key reaches each unit of a recurrent model's hidden state across one episode (units x time),
// where it fades or stays.
// Plus the controls to retrain one of the four models in the background. A view: plain setters, signals.
#include "core/tensor.h"
#include "widgets/limitsplot.h"

#include <QStringList>
#include <QWidget>

class QComboBox;
class QCustomPlot;
class QCPColorMap;
class QLabel;
class QPushButton;
class QSpinBox;

namespace arlab {

class MemoryView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    explicit MemoryView(QWidget* parent = nullptr);

    void setAccuracy(const QVector<limitsplot::Curve>& curves);
    void setGradientFlow(const QVector<limitsplot::Curve>& curves);
    // states (T, H): row t = one number per hidden unit after reading tokens[t] (the lesson shows log10 of the key's
    // influence |d h_t / d x_0|); drawn with an unsigned colour scale.
    void setHiddenState(const QString& title, const ar::Mat& states, const QStringList& tokens);
    void setRunning(bool running);
    void setStatus(const QString& text);

    QString trainKind() const;        // rnn | lstm | gru | tinygpt
    QString hiddenKind() const;       // rnn | lstm | gru
    int hiddenDistance() const;

    // For tests.
    QCustomPlot* accuracyPlot() const { return m_accuracy; }
    QCustomPlot* gradientPlot() const { return m_gradient; }
    QCustomPlot* hiddenPlot() const { return m_hidden; }
    QPushButton* trainButton() const { return m_train; }
    QPushButton* stopButton() const { return m_stop; }
    QString status() const;
    ExportTable exportTable() const override;  // accuracy, gradient flow, hidden state

signals:
    void trainRequested();
    void stopRequested();
    void hiddenRequested();           // the hidden-state model or distance changed

private:
    QCustomPlot* m_accuracy;
    QCustomPlot* m_gradient;
    QCustomPlot* m_hidden;
    QCPColorMap* m_hiddenMap = nullptr;
    QVector<limitsplot::Curve> m_accuracyCurves, m_gradientCurves;
    ar::Mat m_hiddenStates;  // (T, H)
    QComboBox* m_trainKind;
    QComboBox* m_hiddenKind;
    QSpinBox* m_distance;
    QPushButton* m_train;
    QPushButton* m_stop;
    QLabel* m_status;
};

}  // namespace arlab
