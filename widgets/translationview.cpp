#include "widgets/translationview.h"

#include "widgets/crossattentionview.h"
#include "widgets/flowlayout.h"
#include "widgets/fonts.h"
#include "widgets/spinboxes.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace arlab {

TranslationView::TranslationView(QWidget* parent) : QWidget(parent) {
    setObjectName("translationView");
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);

    auto* srcRow = new QHBoxLayout;
    srcRow->addWidget(new QLabel(tr("Chinese:"), this));
    m_source = new QLineEdit(this);
    m_source->setObjectName("sourceEdit");
    m_source->setPlaceholderText(tr("words separated by spaces, e.g. 我 爱 你"));
    const QFont big = scaledFont(m_source->font(), 1.3);
    m_source->setFont(big);
    srcRow->addWidget(m_source, 1);
    m_examples = new QComboBox(this);
    m_examples->setObjectName("exampleBox");
    m_examples->setToolTip(tr("Sentences of the held-out test split (their gold alignment is known)"));
    m_examples->setMinimumContentsLength(12);
    srcRow->addWidget(m_examples);
    layout->addLayout(srcRow);

    m_words = new QLabel(this);
    m_words->setObjectName("sourceWords");
    m_words->setTextFormat(Qt::RichText);
    m_words->setFont(big);
    layout->addWidget(m_words);

    auto* buttons = new FlowLayout;   // wraps in a narrow dock (presentation mode at 1280x800)
    m_step = new QPushButton(tr("Next word"), this);
    m_step->setObjectName("stepButton");
    m_step->setToolTip(tr("Decode one more English word (greedy: the most probable)"));
    m_run = new QPushButton(tr("Finish"), this);
    m_run->setObjectName("runButton");
    m_reset = new QPushButton(tr("Restart"), this);
    m_reset->setObjectName("resetButton");
    m_width = makeSpinBox(1, 16, 3, QString(), this);
    m_width->setObjectName("beamWidth");
    m_width->setPrefix(tr("width "));
    m_beam = new QPushButton(tr("Beam search"), this);
    m_beam->setObjectName("beamButton");
    m_beam->setToolTip(tr("Run beam search on the translator and show its tree in the Beam tree dock"));
    m_gold = new QCheckBox(tr("Gold alignment"), this);
    m_gold->setObjectName("goldCheck");
    m_gold->setToolTip(tr("Outline the source word(s) each English word really translates (corpus sentences only)"));
    for (QWidget* w : {static_cast<QWidget*>(m_step), static_cast<QWidget*>(m_run), static_cast<QWidget*>(m_reset)})
        buttons->addWidget(w);
    buttons->addSpacing(12);
    buttons->addWidget(m_width);
    buttons->addWidget(m_beam);
    buttons->addSpacing(12);
    buttons->addWidget(m_gold);
    layout->addLayout(buttons);

    m_target = new QLabel(this);
    m_target->setObjectName("targetWords");
    m_target->setTextFormat(Qt::RichText);
    m_target->setFont(big);
    m_target->setWordWrap(true);
    layout->addWidget(m_target);
    m_status = new QLabel(this);
    m_status->setObjectName("translationStatus");
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    m_heatmap = new CrossAttentionView(this);
    layout->addWidget(m_heatmap, 1);

    connect(m_source, &QLineEdit::textEdited, this, &TranslationView::sourceEdited);
    connect(m_step, &QPushButton::clicked, this, &TranslationView::stepRequested);
    connect(m_run, &QPushButton::clicked, this, &TranslationView::runRequested);
    connect(m_reset, &QPushButton::clicked, this, &TranslationView::resetRequested);
    connect(m_beam, &QPushButton::clicked, this, [this] { emit beamRequested(m_width->value()); });
    connect(m_gold, &QCheckBox::toggled, m_heatmap, &CrossAttentionView::setShowGold);
    connect(m_examples, &QComboBox::activated, this, &TranslationView::exampleChosen);
}

void TranslationView::setSourceText(const QString& text) {
    if (m_source->text() != text) m_source->setText(text);
}
QString TranslationView::sourceText() const { return m_source->text(); }

void TranslationView::setSourceWords(const QStringList& words, const std::vector<bool>& unknown) {
    QStringList parts;
    for (int i = 0; i < words.size(); ++i) {
        const bool bad = size_t(i) < unknown.size() && unknown[size_t(i)];
        parts << (bad ? QString("<span style='color:#c62828; text-decoration:line-through; font-weight:bold'>%1</span>"
                                "<sup style='color:#c62828'>?</sup>").arg(words[i].toHtmlEscaped())
                      : QString("<span style='background:#eef3fb'>&nbsp;%1&nbsp;</span>").arg(words[i].toHtmlEscaped()));
    }
    m_words->setText(parts.join("&nbsp;&nbsp;"));
}

void TranslationView::setExamples(const QStringList& examples) {
    m_examples->clear();
    m_examples->addItems(examples);
}

void TranslationView::setTarget(const QStringList& words, const std::vector<float>& p, bool finished) {
    QStringList parts;
    for (int i = 0; i < words.size(); ++i)
        parts << QString("<b>%1</b><sub style='color:#555'>%2</sub>").arg(words[i].toHtmlEscaped())
                     .arg(size_t(i) < p.size() ? QString::number(double(p[size_t(i)]), 'f', 2) : QString());
    QString html = tr("English:") + "&nbsp; " + parts.join("&nbsp; ");
    if (!finished) html += "&nbsp; <span style='color:#1e6fd9'>▍</span>";
    m_target->setText(html);
    m_step->setEnabled(!finished);
    m_run->setEnabled(!finished);
}

void TranslationView::setAttention(const QStringList& source, const QStringList& target, const ar::Mat& attention) {
    m_heatmap->setData(source, target, attention);
}

void TranslationView::setGold(const std::vector<std::vector<int>>& gold) {
    m_gold->setEnabled(!gold.empty());
    m_heatmap->setGold(gold);
}

void TranslationView::setStatus(const QString& text, bool error) {
    m_status->setText(text);
    m_status->setStyleSheet(error ? "color:#c62828; font-weight:bold" : "color:#444");
}

void TranslationView::setCanStep(bool on) {
    m_step->setEnabled(on);
    m_run->setEnabled(on);
    m_beam->setEnabled(on);
}

QString TranslationView::statusText() const { return m_status->text(); }
QString TranslationView::targetText() const { return m_target->text(); }
QString TranslationView::sourceWordsHtml() const { return m_words->text(); }
int TranslationView::beamWidth() const { return m_width->value(); }

}  // namespace arlab
