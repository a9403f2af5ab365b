#include "widgets/nexttokenview.h"

#include "widgets/fonts.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace arlab {

namespace {
const QColor kBarColor(70, 120, 200);
const QColor kChosenColor(240, 140, 30);
const QColor kGhostColor(215, 215, 215);
}  // namespace

NextTokenView::NextTokenView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    m_title->setToolTip(tr("The distribution the model gave for this position"));
    layout->addWidget(m_title);
    m_stageRow = new QWidget(this);
    m_stageLayout = new QHBoxLayout(m_stageRow);
    m_stageLayout->setContentsMargins(0, 0, 0, 0);
    m_stageLayout->setSpacing(2);
    m_stageGroup = new QButtonGroup(this);
    m_stageGroup->setExclusive(true);
    connect(m_stageGroup, &QButtonGroup::idClicked, this, [this](int id) {
        m_userPickedView = true;
        setCurrentView(id);
    });
    layout->addWidget(m_stageRow);

    m_plot = new QCustomPlot(this);
    m_plot->setToolTip(tr("Top %1 tokens and \"other\". Grey ghost bars: probability before the filters; "
                          "orange: the chosen token; black outline: the true probability (toy language)").arg(kTopN));
    m_plot->setMinimumHeight(220);
    auto bars = [this](const QString& name, const QPen& pen, const QBrush& brush, double width) {
        auto* b = new QCPBars(m_plot->xAxis, m_plot->yAxis);
        b->setName(name);
        b->setPen(pen);
        b->setBrush(brush);
        b->setWidth(width);
        return b;
    };
    m_ghost = bars(tr("before the filters"), Qt::NoPen, kGhostColor, 0.75);
    m_bars = bars(tr("model"), Qt::NoPen, kBarColor, 0.75);
    m_chosenBar = bars(tr("chosen"), Qt::NoPen, kChosenColor, 0.75);
    m_truthBars = bars(tr("true probability"), QPen(Qt::black, 1.6), Qt::NoBrush, 0.9);
    m_plot->legend->setVisible(true);
    m_plot->legend->setBrush(QColor(255, 255, 255, 220));
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    m_plot->legend->setFont(scaledFont(font(), 0.9));
    m_plot->xAxis->setTickLabelRotation(50);
    m_plot->xAxis->setSubTicks(false);
    m_plot->xAxis->setTickLength(0, 3);
    m_plot->xAxis->grid()->setVisible(false);
    m_plot->xAxis->setTickLabelFont(font());
    m_plot->yAxis->setTickLabelFont(font());
    m_plot->yAxis->setLabelFont(font());
    layout->addWidget(m_plot, 1);

    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setToolTip(tr("Entropy H = -Σ p log p (nats) of the shown distribution; perplexity = exp(H), the "
                             "number of equally likely tokens with the same uncertainty. KL(true ‖ model) = "
                             "Σ p_true log(p_true / p_model): how far the model is from the truth"));
    layout->addWidget(m_summary);
    clear(tr("No distribution yet."));
}

void NextTokenView::clear(const QString& message) {
    m_data = {};
    m_tokens.clear();
    m_values.clear();
    m_entropy = 0;
    m_title->setText(message);
    m_summary->clear();
    rebuildStageButtons();
    for (QCPBars* b : {m_ghost, m_bars, m_chosenBar, m_truthBars}) b->data()->clear();
    m_plot->replot();
}

int NextTokenView::viewCount() const { return m_data.stages.empty() ? 0 : int(m_data.stages.size()) + 1; }

QString NextTokenView::viewName(int index) const {
    if (index == 0) return tr("logits");
    if (index == 1) return tr("softmax");
    const auto& s = m_data.stages.at(size_t(index - 1));
    return s.setting.empty() ? QString::fromStdString(s.name)
                             : QStringLiteral("%1 (%2)").arg(QString::fromStdString(s.name), QString::fromStdString(s.setting));
}

void NextTokenView::setData(const NextTokenData& data) {
    const int oldCount = viewCount();
    m_data = data;
    m_title->setText(data.title);
    // Default view: the last stage (what the selector drew from); keep the user's pick while it exists.
    if (!m_userPickedView || m_view >= viewCount() || oldCount != viewCount()) {
        m_view = std::max(1, viewCount() - 1);
        if (viewCount() == 0) m_view = 0;
    }
    rebuildStageButtons();
    redraw();
}

