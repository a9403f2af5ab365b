// Export of every dock (app/gui/dockexport.h, widgets/viewexport.h): for every dock of every lesson, the SVG
// is valid and not empty (QSvgRenderer), the PNG at 2x is exactly twice the dock's size, and the CSV parses
// into a header and rows. For the docks that show numbers, the CSV's numbers are compared with the core's
// own (the decoding session, an independent beam search, a full forward pass, a training run) to 1e-6.
// Also: CSV quoting round trips, bad file names and a view without numbers give specific messages, and
// `arlab --export` works from the command line.
#include "app/gui/beamcontroller.h"
#include "app/gui/dockexport.h"
#include "app/gui/generationcontroller.h"
#include "app/gui/lesson.h"
#include "app/gui/mainwindow.h"
#include "app/gui/pixelcontroller.h"
#include "app/gui/quizcontroller.h"
#include "app/gui/realmodeldocks.h"
#include "app/gui/trainingcontroller.h"
#include "app/gui/translationcontroller.h"
#include "core/sampling/imagesampler.h"
#include "core/decoding/beamsearch.h"
#include "core/io/safetensors.h"
#include "core/models/lens.h"
#include "core/training/tinygpttrain.h"
#include "widgets/attentionview.h"
#include "widgets/lensview.h"
#include "widgets/quizview.h"
#include "widgets/trainingview.h"
#include "widgets/viewexport.h"
#include "testutil.h"

#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <map>

using namespace arlab;

namespace {

std::unique_ptr<MainWindow> makeWindow(const QString& lesson) {
    MainWindow::Options opt;
    opt.persistLayout = false;
    opt.lesson = lesson;
    auto win = std::make_unique<MainWindow>(opt);
    win->resize(1600, 1000);
    win->show();
    return win;
}

QString readText(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(f.readAll());
}

// The CSV as a list of maps column -> cell (header checked: every row as long as it).
struct Csv {
    QStringList header;
    QList<QStringList> rows;
    QString cell(int row, const QString& column) const { return rows[row].value(int(header.indexOf(column))); }
    double num(int row, const QString& column) const { return cell(row, column).toDouble(); }
};

bool near(double a, double b, double tol = 1e-6) { return std::abs(a - b) <= tol; }

}  // namespace

