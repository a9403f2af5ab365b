#include "widgets/plotgrid.h"

#include <qcustomplot.h>

#include <QGridLayout>
#include <QScrollBar>

#include <algorithm>

namespace arlab {

PlotGrid::PlotGrid(const QList<QCustomPlot*>& plots, int maxColumns, QWidget* parent)
    : QScrollArea(parent), m_plots(plots), m_maxColumns(std::max(1, maxColumns)) {
    auto* panels = new QWidget;
    m_grid = new QGridLayout(panels);
    m_grid->setContentsMargins(0, 0, 0, 0);
    setFrameShape(QFrame::NoFrame);
    setWidgetResizable(true);
    setWidget(panels);
    arrange(m_maxColumns);
}

// At least 230 x 175, wide enough for the plot's title as drawn (bold) and for its tick and axis labels around a
// data area (16 lines of text wide: a projector's font takes one column where two would squeeze), and tall enough
// for a data area of about 100 px between the title, the tick labels and the axis label (five lines of text).
QSize PlotGrid::minimumPlotSize(const QCustomPlot* plot) const {
    QFont bold = font();
    bold.setBold(true);
    const auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0));
    const int text = title ? QFontMetrics(bold).horizontalAdvance(title->text()) + 24 : 0;
    return QSize(std::max({230, 16 * fontMetrics().height(), text}), std::max(175, 100 + 5 * fontMetrics().height()));
}

void PlotGrid::arrange(int columns) {
    if (!m_grid) return;   // (a font change while constructing)
    int widest = 0, tallest = 0;
    for (QCustomPlot* plot : m_plots) {
        plot->setMinimumSize(minimumPlotSize(plot));
        widest = std::max(widest, plot->minimumWidth());
        tallest = std::max(tallest, plot->minimumHeight());
    }
    // At least one whole row in sight: squeezed below that, the grid scrolled inside its view's own scrolling (two
    // scroll bars, the plots in a slit); the view scrolls instead.
    setMinimumHeight(tallest + 2 * frameWidth());
    if (columns == 0) {   // as many as fit side by side (room kept for a vertical scroll bar)
        const int room = width() - verticalScrollBar()->sizeHint().width();
        columns = std::clamp(room / (widest + m_grid->horizontalSpacing()), 1, m_maxColumns);
    }
    if (columns == m_columns) return;
    m_columns = columns;
    for (QCustomPlot* plot : m_plots) m_grid->removeWidget(plot);
    for (int i = 0; i < m_plots.size(); ++i) m_grid->addWidget(m_plots[i], i / columns, i % columns);
    const int rows = (int(m_plots.size()) + columns - 1) / columns;
    for (int r = 0; r < m_plots.size(); ++r) m_grid->setRowStretch(r, r < rows ? 1 : 0);
    for (int c = 0; c < m_maxColumns; ++c) m_grid->setColumnStretch(c, c < columns ? 1 : 0);
    // The panels fitted to the new grid now (the scroll area resizes its widget only when it is resized itself): two
    // rows of three must not keep the height of the six rows of one column they were before.
    m_grid->activate();
    setWidgetResizable(true);
}

void PlotGrid::resizeEvent(QResizeEvent* event) {
    QScrollArea::resizeEvent(event);
    arrange(0);
}

void PlotGrid::changeEvent(QEvent* event) {
    QScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange) arrange(0);
}

}  // namespace arlab
