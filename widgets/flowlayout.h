#pragma once
// FlowLayout: a row of controls that wraps onto further lines when its widget is narrower than the row (Qt's
// flow layout example, with two additions). A dock that would otherwise scroll sideways on a projector's
// 1280x800 (presentation mode's larger fonts) keeps every control in sight: the row breaks instead.
//
//   - addGroup({label, box}): widgets that never break apart (a label and its spin box), placed as one item
//     (a QHBoxLayout, returned for more); addLayout(l) places any layout so.
//   - Items whose horizontal size policy can expand (a line edit, a combo box, a slider) share the room left
//     on their line, so a line is filled the way a QHBoxLayout fills it.
//
// Its minimum width is the widest item's; its height for a width is the wrapped height (hasHeightForWidth), so a
// scroll area around it (the dock's) grows downwards, not sideways.
#include <QLayout>
#include <QStyle>
#include <QList>

class QHBoxLayout;

namespace arlab {

class FlowLayout : public QLayout {
public:
    explicit FlowLayout(QWidget* parent = nullptr, int hSpacing = -1, int vSpacing = -1);
    explicit FlowLayout(int hSpacing, int vSpacing = -1) : FlowLayout(nullptr, hSpacing, vSpacing) {}
    ~FlowLayout() override;

    QHBoxLayout* addGroup(const QList<QWidget*>& widgets);   // side by side, kept together on one line
    void addLayout(QLayout* layout);                         // kept together on one line
    void addSpacing(int width);        // a fixed gap (dropped at the start of a line)

    void addItem(QLayoutItem* item) override;
    int count() const override { return int(m_items.size()); }
    QLayoutItem* itemAt(int index) const override { return m_items.value(index); }
    QLayoutItem* takeAt(int index) override;
    Qt::Orientations expandingDirections() const override { return {}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return doLayout(QRect(0, 0, width, 0), true); }
    QSize minimumSize() const override;
    QSize sizeHint() const override;
    void setGeometry(const QRect& rect) override;

    int horizontalSpacing() const;
    int verticalSpacing() const;

private:
    int doLayout(const QRect& rect, bool testOnly) const;   // the height used
    int smartSpacing(QStyle::PixelMetric pm) const;

    QList<QLayoutItem*> m_items;
    int m_hSpace, m_vSpace;
};

}  // namespace arlab
