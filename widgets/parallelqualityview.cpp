#include "widgets/parallelqualityview.h"

#include "widgets/columnfit.h"
#include "widgets/fonts.h"
#include "widgets/limitsplot.h"
#include "widgets/plotgrid.h"

#include <qcustomplot.h>

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace arlab {

namespace {
// One graph per mode in order of first appearance, points in the order given, each labelled with its setting.
// Returns the modes in graph order (their colours are limitsplot::curveColor(index)).
QStringList plotPoints(QCustomPlot* plot, const QVector<ParallelQualityPoint>& points, bool exact) {
    QVector<limitsplot::Curve> curves;
    struct Label {
        QPointF at;
        QString text;
        bool below;
    };
    QVector<Label> labels;
    for (const ParallelQualityPoint& p : points) {
        auto it = std::find_if(curves.begin(), curves.end(), [&](const limitsplot::Curve& c) { return c.name == p.mode; });
        if (it == curves.end()) {
            curves.push_back({p.mode, {}, {}});
            it = curves.end() - 1;
        }
        const double y = 100.0 * (exact ? p.exactMatch : p.wordAccuracy);
        it->x << p.passes;
        it->y << y;
    }
    // The settings of each curve's first and last point (K=1 .. K=6, k=4 .. k=1): every point's label would
    // overlap at presentation font sizes. Mask-Predict's above its points, semi-AR's below (they meet near 2).
    for (const limitsplot::Curve& c : curves) {
        QVector<int> ends;
        for (int i = 0; i < points.size(); ++i)
            if (points[i].mode == c.name && !points[i].setting.isEmpty()) ends << i;
        if (ends.size() > 2) ends = {ends.front(), ends.back()};
        for (int i : ends) {
            const ParallelQualityPoint& p = points[i];
            labels.push_back({QPointF(p.passes, 100.0 * (exact ? p.exactMatch : p.wordAccuracy)), p.setting,
                              p.id.startsWith(QLatin1String("semi"))});
        }
    }
    plot->clearItems();
    limitsplot::setCurves(plot, curves);
    for (int i = 0; i < plot->graphCount(); ++i) {
        QCPGraph* g = plot->graph(i);
        const bool single = g->dataCount() == 1;   // AR and the one-pass NAT: a point, no line
        g->setScatterStyle(single ? QCPScatterStyle(QCPScatterStyle::ssSquare, g->pen().color(), 12)
                                  : QCPScatterStyle(QCPScatterStyle::ssDisc, 7));
        if (single) g->setLineStyle(QCPGraph::lsNone);
    }
    const QFont small = scaledFont(plot->font(), 0.85, 6.0);
    for (const Label& l : labels) {
        auto* t = new QCPItemText(plot);
        t->position->setCoords(l.at.x(), l.at.y());
        t->setPositionAlignment(Qt::AlignHCenter | (l.below ? Qt::AlignTop : Qt::AlignBottom));
        t->setPadding(QMargins(0, 3, 0, 3));
        t->setFont(small);
        t->setText(l.text);
    }
    plot->xAxis->setRange(0, std::max(2.0, plot->xAxis->range().upper + 0.7));
    plot->yAxis->setRange(0, 115);   // room for the labels above points at 100%
    plot->legend->setVisible(false);   // one legend line above both plots
    plot->replot();
    QStringList modes;
    for (const limitsplot::Curve& c : curves) modes << c.name;
    return modes;
}
}  // namespace

ParallelQualityView::ParallelQualityView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    m_legend = new QLabel(this);
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setWordWrap(true);   // between the entries at a projector's size
    layout->addWidget(m_legend);
    const QString tip = tr("Each point is one decoding mode over the whole test set: how many sequential model passes "
                           "a sentence needed on average (x) and how good the translations were (y).");
    m_exact = limitsplot::makePlot(tr("Exact match"), tr("sequential passes per sentence"), tr("exact match (%)"), tip);
    m_word = limitsplot::makePlot(tr("Word accuracy"), tr("sequential passes per sentence"), tr("word accuracy (%)"), tip);
    for (QCustomPlot* p : {m_exact, m_word}) p->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    // Side by side where both keep a readable size, one above the other in a narrower dock (scrolling down).
    layout->addWidget(new PlotGrid({m_exact, m_word}, 2, this), 3);
    m_table = new QTableWidget(0, 6, this);
    m_table->setHorizontalHeaderLabels({tr("mode"), tr("setting"), tr("passes / sentence"), tr("exact match"),
                                        tr("word accuracy"), tr("repeated words")});
    m_table->verticalHeader()->hide();
    ColumnFit::install(m_table, {0, 1});   // the numbers whole; the mode and its setting elide when narrow
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setToolTip(tr("Repeated words: the share of outputs with two equal neighbouring words (no reference "
                           "translation has any)"));
    m_table->setProperty("arlabAdvanced", true);   // presentation mode hides the table: the plots carry the story
    // compact rows, and room for the header and at least four of them (in the default 360-pixel dock the table
    // showed two rows with a scroll bar)
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height() + 4 * (fontMetrics().height() + 6) + 4);
    layout->addWidget(m_table, 2);
    setPoints({});
}

void ParallelQualityView::setPoints(const QVector<ParallelQualityPoint>& points) {
    m_points = points;
    const QStringList modes = plotPoints(m_exact, points, true);
    plotPoints(m_word, points, false);
    QStringList legend;
    for (int i = 0; i < modes.size(); ++i)
        legend << QStringLiteral("<span style=\"color:%1\">%2</span>&nbsp;%3")
                      .arg(limitsplot::curveColor(i).name(),
                           m_exact->graph(i)->dataCount() == 1 ? QStringLiteral("□") : QStringLiteral("●"),   // as drawn
                           modes[i].toHtmlEscaped());
    m_legend->setText(legend.join(QStringLiteral("&nbsp;&nbsp; ")));
    m_table->setRowCount(int(points.size()));
    for (int r = 0; r < points.size(); ++r) {
        const ParallelQualityPoint& p = points[r];
        const QStringList cells = {p.mode, p.setting, QString::number(p.passes, 'f', 2),
                                   QString::number(100 * p.exactMatch, 'f', 2) + QLatin1Char('%'),
                                   QString::number(100 * p.wordAccuracy, 'f', 2) + QLatin1Char('%'),
                                   QString::number(100 * p.repeatedRate, 'f', 2) + QLatin1Char('%')};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c >= 2) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(r, c, item);
        }
    }
}

void ParallelQualityView::setStatus(const QString& text, bool error) {
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color:#c00000;font-weight:bold") : QString());
    m_status->setVisible(!text.isEmpty());
}
QString ParallelQualityView::statusText() const { return m_status->text(); }
QString ParallelQualityView::legendText() const { return m_legend->text(); }

ExportTable ParallelQualityView::exportTable() const {
    ExportTable t{{QStringLiteral("id"), QStringLiteral("mode"), QStringLiteral("setting"), QStringLiteral("passes_per_sentence"),
                   QStringLiteral("exact_match"), QStringLiteral("word_accuracy"), QStringLiteral("repeated_rate"),
                   QStringLiteral("sentences")}};
    if (m_points.isEmpty()) t.emptyReason = tr("the test set is still being translated");
    for (const ParallelQualityPoint& p : m_points)
        t.addRow({p.id, p.mode, p.setting, ExportTable::number(p.passes), ExportTable::number(p.exactMatch),
                  ExportTable::number(p.wordAccuracy), ExportTable::number(p.repeatedRate), QString::number(p.sentences)});
    return t;
}

}  // namespace arlab
