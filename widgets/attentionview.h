#pragma once
// AttentionView: causal self-attention as a heatmap (QCPColorMap, interpolation off).
// Rows = queries (the token doing the looking), columns = keys (the tokens looked at), token labels on
// both axes, colour scale fixed to [0, 1]. Cells above the diagonal are the future: masked, drawn hatched
// (they are not zeros, they do not exist for that query). Layer and head selectors; "All heads" shows a
// grid of every layer (rows) x head (columns) — click a small map to open it. Hover: a cell's meaning,
// e.g. "query 'cat' (5) → key 'the' (2): 0.734". A view with plain setters.
#include "widgets/exportable.h"
#include "core/tensor.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QCPColorMap;
class QCPAxisRect;
class QLabel;
class QMouseEvent;

namespace arlab {

class AttentionView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    ExportTable exportTable() const override;   // the numbers behind the view, for CSV (widgets/exporttables.cpp)
    explicit AttentionView(QWidget* parent = nullptr);

    // maps[layer][head] = (T, T) row-stochastic lower-triangular matrix (row = query); tokens: T labels.
    void setAttention(const std::vector<std::vector<ar::Mat>>& maps, const QStringList& tokens);
    void clear(const QString& message);
    int layerCount() const { return int(m_maps.size()); }
    int headCount() const { return m_maps.empty() ? 0 : int(m_maps.front().size()); }
    int layer() const { return m_layer; }
    int head() const { return m_head; }
    bool allHeads() const { return m_allHeads; }
    void setSelection(int layer, int head);
    void setAllHeads(bool on);

    // For tests: the single-head colour map (nullptr in the grid), and the text shown when hovering the cell
    // (query, key).
    QCPColorMap* colorMap() const { return m_single; }
    QString cellText(int query, int key) const;
    QString cellText(int layer, int head, int query, int key) const;
    QString hoverText() const;
    QCustomPlot* plot() const { return m_plot; }
    QSize sizeHint() const override { return {560, 520}; }

signals:
    void selectionChanged(int layer, int head);

private:
    void rebuild();
    void onMouseMove(QMouseEvent* e);
    void onMousePress(QMouseEvent* e);
    QCPColorMap* addMap(QCPAxisRect* rect, const ar::Mat& m, bool labels);

    std::vector<std::vector<ar::Mat>> m_maps;
    QStringList m_tokens;
    int m_layer = 0, m_head = 0;
    bool m_allHeads = false;
    QComboBox* m_layerBox;
    QComboBox* m_headBox;
    QCheckBox* m_allBox;
    QCustomPlot* m_plot;
    QCPColorMap* m_single = nullptr;
    std::vector<std::pair<QCPColorMap*, std::pair<int, int>>> m_gridMaps;  // map -> (layer, head)
    QLabel* m_hover;
};

}  // namespace arlab
