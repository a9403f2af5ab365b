#include "widgets/tokenizerview.h"

#include "widgets/fonts.h"

#include "core/data/tokentrace.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QScrollArea>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace arlab {

namespace {

QString hexBytes(const std::string& bytes, int max = 24) {
    QStringList out;
    for (size_t i = 0; i < bytes.size() && int(i) < max; ++i) out << QStringLiteral("%1").arg(uint(uint8_t(bytes[i])), 2, 16, QLatin1Char('0')).toUpper();
    if (int(bytes.size()) > max) out << QStringLiteral("…");
    return out.join(QLatin1Char(' '));
}

// The pre-token as text: valid UTF-8 with visible spaces, other bytes as \xHH.
QString visible(const std::string& bytes) { return QString::fromStdString(ar::visibleToken(bytes, true)); }

}  // namespace

// The table: one row per pre-token (pre-token, bytes, symbol chips, ids), then a summary line.
class TokenizerCanvas : public QWidget {
public:
    explicit TokenizerCanvas(TokenizerView* owner) : QWidget(owner), m_owner(owner) {}

    static constexpr int kPad = 8, kGap = 4, kCol = 18;

    QFont chipFont() const { return scaledFont(font(), 1.1); }
    QFont monoFont() const {
        QFont f(QStringLiteral("monospace"));
        f.setStyleHint(QFont::TypeWriter);
        f.setPointSizeF(font().pointSizeF() * 0.95);
        return f;
    }
    int rowHeight() const { return QFontMetrics(chipFont()).height() + 14; }
    int chipWidth(const QString& text) const { return QFontMetrics(chipFont()).horizontalAdvance(text) + 12; }

