#include "widgets/teacherforcingview.h"

#include "widgets/columnfit.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QTableWidget>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace arlab {

TeacherForcingView::TeacherForcingView(QWidget* parent) : QWidget(parent), m_states(3) {
    setObjectName("teacherForcingView");
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Model:"), this));
    m_models = new QComboBox(this);
    m_models->setObjectName("tfModelBox");
    row->addWidget(m_models);
    row->addWidget(new QLabel(tr("Sentence:"), this));
    m_pairs = new QComboBox(this);
    m_pairs->setObjectName("tfPairBox");
    m_pairs->setMinimumContentsLength(14);
    row->addWidget(m_pairs, 1);
    layout->addLayout(row);

    m_table = new QTableWidget(3, 0, this);
    m_table->setObjectName("tfTable");
    m_table->setVerticalHeaderLabels({tr("gold"), tr("teacher forcing"), tr("free running")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    ColumnFit::install(m_table, ColumnFit::kEvery, false);   // the words elide (their columns share the width) rather than scroll sideways
    m_table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_table->setToolTip(tr("Teacher forcing: each word predicted after the GOLD previous words.\n"
                           "Free running: each word predicted after the model's OWN previous words.\n"
                           "Red: the first free-running mistake; orange: later errors (they compound)."));
    layout->addWidget(m_table);

    m_plot = new QCustomPlot(this);
    m_plot->setObjectName("tfErrorPlot");
    m_plot->setMinimumHeight(180);
    m_plot->xAxis->setLabel(tr("target position"));
    m_plot->yAxis->setLabel(tr("error rate (test set)"));
    m_plot->yAxis->setRange(0, 1);
    m_plot->legend->setVisible(true);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);  // errors fall with position: the top right is free
    auto* tf = m_plot->addGraph();
    tf->setName(tr("teacher forcing"));
    tf->setPen(QPen(QColor(30, 111, 217), 2));
    tf->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    auto* fr = m_plot->addGraph();
    fr->setName(tr("free running"));
    fr->setPen(QPen(QColor(210, 60, 50), 2));
    fr->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, 5));
    layout->addWidget(m_plot, 1);
    m_summary = new QLabel(this);
    m_summary->setObjectName("tfSummary");
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    connect(m_models, &QComboBox::activated, this, &TeacherForcingView::modelChosen);
    connect(m_pairs, &QComboBox::activated, this, &TeacherForcingView::pairChosen);
}

void TeacherForcingView::setModels(const QStringList& names) {
    m_models->clear();
    m_models->addItems(names);
}

void TeacherForcingView::setPairs(const QStringList& sources) {
    m_pairs->clear();
    m_pairs->addItems(sources);
}

void TeacherForcingView::setCurrentPair(int index) { m_pairs->setCurrentIndex(index); }

void TeacherForcingView::setComparison(const QStringList& gold, const QStringList& tf, const QStringList& fr) {
    const int n = int(std::max({gold.size(), tf.size(), fr.size()}));
    m_table->clearContents();
    m_table->setColumnCount(n);
    QStringList headers;
    for (int i = 0; i < n; ++i) headers << QString::number(i + 1);
    m_table->setHorizontalHeaderLabels(headers);
    const QStringList* rows[3] = {&gold, &tf, &fr};
    for (int r = 0; r < 3; ++r) {
        QString states(n, ' ');
        bool mistake = false;
        for (int i = 0; i < n; ++i) {
            if (i >= rows[r]->size()) continue;
            auto* item = new QTableWidgetItem((*rows[r])[i]);
            item->setTextAlignment(Qt::AlignCenter);
            if (r > 0) {
                const bool ok = i < gold.size() && (*rows[r])[i] == gold[i];
                QColor bg;
                if (ok) {
                    states[i] = mistake ? 'r' : 'c';
                    bg = mistake ? QColor(225, 240, 225) : correctColor();
                } else if (!mistake) {
                    states[i] = 'x';
                    bg = firstMistakeColor();
                    item->setForeground(Qt::white);
                    mistake = r == 2;  // only free running feeds its mistakes back; teacher forcing
                                       // reads the gold word next, so its errors stay isolated
                } else {
                    states[i] = 'e';
                    bg = compoundColor();
                }
                item->setBackground(bg);
                item->setToolTip(ok ? tr("matches the gold word") : tr("gold: %1").arg(i < gold.size() ? gold[i] : "-"));
            } else {
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
            }
            m_table->setItem(r, i, item);
        }
        m_states[size_t(r)] = states;
    }
    fitTableHeight();
}

// The table shows its three rows whole (no scroll bar either way), also after a font change (presentation mode).
void TeacherForcingView::fitTableHeight() {
    m_table->resizeRowsToContents();
    int h = m_table->horizontalHeader()->sizeHint().height() + 2 * m_table->frameWidth();
    for (int r = 0; r < 3; ++r) h += m_table->rowHeight(r);
    m_table->setFixedHeight(h);
}

void TeacherForcingView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) fitTableHeight();
}

void TeacherForcingView::setCurves(const std::vector<double>& tf, const std::vector<double>& fr, const std::vector<int>& counts) {
    QVector<double> x, a, b;
    for (size_t i = 0; i < tf.size() && i < fr.size(); ++i) {
        if (i < counts.size() && counts[i] < 5) break;  // too few sentences that long to plot a rate
        x << double(i + 1);
        a << tf[i];
        b << fr[i];
    }
    m_plot->graph(0)->setData(x, a);
    m_plot->graph(1)->setData(x, b);
    double top = 0.05;
    for (double v : a) top = std::max(top, v);
    for (double v : b) top = std::max(top, v);
    m_plot->xAxis->setRange(0.5, std::max(1.0, double(x.size())) + 0.5);
    m_plot->yAxis->setRange(0, std::min(1.0, top * 1.15));
    m_plot->replot();
}

void TeacherForcingView::setSummary(const QString& text) { m_summary->setText(text); }
QString TeacherForcingView::summary() const { return m_summary->text(); }
QString TeacherForcingView::rowStates(int row) const { return row >= 0 && row < 3 ? m_states[size_t(row)] : QString(); }

}  // namespace arlab
