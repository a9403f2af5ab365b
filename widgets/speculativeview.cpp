#include "widgets/speculativeview.h"

#include "widgets/flowlayout.h"
#include "widgets/fonts.h"
#include "widgets/limitsplot.h"
#include "widgets/spinboxes.h"

#include <qcustomplot.h>

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace arlab {

namespace {
const QColor kAccepted(150, 220, 150), kRejected(240, 120, 110), kNext(150, 190, 245), kUnchecked(235, 235, 235);

QString pq(double p, double q) {
    return QStringLiteral("p %1 q %2").arg(p, 0, 'f', 2).arg(q, 0, 'f', 2);
}
}  // namespace

class SpeculativeCanvas : public QWidget {
public:
    explicit SpeculativeCanvas(SpeculativeView* owner) : QWidget(owner), m_owner(owner) {}
    QSize sizeHint() const override { return {600, m_height}; }
    void relayout() {
        m_height = paintOrMeasure(nullptr);
        setMinimumHeight(m_height);
        update();
    }

protected:
    void resizeEvent(QResizeEvent*) override { relayout(); }
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        if (paintOrMeasure(&p) != m_height) QTimer::singleShot(0, this, [this] { relayout(); });
    }

private:
    int paintOrMeasure(QPainter* p) {
        const QFont wf = scaledFont(font(), 1.1), sf = scaledFont(font(), 0.8, 6.0);
        const QFontMetrics wm(wf), sm(sf), fm(font());
        const int margin = 6, chipH = wm.height() + sm.height() + 8;
        const SpeculativeRunData& run = m_owner->m_run;
        int labelW = fm.horizontalAdvance(SpeculativeView::tr("round %1").arg(std::max(1, int(run.rounds.size())))) + 12;
        labelW = std::max(labelW, fm.horizontalAdvance(SpeculativeView::tr("prompt")) + 12);
        int y = margin;
        if (p) {
            p->setFont(sf);
            p->setPen(QColor(70, 70, 70));
            p->drawText(QRect(margin, y, width() - 2 * margin, sm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                        SpeculativeView::tr("green = draft accepted · red = rejected (kept with probability min(1, p/q)) · "
                                            "struck out = never checked · blue = the target's own token"));
        }
        y += sm.height() + 6;
        if (run.rounds.isEmpty()) return y + margin;
        auto chip = [&](int& x, int& rowY, const QString& text, const QString& sub, const QColor& fill, bool strike,
                        bool first) {
            const int w = std::max(wm.horizontalAdvance(text), sm.horizontalAdvance(sub)) + 14;
            if (!first && x + w > width() - margin) {
                x = margin + labelW;
                rowY += chipH + 4;
            }
            if (p) {
                const QRectF r(x + 0.5, rowY + 0.5, w - 1, chipH - 1);
                p->setPen(QPen(fill.darker(150), 1));
                p->setBrush(fill);
                p->drawRoundedRect(r, 6, 6);
                QFont f = wf;
                f.setStrikeOut(strike);
                p->setFont(f);
                p->setPen(strike ? QColor(130, 130, 130) : QColor(15, 15, 15));
                p->drawText(r.adjusted(0, 2, 0, -sm.height() - 2), Qt::AlignCenter, text);
                p->setFont(sf);
                p->setPen(QColor(50, 50, 50));
                p->drawText(r.adjusted(0, r.height() - sm.height() - 4, 0, -2), Qt::AlignHCenter | Qt::AlignTop, sub);
            }
            x += w + 4;
        };
        auto label = [&](int rowY, const QString& text) {
            if (!p) return;
            p->setFont(font());
            p->setPen(QColor(90, 90, 90));
            p->drawText(QRect(margin, rowY, labelW, chipH), Qt::AlignLeft | Qt::AlignVCenter, text);
        };
        label(y, SpeculativeView::tr("prompt"));
        {
            int x = margin + labelW;
            chip(x, y, run.prompt, QString(), QColor(225, 225, 225), false, true);
        }
        y += chipH + 6;
        for (int r = 0; r < run.rounds.size(); ++r) {
            const SpeculativeRoundData& round = run.rounds[r];
            label(y, SpeculativeView::tr("round %1").arg(r + 1));
            int x = margin + labelW;
            bool first = true;
            for (const SpeculativeDraftToken& d : round.draft) {
                const bool checked = d.status != SpeculativeDraftToken::Unchecked;
                chip(x, y, d.text, checked ? pq(d.p, d.q) : SpeculativeView::tr("not checked"),
                     d.status == SpeculativeDraftToken::Accepted ? kAccepted
                     : d.status == SpeculativeDraftToken::Rejected ? kRejected : kUnchecked, !checked, first);
                first = false;
            }
            x += 8;
            chip(x, y, QStringLiteral("→ ") + round.next, round.bonus ? SpeculativeView::tr("bonus from p") : SpeculativeView::tr("resampled"),
                 kNext, false, first);
            y += chipH + 4;
        }
        return y + margin;
    }

    SpeculativeView* m_owner;
    int m_height = 120;
};

SpeculativeView::SpeculativeView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    // One row that wraps onto further lines in a narrow dock (presentation mode at 1280x800); a label stays with its box.
    auto* row = new FlowLayout;
    const auto labelled = [this, row](const QString& label, QWidget* box) { row->addGroup({new QLabel(label, this), box}); };
    m_prompt = new QLineEdit(this);
    m_prompt->setObjectName("speculativePrompt");
    m_prompt->setFocusPolicy(Qt::ClickFocus);
    m_prompt->setToolTip(tr("Words of the toy language; press Enter to decode again"));
    labelled(tr("Prompt:"), m_prompt);   // (the line edit takes the rest of its line)
    m_gamma = makeSpinBox(1, 8, 4, tr("Tokens the draft model proposes per round"), this);
    m_gamma->setObjectName("speculativeGamma");
    labelled(tr("γ:"), m_gamma);
    m_steps = makeSpinBox(5, 50, 30, tr("Tokens to generate"), this);
    labelled(tr("tokens:"), m_steps);
    // with the default prompt and γ, seed 2 has two rejections to look at (seed 1 has none)
    m_seed = makeSpinBox(1, 1000000, 2, tr("Same seed, same rounds"), this);
    labelled(tr("seed:"), m_seed);
    auto* again = new QPushButton(tr("Sample again"), this);
    again->setToolTip(tr("Decode again with the next seed"));
    row->addWidget(again);
    layout->addLayout(row);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->hide();
    layout->addWidget(m_status);

    m_canvas = new SpeculativeCanvas(this);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidget(m_canvas);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    layout->addWidget(m_scroll, 4);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    layout->addWidget(m_summary);

    m_legend = new QLabel(this);   // the plot's legend as one line (inside the plot it hid the curves)
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setWordWrap(true);   // between the entries at a projector's size
    layout->addWidget(m_legend);
    auto* speedRow = new QHBoxLayout;
    m_plot = limitsplot::makePlot(tr("Speedup over plain AR"), tr("γ (drafted tokens per round)"), tr("× plain AR"),
                                  tr("Target calls: plain AR makes one per token; speculative decoding one per round. "
                                     "Theory: (1 − α^(γ+1)) / (1 − α) tokens per target call with the measured acceptance α."));
    m_plot->setParent(this);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    speedRow->addWidget(m_plot, 1);
    layout->addLayout(speedRow, 3);
    m_speedSummary = new QLabel(this);
    m_speedSummary->setWordWrap(true);
    m_measure = new QPushButton(tr("Measure again"), this);
    m_measure->setToolTip(tr("Time plain AR and speculative decoding for γ = 1..8 again (in the background)"));
    auto* sumRow = new QHBoxLayout;
    sumRow->addWidget(m_speedSummary, 1);
    sumRow->addWidget(m_measure);
    layout->addLayout(sumRow);

    connect(m_gamma, &QSpinBox::valueChanged, this, &SpeculativeView::runRequested);
    connect(m_steps, &QSpinBox::valueChanged, this, &SpeculativeView::runRequested);
    connect(m_seed, &QSpinBox::valueChanged, this, &SpeculativeView::runRequested);
    connect(m_prompt, &QLineEdit::returnPressed, this, &SpeculativeView::runRequested);
    connect(again, &QPushButton::clicked, this, [this] { m_seed->setValue(m_seed->value() + 1); });
    connect(m_measure, &QPushButton::clicked, this, &SpeculativeView::measureRequested);
    setSpeedup({}, 0, 0);
}