void NextTokenView::setCurrentView(int index) {
    if (index < 0 || index >= viewCount()) return;
    m_view = index;
    if (auto* b = m_stageGroup->button(index)) b->setChecked(true);
    redraw();
    emit viewChanged(index);
}

void NextTokenView::rebuildStageButtons() {
    for (QAbstractButton* b : m_stageGroup->buttons()) {
        m_stageGroup->removeButton(b);
        b->hide();
        b->deleteLater();
    }
    while (QLayoutItem* item = m_stageLayout->takeAt(0)) {
        if (item->widget()) {
            item->widget()->hide();
            item->widget()->deleteLater();
        }
        delete item;
    }
    for (int i = 0; i < viewCount(); ++i) {
        if (i > 0) m_stageLayout->addWidget(new QLabel(QStringLiteral("→"), m_stageRow));
        auto* b = new QPushButton(viewName(i), m_stageRow);
        b->setCheckable(true);
        b->setChecked(i == m_view);
        if (i == 0) b->setToolTip(tr("The model's raw scores (logits) for each token"));
        else if (i == 1) b->setToolTip(tr("softmax(logits): the model's probabilities before any sampler filter"));
        else {
            const auto& s = m_data.stages[size_t(i - 1)];
            b->setToolTip(tr("After %1: %2 candidates kept, %3 removed, probabilities renormalised")
                              .arg(viewName(i))
                              .arg(s.kept)   // every survivor, not only the ones the record lists
                              .arg(s.removed));
        }
        m_stageGroup->addButton(b, i);
        m_stageLayout->addWidget(b);
    }
    m_offStages = nullptr;
    if (!m_data.inactiveStages.isEmpty() && viewCount() > 0) {
        m_offStages = new QLabel(tr("→ %1: off").arg(m_data.inactiveStages.join(QStringLiteral(", "))), m_stageRow);
        QPalette grey = m_offStages->palette();   // (a palette, not a style sheet: the font follows presentation mode)
        grey.setColor(QPalette::WindowText, QColor(0x66, 0x66, 0x66));
        m_offStages->setPalette(grey);
        m_offStages->setToolTip(tr("These sampler stages are switched off, so they change nothing; turn them on to see "
                                   "what they cut (Generation dock: temperature, top-k, top-p)"));
        m_stageLayout->addWidget(m_offStages);
    }
    m_stageLayout->addStretch(1);
}

QString NextTokenView::pipelineNote() const { return m_offStages ? m_offStages->text() : QString(); }

QString NextTokenView::summaryText() const { return m_summary->text(); }

