#include "widgets/beamsearchpanel.h"

#include "widgets/beamtreeview.h"
#include "widgets/columnfit.h"
#include "widgets/flowlayout.h"
#include "widgets/spinboxes.h"

#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <cmath>

namespace arlab {

BeamSearchPanel::BeamSearchPanel(QWidget* parent) : QWidget(parent) {
    m_width = makeSpinBox(1, 64, 3, tr("Beam width k: how many hypotheses survive each round. k = 1 is greedy decoding."));
    m_maxLen = makeSpinBox(1, 4096, 8, tr("Maximum number of generated tokens; a hypothesis that reaches it is finished."));
    m_alpha = makeDoubleSpinBox(0.0, 5.0, 0.0, 0.1, 2,
                                tr("GNMT length penalty alpha: score = log P / ((5 + length) / 6)^alpha.\n"
                                   "0 compares raw log-probabilities (short hypotheses win); larger values favour longer ones."));
    m_step = new QPushButton(tr("Step round"));
    m_step->setToolTip(tr("One expansion round: every alive hypothesis expands into its most probable next tokens\n"
                          "(one batched model call), then the best k survive."));
    m_run = new QPushButton(tr("Run to end"));
    m_run->setToolTip(tr("Rounds until no hypothesis can improve on the finished ones."));
    m_reset = new QPushButton(tr("Reset"));
    m_reset->setToolTip(tr("Start again from the prompt."));
    m_status = new QLabel;
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // One row that wraps onto further lines in a narrow dock (presentation mode at 1280x800); a label stays with its box.
    auto* controls = new FlowLayout;
    for (const auto& [text, box] : {std::pair<QString, QWidget*>{tr("Width"), m_width}, {tr("Max length"), m_maxLen},
                                    {tr("Length penalty α"), m_alpha}})
        controls->addGroup({new QLabel(text), box});
    controls->addSpacing(12);
    controls->addWidget(m_step);
    controls->addWidget(m_run);
    controls->addWidget(m_reset);
    controls->addSpacing(12);
    m_status->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);   // the rest of its line
    controls->addWidget(m_status);

    m_view = new BeamTreeView;
    m_prefix = new QLabel(tr("Click a node to see its prefix and its candidates."));
    m_prefix->setWordWrap(true);
    m_prefix->setTextFormat(Qt::RichText);
    m_candidates = new QTableWidget(0, 5);
    m_candidates->setHorizontalHeaderLabels({tr("token"), tr("P(token)"), tr("log P"), tr("score"), tr("status")});
    m_candidates->verticalHeader()->hide();
    m_candidates->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_candidates->setSelectionMode(QAbstractItemView::NoSelection);
    ColumnFit::install(m_candidates, {0, 4});   // the numbers whole; the token and the status elide when narrow
    m_candidates->setToolTip(tr("The candidates this node expanded into: the step probability, the cumulative\n"
                                "log-probability of the whole hypothesis and its (length-normalised) score."));
    auto* side = new QWidget;
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(4, 0, 0, 0);
    sideLayout->addWidget(m_prefix);
    sideLayout->addWidget(m_candidates, 1);

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_view);
    split->addWidget(side);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setSizes({700, 260});

    m_nbest = new QTextBrowser;
    m_nbest->setMaximumHeight(72);
    m_nbest->setToolTip(tr("Finished hypotheses, best score first."));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(controls);
    layout->addWidget(split, 1);
    layout->addWidget(m_nbest);

    connect(m_step, &QPushButton::clicked, this, &BeamSearchPanel::stepRequested);
    connect(m_run, &QPushButton::clicked, this, &BeamSearchPanel::runRequested);
    connect(m_reset, &QPushButton::clicked, this, &BeamSearchPanel::resetRequested);
    auto changed = [this] { emit settingsChanged(settings()); };
    connect(m_width, &QSpinBox::valueChanged, this, changed);
    connect(m_maxLen, &QSpinBox::valueChanged, this, changed);
    connect(m_alpha, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_view, &BeamTreeView::nodeSelected, this, &BeamSearchPanel::showNode);
    setBusy(false);
}

int BeamSearchPanel::heightForWidth(int width) const { return layout()->totalMinimumHeightForWidth(width); }

ar::BeamSettings BeamSearchPanel::settings() const {
    return ar::BeamSettings{m_width->value(), m_maxLen->value(), float(m_alpha->value())};
}

