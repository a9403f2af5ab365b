#include "widgets/memoryview.h"

#include "widgets/plotgrid.h"
#include "widgets/spinboxes.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace arlab {

MemoryView::MemoryView(QWidget* parent) : QWidget(parent) {
    m_accuracy = limitsplot::makePlot(tr("Recall accuracy"), tr("distance d (fillers between key and query)"), tr("accuracy"),
                                      tr("The share of episodes in which the model's most likely next token after '?' is the key "
                                         "it read d + 1 steps earlier. Chance is 1/8."));
    m_gradient = limitsplot::makePlot(tr("Gradient reaching the key"), tr("distance d"), tr("‖∂ loss / ∂ x₀‖"),
                                      tr("How strongly the recall loss can still change the key's input vector, measured by a "
                                         "backward pass on the trained model. A falling line is the vanishing gradient."));
    m_hidden = limitsplot::makePlot(tr("Hidden state across the fillers"), tr("hidden unit"), tr("time step"),
                                    tr("How strongly the key still reaches each unit of the hidden state after each token (key, "
                                       "fillers, '?'): log10 |∂h_t / ∂x₀|, measured by backward passes on the trained model. "
                                       "Bright: the key still moves this unit; dark: its influence has vanished. The number "
                                       "after each token is the norm over all units."));
    m_trainKind = new QComboBox;
    m_hiddenKind = new QComboBox;
    for (const char* k : {"rnn", "lstm", "gru", "tinygpt"}) m_trainKind->addItem(QString(k).toUpper(), k);
    for (const char* k : {"rnn", "lstm", "gru"}) m_hiddenKind->addItem(QString(k).toUpper(), k);
    m_trainKind->setToolTip(tr("Which model to train again on the recall task (the curves then show the new one)."));
    m_hiddenKind->setToolTip(tr("Which recurrent model's hidden state to show."));
    m_distance = makeSpinBox(1, 32, 12, tr("Fillers between the key and the query in the episode shown."));
    m_distance->setPrefix(tr("d = "));
    m_train = new QPushButton(tr("Train"));
    m_train->setToolTip(tr("Train the chosen model from scratch on the recall task, in the background (about 1500 steps)."));
    m_stop = new QPushButton(tr("Stop"));
    m_stop->setToolTip(tr("Stop training; the curves keep the shipped model."));
    m_status = new QLabel(tr("Shipped models: RNN, LSTM, GRU and TinyGPT, about 7 000 parameters each."));
    m_status->setWordWrap(true);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Retrain")));
    controls->addWidget(m_trainKind);
    controls->addWidget(m_train);
    controls->addWidget(m_stop);
    controls->addSpacing(20);
    controls->addWidget(new QLabel(tr("Hidden state of")));
    controls->addWidget(m_hiddenKind);
    controls->addWidget(m_distance);
    controls->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    // Three plots side by side (fewer when narrow) that scroll rather than squeezing them (all five Limits docks open).
    layout->addWidget(new PlotGrid({m_accuracy, m_gradient, m_hidden}, 3), 1);
    layout->addWidget(m_status);

    connect(m_train, &QPushButton::clicked, this, &MemoryView::trainRequested);
    connect(m_stop, &QPushButton::clicked, this, &MemoryView::stopRequested);
    connect(m_hiddenKind, &QComboBox::currentIndexChanged, this, &MemoryView::hiddenRequested);
    connect(m_distance, &QSpinBox::valueChanged, this, &MemoryView::hiddenRequested);
    setRunning(false);
}

void MemoryView::setAccuracy(const QVector<limitsplot::Curve>& curves) {
    m_accuracyCurves = curves;
    // A curve with exactly the points of an earlier one lies on top of it (e.g. several models at 1.0): its
    // legend entry says so; the markers (nested sizes) show both.
    QVector<limitsplot::Curve> shown = curves;
    for (int i = 1; i < curves.size(); ++i)
        for (int j = 0; j < i; ++j)
            if (curves[i].x == curves[j].x && curves[i].y == curves[j].y) {
                shown[i].name = tr("%1 (= %2)").arg(curves[i].name, curves[j].name);
                break;
            }
    limitsplot::setCurves(m_accuracy, shown);
    m_accuracy->yAxis->setRange(0, 1.05);
    m_accuracy->replot();
}

void MemoryView::setGradientFlow(const QVector<limitsplot::Curve>& curves) {
    m_gradientCurves = curves;
    limitsplot::setCurves(m_gradient, curves, true);
}

void MemoryView::setHiddenState(const QString& title, const ar::Mat& states, const QStringList& tokens) {
    m_hiddenStates = states;
    m_hiddenMap = limitsplot::setHeatmap(m_hidden, m_hiddenMap, states, false, tr("log10 |∂h / ∂x₀|"));
    auto ticker = QSharedPointer<limitsplot::RowTicker>::create();   // as many names as the rows' height holds
    for (int t = 0; t < tokens.size(); ++t) ticker->addTick(t, tokens[t]);
    m_hidden->yAxis->setTicker(ticker);
    m_hidden->yAxis->setLabel(title);
    m_hidden->replot();
}

void MemoryView::setRunning(bool running) {
    m_train->setEnabled(!running);
    m_trainKind->setEnabled(!running);
    m_stop->setEnabled(running);
}

void MemoryView::setStatus(const QString& text) { m_status->setText(text); }
QString MemoryView::status() const { return m_status->text(); }
QString MemoryView::trainKind() const { return m_trainKind->currentData().toString(); }
QString MemoryView::hiddenKind() const { return m_hiddenKind->currentData().toString(); }
int MemoryView::hiddenDistance() const { return m_distance->value(); }

ExportTable MemoryView::exportTable() const {
    ExportTable t = limitsplot::exportTable();
    limitsplot::addCurves(t, QStringLiteral("recall accuracy"), m_accuracyCurves);
    limitsplot::addCurves(t, QStringLiteral("gradient norm"), m_gradientCurves);
    limitsplot::addMatrix(t, QStringLiteral("hidden state: log10 key influence"), m_hiddenStates);
    if (t.isEmpty()) t.emptyReason = tr("no curves computed yet");
    return t;
}

}  // namespace arlab