int SpeculativeView::gamma() const { return m_gamma->value(); }
quint64 SpeculativeView::seed() const { return quint64(m_seed->value()); }
int SpeculativeView::steps() const { return m_steps->value(); }
QString SpeculativeView::prompt() const { return m_prompt->text(); }
void SpeculativeView::setPrompt(const QString& text) { m_prompt->setText(text); }

void SpeculativeView::setRun(const SpeculativeRunData& run) {
    m_run = run;
    QString text;
    if (!run.rounds.isEmpty()) {
        const double perCall = run.targetCalls > 0 ? double(run.tokens) / run.targetCalls : 0;
        text = tr("<b>%1 tokens in %2 target calls = %3 tokens per target call</b> (plain AR: 1). Acceptance α = %4 "
                  "measured, %5 expected (mean Σ min(p, q)); theory (1 − α^(γ+1)) / (1 − α) = %6 tokens per call. "
                  "%7 draft calls.")
                   .arg(run.tokens).arg(run.targetCalls).arg(perCall, 0, 'f', 2).arg(run.acceptance, 0, 'f', 3)
                   .arg(run.expectedAcceptance, 0, 'f', 3)
                   .arg(run.expectedAcceptance >= 1 ? double(run.gamma + 1)
                                                     : (1 - std::pow(run.expectedAcceptance, run.gamma + 1)) / (1 - run.expectedAcceptance),
                        0, 'f', 2)
                   .arg(run.draftCalls);
    }
    m_summary->setText(text);
    setStatus({}, false);
    static_cast<SpeculativeCanvas*>(m_canvas)->relayout();
}

