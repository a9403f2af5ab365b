#include "widgets/paralleldecodeview.h"

#include "widgets/fonts.h"
#include "widgets/spinboxes.h"
#include "widgets/tokenchipsview.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace arlab {

namespace {
const QString kEnd = QStringLiteral("</s>");
const QString kMask = QStringLiteral("[MASK]");

QStringList withoutEnd(QStringList words) {
    words.removeAll(kEnd);
    return words;
}
}  // namespace

// --- what is shown --------------------------------------------------------------------------------------

QVector<bool> ParallelDecodeView::repeatedFlags(const QStringList& words) {
    QVector<bool> r(words.size(), false);
    for (int i = 1; i < words.size(); ++i)
        if (!words[i].isEmpty() && words[i] != kEnd && words[i] == words[i - 1]) r[i] = r[i - 1] = true;
    return r;
}

QStringList ParallelDecodeView::missingWords(const QStringList& words, const QStringList& gold) {
    std::map<QString, int> have;
    for (const QString& w : words) ++have[w];
    QStringList missing;
    for (const QString& g : gold)
        if (have[g] > 0) --have[g];
        else missing << g;
    return missing;
}

QVector<ParallelShownLane> ParallelDecodeView::shown() const {
    QVector<ParallelShownLane> out;
    const int s = m_pass;
    for (const ParallelLaneData& lane : m_data.lanes) {
        ParallelShownLane sl;
        sl.title = lane.title;
        const int P = int(lane.passes.size());
        const int n = std::min(s, P);
        const int len = P > 0 ? int(lane.passes[0].words.size()) : 0;
        // One row of chips from a pass (or all [MASK] before the first pass).
        auto rowOf = [&](int pass, const QString& label) {
            ParallelShownRow row;
            row.label = label;
            if (pass == 0) {
                for (int i = 0; i < len; ++i) row.chips.push_back({ParallelShownChip::Mask, kMask});
                return row;
            }
            const ParallelPassData& d = lane.passes[pass - 1];
            const QVector<bool> rep = repeatedFlags(d.words);
            for (int i = 0; i < d.words.size(); ++i) {
                ParallelShownChip c;
                if (d.words[i].isEmpty()) {
                    c.kind = ParallelShownChip::Mask;
                    c.text = kMask;
                } else {
                    c.text = d.words[i];
                    c.confidence = d.confidence.value(i);
                    c.predicted = d.predicted.value(i);
                    c.repeated = rep[i];
                }
                row.chips.push_back(c);
            }
            return row;
        };
        if (lane.everyPass) {
            for (int r = 1; r <= n; ++r) {
                ParallelShownRow row = rowOf(r, tr("pass %1").arg(r));
                if (r < P)
                    for (int i = 0; i < row.chips.size(); ++i) row.chips[i].remasked = lane.passes[r].predicted.value(i);
                sl.rows.push_back(row);
            }
            if (s < P) {   // the next pass's input: what is kept, and [MASK] where it predicts again
                ParallelShownRow row = rowOf(s, tr("input of pass %1").arg(s + 1));
                for (int i = 0; i < row.chips.size(); ++i) {
                    if (!lane.passes[s].predicted.value(i)) {
                        row.chips[i].predicted = false;
                        continue;
                    }
                    row.chips[i] = {ParallelShownChip::Mask, kMask};
                }
                sl.rows.push_back(row);
            }
        } else if (lane.growing) {
            ParallelShownRow row;
            row.label = tr("after %1").arg(n);
            if (n > 0) row = rowOf(n, row.label);
            if (n < P) row.chips.push_back({ParallelShownChip::Pending, QStringLiteral("…")});
            sl.rows.push_back(row);
        } else {
            sl.rows.push_back(rowOf(n, tr("after %1").arg(n)));
        }
        if (P == 0) {
            sl.footer = tr("no output");
        } else if (s >= P) {
            const QStringList final = withoutEnd(lane.passes.back().words);
            QStringList problems;
            const QVector<bool> rep = repeatedFlags(final);
            QStringList repeated;
            for (int i = 1; i < final.size(); ++i)
                if (rep[i] && rep[i - 1] && final[i] == final[i - 1]) repeated << final[i - 1] + QLatin1Char(' ') + final[i];
            if (!repeated.isEmpty()) problems << tr("repeated: %1").arg(repeated.join(QStringLiteral(", ")));
            if (!m_data.gold.isEmpty()) {
                const QStringList missing = missingWords(final, m_data.gold);
                if (!missing.isEmpty()) problems << tr("missing: %1").arg(missing.join(QLatin1Char(' ')));
                if (problems.isEmpty() && final != m_data.gold) problems << tr("not the reference translation");
            }
            sl.problem = !problems.isEmpty();
            const QString done = P == 1 ? tr("done after 1 sequential pass") : tr("done after %1 sequential passes").arg(P);
            if (sl.problem) sl.footer = done + QStringLiteral(" — ") + problems.join(QStringLiteral("; "));
            else if (!m_data.gold.isEmpty()) sl.footer = done + QStringLiteral(" — ") + tr("the reference translation");
            else sl.footer = done;
        } else {
            sl.footer = tr("pass %1 of %2").arg(n).arg(P);
        }
        out.push_back(sl);
    }
    return out;
}

