#include "widgets/tokenchipsview.h"

#include "widgets/flowlayout.h"
#include "widgets/fonts.h"

#include <QEvent>
#include <QFontInfo>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace arlab {

// The chips, laid out like wrapped text.
class ChipCanvas : public QWidget {
public:
    explicit ChipCanvas(TokenChipsView* owner) : QWidget(owner), m_owner(owner) {
        setMouseTracking(true);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    }
    QList<QRect> rects;  // one per chip, plus the "?" chip last (when there is a next position)
    QRect noteRect;      // the end note ("(end of sequence)"): after the last chip, or on the next line

    // Token text: large (it is read from the back of a classroom); the probability below it: smaller.
    QFont tokenFont() const { return scaledFont(font(), 1.6); }
    QFont probabilityFont() const { return scaledFont(font(), 0.95); }
    static QString probabilityText(const TokenChip& c) { return QString::number(c.p, 'f', 2); }

    int relayout(int width) {
        rects.clear();
        const QFontMetrics fm(tokenFont()), pm(probabilityFont());
        const int h = fm.height() + pm.height() + 10, gap = 6, margin = 6;
        int x = margin, y = margin;
        const int n = int(m_owner->m_chips.size()) + (m_owner->m_next.isEmpty() ? 0 : 1);
        for (int i = 0; i < n; ++i) {
            const bool chip = i < m_owner->m_chips.size();
            const QString text = chip ? m_owner->m_chips[i].text : QStringLiteral("?");
            int w = std::max(fm.horizontalAdvance(text) + 18, fm.height() + 12);
            if (chip && !m_owner->m_chips[i].prompt) w = std::max(w, pm.horizontalAdvance(probabilityText(m_owner->m_chips[i])) + 14);
            if (x + w > width - margin && x > margin) {
                x = margin;
                y += h + gap;
            }
            rects << QRect(x, y, w, h);
            x += w + gap;
        }
        noteRect = {};
        if (!m_owner->m_endNote.isEmpty()) {
            QFont nf = font();
            nf.setItalic(true);
            const int nw = QFontMetrics(nf).horizontalAdvance(m_owner->m_endNote) + 8;
            if (x + nw > width - margin && x > margin) {
                x = margin;
                y += h + gap;
            }
            noteRect = QRect(x + 4, y, nw, h);
        }
        return y + h + margin;
    }
    QSize sizeHint() const override { return {600, 120}; }
    QSize minimumSizeHint() const override { return {200, 60}; }

protected:
    void resizeEvent(QResizeEvent*) override { updateHeight(); }
    void updateHeight() {
        const int h = relayout(width());
        if (minimumHeight() != h) setMinimumHeight(h);
        fitArea(h);
    }

public:
    // The scroll area around the chips asks for up to two rows of chips (in the chips' own font, so presentation
    // mode's larger chips do not hide behind a scroll bar); more rows scroll.
    void fitArea(int contentHeight) {
        auto* area = qobject_cast<QScrollArea*>(parentWidget() ? parentWidget()->parentWidget() : nullptr);
        if (!area) return;
        const int row = QFontMetrics(tokenFont()).height() + QFontMetrics(probabilityFont()).height() + 10;
        const int want = std::min(contentHeight, 2 * row + 6 + 2 * 6) + 2 * area->frameWidth();
        if (area->minimumHeight() != want) area->setMinimumHeight(want);
    }

protected:
    void paintEvent(QPaintEvent*) override {
        relayout(width());
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        const QFont f = tokenFont(), pf = probabilityFont();
        const int ph = QFontMetrics(pf).height();
        for (int i = 0; i < rects.size(); ++i) {
            const QRectF r = QRectF(rects[i]).adjusted(0.5, 0.5, -0.5, -0.5);
            const bool next = i >= m_owner->m_chips.size();
            const bool selected = (next && m_owner->m_selected < 0) || i == m_owner->m_selected;
            QColor fill = QColor(235, 235, 235);
            QPen pen(QColor(150, 150, 150), 1);
            if (next) {
                fill = QColor(250, 250, 250);
                pen.setStyle(Qt::DashLine);
            } else if (!m_owner->m_chips[i].prompt) {
                fill = TokenChipsView::colorForProbability(m_owner->m_chips[i].p);
                pen.setColor(fill.darker(150));
                if (m_owner->m_chips[i].forced) {
                    pen.setStyle(Qt::DashLine);
                    pen.setColor(Qt::black);
                }
            }
            if (selected) pen = QPen(QColor(20, 90, 200), 2.5, pen.style());
            p.setPen(pen);
            p.setBrush(fill);
            p.drawRoundedRect(r, 6, 6);
            p.setPen(next ? QColor(120, 120, 120) : QColor(20, 20, 20));
            p.setFont(f);
            const bool generated = !next && !m_owner->m_chips[i].prompt;
            if (!generated) {
                p.drawText(r, Qt::AlignCenter, next ? QStringLiteral("?") : m_owner->m_chips[i].text);
                continue;
            }
            // Generated: the token, and below it the probability the model gave it.
            p.drawText(r.adjusted(0, 2, 0, -ph - 2), Qt::AlignCenter, m_owner->m_chips[i].text);
            p.setFont(pf);
            p.setPen(QColor(60, 60, 60));
            p.drawText(r.adjusted(0, r.height() - ph - 4, 0, -3), Qt::AlignHCenter | Qt::AlignTop,
                       probabilityText(m_owner->m_chips[i]));
        }
        if (!m_owner->m_endNote.isEmpty()) {
            QFont small = font();
            small.setItalic(true);
            p.setFont(small);
            p.setPen(QColor(90, 90, 90));
            p.drawText(noteRect, Qt::AlignVCenter | Qt::AlignLeft, m_owner->m_endNote);
        }
    }
    int chipAt(const QPoint& pos) const {
        for (int i = 0; i < rects.size(); ++i)
            if (rects[i].contains(pos)) return i;
        return -2;
    }
    void mousePressEvent(QMouseEvent* e) override {
        const int i = chipAt(e->position().toPoint());
        if (i == -2) return;
        m_owner->selectChip(i >= m_owner->m_chips.size() ? -1 : i);
    }
    bool event(QEvent* e) override {
        if (e->type() == QEvent::ToolTip) {
            auto* he = static_cast<QHelpEvent*>(e);
            const int i = chipAt(he->pos());
            if (i == -2) {
                QToolTip::hideText();
                return true;
            }
            QToolTip::showText(he->globalPos(), tooltipFor(i), this, rects[i]);
            return true;
        }
        return QWidget::event(e);
    }
    QString tooltipFor(int i) const {
        const bool next = i >= m_owner->m_chips.size();
        const QList<TokenAlternative>& alts = next ? m_owner->m_next : m_owner->m_chips[i].alternatives;
        QString h;
        if (next) {
            h = QObject::tr("<b>Next token</b> — the model's top candidates:");
        } else {
            const TokenChip& c = m_owner->m_chips[i];
            if (c.prompt) return QObject::tr("<b>%1</b> — prompt token").arg(c.text.toHtmlEscaped());
            h = QObject::tr("<b>%1</b> — p = %2%3<br>Alternatives (click the chip to choose one):")
                    .arg(c.text.toHtmlEscaped())
                    .arg(c.p, 0, 'f', 3)
                    .arg(c.forced ? QObject::tr(" (forced by you)") : QString());
        }
        h += "<table>";
        for (const auto& a : alts)
            h += QStringLiteral("<tr><td>%1%2%3</td><td align='right'>&nbsp;%4</td></tr>")
                     .arg(a.chosen ? "<b>" : "", a.text.toHtmlEscaped(), a.chosen ? "</b>" : "")
                     .arg(a.p, 0, 'f', 3);
        return h + "</table>";
    }

private:
    TokenChipsView* m_owner;
};

