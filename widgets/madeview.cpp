#include "widgets/madeview.h"

#include "widgets/flowlayout.h"
#include "widgets/pixelgridview.h"

#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

namespace arlab {

MadeConnectivityView::MadeConnectivityView(QWidget* parent) : QWidget(parent) {
    setMinimumSize(360, 260);
}

void MadeConnectivityView::setNetwork(const MadeNetwork& net) {
    m_net = net;
    computeSeen();
    update();
}

void MadeConnectivityView::setSelection(int layer, int index) {
    m_selLayer = layer;
    m_selIndex = index;
    computeSeen();
    update();
}

void MadeConnectivityView::computeSeen() {
    const int layers = int(m_net.numbers.size());
    m_seen.assign(size_t(layers), {});
    for (int l = 0; l < layers; ++l) m_seen[size_t(l)].assign(m_net.numbers[size_t(l)].size(), false);
    if (m_selLayer < 0 || m_selLayer >= layers || m_selIndex < 0 ||
        m_selIndex >= int(m_net.numbers[size_t(m_selLayer)].size()))
        return;
    m_seen[size_t(m_selLayer)][size_t(m_selIndex)] = true;
    for (int l = m_selLayer; l > 0; --l) {  // walk the masks downwards
        const ar::Mat& mask = m_net.masks[size_t(l - 1)];
        for (int k = 0; k < int(m_seen[size_t(l)].size()); ++k) {
            if (!m_seen[size_t(l)][size_t(k)]) continue;
            for (int j = 0; j < int(mask.cols()); ++j)
                if (mask(k, j) > 0) m_seen[size_t(l - 1)][size_t(j)] = true;
        }
    }
    m_seen[size_t(m_selLayer)][size_t(m_selIndex)] = false;  // the node itself is drawn as "selected"
}

QPointF MadeConnectivityView::nodePos(int layer, int index) const {
    const int layers = int(m_net.numbers.size());
    const int n = int(m_net.numbers[size_t(layer)].size());
    const double top = 30, bottom = height() - 30;
    const double y = layers > 1 ? bottom - (bottom - top) * layer / (layers - 1) : height() / 2.0;
    const double x = width() * (index + 1.0) / (n + 1.0);
    return {x, y};
}

void MadeConnectivityView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), Qt::white);
    const int layers = int(m_net.numbers.size());
    if (layers == 0) return;
    const bool sel = m_selLayer >= 0;
    auto isSeen = [&](int l, int i) { return sel && (m_seen[size_t(l)][size_t(i)] || (l == m_selLayer && i == m_selIndex)); };
    for (int pass = 0; pass < 2; ++pass)  // grey edges first, highlighted edges on top
        for (int l = 0; l + 1 < layers; ++l) {
            const ar::Mat& mask = m_net.masks[size_t(l)];
            for (int k = 0; k < int(mask.rows()); ++k)
                for (int j = 0; j < int(mask.cols()); ++j) {
                    if (mask(k, j) <= 0) continue;
                    const bool hot = isSeen(l + 1, k) && isSeen(l, j);
                    if (hot != (pass == 1)) continue;
                    p.setPen(hot ? QPen(QColor(255, 120, 0), 2.0) : QPen(QColor(0, 0, 0, sel ? 25 : 50), 1.0));
                    p.drawLine(nodePos(l, j), nodePos(l + 1, k));
                }
        }
    const double r = std::min(13.0, width() / (2.5 * (m_net.numbers[0].size() + 1)));
    QFont f = font();
    f.setPointSizeF(std::max(6.0, r * 0.75));
    p.setFont(f);
    for (int l = 0; l < layers; ++l)
        for (int i = 0; i < int(m_net.numbers[size_t(l)].size()); ++i) {
            const QPointF c = nodePos(l, i);
            QColor fill = l == 0 ? QColor(200, 225, 255) : l == layers - 1 ? QColor(220, 245, 210) : QColor(240, 240, 240);
            if (isSeen(l, i)) fill = QColor(255, 190, 120);
            if (l == m_selLayer && i == m_selIndex) fill = QColor(230, 40, 50);
            p.setPen(QPen(Qt::black, 1));
            p.setBrush(fill);
            p.drawEllipse(c, r, r);
            p.drawText(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r), Qt::AlignCenter,
                       QString::number(m_net.numbers[size_t(l)][size_t(i)]));
        }
    p.setPen(Qt::darkGray);
    p.drawText(QPointF(4, height() - 6), tr("inputs (m = position in the ordering)"));
    p.drawText(QPointF(4, 14), tr("outputs: p(x_d | inputs with m < m_d)"));
}

