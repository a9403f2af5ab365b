#include "app/gui/teacherforcingcontroller.h"

#include "app/gui/jobrunner.h"
#include "app/gui/translationcontroller.h"
#include "core/error.h"
#include "widgets/teacherforcingview.h"

#include <nlohmann/json.hpp>

namespace arlab {

namespace {
const QString kCurves = QStringLiteral("curves");
}

TeacherForcingController::TeacherForcingController(TeacherForcingView* view, std::vector<Entry> models, QObject* parent)
    : QObject(parent), m_view(view), m_models(std::move(models)), m_jobs(new JobRunner(this)) {
    connect(m_jobs, &JobRunner::failed, this, [this](const QString&, const QString& error) {
        const QString message = tr("Measuring the curves failed: %1").arg(error);
        m_view->setSummary(message);
        emit failed(message);
    });
    // The shipped models' test split, in corpus order (the same index always names the same sentence).
    m_pairs = ar::makeZhEnCorpus(1).test;
    QStringList names, sources;
    for (const auto& e : m_models) names << e.name;
    for (const auto& p : m_pairs) sources << QString::fromStdString(p.srcText());
    m_view->setModels(names);
    m_view->setPairs(sources);
    connect(view, &TeacherForcingView::modelChosen, this, &TeacherForcingController::chooseModel);
    connect(view, &TeacherForcingView::pairChosen, this, &TeacherForcingController::choosePair);
    if (!m_models.empty()) {
        chooseModel(0);
        // open on the first test sentence where free running goes wrong (if the model makes mistakes)
        for (int i = 0; m_model && i < int(m_pairs.size()) && i < 400; ++i) {
            QStringList gold, tf, fr;
            comparePair(i, &gold, &tf, &fr);
            if (fr != gold) {
                choosePair(i);
                break;
            }
        }
    }
}

TeacherForcingController::~TeacherForcingController() { m_jobs->shutdown(); }

void TeacherForcingController::chooseModel(int index) {
    if (index < 0 || index >= int(m_models.size())) return;
    try {
        m_model = loadTranslatorResource(m_models[size_t(index)].resource);
    } catch (const ar::Error& e) {
        m_view->setSummary(tr("Error: %1").arg(QString::fromStdString(e.what())));
        return;
    }
    choosePair(m_pair);
    startCurves(showStoredCurves());
}

bool TeacherForcingController::showStoredCurves() {
    // The same evaluation, run by `arlab-cli train seq2seq` and kept in the file's provenance: shown at once,
    // then replaced by the worker's recomputation.
    try {
        const auto j = nlohmann::json::parse(m_model->provenanceJson);
        if (!j.contains("test_tf_error")) return false;
        const auto tf = j.at("test_tf_error").get<std::vector<double>>();
        const auto fr = j.at("test_fr_error").get<std::vector<double>>();
        const auto n = j.at("test_position_count").get<std::vector<int>>();
        m_view->setCurves(tf, fr, n);
        return true;
    } catch (const nlohmann::json::exception&) {
        return false;  // no stored curves: wait for the worker
    }
}

void TeacherForcingController::comparePair(int index, QStringList* gold, QStringList* tf, QStringList* fr) const {
    const ar::ZhEnPair& p = m_pairs.at(size_t(index));
    const auto& S = m_model->srcTokenizer();
    const auto& T = m_model->tgtTokenizer();
    ar::Tokens src, tgt;
    for (const auto& w : p.src) src.push_back(S.id(w));
    for (const auto& w : p.tgt) tgt.push_back(T.id(w));
    for (const auto& w : p.tgt) *gold << QString::fromStdString(w);
    *gold << "</s>";
    const ar::Mat logits = ar::teacherForcedLogits(*m_model, src, tgt);
    for (ar::Index t = 0; t < logits.rows(); ++t) {
        ar::Index best;
        logits.row(t).maxCoeff(&best);
        *tf << QString::fromStdString(T.token(int(best)));
    }
    for (int id : ar::translateGreedy(*m_model, src, int(tgt.size()) + 6).tokens) *fr << QString::fromStdString(T.token(id));
}

void TeacherForcingController::choosePair(int index) {
    if (!m_model || index < 0 || index >= int(m_pairs.size())) return;
    m_pair = index;
    m_view->setCurrentPair(index);
    QStringList gold, tf, fr;
    comparePair(index, &gold, &tf, &fr);
    m_view->setComparison(gold, tf, fr);
}

void TeacherForcingController::startCurves(bool stored) {
    m_curvesReady = false;
    m_view->setSummary(stored ? tr("Curves as measured when the model was trained (kept in its file); measuring again on "
                                   "the %1 test sentences...").arg(m_pairs.size())
                              : tr("Measuring both modes on the %1 test sentences...").arg(m_pairs.size()));
    auto model = m_model;
    auto pairs = std::make_shared<const std::vector<ar::ZhEnPair>>(m_pairs);
    m_jobs->run(kCurves, [this, model, pairs](const JobContext&) -> JobRunner::Deliver {
        const ar::TranslationEval eval = ar::evaluateTranslator(*model, *pairs);
        return [this, eval] {
            m_eval = eval;
            m_view->setCurves(m_eval.tfError, m_eval.frError, m_eval.positionCount);
            m_view->setSummary(
                tr("Test split, %1 sentences: greedy exact match %2%. After a sentence's first free-running mistake, "
                   "free running is wrong on %3% of the remaining positions, teacher forcing (gold prefix) on %4% "
                   "of the same positions (%5 positions): the gap is exposure bias.")
                    .arg(m_eval.sentences).arg(100 * m_eval.exactMatch, 0, 'f', 1)
                    .arg(100 * m_eval.frErrorAfterFirstMistake, 0, 'f', 1)
                    .arg(100 * m_eval.tfErrorAfterFirstMistake, 0, 'f', 1).arg(m_eval.positionsAfterFirstMistake));
            m_curvesReady = true;
            emit curvesComputed();
        };
    });
}

}  // namespace arlab
