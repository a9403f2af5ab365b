#include "widgets/moeroutingview.h"

#include "widgets/limitsplot.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QVBoxLayout>

namespace arlab {

class MoeRoutingCanvas : public QWidget {
public:
    const MoeRoutingData* data = nullptr;
    MoeRoutingCanvas() {
        setObjectName("moeRoutingCanvas");
        setMinimumSize(320, 160);
        setToolTip(tr("Each column is a token, each band a layer. The coloured blocks are the experts the router chose for "
                      "that token; a block's height is its gate (the chosen gates sum to 1). Right: how many tokens each "
                      "expert (numbered from 1) took in each layer."));
    }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.fillRect(rect(), palette().base());
        if (!data || data->tokens.isEmpty() || data->chosen.isEmpty()) return;
        const int L = int(data->chosen.size()), T = int(data->tokens.size()), E = std::max(1, data->experts);
        const QFontMetrics fm(font());
        // Room for the layer names and the tokens below in the canvas' font (presentation mode enlarges it).
        const double labelW = std::max(60, fm.horizontalAdvance(tr("layer %1").arg(L)) + 12), loadW = 150, top = 8;
        const double bottom = std::max(40.0, 2.6 * fm.height());
        const double colW = std::max(14.0, (width() - labelW - loadW - 20) / T);
        const double bandH = (height() - top - bottom) / L;
        for (int l = 0; l < L; ++l) {
            const double y0 = top + l * bandH;
            p.setPen(palette().text().color());
            p.drawText(QRectF(0, y0, labelW - 6, bandH), Qt::AlignRight | Qt::AlignVCenter, tr("layer %1").arg(l + 1));
            for (int t = 0; t < T && t < data->chosen[l].size(); ++t) {
                const double x0 = labelW + t * colW;
                double y = y0 + 4;
                const double h = bandH - 8;
                for (int j = 0; j < data->chosen[l][t].size(); ++j) {
                    const int e = data->chosen[l][t][j];
                    const double gh = h * double(data->gates[l][t][j]);
                    const QRectF r(x0 + 1, y, colW - 2, gh);
                    p.fillRect(r, limitsplot::curveColor(e));
                    // expert (1-based, as in the load bars) and gate when both lines fit, the gate alone when one
                    // does, nothing when the block is too small to hold a line unclipped
                    const QString gate = QString::number(double(data->gates[l][t][j]), 'f', 2);
                    const QString both = QString("%1\n%2").arg(e + 1).arg(gate);
                    const QString text = gh >= 2 * fm.height() + 2 && fm.horizontalAdvance(gate) + 4 <= colW - 2 ? both
                                         : gh >= fm.height() + 2 && fm.horizontalAdvance(gate) + 4 <= colW - 2 ? gate
                                                                                                               : QString();
                    if (!text.isEmpty()) {
                        p.setPen(Qt::white);
                        p.drawText(r, Qt::AlignCenter, text);
                    }
                    y += gh;
                }
            }
            // load per expert in this layer
            int most = 1;
            for (int n : data->load[l]) most = std::max(most, n);
            const double lx = labelW + T * colW + 16, barH = std::max(3.0, (bandH - 8) / E - 2);
            for (int e = 0; e < E && e < data->load[l].size(); ++e) {
                const double by = y0 + 4 + e * (barH + 2);
                const double w = (loadW - 40) * data->load[l][e] / double(most);
                p.fillRect(QRectF(lx, by, w, barH), limitsplot::curveColor(e));
                p.setPen(palette().text().color());
                p.drawText(QRectF(lx + w + 3, by - 2, 40, barH + 4), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextDontClip,
                           QString::number(data->load[l][e]));
                if (barH + 4 >= fm.height())   // the expert's number (1-based) before its bar
                    p.drawText(QRectF(lx - 15, by - 2, 13, barH + 4), Qt::AlignRight | Qt::AlignVCenter, QString::number(e + 1));
            }
        }
        // token labels along the bottom
        p.setPen(palette().text().color());
        for (int t = 0; t < T; ++t) {
            p.save();
            p.translate(labelW + (t + 0.5) * colW, height() - bottom + 4);
            p.rotate(35);
            p.drawText(QPointF(0, 8), data->tokens[t]);
            p.restore();
        }
    }
};

MoeRoutingView::MoeRoutingView(QWidget* parent) : QWidget(parent) {
    m_canvas = new MoeRoutingCanvas;
    m_canvas->data = &m_data;
    m_prompt = new QLineEdit;
    m_prompt->setPlaceholderText(tr("a sentence of the toy language"));
    m_prompt->setToolTip(tr("Type a text in the toy language's words and press Enter to see where each token is routed."));
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Text")));
    row->addWidget(m_prompt, 1);
    auto* outer = new QVBoxLayout(this);
    outer->addLayout(row);
    outer->addWidget(m_canvas, 1);
    outer->addWidget(m_summary);
    connect(m_prompt, &QLineEdit::returnPressed, this, [this] { emit promptEdited(m_prompt->text()); });
}

void MoeRoutingView::setPrompt(const QString& text) { m_prompt->setText(text); }
QString MoeRoutingView::prompt() const { return m_prompt->text(); }
void MoeRoutingView::setMessage(const QString& text) { m_summary->setText(text); }
QString MoeRoutingView::summary() const { return m_summary->text(); }

void MoeRoutingView::setData(const MoeRoutingData& data) {
    m_data = data;
    m_summary->setText(tr("%1 experts per layer, each token goes to %2 of them: %3 of %4 parameters are used per token (%5 %).")
                           .arg(data.experts)
                           .arg(data.topK)
                           .arg(data.activeParameters)
                           .arg(data.totalParameters)
                           .arg(data.totalParameters ? 100.0 * data.activeParameters / data.totalParameters : 0.0, 0, 'f', 0));
    m_canvas->update();
}

ExportTable MoeRoutingView::exportTable() const {
    ExportTable t{{"layer", "position", "token", "rank", "expert", "gate"}, {}, {}};
    for (int l = 0; l < m_data.chosen.size(); ++l)
        for (int i = 0; i < m_data.chosen[l].size(); ++i)
            for (int j = 0; j < m_data.chosen[l][i].size(); ++j)
                t.addRow({QString::number(l), QString::number(i), i < m_data.tokens.size() ? m_data.tokens[i] : QString(),
                          QString::number(j), QString::number(m_data.chosen[l][i][j]),
                          j < m_data.gates.value(l).value(i).size() ? ExportTable::number(m_data.gates[l][i][j]) : QString()});
    for (int l = 0; l < m_data.load.size(); ++l)
        for (int e = 0; e < m_data.load[l].size(); ++e)
            t.addRow({QString::number(l), QStringLiteral("load"), QString(), QString(), QString::number(e), QString::number(m_data.load[l][e])});
    if (t.isEmpty()) t.emptyReason = summary();
    return t;
}

}  // namespace arlab
