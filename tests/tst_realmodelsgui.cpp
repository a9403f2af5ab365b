// Real models in the window (issue #13): File -> Open model takes a GPT-2 folder (Hugging Face layout) or a
// llama2.c checkpoint, written here by the shared test writers (tests/realmodelfiles.h, nothing downloaded).
// The file is read by a background job (never on the GUI thread: a slow kind registered here proves it), a
// missing piece names itself and leaves the current model in place, Cancel keeps the current model, and the
// opened model runs in the Transformer and Decoding lessons (steps, attention, beam, compare) with the Model
// dock describing the architecture read from the files. The Tokenizer dock traces the model's own tokenizer,
// and the Logit lens dock's last row is the Next token dock's distribution, its commitment strip a brute-force
// walk over the lens rows, linked to step selection and rewind, for TinyGPT, GPT-2 and Llama.
#include "app/gui/beamcontroller.h"
#include "app/gui/comparecontroller.h"
#include "app/gui/generationcontroller.h"
#include "widgets/generationdock.h"
#include "app/gui/realmodeldocks.h"
#include "app/gui/mainwindow.h"
#include "app/gui/modelloader.h"
#include "app/gui/openmodeldialog.h"
#include "core/decoding/decodingsession.h"
#include "core/io/realmodels.h"
#include "core/models/lens.h"
#include "widgets/attentionview.h"
#include "widgets/beamsearchpanel.h"
#include "widgets/beamtreeview.h"
#include "widgets/compareview.h"
#include "widgets/lensview.h"
#include "widgets/modelinfoview.h"
#include "widgets/nexttokenview.h"
#include "widgets/tokenizerview.h"
#include "guitestutil.h"
#include "realmodelfiles.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QMessageBox>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QToolButton>
#include <QLabel>
#include <QStatusBar>
#include <QtTest>

#include <atomic>
#include <map>

using namespace arlab;

namespace {

using testutil::makeWindow;

// A model kind that takes `ms` to read and records the thread that read it (registered for this test only).
std::atomic<int> g_slowMs{400};
std::atomic<Qt::HANDLE> g_readThread{nullptr};
void registerSlowKind() {
    ar::ModelKind k;
    k.name = "slow-test";
    k.family = ar::ModelFamily::Text;
    k.description = "a GPT-2 folder read slowly (tests only)";
    k.claims = [](const std::string& p) { return p.ends_with(".slow"); };
    k.loadPath = [](const std::string& p) {
        g_readThread = QThread::currentThreadId();
        QThread::msleep(unsigned(g_slowMs.load()));
        return ar::wrapModel(std::shared_ptr<ar::LanguageModel>(ar::openRealModel(p.substr(0, p.size() - 5))));
    };
    ar::registerModelKind(k);
}

}  // namespace

