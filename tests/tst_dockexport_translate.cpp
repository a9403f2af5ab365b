// CSV export of the Translation lesson's docks against the core: the cross-attention (the translator's rows),
// the translator's beam tree (an independent search node by node, and every step log-probability recomputed by
// teacher forcing the node's path), teacher forcing vs free running (the per-position error rates recounted here
// sentence by sentence over the whole test split) and the RNN inspector (the hidden state, cell, gates and
// P(next character) of a plain-Eigen LSTM forward in double from the file's weights). 1e-6, or 1e-5 where a
// float model is compared with a recomputation in another order or precision.
#include "app/gui/rnninspectorcontroller.h"
#include "app/gui/teacherforcingcontroller.h"
#include "app/gui/translationcontroller.h"
#include "core/data/zhencorpus.h"
#include "core/decoding/beamsearch.h"
#include "core/models/charrnn.h"
#include "core/models/seq2seq.h"
#include "widgets/translationview.h"
#include "guitestutil.h"

#include <QtTest>

#include <cmath>
#include <map>

using namespace arlab;
using testutil::Csv;
using testutil::makeWindow;
using testutil::near;

namespace {
// log softmax(row)[i] in double
double logSoftmaxAt(const ar::RowVec& row, int i) {
    const double mx = double(row.maxCoeff());
    double z = 0;
    for (ar::Index j = 0; j < row.size(); ++j) z += std::exp(double(row(j)) - mx);
    return double(row(i)) - mx - std::log(z);
}
}  // namespace

class TestDockExportTranslate : public testutil::DockExportTest {
    Q_OBJECT
private slots:
    // Translation: the cross-attention the dock exports is the translator's, word by word.
    void translationCsvIsTheTranslatorsAttention() {
        auto win = makeWindow("translate");
        win->runSteps(3);
        auto* ctl = win->findChild<TranslationController*>();
        QVERIFY(ctl);
        const ar::Mat& a = ctl->attention();
        QVERIFY(a.rows() >= 3);
        const Csv csv = exportAll(win->findChild<QDockWidget*>("translationDock"));
        QCOMPARE(csv.rows.size(), int(a.rows() * a.cols()));
        for (int r = 0; r < csv.rows.size(); ++r)
            QVERIFY(near(csv.num(r, "weight"), a(csv.cell(r, "target").toInt(), csv.cell(r, "source").toInt())));
    }

    // The translator's beam tree: node by node the tree of an independent search (same model, source and width),
    // and each node's step log-probability = log softmax of the decoder teacher-forced along the node's path.
    void translationBeamCsvIsAnIndependentSearch() {
        auto win = makeWindow("translate");
        auto* ctl = win->findChild<TranslationController*>();
        auto* view = win->findChild<TranslationView*>();
        QVERIFY(ctl && ctl->model() && view);
        const Csv csv = exportAll(win->findChild<QDockWidget*>("translationBeamDock"));
        const auto shared = loadTranslatorResource(":/models/zh-en-seq2seq.safetensors");   // the file, loaded again
        const ar::Seq2Seq& model = *shared;
        const ar::Tokenizer::Encoded src = model.srcTokenizer().encode(view->sourceText().toStdString());
        QVERIFY(src.ok() && !src.ids.empty());
        ar::BeamSettings bs;
        bs.width = view->beamWidth();
        bs.maxLength = 30;
        ar::BeamSearch search(std::make_shared<ar::TranslatorLM>(shared, src.ids), {}, bs);   // (it feeds <s> itself)
        search.run();
        const ar::BeamTree& tree = search.tree();
        QCOMPARE(csv.rows.size(), int(tree.nodes.size()));
        QVERIFY(tree.nodes.size() > size_t(bs.width));
        std::map<int, ar::RowVec> nextOf;   // parent node -> the decoder's logits after its path
        for (int r = 0; r < csv.rows.size(); ++r) {
            const ar::BeamNode& n = tree.nodes[size_t(r)];
            QCOMPARE(csv.cell(r, "id").toInt(), n.id);
            QCOMPARE(csv.cell(r, "parent").toInt(), n.parent);
            QCOMPARE(csv.cell(r, "step").toInt(), n.step);
            QCOMPARE(csv.cell(r, "status"), QString::fromStdString(ar::beamStatusName(n.status)));
            if (r > 0) QCOMPARE(csv.cell(r, "token"), QString::fromStdString(model.tgtTokenizer().token(n.token)));
            QVERIFY2(near(csv.num(r, "step_logprob"), n.stepLogprob), qPrintable(csv.rows[r].join(',')));
            QVERIFY(near(csv.num(r, "logprob"), n.logprob));
            QVERIFY(near(csv.num(r, "score"), n.score));
            if (n.parent < 0) continue;
            if (!nextOf.count(n.parent)) {
                const ar::Mat logits = ar::teacherForcedLogits(model, src.ids, tree.path(n.parent));
                nextOf[n.parent] = logits.row(logits.rows() - 1);
            }
            QVERIFY2(near(csv.num(r, "step_logprob"), logSoftmaxAt(nextOf[n.parent], n.token), 1e-5), qPrintable(csv.rows[r].join(',')));
            QVERIFY(near(csv.num(r, "logprob"), csv.num(n.parent, "logprob") + csv.num(r, "step_logprob"), 1e-9));
        }
    }