TokenChipsView::TokenChipsView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_canvas = new ChipCanvas(this);
    m_canvas->setToolTip(QString());  // tooltips are per chip
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_canvas);
    scroll->setFrameShape(QFrame::StyledPanel);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    layout->addWidget(scroll, 1);
    m_altTitle = new QLabel(this);
    m_altTitle->setWordWrap(true);
    m_altTitle->setToolTip(tr("Click an alternative to choose it instead: generation continues from it, and the "
                              "old continuation stays in the history as a branch"));
    layout->addWidget(m_altTitle);
    m_altRow = new QWidget(this);
    m_altLayout = new FlowLayout(m_altRow, 4, 4);   // the candidates wrap onto a second line in a narrow dock
    layout->addWidget(m_altRow);
    rebuildButtons();
}

void TokenChipsView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) rebuildButtons();
}

QColor TokenChipsView::colorForProbability(double p) {
    // Red (p -> 0) through yellow to green (p -> 1), light enough to read black text on.
    p = std::clamp(p, 0.0, 1.0);
    const double hue = 120.0 * std::sqrt(p);  // sqrt: spreads the small probabilities apart
    return QColor::fromHsvF(float(hue / 360.0), 0.45f, 1.0f);
}

void TokenChipsView::setChips(const QList<TokenChip>& chips, const QList<TokenAlternative>& next, const QString& endNote) {
    m_chips = chips;
    m_next = next;
    m_endNote = endNote;
    if (m_selected >= m_chips.size() || (m_selected >= 0 && m_chips[m_selected].prompt)) m_selected = -1;
    m_canvas->relayout(std::max(m_canvas->width(), 200));
    const int h = m_canvas->relayout(std::max(m_canvas->width(), 200));
    m_canvas->setMinimumHeight(h);
    m_canvas->fitArea(h);
    m_canvas->update();
    rebuildButtons();
}

