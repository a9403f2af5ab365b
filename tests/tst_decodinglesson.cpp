// GUI tests of the Decoding lesson in the real MainWindow with the built-in toy-language TinyGPT: what
// `arlab --lesson decoding --steps N` shows (N beam rounds, the compare dock filled), the beam width shared by
// the sampling panel, the beam dock and the compare dock, and the dock's tree against an independent search.
#include "app/gui/generationcontroller.h"
#include "app/gui/mainwindow.h"
#include "core/decoding/beamsearch.h"
#include "widgets/beamsearchpanel.h"
#include "widgets/beamtreeview.h"
#include "widgets/compareview.h"
#include "widgets/samplingpanel.h"
#include "guitestutil.h"

#include <QDockWidget>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QtTest>

#include <cmath>

using namespace arlab;

class TestDecodingLesson : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<MainWindow> m_win;
    BeamSearchPanel* beamPanel() { return m_win->findChild<BeamSearchPanel*>(); }
    CompareView* compare() { return m_win->findChild<CompareView*>(); }
    SamplingPanel* sampling() { return m_win->findChild<SamplingPanel*>(); }

private slots:
    void initTestCase() {
        QVERIFY2(QFile::exists(GenerationController::builtinModelPath()), "the toy-word model is not compiled in");
    }
    void init() {
        m_win = testutil::makeWindow("decoding");
        QVERIFY(QTest::qWaitForWindowExposed(m_win.get()));
        QCOMPARE(m_win->currentLesson(), QString("decoding"));
        QVERIFY(beamPanel() && compare() && sampling());
        QVERIFY(beamPanel()->isVisible() && compare()->isVisible() && sampling()->isVisible());
    }
    void cleanup() { m_win.reset(); }

    void stepsRunBeamRoundsAndFillTheCompareDock_data() {
        QTest::addColumn<int>("steps");
        QTest::newRow("1") << 1;
        QTest::newRow("5 (the screenshot)") << 5;
    }
    void stepsRunBeamRoundsAndFillTheCompareDock() {
        QFETCH(int, steps);
        QCOMPARE(beamPanel()->treeView()->nodeCount(), 1);  // only the prompt
        QVERIFY(compare()->rows().empty());
        QVERIFY(m_win->runSteps(steps));
        const ar::BeamTree& shown = beamPanel()->treeView()->tree();
        QCOMPARE(int(shown.rounds.size()), steps);

        // The same search, run independently on the same model, prompt and settings.
        GenerationController* gen = m_win->generation();
        const ar::SamplerSettings s = gen->settings();
        ar::BeamSearch ref(gen->model(), gen->session()->promptTokens(), ar::BeamSettings{s.beam.width, 10, s.beam.lengthPenalty});
        for (int i = 0; i < steps; ++i) ref.stepRound();
        QCOMPARE(shown.nodes.size(), ref.tree().nodes.size());
        for (size_t i = 0; i < shown.nodes.size(); ++i) {
            QCOMPARE(shown.nodes[i].token, ref.tree().nodes[i].token);
            QCOMPARE(shown.nodes[i].status, ref.tree().nodes[i].status);
            QVERIFY(std::abs(shown.nodes[i].score - ref.tree().nodes[i].score) < 1e-9);
        }
        // The side panel shows the root's candidates (the first round).
        QCOMPARE(beamPanel()->treeView()->selectedNode(), 0);
        QCOMPARE(beamPanel()->candidateTable()->rowCount(), int(shown.rounds[0].size()));

        // Compare: greedy, beam (the shared width and alpha), the samples.
        const auto& rows = compare()->rows();
        QCOMPARE(int(rows.size()), 2 + compare()->settings().samples);
        QCOMPARE(rows[0].label, std::string("greedy"));
        QVERIFY2(rows[1].label.rfind("beam k=" + std::to_string(s.beam.width), 0) == 0, rows[1].label.c_str());
    }

    void beamWidthIsSharedByTheThreeDocks() {
        GenerationController* gen = m_win->generation();
        ar::SamplerSettings s = gen->settings();
        s.beam.width = 5;
        sampling()->setSettings(s);
        emit sampling()->settingsChanged(s);  // as if the user edited the spin box
        QCOMPARE(gen->settings().beam.width, 5);
        QCOMPARE(beamPanel()->settings().width, 5);
        QCOMPARE(compare()->beamWidth(), 5);
        // And from the beam dock back to the others.
        ar::BeamSettings b = beamPanel()->settings();
        b.width = 2;
        beamPanel()->setSettings(b);
        emit beamPanel()->settingsChanged(b);
        QCOMPARE(gen->settings().beam.width, 2);
        QCOMPARE(compare()->beamWidth(), 2);
        // A step after the change uses width 2: at most 2 alive hypotheses after round 2.
        QVERIFY(m_win->runSteps(2));
        int alive = 0;
        const ar::BeamTree& t = beamPanel()->treeView()->tree();
        for (int id : t.rounds.back()) alive += t.nodes[size_t(id)].status == ar::BeamStatus::Alive;
        QVERIFY(alive <= 2);
    }
};

QTEST_MAIN(TestDecodingLesson)
#include "tst_decodinglesson.moc"
