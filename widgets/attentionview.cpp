#include "widgets/attentionview.h"

#include "widgets/attentiongradient.h"
#include "widgets/fonts.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QStackedWidget>
#include <QToolTip>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <qcustomplot.h>

#include <cmath>
#include <limits>

namespace arlab {

namespace {

QBrush maskedBrush() { return QBrush(QColor(150, 150, 150), Qt::BDiagPattern); }

// Token labels on an axis, thinned to what fits: every 1, 2, 4, ... tokens (powers of two, so a label stays
// on its token while the view scrolls); thinned labels carry their position ("120:cat").
class TokenTicker : public QCPAxisTicker {
public:
    QStringList tokens;
    int maxLabels = 30;

protected:
    double getTickStep(const QCPRange& range) override {
        const double want = range.size() / std::max(1, maxLabels);
        double step = 1;
        while (step < want) step *= 2;
        m_step = step;
        return step;
    }
    int getSubTickCount(double) override { return 0; }
    QVector<double> createTickVector(double step, const QCPRange& range) override {
        QVector<double> ticks;
        for (double x = std::ceil(std::max(0.0, range.lower) / step) * step; x <= range.upper && x < tokens.size(); x += step) ticks << x;
        return ticks;
    }
    QString getTickLabel(double tick, const QLocale&, QChar, int) override {
        const int i = int(std::lround(tick));
        QString t = tokens.value(i, QString::number(i));
        if (t.size() > 12) t = t.left(11) + QChar(0x2026);
        return m_step > 1 ? QStringLiteral("%1:%2").arg(i).arg(t) : t;
    }

private:
    double m_step = 1;
};

// The exact weight, as the model computed it (a float: 6 significant digits).
QString weightText(float w) { return QString::number(double(w), 'g', 6); }

}  // namespace

AttentionView::AttentionView(QWidget* parent) : QWidget(parent) {
    setFocusPolicy(Qt::StrongFocus);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Layer"), this));
    m_layerBox = new QComboBox(this);
    m_layerBox->setToolTip(tr("Which Transformer block (layer) to show"));
    row->addWidget(m_layerBox);
    row->addWidget(new QLabel(tr("Head"), this));
    m_headBox = new QComboBox(this);
    m_headBox->setToolTip(tr("Which attention head of that layer to show"));
    row->addWidget(m_headBox);
    m_allBox = new QCheckBox(tr("All heads"), this);
    m_allBox->setToolTip(tr("Show every layer (rows) and head (columns) at once; click one to open it"));
    row->addWidget(m_allBox);
    row->addStretch(1);
    layout->addLayout(row);
    connect(m_layerBox, &QComboBox::activated, this, [this](int l) { setSelection(l, m_head); });
    connect(m_headBox, &QComboBox::activated, this, [this](int h) { setSelection(m_layer, h); });
    connect(m_allBox, &QCheckBox::toggled, this, &AttentionView::setAllHeads);

    m_stack = new QStackedWidget(this);
    m_plot = new QCustomPlot(m_stack);
    m_plot->setMinimumHeight(240);
    m_plot->setToolTip(QString());
    m_plot->setMouseTracking(true);
    m_plot->setInteraction(QCP::iRangeDrag, true);
    m_plot->setFocusPolicy(Qt::ClickFocus);
    connect(m_plot, &QCustomPlot::mouseMove, this, &AttentionView::onMouseMove);
    connect(m_plot, &QCustomPlot::mouseWheel, this, &AttentionView::onWheel);
    connect(m_plot, &QCustomPlot::beforeReplot, this, [this] {
        // As many token labels as fit the axes' lengths.
        if (!m_single) return;
        const int line = QFontMetrics(m_single->keyAxis()->tickLabelFont()).height() + 2;
        QCPAxisRect* rect = m_single->keyAxis()->axisRect();
        if (auto t = m_single->keyAxis()->ticker().dynamicCast<TokenTicker>()) t->maxLabels = std::max(2, rect->width() / line);
        if (auto t = m_single->valueAxis()->ticker().dynamicCast<TokenTicker>()) t->maxLabels = std::max(2, rect->height() / line);
    });
    m_stack->addWidget(m_plot);

    m_grid = new AttentionGrid;
    m_gridArea = new QScrollArea(m_stack);
    m_gridArea->setWidget(m_grid);
    m_gridArea->setWidgetResizable(false);
    m_gridArea->setBackgroundRole(QPalette::Base);
    m_gridArea->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);   // the cells' width does not depend on the height
    m_stack->installEventFilter(this);
    m_grid->setSource(&m_rows, &m_tokens);
    connect(m_grid, &AttentionGrid::hovered, this, &AttentionView::onGridHover);
    connect(m_grid, &AttentionGrid::clicked, this, [this](int l, int h) {
        setAllHeads(false);
        setSelection(l, h);
    });
    m_stack->addWidget(m_gridArea);
    layout->addWidget(m_stack, 1);