    // Column x positions: pre-token, bytes, tokens, ids.
    std::array<int, 4> columns() const {
        const auto& d = m_owner->m_data.trace;
        const QFontMetrics cf(chipFont()), mf(monoFont()), hf(headerFont());
        int w0 = hf.horizontalAdvance(TokenizerView::tr("1  pre-token")), w1 = hf.horizontalAdvance(TokenizerView::tr("2  bytes"));
        int w2 = hf.horizontalAdvance(TokenizerView::tr("3  tokens after %1 of %2 merges").arg(d.merges.size()).arg(d.merges.size()));
        for (size_t i = 0; i < d.pretokens.size(); ++i) {
            w0 = std::max(w0, cf.horizontalAdvance(visible(d.pretokens[i])) + 12);
            w1 = std::max(w1, mf.horizontalAdvance(hexBytes(d.pretokens[i])));
            if (i < m_owner->m_symbols.size()) w2 = std::max(w2, symbolsWidth(m_owner->m_symbols[i]));
        }
        const int x0 = kPad, x1 = x0 + std::min(w0, 260) + kCol, x2 = x1 + std::min(w1, 420) + kCol, x3 = x2 + w2 + kCol;
        return {x0, x1, x2, x3};
    }
    int symbolsWidth(const ar::Tokens& syms) const {
        int w = 0;
        for (int id : syms) w += chipWidth(m_owner->label(id)) + kGap;
        return w;
    }
    QFont headerFont() const {
        QFont f = font();
        f.setBold(true);
        return f;
    }
    QSize sizeHint() const override {
        const auto cols = columns();
        int idsW = 0;
        const QFontMetrics mf(monoFont());
        for (const auto& s : m_owner->m_symbols) {
            QStringList ids;
            for (int id : s) ids << QString::number(id);
            idsW = std::max(idsW, mf.horizontalAdvance(ids.join(QLatin1Char(' '))));
        }
        const int rows = int(m_owner->m_data.trace.pretokens.size());
        return {cols[3] + idsW + kPad, kPad + QFontMetrics(headerFont()).height() + 6 + rows * rowHeight() + 3 * QFontMetrics(font()).height() + kPad};
    }

    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        p.fillRect(rect(), palette().base());
        const TokenizerView& v = *m_owner;
        if (!v.m_message.isEmpty() || v.m_data.trace.pretokens.empty()) {
            p.setPen(palette().color(QPalette::PlaceholderText));
            p.drawText(rect().adjusted(kPad, kPad, -kPad, -kPad), Qt::AlignCenter | Qt::TextWordWrap,
                       v.m_message.isEmpty() ? TokenizerView::tr("Type a text above to see it tokenized.") : v.m_message);
            return;
        }
        const auto& t = v.m_data.trace;
        const auto cols = columns();
        int y = kPad;
        p.setFont(headerFont());
        p.setPen(palette().color(QPalette::Text));
        const int hh = QFontMetrics(headerFont()).height();
        p.drawText(QRect(cols[0], y, 400, hh), Qt::AlignLeft | Qt::AlignVCenter, TokenizerView::tr("1  pre-token"));
        p.drawText(QRect(cols[1], y, 400, hh), Qt::AlignLeft | Qt::AlignVCenter, TokenizerView::tr("2  bytes"));
        p.drawText(QRect(cols[2], y, 400, hh), Qt::AlignLeft | Qt::AlignVCenter,
                   TokenizerView::tr("3  tokens after %1 of %2 merges").arg(v.m_applied).arg(t.merges.size()));
        p.drawText(QRect(cols[3], y, 400, hh), Qt::AlignLeft | Qt::AlignVCenter, TokenizerView::tr("4  ids"));
        y += hh + 6;
        // The merge just applied and the one to come.
        const ar::Tokenizer::Merge* last = v.m_applied > 0 ? &t.merges[size_t(v.m_applied - 1)] : nullptr;
        const ar::Tokenizer::Merge* next = v.m_applied < int(t.merges.size()) ? &t.merges[size_t(v.m_applied)] : nullptr;
        const int rh = rowHeight();
        for (size_t i = 0; i < t.pretokens.size(); ++i, y += rh) {
            if (i % 2 == 1) p.fillRect(QRect(0, y, width(), rh), palette().color(QPalette::AlternateBase));
            const QRectF chip0(cols[0], y + 3, chipWidth(visible(t.pretokens[i])), rh - 6);
            p.setFont(chipFont());
            p.setPen(QPen(QColor(150, 150, 150), 1));
            p.setBrush(QColor(235, 235, 235));
            p.drawRoundedRect(chip0, 5, 5);
            p.setPen(QColor(20, 20, 20));
            p.drawText(chip0, Qt::AlignCenter, visible(t.pretokens[i]));
            p.setFont(monoFont());
            p.setPen(QColor(90, 90, 90));
            p.drawText(QRect(cols[1], y, cols[2] - cols[1] - kCol, rh), Qt::AlignLeft | Qt::AlignVCenter, hexBytes(t.pretokens[i]));
            if (i >= v.m_symbols.size()) continue;
            const ar::Tokens& syms = v.m_symbols[i];
            int x = cols[2];
            p.setFont(chipFont());
            for (size_t k = 0; k < syms.size(); ++k) {
                const QString text = v.label(syms[k]);
                const QRectF r(x + 0.5, y + 3.5, chipWidth(text) - 1, rh - 7);
                const bool made = last && last->pretoken == int(i) && last->position == int(k);
                const bool joining = next && next->pretoken == int(i) && (next->position == int(k) || next->position + 1 == int(k));
                QColor fill = syms[k] < 0 ? QColor(255, 210, 205) : QColor(222, 235, 252);
                QPen pen(QColor(120, 150, 190), 1);
                if (joining) pen = QPen(QColor(230, 130, 20), 2, Qt::DashLine);
                if (made) {
                    pen = QPen(QColor(20, 90, 200), 2.5);
                    fill = QColor(200, 222, 252);
                }
                p.setPen(pen);
                p.setBrush(fill);
                p.drawRoundedRect(r, 5, 5);
                p.setPen(QColor(20, 20, 20));
                p.drawText(r, Qt::AlignCenter, text);
                x += chipWidth(text) + kGap;
            }
            QStringList ids;
            for (int id : syms) ids << QString::number(id);
            p.setFont(monoFont());
            p.setPen(QColor(40, 40, 40));
            p.drawText(QRect(cols[3], y, width() - cols[3], rh), Qt::AlignLeft | Qt::AlignVCenter, ids.join(QLatin1Char(' ')));
        }
        // Summary: how many tokens now, from how many bytes.
        int symbols = 0;
        size_t bytes = 0;
        for (const auto& s : v.m_symbols) symbols += int(s.size());
        for (const auto& s : t.pretokens) bytes += s.size();
        p.setFont(font());
        p.setPen(palette().color(QPalette::Text));
        QString summary = TokenizerView::tr("%n token(s)", "", symbols) + TokenizerView::tr(" from %n byte(s)", "", int(bytes)) +
                          TokenizerView::tr(" in %n pre-token(s)", "", int(t.pretokens.size()));
        if (v.m_applied == int(t.merges.size())) summary += TokenizerView::tr(": the ids the model reads.");
        if (!v.m_data.note.isEmpty()) summary += QStringLiteral("  ") + v.m_data.note;
        p.drawText(QRect(kPad, y + 6, width() - 2 * kPad, 3 * QFontMetrics(font()).height()), Qt::AlignLeft | Qt::TextWordWrap, summary);
    }

private:
    TokenizerView* m_owner;
};

