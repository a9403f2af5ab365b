// CSV export of the Transformer lesson's docks (app/gui/dockexport.h) against the core: the next-token
// distribution (the session's raw stage and a full forward), the attention (the session's matrices), the
// generated tokens (the steps' probabilities), the Logit lens (a full forward; core's commitmentLayers) and the
// Tokenizer (encode() of the prompt), the model's parameter count (the file's tensors) and the loss
// curve (the core trainer, run again with the same seeded settings), to 1e-6 (1e-5 where a recomputation in
// float sums in another order). The Quiz dock's CSV is checked in tst_quizdock. Pictures: tst_dockexport.
#include "app/gui/generationcontroller.h"
#include "app/gui/realmodeldocks.h"
#include "app/gui/trainingcontroller.h"
#include "core/decoding/decodingsession.h"
#include "core/io/safetensors.h"
#include "core/models/lens.h"
#include "core/training/tinygpttrain.h"
#include "widgets/trainingview.h"
#include "guitestutil.h"

#include <QtTest>

#include <map>

using namespace arlab;
using testutil::Csv;
using testutil::makeWindow;
using testutil::near;

class TestDockExportTransformer : public testutil::DockExportTest {
    Q_OBJECT
private slots:
    // Next token: every token's p equals the session's raw stage (the core's softmax) and a full forward.
    void nextTokenCsvIsTheModelsDistribution() {
        auto win = makeWindow("transformer");
        win->runSteps(4);
        const ar::DecodingSession& session = *win->generation()->session();
        const ar::DecodeStep& st = session.steps().back();
        const Csv csv = exportAll(win->findChild<QDockWidget*>("nextTokenDock"));
        QCOMPARE(csv.rows.size(), int(st.stages.front().candidates.size()));
        const ar::Tokens prefix(session.sequence().begin(), session.sequence().begin() + st.position);
        const ar::Mat logits = win->generation()->model()->logits(prefix);
        const Eigen::Index last = logits.rows() - 1;
        double mx = -1e300, z = 0;
        for (Eigen::Index i = 0; i < logits.cols(); ++i) mx = std::max(mx, double(logits(last, i)));
        for (Eigen::Index i = 0; i < logits.cols(); ++i) z += std::exp(double(logits(last, i)) - mx);
        double sum = 0;
        int chosen = 0;
        for (int r = 0; r < csv.rows.size(); ++r) {
            const int id = csv.cell(r, "token_id").toInt();
            const ar::Candidate* c = st.stages.front().find(id);
            QVERIFY(c);
            QVERIFY2(near(csv.num(r, "p"), c->p), qPrintable(csv.rows[r].join(',')));
            QVERIFY(near(csv.num(r, "logit"), c->logit));
            QVERIFY(near(csv.num(r, "p"), std::exp(double(logits(last, id)) - mx) / z, 1e-5));
            sum += csv.num(r, "p");
            chosen += csv.cell(r, "chosen").toInt();
            if (csv.cell(r, "chosen") == "1") QCOMPARE(id, st.token);
        }
        QVERIFY(near(sum, 1, 1e-5));
        QCOMPARE(chosen, 1);
        QVERIFY(csv.header.contains("p_true"));   // the toy language's truth
    }

    // Logit lens: the CSV's output-layer rows are the model's next-token distribution (softmax of a full forward,
    // 1e-5) and its commitment rows are core's commitmentLayers over the sequence. Tokenizer: the CSV's ids,
    // in order, are encode() of the prompt.
    void realModelDocksCsvAreCore() {
        auto win = makeWindow("transformer");
        win->runSteps(4);
        const ar::DecodingSession& session = *win->generation()->session();
        const auto model = win->generation()->model();
        QDockWidget* lensDock = win->findChild<QDockWidget*>("lensDock");
        QVERIFY(lensDock);
        lensDock->show();
        auto* lens = win->findChild<LensController*>();
        QVERIFY(lens);
        QVERIFY(lens->waitForIdle(30000));
        const Csv csv = exportAll(lensDock);
        const ar::DecodeStep& st = session.steps().back();
        const ar::Tokens prefix(session.sequence().begin(), session.sequence().begin() + st.position);
        const ar::Mat logits = model->logits(prefix);
        const Eigen::Index last = logits.rows() - 1;
        double mx = -1e300, z = 0;
        for (Eigen::Index i = 0; i < logits.cols(); ++i) mx = std::max(mx, double(logits(last, i)));
        for (Eigen::Index i = 0; i < logits.cols(); ++i) z += std::exp(double(logits(last, i)) - mx);
        int outputRows = 0, maxLayer = 0;
        for (int r = 0; r < csv.rows.size(); ++r)
            if (csv.cell(r, "kind") == "lens") maxLayer = std::max(maxLayer, csv.cell(r, "layer").toInt());
        std::vector<int> commitment;
        for (int r = 0; r < csv.rows.size(); ++r) {
            if (csv.cell(r, "kind") == "commitment") {
                commitment.push_back(csv.cell(r, "layer").toInt());
                continue;
            }
            if (csv.cell(r, "layer").toInt() != maxLayer) continue;
            ++outputRows;
            const int id = csv.cell(r, "token_id").toInt();
            QVERIFY2(near(csv.num(r, "p"), std::exp(double(logits(last, id)) - mx) / z, 1e-5), qPrintable(csv.rows[r].join(',')));
        }
        QCOMPARE(outputRows, LensController::kTop);
        QCOMPARE(commitment, ar::commitmentLayers(*model, session.sequence(), session.steps().front().position));

        QDockWidget* tokDock = win->findChild<QDockWidget*>("tokenizerDock");
        QVERIFY(tokDock);
        tokDock->show();
        QApplication::processEvents();
        const Csv tok = exportAll(tokDock);
        ar::Tokens ids;
        for (int r = 0; r < tok.rows.size(); ++r) ids.push_back(tok.cell(r, "token_id").toInt());
        QCOMPARE(ids, model->tokenizer().encode(win->generation()->prompt().toStdString()).ids);
    }