void BeamSearchPanel::setSettings(const ar::BeamSettings& s) {
    const QSignalBlocker b1(m_width), b2(m_maxLen), b3(m_alpha);
    m_width->setValue(s.width);
    m_maxLen->setValue(s.maxLength);
    m_alpha->setValue(s.lengthPenalty);
}

void BeamSearchPanel::setBusy(bool busy) {
    m_busy = busy;
    m_step->setEnabled(!busy && !m_done);
    m_run->setEnabled(!busy && !m_done);
    m_reset->setEnabled(!busy);
}

void BeamSearchPanel::setMessage(const QString& text) { m_status->setText(text); }

void BeamSearchPanel::setSearch(const ar::BeamTree& tree, const std::vector<QString>& vocab, const QString& prompt,
                                const std::vector<ar::Hypothesis>& nbest, bool done, const QString& status) {
    m_vocab = vocab;
    m_prompt = prompt;
    m_done = done;
    const int best = nbest.empty() ? -1 : nbest.front().node;
    m_view->setTree(tree, vocab, prompt, best);
    m_status->setText(status);
    setBusy(m_busy);

    QString html;
    if (nbest.empty()) html = tr("<i>No finished hypothesis yet.</i>");
    for (size_t i = 0; i < nbest.size(); ++i) {
        QStringList toks;
        for (int t : nbest[i].tokens) toks << (t >= 0 && t < int(vocab.size()) ? vocab[size_t(t)] : QString::number(t)).toHtmlEscaped();
        html += QStringLiteral("<div%1>%2. <b>%3</b> &nbsp; score %4 &nbsp; log P %5%6</div>")
                    .arg(i == 0 ? QStringLiteral(" style='background:#fff1c9'") : QString())
                    .arg(i + 1)
                    .arg(toks.join(' '))
                    .arg(nbest[i].score, 0, 'f', 3)
                    .arg(nbest[i].logprob, 0, 'f', 3)
                    .arg(nbest[i].eos ? QString() : tr(" (max length)"));
    }
    m_nbest->setHtml(html);
    showNode(m_view->selectedNode());
}

QString BeamSearchPanel::prefixText() const { return m_prefix->text(); }

void BeamSearchPanel::showNode(int node) {
    const ar::BeamTree& tree = m_view->tree();
    m_candidates->setRowCount(0);
    if (node < 0 || node >= int(tree.nodes.size())) {
        m_prefix->setText(tr("Click a node to see its prefix and its candidates."));
        return;
    }
    const ar::BeamNode& n = tree.nodes[size_t(node)];
    QStringList toks;
    for (int t : tree.path(node)) toks << (t >= 0 && t < int(m_vocab.size()) ? m_vocab[size_t(t)] : QString::number(t)).toHtmlEscaped();
    QString text = QStringLiteral("<span style='color:#666'>%1</span> <b>%2</b>").arg(m_prompt.toHtmlEscaped(), toks.join(' '));
    if (node > 0)
        text += tr("<br>step %1 · log P %2 · score %3 · %4").arg(n.step).arg(n.logprob, 0, 'f', 3).arg(n.score, 0, 'f', 3)
                    .arg(QString::fromStdString(ar::beamStatusName(n.status)));
    if (n.children.empty()) text += tr("<br><i>Not expanded.</i>");
    m_prefix->setText(text);
    m_candidates->setRowCount(int(n.children.size()));
    for (int r = 0; r < int(n.children.size()); ++r) {
        const ar::BeamNode& c = tree.nodes[size_t(n.children[size_t(r)])];
        const QString tok = c.token >= 0 && c.token < int(m_vocab.size()) ? m_vocab[size_t(c.token)] : QString::number(c.token);
        const QStringList cells{tok, QString::number(std::exp(c.stepLogprob), 'f', 4), QString::number(c.logprob, 'f', 3),
                                QString::number(c.score, 'f', 3), QString::fromStdString(ar::beamStatusName(c.status))};
        for (int col = 0; col < 5; ++col) {
            auto* item = new QTableWidgetItem(cells[col]);
            if (col > 0 && col < 4) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            item->setBackground(BeamTreeView::fillColor(c.status));
            m_candidates->setItem(r, col, item);
        }
    }
}

}  // namespace arlab
