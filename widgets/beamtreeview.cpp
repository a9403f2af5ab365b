#include "widgets/beamtreeview.h"

#include "widgets/fonts.h"

#include <QFontInfo>
#include <QFontMetrics>
#include <QGraphicsItem>
#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QStyleOptionGraphicsItem>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace arlab {

namespace {
constexpr double kNodeW = 104;
constexpr double kNodeH = 36;
constexpr double kColumn = 136;  // x distance between steps
constexpr double kSmallH = 18;   // pruned nodes are drawn smaller: one line, less room
constexpr double kRow = 40;      // vertical room of a leaf
constexpr double kSmallRow = 20; // vertical room of a pruned leaf (most leaves are pruned: keep them tight)
double nodeHeight(ar::BeamStatus s, bool root) { return s == ar::BeamStatus::Pruned && !root ? kSmallH : kNodeH; }
constexpr double kMaxFitZoom = 1.5;     // a small tree is drawn larger, up to this
constexpr double kReadable = 0.8;       // the fitted tree's token text is at least this x the window's text,
constexpr double kReadableSmall = 0.7;  // and its smallest text (scores, pruned nodes) at least this
}  // namespace

// One node's box: token on the first line, score on the second (pruned: one smaller line). Painted from
// strings and fonts prepared in set(); nothing is measured while painting.
class BeamNodeItem : public QGraphicsItem {
public:
    BeamNodeItem() {
        // No item cache: creating a pixmap per node made the first paint of a 1000-node tree ~10x slower.
        setAcceptedMouseButtons(Qt::NoButton);  // the view handles clicks (cheaper than item hit tests)
    }
    QRectF boundingRect() const override { return QRectF(-3, -3, kNodeW + 6, height() + 6); }
    double height() const { return nodeHeight(m_status, m_root); }
    void set(const QString& token, const QString& score, ar::BeamStatus status, bool root, bool best, bool selected) {
        if (token == m_token && score == m_score && status == m_status && root == m_root && best == m_best && selected == m_selected)
            return;
        if (nodeHeight(status, root) != height()) prepareGeometryChange();
        m_token = token;
        m_score = score;
        // Elided once here, not on every paint (the fonts are fixed: see fonts()).
        const Fonts& f = fonts();
        m_label = nodeHeight(status, root) < kNodeH
                      ? QFontMetrics(f.pruned).elidedText(token, Qt::ElideRight, int(kNodeW * 0.55))
                      : QFontMetrics(root ? f.small : best || status == ar::BeamStatus::Finished ? f.bold : f.normal)
                            .elidedText(token, Qt::ElideRight, int(kNodeW - 10));  // root: the prompt, smaller
        m_status = status;
        m_root = root;
        m_best = best;
        m_selected = selected;
        update();
    }
    void paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*) override {
        // Far zoomed out, text would be a few pixels of noise: draw the boxes only (and much faster).
        const bool detailed = option->levelOfDetailFromTransform(p->worldTransform()) >= 0.3;
        p->setRenderHint(QPainter::Antialiasing, detailed);
        const QRectF r(0, 0, kNodeW, height());
        QColor fill = m_root ? QColor(0xee, 0xee, 0xf4) : BeamTreeView::fillColor(m_status);
        QPen pen(m_root ? QColor(0x55, 0x55, 0x66) : BeamTreeView::borderColor(m_status), 1.5);
        if (m_status == ar::BeamStatus::Pruned && !m_root) pen.setStyle(Qt::DashLine);
        if (m_status == ar::BeamStatus::Finished) pen.setWidthF(3.0);
        if (m_best) {
            pen = QPen(BeamTreeView::bestColor(), 3.5);
            fill = QColor(0xff, 0xf1, 0xc9);
        }
        if (m_selected) pen = QPen(BeamTreeView::selectionColor(), 3.5);
        p->setPen(pen);
        p->setBrush(fill);
        p->drawRoundedRect(r, 7, 7);
        if (!detailed) return;
        const Fonts& f = fonts();
        const QColor text = m_status == ar::BeamStatus::Pruned && !m_root ? QColor(0x80, 0x80, 0x80) : QColor(0x10, 0x10, 0x20);
        p->setPen(text);
        if (height() < kNodeH) {  // pruned: "token  score" on one line
            p->setFont(f.pruned);
            p->drawText(r.adjusted(5, 0, -5, 0), Qt::AlignVCenter | Qt::AlignLeft, m_label);
            p->drawText(r.adjusted(5, 0, -5, 0), Qt::AlignVCenter | Qt::AlignRight, m_score);
            return;
        }
        p->setFont(m_root ? f.small : m_best || m_status == ar::BeamStatus::Finished ? f.bold : f.normal);
        p->drawText(QRectF(4, 1, kNodeW - 8, kNodeH / 2), Qt::AlignCenter, m_label);
        p->setFont(f.small);
        p->drawText(QRectF(4, kNodeH / 2 - 2, kNodeW - 8, kNodeH / 2), Qt::AlignCenter, m_score);
    }

    static QFont tokenFont() { return fonts().normal; }
    static QFont scoreFont() { return fonts().small; }
    static QFont prunedFont() { return fonts().pruned; }

