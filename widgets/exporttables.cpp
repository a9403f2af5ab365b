// The numbers behind each view, for CSV export (widgets/exportable.h). One function per view, kept together
// so the formats stay consistent: long format (one number per row with its coordinates), a header row,
// numbers with ExportTable::number.
#include "widgets/attentionview.h"
#include "widgets/beamtreeview.h"
#include "widgets/compareview.h"
#include "widgets/crossattentionview.h"
#include "widgets/madeview.h"
#include "widgets/modelinfoview.h"
#include "widgets/nexttokenview.h"
#include "widgets/pixelgridview.h"
#include "widgets/pixelpanel.h"
#include "widgets/rnninspectorview.h"
#include "widgets/samplingpanel.h"
#include "widgets/teacherforcingview.h"
#include "widgets/tokenchipsview.h"
#include "widgets/tokenizerview.h"
#include "widgets/lensview.h"
#include "widgets/trainingview.h"

#include "core/decoding/beamsearch.h"
#include "core/decoding/samplerchain.h"

#include <qcustomplot.h>

#include <algorithm>
#include <map>
#include <numeric>

namespace arlab {

using N = ExportTable;

ExportTable NextTokenView::exportTable() const {
    // The tokens the raw stage lists (its 64 most probable and the chosen one: the whole vocabulary when it
    // is no larger), most probable first: the raw logit and probability, the probability after each
    // recorded filter stage (0 = removed), the true probability where known, and the choice. Then, when the
    // vocabulary is larger, one row "(other: N tokens)" (no token_id) with, per stage, the total probability
    // of everything not in the rows above (exact: every stage lists each raw-listed token it kept).
    ExportTable t{{QStringLiteral("token_id"), QStringLiteral("token"), QStringLiteral("logit"), QStringLiteral("p")}};
    if (m_data.stages.empty()) {
        t.emptyReason = tr("no distribution yet");
        return t;
    }
    for (size_t s = 1; s < m_data.stages.size(); ++s)
        t.header << QStringLiteral("p_%1").arg(QString::fromStdString(m_data.stages[s].name).replace(QLatin1Char(' '), QLatin1Char('_')));
    const bool truth = !m_data.truth.empty();
    if (truth) t.header << QStringLiteral("p_true");
    t.header << QStringLiteral("chosen");
    for (const ar::Candidate& c : m_data.stages.front().candidates) {
        QStringList row{QString::number(c.id), c.id < m_data.vocab.size() ? m_data.vocab[c.id] : QString::number(c.id),
                        N::number(c.logit), N::number(c.p)};
        for (size_t s = 1; s < m_data.stages.size(); ++s) {
            const ar::Candidate* kept = m_data.stages[s].find(c.id);
            row << N::number(kept ? kept->p : 0.0);
        }
        if (truth) row << N::number(size_t(c.id) < m_data.truth.size() ? m_data.truth[size_t(c.id)] : 0.0);
        row << QString::number(c.id == m_data.chosen ? 1 : 0);
        t.addRow(row);
    }
    const ar::SamplerStage& raw = m_data.stages.front();
    if (!raw.complete()) {
        QStringList row{QString(), QStringLiteral("(other: %1 tokens)").arg(raw.kept - int(raw.candidates.size())), QString(),
                        N::number(raw.otherMass)};
        for (size_t s = 1; s < m_data.stages.size(); ++s) {
            // The stage's mass outside the raw-listed tokens: its unlisted survivors plus what it lists beyond them.
            double other = m_data.stages[s].otherMass;
            for (const ar::Candidate& c : m_data.stages[s].candidates)
                if (!raw.find(c.id)) other += double(c.p);
            row << N::number(other);
        }
        if (truth) row << QString();
        row << QStringLiteral("0");
        t.addRow(row);
    }
    return t;
}

ExportTable TokenChipsView::exportTable() const {
    ExportTable t{{QStringLiteral("position"), QStringLiteral("token"), QStringLiteral("kind"), QStringLiteral("p"),
                   QStringLiteral("top_alternatives")}};
    for (int i = 0; i < m_chips.size(); ++i) {
        const TokenChip& c = m_chips[i];
        QStringList alts;
        for (const TokenAlternative& a : c.alternatives) alts << QStringLiteral("%1=%2").arg(a.text, N::number(a.p));
        t.addRow({QString::number(i), c.text,
                  c.prompt ? QStringLiteral("prompt") : c.forced ? QStringLiteral("forced") : QStringLiteral("generated"),
                  c.prompt ? QString() : N::number(c.p), alts.join(QLatin1Char(' '))});
    }
    if (t.isEmpty()) t.emptyReason = tr("no tokens yet");
    return t;
}

ExportTable AttentionView::exportTable() const {
    // Every layer and head, every (query, key) pair the query may see (the future is masked, not zero): the
    // model's own weights, never the grid's pooled pixels.
    ExportTable t{{QStringLiteral("layer"), QStringLiteral("head"), QStringLiteral("query"), QStringLiteral("query_token"),
                   QStringLiteral("key"), QStringLiteral("key_token"), QStringLiteral("weight")}};
    for (int l = 0; l < layerCount(); ++l)
        for (int h = 0; h < headCount(); ++h)
            for (int q = 0; q < tokenCount(); ++q)
                for (int k = 0; k <= q; ++k)
                    t.addRow({QString::number(l), QString::number(h), QString::number(q), m_tokens.value(q),
                              QString::number(k), m_tokens.value(k), N::number(weight(l, h, q, k))});
    if (t.isEmpty()) t.emptyReason = tr("no attention yet");
    return t;
}

ExportTable BeamTreeView::exportTable() const {
    // Every node of the search tree, pruned ones included (as `arlab-cli beam --json` prints them).
    ExportTable t{{QStringLiteral("id"), QStringLiteral("parent"), QStringLiteral("step"), QStringLiteral("round"),
                   QStringLiteral("token"), QStringLiteral("step_logprob"), QStringLiteral("logprob"), QStringLiteral("score"),
                   QStringLiteral("rank"), QStringLiteral("status"), QStringLiteral("eos"), QStringLiteral("best_path")}};
    for (const ar::BeamNode& n : m_tree.nodes)
        t.addRow({QString::number(n.id), QString::number(n.parent), QString::number(n.step), QString::number(n.round),
                  tokenLabel(n.id), N::number(n.stepLogprob), N::number(n.logprob), N::number(n.score),
                  QString::number(n.rank), QString::fromStdString(ar::beamStatusName(n.status)),
                  QString::number(n.eos ? 1 : 0),
                  QString::number(n.id == 0 || (size_t(n.id) < m_onBest.size() && m_onBest[size_t(n.id)]) ? 1 : 0)});
    if (t.isEmpty()) t.emptyReason = tr("no search yet");
    return t;
}

ExportTable CompareView::exportTable() const {
    ExportTable t{{QStringLiteral("row"), QStringLiteral("strategy"), QStringLiteral("position"), QStringLiteral("token_id"),
                   QStringLiteral("token"),
                   QStringLiteral("p"), QStringLiteral("row_logprob"), QStringLiteral("row_score"), QStringLiteral("divergence")}};
    const auto& all = rows();
    for (size_t r = 0; r < all.size(); ++r) {
        const ar::CompareRow& row = all[r];
        for (size_t i = 0; i < row.tokens.size(); ++i)
            t.addRow({QString::number(r), QString::fromStdString(row.label), QString::number(i), QString::number(row.tokens[i]),
                      i < row.pieces.size() ? QString::fromStdString(row.pieces[i]) : QString::number(row.tokens[i]),
                      i < row.probs.size() ? N::number(row.probs[i]) : QString(), N::number(row.logprob),
                      N::number(row.score), QString::number(row.divergence)});
    }
    if (t.isEmpty()) t.emptyReason = tr("nothing compared yet");
    return t;
}

ExportTable CrossAttentionView::exportTable() const {
    ExportTable t{{QStringLiteral("target"), QStringLiteral("target_word"), QStringLiteral("source"),
                   QStringLiteral("source_word"), QStringLiteral("weight")}};
    for (int i = 0; i < m_attention.rows(); ++i)
        for (int j = 0; j < m_attention.cols(); ++j)
            t.addRow({QString::number(i), m_target.value(i), QString::number(j), m_source.value(j), N::number(m_attention(i, j))});
    if (t.isEmpty()) t.emptyReason = tr("nothing translated yet");
    return t;
}

ExportTable MadeConnectivityView::exportTable() const {
    // The network as drawn: every unit with its connectivity number m(k) (inputs: position in the ordering;
    // hidden layers; outputs: their input's number), then every edge (a mask entry of 1) from unit `from_unit`
    // of layer - 1 into unit `unit` of layer.
    ExportTable t{{QStringLiteral("kind"), QStringLiteral("layer"), QStringLiteral("unit"), QStringLiteral("number"),
                   QStringLiteral("from_unit")}};
    for (size_t l = 0; l < m_net.numbers.size(); ++l)
        for (size_t u = 0; u < m_net.numbers[l].size(); ++u)
            t.addRow({QStringLiteral("unit"), QString::number(l), QString::number(u), QString::number(m_net.numbers[l][u]), QString()});
    for (size_t l = 0; l < m_net.masks.size(); ++l)
        for (ar::Index j = 0; j < m_net.masks[l].rows(); ++j)
            for (ar::Index i = 0; i < m_net.masks[l].cols(); ++i)
                if (m_net.masks[l](j, i) != 0)
                    t.addRow({QStringLiteral("edge"), QString::number(l + 1), QString::number(j), QString(), QString::number(i)});
    if (t.isEmpty()) t.emptyReason = tr("no MADE model loaded");
    return t;
}

ExportTable ModelInfoView::exportTable() const {
    ExportTable t{{QStringLiteral("section"), QStringLiteral("name"), QStringLiteral("value")}};
    for (const auto& [k, v] : m_info.architecture) t.addRow({QStringLiteral("architecture"), k, v});
    if (m_info.config != m_info.architecture)
        for (const auto& [k, v] : m_info.config) t.addRow({QStringLiteral("config"), k, v});
    for (const auto& [k, v] : m_info.parameters) t.addRow({QStringLiteral("parameters"), k, QString::number(v)});
    if (!m_info.parameters.isEmpty())
        t.addRow({QStringLiteral("parameters"), QStringLiteral("total"), QString::number(m_info.totalParameters)});
    for (const auto& [k, v] : m_info.provenance) t.addRow({QStringLiteral("provenance"), k, v});
    if (t.isEmpty()) t.emptyReason = tr("no model loaded");
    return t;
}

ExportTable PixelPanel::exportTable() const {
    // Every pixel: its value on the canvas and the model's P(pixel = 1 | earlier pixels) (-1: not evaluated).
    ExportTable t{{QStringLiteral("y"), QStringLiteral("x"), QStringLiteral("value"), QStringLiteral("p")}};
    const int h = m_canvas->gridHeight(), w = m_canvas->gridWidth();
    const QVector<float>& v = m_canvas->cells();
    const QVector<float>& p = m_map->cells();
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const int i = y * w + x;
            t.addRow({QString::number(y), QString::number(x), i < v.size() ? N::number(v[i]) : QString(),
                      i < p.size() ? N::number(p[i]) : QString()});
        }
    if (t.isEmpty()) t.emptyReason = tr("no image yet");
    return t;
}