void NextTokenView::redraw() {
    for (QCPBars* b : {m_ghost, m_bars, m_chosenBar, m_truthBars}) b->data()->clear();
    m_tokens.clear();
    m_values.clear();
    if (m_data.stages.empty()) {
        m_plot->replot();
        return;
    }
    const ar::SamplerStage& raw = m_data.stages.front();
    // x axis: the raw top-N (ties: lower id first, as the chain sorts), the chosen token always included.
    for (size_t i = 0; i < raw.candidates.size() && int(m_tokens.size()) < kTopN; ++i) m_tokens.push_back(raw.candidates[i].id);
    if (m_data.chosen >= 0 && std::find(m_tokens.begin(), m_tokens.end(), m_data.chosen) == m_tokens.end()) {
        if (int(m_tokens.size()) == kTopN) m_tokens.back() = m_data.chosen;
        else m_tokens.push_back(m_data.chosen);
    }
    const bool hasOther = raw.kept > int(m_tokens.size());   // (the stage lists its top 64 + a few; kept counts all)
    std::unordered_map<int, const ar::Candidate*> rawById, stageById;
    for (const auto& c : raw.candidates) rawById[c.id] = &c;
    const ar::SamplerStage& stage = m_data.stages[size_t(std::max(0, m_view - 1))];
    for (const auto& c : stage.candidates) stageById[c.id] = &c;
    const bool logits = m_view == 0;

    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    double shownMass = 0, rawShownMass = 0, truthShownMass = 0;
    const bool truth = !m_data.truth.empty() && m_view == 1;   // probabilities: the softmax view, not the logits
    for (size_t i = 0; i < m_tokens.size(); ++i) {
        const int id = m_tokens[i];
        const double x = double(i);
        const QString label = id >= 0 && id < m_data.vocab.size() ? m_data.vocab[id] : QString::number(id);
        ticker->addTick(x, label);
        double v = 0;
        if (logits) v = rawById.count(id) ? rawById[id]->logit : 0;
        else v = stageById.count(id) ? stageById[id]->p : 0;
        m_values.push_back(v);
        const double rawP = rawById.count(id) ? rawById[id]->p : 0;
        shownMass += logits ? 0 : v;
        rawShownMass += rawP;
        if (!logits && m_view > 1) m_ghost->addData(x, rawP);
        (id == m_data.chosen ? m_chosenBar : m_bars)->addData(x, v);
        if (truth && id >= 0 && size_t(id) < m_data.truth.size()) {
            m_truthBars->addData(x, m_data.truth[size_t(id)]);
            truthShownMass += m_data.truth[size_t(id)];
        }
    }
    if (hasOther && !logits) {
        const double x = double(m_tokens.size());
        m_tokens.push_back(-1);
        ticker->addTick(x, tr("(other)"));
        const double other = std::max(0.0, 1.0 - shownMass);
        m_values.push_back(other);
        m_bars->addData(x, other);
        if (m_view > 1) m_ghost->addData(x, std::max(0.0, 1.0 - rawShownMass));
        if (truth) m_truthBars->addData(x, std::max(0.0, 1.0 - truthShownMass));
    }
    m_ghost->setVisible(m_view > 1);
    m_truthBars->setVisible(truth);
    m_chosenBar->setVisible(m_data.chosen >= 0);
    // Legend: only what is drawn.
    for (QCPBars* b : {m_ghost, m_bars, m_chosenBar, m_truthBars}) {
        if (b->visible()) b->addToLegend();
        else b->removeFromLegend();
    }

    // Entropy of the shown stage (the raw distribution for the logits view), over ALL its survivors (the
    // chain computes it: the stage lists only its top candidates).
    const double h = (logits ? raw : stage).entropy;
    m_entropy = h;

    m_plot->xAxis->setTicker(ticker);
    m_plot->xAxis->setRange(-0.6, double(m_tokens.size()) - 0.4);
    if (logits) {
        double lo = 0, hi = 0;
        for (double v : m_values) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        const double pad = 0.08 * std::max(1e-6, hi - lo);
        m_plot->yAxis->setRange(lo - (lo < 0 ? pad : 0), hi + pad);
        m_plot->yAxis->setLabel(tr("logit"));
        m_bars->setBaseValue(0);
    } else {
        double hi = 0;
        for (double v : m_values) hi = std::max(hi, v);
        if (truth)
            for (auto it = m_truthBars->data()->begin(); it != m_truthBars->data()->end(); ++it) hi = std::max(hi, it->value);
        m_plot->yAxis->setRange(0, std::min(1.0, hi * 1.15 + 0.02));
        m_plot->yAxis->setLabel(tr("probability"));
    }
    m_plot->replot();

    QString s = tr("<b>%1</b>: entropy %2 nats · perplexity %3")
                    .arg(logits ? tr("softmax") : viewName(m_view))
                    .arg(h, 0, 'f', 3)
                    .arg(std::exp(h), 0, 'f', 2);
    if (m_view > 1) s += tr(" · %1 of %2 tokens kept").arg(stage.kept).arg(raw.kept);
    if (m_data.chosen >= 0 && m_data.chosen < m_data.vocab.size()) {
        const double pc = rawById.count(m_data.chosen) ? rawById[m_data.chosen]->p : 0;
        s += tr(" · chosen <b>%1</b> (model p = %2)").arg(m_data.vocab[m_data.chosen].toHtmlEscaped()).arg(pc, 0, 'f', 3);
    }
    if (m_data.kl >= 0) s += tr("<br>KL(true ‖ model) = <b>%1</b> nats").arg(m_data.kl, 0, 'f', 4);
    else if (!m_data.truth.empty()) s += tr("<br>true distribution: shown as black outlines");
    m_summary->setText(s);
}

}  // namespace arlab