class TestRealModelsGui : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString gpt2Dir() const { return m_dir.filePath("gpt2"); }
    QString llamaDir() const { return m_dir.filePath("llama"); }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir().mkpath(gpt2Dir()));
        realfiles::writeGpt2Folder(gpt2Dir().toStdString(), realfiles::randomGpt2(4));
        QVERIFY(QDir().mkpath(llamaDir()));
        realfiles::LlamaShape s;
        realfiles::writeFile((llamaDir() + "/stories.bin").toStdString(), realfiles::llamaV1Bytes(s, realfiles::randomLlama(s, 3)));
        realfiles::writeFile((llamaDir() + "/tokenizer.bin").toStdString(), realfiles::llamaTokenizerBin(s.vocab));
        registerSlowKind();
        // For README screenshots: ARLAB_WRITE_REAL_MODELS_TO=DIR keeps a copy of both (DIR/gpt2, DIR/llama).
        const QString keep = qEnvironmentVariable("ARLAB_WRITE_REAL_MODELS_TO");
        if (!keep.isEmpty())
            for (const QString& sub : {QStringLiteral("gpt2"), QStringLiteral("llama")}) {
                QVERIFY(QDir().mkpath(keep + "/" + sub));
                for (const QString& f : QDir(m_dir.filePath(sub)).entryList(QDir::Files)) {
                    QFile::remove(keep + "/" + sub + "/" + f);
                    QVERIFY(QFile::copy(m_dir.filePath(sub + "/" + f), keep + "/" + sub + "/" + f));
                }
            }
    }

    // A folder, its model.safetensors, and a llama2.c file or its folder all open, as the right kind.
    void opensFilesAndFolders_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("kind");
        QTest::newRow("gpt2 folder") << "gpt2" << "gpt2";
        QTest::newRow("gpt2 model.safetensors") << "gpt2/model.safetensors" << "gpt2";
        QTest::newRow("gpt2 config.json") << "gpt2/config.json" << "gpt2";
        QTest::newRow("llama2.c .bin") << "llama/stories.bin" << "llama";
        QTest::newRow("llama2.c folder") << "llama" << "llama";
    }
    void opensFilesAndFolders() {
        QFETCH(QString, path);
        QFETCH(QString, kind);
        auto win = makeWindow();
        QCOMPARE(win->openModelFile(m_dir.filePath(path)), QString());
        const auto model = win->generation()->model();
        QVERIFY(model);
        QCOMPARE(QString::fromStdString(ar::realModelFormatName(ar::detectRealModel(m_dir.filePath(path).toStdString()))),
                 kind == "gpt2" ? QString("gpt2") : QString("llama2.c"));
        QCOMPARE(win->generation()->modelSource(), m_dir.filePath(path));
        QVERIFY(win->generation()->session());
        // The Model dock: the architecture as the files state it.
        auto* info = win->findChild<ModelInfoView*>();
        QVERIFY(info);
        const QString html = info->html();
        // The architecture in one vocabulary, the family the files state (a GPT-2 folder is not "tinygpt").
        QCOMPARE(info->modelInfo().kind, kind);
        QVERIFY2(!html.contains("(tinygpt)"), qPrintable(html));
        bool statusNamed = false;   // the status bar names the family too
        for (QLabel* l : win->statusBar()->findChildren<QLabel*>())
            if (l->text().startsWith("Model: ")) statusNamed = l->text().endsWith(QString("(%1)").arg(kind));
        QVERIFY(statusNamed);
        // and so does the message that says the file opened
        QCOMPARE(win->statusBar()->currentMessage(), QString("Opened %1 (%2)").arg(QFileInfo(path).fileName(), kind));
        QMap<QString, QString> arch;
        for (const auto& [k, v] : info->modelInfo().architecture) arch[k] = v;
        const realfiles::LlamaShape ls;
        const QMap<QString, QString> want =
            kind == "gpt2" ? QMap<QString, QString>{{"family", "gpt2"}, {"layers", "2"}, {"heads", "2"}, {"kv heads", "2"}, {"embd", "16"},
                                                    {"context", "32"}, {"vocab", "265"}, {"activation", "gelu_new (tanh GELU)"},
                                                    {"norm", "LayerNorm (eps 1e-05)"}, {"positions", "learned"}}
                           : QMap<QString, QString>{{"family", "llama"}, {"layers", QString::number(ls.layers)},
                                                    {"heads", QString::number(ls.heads)}, {"kv heads", QString::number(ls.kvHeads)},
                                                    {"embd", QString::number(ls.dim)}, {"context", QString::number(ls.seqLen)},
                                                    {"vocab", QString::number(ls.vocab)},
                                                    {"activation", QString("SwiGLU (hidden %1)").arg(ls.hidden)},
                                                    {"norm", "RMSNorm (eps 1e-05)"}, {"positions", "rotary (RoPE)"}};
        QCOMPARE(arch, want);
        for (const auto& [k, v] : want.asKeyValueRange()) QVERIFY2(html.contains(v.toHtmlEscaped()), qPrintable(k));
        if (kind == "gpt2") {
            QVERIFY2(html.contains("GPT-2 (Hugging Face layout"), qPrintable(html));
            QVERIFY(html.contains("2 layers × 2 attention heads"));
            QVERIFY(html.contains("gelu_new"));
            QVERIFY(html.contains("265 GPT-2 byte-level BPE tokens"));
        } else {
            QVERIFY2(html.contains("Llama (llama2.c checkpoint)"), qPrintable(html));
            QVERIFY(html.contains("2 layers × 4 attention heads (2 key/value heads: grouped-query attention)"));
            QVERIFY(html.contains("300 llama2.c BPE tokens"));
        }
    }

    // The read runs on another thread while the GUI thread keeps handling events; the busy state shows in the
    // status bar and goes away.
    void readsInTheBackground() {
        auto win = makeWindow();
        const QString path = gpt2Dir() + ".slow";
        g_slowMs = 400;
        g_readThread = nullptr;
        int ticks = 0;
        QTimer timer;
        connect(&timer, &QTimer::timeout, [&ticks] { ++ticks; });
        timer.start(20);
        auto* status = win->findChild<QWidget*>("modelLoadStatus");
        QVERIFY(status);
        bool shownBusy = false;
        QTimer probe;
        connect(&probe, &QTimer::timeout, [&] { shownBusy |= status->isVisible() && win->modelLoader()->busy(); });
        probe.start(30);
        QCOMPARE(win->openModelFile(path), QString());
        QVERIFY(g_readThread.load() != nullptr);
        QVERIFY(g_readThread.load() != QThread::currentThreadId());
        QVERIFY2(ticks >= 5, qPrintable(QString("the GUI thread handled only %1 timer events in 400 ms").arg(ticks)));
        QVERIFY(shownBusy);
        QVERIFY(!status->isVisible());
        QCOMPARE(win->generation()->modelSource(), path);
    }

    // File -> Open model's path: returns at once, the window stays live; Cancel keeps the current model.
    void cancelKeepsTheCurrentModel() {
        auto win = makeWindow();
        const auto before = win->generation()->model();
        QVERIFY(before);
        g_slowMs = 600;
        QElapsedTimer clock;
        clock.start();
        win->startOpenModel(gpt2Dir() + ".slow");
        QVERIFY(clock.elapsed() < 300);   // returned before the read finished
        QVERIFY(win->modelLoader()->busy());
        auto* cancel = win->findChild<QToolButton*>("cancelModelLoad");
        QVERIFY(cancel);
        QTRY_VERIFY(cancel->isVisible());
        cancel->click();
        QVERIFY(!win->modelLoader()->busy());
        QTest::qWait(900);   // the read ends in the background; its model is dropped
        QCOMPARE(win->generation()->model(), before);
        // A newer open replaces an older one still reading.
        win->startOpenModel(gpt2Dir() + ".slow");
        QCOMPARE(win->openModelFile(llamaDir() + "/stories.bin"), QString());
        QTest::qWait(900);
        QCOMPARE(QString::fromStdString(win->generation()->model()->kind()), QString("llama"));
    }

    // Every missing or broken piece: core's specific message, in the dialog and the status bar; the model stays.
    void missingPieceNamesItself_data() {
        QTest::addColumn<QString>("remove");     // a file removed from a copy of the GPT-2 folder / llama folder
        QTest::addColumn<QString>("open");       // what is opened (relative to the copy)
        QTest::addColumn<QString>("expect");
        QTest::newRow("merges.txt") << "merges.txt" << "" << "merges.txt not found next to model.safetensors";
        QTest::newRow("vocab.json") << "vocab.json" << "" << "vocab.json";
        QTest::newRow("config.json") << "config.json" << "" << "config.json not found";
        QTest::newRow("model.safetensors") << "model.safetensors" << "" << "model.safetensors not found";
        QTest::newRow("tokenizer.bin") << "tokenizer.bin" << "stories.bin" << "tokenizer.bin not found next to stories.bin";
        QTest::newRow("empty folder") << "*" << "" << "holds no model";
    }
    void missingPieceNamesItself() {
        QFETCH(QString, remove);
        QFETCH(QString, open);
        QFETCH(QString, expect);
        QTemporaryDir copy;
        const QString source = remove == "tokenizer.bin" ? llamaDir() : gpt2Dir();
        for (const QString& f : QDir(source).entryList(QDir::Files))
            if (remove != "*" && f != remove) QVERIFY(QFile::copy(source + "/" + f, copy.filePath(f)));
        auto win = makeWindow();
        const auto before = win->generation()->model();
        const QString path = open.isEmpty() ? copy.path() : copy.filePath(open);
        const QString error = win->openModelFile(path);
        QVERIFY2(error.contains(expect), qPrintable(error));
        QCOMPARE(win->generation()->model(), before);
        // The dialog shows it before anything is read.
        OpenModelDialog dialog(win.get());
        dialog.setPath(path);
        QVERIFY2(dialog.description().contains(expect), qPrintable(dialog.description()));
        QVERIFY(!dialog.acceptable());
        // The interactive path: a warning dialog and the status bar.
        // (the read runs in an event loop first: the dialog is looked for until it comes)
        bool opened = true;
        const QString shown = testutil::acceptingMessageBoxes([&] { opened = win->openModelInteractive(path); });
        QVERIFY(!opened);
        QVERIFY2(shown.contains("unchanged") && shown.contains(expect.toHtmlEscaped()), qPrintable(shown));
        QCOMPARE(win->generation()->model(), before);
    }

    // The dialog: describes a good path, asks for a tokenizer when none is next to a llama2.c checkpoint, and
    // opens with the one chosen.
    void dialogAndOtherTokenizer() {
        OpenModelDialog dialog;
        dialog.setPath(gpt2Dir());
        QVERIFY2(dialog.description().contains("vocab.json + merges.txt"), qPrintable(dialog.description()));
        QVERIFY(dialog.acceptable());
        QTemporaryDir alone;
        QVERIFY(QFile::copy(llamaDir() + "/stories.bin", alone.filePath("stories.bin")));
        dialog.setPath(alone.filePath("stories.bin"));
        QVERIFY2(dialog.description().contains("tokenizer.bin not found next to stories.bin"), qPrintable(dialog.description()));
        QVERIFY(!dialog.acceptable());
        dialog.setTokenizer(alone.filePath("nothing.bin"));
        QVERIFY2(dialog.description().contains("is not a file"), qPrintable(dialog.description()));
        QVERIFY(!dialog.acceptable());
        dialog.setTokenizer(llamaDir() + "/tokenizer.bin");
        QVERIFY(dialog.acceptable());
        auto win = makeWindow();
        QCOMPARE(win->openModelFile(dialog.path(), dialog.tokenizer()), QString());
        QCOMPARE(QString::fromStdString(win->generation()->model()->kind()), QString("llama"));
        // A tokenizer for a GPT-2 folder is refused by name.
        const QString error = win->openModelFile(gpt2Dir(), llamaDir() + "/tokenizer.bin");
        QVERIFY2(error.contains("llama2.c"), qPrintable(error));
        // A broken header is named before anything is read.
        std::string bytes = realfiles::llamaLegacyBytes(realfiles::LlamaShape{}, realfiles::randomLlama(realfiles::LlamaShape{}, 1));
        const int32_t negative = -7;
        std::memcpy(bytes.data() + 8, &negative, 4);   // n_layers
        realfiles::writeFile(alone.filePath("broken.bin").toStdString(), bytes);
        dialog.setPath(alone.filePath("broken.bin"));
        QVERIFY2(dialog.description().contains("n_layers"), qPrintable(dialog.description()));
        QVERIFY(!dialog.acceptable());
    }

    // An opened GPT-2 and llama2.c model in the lessons: steps (the session's logits are the model's), the
    // attention dock, the beam tree and the compare dock.
    void worksInTheLessons_data() {
        QTest::addColumn<QString>("path");
        QTest::newRow("gpt2") << "gpt2";
        QTest::newRow("llama2.c") << "llama/stories.bin";
    }
    void worksInTheLessons() {
        QFETCH(QString, path);
        auto win = makeWindow();
        QCOMPARE(win->openModelFile(m_dir.filePath(path)), QString());
        GenerationController* gen = win->generation();
        gen->setPrompt(QStringLiteral("the tree"));
        QVERIFY2(gen->session(), qPrintable(gen->promptError()));
        QCOMPARE(gen->stepN(4), 4);
        const ar::DecodingSession& s = *gen->session();
        // The last step's logits are the model's own on the sequence before it (a full forward).
        const ar::Tokens seq = s.sequence();
        const ar::Mat full = gen->model()->logits(std::span<const int>(seq.data(), seq.size() - 1));
        const ar::DecodeStep& last = s.steps().back();
        for (const auto& c : last.stages.front().candidates)
            QVERIFY(std::abs(c.logit - full(full.rows() - 1, c.id)) < 1e-4f);
        auto* attention = win->findChild<AttentionView*>();
        QVERIFY(attention);
        QCOMPARE(attention->layerCount(), 2);
        QCOMPARE(attention->headCount(), path == "gpt2" ? 2 : 4);

        QVERIFY(win->activateLesson("decoding"));
        QVERIFY(win->runSteps(2));
        auto* beam = win->findChild<BeamController*>();
        QVERIFY(beam);
        beam->waitForIdle();
        auto* tree = win->findChild<BeamSearchPanel*>()->treeView();
        QVERIFY(tree->nodeCount() > 2);
        auto* compare = win->findChild<CompareView*>();
        QVERIFY(compare);
        win->findChild<CompareController*>()->waitForIdle();
        QVERIFY(!compare->rows().empty());
    }

    // --- Tokenizer dock ---------------------------------------------------------------------------------

    // The dock traces the current model's tokenizer: the GPT-2 folder's byte-level BPE, the llama2.c score BPE,
    // arlab's word model. It follows the prompt until the user types, and a new model re-traces.
    void tokenizerDock_data() {
        QTest::addColumn<QString>("path");      // "" = the built-in word model
        QTest::addColumn<QString>("kind");
        QTest::newRow("arlab word model") << "" << "words";
        QTest::newRow("gpt2") << "gpt2" << "GPT-2 byte-level BPE";
        QTest::newRow("llama2.c") << "llama/stories.bin" << "llama2.c BPE";
    }
    void tokenizerDock() {
        QFETCH(QString, path);
        QFETCH(QString, kind);
        auto win = makeWindow();
        if (!path.isEmpty()) QCOMPARE(win->openModelFile(m_dir.filePath(path)), QString());
        GenerationController* gen = win->generation();
        auto* dock = win->findChild<QDockWidget*>("tokenizerDock");
        QVERIFY(dock);
        QVERIFY(dock->isHidden());   // hidden by default; View -> Tokenizer shows it
        dock->toggleViewAction()->trigger();
        QVERIFY(dock->isVisible());
        auto* view = dock->findChild<TokenizerView*>();
        QVERIFY(view);
        QCOMPARE(view->text(), gen->prompt());
        const ar::Tokenizer& tok = gen->model()->tokenizer();
        const QByteArray utf8 = gen->prompt().toUtf8();
        QCOMPARE(view->data().trace.ids, tok.encode(utf8.toStdString()).ids);
        QVERIFY2(view->data().kind.contains(kind), qPrintable(view->data().kind));
        if (path.isEmpty()) return;
        // Typed text (Chinese too): traced, and no longer replaced by the prompt.
        auto* edit = view->findChild<QLineEdit*>("tokenizerText");
        edit->clear();
        QTest::keyClicks(edit, "the ");
        QTest::sendKeyEvent(QTest::Click, edit, Qt::Key_unknown, QString::fromUtf8("我"), Qt::NoModifier);
        QCOMPARE(view->text(), QString::fromUtf8("the 我"));
        QCOMPARE(view->data().trace.ids, tok.encode("the 我").ids);
        QVERIFY(view->mergesApplied() == view->mergeCount());
        view->setMergesApplied(0);
        int steps = 0;
        while (view->stepButton()->isEnabled()) {
            view->stepButton()->click();
            ++steps;
        }
        QCOMPARE(steps, view->mergeCount());
        ar::Tokens joined;
        for (const auto& s : view->symbols()) joined.insert(joined.end(), s.begin(), s.end());
        QCOMPARE(joined, tok.encode("the 我").ids);
        gen->setPrompt(QStringLiteral("a tree"));
        QCOMPARE(view->text(), QString::fromUtf8("the 我"));
    }

    // --- Logit lens dock --------------------------------------------------------------------------------

    // For TinyGPT (the built-in model), GPT-2 and Llama: the last row of the lens is the distribution the Next
    // token dock shows for the same step (its raw stage), token for token; every row sums to at most 1; the
    // commitment strip has one chip per generated token, equal to a brute-force walk over the lens rows.
    void lensDock_data() {
        QTest::addColumn<QString>("path");
        QTest::newRow("tinygpt (built in)") << "";
        QTest::newRow("gpt2") << "gpt2";
        QTest::newRow("llama2.c") << "llama/stories.bin";
    }
    void lensDock() {
        QFETCH(QString, path);
        auto win = makeWindow();
        if (!path.isEmpty()) QCOMPARE(win->openModelFile(m_dir.filePath(path)), QString());
        GenerationController* gen = win->generation();
        if (!path.isEmpty()) gen->setPrompt(QStringLiteral("the tree"));
        QVERIFY(gen->session());
        QCOMPARE(gen->stepN(4), 4);
        auto* dock = win->findChild<QDockWidget*>("lensDock");
        QVERIFY(dock);
        dock->toggleViewAction()->trigger();
        auto* ctl = win->findChild<LensController*>("lensController");
        QVERIFY(ctl);
        QVERIFY(ctl->waitForIdle(20000));
        auto* lens = dock->findChild<LensView*>();
        auto* next = win->findChild<NextTokenView*>();
        QVERIFY(lens && next);
        auto* generation = win->findChild<GenerationDock*>();
        const ar::DecodingSession& s = *gen->session();
        for (int step : {-1, 1, 0}) {
            generation->selectStep(step);
            QVERIFY(ctl->waitForIdle(20000));
            const LensData& d = lens->data();
            const int sel = step < 0 ? s.stepCount() - 1 : step;
            QCOMPARE(d.selectedStep, sel);
            QCOMPARE(d.chosen, s.steps()[size_t(sel)].token);
            QCOMPARE(d.rows.size(), d.layers + 1);
            if (!path.isEmpty()) QCOMPARE(d.layers, 2);
            // The Next token dock shows the same step.
            const auto& raw = next->data().stages.front().candidates;
            QCOMPARE(next->data().chosen, d.chosen);
            std::map<int, float> p;
            for (const auto& c : raw) p[c.id] = c.p;
            const QList<LensCell>& out = d.rows.back();
            QCOMPARE(out.size(), LensController::kTop);
            for (const LensCell& c : out) QVERIFY2(std::abs(c.p - double(p[c.id])) < 1e-5, qPrintable(QString("%1: %2 vs %3").arg(c.token).arg(c.p).arg(p[c.id])));
            // ... and they are the model's top tokens, in order.
            std::vector<std::pair<float, int>> sorted;
            for (const auto& c : raw) sorted.push_back({-c.p, c.id});
            std::sort(sorted.begin(), sorted.end());
            for (int k = 0; k < out.size(); ++k) QCOMPARE(out[k].id, sorted[size_t(k)].second);
        }
        // Commitment: a brute-force walk over full per-layer readouts, for every generated token.
        const ar::ResidualStreamModel* rs = ar::residualStreamOf(*gen->model());
        QVERIFY(rs);
        const ar::Tokens seq = s.sequence();
        const std::vector<ar::Mat> stream = rs->residualStream(seq);
        const LensData& d = lens->data();
        QCOMPARE(d.layers, int(stream.size()) - 1);
        QCOMPARE(d.commitment.size(), s.stepCount());
        for (int i = 0; i < s.stepCount(); ++i) {
            const int pos = s.steps()[size_t(i)].position;
            int from = -1;
            for (int l = int(stream.size()) - 1; l >= 0; --l) {
                const ar::Mat logits = rs->readout(stream[size_t(l)].row(pos - 1));
                ar::Index best = 0;
                logits.row(0).maxCoeff(&best);
                if (int(best) != seq[size_t(pos)]) break;
                from = l;
            }
            QCOMPARE(d.commitment[i].layer, from);
            QCOMPARE(d.commitment[i].id, seq[size_t(pos)]);
            QCOMPARE(d.commitment[i].step, i);
        }
        // Linked to the steps: a click on a chip selects its step; Back (rewind) drops the last chip.
        QSignalSpy selected(generation, &GenerationDock::selectedStepChanged);
        QWidget* strip = lens->findChild<QWidget*>("commitmentStrip");
        QTRY_VERIFY(!lens->chipRect(2).isEmpty());
        QTest::mouseClick(strip, Qt::LeftButton, {}, strip->mapFrom(lens, lens->chipRect(2).center()));
        QCOMPARE(generation->selectedStep(), 2);
        QVERIFY(ctl->waitForIdle(20000));
        QCOMPARE(lens->data().selectedStep, 2);
        QVERIFY(gen->back());
        QVERIFY(ctl->waitForIdle(20000));
        QCOMPARE(lens->data().commitment.size(), s.stepCount());
        QCOMPARE(gen->session()->stepCount(), 3);
    }
};

QTEST_MAIN(TestRealModelsGui)
#include "tst_realmodelsgui.moc"