    m_legend = new QLabel(this);
    m_legend->setWordWrap(true);
    QPalette grey = m_legend->palette();   // (a palette, not a style sheet: the font follows presentation mode)
    grey.setColor(QPalette::WindowText, QColor(0x55, 0x55, 0x55));
    m_legend->setPalette(grey);
    layout->addWidget(m_legend);
    m_hover = new QLabel(this);
    m_hover->setWordWrap(true);   // (a long hover text at a projector's size wraps instead of widening the dock)
    m_hover->setToolTip(tr("Each row is a query (the token looking back); it spreads weight 1 over the keys up to "
                           "itself. Hatched cells are the future: the causal mask hides them"));
    layout->addWidget(m_hover);
    clear(tr("No attention (this model has none, or nothing is loaded)."));
}

void AttentionView::clear(const QString& message) {
    m_rows.clear();
    m_tokens.clear();
    m_layerBox->clear();
    m_headBox->clear();
    m_grid->setSource(&m_rows, &m_tokens);
    m_hover->setText(message);
    m_singleStale = true;
    m_zoomed = false;
    rebuild();
}

void AttentionView::setAttention(std::span<const std::vector<ar::Mat>> rows, const QStringList& tokens, int unchanged) {
    const int oldL = layerCount(), oldH = headCount();
    const size_t keep = size_t(std::clamp(unchanged, 0, std::min(int(m_rows.size()), int(rows.size()))));
    m_rows.resize(keep);
    m_rows.insert(m_rows.end(), rows.begin() + ptrdiff_t(keep), rows.end());
    m_tokens = tokens;
    if (layerCount() != oldL || headCount() != oldH) {
        m_layerBox->clear();
        m_headBox->clear();
        for (int l = 0; l < layerCount(); ++l) m_layerBox->addItem(tr("%1 of %2").arg(l + 1).arg(layerCount()));
        for (int h = 0; h < headCount(); ++h) m_headBox->addItem(tr("%1 of %2").arg(h + 1).arg(headCount()));
        m_layer = std::min(m_layer, std::max(0, layerCount() - 1));
        m_head = std::min(m_head, std::max(0, headCount() - 1));
        m_grid->setSource(&m_rows, &m_tokens);
    } else {
        m_grid->rowsChanged(int(keep));
    }
    m_layerBox->setCurrentIndex(m_layer);
    m_headBox->setCurrentIndex(m_head);
    if (m_rows.empty()) m_hover->setText(tr("No attention: this model has none."));
    else m_hover->setText(tr("Hover a cell: how much a query token attends to a key token."));
    m_singleStale = true;
    rebuild();
}

float AttentionView::weight(int layer, int head, int query, int key) const {
    return m_rows[size_t(query)][size_t(layer)](head, key);
}

