#pragma once
// ColumnFit: a table that shares its own width among its columns and never scrolls sideways (a dock on a
// projector's 1280x800, presentation mode's larger fonts). Each column is as wide as its cells, so numbers stay
// whole, and as wide as its header while there is room; when there is not, the headers are elided first (the
// full text stays in the header's tooltip), then the `shrinkable` columns (words: tokens, modes, a sentence's
// words) are elided too, the widest first. Room left over goes to the columns whose header is cut, then to the
// last column (as QHeaderView::setStretchLastSection), or to none (`stretchLast` false: the table ends at its
// last column). The table's minimum width holds every other column whole, so the
// layout around it (a splitter, the dock) gives it that much.
//
//   ColumnFit::install(table, {0, 4});             // once; it fits again on every resize, font or content change
//   ColumnFit::install(table, ColumnFit::kEvery, false);  // every column holds words; no stretch
#include <QList>
#include <QObject>

class QTableView;

namespace arlab {

class ColumnFit : public QObject {
public:
    static inline const QList<int> kEvery{-1};   // (as `shrinkable`) every column
    static ColumnFit* install(QTableView* table, const QList<int>& shrinkable, bool stretchLast = true);
    void fit();   // (at once; install() and every change schedule it)

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    ColumnFit(QTableView* table, const QList<int>& shrinkable, bool stretchLast);
    void schedule();
    bool shrinkable(int column) const { return m_shrinkable == kEvery || m_shrinkable.contains(column); }

    QTableView* m_table;
    QList<int> m_shrinkable;
    bool m_stretchLast;
    bool m_pending = false;
};

}  // namespace arlab