ExportTable RnnInspectorView::exportTable() const {
    // Every recorded quantity (hidden state, gates, ...) per unit and character, then P(next character).
    ExportTable t{{QStringLiteral("quantity"), QStringLiteral("unit"), QStringLiteral("position"), QStringLiteral("char"),
                   QStringLiteral("value")}};
    for (const Quantity& q : m_quantities)
        for (int u = 0; u < q.values.rows(); ++u)
            for (int s = 0; s < q.values.cols(); ++s)
                t.addRow({q.name, QString::number(u), QString::number(s), m_chars.value(s), N::number(q.values(u, s))});
    for (size_t s = 0; s < m_nextP.size(); ++s)
        t.addRow({QStringLiteral("p_next"), QString(), QString::number(s), m_chars.value(int(s)), N::number(m_nextP[s])});
    if (t.isEmpty()) t.emptyReason = tr("no text traced yet");
    return t;
}

ExportTable SamplingPanel::exportTable() const {
    const ar::SamplerSettings s = settings();
    ExportTable t{{QStringLiteral("setting"), QStringLiteral("value")}};
    t.addRow({QStringLiteral("strategy"), QString::fromStdString(ar::strategyName(s.strategy))});
    for (const ar::StageParam& p : stageParams())   // the chain's knobs, as the panel lists them
        t.addRow({QString::fromStdString(p.key), p.decimals == 0 ? QString::number(qlonglong(s.knob(p.key))) : N::number(s.knob(p.key))});
    t.addRow({QStringLiteral("seed"), QString::number(s.seed)});
    t.addRow({QStringLiteral("beam_width"), QString::number(s.beam.width)});
    t.addRow({QStringLiteral("length_penalty"), N::number(s.beam.lengthPenalty)});
    t.addRow({QStringLiteral("max_new_tokens"), QString::number(s.maxNewTokens)});
    return t;
}

