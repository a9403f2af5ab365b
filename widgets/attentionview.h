#pragma once
// AttentionView: causal self-attention as a heatmap, for contexts of up to ~1024 tokens.
// One head (QCPColorMap, interpolation off, every weight at full resolution): rows = queries (the token doing
// the looking), columns = keys (the tokens looked at), token labels on both axes (thinned to what fits), colour
// scale fixed to [0, 1]. Cells above the diagonal are the future: masked, drawn hatched (they are not zeros, they
// do not exist for that query). Long contexts scroll and zoom: wheel = scroll the queries, Shift+wheel = the keys,
// Ctrl+wheel or +/- = zoom at the mouse / centre, 0 = the whole matrix, drag = pan.
// "All heads" shows every layer (rows) × head (columns) as an AttentionGrid (max-pooled small maps, drawn
// lazily, updated row by row); click a small map to open it. Hover anywhere: the exact weight and both tokens,
// e.g. "query 'cat' (5) → key 'the' (2): 0.734215". A view with plain setters.
#include "widgets/attentiongrid.h"
#include "widgets/exportable.h"

#include <QStringList>
#include <QWidget>

#include <span>
#include <vector>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QCPColorMap;
class QLabel;
class QMouseEvent;
class QScrollArea;
class QStackedWidget;
class QWheelEvent;

namespace arlab {

class AttentionView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    ExportTable exportTable() const override;   // the numbers behind the view, for CSV (widgets/exporttables.cpp)
    explicit AttentionView(QWidget* parent = nullptr);

    // rows[q][layer] = (H, q + 1), q = 0..T-1 (DecodingSession::attentionRows() of the tokens fed); tokens: T labels.
    // `unchanged`: rows[0, unchanged) are those of the previous call (a KV cache never changes an earlier row, so
    // after a step the caller passes T - 1): only the rest is copied, and the grid pools only those rows.
    void setAttention(std::span<const std::vector<ar::Mat>> rows, const QStringList& tokens, int unchanged = 0);
    void clear(const QString& message);
    int layerCount() const { return m_rows.empty() ? 0 : int(m_rows.front().size()); }
    int headCount() const { return layerCount() == 0 ? 0 : int(m_rows.front().front().rows()); }
    int tokenCount() const { return int(m_rows.size()); }
    float weight(int layer, int head, int query, int key) const;   // key <= query
    int layer() const { return m_layer; }
    int head() const { return m_head; }
    bool allHeads() const { return m_allHeads; }
    void setSelection(int layer, int head);
    void setAllHeads(bool on);

    // The single head's visible window, in token positions (zoom and scroll).
    void setVisibleTokens(double keyLower, double keyUpper, double queryLower, double queryUpper);
    void zoom(double factor);                 // > 1 zooms in, around the centre
    void zoomAt(double factor, QPointF at);   // around `at` (key, query), which stays in place
    void showWholeMatrix();
    QRectF visibleTokens() const;             // x = keys, y = queries

    // For tests: the single-head colour map (nullptr in the grid), the grid, and the text shown when hovering the
    // cell (query, key).
    QCPColorMap* colorMap() const { return m_single; }
    AttentionGrid* grid() const { return m_grid; }
    QScrollArea* gridArea() const { return m_gridArea; }
    QString cellText(int query, int key) const;
    QString cellText(int layer, int head, int query, int key) const;
    QString hoverText() const;
    QCustomPlot* plot() const { return m_plot; }
    QSize sizeHint() const override { return {560, 520}; }

signals:
    void selectionChanged(int layer, int head);

protected:
    void keyPressEvent(QKeyEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    bool eventFilter(QObject* watched, QEvent* e) override;

private:
    void rebuild();
    void rebuildSingle();
    void onMouseMove(QMouseEvent* e);
    void onWheel(QWheelEvent* e);
    void onGridHover(int layer, int head, int query, int key);
    void showHover(const QString& text, QPoint global, QWidget* over);
    int gridWidth() const;

    AttentionRows m_rows;
    QStringList m_tokens;
    int m_layer = 0, m_head = 0;
    bool m_allHeads = false;
    bool m_singleStale = true;     // the single map was not rebuilt since the data or the selection changed
    bool m_zoomed = false;         // the user zoomed or scrolled: keep the window across steps
    QComboBox* m_layerBox;
    QComboBox* m_headBox;
    QCheckBox* m_allBox;
    QStackedWidget* m_stack;
    QCustomPlot* m_plot;
    QCPColorMap* m_single = nullptr;
    QScrollArea* m_gridArea;
    AttentionGrid* m_grid;
    QLabel* m_legend;
    QLabel* m_hover;
};

}  // namespace arlab
