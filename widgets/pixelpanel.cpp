#include "widgets/pixelpanel.h"

#include "widgets/flowlayout.h"
#include "widgets/spinboxes.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace arlab {

namespace {
int speedFromSlider(int v) { return int(std::lround(std::pow(10.0, v / 25.0))); }  // 0..75 -> 1..1000 px/s
}  // namespace

PixelPanel::PixelPanel(QWidget* parent) : QWidget(parent) {
    m_canvas = new PixelGridView;
    m_canvas->setEditable(true);
    m_canvas->setToolTip(tr("Left-drag: draw ink. Right-drag: erase. Drawn pixels in the first rows are kept "
                            "fixed and the model completes the rest."));
    m_map = new PixelGridView;
    m_map->setMode(PixelGridView::Mode::Probability);
    for (PixelGridView* v : {m_canvas, m_map}) {  // square: as tall as wide, no taller
        QSizePolicy sp(QSizePolicy::Expanding, QSizePolicy::Preferred);
        sp.setHeightForWidth(true);
        v->setSizePolicy(sp);
    }
    m_model = new QComboBox;
    m_temperature = makeDoubleSpinBox(0.05, 5.0, 1.0, 0.1, 2, QString());
    m_seed = makeSpinBox(0, 1000000, 1, QString());
    m_keepRows = makeSpinBox(0, 28, 14, QString());
    m_back = new QPushButton(tr("◀ Back"));
    m_step = new QPushButton(tr("Step ▶"));
    m_play = new QPushButton(tr("Play"));
    m_play->setCheckable(true);
    m_ff = new QPushButton(tr("Fast-forward"));
    m_reset = new QPushButton(tr("Reset"));
    m_clear = new QPushButton(tr("Clear drawing"));
    m_speed = new QSlider(Qt::Horizontal);
    m_speed->setRange(0, 75);
    m_speed->setValue(42);
    m_speedLabel = new QLabel;
    m_overlay = new QCheckBox(tr("Receptive field of the next pixel"));
    m_overlay->setChecked(true);
    m_next = new QLabel;
    m_next->setTextFormat(Qt::RichText);
    m_next->setWordWrap(true);
    m_progress = new QLabel;
    m_progress->setWordWrap(true);
    m_info = new QLabel;
    m_info->setWordWrap(true);
    m_overlayNote = new QLabel;
    m_overlayNote->setWordWrap(true);

    // The rows of controls wrap onto further lines in a narrow dock (presentation mode at 1280x800); a label stays
    // with its box, and the model's long names are elided in the closed box (the list shows them whole).
    m_model->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_model->setMinimumContentsLength(16);
    m_model->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    auto* top = new FlowLayout;
    top->addGroup({new QLabel(tr("Model")), m_model});
    top->addGroup({new QLabel(tr("Temperature")), m_temperature});
    top->addGroup({new QLabel(tr("Seed")), m_seed});

    auto* grids = new QGridLayout;
    auto* c1 = new QLabel(tr("<b>Sample</b> (red: next pixel, orange: what it depends on)"));
    auto* c2 = new QLabel(tr("<b>P(pixel = 1 | pixels before it)</b>"));
    c1->setWordWrap(true);
    c2->setWordWrap(true);
    grids->addWidget(c1, 0, 0);
    grids->addWidget(c2, 0, 1);
    grids->addWidget(m_canvas, 1, 0);
    grids->addWidget(m_map, 1, 1);

    auto* transport = new FlowLayout;
    for (QWidget* w : {static_cast<QWidget*>(m_back), static_cast<QWidget*>(m_step), static_cast<QWidget*>(m_play),
                       static_cast<QWidget*>(m_ff), static_cast<QWidget*>(m_reset)})
        transport->addWidget(w);
    transport->addGroup({m_speed, m_speedLabel});   // (the slider takes the rest of its line)

    auto* draw = new FlowLayout;
    draw->addWidget(m_overlay);
    draw->addGroup({new QLabel(tr("Keep first rows of my drawing")), m_keepRows});
    draw->addWidget(m_clear);

    auto* lay = new QVBoxLayout(this);
    lay->addLayout(top);
    lay->addWidget(m_info);
    lay->addWidget(m_next);  // the next pixel and its probability, right above the pictures
    lay->addWidget(m_progress);
    lay->addLayout(grids);
    lay->addLayout(transport);
    lay->addLayout(draw);
    lay->addWidget(m_overlayNote);
    lay->addStretch(1);  // spare height goes below the controls, not between the pictures and their buttons

    m_speedLabel->setText(tr("%1 px/s").arg(speed()));
    connect(m_step, &QPushButton::clicked, this, &PixelPanel::stepRequested);
    connect(m_back, &QPushButton::clicked, this, &PixelPanel::backRequested);
    connect(m_reset, &QPushButton::clicked, this, &PixelPanel::resetRequested);
    connect(m_ff, &QPushButton::clicked, this, &PixelPanel::fastForwardRequested);
    connect(m_clear, &QPushButton::clicked, this, &PixelPanel::clearDrawingRequested);
    connect(m_play, &QPushButton::toggled, this, [this](bool on) {
        m_play->setText(on ? tr("Pause") : tr("Play"));
        emit playToggled(on);
    });
    connect(m_speed, &QSlider::valueChanged, this, [this] {
        m_speedLabel->setText(tr("%1 px/s").arg(speed()));
        emit speedChanged(speed());
    });
    connect(m_model, qOverload<int>(&QComboBox::currentIndexChanged), this, &PixelPanel::modelChosen);
    connect(m_overlay, &QCheckBox::toggled, this, &PixelPanel::overlayToggled);
    connect(m_temperature, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &PixelPanel::temperatureChanged);
    connect(m_seed, qOverload<int>(&QSpinBox::valueChanged), this, &PixelPanel::seedChanged);
    connect(m_keepRows, qOverload<int>(&QSpinBox::valueChanged), this, &PixelPanel::keepRowsChanged);
    connect(m_canvas, &PixelGridView::cellPainted, this, &PixelPanel::cellPainted);
}

