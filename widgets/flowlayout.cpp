#include "widgets/flowlayout.h"

#include <QHBoxLayout>
#include <QSpacerItem>
#include <QStyle>
#include <QWidget>

#include <algorithm>

namespace arlab {

FlowLayout::FlowLayout(QWidget* parent, int hSpacing, int vSpacing) : QLayout(parent), m_hSpace(hSpacing), m_vSpace(vSpacing) {
    if (parent) setContentsMargins(0, 0, 0, 0);
}

FlowLayout::~FlowLayout() {
    while (QLayoutItem* item = takeAt(0)) delete item;
}

void FlowLayout::addItem(QLayoutItem* item) { m_items.append(item); }

void FlowLayout::addLayout(QLayout* layout) {
    addChildLayout(layout);
    addItem(layout);
}

QHBoxLayout* FlowLayout::addGroup(const QList<QWidget*>& widgets) {
    auto* group = new QHBoxLayout;
    group->setContentsMargins(0, 0, 0, 0);
    for (QWidget* w : widgets) group->addWidget(w);
    addLayout(group);
    return group;
}

void FlowLayout::addSpacing(int width) { addItem(new QSpacerItem(width, 0, QSizePolicy::Fixed, QSizePolicy::Minimum)); }

QLayoutItem* FlowLayout::takeAt(int index) {
    if (index < 0 || index >= m_items.size()) return nullptr;
    QLayoutItem* item = m_items.takeAt(index);
    invalidate();
    return item;
}

int FlowLayout::horizontalSpacing() const { return m_hSpace >= 0 ? m_hSpace : smartSpacing(QStyle::PM_LayoutHorizontalSpacing); }

int FlowLayout::verticalSpacing() const { return m_vSpace >= 0 ? m_vSpace : smartSpacing(QStyle::PM_LayoutVerticalSpacing); }

int FlowLayout::smartSpacing(QStyle::PixelMetric pm) const {
    QObject* parent = this->parent();
    if (!parent) return -1;
    if (parent->isWidgetType()) {
        auto* pw = static_cast<QWidget*>(parent);
        return pw->style()->pixelMetric(pm, nullptr, pw);
    }
    return static_cast<QLayout*>(parent)->spacing();
}

QSize FlowLayout::minimumSize() const {
    QSize size(0, 0);   // (no item shown: no size, not QSize()'s invalid -1 x -1)
    for (const QLayoutItem* item : m_items)
        if (!item->isEmpty()) size = size.expandedTo(item->minimumSize());
    const QMargins m = contentsMargins();
    return size + QSize(m.left() + m.right(), m.top() + m.bottom());
}

// One line holding every item (as wide as a QHBoxLayout of them would like to be).
QSize FlowLayout::sizeHint() const {
    int w = 0, h = 0;
    for (const QLayoutItem* item : m_items) {
        if (item->isEmpty()) continue;
        const QSize s = item->sizeHint();
        w += (w > 0 ? std::max(0, horizontalSpacing()) : 0) + s.width();
        h = std::max(h, s.height());
    }
    const QMargins m = contentsMargins();
    return QSize(w + m.left() + m.right(), h + m.top() + m.bottom());
}

void FlowLayout::setGeometry(const QRect& rect) {
    QLayout::setGeometry(rect);
    doLayout(rect, false);
}

int FlowLayout::doLayout(const QRect& rect, bool testOnly) const {
    const QMargins m = contentsMargins();
    const QRect area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom());
    const int hSpace = std::max(0, horizontalSpacing()), vSpace = std::max(0, verticalSpacing());
    // Break the items into lines (each item at its size hint, shrunk to the line's width when it alone is wider).
    struct Line {
        QList<QLayoutItem*> items;
        int width = 0, height = 0;
    };
    QList<Line> lines(1);
    for (QLayoutItem* item : m_items) {
        if (item->isEmpty()) continue;
        const bool spacer = item->spacerItem() != nullptr;
        const int w = std::min(item->sizeHint().width(), area.width());
        Line& line = lines.last();
        const int needed = line.items.isEmpty() ? w : line.width + hSpace + w;
        if (!line.items.isEmpty() && needed > area.width()) {
            if (spacer) continue;   // a gap is not carried to the next line
            lines.append(Line{});
        } else if (spacer && line.items.isEmpty()) {
            continue;
        }
        Line& target = lines.last();
        target.width = target.items.isEmpty() ? w : target.width + hSpace + w;
        target.height = std::max(target.height, item->sizeHint().height());
        target.items << item;
    }
    int y = area.y();
    for (const Line& line : lines) {
        if (line.items.isEmpty()) continue;
        if (!testOnly) {
            // The room left on the line goes to the items that can expand, in equal shares.
            int expanding = 0;
            for (QLayoutItem* item : line.items) expanding += (item->expandingDirections() & Qt::Horizontal) ? 1 : 0;
            int spare = std::max(0, area.width() - line.width);
            int x = area.x();
            for (QLayoutItem* item : line.items) {
                int w = std::min(item->sizeHint().width(), area.width());
                if (expanding > 0 && (item->expandingDirections() & Qt::Horizontal)) {
                    const int share = spare / expanding;
                    w += share;
                    spare -= share;
                    --expanding;
                }
                w = std::clamp(w, std::min(item->minimumSize().width(), area.width()), std::max(1, item->maximumSize().width()));
                const int h = std::min(line.height, std::max(item->sizeHint().height(), item->minimumSize().height()));
                item->setGeometry(QRect(x, y + (line.height - h) / 2, w, h));
                x += w + hSpace;
            }
        }
        y += line.height + vSpace;
    }
    return std::max(0, y - vSpace - area.y()) + m.top() + m.bottom();
}

}  // namespace arlab