void AttentionView::setSelection(int layer, int head) {
    if (layer < 0 || layer >= layerCount() || head < 0 || head >= headCount()) return;
    const bool changed = layer != m_layer || head != m_head;
    m_layer = layer;
    m_head = head;
    m_layerBox->setCurrentIndex(layer);
    m_headBox->setCurrentIndex(head);
    if (changed) m_singleStale = true;
    rebuild();
    emit selectionChanged(layer, head);
}

void AttentionView::setAllHeads(bool on) {
    m_allHeads = on;
    if (m_allBox->isChecked() != on) m_allBox->setChecked(on);
    m_layerBox->setEnabled(!on);
    m_headBox->setEnabled(!on);
    rebuild();
}

void AttentionView::rebuild() {
    const int T = tokenCount();
    if (m_allHeads) {
        // The single map is not kept up to date while the grid shows (made again when it is shown).
        m_plot->clearPlottables();
        m_single = nullptr;
        m_singleStale = true;
        m_stack->setCurrentWidget(m_gridArea);
        m_grid->setViewportWidth(gridWidth());
        m_grid->update();
        const int s = AttentionGrid::tokensPerPixelFor(T, m_grid->cellSize());
        m_legend->setText(s > 1 ? tr("Each map is %1 × %1 pixels for %2 tokens, so it is max-pooled: a pixel shows the "
                                     "LARGEST weight among the %3 × %3 query × key cells it covers (one sharp weight stays "
                                     "visible). Hover for the exact weight; click a map to open every cell.")
                                      .arg(m_grid->cellSize()).arg(T).arg(s)
                                : tr("Every token is shown: one query × key cell per pixel block, nothing pooled. Click a "
                                     "map to open it."));
        m_grid->setToolTip(m_legend->text());
        return;
    }
    m_stack->setCurrentWidget(m_plot);
    m_legend->setText(T > 0 ? tr("Wheel: scroll the queries · Shift+wheel: the keys · Ctrl+wheel or +/−: zoom · 0: whole "
                                 "matrix · drag: move")
                            : QString());
    if (m_singleStale || !m_single) rebuildSingle();
}

void AttentionView::rebuildSingle() {
    // The window the user zoomed to survives a step (clamped to the new size).
    const QRectF window = m_single && m_zoomed ? visibleTokens() : QRectF();
    m_plot->clearItems();
    m_plot->clearPlottables();
    m_plot->plotLayout()->clear();
    m_single = nullptr;
    m_singleStale = false;
    if (m_rows.empty()) {
        m_plot->replot();
        return;
    }
    auto* scale = newAttentionScale(m_plot, tr("attention weight"));
    auto* rect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(0, 0, rect);
    m_plot->plotLayout()->addElement(0, 1, scale);
    auto* title = new QCPTextElement(m_plot, tr("Layer %1, head %2").arg(m_layer + 1).arg(m_head + 1),
                                     QFont(font().family(), int(font().pointSizeF() + 1), QFont::Bold));
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, title);

    const int T = tokenCount();
    auto* map = new QCPColorMap(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    map->setInterpolate(false);
    map->setTightBoundary(false);
    map->data()->setSize(T, T);
    map->data()->setRange(QCPRange(0, T - 1), QCPRange(0, T - 1));
    map->data()->fill(std::numeric_limits<double>::quiet_NaN());   // the future: masked
    for (int q = 0; q < T; ++q) {
        const ar::Mat& m = m_rows[size_t(q)][size_t(m_layer)];
        for (int k = 0; k <= q; ++k) map->data()->setCell(k, q, double(m(m_head, k)));
    }
    map->setGradient(attentionGradient());
    map->setDataRange(QCPRange(0, 1));
    rect->setBackground(maskedBrush());
    rect->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    y->setRangeReversed(true);  // query 0 at the top, like a matrix
    const QFont f = T > 24 ? scaledFont(font(), 0.85) : font();
    for (QCPAxis* a : {x, y}) {
        a->grid()->setVisible(false);
        a->setSubTicks(false);
        a->setTickLength(0, 2);
        QSharedPointer<TokenTicker> ticker(new TokenTicker);
        ticker->tokens = m_tokens;
        a->setTicker(ticker);
        a->setTickLabelFont(f);
    }
    x->setTickLabelRotation(60);
    x->setLabel(tr("key (attended to)"));
    y->setLabel(tr("query (looking back)"));
    // Room left of the rotated label: a CJK fallback face draws taller than the label font's metrics say, so
    // "查询（向回看）" would touch the dock's edge.
    y->setPadding(QFontMetrics(y->labelFont()).height() / 2);
    m_single = map;
    // Dragging moves the window; keep it on the matrix.
    for (QCPAxis* a : {x, y})
        connect(a, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this, a](const QCPRange& r) {
            const double T = tokenCount(), lo = -0.5, hi = T - 0.5;
            const double size = std::min(r.size(), hi - lo);
            double l = std::clamp(r.lower, lo, hi - size);
            if (l != r.lower || size != r.size()) a->setRange(l, l + size);
            m_zoomed = true;
        });
    if (window.isValid()) setVisibleTokens(window.left(), window.right(), window.top(), window.bottom());
    else showWholeMatrix();
}

