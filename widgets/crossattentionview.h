#pragma once
// Cross-attention heatmap of a translator: one row per target word (top to bottom, in output order), one
// column per source word; cell = attention weight in [0, 1] (QCPColorMap, no interpolation, fixed scale).
// Optionally outlines the gold alignment (for sentences from the corpus). A view: plain setters, no model.
#include "widgets/exportable.h"
#include "core/tensor.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class QCustomPlot;
class QCPColorMap;

namespace arlab {

class CrossAttentionView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    ExportTable exportTable() const override;   // the numbers behind the view, for CSV (widgets/exporttables.cpp)
    explicit CrossAttentionView(QWidget* parent = nullptr);

    // attention: (target.size(), source.size()); rows may be fewer than planned target words.
    void setData(const QStringList& source, const QStringList& target, const ar::Mat& attention);
    // gold[t] = source indices of target word t (empty: none). Empty vector: no gold known.
    void setGold(const std::vector<std::vector<int>>& gold);
    void setShowGold(bool on);
    void clear();

    int rows() const { return int(m_attention.rows()); }
    int cols() const { return int(m_attention.cols()); }
    const ar::Mat& attention() const { return m_attention; }
    bool showGold() const { return m_showGold; }
    int goldOutlines() const { return m_goldOutlines; }  // rectangles drawn in the last rebuild
    QCustomPlot* plot() const { return m_plot; }
    QCPColorMap* colorMap() const { return m_map; }

private:
    void rebuild();

    QCustomPlot* m_plot;
    QCPColorMap* m_map = nullptr;
    QStringList m_source, m_target;
    ar::Mat m_attention;
    std::vector<std::vector<int>> m_gold;
    bool m_showGold = false;
    int m_goldOutlines = 0;
};

}  // namespace arlab