QString ParallelDecodeView::laneText(int lane) const {
    const QVector<ParallelShownLane> all = shown();
    if (lane < 0 || lane >= all.size()) return {};
    QStringList rows;
    for (const ParallelShownRow& r : all[lane].rows) {
        QStringList words;
        for (const ParallelShownChip& c : r.chips) words << c.text;
        rows << words.join(QLatin1Char(' '));
    }
    return rows.join(QStringLiteral(" | "));
}

// --- the canvas ---------------------------------------------------------------------------------------------

class ParallelLaneCanvas : public QWidget {
public:
    explicit ParallelLaneCanvas(ParallelDecodeView* owner) : QWidget(owner), m_owner(owner) {}
    QSize sizeHint() const override { return {700, m_height}; }

    void relayout() {
        m_height = paintOrMeasure(nullptr);
        setMinimumHeight(m_height);
        update();
    }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        const int h = paintOrMeasure(&p);
        if (h != m_height) QTimer::singleShot(0, this, [this] { relayout(); });
    }

private:
    static constexpr int kChipPad = 16, kChipGap = 4;   // around a chip's text, between chips
    static constexpr double kMinFit = 0.6;
    QFont wordFont() const { return scaledFont(font(), 1.15); }
    QFont smallFont() const { return scaledFont(font(), 0.8, 6.0); }

    static QString subText(const ParallelShownChip& c) {
        return c.kind == ParallelShownChip::Word ? QString::number(c.confidence, 'f', 2) : QString();
    }
    static int chipWidth(const ParallelShownChip& c, const QFontMetrics& wm, const QFontMetrics& sm) {
        return std::max(wm.horizontalAdvance(c.text), sm.horizontalAdvance(subText(c))) + kChipPad;
    }

    // Draws (when p is set) and returns the height used. A row of chips wider than the canvas (long words, a
    // projector's font) makes every chip's text smaller by one factor, down to 60 %, so the columns stay aligned
    // and the last word stays in sight.
    int paintOrMeasure(QPainter* p) {
        const QVector<ParallelShownLane> lanes = m_owner->shown();
        QFont bold = font();
        bold.setBold(true);
        const QFontMetrics bm(bold), fm(font());
        const int margin = 6, gap = 4;
        int labelW = 0;
        for (const ParallelShownLane& l : lanes)
            for (const ParallelShownRow& r : l.rows) labelW = std::max(labelW, fm.horizontalAdvance(r.label));
        labelW += 12;
        double fit = 1.0;
        for (int attempt = 0; attempt < 4; ++attempt) {   // the widths are not quite proportional to the size
            const QFontMetrics wm(scaledFont(wordFont(), fit)), sm(scaledFont(smallFont(), fit));
            double text = 0, fixed = 0;   // the widest row: the part that scales, and the part that does not
            for (const ParallelShownLane& l : lanes)
                for (const ParallelShownRow& r : l.rows) {
                    double t = 0, f = margin + labelW + margin;
                    for (const ParallelShownChip& c : r.chips) {
                        t += chipWidth(c, wm, sm) - kChipPad;
                        f += kChipPad + kChipGap;
                    }
                    if (t + f > text + fixed) text = t, fixed = f;
                }
            if (text <= 0 || text + fixed <= width() || fit <= kMinFit) break;
            fit = std::max(kMinFit, fit * (width() - fixed) / text * 0.98);
        }
        const QFont wf = scaledFont(wordFont(), fit), sf = scaledFont(smallFont(), fit);
        const QFontMetrics wm(wf), sm(sf);
        const int chipH = wm.height() + sm.height() + 6;
        int y = margin;
        const int textW = std::max(10, width() - 2 * margin);
        {   // the legend, wrapped
            const QFont legendFont = smallFont();
            const QString legend = ParallelDecodeView::tr("colour = the model's confidence (red low, green high) · thick border = predicted in this pass · "
                                                          "↻ = re-masked for the next pass · red frame = a repeated word");
            const QRect r = QFontMetrics(legendFont).boundingRect(QRect(margin, y, textW, 10000), Qt::TextWordWrap, legend);
            if (p) {
                p->setFont(legendFont);
                p->setPen(QColor(70, 70, 70));
                p->drawText(r, Qt::AlignLeft | Qt::TextWordWrap, legend);
            }
            y += r.height() + gap;
        }
        for (const ParallelShownLane& lane : lanes) {
            // The footer ("done after 1 sequential pass — repeated: three three") beside the title, or on lines of
            // its own below it when it does not fit there.
            const int beside = margin + bm.horizontalAdvance(lane.title) + 16;
            const bool below = beside + fm.horizontalAdvance(lane.footer) > width() - margin;
            const QRect footer = below ? fm.boundingRect(QRect(margin, y + bm.height(), textW, 10000), Qt::TextWordWrap, lane.footer)
                                       : QRect(beside, y, width() - margin - beside, bm.height());
            if (p) {
                p->setFont(bold);
                p->setPen(QColor(20, 20, 20));
                p->drawText(QPoint(margin, y + bm.ascent()), lane.title);
                p->setFont(font());
                p->setPen(lane.problem ? QColor(190, 30, 30) : QColor(30, 110, 50));
                p->drawText(footer, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, lane.footer);
            }
            y += (below ? bm.height() + footer.height() : bm.height()) + 3;
            for (const ParallelShownRow& row : lane.rows) {
                if (p) {
                    p->setFont(font());
                    p->setPen(QColor(90, 90, 90));
                    p->drawText(QRect(margin, y, labelW, chipH), Qt::AlignLeft | Qt::AlignVCenter, row.label);
                }
                int x = margin + labelW;
                for (const ParallelShownChip& c : row.chips) {
                    const int w = chipWidth(c, wm, sm);
                    if (p) drawChip(*p, QRectF(x + 0.5, y + 0.5, w - 1, chipH - 1), c, subText(c), wf, sf);
                    x += w + kChipGap;
                }
                y += chipH + 4;
            }
            y += gap + 2;
        }
        return y + margin;
    }

    static void drawChip(QPainter& p, const QRectF& r, const ParallelShownChip& c, const QString& sub, const QFont& wf,
                         const QFont& sf) {
        const QFontMetrics sm(sf);
        if (c.kind == ParallelShownChip::Pending) {
            p.setPen(QColor(130, 130, 130));
            p.setFont(wf);
            p.drawText(r, Qt::AlignCenter, c.text);
            return;
        }
        QColor fill(238, 238, 238);
        QPen pen(QColor(140, 140, 140), 1, Qt::DashLine);
        if (c.kind == ParallelShownChip::Word) {
            fill = TokenChipsView::colorForProbability(c.confidence);
            pen = QPen(fill.darker(160), 1);
            if (c.predicted) pen = QPen(QColor(20, 20, 20), 2.2);
            if (c.repeated) pen = QPen(QColor(210, 20, 20), 3);
        }
        p.setPen(pen);
        p.setBrush(fill);
        p.drawRoundedRect(r, 6, 6);
        p.setFont(wf);
        p.setPen(c.kind == ParallelShownChip::Mask ? QColor(120, 120, 120) : QColor(15, 15, 15));
        p.drawText(r.adjusted(0, 2, 0, -sm.height() - 2), Qt::AlignCenter, c.text);
        if (!sub.isEmpty()) {
            p.setFont(sf);
            p.setPen(QColor(60, 60, 60));
            p.drawText(r.adjusted(0, r.height() - sm.height() - 4, 0, -2), Qt::AlignHCenter | Qt::AlignTop, sub);
        }
        if (c.remasked) {   // a badge in the top right corner
            const QRectF b(r.right() - sm.height() + 2, r.top() - 3, sm.height(), sm.height());
            p.setPen(QPen(QColor(200, 100, 0), 1));
            p.setBrush(QColor(255, 200, 120));
            p.drawEllipse(b);
            p.setFont(sf);
            p.setPen(QColor(120, 50, 0));
            p.drawText(b, Qt::AlignCenter, QStringLiteral("↻"));
        }
    }

    ParallelDecodeView* m_owner;
    int m_height = 200;
};