    // Attention: every (layer, head, query, key) weight the dock shows equals the session's matrix.
    void attentionCsvIsTheSessionsAttention() {
        auto win = makeWindow("transformer");
        win->runSteps(3);
        const ar::DecodingSession& session = *win->generation()->session();
        const Csv csv = exportAll(win->findChild<QDockWidget*>("attentionDock"));
        int T = 0;
        while (T < int(session.attentionRows().size()) && !session.attentionRows()[size_t(T)].empty()) ++T;
        QCOMPARE(csv.rows.size(), session.layerCount() * session.headCount() * T * (T + 1) / 2);
        for (int r = 0; r < csv.rows.size(); ++r) {
            const ar::Mat a = session.attentionMatrix(csv.cell(r, "layer").toInt(), csv.cell(r, "head").toInt());
            QVERIFY(near(csv.num(r, "weight"), a(csv.cell(r, "query").toInt(), csv.cell(r, "key").toInt())));
        }
    }

    // Generation: the chips' probabilities are the steps' model probabilities.
    void generationCsvIsTheSessionsTokens() {
        auto win = makeWindow("transformer");
        win->runSteps(5);
        const ar::DecodingSession& session = *win->generation()->session();
        const Csv csv = exportAll(win->findChild<QDockWidget*>("generationDock"));
        int generated = 0;
        for (int r = 0; r < csv.rows.size(); ++r) {
            if (csv.cell(r, "kind") != "generated") continue;
            const ar::DecodeStep& st = session.steps()[size_t(generated++)];
            QCOMPARE(csv.cell(r, "position").toInt(), st.position);
            QVERIFY2(near(csv.num(r, "p"), st.modelP) || near(csv.num(r, "p"), st.p), qPrintable(csv.rows[r].join(',')));
        }
        QCOMPARE(generated, int(session.steps().size()));
    }

    // Model: every tensor's parameter count is the file's.
    void modelCsvCountsTheFilesParameters() {
        auto win = makeWindow("transformer");
        const Csv csv = exportAll(win->findChild<QDockWidget*>("modelDock"));
        QFile f(GenerationController::builtinModelPath());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        const ar::SafeTensors file = ar::parseSafetensors(std::string(bytes.constData(), size_t(bytes.size())), "toy-word");
        qint64 total = 0;
        for (const ar::TensorEntry& t : file.tensors)
            if (t.name != "lm_head.weight") total += qint64(t.data.size());   // a copy of wte (tied), not a parameter
        bool found = false;
        for (int r = 0; r < csv.rows.size(); ++r)
            if (csv.cell(r, "section") == "parameters" && csv.cell(r, "name") == "total") {
                QCOMPARE(csv.cell(r, "value").toLongLong(), total);
                found = true;
            }
        QVERIFY(found);
    }

    // Training: the loss curve is what the core's trainer reports for the same settings (seeded, so a run in
    // this thread gives the same numbers as the dock's worker).
    void trainingCsvIsTheTrainersLosses() {
        auto win = makeWindow("transformer");
        auto* d = win->findChild<QDockWidget*>("trainingDock");
        QVERIFY(d);
        d->show();
        auto* view = d->findChild<TrainingView*>();
        auto* ctl = win->findChild<TrainingController*>();
        ar::ToyGptSettings s;
        s.layers = 1, s.heads = 2, s.embd = 16, s.context = 16, s.steps = 30, s.sentences = 300, s.valTokens = 300, s.evalEvery = 10;
        view->setSettings(s);
        QSignalSpy done(ctl, &TrainingController::finished);
        QVERIFY(ctl->start());
        QVERIFY(done.wait(60000));
        const Csv csv = exportAll(d);
        std::map<int, std::pair<double, double>> expected;
        ar::ToyGptTrainer trainer(s);
        trainer.run([&](const ar::TrainProgress& p) { expected[p.step] = {p.trainLoss, p.valLoss}; }, nullptr);
        QCOMPARE(csv.rows.size(), int(expected.size()));
        for (int r = 0; r < csv.rows.size(); ++r) {
            const auto& [train, val] = expected.at(csv.cell(r, "step").toInt());
            QVERIFY2(near(csv.num(r, "train_loss"), train), qPrintable(csv.rows[r].join(',')));
            if (std::isnan(val)) QVERIFY(csv.cell(r, "validation_loss").isEmpty());
            else QVERIFY(near(csv.num(r, "validation_loss"), val));
        }
    }
};

QTEST_MAIN(TestDockExportTransformer)
#include "tst_dockexport_transformer.moc"
