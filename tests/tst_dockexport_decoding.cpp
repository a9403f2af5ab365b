// CSV export of the Decoding lesson's docks against the core: the beam tree (an independent search with the
// same model, prompt and settings, node by node), the strategies compared (a full forward per token) and the
// sampler settings in use, to 1e-6 (1e-5 where a recomputation in float sums in another order).
#include "app/gui/beamcontroller.h"
#include "app/gui/generationcontroller.h"
#include "core/decoding/beamsearch.h"
#include "guitestutil.h"

#include <QtTest>

#include <map>

using namespace arlab;
using testutil::Csv;
using testutil::makeWindow;
using testutil::near;

class TestDockExportDecoding : public testutil::DockExportTest {
    Q_OBJECT
private slots:
    // Beam search: node by node, the tree of an independent search with the same model, prompt and settings.
    void beamCsvIsAnIndependentSearch() {
        auto win = makeWindow("decoding");
        win->runSteps(4);
        auto* ctl = win->findChild<BeamController*>();
        QVERIFY(ctl);
        ar::BeamSearch search(win->generation()->model(), win->generation()->session()->promptTokens(), ctl->settings());
        for (int i = 0; i < 4; ++i) search.stepRound();
        const Csv csv = exportAll(win->findChild<QDockWidget*>("beamDock"));
        const ar::BeamTree& tree = search.tree();
        QCOMPARE(csv.rows.size(), int(tree.nodes.size()));
        for (int r = 0; r < csv.rows.size(); ++r) {
            const ar::BeamNode& n = tree.nodes[size_t(r)];
            QCOMPARE(csv.cell(r, "parent").toInt(), n.parent);
            QCOMPARE(csv.cell(r, "step").toInt(), n.step);
            QCOMPARE(csv.cell(r, "status"), QString::fromStdString(ar::beamStatusName(n.status)));
            QVERIFY(near(csv.num(r, "step_logprob"), n.stepLogprob));
            QVERIFY(near(csv.num(r, "logprob"), n.logprob));
            QVERIFY(near(csv.num(r, "score"), n.score));
        }
    }

    // Compare strategies: every row's token probabilities are the model's (a full forward over the prompt and
    // the row's tokens so far), and the row's log P is their sum.
    void compareCsvIsTheModelsProbabilities() {
        auto win = makeWindow("decoding");
        win->runSteps(1);
        const Csv csv = exportAll(win->findChild<QDockWidget*>("compareDock"));
        const auto model = win->generation()->model();
        ar::Tokens prompt = win->generation()->session()->promptTokens();   // without BOS
        if (model->bosToken() >= 0) prompt.insert(prompt.begin(), model->bosToken());
        std::map<int, ar::Tokens> seq;
        std::map<int, double> sum;
        for (int r = 0; r < csv.rows.size(); ++r) {
            const int row = csv.cell(r, "row").toInt();
            if (!seq.count(row)) seq[row] = prompt;
            const ar::Mat logits = model->logits(seq[row]);
            const Eigen::Index last = logits.rows() - 1;
            double mx = -1e300, z = 0;
            for (Eigen::Index i = 0; i < logits.cols(); ++i) mx = std::max(mx, double(logits(last, i)));
            for (Eigen::Index i = 0; i < logits.cols(); ++i) z += std::exp(double(logits(last, i)) - mx);
            const int id = csv.cell(r, "token_id").toInt();
            const double p = std::exp(double(logits(last, id)) - mx) / z;
            QVERIFY2(near(csv.num(r, "p"), p, 1e-5), qPrintable(csv.rows[r].join(',')));
            sum[row] += std::log(csv.num(r, "p"));
            seq[row].push_back(id);
            if (r + 1 == csv.rows.size() || csv.cell(r + 1, "row").toInt() != row)
                QVERIFY2(near(sum[row], csv.num(r, "row_logprob"), 1e-4), qPrintable(csv.rows[r].join(',')));
        }
        QVERIFY(seq.size() >= 3);   // greedy, beam, samples
    }

    // Sampling: the settings the panel exports are the decoding settings in use.
    void samplingCsvIsTheSettingsInUse() {
        auto win = makeWindow("decoding");
        const Csv csv = exportAll(win->findChild<QDockWidget*>("samplingDock"));
        const ar::SamplerSettings s = win->generation()->settings();
        std::map<QString, QString> v;
        for (int r = 0; r < csv.rows.size(); ++r) v[csv.cell(r, "setting")] = csv.cell(r, "value");
        QVERIFY(near(v["temperature"].toDouble(), s.temperature()));
        QCOMPARE(v["top_k"].toInt(), s.topK());
        QVERIFY(near(v["top_p"].toDouble(), s.topP()));
        QCOMPARE(v["seed"].toULongLong(), s.seed);
    }
};

QTEST_MAIN(TestDockExportDecoding)
#include "tst_dockexport_decoding.moc"