// --- the view -----------------------------------------------------------------------------------------------

ParallelDecodeView::ParallelDecodeView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);

    auto* srcRow = new QHBoxLayout;
    srcRow->addWidget(new QLabel(tr("Chinese:"), this));
    m_source = new QLineEdit(this);
    m_source->setObjectName("parallelSourceEdit");
    m_source->setFocusPolicy(Qt::ClickFocus);   // Space steps unless the user clicked into the editor
    m_source->setPlaceholderText(tr("words separated by spaces, e.g. 我 爱 你"));
    m_source->setToolTip(tr("The sentence every mode translates. Words outside the translators' vocabulary are named "
                            "below in red."));
    m_source->setFont(scaledFont(m_source->font(), 1.2));
    srcRow->addWidget(m_source, 1);
    m_examples = new QComboBox(this);
    m_examples->setObjectName("parallelExamples");
    m_examples->setToolTip(tr("Sentences of the test set (never seen in training)"));
    m_examples->setMaximumWidth(260);
    srcRow->addWidget(m_examples);
    layout->addLayout(srcRow);

    auto* optRow = new QHBoxLayout;
    optRow->addWidget(new QLabel(tr("Parallel translator:"), this));
    m_checkpoints = new QComboBox(this);
    m_checkpoints->setObjectName("parallelCheckpoint");
    m_checkpoints->setToolTip(tr("The non-autoregressive (CMLM) translator behind the parallel rows. The early "
                                 "checkpoint still stutters in one pass; the fully trained one does not."));
    optRow->addWidget(m_checkpoints);
    optRow->addSpacing(12);
    optRow->addWidget(new QLabel(tr("Mask-Predict iterations K:"), this));
    m_iterations = makeSpinBox(1, 10, 4,
                               tr("Mask-Predict runs K passes: after pass t it re-masks the ⌊T(K−t)/K⌋ least "
                                  "confident words and predicts them again"),
                               this);
    m_iterations->setObjectName("parallelIterations");
    optRow->addWidget(m_iterations);
    optRow->addStretch(1);
    layout->addLayout(optRow);

    auto* passRow = new QHBoxLayout;
    auto* stepButton = new QPushButton(tr("Next pass"), this);
    stepButton->setObjectName("parallelStep");
    stepButton->setToolTip(tr("One more sequential model pass for every mode (Space)"));
    auto* playButton = new QPushButton(tr("Play"), this);
    playButton->setCheckable(true);
    playButton->setToolTip(tr("Step through the passes one after another"));
    auto* resetButton = new QPushButton(tr("Reset"), this);
    resetButton->setToolTip(tr("Back to before the first pass"));
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName("parallelPassSlider");
    m_slider->setRange(0, 0);
    m_slider->setPageStep(1);
    m_slider->setTickPosition(QSlider::TicksBelow);
    m_slider->setTickInterval(1);
    m_slider->setToolTip(tr("Sequential model passes so far: every mode is shown after this many passes"));
    m_passLabel = new QLabel(this);
    m_passLabel->setMinimumWidth(180);
    passRow->addWidget(stepButton);
    passRow->addWidget(playButton);
    passRow->addWidget(resetButton);
    passRow->addWidget(m_slider, 1);
    passRow->addWidget(m_passLabel);
    layout->addLayout(passRow);

    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->hide();
    layout->addWidget(m_status);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setStyleSheet(QStringLiteral("color:#404040"));
    layout->addWidget(m_note);

    m_canvas = new ParallelLaneCanvas(this);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidget(m_canvas);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    layout->addWidget(m_scroll, 1);

    auto* space = new QAction(tr("Next pass"), this);
    space->setShortcut(QKeySequence(Qt::Key_Space));
    space->setShortcutContext(Qt::WindowShortcut);
    addAction(space);
    auto* timer = new QTimer(this);
    timer->setInterval(900);

    connect(space, &QAction::triggered, this, &ParallelDecodeView::stepForward);
    connect(stepButton, &QPushButton::clicked, this, &ParallelDecodeView::stepForward);
    connect(resetButton, &QPushButton::clicked, this, &ParallelDecodeView::reset);
    connect(playButton, &QPushButton::toggled, this, [timer, playButton, this](bool on) {
        playButton->setText(on ? tr("Pause") : tr("Play"));
        if (on && m_pass >= maxPass()) setPass(0);
        on ? timer->start() : timer->stop();
    });
    connect(timer, &QTimer::timeout, this, [this, playButton] {
        if (m_pass >= maxPass()) playButton->setChecked(false);
        else setPass(m_pass + 1);
    });
    connect(m_slider, &QSlider::valueChanged, this, &ParallelDecodeView::setPass);
    connect(m_source, &QLineEdit::textEdited, this, &ParallelDecodeView::sourceEdited);
    connect(m_examples, &QComboBox::activated, this, &ParallelDecodeView::exampleChosen);
    connect(m_checkpoints, &QComboBox::activated, this, &ParallelDecodeView::checkpointChosen);
    connect(m_iterations, &QSpinBox::valueChanged, this, &ParallelDecodeView::iterationsChanged);
    refresh();
}

