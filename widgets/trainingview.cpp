#include "widgets/trainingview.h"

#include "widgets/spinboxes.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace arlab {

namespace {
QSpinBox* spin(int lo, int hi, int step, const QString& tip) {
    auto* s = makeSpinBox(lo, hi, lo, tip);   // setSettings() gives the values
    s->setSingleStep(step);
    return s;
}
}  // namespace

TrainingView::TrainingView(QWidget* parent) : QWidget(parent) {
    m_layers = spin(1, 4, 1, tr("Transformer blocks L stacked on top of each other (attention + MLP each)."));
    m_heads = spin(1, 16, 1, tr("Attention heads H per block. Each head gets C / H columns, so H must divide the width C."));
    m_embd = spin(8, 256, 8, tr("Embedding width C: the size of every token's vector inside the model."));
    m_context = spin(4, 128, 4, tr("Context T: the longest window of tokens the model sees (and can generate)."));
    m_pos = new QComboBox;
    m_pos->addItem(tr("learned"), "learned");
    m_pos->addItem(tr("sinusoidal"), "sinusoidal");
    m_pos->addItem(tr("rotary (RoPE)"), "rope");
    m_pos->setToolTip(tr("How the model knows where a token is: a learned table, fixed sine waves, or rotating q and k."));
    m_steps = spin(10, 20000, 50, tr("Optimizer steps (AdamW, warmup then cosine decay). Each step sees a batch of 16 windows."));
    m_lr = makeDoubleSpinBox(0.0001, 0.05, 0.0001, 0.0005, 4,
                             tr("Peak learning rate. Too high and the loss jumps around; too low and it barely moves."));
    m_seed = spin(0, 999999, 1, tr("Seeds the weights, the batches and the sampled toy corpus: the same seed gives the same model."));

    auto* form = new QFormLayout;
    // Hidden in presentation mode (app/gui/presentation.h).
    for (QWidget* w : {static_cast<QWidget*>(m_context), static_cast<QWidget*>(m_pos), static_cast<QWidget*>(m_lr)})
        w->setProperty("arlabAdvanced", true);
    form->addRow(tr("Layers"), m_layers);
    form->addRow(tr("Heads"), m_heads);
    form->addRow(tr("Width C"), m_embd);
    form->addRow(tr("Context"), m_context);
    form->addRow(tr("Positions"), m_pos);
    form->addRow(tr("Steps"), m_steps);
    form->addRow(tr("Learning rate"), m_lr);
    form->addRow(tr("Seed"), m_seed);

    m_start = new QPushButton(tr("Start"));
    m_start->setToolTip(tr("Train a fresh TinyGPT on the toy language with these settings (in the background)."));
    m_stop = new QPushButton(tr("Stop"));
    m_stop->setToolTip(tr("Stop training now; the model trained so far can still be used."));
    m_use = new QPushButton(tr("Use this model"));
    m_use->setToolTip(tr("Show the trained model in the Generation, Next token, Attention and Model docks."));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_use);

    m_problem = new QLabel;
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet("color: #c0392b;");
    m_problem->hide();
    m_status = new QLabel(tr("Not trained yet."));
    m_status->setWordWrap(true);

    auto* left = new QVBoxLayout;
    left->addLayout(form);
    left->addLayout(buttons);
    left->addWidget(m_problem);
    left->addStretch(1);

    m_plot = new QCustomPlot(this);
    m_plot->setMinimumSize(320, 200);
    m_plot->setToolTip(tr("Loss in nats per token: lower is better. The dashed line is the toy language's entropy rate, "
                          "the lowest average loss any model can reach."));
    m_plot->xAxis->setLabel(tr("step"));
    m_plot->yAxis->setLabel(tr("loss (nats/token)"));
    m_plot->legend->setVisible(true);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    QCPGraph* train = m_plot->addGraph();
    train->setName(tr("training batch"));
    train->setPen(QPen(QColor(30, 111, 217, 150), 1));
    QCPGraph* val = m_plot->addGraph();
    val->setName(tr("validation"));
    val->setPen(QPen(QColor(220, 110, 20), 2));
    val->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    m_entropyLine = new QCPItemStraightLine(m_plot);
    m_entropyLine->setPen(QPen(QColor(60, 60, 60), 1.5, Qt::DashLine));
    m_entropyLine->setVisible(false);
    m_entropyLabel = new QCPItemText(m_plot);
    m_entropyLabel->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
    m_entropyLabel->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
    m_entropyLabel->position->setTypeY(QCPItemPosition::ptPlotCoords);
    m_entropyLabel->setColor(QColor(60, 60, 60));
    m_entropyLabel->setVisible(false);
    m_plot->xAxis->setRange(0, 600);
    m_plot->yAxis->setRange(0, 4);

    // The status spans the whole width under the form and the plot, with room for two lines.
    auto* outer = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    top->addLayout(left);
    top->addWidget(m_plot, 1);
    outer->addLayout(top, 1);
    m_status->setMinimumHeight(2 * m_status->fontMetrics().lineSpacing());
    outer->addWidget(m_status);

    setSettings(ar::ToyGptSettings{});
    for (QSpinBox* s : {m_layers, m_heads, m_embd, m_context, m_steps, m_seed})
        connect(s, &QSpinBox::valueChanged, this, &TrainingView::settingsChanged);
    connect(m_lr, &QDoubleSpinBox::valueChanged, this, &TrainingView::settingsChanged);
    connect(m_pos, &QComboBox::currentIndexChanged, this, &TrainingView::settingsChanged);
    connect(m_start, &QPushButton::clicked, this, &TrainingView::startRequested);
    connect(m_stop, &QPushButton::clicked, this, &TrainingView::stopRequested);
    connect(m_use, &QPushButton::clicked, this, &TrainingView::useRequested);
    updateButtons();
}