// Curves drawn as QCPGraphs: one row per x, one column per graph (empty where a graph has no point there).
static ExportTable graphTable(QCustomPlot* plot, const QString& xName, const QStringList& names) {
    ExportTable t{QStringList{xName} + names};
    std::map<double, QStringList> byX;
    for (int g = 0; g < names.size() && g < plot->graphCount(); ++g)
        for (auto it = plot->graph(g)->data()->constBegin(); it != plot->graph(g)->data()->constEnd(); ++it) {
            QStringList& row = byX[it->key];
            while (row.size() < names.size()) row << QString();
            row[g] = N::number(it->value);
        }
    for (auto& [x, row] : byX) t.addRow(QStringList{N::number(x)} + row);
    return t;
}

ExportTable TrainingView::exportTable() const {
    ExportTable t = graphTable(m_plot, QStringLiteral("step"), {QStringLiteral("train_loss"), QStringLiteral("validation_loss")});
    if (t.isEmpty()) t.emptyReason = tr("no training run yet");
    return t;
}

ExportTable TeacherForcingView::exportTable() const {
    ExportTable t = graphTable(m_plot, QStringLiteral("position"),
                               {QStringLiteral("teacher_forced_error"), QStringLiteral("free_running_error")});
    if (t.isEmpty()) t.emptyReason = tr("no comparison yet");
    return t;
}