private:
    struct Fonts {
        QFont normal, bold, small, pruned;  // token, token of a finished / best node, score, pruned node
    };
    static const Fonts& fonts() {
        static const Fonts f = [] {
            Fonts x;
            x.normal.setPointSizeF(12.0);  // large: the fitted tree is often drawn at about half size
            x.bold = x.normal;
            x.bold.setBold(true);
            x.small.setPointSizeF(10.0);
            x.pruned = x.small;   // pruned nodes: as large as the scores (the readable zoom keeps both legible)
            return x;
        }();
        return f;
    }
    QString m_token, m_score, m_label;  // m_label: the token elided to fit the box
    ar::BeamStatus m_status = ar::BeamStatus::Alive;
    bool m_root = false, m_best = false, m_selected = false;
};

QColor BeamTreeView::fillColor(ar::BeamStatus s) {
    switch (s) {
    case ar::BeamStatus::Alive: return QColor(0xd6, 0xe6, 0xff);
    case ar::BeamStatus::Pruned: return QColor(0xf2, 0xf2, 0xf2);
    case ar::BeamStatus::Finished: return QColor(0xcf, 0xf0, 0xd2);
    }
    return Qt::white;
}

QColor BeamTreeView::borderColor(ar::BeamStatus s) {
    switch (s) {
    case ar::BeamStatus::Alive: return QColor(0x2f, 0x5d, 0xa8);
    case ar::BeamStatus::Pruned: return QColor(0xa8, 0xa8, 0xa8);
    case ar::BeamStatus::Finished: return QColor(0x1f, 0x8a, 0x3b);
    }
    return Qt::black;
}

