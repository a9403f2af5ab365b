#include "widgets/compareview.h"

#include "widgets/fonts.h"
#include "widgets/spinboxes.h"

#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace arlab {

namespace {
constexpr int kShownRows = 8;  // the view asks for room to show this many rows whole; more scroll
}  // namespace

class CompareCanvas : public QWidget {
public:
    std::vector<ar::CompareRow> rows;
    QString prompt;
    QString message;
    int chipW = 60;
    int rowH = 46, chipH = 26, top = 30;   // a row, a chip in it, the header (prompt and position numbers)
    int labelW = 130, scoreW = 92;       // the row label column, the total log-prob column (wider for larger text)

    // Text in the widget's font (presentation mode enlarges it), the probability under a chip smaller.
    QFont textFont() const { return scaledFont(font(), 0.9); }
    QFont smallFont() const { return scaledFont(font(), 0.75); }
    int rowsHeight(int n) const { return top + n * rowH + 10; }

    void relayout() {
        const QFont f = textFont();
        const QFontMetrics fm(f);
        chipH = std::max(26, fm.height() + 10);
        rowH = chipH + QFontMetrics(smallFont()).height() + 8;
        top = std::max(30, fm.height() + 14);
        QFont bold = f;
        bold.setBold(true);
        labelW = 130;
        for (const auto& r : rows) labelW = std::max(labelW, QFontMetrics(bold).horizontalAdvance(QString::fromStdString(r.label)) + 16);
        scoreW = std::max(92, fm.horizontalAdvance(QStringLiteral("-888.888")) + 16);
        chipW = 44;
        size_t cols = 0;
        for (const auto& r : rows) {
            cols = std::max(cols, r.tokens.size());
            for (const auto& p : r.pieces) chipW = std::max(chipW, fm.horizontalAdvance(QString::fromStdString(p)) + 14);
        }
        chipW = std::min(chipW, 120);
        setMinimumSize(labelW + scoreW + int(cols) * (chipW + 4) + 20, rowsHeight(int(rows.size())));
        update();
    }
    QRect chip(int row, int i) const { return QRect(labelW + scoreW + i * (chipW + 4), top + row * rowH + 4, chipW, chipH); }
    static QColor colorFor(float p) {
        // Pale blue (unlikely) to deep blue (likely), by p: one hue, lightness only.
        const double t = std::clamp(double(p), 0.0, 1.0);
        const QColor lo(0xee, 0xf3, 0xfb), hi(0x1f, 0x4e, 0x9c);
        return QColor::fromRgbF(float(lo.redF() + t * (hi.redF() - lo.redF())), float(lo.greenF() + t * (hi.greenF() - lo.greenF())),
                                float(lo.blueF() + t * (hi.blueF() - lo.blueF())));
    }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        p.fillRect(rect(), Qt::white);
        QFont f = font();
        if (rows.empty()) {
            p.setPen(QColor(0x66, 0x66, 0x66));
            p.drawText(rect().adjusted(10, 10, -10, -10), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                       message.isEmpty() ? QObject::tr("Press Run to decode the prompt with every strategy.") : message);
            return;
        }
        f = textFont();
        p.setFont(f);
        p.setPen(QColor(0x55, 0x55, 0x66));
        p.drawText(QRect(6, 4, labelW - 8, top - 10), Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetrics(f).elidedText(QObject::tr("prompt: %1").arg(prompt), Qt::ElideRight, labelW - 8));
        size_t cols = 0;
        for (const auto& r : rows) cols = std::max(cols, r.tokens.size());
        for (size_t i = 0; i < cols; ++i)
            p.drawText(QRect(chip(0, int(i)).left(), 4, chipW, top - 10), Qt::AlignCenter, QString::number(i + 1));
        p.drawText(QRect(labelW, 4, scoreW, top - 10), Qt::AlignLeft | Qt::AlignVCenter, QObject::tr("log P"));
        for (int r = 0; r < int(rows.size()); ++r) {
            const auto& row = rows[size_t(r)];
            const int y = top + r * rowH;
            if (r % 2) p.fillRect(QRect(0, y, width(), rowH), QColor(0xf7, 0xf7, 0xfa));
            QFont bold = f;
            bold.setBold(true);
            p.setFont(bold);
            p.setPen(Qt::black);
            p.drawText(QRect(6, y + 4, labelW - 8, chipH), Qt::AlignLeft | Qt::AlignVCenter, QString::fromStdString(row.label));
            p.setFont(f);
            p.drawText(QRect(labelW, y + 4, scoreW - 6, chipH), Qt::AlignLeft | Qt::AlignVCenter,
                       QString::number(row.logprob, 'f', 3));
            for (int i = 0; i < int(row.tokens.size()); ++i) {
                const QRect c = chip(r, i);
                const float prob = row.probs[size_t(i)];
                p.setPen(Qt::NoPen);
                p.setBrush(colorFor(prob));
                p.drawRoundedRect(c, 6, 6);
                p.setPen(prob > 0.55f ? Qt::white : Qt::black);
                p.drawText(c.adjusted(3, 0, -3, 0), Qt::AlignCenter,
                           QFontMetrics(f).elidedText(QString::fromStdString(row.pieces[size_t(i)]), Qt::ElideRight, c.width() - 6));
                p.setFont(smallFont());
                p.setPen(QColor(0x44, 0x44, 0x55));
                p.drawText(QRect(c.left(), c.bottom() + 1, c.width(), rowH - chipH - 5), Qt::AlignCenter, QString::number(prob, 'f', 3));
                p.setFont(f);
                if (i == row.divergence) {
                    p.setPen(QPen(QColor(0xd6, 0x28, 0x28), 3));
                    p.setBrush(Qt::NoBrush);
                    p.drawRoundedRect(c.adjusted(-2, -2, 2, 2), 7, 7);
                    p.setPen(QPen(QColor(0xd6, 0x28, 0x28), 1.5, Qt::DashLine));
                    p.drawLine(c.left() - 3, y + 1, c.left() - 3, y + rowH - 2);
                }
            }
            if (row.divergence >= int(row.tokens.size()) && row.divergence >= 0) {
                // Shorter than greedy: the divergence is where it stopped.
                const QRect c = chip(r, row.divergence);
                p.setPen(QPen(QColor(0xd6, 0x28, 0x28), 1.5, Qt::DashLine));
                p.setBrush(Qt::NoBrush);
                p.drawRoundedRect(c, 6, 6);
                p.drawText(c, Qt::AlignCenter, QObject::tr("(end)"));
            }
        }
    }
    bool event(QEvent* e) override {
        if (e->type() == QEvent::ToolTip) {
            auto* he = static_cast<QHelpEvent*>(e);
            for (int r = 0; r < int(rows.size()); ++r)
                for (int i = 0; i < int(rows[size_t(r)].tokens.size()); ++i)
                    if (chip(r, i).contains(he->pos())) {
                        const auto& row = rows[size_t(r)];
                        QString tip = QObject::tr("%1, position %2: '%3'\nP = %4 (log P %5)")
                                          .arg(QString::fromStdString(row.label)).arg(i + 1)
                                          .arg(QString::fromStdString(row.pieces[size_t(i)]))
                                          .arg(row.probs[size_t(i)], 0, 'f', 4)
                                          .arg(std::log(double(row.probs[size_t(i)])), 0, 'f', 3);
                        if (i == row.divergence) tip += QObject::tr("\nfirst token that differs from greedy");
                        QToolTip::showText(he->globalPos(), tip, this);
                        return true;
                    }
            QToolTip::hideText();
            return true;
        }
        return QWidget::event(e);
    }
};