void SpeculativeView::clearRun(const QString& reason) {
    setRun({});
    setStatus(reason, true);
}

void SpeculativeView::setSpeedup(const QVector<SpeculativeSpeedPoint>& points, double arSeconds, int tokens) {
    m_speed = points;
    limitsplot::Curve calls{tr("target calls (measured)"), {}, {}}, theory{tr("theory (1 − α^(γ+1))/(1 − α)"), {}, {}},
        wall{tr("wall time, measured on this computer (median of AR/speculative pairs; bar: lowest–highest)"), {}, {}};
    for (const SpeculativeSpeedPoint& p : points) {
        calls.x << p.gamma;
        calls.y << p.tokensPerCall;
        theory.x << p.gamma;
        theory.y << p.theory;
        wall.x << p.gamma;
        wall.y << p.speedupWall;
    }
    m_plot->clearPlottables();   // the error bars too
    limitsplot::setCurves(m_plot, {calls, theory, wall});
    m_plot->legend->setVisible(false);
    if (!points.isEmpty()) {   // the wall-time spread: AR and speculative timed in pairs, the load changes between pairs
        auto* bars = new QCPErrorBars(m_plot->xAxis, m_plot->yAxis);
        bars->removeFromLegend();
        bars->setDataPlottable(m_plot->graph(2));
        bars->setPen(QPen(limitsplot::curveColor(2), 1.5));
        for (const SpeculativeSpeedPoint& p : points)
            bars->addData(std::max(0.0, p.speedupWall - p.wallLow), std::max(0.0, p.wallHigh - p.speedupWall));
        for (const SpeculativeSpeedPoint& p : points) m_plot->yAxis->setRange(0, std::max(m_plot->yAxis->range().upper, p.wallHigh * 1.05));
    }
    QStringList legend;
    for (int i = 0; i < 3; ++i)
        legend << QStringLiteral("<span style=\"color:%1\">%2</span>&nbsp;%3")
                      .arg(limitsplot::curveColor(i).name(), i == 1 ? QStringLiteral("- -") : QStringLiteral("●"),
                           m_plot->graph(i)->name().toHtmlEscaped());
    m_legend->setText(legend.join(QStringLiteral("&nbsp;&nbsp; ")));
    if (m_plot->graphCount() == 3) {
        QPen pen = m_plot->graph(1)->pen();
        pen.setStyle(Qt::DashLine);
        m_plot->graph(1)->setPen(pen);
        m_plot->graph(1)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssNone));
    }
    m_plot->xAxis->setRange(0.5, 8.5);
    m_plot->yAxis->setRange(0, std::max(2.0, m_plot->yAxis->range().upper));
    m_plot->replot();
    if (points.isEmpty()) {
        m_speedSummary->setText(tr("Speedup not measured yet."));
        return;
    }
    const auto best = std::max_element(points.begin(), points.end(),
                                       [](const SpeculativeSpeedPoint& a, const SpeculativeSpeedPoint& b) { return a.speedupWall < b.speedupWall; });
    m_speedSummary->setText(tr("Best γ = %1: %2× faster than plain AR in wall time, %3× fewer target calls. Plain AR: "
                               "%4 ms per token (%5 tokens timed, one thread, on this machine now).")
                                .arg(best->gamma).arg(best->speedupWall, 0, 'f', 2).arg(best->tokensPerCall, 0, 'f', 2)
                                .arg(tokens > 0 ? 1e3 * arSeconds / tokens : 0.0, 0, 'f', 2).arg(tokens));
}