void AttentionView::setVisibleTokens(double keyLower, double keyUpper, double queryLower, double queryUpper) {
    if (!m_single) return;
    m_single->keyAxis()->setRange(keyLower, keyUpper);     // (clamped by rangeChanged)
    m_single->valueAxis()->setRange(queryLower, queryUpper);
    m_zoomed = true;
    m_plot->replot();
}

QRectF AttentionView::visibleTokens() const {
    if (!m_single) return {};
    const QCPRange x = m_single->keyAxis()->range(), y = m_single->valueAxis()->range();
    return QRectF(QPointF(x.lower, y.lower), QPointF(x.upper, y.upper));
}

void AttentionView::showWholeMatrix() {
    if (!m_single) return;
    const int T = tokenCount();
    m_single->keyAxis()->setRange(-0.5, T - 0.5);
    m_single->valueAxis()->setRange(-0.5, T - 0.5);
    m_zoomed = false;
    m_plot->replot();
}

void AttentionView::zoom(double factor) {
    const QRectF w = visibleTokens();
    zoomAt(factor, w.center());
}

void AttentionView::zoomAt(double factor, QPointF at) {
    // Scales the window by 1 / factor around `at` (in tokens), which stays where it is; at least 8 tokens shown.
    if (!m_single || factor <= 0) return;
    const QRectF w = visibleTokens();
    const double minSpan = std::min(8.0, double(tokenCount()));
    auto scaled = [&](double lo, double hi, double c) {
        const double span = std::max(minSpan, (hi - lo) / factor), t = (c - lo) / (hi - lo);
        return std::pair{c - t * span, c - t * span + span};
    };
    const auto [xl, xu] = scaled(w.left(), w.right(), at.x());
    const auto [yl, yu] = scaled(w.top(), w.bottom(), at.y());
    setVisibleTokens(xl, xu, yl, yu);
}

void AttentionView::onWheel(QWheelEvent* e) {
    if (!m_single) return;
    const double steps = (e->angleDelta().y() != 0 ? e->angleDelta().y() : e->angleDelta().x()) / 120.0;
    if (steps == 0) return;
    const QRectF w = visibleTokens();
    if (e->modifiers() & Qt::ControlModifier) {   // zoom at the mouse
        zoomAt(std::pow(1.25, steps), QPointF(m_single->keyAxis()->pixelToCoord(e->position().x()),
                                              m_single->valueAxis()->pixelToCoord(e->position().y())));
    } else if (e->modifiers() & Qt::ShiftModifier) {   // scroll the keys
        const double d = -steps * std::max(1.0, std::round(w.width() / 10));
        setVisibleTokens(w.left() + d, w.right() + d, w.top(), w.bottom());
    } else {   // scroll the queries
        const double d = -steps * std::max(1.0, std::round(w.height() / 10));
        setVisibleTokens(w.left(), w.right(), w.top() + d, w.bottom() + d);
    }
    e->accept();
}