BeamTreeView::BeamTreeView(QWidget* parent) : QGraphicsView(parent) {
    setScene(new QGraphicsScene(this));
    scene()->setItemIndexMethod(QGraphicsScene::NoIndex);  // we find nodes ourselves; no BSP rebuilds
    setRenderHint(QPainter::Antialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setBackgroundBrush(Qt::white);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(200, 150);
    const ar::BeamStatus order[3] = {ar::BeamStatus::Alive, ar::BeamStatus::Pruned, ar::BeamStatus::Finished};
    for (int i = 0; i < 3; ++i) {
        m_edges[i] = scene()->addPath(QPainterPath());
        QPen pen(borderColor(order[i]), i == 2 ? 2.0 : 1.4);
        if (order[i] == ar::BeamStatus::Pruned) pen.setStyle(Qt::DashLine);
        m_edges[i]->setPen(pen);
        m_edges[i]->setZValue(-2);
    }
    m_bestPath = scene()->addPath(QPainterPath(), QPen(bestColor(), 4.0, Qt::SolidLine, Qt::RoundCap));
    m_bestPath->setZValue(-1);
    m_selPath = scene()->addPath(QPainterPath(), QPen(selectionColor(), 4.0, Qt::SolidLine, Qt::RoundCap));
    m_selPath->setZValue(-0.5);
    setToolTip(tr("Beam search tree: one column per step. Click a node for its prefix and candidates.\n"
                  "Wheel or Ctrl+= / Ctrl+- to zoom, Ctrl+0 to fit, drag to pan."));
}

BeamTreeView::~BeamTreeView() = default;

QString BeamTreeView::tokenLabel(int node) const {
    if (node < 0 || node >= nodeCount()) return {};
    if (node == 0) return m_rootLabel.isEmpty() ? tr("<start>") : m_rootLabel;
    const int t = m_tree.nodes[size_t(node)].token;
    return t >= 0 && t < int(m_vocab.size()) ? m_vocab[size_t(t)] : QString::number(t);
}

void BeamTreeView::clear() { setTree(ar::BeamTree{}, m_vocab, QString(), -1); }

void BeamTreeView::setTree(const ar::BeamTree& tree, const std::vector<QString>& vocab, const QString& rootLabel, int bestNode) {
    const bool grew = tree.nodes.size() > m_tree.nodes.size();
    m_tree = tree;
    m_vocab = vocab;
    m_rootLabel = rootLabel;
    m_best = bestNode >= 0 && bestNode < int(tree.nodes.size()) ? bestNode : -1;
    if (m_selected >= int(tree.nodes.size())) m_selected = -1;
    // Items: reuse, add the new ones, drop the extra ones.
    while (m_items.size() > m_tree.nodes.size()) {
        delete m_items.back();
        m_items.pop_back();
    }
    while (m_items.size() < m_tree.nodes.size()) {
        auto* item = new BeamNodeItem;
        scene()->addItem(item);
        m_items.push_back(item);
    }
    layout();
    rebuildEdges();
    scene()->setSceneRect(scene()->itemsBoundingRect().adjusted(-40, -50, 40, 40));
    if (m_autoFit) {
        fitAll();
    } else if (grew && !m_tree.rounds.empty()) {
        // Keep the newest round in sight.
        const auto& last = m_tree.rounds.back();
        if (!last.empty()) ensureVisible(QRectF(nodeCenter(last.front()), QSizeF(1, 1)), 60, 60);
    }
    viewport()->update();
}

// Each node owns a horizontal band: its own row (a leaf's box plus a gap) or, if larger, its children's bands
// stacked; bands of one column never overlap, so neither do the boxes, whatever mix of tall (alive, finished) and
// short (pruned) nodes is stacked. Children are stacked best first: the child on the path to focusNode() (the best
// hypothesis), then by rank. A node sits at the middle of its band, except on the focus path, which is one straight
// row at the top of the tree (each of its nodes level with the next): in sight whenever the top of the tree is.
// Children always have larger ids than their parent.
void BeamTreeView::layout() {
    const size_t n = m_tree.nodes.size();
    m_pos.assign(n, QPointF());
    if (n == 0) return;
    const std::vector<char> onFocus = pathTo(focusNode());
    std::vector<double> y(n, 0.0), band(n, 0.0), kidsBand(n, 0.0), own(n, 0.0);
    std::vector<std::vector<int>> kids(n);
    for (size_t i = 0; i < n; ++i) {
        kids[i] = m_tree.nodes[i].children;
        std::sort(kids[i].begin(), kids[i].end(), [&](int a, int b) {
            const auto& x = m_tree.nodes[size_t(a)];
            const auto& z = m_tree.nodes[size_t(b)];
            if (onFocus[size_t(a)] != onFocus[size_t(b)]) return onFocus[size_t(a)] > onFocus[size_t(b)];
            return x.rank != z.rank ? x.rank < z.rank : a < b;
        });
    }
    for (size_t i = n; i-- > 0;) {   // children first (larger ids)
        for (int k : kids[i]) kidsBand[i] += band[size_t(k)];
        own[i] = m_tree.nodes[i].status == ar::BeamStatus::Pruned && i != 0 ? kSmallRow : kRow;
        band[i] = std::max(own[i], kidsBand[i]);
    }
    std::vector<double> bandTop(n, 0.0);
    for (size_t i = 0; i < n; ++i) {   // parents first
        double t = bandTop[i] + (band[i] - kidsBand[i]) / 2;
        for (int k : kids[i]) {
            bandTop[size_t(k)] = t;
            t += band[size_t(k)];
        }
    }
    for (size_t i = n; i-- > 0;) {   // children first: the focus path level with its end, the rest centred in its band
        const double lo = bandTop[i] + own[i] / 2, hi = bandTop[i] + band[i] - own[i] / 2;
        const bool onPath = (onFocus[i] || i == 0) && !kids[i].empty() && onFocus[size_t(kids[i].front())];
        y[i] = onPath ? std::clamp(y[size_t(kids[i].front())], lo, hi) : bandTop[i] + band[i] / 2;
    }

    m_onBest = pathTo(m_best);
    int maxStep = 0;
    for (size_t i = 0; i < n; ++i) {
        const auto& node = m_tree.nodes[i];
        maxStep = std::max(maxStep, node.step);
        m_pos[i] = QPointF(node.step * kColumn, y[i]);  // left end, vertical centre
        m_items[i]->setPos(m_pos[i] - QPointF(0, nodeHeight(node.status, i == 0) / 2));
        const bool best = m_onBest[i];
        const QString score = i == 0 ? tr("score") : QString::number(node.score, 'f', 2);
        m_items[i]->set(tokenLabel(int(i)), score, node.status, i == 0, best, int(i) == m_selected);
    }
    // Step labels above the columns.
    while (int(m_stepLabels.size()) > maxStep + 1) {
        delete m_stepLabels.back();
        m_stepLabels.pop_back();
    }
    double top = 0;
    for (double v : y) top = std::min(top, v);
    for (int s = 0; s <= maxStep; ++s) {
        if (s >= int(m_stepLabels.size())) {
            auto* t = scene()->addSimpleText(QString());
            t->setFont(BeamNodeItem::scoreFont());   // (scene text: the zoom sizes it, as the nodes')
            t->setBrush(QColor(0x70, 0x70, 0x80));
            m_stepLabels.push_back(t);
        }
        m_stepLabels[size_t(s)]->setText(s == 0 ? tr("prompt") : tr("step %1").arg(s));
        m_stepLabels[size_t(s)]->setPos(s * kColumn + 4, top - 28);
    }
}

void BeamTreeView::rebuildEdges() {
    QPainterPath paths[3];
    auto edge = [&](QPainterPath& p, int child) {
        const int parent = m_tree.nodes[size_t(child)].parent;
        const QPointF a = m_pos[size_t(parent)] + QPointF(kNodeW, 0);
        const QPointF b = m_pos[size_t(child)];
        const double mx = 0.5 * (a.x() + b.x());
        p.moveTo(a);
        p.cubicTo(QPointF(mx, a.y()), QPointF(mx, b.y()), b);
    };
    for (size_t i = 1; i < m_tree.nodes.size(); ++i) edge(paths[int(m_tree.nodes[i].status)], int(i));
    for (int i = 0; i < 3; ++i) m_edges[i]->setPath(paths[i]);
    QPainterPath best, sel;
    for (int k = m_best; k > 0; k = m_tree.nodes[size_t(k)].parent) edge(best, k);
    for (int k = m_selected; k > 0; k = m_tree.nodes[size_t(k)].parent) edge(sel, k);
    m_bestPath->setPath(best);
    m_selPath->setPath(sel);
}

QPointF BeamTreeView::nodeCenter(int node) const {
    if (node < 0 || node >= int(m_pos.size())) return {};
    return m_pos[size_t(node)] + QPointF(kNodeW / 2, 0);
}

int BeamTreeView::nodeAt(const QPoint& viewportPos) const {
    const QPointF s = mapToScene(viewportPos);
    for (int i = 0; i < int(m_pos.size()); ++i)
        if (nodeRect(i).contains(s)) return i;
    return -1;
}

void BeamTreeView::selectNode(int node) {
    if (node >= nodeCount()) node = -1;
    if (node == m_selected) return;
    const int old = m_selected;
    m_selected = node;
    for (int k : {old, node})
        if (k >= 0) {
            const auto& n = m_tree.nodes[size_t(k)];
            const bool best = m_onBest[size_t(k)];
            m_items[size_t(k)]->set(tokenLabel(k), k == 0 ? tr("score") : QString::number(n.score, 'f', 2), n.status,
                                    k == 0, best, k == m_selected);
        }
    rebuildEdges();
    emit nodeSelected(node);
}

void BeamTreeView::scrollToNode(int node) {
    if (node >= 0 && node < nodeCount()) centerOn(nodeCenter(node));
}

double BeamTreeView::zoomFactor() const { return transform().m11(); }

void BeamTreeView::scaleBy(double f) {
    const double z = zoomFactor() * f;
    if (z < 0.05 || z > 8) return;
    scale(f, f);
}

void BeamTreeView::zoomIn() {
    m_autoFit = false;
    scaleBy(1.25);
}

void BeamTreeView::setZoom(double factor) {
    m_autoFit = false;
    setTransform(QTransform::fromScale(factor, factor));
}

void BeamTreeView::zoomOut() {
    m_autoFit = false;
    scaleBy(0.8);
}

QRectF BeamTreeView::nodeRect(int node) const {
    if (node < 0 || node >= int(m_pos.size())) return {};
    const double h = nodeHeight(m_tree.nodes[size_t(node)].status, node == 0);
    return QRectF(m_pos[size_t(node)] - QPointF(0, h / 2), QSizeF(kNodeW, h));
}

// On-screen pixel heights of a node's token text and of its smallest text (scores, pruned nodes) at zoom 1 (the
// scene's fonts are fixed; the zoom sizes them).
double BeamTreeView::tokenTextPixels() { return QFontInfo(BeamNodeItem::tokenFont()).pixelSize(); }
double BeamTreeView::smallTextPixels() {
    return std::min(QFontInfo(BeamNodeItem::scoreFont()).pixelSize(), QFontInfo(BeamNodeItem::prunedFont()).pixelSize());
}

// The zoom below which the tree is not fitted: its token text then stays at least kReadable x the window's text
// and its smallest text kReadableSmall x (so presentation mode's larger fonts make the tree larger too).
double BeamTreeView::minReadableZoom() const {
    const double window = QFontInfo(font()).pixelSize();
    return std::max(kReadable * window / tokenTextPixels(), kReadableSmall * window / smallTextPixels());
}

// 1 for the nodes on the path from the root to `node` (the root excluded), 0 for the others.
std::vector<char> BeamTreeView::pathTo(int node) const {
    std::vector<char> on(m_tree.nodes.size(), 0);
    for (int k = node; k > 0; k = m_tree.nodes[size_t(k)].parent) on[size_t(k)] = 1;
    return on;
}

// The node whose path the fitted view keeps in sight: the best finished hypothesis, or while the search runs the
// best-ranked node of the newest round; -1 before the first round.
int BeamTreeView::focusNode() const {
    if (m_best > 0) return m_best;
    int focus = -1;
    if (!m_tree.rounds.empty())
        for (int id : m_tree.rounds.back())
            if (focus < 0 || m_tree.nodes[size_t(id)].rank < m_tree.nodes[size_t(focus)].rank) focus = id;
    return focus;
}

// Fits the whole tree into the view, larger for a small tree (up to kMaxFitZoom), but never below a readable
// zoom. A tree too large for that scrolls, showing its top, where the path from the root to focusNode() runs.
void BeamTreeView::fitAll() {
    m_autoFit = true;
    if (m_tree.nodes.empty()) return;
    const QRectF all = scene()->itemsBoundingRect().adjusted(-20, -40, 20, 20);
    const double fit = std::min(viewport()->width() / all.width(), viewport()->height() / all.height());
    const double readable = minReadableZoom();
    const double z = std::max(readable, std::min(fit, std::max(kMaxFitZoom, readable)));
    setTransform(QTransform::fromScale(z, z));
    centerOn(all.center());
    if (z <= fit) return;
    // The focus path is the tree's top row (see layout()): the top of the tree in sight, the step labels with it,
    // and the whole path from the root when it is not wider than the view, else its newest end.
    const int focus = focusNode();
    QRectF want = nodeRect(0);
    if (focus > 0) want |= nodeRect(focus);
    if (focus > 0 && want.width() * z > viewport()->width() - 40) want = nodeRect(focus);
    want.setTop(all.top());
    ensureVisible(want.adjusted(-20, 0, 20, 0), 0, 0);
}

void BeamTreeView::changeEvent(QEvent* event) {
    QGraphicsView::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        viewport()->update();   // the legend
        if (m_autoFit) fitAll();
    }
}