ar::ToyGptSettings TrainingView::settings() const {
    ar::ToyGptSettings s = m_hidden;
    s.layers = m_layers->value();
    s.heads = m_heads->value();
    s.embd = m_embd->value();
    s.context = m_context->value();
    s.pos = ar::parsePositionMode(m_pos->currentData().toString().toStdString());
    s.steps = m_steps->value();
    s.lr = float(m_lr->value());
    s.seed = uint64_t(m_seed->value());
    return s;
}

void TrainingView::setSettings(const ar::ToyGptSettings& s) {
    m_hidden = s;
    m_layers->setValue(s.layers);
    m_heads->setValue(s.heads);
    m_embd->setValue(s.embd);
    m_context->setValue(s.context);
    m_pos->setCurrentIndex(std::max(0, m_pos->findData(QString::fromStdString(ar::positionModeName(s.pos)))));
    m_steps->setValue(s.steps);
    m_lr->setValue(double(s.lr));
    m_seed->setValue(int(s.seed));
}

void TrainingView::setSettingsProblem(const QString& message) {
    m_valid = message.isEmpty();
    m_problem->setText(message);
    m_problem->setVisible(!m_valid);
    updateButtons();
}

void TrainingView::setRunning(bool running) {
    m_running = running;
    updateButtons();
}

void TrainingView::setModelAvailable(bool available) {
    m_modelAvailable = available;
    updateButtons();
}

void TrainingView::updateButtons() {
    m_start->setEnabled(!m_running && m_valid);
    m_stop->setEnabled(m_running);
    m_use->setEnabled(!m_running && m_modelAvailable);
    for (QWidget* w : std::initializer_list<QWidget*>{m_layers, m_heads, m_embd, m_context, m_pos, m_steps, m_lr, m_seed})
        w->setEnabled(!m_running);
}

void TrainingView::setStatus(const QString& text) { m_status->setText(text); }
QString TrainingView::status() const { return m_status->text(); }
QString TrainingView::settingsProblem() const { return m_valid ? QString() : m_problem->text(); }

void TrainingView::setEntropyRate(double nats) {
    m_entropy = nats;
    const bool show = std::isfinite(nats);
    m_entropyLine->setVisible(show);
    m_entropyLabel->setVisible(show);
    if (show) {
        m_entropyLine->point1->setCoords(0, nats);
        m_entropyLine->point2->setCoords(1, nats);
        m_entropyLabel->position->setCoords(0.98, nats);
        m_entropyLabel->setText(tr("true entropy rate %1").arg(nats, 0, 'f', 3));
    }
    m_plot->replot();
}

void TrainingView::setTotalSteps(int steps) {
    m_plot->xAxis->setRange(0, std::max(1, steps));
    m_plot->replot();
}

void TrainingView::clearCurves() {
    m_plot->graph(0)->data()->clear();
    m_plot->graph(1)->data()->clear();
    m_yMax = 0;
    m_yMin = 1e300;
    m_plot->yAxis->setRange(0, 4);
    m_plot->replot();
}

void TrainingView::appendCurves(const QVector<QPointF>& train, const QVector<QPointF>& validation) {
    for (const QPointF& p : train) {
        m_plot->graph(0)->addData(p.x(), p.y());
        m_yMax = std::max(m_yMax, p.y());
        m_yMin = std::min(m_yMin, p.y());
    }
    for (const QPointF& p : validation) {
        m_plot->graph(1)->addData(p.x(), p.y());
        m_yMax = std::max(m_yMax, p.y());
        m_yMin = std::min(m_yMin, p.y());
    }
    // From a little below the lowest of (curve, entropy rate), so the last stretch near the truth is visible.
    if (m_yMax > 0) {
        const double low = std::min(m_yMin, std::isfinite(m_entropy) ? m_entropy : m_yMin);
        m_plot->yAxis->setRange(std::max(0.0, low - 0.25 * (m_yMax - low) - 0.05), m_yMax + 0.05 * (m_yMax - low) + 0.01);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

int TrainingView::trainPointCount() const { return m_plot->graph(0)->dataCount(); }
int TrainingView::validationPointCount() const { return m_plot->graph(1)->dataCount(); }

}  // namespace arlab
