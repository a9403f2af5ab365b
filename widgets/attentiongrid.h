#pragma once
// AttentionGrid: every layer (rows) × head (columns) of a causal self-attention at once, for contexts of up to
// ~1024 tokens (144 maps for GPT-2 small). Each map is drawn as a small image, reduced to the cell's size by
// MAX-POOLING: one image pixel covers s × s (query, key) cells (s a power of two, 1 while the tokens fit) and
// shows the largest weight among the cells it covers that the query may see, so one sharp weight on a single
// key stays visible however far the map is reduced. Pixels wholly in the future (above the diagonal) are
// transparent over a hatched background: the causal mask, not zeros.
//
// Lazy and incremental. A map's image is made only when its cell is painted (visible in the scroll area), and
// kept; when rows are appended (a decoding step) only the new rows are pooled into it. Rows that are taken
// away (Back) un-pool only their partial bin row. When the context outgrows the image, 2 × 2 pixels are merged
// into one (the max of maxes is the max), so no row is read twice.
//
// Legend: L layers, H heads, T tokens (queries = keys), s tokens per pixel side, B pixels per map side.
#include "core/tensor.h"

#include <QImage>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <vector>

namespace arlab {

// rows[q][layer] = (H, q + 1): the attention of query q over keys 0..q, per head (DecodingSession::attentionRows()).
using AttentionRows = std::vector<std::vector<ar::Mat>>;

class AttentionGrid : public QWidget {
    Q_OBJECT
public:
    explicit AttentionGrid(QWidget* parent = nullptr);

    // `rows` is not copied: the owner (AttentionView) keeps it alive and calls rowsChanged() after changing it.
    void setSource(const AttentionRows* rows, const QStringList* tokens);
    // rows[0, unchanged) are as before; the rest is new (appended, or replaced after a Back).
    void rowsChanged(int unchanged);
    // Lays the cells out for a viewport `width` pixels wide (the scroll area calls it on resize).
    void setViewportWidth(int width);

    int layerCount() const;
    int headCount() const;
    int tokenCount() const { return m_rows ? int(m_rows->size()) : 0; }
    int cellSize() const { return m_cell; }                // B: pixels per map side
    QRect cellRect(int layer, int head) const;             // in this widget's coordinates
    // The (layer, head, query, key) under a point (false outside every map).
    bool cellAt(QPoint p, int* layer, int* head, int* query, int* key) const;
    QPoint pointOf(int layer, int head, int query, int key) const;   // the centre of that token cell

    // The pooled image as drawn: s, and pixel (bq, bk) = max over queries [bq*s, bq*s+s) and keys
    // [bk*s, bk*s+s), k <= q (NaN: no visible cell). For tests and the hover text.
    int tokensPerPixel(int layer, int head) const;          // s (0: not rendered yet)
    float pooled(int layer, int head, int bq, int bk) const;
    QImage image(int layer, int head) const;                // B × B, pixels beyond T/s transparent

    // Test hooks: how many maps hold an image, and how many query rows were pooled into one map in all (a
    // decoding step adds exactly 1 to each rendered map; a map that is never painted stays at 0).
    int renderedCount() const;
    bool rendered(int layer, int head) const;
    int pooledRows(int layer, int head) const;

    // s for `tokens` tokens in a map of `cell` pixels: the smallest power of two with ceil(tokens / s) <= cell.
    static int tokensPerPixelFor(int tokens, int cell);

    static constexpr int kMinCell = 40, kMaxCell = 160, kGap = 6, kLeft = 30, kTop = 18;

signals:
    void hovered(int layer, int head, int query, int key);   // query = -1: outside every map
    void clicked(int layer, int head);

protected:
    void paintEvent(QPaintEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void leaveEvent(QEvent* e) override;

private:
    struct Pool {
        int s = 0;                  // tokens per pixel side (0: nothing yet)
        int rows = 0;               // query rows pooled
        int pooledTotal = 0;        // test hook
        std::vector<float> max;     // (B, B) row-major, NaN = nothing visible
        QImage image;               // (B, B) ARGB32
    };
    Pool& pool(int layer, int head) { return m_pools[size_t(layer * headCount() + head)]; }
    const Pool* poolIf(int layer, int head) const;
    void bringUpToDate(int layer, int head);
    void resetPools();
    void relayout();

    const AttentionRows* m_rows = nullptr;
    const QStringList* m_tokens = nullptr;
    std::vector<Pool> m_pools;      // [layer * H + head]
    int m_cell = 80;                // B
    int m_viewportWidth = 600;
};

}  // namespace arlab
