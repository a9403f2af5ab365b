#include "widgets/columnfit.h"

#include <QEvent>
#include <QHeaderView>
#include <QPainter>
#include <QProxyStyle>
#include <QStyleOptionHeader>
#include <QScrollBar>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>

#include <algorithm>
#include <numeric>

namespace arlab {

namespace {
// Draws a header's label elided to its section ("cumulative log-p…"): Qt's styles here centre a label wider than
// its section and cut it at both sides, so a narrowed header showed "umulative log-probabilit".
class ElidingHeaderStyle : public QProxyStyle {
public:
    void drawControl(ControlElement element, const QStyleOption* option, QPainter* painter, const QWidget* widget) const override {
        const auto* header = element == CE_HeaderLabel ? qstyleoption_cast<const QStyleOptionHeader*>(option) : nullptr;
        if (!header) return QProxyStyle::drawControl(element, option, painter, widget);
        QStyleOptionHeader elided(*header);
        const int room = header->rect.width() - 2 * pixelMetric(PM_HeaderMargin, header, widget);
        QFont font = painter->font();   // (a selected section's label is drawn bold)
        if (header->state & State_On) font.setBold(true);
        elided.text = QFontMetrics(font).elidedText(header->text, Qt::ElideRight, std::max(0, room));
        QProxyStyle::drawControl(element, &elided, painter, widget);
    }
};
}  // namespace

ColumnFit* ColumnFit::install(QTableView* table, const QList<int>& shrinkable, bool stretchLast) {
    return new ColumnFit(table, shrinkable, stretchLast);
}

ColumnFit::ColumnFit(QTableView* table, const QList<int>& shrinkable, bool stretchLast)
    : QObject(table), m_table(table), m_shrinkable(shrinkable), m_stretchLast(stretchLast) {
    table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    QHeaderView* header = table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Fixed);
    header->setStretchLastSection(false);
    header->setTextElideMode(Qt::ElideRight);
    auto* style = new ElidingHeaderStyle;   // (a widget does not own its style)
    style->setParent(header);
    header->setStyle(style);
    table->setTextElideMode(Qt::ElideRight);
    table->installEventFilter(this);
    table->viewport()->installEventFilter(this);
    QAbstractItemModel* model = table->model();
    connect(model, &QAbstractItemModel::modelReset, this, &ColumnFit::schedule);
    connect(model, &QAbstractItemModel::layoutChanged, this, &ColumnFit::schedule);
    connect(model, &QAbstractItemModel::dataChanged, this, &ColumnFit::schedule);
    connect(model, &QAbstractItemModel::headerDataChanged, this, &ColumnFit::schedule);
    connect(model, &QAbstractItemModel::rowsInserted, this, &ColumnFit::schedule);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &ColumnFit::schedule);
    connect(model, &QAbstractItemModel::columnsInserted, this, &ColumnFit::schedule);
    connect(model, &QAbstractItemModel::columnsRemoved, this, &ColumnFit::schedule);
    fit();
}

void ColumnFit::schedule() {
    if (m_pending) return;
    m_pending = true;
    QTimer::singleShot(0, this, [this] { fit(); });
}

bool ColumnFit::eventFilter(QObject* watched, QEvent* event) {
    if ((watched == m_table->viewport() && event->type() == QEvent::Resize) ||
        (watched == m_table && (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange || event->type() == QEvent::Show)))
        schedule();
    return QObject::eventFilter(watched, event);
}

void ColumnFit::fit() {
    m_pending = false;
    QHeaderView* header = m_table->horizontalHeader();
    const int n = m_table->model()->columnCount();
    if (n == 0) return;
    // Per column: what its cells need (the widest cell), what its header needs, and the least it may be given.
    QList<int> cells(n), wants(n), floor(n);
    const int floorText = m_table->fontMetrics().horizontalAdvance(QStringLiteral("M…")) + 8;
    for (int c = 0; c < n; ++c) {
        if (header->isSectionHidden(c)) continue;
        cells[c] = std::max(static_cast<const QAbstractItemView*>(m_table)->sizeHintForColumn(c), 8);   // (public there)
        wants[c] = std::max(cells[c], header->sectionSizeHint(c));
        floor[c] = shrinkable(c) ? std::min(cells[c], floorText) : cells[c];
    }
    const auto sum = [](const QList<int>& v) { return std::accumulate(v.begin(), v.end(), 0); };
    // The table's minimum: every column at its floor, beside the row header, the frame and a vertical scroll bar.
    int chrome = 2 * m_table->frameWidth() + (m_table->verticalHeader()->isVisible() ? m_table->verticalHeader()->sizeHint().width() : 0);
    if (m_table->verticalScrollBarPolicy() != Qt::ScrollBarAlwaysOff) chrome += m_table->verticalScrollBar()->sizeHint().width();
    const int minimum = sum(floor) + chrome;
    if (m_table->minimumWidth() != minimum) m_table->setMinimumWidth(minimum);

    const int room = m_table->viewport()->width();
    QList<int> widths = wants;
    if (sum(wants) > room) {
        widths = cells;   // the headers are elided first
        if (sum(widths) > room) {
            // The shrinkable columns are capped at one level, the lowest that fits (the widest shrink first).
            int lo = 0, hi = *std::max_element(cells.begin(), cells.end());
            const auto total = [&](int level) {
                int t = 0;
                for (int c = 0; c < n; ++c) t += shrinkable(c) ? std::max(floor[c], std::min(cells[c], level)) : cells[c];
                return t;
            };
            while (lo < hi) {   // the largest level whose total fits
                const int mid = (lo + hi + 1) / 2;
                if (total(mid) <= room) lo = mid;
                else hi = mid - 1;
            }
            for (int c = 0; c < n; ++c)
                if (shrinkable(c)) widths[c] = std::max(floor[c], std::min(cells[c], lo));
        }
        // What is left goes to the cut headers, left to right.
        int spare = room - sum(widths);
        for (int c = 0; c < n && spare > 0; ++c) {
            const int more = std::min(spare, wants[c] - widths[c]);
            if (more > 0) widths[c] += more, spare -= more;
        }
    }
    const int spare = room - sum(widths);
    if (spare > 0 && m_stretchLast) {
        int c = n - 1;   // the last column shown stretches (QHeaderView::setStretchLastSection)
        while (c > 0 && header->isSectionHidden(c)) --c;
        widths[c] += spare;
    }
    for (int c = 0; c < n; ++c)
        if (!header->isSectionHidden(c) && header->sectionSize(c) != widths[c]) header->resizeSection(c, widths[c]);
    if (auto* widget = qobject_cast<QTableWidget*>(m_table))   // the whole header text, also when it is cut
        for (int c = 0; c < n; ++c)
            if (QTableWidgetItem* item = widget->horizontalHeaderItem(c); item && item->toolTip().isEmpty()) item->setToolTip(item->text());
}

}  // namespace arlab