void BeamTreeView::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    if (m_autoFit) fitAll();
}

void BeamTreeView::wheelEvent(QWheelEvent* event) {
    const int d = event->angleDelta().y();
    if (d == 0) return QGraphicsView::wheelEvent(event);
    m_autoFit = false;
    scaleBy(std::pow(1.0015, d));
    event->accept();
}

void BeamTreeView::mousePressEvent(QMouseEvent* event) {
    m_pressPos = event->pos();
    QGraphicsView::mousePressEvent(event);
}

void BeamTreeView::mouseReleaseEvent(QMouseEvent* event) {
    QGraphicsView::mouseReleaseEvent(event);
    // A click (not a drag) on a node selects it.
    if (event->button() == Qt::LeftButton && (event->pos() - m_pressPos).manhattanLength() < 5) {
        const int n = nodeAt(event->pos());
        if (n >= 0) selectNode(n);
    }
}

void BeamTreeView::keyPressEvent(QKeyEvent* event) {
    if (event->modifiers() & Qt::ControlModifier) {
        if (event->key() == Qt::Key_Equal || event->key() == Qt::Key_Plus) return zoomIn();
        if (event->key() == Qt::Key_Minus) return zoomOut();
        if (event->key() == Qt::Key_0) return fitAll();
    }
    QGraphicsView::keyPressEvent(event);
}

