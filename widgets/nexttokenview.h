#pragma once
// NextTokenView: one next-token distribution through the whole sampler pipeline, as bars (QCustomPlot).
//
//   [logits] -> [softmax] -> [temperature] -> [top-k] -> [top-p] -> ...     (one button per recorded stage)
//
// The x axis is fixed across stages: the 20 tokens the model finds most probable, plus "other" (the rest of
// the mass: 1 - the shown bars, exact since every stage's p are). On a filter stage the raw probabilities stay as grey ghost bars, so what the filter cut is
// visible. The chosen token's bar is orange. For the toy language the TRUE distribution is drawn as black
// outline bars and KL(true || model) is shown. Stages that are switched off are named after the buttons
// ("temperature (T = 1), top-k, top-p: off"), so the whole pipeline is always in view. Entropy (nats) and perplexity = exp(entropy) of the shown
// stage are printed. A view with plain setters.
#include "widgets/exportable.h"
#include "core/decoding/decodestep.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class QButtonGroup;
class QCustomPlot;
class QCPBars;
class QHBoxLayout;
class QLabel;

namespace arlab {

struct NextTokenData {
    QString title;                          // "Step 3: P(next | ... 'small cat')"
    std::vector<ar::SamplerStage> stages;   // stages.front() = raw; as recorded by the sampler chain (top 64 + a few each)
    QStringList vocab;                      // display text per token id
    int chosen = -1;                        // the token taken (-1: not yet)
    std::vector<double> truth;              // exact distribution over the vocabulary (empty: unknown)
    double kl = -1;                         // KL(truth || model) in nats (< 0: unknown)
    QStringList inactiveStages;             // pipeline stages switched off, e.g. "temperature (T = 1)", "top-k"
};

class NextTokenView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    ExportTable exportTable() const override;   // the numbers behind the view, for CSV (widgets/exporttables.cpp)
    static constexpr int kTopN = 20;
    explicit NextTokenView(QWidget* parent = nullptr);

    void setData(const NextTokenData& data);
    void clear(const QString& message);
    const NextTokenData& data() const { return m_data; }
    // View index: 0 = raw logits, 1 = softmax of the logits, 1 + s = stages[s] for s >= 1.
    int viewCount() const;
    int currentView() const { return m_view; }
    void setCurrentView(int index);
    QString viewName(int index) const;

    // What is drawn (for tests): token ids on the x axis (-1 = "other"), bar heights of the shown view.
    const std::vector<int>& shownTokens() const { return m_tokens; }
    const std::vector<double>& shownValues() const { return m_values; }
    double shownEntropy() const { return m_entropy; }   // nats
    QString summaryText() const;
    QString pipelineNote() const;                      // the "... : off" text after the stage buttons
    QCustomPlot* plot() const { return m_plot; }
    QSize sizeHint() const override { return {560, 380}; }

signals:
    void viewChanged(int index);

private:
    void rebuildStageButtons();
    void redraw();

    NextTokenData m_data;
    int m_view = 1;
    bool m_userPickedView = false;
    std::vector<int> m_tokens;
    std::vector<double> m_values;
    double m_entropy = 0;
    QLabel* m_title;
    QWidget* m_stageRow;
    QHBoxLayout* m_stageLayout;
    QButtonGroup* m_stageGroup;
    QCustomPlot* m_plot;
    QCPBars* m_ghost;
    QCPBars* m_bars;
    QCPBars* m_chosenBar;
    QCPBars* m_truthBars;
    QLabel* m_summary;
    QLabel* m_offStages = nullptr;
};

}  // namespace arlab