void ParallelDecodeView::setSourceText(const QString& text) {
    if (m_source->text() != text) m_source->setText(text);
}
QString ParallelDecodeView::sourceText() const { return m_source->text(); }

void ParallelDecodeView::setExamples(const QStringList& sources) {
    m_examples->clear();
    m_examples->addItems(sources);
    m_examples->setCurrentIndex(-1);
    m_examples->setPlaceholderText(tr("Examples"));
}

void ParallelDecodeView::setCheckpoints(const QStringList& names, int current) {
    m_checkpoints->clear();
    m_checkpoints->addItems(names);
    m_checkpoints->setCurrentIndex(current);
}

void ParallelDecodeView::setIterations(int k) {
    const QSignalBlocker b(m_iterations);
    m_iterations->setValue(k);
}
int ParallelDecodeView::iterations() const { return m_iterations->value(); }

void ParallelDecodeView::setSentence(const ParallelSentenceData& data) {
    m_data = data;
    m_note->setText(data.note);
    m_note->setVisible(!data.note.isEmpty());
    m_pass = std::clamp(m_pass, 0, maxPass());
    refresh();
}

void ParallelDecodeView::clearSentence() { setSentence({}); }

void ParallelDecodeView::setStatus(const QString& text, bool error) {
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color:#c00000;font-weight:bold") : QString());
    m_status->setVisible(!text.isEmpty());
}
QString ParallelDecodeView::statusText() const { return m_status->isHidden() ? QString() : m_status->text(); }