class TestDockExport : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    // Exports `dock` as SVG, PNG (2x) and CSV; checks the pictures; returns the parsed CSV.
    Csv exportAll(QDockWidget* dock) {
        Csv csv;
        const QString stem = m_dir.filePath(dock->objectName());
        QWidget* view = dock->widget();
        [&] {
            QCOMPARE(DockExporter::exportDock(dock, stem + ".svg"), QString());
            QSvgRenderer svg(stem + ".svg");
            QVERIFY2(svg.isValid(), qPrintable(dock->objectName()));
            QVERIFY(!svg.defaultSize().isEmpty());
            QCOMPARE(svg.viewBoxF(), QRectF(QPointF(0, 0), QSizeF(view->size())));   // 1 unit = 1 widget pixel
            const QString text = readText(stem + ".svg");
            int shapes = 0;
            for (const char* tag : {"<path", "<polyline", "<rect", "<text", "<image"}) shapes += int(text.count(QLatin1String(tag)));
            QVERIFY2(shapes > 5, "the SVG draws next to nothing");

            QCOMPARE(DockExporter::exportDock(dock, stem + ".png", 2), QString());
            const QImage png(stem + ".png");
            QVERIFY(!png.isNull());
            QCOMPARE(png.size(), view->size() * 2);
            // Not blank: more than a handful of distinct colours.
            QSet<QRgb> colours;
            for (int y = 0; y < png.height(); y += 7)
                for (int x = 0; x < png.width(); x += 7) colours.insert(png.pixel(x, y));
            QVERIFY2(colours.size() > 3, "the PNG is blank");

            const QString error = DockExporter::exportDock(dock, stem + ".csv");
            QVERIFY2(error.isEmpty(), qPrintable(QStringLiteral("%1: %2 — implement ExportableView (widgets/exportable.h) "
                                                               "on the dock's view").arg(dock->objectName(), error)));
            const QList<QStringList> all = ExportTable::parseCsv(readText(stem + ".csv"));
            QVERIFY(all.size() >= 2);
            csv.header = all.front();
            csv.rows = all.mid(1);
            for (const QStringList& r : csv.rows) QCOMPARE(r.size(), csv.header.size());
        }();
        return csv;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // Every dock of every lesson, after a few steps of its lesson (the Training dock after a short run).
    void everyDockExports_data() {
        QTest::addColumn<QString>("lesson");
        QTest::addColumn<QString>("dock");
        for (const LessonSpec& spec : LessonRegistry::all())   // every registered lesson and dock
            for (const DockSpec& d : spec.docks)
                QTest::newRow(qPrintable(spec.id + "/" + d.objectName)) << spec.id << QString::fromLatin1(d.objectName);
    }
    void everyDockExports() {
        QFETCH(QString, lesson);
        QFETCH(QString, dock);
        auto win = makeWindow(lesson);
        QVERIFY(win->activateLesson(lesson));
        win->runSteps(3);
        QDockWidget* d = win->findChild<QDockWidget*>(dock);
        QVERIFY(d);
        d->show();
        if (auto* training = d->findChild<TrainingView*>()) {
            auto* ctl = win->findChild<TrainingController*>();
            QVERIFY(ctl);
            ar::ToyGptSettings s;
            s.layers = 1, s.heads = 2, s.embd = 16, s.context = 16, s.steps = 20, s.sentences = 300, s.valTokens = 300,
            s.evalEvery = 10;
            training->setSettings(s);
            QSignalSpy done(ctl, &TrainingController::finished);
            QVERIFY(ctl->start());
            QVERIFY(done.wait(60000));
        }
        if (d->findChild<QuizView*>()) {   // the quiz has numbers once a student has answered: three picks
            auto* ctl = win->findChild<QuizController*>();
            QVERIFY(ctl);
            ctl->newRound(3);
            for (int i = 0; i < 3; ++i, ctl->ask()) QVERIFY(ctl->answer(ar::QuizGuess::pick(i)));
        }
        if (auto* lens = d->findChild<LensView*>()) {   // the lens is computed by a background job once shown
            auto* ctl = win->findChild<LensController*>();
            QVERIFY(ctl && ctl->waitForIdle(30000));
            QVERIFY(!lens->data().rows.isEmpty());
        }
        QApplication::processEvents();
        const Csv csv = exportAll(d);
        QVERIFY2(!csv.rows.isEmpty(), qPrintable(dock + ": the CSV has no rows"));
    }

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

    // Pixels: every drawn pixel's value and P(ink) are the sampler's draws, and P(ink) matches a full
    // recompute of the network on the image so far.
    void pixelCsvIsTheSamplersDraws() {
        auto win = makeWindow("pixels");
        win->runSteps(40);
        auto* ctl = win->findChild<PixelController*>();
        QVERIFY(ctl && ctl->sampler());
        const ar::ImageSampler& s = *ctl->sampler();
        const Csv csv = exportAll(win->findChild<QDockWidget*>("pixelDock"));
        const int W = s.model().width();
        QCOMPARE(csv.rows.size(), W * s.model().height());
        QCOMPARE(int(s.draws().size()), 40);
        for (const ar::PixelDraw& d : s.draws()) {
            const int r = d.index;   // rows are in raster order
            QCOMPARE(csv.cell(r, "y").toInt() * W + csv.cell(r, "x").toInt(), d.index);
            QVERIFY(near(csv.num(r, "value"), d.value));
            QVERIFY2(near(csv.num(r, "p"), d.p), qPrintable(csv.rows[r].join(',')));
        }
    }

    // Sampling: the settings the panel exports are the decoding settings in use.
    void samplingCsvIsTheSettingsInUse() {
        auto win = makeWindow("decoding");
        const Csv csv = exportAll(win->findChild<QDockWidget*>("samplingDock"));
        const ar::SamplerSettings s = win->generation()->settings();
        std::map<QString, QString> v;
        for (int r = 0; r < csv.rows.size(); ++r) v[csv.cell(r, "setting")] = csv.cell(r, "value");
        QVERIFY(near(v["temperature"].toDouble(), s.temperature));
        QCOMPARE(v["top_k"].toInt(), s.topK);
        QVERIFY(near(v["top_p"].toDouble(), s.topP));
        QCOMPARE(v["seed"].toULongLong(), s.seed);
    }

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

    void csvRoundTrips_data() {
        QTest::addColumn<QStringList>("cells");
        QTest::newRow("plain") << QStringList{"a", "1.5", "-3e-07"};
        QTest::newRow("comma") << QStringList{"a, b", "c"};
        QTest::newRow("quote") << QStringList{"say \"hi\"", ""};
        QTest::newRow("newline") << QStringList{"two\nlines", "x"};
        QTest::newRow("spaces") << QStringList{" lead", "trail "};
        QTest::newRow("chinese") << QStringList{"我 爱 你", "注意力"};
        QTest::newRow("empty cells") << QStringList{"", "", ""};
    }
    void csvRoundTrips() {
        QFETCH(QStringList, cells);
        ExportTable t{cells};
        t.addRow(cells);
        const QList<QStringList> back = ExportTable::parseCsv(t.toCsv());
        QCOMPARE(back.size(), 2);
        QCOMPARE(back[0], cells);
        QCOMPARE(back[1], cells);
    }

    void numbersKeepTheirDigits() {
        for (double v : {0.1234567891, 1e-9, -2.5, 3.0, 0.333333343267}) QVERIFY(near(ExportTable::number(v).toDouble(), v, 1e-10 * std::max(1.0, std::abs(v))));
        QCOMPARE(ExportTable::number(std::nan("")), QString("nan"));
    }

    void badExportsSayWhy() {
        QLabel plain("just a label");
        plain.resize(200, 50);
        QVERIFY(exportView(&plain, m_dir.filePath("x.bmp"), "Label").contains("must end in .png, .svg or .csv"));
        QVERIFY(exportView(&plain, m_dir.filePath("x.csv"), "Label").contains("shows no numbers to export as CSV"));
        QVERIFY(!QFile::exists(m_dir.filePath("x.csv")));
        QVERIFY(exportView(&plain, "/nonexistent-dir/x.png", "Label").contains("cannot write '/nonexistent-dir/x.png'"));
        // A view with nothing yet says so, and an existing file is left as it was.
        AttentionView empty;
        empty.resize(300, 300);
        QFile old(m_dir.filePath("keep.csv"));
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("old\n");
        old.close();
        QVERIFY(exportView(&empty, old.fileName(), "Attention").contains("has no numbers to export yet: no attention yet"));
        QCOMPARE(readText(old.fileName()), QString("old\n"));
        // PNG sizes at 1x and 3x.
        QCOMPARE(exportView(&plain, m_dir.filePath("x1.png"), "Label", 1), QString());
        QCOMPARE(QImage(m_dir.filePath("x1.png")).size(), QSize(200, 50));
        QCOMPARE(exportView(&plain, m_dir.filePath("x3.png"), "Label", 3), QString());
        QCOMPARE(QImage(m_dir.filePath("x3.png")).size(), QSize(600, 150));
    }

    // arlab --export, as a process: a CSV with the attention of the toy model after 3 steps; bad arguments.
    void commandLineExport_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("csv") << QStringList{"--lesson", "transformer", "--steps", "3", "--export", "attention", "--out", "@/a.csv"} << 0 << "";
        QTest::newRow("svg by title") << QStringList{"--lesson", "decoding", "--steps", "2", "--export", "Beam search", "--out", "@/b.svg"} << 0 << "";
        QTest::newRow("png 2x") << QStringList{"--export", "nextTokenDock", "--out", "@/n.png", "--scale", "2", "--size", "1200x800"} << 0 << "";
        QTest::newRow("unknown dock") << QStringList{"--export", "nosuch", "--out", "@/x.csv"} << 2 << "--export: no dock 'nosuch'; docks: ";
        QTest::newRow("bad suffix") << QStringList{"--export", "attention", "--out", "@/x.jpg"} << 2 << "must end in .png, .svg or .csv";
        QTest::newRow("no out") << QStringList{"--export", "attention"} << 2 << "--export needs --out FILE.png|svg|csv";
        QTest::newRow("out alone") << QStringList{"--out", "@/x.csv"} << 2 << "--out and --scale go with --export DOCK";
        QTest::newRow("bad scale") << QStringList{"--export", "attention", "--out", "@/x.png", "--scale", "9"} << 2 << "--scale: expected a number from 1 to 4, got '9'";
        QTest::newRow("scale on csv") << QStringList{"--export", "attention", "--out", "@/x.csv", "--scale", "2"} << 2 << "--scale applies to PNG files only";
        QTest::newRow("with screenshot") << QStringList{"--export", "attention", "--out", "@/x.csv", "--screenshot", "@/s.png"} << 2 << "cannot be used together";
        QTest::newRow("unwritable") << QStringList{"--export", "attention", "--out", "/nonexistent-dir/a.csv"} << 1 << "cannot write '/nonexistent-dir/a.csv'";
    }
    void commandLineExport() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        for (QString& a : args) a.replace("@", m_dir.path());
        const testutil::Run r = testutil::gui(args);
        const QString err = r.errText();
        QVERIFY2(r.code == exitCode, qPrintable(err));
        if (!message.isEmpty()) QVERIFY2(err.contains(message), qPrintable(err));
        if (exitCode != 0) return;
        const QString out = args[args.indexOf("--out") + 1];
        QVERIFY(QFile::exists(out));
        if (out.endsWith(".csv")) {
            const QList<QStringList> rows = ExportTable::parseCsv(readText(out));
            QCOMPARE(rows.front(), (QStringList{"layer", "head", "query", "query_token", "key", "key_token", "weight"}));
            QCOMPARE(rows.size() - 1, 2 * 4 * 7 * 8 / 2);   // 2 layers x 4 heads x the 7 tokens after 3 steps (BOS + 3 + 3)
        } else if (out.endsWith(".svg")) {
            QVERIFY(QSvgRenderer(out).isValid());
        } else {
            const QImage png(out);
            QVERIFY(!png.isNull());
            QVERIFY(png.width() > 400);
        }
    }
};

QTEST_MAIN(TestDockExport)
#include "tst_dockexport.moc"