namespace {
struct LegendEntry {
    QString text;
    QColor fill, border;
    Qt::PenStyle style;
    double width;
};
}  // namespace

static std::vector<LegendEntry> legendEntries() {
    return {{BeamTreeView::tr("alive (kept)"), BeamTreeView::fillColor(ar::BeamStatus::Alive), BeamTreeView::borderColor(ar::BeamStatus::Alive), Qt::SolidLine, 1.5},
            {BeamTreeView::tr("pruned"), BeamTreeView::fillColor(ar::BeamStatus::Pruned), BeamTreeView::borderColor(ar::BeamStatus::Pruned), Qt::DashLine, 1.5},
            {BeamTreeView::tr("finished"), BeamTreeView::fillColor(ar::BeamStatus::Finished), BeamTreeView::borderColor(ar::BeamStatus::Finished), Qt::SolidLine, 3.0},
            {BeamTreeView::tr("best hypothesis"), QColor(0xff, 0xf1, 0xc9), BeamTreeView::bestColor(), Qt::SolidLine, 3.0}};
}

QFont BeamTreeView::legendFont() const {
    return scaledFont(font(), 0.9);   // the window's text size (presentation mode enlarges it)
}

int BeamTreeView::legendRow() const { return std::max(20, QFontMetrics(legendFont()).height() + 4); }