ExportTable TokenizerView::exportTable() const {
    // The symbols as shown now (after mergesApplied() merges), one row each, with their pre-token and its bytes.
    ExportTable t{{QStringLiteral("pretoken_index"), QStringLiteral("pretoken_bytes_hex"), QStringLiteral("symbol_index"),
                   QStringLiteral("token_id"), QStringLiteral("token"), QStringLiteral("merges_applied"), QStringLiteral("merges_total")}};
    if (m_symbols.empty()) {
        t.emptyReason = m_message.isEmpty() ? tr("no text tokenized") : m_message;
        return t;
    }
    for (size_t i = 0; i < m_symbols.size() && i < m_data.trace.pretokens.size(); ++i) {
        QString hex;
        for (unsigned char c : m_data.trace.pretokens[i]) hex += QStringLiteral("%1").arg(uint(c), 2, 16, QLatin1Char('0'));
        for (size_t k = 0; k < m_symbols[i].size(); ++k)
            t.addRow({QString::number(i), hex, QString::number(k), QString::number(m_symbols[i][k]), label(m_symbols[i][k]),
                      QString::number(m_applied), QString::number(mergeCount())});
    }
    return t;
}

ExportTable LensView::exportTable() const {
    // The lens of the selected step (kind "lens": row = layer, rank = position in its top list) and the
    // commitment strip (kind "commitment": layer = the commitment layer, -1 = never the model's top-1).
    ExportTable t{{QStringLiteral("kind"), QStringLiteral("layer"), QStringLiteral("layer_name"), QStringLiteral("rank"),
                   QStringLiteral("step"), QStringLiteral("token_id"), QStringLiteral("token"), QStringLiteral("p")}};
    if (m_data.rows.isEmpty()) {
        t.emptyReason = tr("no logit lens yet");
        return t;
    }
    for (int r = 0; r < m_data.rows.size(); ++r)
        for (int k = 0; k < m_data.rows[r].size(); ++k) {
            const LensCell& c = m_data.rows[r][k];
            t.addRow({QStringLiteral("lens"), QString::number(r), m_data.rowNames.value(r), QString::number(k + 1), QString(),
                      QString::number(c.id), c.token, N::number(c.p)});
        }
    for (const CommitmentChip& c : m_data.commitment)
        t.addRow({QStringLiteral("commitment"), QString::number(c.layer), QString(), QString(), QString::number(c.step),
                  QString::number(c.id), c.token, QString()});
    return t;
}

}  // namespace arlab