void MadeConnectivityView::mousePressEvent(QMouseEvent* e) {
    const QPointF pt = e->position();
    for (int l = 0; l < int(m_net.numbers.size()); ++l)
        for (int i = 0; i < int(m_net.numbers[size_t(l)].size()); ++i)
            if (QLineF(pt, nodePos(l, i)).length() < 14) {
                setSelection(l, i);
                emit nodeSelected(l, i);
                return;
            }
    setSelection(-1, -1);
    emit nodeSelected(-1, -1);
}

MadePanel::MadePanel(QWidget* parent) : QWidget(parent) {
    m_view = new MadeConnectivityView;
    m_order = new QComboBox;
    m_order->addItems({tr("natural ordering (raster)"), tr("random ordering")});
    m_resample = new QPushButton(tr("Resample masks"));
    m_newSamples = new QPushButton(tr("New samples"));
    m_maskInfo = new QLabel;
    m_maskInfo->setWordWrap(true);
    m_note = new QLabel;
    m_note->setWordWrap(true);
    m_help = new QLabel(tr("A MADE on 784 pixels has 470,000 masked connections, so the picture shows a MADE built "
                           "by the same rules on a 3×3 image (9 inputs, two hidden layers of 8). Each node shows its "
                           "connectivity number m. A hidden unit sees a unit below iff its m is ≥ that unit's m; "
                           "output d sees a hidden unit iff m_d > its m. Click a node to highlight everything it "
                           "may see."));
    m_help->setWordWrap(true);
    auto* controls = new FlowLayout;   // wraps in a narrow dock (presentation mode at 1280x800)
    controls->addWidget(m_order);
    controls->addWidget(m_resample);
    controls->addWidget(m_newSamples);
    auto* grid = new QGridLayout;
    for (int i = 0; i < 6; ++i) {
        auto* g = new PixelGridView;
        g->setMinimumSize(64, 64);   // six side by side fit the dock on a projector's 1280x800 (2.3 px a pixel)
        m_samples.push_back(g);
        grid->addWidget(g, 0, i);
    }
    auto* lay = new QVBoxLayout(this);
    lay->addWidget(m_help);
    lay->addWidget(m_view, 3);
    lay->addLayout(controls);
    lay->addWidget(m_maskInfo);
    auto* samplesTitle = new QLabel(tr("<b>Samples of the pretrained 784-input MADE with these masks</b>"));
    samplesTitle->setWordWrap(true);
    lay->addWidget(samplesTitle);
    lay->addLayout(grid, 1);
    lay->addWidget(m_note);
    connect(m_order, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) { emit orderChanged(i == 0); });
    connect(m_resample, &QPushButton::clicked, this, &MadePanel::resampleRequested);
    connect(m_newSamples, &QPushButton::clicked, this, &MadePanel::newSamplesRequested);
}

void MadePanel::setSamples(const std::vector<QVector<float>>& images, int height, int width) {
    for (size_t i = 0; i < m_samples.size(); ++i) {
        m_samples[i]->setGrid(height, width);
        if (i < images.size()) m_samples[i]->setCells(images[i]);
    }
}

void MadePanel::setMaskInfo(const QString& text) { m_maskInfo->setText(text); }
void MadePanel::setNote(const QString& text) { m_note->setText(text); }
bool MadePanel::naturalOrder() const { return m_order->currentIndex() == 0; }

}  // namespace arlab