int ParallelDecodeView::maxPass() const {
    int m = 0;
    for (const ParallelLaneData& l : m_data.lanes) m = std::max(m, int(l.passes.size()));
    return m;
}

void ParallelDecodeView::setPass(int pass) {
    pass = std::clamp(pass, 0, maxPass());
    if (pass == m_pass && m_slider->value() == pass) return;
    m_pass = pass;
    refresh();
    emit passChanged(m_pass);
}

void ParallelDecodeView::stepForward() { setPass(m_pass >= maxPass() ? 0 : m_pass + 1); }
void ParallelDecodeView::reset() { setPass(0); }

void ParallelDecodeView::refresh() {
    {
        const QSignalBlocker b(m_slider);
        m_slider->setRange(0, maxPass());
        m_slider->setValue(m_pass);
    }
    m_passLabel->setText(tr("%1 of %2 sequential passes").arg(m_pass).arg(maxPass()));
    static_cast<ParallelLaneCanvas*>(m_canvas)->relayout();
}

ExportTable ParallelDecodeView::exportTable() const {
    ExportTable t{{QStringLiteral("lane"), QStringLiteral("pass"), QStringLiteral("position"), QStringLiteral("word"),
                   QStringLiteral("confidence"), QStringLiteral("predicted"), QStringLiteral("repeated")}};
    if (m_data.lanes.isEmpty()) t.emptyReason = tr("no sentence translated yet");
    for (const ParallelLaneData& lane : m_data.lanes)
        for (int pass = 0; pass < lane.passes.size(); ++pass) {
            const ParallelPassData& d = lane.passes[pass];
            const QVector<bool> rep = repeatedFlags(d.words);
            for (int i = 0; i < d.words.size(); ++i)
                t.addRow({lane.id, QString::number(pass + 1), QString::number(i), d.words[i].isEmpty() ? kMask : d.words[i],
                          ExportTable::number(d.confidence.value(i)), QString::number(d.predicted.value(i) ? 1 : 0),
                          QString::number(rep[i] ? 1 : 0)});
        }
    return t;
}

}  // namespace arlab