void TokenChipsView::selectChip(int index) {
    if (index >= m_chips.size() || (index >= 0 && m_chips[index].prompt)) index = -1;
    m_selected = index;
    m_canvas->update();
    rebuildButtons();
    emit chipSelected(index);
}

QRect TokenChipsView::chipRect(int index) const {
    if (index < 0 || index >= m_canvas->rects.size()) return {};
    return QRect(m_canvas->mapTo(this, m_canvas->rects[index].topLeft()), m_canvas->rects[index].size());
}

QString TokenChipsView::alternativesTitle() const { return m_altTitle->text(); }

void TokenChipsView::rebuildButtons() {
    for (QPushButton* b : m_buttons) {
        b->hide();  // gone now; deleted later (one of them may be emitting clicked() right now)
        m_altLayout->removeWidget(b);
        b->deleteLater();
    }
    m_buttons.clear();
    const bool next = m_selected < 0;
    const QList<TokenAlternative>& alts = next ? m_next : m_chips[m_selected].alternatives;
    if (next)
        m_altTitle->setText(m_next.isEmpty() ? tr("No next token.")
                                             : tr("<b>Next token</b> — choose one yourself (or press Space to sample):"));
    else
        m_altTitle->setText(tr("<b>Position %1</b> (‘%2’) — choose another token here to branch:")
                                .arg(m_selected + 1)
                                .arg(m_chips[m_selected].text.toHtmlEscaped()));
    const int chip = m_selected;
    for (const auto& a : alts) {
        auto* b = new QPushButton(QStringLiteral("%1  %2%").arg(a.text).arg(100.0 * a.p, 0, 'f', 1), m_altRow);
        b->setToolTip(a.chosen ? tr("‘%1’ was taken here (p = %2)").arg(a.text).arg(a.p, 0, 'f', 4)
                               : tr("Choose ‘%1’ (p = %2) at this position and continue from it").arg(a.text).arg(a.p, 0, 'f', 4));
        const QColor c = colorForProbability(a.p);
        // The size is part of the style sheet: a button with a style sheet keeps the font it was polished with, so
        // it would miss presentation mode's larger font (changeEvent() rebuilds the buttons when the font changes).
        b->setStyleSheet(QStringLiteral("QPushButton{background:%1;border:%2 solid %3;border-radius:5px;padding:3px 8px;"
                                        "font-size:%5pt;%4}")
                             .arg(c.name(), a.chosen ? "2px" : "1px", a.chosen ? "#1a5ac8" : c.darker(150).name(),
                                  a.chosen ? "font-weight:bold;" : "")
                             .arg(QFontInfo(font()).pointSizeF()));
        b->setProperty("tokenId", a.id);
        connect(b, &QPushButton::clicked, this, [this, chip, id = a.id] { emit alternativeClicked(chip, id); });
        m_altLayout->addWidget(b);
        m_buttons << b;
    }
}

}  // namespace arlab
