#include "widgets/flashview.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QFontMetrics>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSlider>
#include <QTextDocument>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace arlab {

// The grid: T x T cells, causal mask, tiles done, the current tile.
class FlashGrid : public QWidget {
public:
    const FlashViewData* data = nullptr;
    int frame = -1;
    FlashGrid() {
        setObjectName("flashGrid");
        setMinimumSize(180, 180);
        setToolTip(tr("The T x T attention scores of one head. Grey: above the diagonal, masked (the future). Blue: tiles "
                      "already folded into the running sums. Orange: the tile being computed now. The full matrix is "
                      "never stored: only one tile exists at a time."));
    }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.fillRect(rect(), palette().window());
        if (!data || data->tokens.isEmpty()) return;
        const int T = int(data->tokens.size());
        // The token labels in the window's font (presentation mode enlarges it), smaller only when the cells are;
        // the margin holds the longest one.
        QFont f = font();
        int longest = 0;
        for (const QString& t : data->tokens) longest = std::max(longest, QFontMetrics(f).horizontalAdvance(t));
        const int margin = std::max(60, longest + 12);
        const double cell = std::max(2.0, std::min((width() - margin - 10) / double(T), (height() - margin - 10) / double(T)));
        const QPointF o(margin, margin);
        const auto cellRect = [&](int r, int c) { return QRectF(o.x() + c * cell, o.y() + r * cell, cell, cell); };
        // masked and visible cells
        for (int r = 0; r < T; ++r)
            for (int c = 0; c < T; ++c) p.fillRect(cellRect(r, c), c > r ? QColor(235, 235, 235) : QColor(250, 250, 250));
        // processed tiles
        for (int i = 0; i <= frame && i < int(data->tiles.size()); ++i) {
            const auto& t = data->tiles[size_t(i)];
            const bool current = i == frame;
            for (int r = t.q0; r < t.q0 + t.nq; ++r)
                for (int c = t.k0; c < t.k0 + t.nk && c <= r; ++c) {
                    const bool known = data->probabilities.rows() > r && data->probabilities.cols() > c;
                    const double w = known ? std::sqrt(std::clamp(double(data->probabilities(r, c)), 0.0, 1.0)) : 0.5;
                    p.fillRect(cellRect(r, c), current ? QColor(243, 156, 18) : QColor(int(220 - 190 * w), int(235 - 140 * w), int(250 - 40 * w)));
                }
            if (current) {
                p.setPen(QPen(QColor(211, 84, 0), 2.5));
                p.drawRect(QRectF(o.x() + t.k0 * cell, o.y() + t.q0 * cell, t.nk * cell, t.nq * cell));
            }
        }
        // block boundaries
        p.setPen(QPen(QColor(120, 120, 120), 1, Qt::DashLine));
        for (int b = data->blockQ; b < T; b += data->blockQ) p.drawLine(QPointF(o.x(), o.y() + b * cell), QPointF(o.x() + T * cell, o.y() + b * cell));
        for (int b = data->blockK; b < T; b += data->blockK) p.drawLine(QPointF(o.x() + b * cell, o.y()), QPointF(o.x() + b * cell, o.y() + T * cell));
        p.setPen(QPen(QColor(60, 60, 60), 1));
        p.drawRect(QRectF(o, QSizeF(T * cell, T * cell)));
        // token labels (when they fit)
        f.setPointSizeF(std::max(6.0, std::min(f.pointSizeF(), cell * 0.7)));
        p.setFont(f);
        if (cell >= 8)
            for (int i = 0; i < T; ++i) {
                p.drawText(QRectF(0, o.y() + i * cell, margin - 4, cell), Qt::AlignRight | Qt::AlignVCenter, data->tokens[i]);
                p.save();
                p.translate(o.x() + (i + 0.5) * cell, margin - 4);
                p.rotate(-60);
                p.drawText(QRectF(0, -cell / 2, margin, cell), Qt::AlignLeft | Qt::AlignVCenter, data->tokens[i]);
                p.restore();
            }
        p.drawText(QRectF(0, 0, margin, margin / 2), Qt::AlignCenter, tr("q \\ k"));
    }
};

FlashView::FlashView(QWidget* parent) : QWidget(parent) {
    m_grid = new FlashGrid;
    m_rows = new QLabel;
    m_rows->setTextFormat(Qt::RichText);
    m_rows->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_rows->setMinimumWidth(240);
    m_rows->setWordWrap(true);
    m_memory = new QLabel;
    m_memory->setWordWrap(true);
    m_play = new QPushButton(tr("Play"));
    m_play->setToolTip(tr("Animate the tiles one after another."));
    m_step = new QPushButton(tr("Step"));
    m_step->setToolTip(tr("Process the next tile."));
    m_slider = new QSlider(Qt::Horizontal);
    m_slider->setToolTip(tr("Jump to any tile."));
    m_timer = new QTimer(this);
    m_timer->setInterval(350);

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_play);
    controls->addWidget(m_step);
    controls->addWidget(m_slider, 1);
    auto* right = new QVBoxLayout;
    right->addWidget(m_rows, 1);
    right->addWidget(m_memory);
    auto* top = new QHBoxLayout;
    top->addWidget(m_grid, 3);
    top->addLayout(right, 2);
    auto* outer = new QVBoxLayout(this);
    outer->addLayout(top, 1);
    outer->addLayout(controls);

    connect(m_slider, &QSlider::valueChanged, this, [this](int v) { setFrame(v - 1); });
    connect(m_step, &QPushButton::clicked, this, [this] { setFrame(frame() + 1); });
    connect(m_play, &QPushButton::clicked, this, [this] { setPlaying(!isPlaying()); });
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (frame() + 1 >= frameCount()) setPlaying(false);
        else setFrame(frame() + 1);
    });
    m_grid->data = &m_data;
}