void SpeculativeView::setSpeedupStatus(const QString& text) { m_speedSummary->setText(text); }

void SpeculativeView::setStatus(const QString& text, bool error) {
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color:#c00000;font-weight:bold") : QString());
    m_status->setVisible(!text.isEmpty());
}

QString SpeculativeView::summary() const { return m_summary->text(); }
QString SpeculativeView::speedupSummary() const { return m_speedSummary->text(); }
QString SpeculativeView::statusText() const { return m_status->isHidden() ? QString() : m_status->text(); }

QString SpeculativeView::roundText(int round) const {
    if (round < 0 || round >= m_run.rounds.size()) return {};
    QStringList parts;
    for (const SpeculativeDraftToken& d : m_run.rounds[round].draft) {
        if (d.status == SpeculativeDraftToken::Accepted) parts << d.text + QLatin1Char('+');
        else if (d.status == SpeculativeDraftToken::Rejected) parts << d.text + QLatin1Char('-');
        else parts << d.text + QLatin1Char('~');
    }
    return parts.join(QLatin1Char(' ')) + QStringLiteral(" -> ") + m_run.rounds[round].next;
}

ExportTable SpeculativeView::exportTable() const {
    ExportTable t{{QStringLiteral("section"), QStringLiteral("round_or_gamma"), QStringLiteral("index"), QStringLiteral("token"),
                   QStringLiteral("status"), QStringLiteral("p"), QStringLiteral("q"), QStringLiteral("tokens_per_target_call"),
                   QStringLiteral("theory"), QStringLiteral("speedup_wall"), QStringLiteral("acceptance"),
                   QStringLiteral("speedup_wall_lowest"), QStringLiteral("speedup_wall_highest")}};
    if (m_run.rounds.isEmpty() && m_speed.isEmpty()) t.emptyReason = tr("nothing decoded yet");
    static const char* const status[] = {"accepted", "rejected", "unchecked"};
    for (int r = 0; r < m_run.rounds.size(); ++r) {
        const SpeculativeRoundData& round = m_run.rounds[r];
        for (int i = 0; i < round.draft.size(); ++i) {
            const SpeculativeDraftToken& d = round.draft[i];
            const bool checked = d.status != SpeculativeDraftToken::Unchecked;
            t.addRow({QStringLiteral("round"), QString::number(r + 1), QString::number(i), d.text, QString::fromLatin1(status[d.status]),
                      checked ? ExportTable::number(d.p) : QString(), checked ? ExportTable::number(d.q) : QString(), {}, {}, {}, {}, {}, {}});
        }
        t.addRow({QStringLiteral("round"), QString::number(r + 1), QString::number(round.draft.size()), round.next,
                  round.bonus ? QStringLiteral("bonus") : QStringLiteral("resampled"), {}, {}, {}, {}, {}, {}, {}, {}});
    }
    for (const SpeculativeSpeedPoint& p : m_speed)
        t.addRow({QStringLiteral("speedup"), QString::number(p.gamma), {}, {}, {}, {}, {}, ExportTable::number(p.tokensPerCall),
                  ExportTable::number(p.theory), ExportTable::number(p.speedupWall), ExportTable::number(p.acceptance),
                  ExportTable::number(p.wallLow), ExportTable::number(p.wallHigh)});
    return t;
}

}  // namespace arlab