    // Teacher forcing vs free running: the error rate at every plotted position, recounted sentence by sentence
    // over the test split with the model the dock shows (the early checkpoint): teacher forcing = the argmax after
    // the gold prefix, free running = the greedy translation; positions with fewer than 5 sentences are not drawn.
    void teacherForcingCsvIsTheTestSplitsErrorRates() {
        auto win = makeWindow("translate");
        auto* ctl = win->findChild<TeacherForcingController*>();
        QVERIFY(ctl);
        if (!ctl->curvesReady()) {
            QSignalSpy computed(ctl, &TeacherForcingController::curvesComputed);
            QVERIFY(computed.wait(int(120000 * testutil::slowdown())));
        }
        const Csv csv = exportAll(win->findChild<QDockWidget*>("teacherForcingDock"));
        const auto model = loadTranslatorResource(":/models/zh-en-seq2seq-early.safetensors");
        std::vector<int> tfWrong, frWrong, count;
        for (const ar::ZhEnPair& p : ar::makeZhEnCorpus(1).test) {
            ar::Tokens src, gold;
            for (const auto& w : p.src) src.push_back(model->srcTokenizer().id(w));
            for (const auto& w : p.tgt) gold.push_back(model->tgtTokenizer().id(w));
            const ar::Mat tf = ar::teacherForcedLogits(*model, src, gold);   // row t: after gold[0..t-1]
            gold.push_back(model->eos());
            const ar::Tokens fr = ar::translateGreedy(*model, src, int(gold.size()) + 1).tokens;
            if (count.size() < gold.size()) tfWrong.resize(gold.size()), frWrong.resize(gold.size()), count.resize(gold.size());
            for (size_t t = 0; t < gold.size(); ++t) {
                ar::Index best;
                tf.row(ar::Index(t)).maxCoeff(&best);
                tfWrong[t] += int(best) != gold[t];
                frWrong[t] += t >= fr.size() || fr[t] != gold[t];
                ++count[t];
            }
        }
        int shown = 0;
        while (shown < int(count.size()) && count[size_t(shown)] >= 5) ++shown;
        QCOMPARE(csv.rows.size(), shown);
        QVERIFY(shown >= 8);
        for (int r = 0; r < csv.rows.size(); ++r) {
            const size_t t = size_t(csv.cell(r, "position").toInt() - 1);
            QCOMPARE(t, size_t(r));
            QVERIFY2(near(csv.num(r, "teacher_forced_error"), double(tfWrong[t]) / count[t]), qPrintable(csv.rows[r].join(',')));
            QVERIFY2(near(csv.num(r, "free_running_error"), double(frWrong[t]) / count[t]), qPrintable(csv.rows[r].join(',')));
        }
    }