TokenizerView::TokenizerView(QWidget* parent) : QWidget(parent) {
    m_text = new QLineEdit;
    m_text->setObjectName(QStringLiteral("tokenizerText"));
    m_text->setPlaceholderText(tr("text to tokenize"));
    m_text->setToolTip(tr("The text to tokenize with the current model's tokenizer (it follows the prompt until you edit it)"));
    m_kind = new QLabel;
    m_kind->setToolTip(tr("The current model's tokenizer and its vocabulary size"));
    auto* top = new QHBoxLayout;
    top->addWidget(m_text, 1);
    top->addWidget(m_kind);

    auto button = [this](const QString& text, const QString& tip) {
        auto* b = new QToolButton;
        b->setText(text);
        b->setToolTip(tip);
        b->setAutoRaise(false);
        return b;
    };
    m_start = button(QStringLiteral("|<"), tr("Back to the bytes, before any merge"));
    m_back = button(tr("< Back"), tr("Undo the last merge"));
    m_step = button(tr("Step >"), tr("Apply the next merge: the adjacent pair with the best rank (GPT-2: lowest rank; llama2.c: highest score)"));
    m_step->setObjectName(QStringLiteral("tokenizerStep"));
    m_end = button(QStringLiteral(">|"), tr("Apply every merge: the ids the model reads"));
    m_slider = new QSlider(Qt::Horizontal);
    m_slider->setToolTip(tr("How many merges are applied"));
    m_slider->setMinimumWidth(120);
    m_stepLabel = new QLabel;
    m_stepLabel->setTextFormat(Qt::PlainText);
    m_stepLabel->setToolTip(tr("The merge just applied: left + right → result, and its priority"));
    auto* controls = new QHBoxLayout;
    for (QWidget* w : {static_cast<QWidget*>(m_start), static_cast<QWidget*>(m_back), static_cast<QWidget*>(m_step), static_cast<QWidget*>(m_end)})
        controls->addWidget(w);
    controls->addWidget(m_slider, 1);
    controls->addWidget(m_stepLabel, 2);

    m_canvas = new TokenizerCanvas(this);
    m_scroll = new QScrollArea;
    m_scroll->setWidget(m_canvas);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::StyledPanel);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addLayout(controls);
    layout->addWidget(m_scroll, 1);

    connect(m_text, &QLineEdit::textEdited, this, &TokenizerView::textEdited);
    connect(m_start, &QToolButton::clicked, this, [this] { setMergesApplied(0); });
    connect(m_back, &QToolButton::clicked, this, &TokenizerView::stepBack);
    connect(m_step, &QToolButton::clicked, this, &TokenizerView::stepForward);
    connect(m_end, &QToolButton::clicked, this, [this] { setMergesApplied(mergeCount()); });
    connect(m_slider, &QSlider::valueChanged, this, &TokenizerView::setMergesApplied);
    clear(tr("No model loaded."));
}

void TokenizerView::setText(const QString& text) {
    if (m_text->text() != text) m_text->setText(text);
}

QString TokenizerView::text() const { return m_text->text(); }

void TokenizerView::setTrace(const TokenizerTraceData& data, bool fromStart) {
    m_data = data;
    m_message.clear();
    m_kind->setText(data.kind);
    m_applied = -1;   // forces the refresh below
    setMergesApplied(fromStart ? 0 : mergeCount());
}

void TokenizerView::clear(const QString& message) {
    m_data = {};
    m_symbols.clear();
    m_applied = 0;
    m_message = message;
    m_kind->clear();
    refresh();
}

void TokenizerView::setMergesApplied(int n) {
    n = std::clamp(n, 0, mergeCount());
    if (n == m_applied) return;
    m_applied = n;
    try {
        m_symbols = ar::traceSymbolsAfter(m_data.trace, size_t(n));
    } catch (const std::exception& e) {   // a malformed trace (never from core's tokenizers): said, not drawn
        m_symbols.clear();
        m_message = QString::fromStdString(e.what());
    }
    refresh();
    emit mergesAppliedChanged(n);
}

void TokenizerView::stepForward() { setMergesApplied(m_applied + 1); }
void TokenizerView::stepBack() { setMergesApplied(m_applied - 1); }

QString TokenizerView::label(int id) const {
    if (id < 0) return QStringLiteral("?");
    auto it = m_data.labels.find(id);
    return it != m_data.labels.end() ? it.value() : QString::number(id);
}

QString TokenizerView::stepText() const {
    const auto& merges = m_data.trace.merges;
    if (merges.empty()) return m_data.trace.pretokens.empty() ? QString() : tr("No merges: each piece is one token.");
    if (m_applied == 0) return tr("%n merge(s) to apply: press Step", "", int(merges.size()));
    const ar::Tokenizer::Merge& m = merges[size_t(m_applied - 1)];
    const QString prio = m_data.priorityName.isEmpty() ? QString() : QStringLiteral(" (%1 %2)").arg(m_data.priorityName).arg(m.priority, 0, 'g', 6);
    return tr("Merge %1 of %2: %3 + %4 → %5").arg(m_applied).arg(merges.size()).arg(label(m.left), label(m.right), label(m.result)) + prio;
}

void TokenizerView::refresh() {
    const int n = mergeCount();
    m_slider->blockSignals(true);
    m_slider->setRange(0, n);
    m_slider->setValue(m_applied);
    m_slider->blockSignals(false);
    m_start->setEnabled(m_applied > 0);
    m_back->setEnabled(m_applied > 0);
    m_step->setEnabled(m_applied < n);
    m_end->setEnabled(m_applied < n);
    m_slider->setEnabled(n > 0);
    m_stepLabel->setText(stepText());
    m_canvas->setMinimumSize(m_canvas->sizeHint());
    m_canvas->updateGeometry();
    m_canvas->update();
}

}  // namespace arlab
