// GUI tests of the Transformer lesson: the real MainWindow with the built-in toy-language TinyGPT.
// Keys go through the window's shortcuts (Space, Backspace, Ctrl+R); the numbers the docks show are checked
// against independent computations (softmax in double, the toy grammar's exact table, a full no-cache
// forward for attention).
#include "app/gui/generationcontroller.h"
#include "widgets/generationdock.h"
#include "app/gui/mainwindow.h"
#include "app/gui/startup.h"
#include "app/gui/lessons/transformer/transformerlesson.h"
#include "core/data/toygrammar.h"
#include "core/io/safetensors.h"
#include "core/models/tinygpt.h"
#include "widgets/attentionview.h"
#include "widgets/modelinfoview.h"
#include "widgets/nexttokenview.h"
#include "widgets/tokenchipsview.h"
#include "guitestutil.h"

#include <QApplication>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QLocale>
#include <QSpinBox>
#include <QFile>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTemporaryDir>
#include <QElapsedTimer>
#include <QSlider>
#include <QTimer>
#include <QToolTip>
#include <QtTest>
#include <qcustomplot.h>

#include <cmath>

using namespace arlab;

class TestTransformerLesson : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<MainWindow> m_win;
    GenerationController* gen() { return m_win->generation(); }
    const ar::DecodingSession& session() { return *gen()->session(); }
    GenerationDock* dock() { return m_win->findChild<GenerationDock*>(); }
    void press(int key, Qt::KeyboardModifiers mods = Qt::NoModifier) {
        QWidget* target = QApplication::focusWidget() ? QApplication::focusWidget() : m_win.get();
        QTest::keyClick(target, Qt::Key(key), mods);
    }
    // Types like a user (QTest::keyClicks only knows ASCII).
    static void typeText(QWidget* w, const QString& text) {
        for (const QChar c : text) {
            if (c.unicode() < 128) QTest::keyClick(w, c.toLatin1());
            else QTest::sendKeyEvent(QTest::Click, w, Qt::Key_unknown, QString(c), Qt::NoModifier);
        }
    }

