#include "widgets/lensview.h"

#include <QHeaderView>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollArea>
#include <QTableWidget>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>

namespace arlab {

// The generated tokens as chips, each with its commitment layer under it; wraps like text.
class CommitmentStrip : public QWidget {
public:
    explicit CommitmentStrip(LensView* owner) : QWidget(owner), m_owner(owner) { setMouseTracking(true); }
    QList<QRect> rects;

    void relayout(int width) {
        rects.clear();
        const QFontMetrics fm(font());
        const int h = 2 * fm.height() + 10;
        int x = 4, y = 4;
        for (const CommitmentChip& c : m_owner->m_data.commitment) {
            const int w = std::max(fm.horizontalAdvance(c.token), fm.horizontalAdvance(QStringLiteral("L99"))) + 14;
            if (x + w > width - 4 && x > 4) {
                x = 4;
                y += h + 4;
            }
            rects << QRect(x, y, w, h);
            x += w + 4;
        }
        setMinimumHeight(rects.isEmpty() ? fm.height() + 8 : rects.back().bottom() + 5);
    }
    QSize sizeHint() const override { return {400, minimumHeight()}; }
    void resizeEvent(QResizeEvent*) override { relayout(width()); }

    void paintEvent(QPaintEvent*) override {
        relayout(width());
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        const LensData& d = m_owner->m_data;
        const QFontMetrics fm(font());
        if (d.commitment.isEmpty()) {
            p.setPen(palette().color(QPalette::PlaceholderText));
            p.drawText(rect().adjusted(4, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, LensView::tr("No generated tokens yet: press Space."));
            return;
        }
        for (int i = 0; i < rects.size(); ++i) {
            const CommitmentChip& c = d.commitment[i];
            const QRectF r = QRectF(rects[i]).adjusted(0.5, 0.5, -0.5, -0.5);
            const QColor fill = c.layer < 0 ? QColor(235, 235, 235) : LensView::colorForLayer(c.layer, d.layers);
            const bool selected = c.step == d.selectedStep;
            p.setPen(selected ? QPen(QColor(20, 90, 200), 2.5) : QPen(fill.darker(140), 1));
            p.setBrush(fill);
            p.drawRoundedRect(r, 5, 5);
            const bool dark = c.layer >= 0 && fill.lightness() < 130;
            p.setPen(dark ? Qt::white : QColor(20, 20, 20));
            p.drawText(QRectF(r.left(), r.top() + 3, r.width(), fm.height()), Qt::AlignCenter, c.token);
            p.drawText(QRectF(r.left(), r.top() + 5 + fm.height(), r.width(), fm.height()), Qt::AlignCenter,
                       c.layer < 0 ? QStringLiteral("—") : c.layer == 0 ? LensView::tr("emb") : QStringLiteral("L%1").arg(c.layer));
        }
    }
    int chipAt(const QPoint& pos) const {
        for (int i = 0; i < rects.size(); ++i)
            if (rects[i].contains(pos)) return i;
        return -1;
    }
    void mousePressEvent(QMouseEvent* e) override {
        const int i = chipAt(e->position().toPoint());
        if (i >= 0) emit m_owner->stepClicked(m_owner->m_data.commitment[i].step);
    }
    bool event(QEvent* e) override {
        if (e->type() == QEvent::ToolTip) {
            auto* he = static_cast<QHelpEvent*>(e);
            const int i = chipAt(he->pos());
            if (i < 0) {
                QToolTip::hideText();
                return true;
            }
            const CommitmentChip& c = m_owner->m_data.commitment[i];
            QToolTip::showText(he->globalPos(),
                               c.layer < 0 ? LensView::tr("“%1” (step %2) is not the model's top-1 at the last layer: it was sampled or forced.")
                                                 .arg(c.token).arg(c.step + 1)
                               : c.layer == 0 ? LensView::tr("“%1” (step %2) is top-1 already from the embedding on: every layer keeps it.")
                                                    .arg(c.token).arg(c.step + 1)
                                              : LensView::tr("“%1” (step %2) becomes top-1 after layer %3 and stays top-1 to the output.")
                                                    .arg(c.token).arg(c.step + 1).arg(c.layer),
                               this);
            return true;
        }
        return QWidget::event(e);
    }

private:
    LensView* m_owner;
};

LensView::LensView(QWidget* parent) : QWidget(parent) {
    m_title = new QLabel;
    m_title->setTextFormat(Qt::RichText);
    m_title->setWordWrap(true);
    m_title->setToolTip(tr("The selected step of the Generation dock (click a chip there, or in the strip below)"));
    m_status = new QLabel;
    m_status->setStyleSheet(QStringLiteral("color: #666;"));
    m_table = new QTableWidget;
    m_table->setObjectName(QStringLiteral("lensTable"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->setToolTip(tr("<p>Logit lens: the residual stream after each layer, read through the model's final norm and "
                           "unembedding. Each row is the next-token distribution the model would give if it stopped there; "
                           "the last row is its real output.</p>"));
    m_stripTitle = new QLabel(tr("<b>Commitment</b>: for each generated token, the first layer from which it is the top-1 and stays top-1 "
                                 "(dark = early; — = not the model's top-1, i.e. sampled). Click a token to select its step."));
    m_stripTitle->setWordWrap(true);
    m_strip = new CommitmentStrip(this);
    m_strip->setObjectName(QStringLiteral("commitmentStrip"));
    m_stripScroll = new QScrollArea;
    m_stripScroll->setWidget(m_strip);
    m_stripScroll->setWidgetResizable(true);
    m_stripScroll->setFrameShape(QFrame::NoFrame);
    m_stripScroll->setMaximumHeight(4 * fontMetrics().height() + 40);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_title);
    layout->addWidget(m_status);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_stripTitle);
    layout->addWidget(m_stripScroll);
    clear(tr("No model loaded."));
}

QColor LensView::colorForLayer(int layer, int layers) {
    // Early (0) = dark green, the last layer = pale.
    const double t = layers > 0 ? std::clamp(double(layer) / double(layers), 0.0, 1.0) : 1.0;
    return QColor::fromHsvF(0.36, 0.85 - 0.6 * t, 0.45 + 0.5 * t);
}

void LensView::setData(const LensData& data) {
    m_data = data;
    m_title->setText(data.title);
    m_status->clear();
    m_status->hide();
    int cols = 0;
    for (const auto& r : data.rows) cols = std::max(cols, int(r.size()));
    m_table->clear();
    m_table->setRowCount(int(data.rows.size()));
    m_table->setColumnCount(cols);
    QStringList headers;
    for (int c = 0; c < cols; ++c) headers << QString::number(c + 1);
    m_table->setHorizontalHeaderLabels(headers);
    m_table->setVerticalHeaderLabels(data.rowNames);
    for (int r = 0; r < data.rows.size(); ++r) {
        const bool output = r == data.rows.size() - 1;
        for (int c = 0; c < data.rows[r].size(); ++c) {
            const LensCell& cell = data.rows[r][c];
            auto* item = new QTableWidgetItem(QStringLiteral("%1   %2").arg(cell.token, QString::number(cell.p, 'f', 3)));
            const double shade = std::clamp(cell.p, 0.0, 1.0);
            item->setBackground(QColor::fromRgbF(float(1.0 - 0.75 * shade), float(1.0 - 0.45 * shade), 1.0f));
            if (shade > 0.6) item->setForeground(Qt::white);
            QFont f = item->font();
            f.setBold(cell.id == data.chosen || output);
            f.setItalic(output && cell.id != data.chosen);
            item->setFont(f);
            item->setToolTip(tr("%1 (id %2): p = %3 read after %4").arg(cell.token).arg(cell.id).arg(cell.p, 0, 'g', 6).arg(data.rowNames.value(r)));
            m_table->setItem(r, c, item);
        }
    }
    m_strip->relayout(m_strip->width());
    m_strip->update();
    m_table->setEnabled(true);
}

void LensView::clear(const QString& message) {
    m_data = {};
    m_title->setText(message.toHtmlEscaped());
    m_status->hide();
    m_table->clear();
    m_table->setRowCount(0);
    m_table->setColumnCount(0);
    m_strip->relayout(m_strip->width());
    m_strip->update();
}

void LensView::setBusy(const QString& message) {
    m_status->setText(message);
    m_status->setVisible(!message.isEmpty());
}

QRect LensView::chipRect(int index) const {
    if (index < 0 || index >= m_strip->rects.size()) return {};
    return QRect(m_strip->mapTo(this, m_strip->rects[index].topLeft()), m_strip->rects[index].size());
}

}  // namespace arlab
