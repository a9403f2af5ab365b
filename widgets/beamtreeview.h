#pragma once
// BeamTreeView: draws a beam search tree (ar::BeamTree) left to right, one column per step.
//
// Every expanded candidate is a node: its token and its score. Alive nodes are blue with a solid border,
// pruned ones grey with a dashed border and grey text, finished ones green with a double-weight border; the
// best final hypothesis' path is drawn in gold. A legend sits in the bottom-left corner.
// Click a node to select it (its path from the root turns blue; nodeSelected(id) is emitted).
// Zoom: mouse wheel, Ctrl+= / Ctrl+-, Ctrl+0 fits the whole tree (the default, until the user zooms): as large as
// the view allows, but never below a zoom where the text (pruned nodes' included) is readable next to the window's
// text, so presentation mode's larger fonts enlarge the tree too. A larger tree then scrolls, with the best
// hypothesis' path from the root in sight (while searching: the best-ranked newest node's). Pan: drag. Nodes never
// overlap (each owns a band of rows).
//
// Layout happens once per setTree() (O(nodes)); items are kept and reused when the tree grows, so stepping
// a round only adds the new nodes' items. Edges are three path items (one per status), not one per edge.
#include "widgets/exportable.h"
#include "core/decoding/beamsearch.h"

#include <QGraphicsView>
#include <QString>
#include <vector>

class QGraphicsPathItem;
class QGraphicsSimpleTextItem;

namespace arlab {

class BeamNodeItem;

class BeamTreeView : public QGraphicsView, public ExportableView {
    Q_OBJECT
public:
    ExportTable exportTable() const override;   // the numbers behind the view, for CSV (widgets/exporttables.cpp)
    explicit BeamTreeView(QWidget* parent = nullptr);
    ~BeamTreeView() override;

    // vocab[id] = how token id is shown; rootLabel = the prompt. bestNode = the best finished node (-1: none).
    void setTree(const ar::BeamTree& tree, const std::vector<QString>& vocab, const QString& rootLabel, int bestNode);
    void clear();

    const ar::BeamTree& tree() const { return m_tree; }
    int nodeCount() const { return int(m_tree.nodes.size()); }
    int bestNode() const { return m_best; }
    int selectedNode() const { return m_selected; }
    QString tokenLabel(int node) const;  // the label a node shows ("<prompt>" for the root)
    // Centre of a node's box in scene coordinates (for tests and the side panel).
    QPointF nodeCenter(int node) const;
    // A node's box in scene coordinates.
    QRectF nodeRect(int node) const;
    // The zoom the fitted tree never goes below (its text readable next to the window's text), and the pixel
    // heights at zoom 1 of a node's token text and of the smallest text (scores, pruned nodes).
    double minReadableZoom() const;
    static double tokenTextPixels();
    static double smallTextPixels();
    // The node whose path from the root a scrolling fitted view keeps in sight (see fitAll()).
    int focusNode() const;
    // Where the legend is drawn (viewport coordinates, bottom-left corner).
    QRect legendRect() const;
    // The node at a viewport position, or -1.
    int nodeAt(const QPoint& viewportPos) const;

    // Status colours (the legend and the tests use the same).
    static QColor fillColor(ar::BeamStatus s);
    static QColor borderColor(ar::BeamStatus s);
    static QColor bestColor() { return QColor(0xd9, 0x8c, 0x00); }
    static QColor selectionColor() { return QColor(0x1e, 0x6f, 0xd9); }

    double zoomFactor() const;

public slots:
    void selectNode(int node);  // -1 clears the selection
    void zoomIn();
    void zoomOut();
    void setZoom(double factor);  // absolute; stops fitting the tree automatically
    void fitAll();
    void scrollToNode(int node);

signals:
    void nodeSelected(int node);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void drawForeground(QPainter* painter, const QRectF& rect) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void layout();
    std::vector<char> pathTo(int node) const;
    void rebuildEdges();
    void scaleBy(double f);
    QFont legendFont() const;
    int legendRow() const;

    ar::BeamTree m_tree;
    std::vector<QString> m_vocab;
    QString m_rootLabel;
    int m_best = -1;
    int m_selected = -1;
    std::vector<char> m_onBest;                 // node is on the best hypothesis' path (root excluded)
    std::vector<QPointF> m_pos;                 // top-left of each node's box (scene)
    std::vector<BeamNodeItem*> m_items;         // one per node, reused while the tree grows
    QGraphicsPathItem* m_edges[3] = {nullptr, nullptr, nullptr};  // alive, pruned, finished
    QGraphicsPathItem* m_bestPath = nullptr;
    QGraphicsPathItem* m_selPath = nullptr;
    std::vector<QGraphicsSimpleTextItem*> m_stepLabels;
    QPoint m_pressPos;
    bool m_autoFit = true;   // fit the tree on every change until the user zooms
};

}  // namespace arlab