void FlashView::setData(const FlashViewData& data) {
    m_data = data;
    m_slider->blockSignals(true);
    m_slider->setRange(0, int(m_data.tiles.size()));
    m_slider->blockSignals(false);
    m_memory->setText(tr("%1. This prompt's attention op held at most %2 bytes with the tiled kernel and %3 bytes with the "
                         "standard one, which keeps the whole T x T matrix of every head.")
                          .arg(m_data.title)
                          .arg(m_data.flashBytes)
                          .arg(m_data.standardBytes));
    fitRowTable();
    setFrame(int(m_data.tiles.size()) - 1);
}

void FlashView::setMessage(const QString& text) { m_memory->setText(text); }

int FlashView::frame() const { return m_grid->frame; }
int FlashView::frameCount() const { return int(m_data.tiles.size()); }
bool FlashView::isPlaying() const { return m_timer->isActive(); }

void FlashView::setPlaying(bool playing) {
    if (playing) {
        if (frame() + 1 >= frameCount()) setFrame(-1);
        m_timer->start();
    } else {
        m_timer->stop();
    }
    m_play->setText(playing ? tr("Pause") : tr("Play"));
}

void FlashView::setFrame(int tile) {
    m_grid->frame = std::clamp(tile, -1, frameCount() - 1);
    m_slider->blockSignals(true);
    m_slider->setValue(m_grid->frame + 1);
    m_slider->blockSignals(false);
    updateText();
    m_grid->update();
}

QString FlashView::rowText() const { return m_rows->text(); }

// The row table of `tile` (-1: before the first) as HTML: per query row, the running max before and after, the sum
// and, where a new maximum appeared, the factor the earlier sums were rescaled by.
QString FlashView::rowsHtml(int tile) const {
    if (tile < 0 || tile >= frameCount()) return tr("<b>Before the first tile.</b><br>Every query row starts with m = −∞ and l = 0.");
    const auto& t = m_data.tiles[size_t(tile)];
    QString html = tr("<b>Tile %1 of %2</b>: queries %3–%4 × keys %5–%6<br>").arg(tile + 1).arg(frameCount()).arg(t.q0).arg(t.q0 + t.nq - 1).arg(t.k0).arg(t.k0 + t.nk - 1);
    // (cells never broken inside, white-space: nowrap, except the note, which wraps at its spaces)
    html += "<table cellspacing=4 cellpadding=3 style='white-space:nowrap'><tr><th>" + tr("query") + "</th><th>m " + tr("before") + "</th><th>m " + tr("after") +
            "</th><th>l</th><th></th></tr>";
    for (int i = 0; i < t.nq; ++i) {
        const float before = t.maxBefore[size_t(i)], after = t.maxAfter[size_t(i)];
        const QString b = std::isinf(before) ? QString("−∞") : QString::number(before, 'f', 3);
        QString note;
        if (t.rescaled[size_t(i)])
            note = "<span style='color:#d35400'>" + tr("new max: earlier sums × %1").arg(std::exp(double(before) - double(after)), 0, 'f', 3) + "</span>";
        const int row = t.q0 + i;
        html += QString("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td style='white-space:normal'>%5</td></tr>")
                    .arg(row < m_data.tokens.size() ? m_data.tokens[row].toHtmlEscaped() : QString::number(row))
                    .arg(b)
                    .arg(after, 0, 'f', 3)
                    .arg(t.sumAfter[size_t(i)], 0, 'f', 3)
                    .arg(note);
    }
    html += "</table>";
    return html;
}

void FlashView::updateText() { m_rows->setText(rowsHtml(m_grid->frame)); }

// The row table never narrower than its widest frame needs in the label's font (presentation mode enlarges it) with
// no word broken: a number or a token stays on one line; only the rescaling note wraps, at its spaces. The same for
// every frame, so the table does not jump while the tiles play.
void FlashView::fitRowTable() {
    QTextDocument doc;
    doc.setDefaultFont(font());   // (the label's: it has none of its own)
    QTextOption words;
    words.setWrapMode(QTextOption::WordWrap);   // at spaces only: the narrowest width that breaks no word
    doc.setDefaultTextOption(words);
    doc.setTextWidth(1);
    int widest = 0;
    for (int f = -1; f < frameCount(); ++f) {
        doc.setHtml(rowsHtml(f));
        widest = std::max(widest, int(std::ceil(doc.idealWidth())));
    }
    m_rows->setMinimumWidth(std::max(240, widest));
}

void FlashView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) fitRowTable();
}

ExportTable FlashView::exportTable() const {
    ExportTable t{{"tile", "query_block", "key_block", "row", "max_before", "max_after", "sum_after", "rescaled"}, {}, {}};
    for (size_t n = 0; n < m_data.tiles.size(); ++n) {
        const ar::nn::FlashTile& tile = m_data.tiles[n];
        for (int r = 0; r < tile.nq && size_t(r) < tile.maxAfter.size(); ++r)
            t.addRow({QString::number(n), QString::number(tile.q0), QString::number(tile.k0), QString::number(tile.q0 + r),
                      ExportTable::number(tile.maxBefore[size_t(r)]), ExportTable::number(tile.maxAfter[size_t(r)]),
                      ExportTable::number(tile.sumAfter[size_t(r)]), tile.rescaled[size_t(r)] ? QStringLiteral("1") : QStringLiteral("0")});
    }
    if (t.isEmpty()) t.emptyReason = tr("no prompt traced yet");
    return t;
}

}  // namespace arlab