private slots:
    void initTestCase() {
        QVERIFY2(QFile::exists(GenerationController::builtinModelPath()), "the toy-word model is not compiled in");
    }
    void init() {
        m_win = testutil::makeWindow("transformer", testutil::Look::Hidden);   // its own size
        m_win->show();
        QApplication::setActiveWindow(m_win.get());
        QVERIFY(QTest::qWaitForWindowActive(m_win.get()));
        m_win->setFocus();
        QVERIFY(gen()->session());
        QVERIFY(dock());
    }
    void cleanup() { m_win.reset(); }

    void startsWithToyModelAndPrompt() {
        QCOMPARE(gen()->modelSource(), GenerationController::builtinModelPath());
        QCOMPARE(gen()->model()->kind(), std::string("tinygpt"));
        QVERIFY(gen()->hasTrueDistribution());
        QVERIFY(!gen()->prompt().isEmpty());
        QCOMPARE(session().stepCount(), 0);
        QVERIFY(session().canStep());
        auto* info = m_win->findChild<ModelInfoView*>();
        QVERIFY(info->html().contains("tinygpt"));
        QVERIFY(info->modelInfo().totalParameters > 0);
        qint64 n = 0;
        for (const auto& p : gen()->model()->parameters()) n += p.var.value().size();
        QCOMPARE(info->modelInfo().totalParameters, n);
        // The summary states the real configuration and the provenance's numbers.
        const QString summary = info->modelInfo().summary.join(' ');
        QVERIFY2(summary.contains(QStringLiteral("%1 layers × %2 attention heads").arg(session().layerCount()).arg(session().headCount())),
                 qPrintable(summary));
        QVERIFY2(summary.contains(QLocale(QLocale::English).toString(n) + " parameters"), qPrintable(summary));
        QVERIFY2(summary.contains("Validation loss 1.50"), qPrintable(summary));
        QVERIFY2(summary.contains("entropy rate: 1.5033"), qPrintable(summary));
        QVERIFY(info->html().contains("Provenance"));
    }

    void spaceAddsToken() {
        auto* chips = dock()->chips();
        const int before = chips->chips().size();
        press(Qt::Key_Space);
        QCOMPARE(session().stepCount(), 1);
        QCOMPARE(chips->chips().size(), before + 1);
        QCOMPARE(chips->chips().back().text, QString::fromStdString(session().tokenText(session().steps().back().token)));
        QCOMPARE(chips->chips().back().p, double(session().steps().back().modelP));
    }

    void backspaceRestoresExactState() {
        press(Qt::Key_Space);
        QVERIFY(session().canStep());
        const ar::Tokens seq = session().sequence();
        const ar::RowVec logits = session().nextLogits();
        const int steps = session().stepCount();
        const QStringList chipTexts = [this] {
            QStringList t;
            for (const auto& c : dock()->chips()->chips()) t << c.text;
            return t;
        }();
        press(Qt::Key_Space);
        QCOMPARE(session().stepCount(), steps + 1);
        press(Qt::Key_Backspace);
        QCOMPARE(session().stepCount(), steps);
        QCOMPARE(session().sequence(), seq);
        QVERIFY((session().nextLogits().array() == logits.array()).all());  // bitwise
        QStringList after;
        for (const auto& c : dock()->chips()->chips()) after << c.text;
        QCOMPARE(after, chipTexts);
        // And the redraw after going back is the same token (no hidden random state).
        press(Qt::Key_Space);
        const int redrawn = session().steps().back().token;
        press(Qt::Key_Backspace);
        press(Qt::Key_Space);
        QCOMPARE(session().steps().back().token, redrawn);
    }

    void ctrlRResets() {
        press(Qt::Key_Space);
        press(Qt::Key_Space);
        QVERIFY(session().stepCount() > 0);
        press(Qt::Key_R, Qt::ControlModifier);
        QCOMPARE(session().stepCount(), 0);
    }

    void clickingCandidateForcesIt_data() {
        QTest::addColumn<int>("rank");  // which alternative to click (0 = the most probable)
        QTest::newRow("top") << 0;
        QTest::newRow("second") << 1;
        QTest::newRow("fifth") << 4;
    }
    void clickingCandidateForcesIt() {
        QFETCH(int, rank);
        auto* chips = dock()->chips();
        QCOMPARE(chips->selectedChip(), -1);  // the next position
        const auto buttons = chips->alternativeButtons();
        QVERIFY(buttons.size() > rank);
        const int id = buttons[rank]->property("tokenId").toInt();
        QCOMPARE(id, chips->nextAlternatives()[rank].id);
        QTest::mouseClick(buttons[rank], Qt::LeftButton);
        QCOMPARE(session().stepCount(), 1);
        QCOMPARE(session().steps().back().token, id);
        QVERIFY(session().steps().back().forced);
        QVERIFY(chips->chips().back().forced);
    }

    void forcingAnEarlierPositionKeepsBranch() {
        for (int i = 0; i < 3 && session().canStep(); ++i) press(Qt::Key_Space);
        const int steps = session().stepCount();
        QVERIFY(steps >= 2);
        const int firstGenerated = session().steps()[0].token;
        auto* chips = dock()->chips();
        const int promptChips = chips->chips().size() - steps;
        chips->selectChip(promptChips);  // the first generated token
        QCOMPARE(dock()->selectedStep(), 0);
        int target = -1, button = -1;
        for (int i = 0; i < chips->alternativeButtons().size(); ++i) {
            const int id = chips->alternativeButtons()[i]->property("tokenId").toInt();
            if (id != firstGenerated) {
                target = id;
                button = i;
                break;
            }
        }
        QVERIFY(target >= 0);
        QTest::mouseClick(chips->alternativeButtons()[button], Qt::LeftButton);
        QCOMPARE(session().stepCount(), 1);
        QCOMPARE(session().steps()[0].token, target);
        QVERIFY(session().steps()[0].forced);
        QCOMPARE(int(session().branches().size()), 1);  // the old continuation is kept
        const ar::Tokens old = session().branchTokens(session().branches()[0]);
        QCOMPARE(int(old.size()), steps);
        QCOMPARE(old[0], firstGenerated);
    }

    void hoverTooltipListsAlternatives() {
        press(Qt::Key_Space);
        const auto& chip = dock()->chips()->chips().back();
        QVERIFY(chip.alternatives.size() >= 3);
        // Alternatives are the raw model's top candidates, most probable first, with real probabilities.
        const auto& raw = session().steps().back().stages.front();
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(chip.alternatives[i].id, raw.candidates[size_t(i)].id);
            QCOMPARE(chip.alternatives[i].p, double(raw.candidates[size_t(i)].p));
        }
    }

    // Hovering a generated chip shows its probability and the model's top alternatives with theirs.
    void hoveringChipShowsAlternatives() {
        press(Qt::Key_Space);
        press(Qt::Key_Space);
        auto* chips = dock()->chips();
        const int index = chips->chips().size() - 1;  // the latest generated token
        const QRect r = chips->chipRect(index);
        QVERIFY(r.isValid());
        QWidget* canvas = chips->childAt(r.center());
        QVERIFY(canvas);
        const QPoint local = canvas->mapFrom(chips, r.center());
        QHelpEvent help(QEvent::ToolTip, local, canvas->mapToGlobal(local));
        QApplication::sendEvent(canvas, &help);
        QTRY_VERIFY(QToolTip::isVisible());
        const QString tip = QToolTip::text();
        const TokenChip& chip = chips->chips()[index];
        QVERIFY2(tip.contains(QStringLiteral("p = %1").arg(chip.p, 0, 'f', 3)), qPrintable(tip));
        for (const auto& a : chip.alternatives) {
            QVERIFY2(tip.contains(a.text.toHtmlEscaped()), qPrintable(tip));
            QVERIFY2(tip.contains(QString::number(a.p, 'f', 3)), qPrintable(tip));
        }
        // A prompt chip says it is part of the prompt.
        const QRect pr = chips->chipRect(1);
        QHelpEvent promptHelp(QEvent::ToolTip, canvas->mapFrom(chips, pr.center()), canvas->mapToGlobal(canvas->mapFrom(chips, pr.center())));
        QApplication::sendEvent(canvas, &promptHelp);
        QTRY_VERIFY(QToolTip::text().contains("prompt"));
        QToolTip::hideText();
    }

    // Colour: red for improbable through yellow to green for probable, the hue rising with p.
    void chipColourFollowsProbability() {
        double lastHue = -1;
        for (double p : {0.0, 0.01, 0.1, 0.3, 0.5, 0.8, 1.0}) {
            const double hue = TokenChipsView::colorForProbability(p).hueF();
            QVERIFY2(hue > lastHue, qPrintable(QString::number(p)));
            lastHue = hue;
        }
        QCOMPARE(TokenChipsView::colorForProbability(0.0).hue(), 0);     // red
        QCOMPARE(TokenChipsView::colorForProbability(1.0).hue(), 120);   // green
    }

    void unknownPromptWordsAreNamed_data() {
        QTest::addColumn<QString>("prompt");
        QTest::addColumn<QStringList>("unknown");
        QTest::newRow("one") << "the zebra" << QStringList{"zebra"};
        QTest::newRow("two") << "a unicorn sees the zebra" << QStringList{"unicorn", "zebra"};
        QTest::newRow("chinese") << "the 猫" << QStringList{"猫"};
    }
    void unknownPromptWordsAreNamed() {
        QFETCH(QString, prompt);
        QFETCH(QStringList, unknown);
        const std::string textBefore = session().text();
        QLineEdit* edit = dock()->promptEdit();
        edit->setFocus();
        edit->selectAll();
        typeText(edit, prompt);
        for (const QString& w : unknown) QVERIFY2(dock()->promptMessage().contains(w), qPrintable(dock()->promptMessage()));
        QSignalSpy rejected(gen(), &GenerationController::promptRejected);
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(rejected.count(), 1);
        QCOMPARE(gen()->session(), nullptr);
        QCOMPARE(gen()->prompt(), prompt);            // kept, not dropped
        QCOMPARE(edit->text(), prompt);
        QCOMPARE(gen()->unknownWords(), unknown);
        for (const QString& w : unknown) QVERIFY(gen()->promptError().contains(w));
        // Fixing the prompt brings generation back.
        edit->selectAll();
        typeText(edit, "the cats");
        QTest::keyClick(edit, Qt::Key_Backspace);  // edits the prompt: no step back
        QTest::keyClick(edit, Qt::Key_Space);      // types a space: no step
        QCOMPARE(edit->text(), QString("the cat "));
        QCOMPARE(gen()->session(), nullptr);
        QVERIFY(dock()->promptMessage().isEmpty());
        QTest::keyClick(edit, Qt::Key_Return);
        QVERIFY(gen()->session());
        QCOMPARE(session().text(), std::string("the cat"));
        Q_UNUSED(textBefore);
    }

    void nextTokenViewShowsTheModelsNumbers() {
        auto* view = m_win->findChild<NextTokenView*>();
        QVERIFY(view);
        for (int i = 0; i < 3 && session().canStep(); ++i) press(Qt::Key_Space);
        // The latest step's distribution: recompute it independently from the logits the model gives for the
        // same prefix (a full forward, not the session's cache).
        const ar::DecodeStep& st = session().steps().back();
        const ar::Tokens prefix(session().sequence().begin(), session().sequence().begin() + st.position);
        const ar::Mat all = gen()->model()->logits(prefix);
        const ar::RowVec logits = all.row(all.rows() - 1);
        const std::vector<double> p = testutil::softmax64(logits);
        view->setCurrentView(1);  // softmax
        const auto& tokens = view->shownTokens();
        const auto& values = view->shownValues();
        QCOMPARE(int(tokens.size()), NextTokenView::kTopN + 1);  // top 20 + other
        QCOMPARE(tokens.back(), -1);
        double shown = 0;
        for (size_t i = 0; i + 1 < tokens.size(); ++i) {
            QVERIFY2(std::abs(values[i] - p[size_t(tokens[i])]) < 1e-5, qPrintable(QString::number(i)));
            if (i > 0) QVERIFY(p[size_t(tokens[i])] <= p[size_t(tokens[i - 1])] + 1e-6);
            shown += p[size_t(tokens[i])];
        }
        QVERIFY(std::abs(values.back() - (1 - shown)) < 1e-5);
        double h = 0;
        for (double x : p)
            if (x > 0) h -= x * std::log(x);
        QVERIFY(std::abs(view->shownEntropy() - h) < 1e-4);
        QCOMPARE(view->data().chosen, st.token);
        // The truth comes from the grammar's table, and KL is sum t log(t / p).
        const ar::ToyGrammar grammar;
        const std::vector<double> truth = grammar.nextDistribution(prefix, gen()->model()->tokenizer());
        QCOMPARE(view->data().truth, truth);
        double kl = 0;
        for (size_t i = 0; i < truth.size(); ++i)
            if (truth[i] > 0) kl += truth[i] * std::log(truth[i] / p[i]);
        QVERIFY2(std::abs(view->data().kl - kl) < 1e-4, qPrintable(QString("%1 vs %2").arg(view->data().kl).arg(kl)));
        QVERIFY(view->summaryText().contains("KL"));
        // The logits view shows the raw logits.
        view->setCurrentView(0);
        for (size_t i = 0; i < view->shownTokens().size(); ++i)
            QVERIFY(std::abs(view->shownValues()[i] - double(logits[view->shownTokens()[i]])) < 1e-4);
    }

    void nextTokenViewShowsEveryStage() {
        ar::SamplerSettings s = gen()->settings();
        s.setTemperature(0.7f);
        s.setTopK(5);
        s.setTopP(0.9f);
        gen()->setSettings(s);
        press(Qt::Key_Space);
        auto* view = m_win->findChild<NextTokenView*>();
        const ar::DecodeStep& st = session().steps().back();
        QCOMPARE(view->viewCount(), int(st.stages.size()) + 1);
        QCOMPARE(int(st.stages.size()), 4);  // raw, temperature, top-k, top-p
        for (int v = 2; v < view->viewCount(); ++v) {
            view->setCurrentView(v);
            const ar::SamplerStage& stage = st.stages[size_t(v - 1)];
            double sum = 0;
            for (size_t i = 0; i < view->shownTokens().size(); ++i) {
                const int id = view->shownTokens()[i];
                const ar::Candidate* c = id >= 0 ? stage.find(id) : nullptr;
                if (id >= 0) QCOMPARE(view->shownValues()[i], c ? double(c->p) : 0.0);
                sum += view->shownValues()[i];
            }
            QVERIFY(std::abs(sum - 1) < 1e-5);
        }
    }

    void offStagesAreNamed() {
        // With the defaults only raw -> softmax exists; the view names the stages that are switched off.
        press(Qt::Key_Space);
        auto* view = m_win->findChild<NextTokenView*>();
        QCOMPARE(int(session().steps().back().stages.size()), 1);
        for (const char* name : {"temperature", "top-k", "top-p"})
            QVERIFY2(view->pipelineNote().contains(name), qPrintable(view->pipelineNote()));
        ar::SamplerSettings s = gen()->settings();
        s.setTemperature(0.5f);
        s.setTopK(4);
        gen()->setSettings(s);
        press(Qt::Key_Space);
        QCOMPARE(view->viewCount(), 3 + 1);  // logits, softmax, temperature, top-k
        QVERIFY(!view->pipelineNote().contains("temperature"));
        QVERIFY(!view->pipelineNote().contains("top-k"));
        QVERIFY(view->pipelineNote().contains("top-p"));
    }

    void samplerBoxesApplyFromNextStep_data() {
        QTest::addColumn<QString>("box");    // which box the user edits
        QTest::addColumn<QString>("typed");  // what they type (then Enter)
        QTest::addColumn<QString>("stage");  // the stage the next step must record ("" = none)
        QTest::newRow("temperature") << "temperature" << QLocale().toString(0.5, 'f', 2) << "temperature";
        QTest::newRow("greedy") << "temperature" << QLocale().toString(0.0, 'f', 2) << "temperature";
        QTest::newRow("top-k") << "topK" << "3" << "top-k";
        QTest::newRow("top-p") << "topP" << QLocale().toString(0.6, 'f', 2) << "top-p";
        QTest::newRow("seed") << "seed" << "7" << "";
    }
    void samplerBoxesApplyFromNextStep() {
        QFETCH(QString, box);
        QFETCH(QString, typed);
        QFETCH(QString, stage);
        press(Qt::Key_Space);
        const ar::DecodeStep before = session().steps().back();
        QAbstractSpinBox* w = box == "temperature" ? static_cast<QAbstractSpinBox*>(dock()->temperatureBox())
                              : box == "topK"      ? static_cast<QAbstractSpinBox*>(dock()->topKBox())
                              : box == "topP"      ? static_cast<QAbstractSpinBox*>(dock()->topPBox())
                                                   : static_cast<QAbstractSpinBox*>(dock()->seedBox());
        QTest::mouseClick(w, Qt::LeftButton);
        QVERIFY(w->hasFocus());
        QTest::keyClick(w, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(w, typed);
        QCOMPARE(session().stepCount(), 1);  // typing in a box never steps
        QTest::keyClick(w, Qt::Key_Return);
        const ar::SamplerSettings& s = gen()->settings();
        if (box == "temperature") QCOMPARE(s.temperature(), QLocale().toFloat(typed));
        if (box == "topK") QCOMPARE(s.topK(), typed.toInt());
        if (box == "topP") QCOMPARE(s.topP(), QLocale().toFloat(typed));
        if (box == "seed") QCOMPARE(s.seed, typed.toULongLong());
        // What was generated stays; the keyboard is handed back, so Space steps with the new settings.
        QCOMPARE(session().stepCount(), 1);
        QCOMPARE(session().steps().back().token, before.token);
        QVERIFY(!w->hasFocus());
        press(Qt::Key_Space);
        QCOMPARE(session().stepCount(), 2);
        const auto& stages = session().steps().back().stages;
        const bool has = std::any_of(stages.begin(), stages.end(), [&](const ar::SamplerStage& st) {
            return QString::fromStdString(st.name) == stage;
        });
        QCOMPARE(has, !stage.isEmpty());
        if (box == "temperature" && QLocale().toFloat(typed) == 0.0f)  // greedy: the argmax is taken
            QCOMPARE(session().steps().back().token, session().steps().back().stages.front().candidates.front().id);
        // A change made elsewhere (the Decoding lesson's panel, --temperature) shows in the boxes.
        ar::SamplerSettings other = gen()->settings();
        other.setTemperature(1.25f);
        other.setTopK(7);
        other.setTopP(0.8f);
        other.seed = 42;
        gen()->setSettings(other);
        QCOMPARE(dock()->temperatureBox()->value(), 1.25);
        QCOMPARE(dock()->topKBox()->value(), 7);
        QCOMPARE(float(dock()->topPBox()->value()), 0.8f);
        QCOMPARE(dock()->seedBox()->value(), 42);
        QCOMPARE(gen()->settings(), other);  // showing them did not feed back a change
    }

    void samplerBoxMnemonics_data() {
        QTest::addColumn<int>("key");
        QTest::addColumn<QString>("box");
        QTest::newRow("Alt+T") << int(Qt::Key_T) << "temperature";
        QTest::newRow("Alt+K") << int(Qt::Key_K) << "topK";
        QTest::newRow("Alt+P") << int(Qt::Key_P) << "topP";
        QTest::newRow("Alt+E") << int(Qt::Key_E) << "seed";
    }
    void samplerBoxMnemonics() {
        QFETCH(int, key);
        QFETCH(QString, box);
        QWidget* w = box == "temperature" ? static_cast<QWidget*>(dock()->temperatureBox())
                     : box == "topK"      ? static_cast<QWidget*>(dock()->topKBox())
                     : box == "topP"      ? static_cast<QWidget*>(dock()->topPBox())
                                          : static_cast<QWidget*>(dock()->seedBox());
        press(key, Qt::AltModifier);
        QVERIFY(w->hasFocus());
        QVERIFY(!gen()->isPlaying());  // Alt+P is not P (play)
        QCOMPARE(session().stepCount(), 0);
        QTest::keyClick(w, Qt::Key_Return);  // unchanged value: the keyboard still goes back
        QVERIFY(!w->hasFocus());
        press(Qt::Key_Space);
        QCOMPARE(session().stepCount(), 1);
        // From one box to the next: the box left behind does not take the focus away from the new one.
        press(key, Qt::AltModifier);
        QTest::keyClicks(w, "1");
        press(key == Qt::Key_E ? Qt::Key_T : Qt::Key_E, Qt::AltModifier);
        QVERIFY(QApplication::focusWidget());
        QVERIFY(QApplication::focusWidget() != w);
        QVERIFY(qobject_cast<QAbstractSpinBox*>(QApplication::focusWidget()));
    }

    void attentionShowsSelectedLayerAndHead_data() {
        QTest::addColumn<int>("layer");
        QTest::addColumn<int>("head");
        for (int l = 0; l < 2; ++l)
            for (int h = 0; h < 4; ++h) QTest::addRow("L%d H%d", l, h) << l << h;
    }
    void attentionShowsSelectedLayerAndHead() {
        QFETCH(int, layer);
        QFETCH(int, head);
        for (int i = 0; i < 3 && session().canStep(); ++i) press(Qt::Key_Space);
        auto* view = m_win->findChild<AttentionView*>();
        QVERIFY(view);
        QCOMPARE(view->layerCount(), session().layerCount());
        QCOMPARE(view->headCount(), session().headCount());
        view->setSelection(layer, head);
        QCPColorMap* map = view->colorMap();
        QVERIFY(map);
        QVERIFY(!map->interpolate());
        QCOMPARE(map->dataRange().lower, 0.0);
        QCOMPARE(map->dataRange().upper, 1.0);
        int T = 0;
        while (T < int(session().attentionRows().size()) && !session().attentionRows()[size_t(T)].empty()) ++T;
        QCOMPARE(map->data()->keySize(), T);
        QCOMPARE(map->data()->valueSize(), T);
        const ar::Mat a = session().attentionMatrix(layer, head);
        // Independent: a full no-cache forward of the same tokens.
        const auto* gpt = dynamic_cast<const ar::TinyGpt*>(gen()->model().get());
        QVERIFY(gpt);
        const ar::Tokens fed(session().sequence().begin(), session().sequence().begin() + T);
        const ar::Mat full = gpt->attentionMaps(fed)[size_t(layer)][size_t(head)];
        for (int q = 0; q < T; ++q)
            for (int k = 0; k < T; ++k) {
                const double cell = map->data()->cell(k, q);
                if (k > q) {
                    QVERIFY2(std::isnan(cell), "future cells must be masked (NaN), not zero");
                } else {
                    QCOMPARE(cell, double(a(q, k)));
                    QVERIFY(std::abs(cell - double(full(q, k))) < 1e-5);
                }
            }
        const QString text = view->cellText(T - 1, 0);
        QVERIFY2(text.contains(QString::number(double(a(T - 1, 0)), 'g', 6)), qPrintable(text));
        QVERIFY(view->cellText(0, 1).contains("masked"));
    }

    // The mouse over a cell names it; in the all-heads grid a click opens that head.
    void attentionHoverAndGridClick_data() {
        QTest::addColumn<int>("layer");
        QTest::addColumn<int>("head");
        QTest::addColumn<int>("query");
        QTest::addColumn<int>("key");
        QTest::newRow("L1 H1 diagonal") << 0 << 0 << 3 << 3;
        QTest::newRow("L2 H3 past") << 1 << 2 << 5 << 1;
        QTest::newRow("L1 H4 masked") << 0 << 3 << 1 << 4;
    }
    void attentionHoverAndGridClick() {
        QFETCH(int, layer);
        QFETCH(int, head);
        QFETCH(int, query);
        QFETCH(int, key);
        for (int i = 0; i < 3 && session().canStep(); ++i) press(Qt::Key_Space);
        auto* view = m_win->findChild<AttentionView*>();
        view->setSelection(layer, head);
        QCustomPlot* plot = view->plot();
        auto send = [plot](QEvent::Type type, QPointF pos) {
            QMouseEvent e(type, pos, plot->mapToGlobal(pos), type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton,
                          type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(plot, &e);
        };
        auto centre = [](QCPColorMap* map, int q, int k) {
            return QPointF(map->keyAxis()->coordToPixel(k), map->valueAxis()->coordToPixel(q));
        };
        send(QEvent::MouseMove, centre(view->colorMap(), query, key));
        QCOMPARE(view->hoverText(), view->cellText(query, key));
        const QString text = view->hoverText();
        const QStringList labels = sequenceLabels(session());
        QVERIFY2(text.startsWith(QStringLiteral("query '%1'").arg(labels[query])), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("key '%1'").arg(labels[key])), qPrintable(text));
        if (key <= query)
            QVERIFY2(text.endsWith(QString::number(double(session().attentionMatrix(layer, head)(query, key)), 'g', 6)),
                     qPrintable(text));
        else
            QVERIFY2(text.contains("masked"), qPrintable(text));
        // The grid: every layer x head; clicking one of its small maps opens that layer and head.
        view->setSelection(0, 0);
        view->setAllHeads(true);
        AttentionGrid* grid = view->grid();
        QCOMPARE(grid->layerCount(), session().layerCount());
        QCOMPARE(grid->headCount(), session().headCount());
        grid->repaint();
        const QPoint at = grid->pointOf(layer, head, query, key);
        auto sendGrid = [grid, at](QEvent::Type type) {
            QMouseEvent e(type, at, grid->mapToGlobal(at), type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton,
                          type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(grid, &e);
        };
        sendGrid(QEvent::MouseMove);
        QVERIFY2(view->hoverText().startsWith(QStringLiteral("L%1 H%2: ").arg(layer + 1).arg(head + 1) + view->cellText(layer, head, query, key)),
                 qPrintable(view->hoverText()));
        sendGrid(QEvent::MouseButtonPress);
        sendGrid(QEvent::MouseButtonRelease);
        QVERIFY(!view->allHeads());
        QCOMPARE(view->layer(), layer);
        QCOMPARE(view->head(), head);
        QVERIFY(view->colorMap());
    }

    void attentionFollowsEveryStep() {
        auto* view = m_win->findChild<AttentionView*>();
        const int before = view->colorMap()->data()->keySize();
        press(Qt::Key_Space);
        QCOMPARE(view->colorMap()->data()->keySize(), before + (session().canStep() ? 1 : 0));
        view->setAllHeads(true);
        QCOMPARE(view->colorMap(), nullptr);
        QCOMPARE(view->grid()->layerCount() * view->grid()->headCount(), session().layerCount() * session().headCount());
        view->grid()->repaint();
        QVERIFY(view->grid()->rendered(0, 0));
        QCOMPARE(view->grid()->pooledRows(0, 0), view->tokenCount());
        press(Qt::Key_Space);   // one more row, pooled alone
        view->grid()->repaint();
        QCOMPARE(view->grid()->pooledRows(0, 0), view->tokenCount());   // earlier rows are not pooled again
    }

    void openCorruptModelLeavesModelUntouched_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expect");  // part of the error
        QFile f(GenerationController::builtinModelPath());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray good = f.readAll();
        QTest::newRow("empty") << QByteArray() << "";
        QTest::newRow("garbage") << QByteArray("this is not a model at all, just text") << "";
        QTest::newRow("truncated") << good.left(good.size() / 2) << "";
        QByteArray flipped = good;
        flipped[3] = char(0x7f);  // header length absurd
        QTest::newRow("bad header length") << flipped << "";
        ar::SafeTensors other;
        other.metadata["arlab.kind"] = "markov-chain";
        other.metadata["arlab.config"] = "{}";
        QTest::newRow("unknown kind") << QByteArray::fromStdString(ar::serializeSafetensors(other)) << "markov-chain";
        other.metadata["arlab.kind"] = "pixelcnn";  // an image model without its tensors
        QTest::newRow("image kind, broken") << QByteArray::fromStdString(ar::serializeSafetensors(other)) << "";
        other.metadata.erase("arlab.kind");
        QTest::newRow("no kind") << QByteArray::fromStdString(ar::serializeSafetensors(other)) << "arlab.kind";
    }
    void openCorruptModelLeavesModelUntouched() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expect);
        press(Qt::Key_Space);
        const auto model = gen()->model();
        const std::string text = session().text();
        QTemporaryDir dir;
        const QString path = dir.filePath("bad.safetensors");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();
        const QString error = m_win->openModelFile(path);
        QVERIFY(!error.isEmpty());
        QVERIFY2(error.contains(expect), qPrintable(error));
        QCOMPARE(gen()->model(), model);
        QCOMPARE(session().text(), text);
        QCOMPARE(session().stepCount(), 1);
        // File -> Open model shows the problem in a dialog (after the background read: looked for until it comes).
        bool opened = true;
        const QString shown = testutil::acceptingMessageBoxes([&] { opened = m_win->openModelInteractive(path); });
        QVERIFY(!opened);
        QVERIFY2(shown.contains("unchanged"), qPrintable(shown));
        QCOMPARE(gen()->model(), model);
    }

    void openValidModelReplacesIt() {
        const QString path = testutil::shipped("toy-word");
        const auto before = gen()->model();
        QCOMPARE(m_win->openModelFile(path), QString());
        QVERIFY(gen()->model() != before);
        QCOMPARE(gen()->modelSource(), path);
        QVERIFY(gen()->session());
    }

    void playUsesTimer() {
        QSignalSpy changed(gen(), &GenerationController::changed);
        auto* speed = dock()->findChild<QSlider*>();
        QVERIFY(speed);
        speed->setValue(20);  // tokens per second
        QCOMPARE(gen()->speed(), 20);
        QElapsedTimer clock;
        clock.start();
        dock()->playAction()->trigger();
        QVERIFY(gen()->isPlaying());
        QCOMPARE(dock()->playAction()->text(), QString("Pause"));
        QTRY_VERIFY_WITH_TIMEOUT(session().stepCount() >= 2 || !session().canStep(), 5000);
        QVERIFY(clock.elapsed() >= 2 * 1000 / 20 - 5);  // the timer paces it, not a loop
        dock()->playAction()->trigger();
        QVERIFY(!gen()->isPlaying());
        QCOMPARE(dock()->playAction()->text(), QString("Play"));
        // P is the shortcut.
        press(Qt::Key_P);
        QVERIFY(gen()->isPlaying());
        press(Qt::Key_P);
        QVERIFY(!gen()->isPlaying());
    }
};

QTEST_MAIN(TestTransformerLesson)
#include "tst_transformerlesson.moc"