CompareView::CompareView(QWidget* parent) : QWidget(parent) {
    m_canvas = new CompareCanvas;
    m_scroll = new QScrollArea;
    m_scroll->setWidget(m_canvas);
    m_scroll->setWidgetResizable(true);
    m_scroll->setBackgroundRole(QPalette::Base);
    m_samples = makeSpinBox(0, 32, 3, tr("How many sampled rows (seeds seed, seed+1, ...), using the sampling settings."));
    m_beam = makeSpinBox(0, 64, 4, tr("Beam width of the beam row (0 = no beam row)."));
    m_maxNew = makeSpinBox(1, 256, 10, tr("Tokens to generate at most per row (every row also stops at the end token)."));
    m_seed = makeSpinBox(0, 2000000000, 1, tr("Seed of the first sampled row."));
    m_run = new QPushButton(tr("Run"));
    m_run->setToolTip(tr("Decode the prompt with greedy, beam search and the seeded samples."));
    m_status = new QLabel;
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Samples")));
    controls->addWidget(m_samples);
    controls->addWidget(new QLabel(tr("Beam width")));
    controls->addWidget(m_beam);
    controls->addWidget(new QLabel(tr("Max tokens")));
    controls->addWidget(m_maxNew);
    controls->addWidget(new QLabel(tr("Seed")));
    controls->addWidget(m_seed);
    controls->addWidget(m_run);
    controls->addWidget(m_status, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(controls);
    layout->addWidget(m_scroll, 1);
    connect(m_run, &QPushButton::clicked, this, [this] { emit runRequested(settings()); });
    for (QSpinBox* box : {m_samples, m_beam, m_maxNew, m_seed})
        connect(box, &QSpinBox::valueChanged, this, [this] { emit settingsEdited(settings(), beamWidth()); });
}

void CompareView::setRows(const std::vector<ar::CompareRow>& rows, const QString& prompt) {
    m_canvas->rows = rows;
    m_canvas->prompt = prompt;
    m_canvas->message.clear();
    m_canvas->relayout();
    fitRows();
    m_status->clear();
}

// The scroll area asks for the room of every row (up to kShownRows), so the last row's probabilities are not
// cut off at the bottom of the dock; a horizontal scroll bar, when the rows are wider, gets its room too.
void CompareView::fitRows() {
    const int n = std::min<int>(int(m_canvas->rows.size()), kShownRows);
    const int scrollBar = m_canvas->minimumWidth() > m_scroll->viewport()->width() ? m_scroll->horizontalScrollBar()->sizeHint().height() : 0;
    m_scroll->setMinimumHeight(m_canvas->rowsHeight(n) + scrollBar + 2 * m_scroll->frameWidth());
}

void CompareView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    fitRows();   // (a horizontal scroll bar comes or goes with the width)
}