void PixelPanel::setModels(const QStringList& names, int current) {
    const QSignalBlocker b(m_model);
    m_model->clear();
    m_model->addItems(names);
    m_model->setCurrentIndex(current);
}

void PixelPanel::setGrid(int height, int width) {
    m_canvas->setGrid(height, width);
    m_map->setGrid(height, width);
    m_keepRows->setMaximum(height);
}

void PixelPanel::setCanvas(const QVector<float>& values, const QVector<bool>& fixed, int nextIndex) {
    m_canvas->setCells(values);
    m_canvas->setFixed(fixed);
    m_canvas->setMarked(nextIndex);
}

void PixelPanel::setProbabilities(const QVector<float>& p, int nextIndex) {
    m_map->setCells(p);
    m_map->setMarked(nextIndex);
}

void PixelPanel::setOverlay(const QVector<float>& overlay) { m_canvas->setOverlay(overlay); }

void PixelPanel::setNextPixel(int y, int x, float p) {
    if (p < 0) {
        m_next->setText(tr("The image is complete."));
        return;
    }
    m_next->setText(tr("Next pixel: row %1, column %2 &nbsp; <b>P(ink) = %3</b> &nbsp; P(blank) = %4")
                        .arg(y).arg(x).arg(double(p), 0, 'f', 4).arg(1.0 - double(p), 0, 'f', 4));
}

void PixelPanel::setProgress(int done, int total, double logProb) {
    m_progress->setText(tr("%1 of %2 pixels drawn · log P(pixels so far) = %3 nats (%4 bits/pixel)")
                            .arg(done).arg(total).arg(logProb, 0, 'f', 2)
                            .arg(done > 0 ? -logProb / done / std::log(2.0) : 0.0, 0, 'f', 3));
}

void PixelPanel::setPlaying(bool playing) {
    const QSignalBlocker b(m_play);
    m_play->setChecked(playing);
    m_play->setText(playing ? tr("Pause") : tr("Play"));
}

void PixelPanel::setInfo(const QString& text) { m_info->setText(text); }
void PixelPanel::setKeepRows(int rows) { m_keepRows->setValue(rows); }
void PixelPanel::setOverlayNote(const QString& text) { m_overlayNote->setText(text); }
bool PixelPanel::overlayEnabled() const { return m_overlay->isChecked(); }
int PixelPanel::speed() const { return speedFromSlider(m_speed->value()); }
double PixelPanel::temperature() const { return m_temperature->value(); }
int PixelPanel::seed() const { return m_seed->value(); }
int PixelPanel::keepRows() const { return m_keepRows->value(); }
int PixelPanel::currentModel() const { return m_model->currentIndex(); }
QString PixelPanel::nextPixelText() const { return m_next->text(); }
QString PixelPanel::progressText() const { return m_progress->text(); }

}  // namespace arlab
