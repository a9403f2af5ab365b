#pragma once
// Plots in a grid that scrolls rather than squeezing them below a readable size (a view sharing a projector's
// 1280x800 with other docks). Each plot keeps at least 230 x 175 px, the width of its title (bold, in the
// grid's font) and a width and height that grow with the font (presentation mode); as many columns as fit side by
// side, up to `maxColumns` (plots in reading order, row by row), and a vertical scroll bar when its rows do not fit;
// never shorter than one row.
// The Limits lesson's Positions (six plots, three columns) and Cost of generating (four, two) use it.
#include <QList>
#include <QScrollArea>

class QCustomPlot;
class QGridLayout;

namespace arlab {

class PlotGrid : public QScrollArea {
    Q_OBJECT
public:
    PlotGrid(const QList<QCustomPlot*>& plots, int maxColumns, QWidget* parent = nullptr);

    const QList<QCustomPlot*>& plots() const { return m_plots; }
    int columns() const { return m_columns; }
    QSize minimumPlotSize(const QCustomPlot* plot) const;
    // Again after a plot's title changed (a longer one needs a wider plot).
    void titlesChanged() { arrange(0); }

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void arrange(int columns);   // 0: as many as fit

    QList<QCustomPlot*> m_plots;
    int m_maxColumns;
    QGridLayout* m_grid = nullptr;
    int m_columns = 0;   // of the grid now
};

}  // namespace arlab