void CompareView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        m_canvas->relayout();
        fitRows();
    }
}

void CompareView::setMessage(const QString& text) {
    m_canvas->rows.clear();
    m_canvas->message = text;
    m_canvas->relayout();
}

QString CompareView::message() const { return m_canvas->message; }

void CompareView::setBusy(bool busy) {
    m_run->setEnabled(!busy);
    m_status->setText(busy ? tr("decoding…") : QString());
}

const std::vector<ar::CompareRow>& CompareView::rows() const { return m_canvas->rows; }

ar::CompareSettings CompareView::settings() const {
    ar::CompareSettings s;
    s.samples = m_samples->value();
    s.beamRow = m_beam->value() > 0;
    s.maxNewTokens = m_maxNew->value();
    s.seed = uint64_t(m_seed->value());
    return s;
}

int CompareView::beamWidth() const { return m_beam->value(); }

void CompareView::setSettings(const ar::CompareSettings& s, int beamWidth) {
    const QSignalBlocker b1(m_samples), b2(m_beam), b3(m_maxNew), b4(m_seed);
    m_samples->setValue(s.samples);
    m_beam->setValue(s.beamRow ? beamWidth : 0);
    m_maxNew->setValue(s.maxNewTokens);
    m_seed->setValue(int(std::min<uint64_t>(s.seed, 2000000000)));
}

QRect CompareView::chipRect(int row, int index) const { return m_canvas->chip(row, index); }

int CompareView::markedDivergence(int row) const {
    if (row < 0 || row >= int(m_canvas->rows.size())) return -1;
    return m_canvas->rows[size_t(row)].divergence;
}

QColor CompareView::chipColor(float p) const { return CompareCanvas::colorFor(p); }

QWidget* CompareView::canvas() const { return m_canvas; }

}  // namespace arlab