QRect BeamTreeView::legendRect() const {
    const QFontMetrics fm(legendFont());
    int w = 0;
    for (const auto& e : legendEntries()) w = std::max(w, fm.horizontalAdvance(e.text));
    const int h = 4 * legendRow() + 10;
    return QRect(8, viewport()->height() - h - 8, w + 44, h);
}

void BeamTreeView::drawForeground(QPainter* p, const QRectF&) {
    // The legend, fixed in the viewport's bottom-left corner.
    p->save();
    p->resetTransform();
    p->setRenderHint(QPainter::Antialiasing);
    p->setFont(legendFont());
    const int row = legendRow();
    const QRectF box = legendRect();
    p->setPen(QColor(0xc8, 0xc8, 0xd0));
    p->setBrush(QColor(255, 255, 255, 230));
    p->drawRoundedRect(box, 5, 5);
    const std::vector<LegendEntry> entries = legendEntries();
    for (int i = 0; i < int(entries.size()); ++i) {
        const QRectF sw(box.left() + 8, box.top() + 8 + i * row, 22, row - 7);
        p->setPen(QPen(entries[size_t(i)].border, entries[size_t(i)].width, entries[size_t(i)].style));
        p->setBrush(entries[size_t(i)].fill);
        p->drawRoundedRect(sw, 3, 3);
        p->setPen(Qt::black);
        p->drawText(QRectF(sw.right() + 8, sw.top() - 3, box.width() - 38, sw.height() + 6), Qt::AlignLeft | Qt::AlignVCenter,
                    entries[size_t(i)].text);
    }
    p->restore();
}

}  // namespace arlab
