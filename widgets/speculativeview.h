#pragma once
// SpeculativeView: speculative decoding (Leviathan et al. 2023) shown round by round, and its speed. Each round
// is a row: the draft model's γ tokens (accepted in green, the rejected one in red, each examined one with the
// target's p and the draft's q of it, the drafts after a rejection struck out) and the token the target adds
// (the resampled one after a rejection, or the bonus token when all were kept). Then tokens per target call;
// below, the measured speedup over plain AR for γ = 1..8 in target calls and in wall time, with the theory
// (1 − α^(γ+1)) / (1 − α) beside them. A view with plain setters; the controller runs the models.
#include "widgets/exportable.h"

#include <QString>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QLabel;
class QLineEdit;
class QPushButton;
class QScrollArea;
class QSpinBox;

namespace arlab {

struct SpeculativeDraftToken {
    enum Status { Accepted, Rejected, Unchecked };
    QString text;
    double p = 0, q = 0;          // target and draft probability (after the sampler chain)
    Status status = Unchecked;
};

struct SpeculativeRoundData {
    QVector<SpeculativeDraftToken> draft;
    QString next;                 // the resampled token, or the bonus token
    bool bonus = false;
};

struct SpeculativeRunData {
    QString prompt;
    int gamma = 0;
    QVector<SpeculativeRoundData> rounds;
    int tokens = 0, targetCalls = 0, draftCalls = 0;
    double acceptance = 0;        // accepted / examined drafts
    double expectedAcceptance = 0;   // mean of Σ min(p, q) over the examined positions
};

struct SpeculativeSpeedPoint {
    int gamma = 0;
    double acceptance = 0;        // α measured (mean Σ min(p, q))
    double tokensPerCall = 0;     // measured = the speedup in target calls over plain AR
    double theory = 0;            // (1 − α^(γ+1)) / (1 − α)
    double speedupWall = 0;       // plain AR seconds / speculative seconds, timed in pairs: the median pair
    double seconds = 0;           // speculative wall time
    double wallLow = 0, wallHigh = 0;   // the lowest and highest pair (the spread the machine's load makes)
};

class SpeculativeView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    ExportTable exportTable() const override;   // the rounds, then the speedup per γ
    explicit SpeculativeView(QWidget* parent = nullptr);

    int gamma() const;
    quint64 seed() const;
    int steps() const;
    QString prompt() const;
    void setPrompt(const QString& text);          // does not emit
    void setRun(const SpeculativeRunData& run);
    void clearRun(const QString& reason);
    void setSpeedup(const QVector<SpeculativeSpeedPoint>& points, double arSeconds, int tokens);
    void setSpeedupStatus(const QString& text);
    void setStatus(const QString& text, bool error);

    const SpeculativeRunData& run() const { return m_run; }
    const QVector<SpeculativeSpeedPoint>& speedup() const { return m_speed; }
    QString summary() const;
    QString speedupSummary() const;
    QString statusText() const;
    QCustomPlot* plot() const { return m_plot; }
    QSpinBox* gammaBox() const { return m_gamma; }
    QString roundText(int round) const;           // "the+ cat+ sees-(p 0.05 q 0.41) dog~ -> runs" (tests)

signals:
    void runRequested();        // γ, seed, steps or prompt changed, or "Sample again"
    void measureRequested();

private:
    SpeculativeRunData m_run;
    QVector<SpeculativeSpeedPoint> m_speed;
    QSpinBox* m_gamma;
    QSpinBox* m_seed;
    QSpinBox* m_steps;
    QLineEdit* m_prompt;
    QPushButton* m_measure;
    QLabel* m_status;
    QLabel* m_summary;
    QWidget* m_canvas;
    QScrollArea* m_scroll;
    QCustomPlot* m_plot;
    QLabel* m_legend;
    QLabel* m_speedSummary;
    friend class SpeculativeCanvas;
};

}  // namespace arlab