    // RNN inspector: every number is a plain LSTM forward (PyTorch's equations, in double, from the file's
    // weights) over the same characters: layer 1's h, c and the gates i, f, g, o per unit and character, and
    // P(next character) from the top layer through fc and a softmax.
    void rnnInspectorCsvIsAPlainLstmForward() {
        auto win = makeWindow("translate");
        auto* ctl = win->findChild<RnnInspectorController*>();
        QVERIFY(ctl && ctl->model());
        const QString text = "the cat drank two cups of tea";
        ctl->setText(text);
        const Csv csv = exportAll(win->findChild<QDockWidget*>("rnnInspectorDock"));
        const ar::CharRnn& m = *ctl->model();
        QCOMPARE(m.config().cell, ar::nn::CellType::Lstm);
        ar::Tokens ids = {m.bosToken()};
        for (int id : m.tokenizer().encode(text.toStdString()).ids)
            if (id >= 0) ids.push_back(id);   // as the dock: characters the model does not know are left out
        const int H = m.config().hidden, L = m.config().layers, T = int(ids.size());
        using MatD = Eigen::MatrixXd;
        using RowD = Eigen::RowVectorXd;
        const MatD emb = m.embedding.weight.value().cast<double>(), fcW = m.fc.weight.value().cast<double>();
        const RowD fcB = m.fc.bias.value().cast<double>();
        std::vector<RowD> h(size_t(L), RowD::Zero(H)), c(size_t(L), RowD::Zero(H));
        const auto sigmoid = [](const RowD& z) -> RowD { return (1.0 + (-z.array()).exp()).inverse().matrix(); };
        std::map<QString, MatD> want;   // quantity -> (units, steps)
        for (const char* q : {"hidden state h", "cell c", "input gate i", "forget gate f", "candidate g", "output gate o"})
            want[q] = MatD::Zero(H, T);
        std::vector<double> nextP(size_t(T), 0.0);
        for (int t = 0; t < T; ++t) {
            RowD x = emb.row(ids[size_t(t)]);
            for (int l = 0; l < L; ++l) {
                const RowD z = x * m.rnn.wih[size_t(l)].value().cast<double>().transpose() + m.rnn.bih[size_t(l)].value().cast<double>() +
                               h[size_t(l)] * m.rnn.whh[size_t(l)].value().cast<double>().transpose() + m.rnn.bhh[size_t(l)].value().cast<double>();
                const RowD i = sigmoid(z.segment(0, H)), f = sigmoid(z.segment(H, H)), o = sigmoid(z.segment(3 * H, H));
                const RowD g = z.segment(2 * H, H).array().tanh().matrix();
                c[size_t(l)] = f.cwiseProduct(c[size_t(l)]) + i.cwiseProduct(g);
                h[size_t(l)] = o.cwiseProduct(c[size_t(l)].array().tanh().matrix());
                x = h[size_t(l)];
                if (l == 0) {
                    want["hidden state h"].col(t) = h[0].transpose();
                    want["cell c"].col(t) = c[0].transpose();
                    want["input gate i"].col(t) = i.transpose();
                    want["forget gate f"].col(t) = f.transpose();
                    want["candidate g"].col(t) = g.transpose();
                    want["output gate o"].col(t) = o.transpose();
                }
            }
            if (t + 1 < T) {
                const RowD logits = x * fcW.transpose() + fcB;
                const double mx = logits.maxCoeff();
                nextP[size_t(t + 1)] = std::exp(logits(ids[size_t(t + 1)]) - mx) / (logits.array() - mx).exp().sum();
            }
        }
        std::map<QString, int> rows;
        for (int r = 0; r < csv.rows.size(); ++r) {
            const QString q = csv.cell(r, "quantity");
            const int s = csv.cell(r, "position").toInt();
            QVERIFY(s >= 0 && s < T);
            ++rows[q];
            if (q == "p_next") {
                QVERIFY2(near(csv.num(r, "value"), nextP[size_t(s)], 1e-5), qPrintable(csv.rows[r].join(',')));
                continue;
            }
            QVERIFY2(want.count(q), qPrintable(q));
            const int u = csv.cell(r, "unit").toInt();
            QVERIFY2(near(csv.num(r, "value"), want[q](u, s), 1e-5), qPrintable(csv.rows[r].join(',')));
        }
        QCOMPARE(rows["p_next"], T);
        for (const auto& [q, mat] : want) QCOMPARE(rows[q], H * T);
    }
};

QTEST_MAIN(TestDockExportTranslate)
#include "tst_dockexport_translate.moc"