void AttentionView::keyPressEvent(QKeyEvent* e) {
    if (!m_allHeads && m_single && !(e->modifiers() & Qt::ControlModifier)) {
        switch (e->key()) {
        case Qt::Key_Plus:
        case Qt::Key_Equal: zoom(1.25); return;
        case Qt::Key_Minus: zoom(0.8); return;
        case Qt::Key_0: showWholeMatrix(); return;
        default: break;
        }
    }
    QWidget::keyPressEvent(e);
}

int AttentionView::gridWidth() const {
    // The scroll area's viewport width, from the stack's (the grid page may not be laid out yet when it is shown).
    return m_stack->width() - 2 * m_gridArea->frameWidth() - m_gridArea->verticalScrollBar()->sizeHint().width();
}

bool AttentionView::eventFilter(QObject* watched, QEvent* e) {
    if (watched == m_stack && e->type() == QEvent::Resize) m_grid->setViewportWidth(gridWidth());
    return QWidget::eventFilter(watched, e);
}

void AttentionView::resizeEvent(QResizeEvent* e) {
    QWidget::resizeEvent(e);
    if (m_allHeads) rebuild();   // the legend states the cell size
}

QString AttentionView::cellText(int query, int key) const { return cellText(m_layer, m_head, query, key); }

QString AttentionView::cellText(int layer, int head, int query, int key) const {
    if (layer < 0 || layer >= layerCount() || head < 0 || head >= headCount()) return {};
    const int T = tokenCount();
    if (query < 0 || key < 0 || query >= T || key >= T) return {};
    auto tok = [this](int i) { return i < m_tokens.size() ? m_tokens[i] : QString::number(i); };
    if (key > query)
        return tr("query '%1' (position %2) cannot see key '%3' (position %4): it is in the future (masked)")
            .arg(tok(query)).arg(query).arg(tok(key)).arg(key);
    return tr("query '%1' (%2) → key '%3' (%4): %5").arg(tok(query)).arg(query).arg(tok(key)).arg(key).arg(weightText(weight(layer, head, query, key)));
}

QString AttentionView::hoverText() const { return m_hover->text(); }

void AttentionView::showHover(const QString& text, QPoint global, QWidget* over) {
    m_hover->setText(text);
    QToolTip::showText(global, text, over);
}

void AttentionView::onMouseMove(QMouseEvent* e) {
    if (!m_single) return;
    QCPAxisRect* rect = m_plot->axisRectAt(e->position());
    if (!rect) return;
    const int key = int(std::lround(rect->axis(QCPAxis::atBottom)->pixelToCoord(e->position().x())));
    const int query = int(std::lround(rect->axis(QCPAxis::atLeft)->pixelToCoord(e->position().y())));
    const int T = tokenCount();
    if (key < 0 || query < 0 || key >= T || query >= T) return;
    showHover(cellText(query, key), e->globalPosition().toPoint(), m_plot);
}

void AttentionView::onGridHover(int layer, int head, int query, int key) {
    if (query < 0) return;
    QString text = tr("L%1 H%2: ").arg(layer + 1).arg(head + 1) + cellText(layer, head, query, key);
    const int s = m_grid->tokensPerPixel(layer, head);
    if (s > 1) {
        const int bq = query / s, bk = key / s, T = tokenCount();
        const float v = m_grid->pooled(layer, head, bq, bk);
        if (!std::isnan(v))
            text += tr(" · this pixel: max %1 over queries %2–%3 × keys %4–%5")
                        .arg(weightText(v)).arg(bq * s).arg(std::min(T, bq * s + s) - 1).arg(bk * s).arg(std::min(T, bk * s + s) - 1);
    }
    showHover(text, m_grid->mapToGlobal(m_grid->pointOf(layer, head, query, key)), m_grid);
}

}  // namespace arlab
