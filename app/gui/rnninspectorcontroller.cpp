#include "app/gui/rnninspectorcontroller.h"

#include "app/gui/modelfiles.h"
#include "core/error.h"
#include "widgets/rnninspectorview.h"

#include <QFile>

#include <cmath>

namespace arlab {

std::shared_ptr<const ar::CharRnn> loadCharRnnResource(const QString& path) {
    const ar::OpenedModel m = openModelAt(path, ar::ModelFamily::Text);
    auto rnn = std::dynamic_pointer_cast<const ar::CharRnn>(m.text);
    if (!rnn) throw ar::Error("model '" + path.toStdString() + "': holds a '" + m.kind + "' model, not a recurrent one (rnn, lstm, gru)");
    return rnn;
}

RnnInspectorController::RnnInspectorController(RnnInspectorView* view, QObject* parent) : QObject(parent), m_view(view) {
    connect(view, &RnnInspectorView::textEdited, this, &RnnInspectorController::setText);
}

void RnnInspectorController::setModel(std::shared_ptr<const ar::CharRnn> model) {
    m_model = std::move(model);
    const auto& c = m_model->config();
    m_view->setModelInfo(tr("%1 character model: %2 layer(s), %3 hidden units, vocabulary of %4 characters. "
                            "Layer 1 is shown.").arg(QString::fromStdString(m_model->kind()).toUpper())
                             .arg(c.layers).arg(c.hidden).arg(c.vocabSize));
    setText(m_text.isEmpty() ? QStringLiteral("we drank two cups of tea yesterday") : m_text);
}

void RnnInspectorController::setText(const QString& text) {
    m_text = text;
    m_view->setText(text);
    if (!m_model) return;
    const ar::Tokenizer& tok = m_model->tokenizer();
    ar::Tokenizer::Encoded enc = tok.encode(text.toStdString());
    ar::Tokens ids;
    QStringList chars;
    if (m_model->bosToken() >= 0) {
        ids.push_back(m_model->bosToken());
        chars << QString::fromStdString(tok.display(m_model->bosToken()));
    }
    for (size_t i = 0; i < enc.ids.size(); ++i) {
        if (enc.ids[i] < 0) continue;  // unknown characters are skipped (listed below)
        ids.push_back(enc.ids[i]);
        chars << QString::fromStdString(tok.display(enc.ids[i]));
    }
    if (ids.empty()) {
        m_view->setTrace({}, {}, {});
        return;
    }
    const auto trace = m_model->trace(ids);
    const ar::Mat logits = m_model->logits(ids);  // row t: distribution of token t+1
    std::vector<float> nextP(ids.size(), 0.0f);
    for (size_t t = 1; t < ids.size(); ++t) {
        const auto row = logits.row(ar::Index(t - 1));
        const float mx = row.maxCoeff();
        nextP[t] = std::exp(row(ids[t]) - mx) / (row.array() - mx).exp().sum();
    }
    const int H = m_model->config().hidden, T = int(ids.size());
    auto gather = [&](auto get) {
        ar::Mat m(H, T);
        for (int t = 0; t < T; ++t) m.col(t) = get(trace[size_t(t)]).transpose();
        return m;
    };
    std::vector<RnnInspectorView::Quantity> q;
    q.push_back({tr("hidden state h"), gather([](const ar::CharRnnStepTrace& s) { return ar::RowVec(s.h[0]); }), -1, 1});
    const auto cell = m_model->config().cell;
    if (cell == ar::nn::CellType::Lstm) {
        ar::Mat c = gather([](const ar::CharRnnStepTrace& s) { return ar::RowVec(s.c[0]); });
        const double lim = std::max(1.0, double(c.cwiseAbs().maxCoeff()));
        q.push_back({tr("cell c"), c, -lim, lim});
        const char* names[4] = {"input gate i", "forget gate f", "candidate g", "output gate o"};
        for (int g = 0; g < 4; ++g)
            q.push_back({tr(names[g]), gather([g](const ar::CharRnnStepTrace& s) { return ar::RowVec(s.gates[0].row(g)); }),
                         g == 2 ? -1.0 : 0.0, 1.0});
    } else if (cell == ar::nn::CellType::Gru) {
        const char* names[3] = {"reset gate r", "update gate z", "candidate n"};
        for (int g = 0; g < 3; ++g)
            q.push_back({tr(names[g]), gather([g](const ar::CharRnnStepTrace& s) { return ar::RowVec(s.gates[0].row(g)); }),
                         g == 2 ? -1.0 : 0.0, 1.0});
    }
    m_view->setTrace(chars, q, nextP);
}

}  // namespace arlab
