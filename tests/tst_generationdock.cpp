// GenerationDock (widgets/generationdock.h) alone, with fake data: what setState shows (chips, actions,
// branches, the quick sampling controls), and the signals for each user action.
#include "widgets/generationdock.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

using namespace arlab;

static GenerationDockState fakeState(int generated) {
    GenerationDockState s;
    s.prompt = "a cat";
    s.hasSession = true;
    s.canStep = true;
    s.canBack = generated > 0;
    for (const char* w : {"<s>", "a", "cat"}) {
        TokenChip c;
        c.text = w;
        c.prompt = true;
        s.chips << c;
    }
    s.promptChips = 3;
    for (int i = 0; i < generated; ++i) {
        TokenChip c;
        c.text = QString("w%1").arg(i);
        c.p = 0.5;
        c.alternatives = {TokenAlternative{7, "w0", 0.5, true}, TokenAlternative{8, "dog", 0.3, false}};
        s.chips << c;
    }
    s.next = {TokenAlternative{4, "sleeps", 0.6, false}, TokenAlternative{5, "runs", 0.4, false}};
    s.info = "2 tokens generated";
    s.branches = {{"1 abandoned", -1}, {"sees the dog", 6}};
    s.temperature = 0.7f;
    s.topK = 5;
    s.topP = 0.9f;
    s.seed = 42;
    return s;
}

class TestGenerationDock : public QObject {
    Q_OBJECT
private slots:
    void showsTheState_data() {
        QTest::addColumn<int>("generated");
        QTest::newRow("at the prompt") << 0;
        QTest::newRow("two tokens") << 2;
    }
    void showsTheState() {
        QFETCH(int, generated);
        GenerationDock dock;
        QSignalSpy edits(&dock, &GenerationDock::samplingEdited);
        dock.setState(fakeState(generated));
        QCOMPARE(edits.count(), 0);   // showing a value is not an edit
        QCOMPARE(dock.chips()->chips().size(), 3 + generated);
        QCOMPARE(dock.chips()->nextAlternatives().size(), 2);
        QCOMPARE(dock.promptEdit()->text(), QString("a cat"));
        QVERIFY(dock.stepAction()->isEnabled());
        QCOMPARE(dock.backAction()->isEnabled(), generated > 0);
        QCOMPARE(dock.temperatureBox()->value(), 0.7);
        QCOMPARE(dock.topKBox()->value(), 5);
        QCOMPARE(dock.topPBox()->value(), 0.9);
        QCOMPARE(dock.seedBox()->value(), 42);
        QCOMPARE(dock.branchBox()->count(), 2);
        QCOMPARE(dock.infoText(), QString("2 tokens generated"));
    }

    void noSessionDisablesTheActions() {
        GenerationDock dock;
        GenerationDockState s;
        s.note = "Open a model to start.";
        dock.setState(s);
        for (QAction* a : dock.actions()) QVERIFY(!a->isEnabled());
        QVERIFY(dock.chips()->chips().isEmpty());
        dock.setPromptMessage("Not in the model's vocabulary: ‘zebra’.");
        QVERIFY(dock.promptMessage().contains("zebra"));
        dock.setPromptMessage("");
        QVERIFY(dock.promptMessage().isEmpty());
    }

    void userActionsAreSignals() {
        GenerationDock dock;
        dock.setState(fakeState(2));
        QSignalSpy step(&dock, &GenerationDock::stepRequested), back(&dock, &GenerationDock::backRequested),
            reset(&dock, &GenerationDock::resetRequested), play(&dock, &GenerationDock::playToggled),
            branch(&dock, &GenerationDock::branchChosen), alt(&dock, &GenerationDock::alternativeChosen),
            sampling(&dock, &GenerationDock::samplingEdited), entered(&dock, &GenerationDock::promptEntered),
            selected(&dock, &GenerationDock::selectedStepChanged);
        dock.stepAction()->trigger();
        dock.backAction()->trigger();
        dock.resetAction()->trigger();
        dock.playAction()->trigger();
        QCOMPARE(step.count(), 1);
        QCOMPARE(back.count(), 1);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(play.count(), 1);
        QCOMPARE(play.at(0).at(0).toBool(), true);
        dock.setPlaying(false);   // the controller's answer: no new request
        QCOMPARE(play.count(), 1);
        emit dock.branchBox()->activated(1);
        QCOMPARE(branch.count(), 1);
        QCOMPARE(branch.at(0).at(0).toInt(), 6);
        emit dock.branchBox()->activated(0);   // the header item
        QCOMPARE(branch.count(), 1);
        // An alternative of generated chip 1 (chip index 4) -> step 1; the "?" chip (-1) -> the next step (2).
        emit dock.chips()->alternativeClicked(4, 8);
        emit dock.chips()->alternativeClicked(-1, 5);
        QCOMPARE(alt.count(), 2);
        QCOMPARE(alt.at(0).at(0).toInt(), 1);
        QCOMPARE(alt.at(0).at(1).toInt(), 8);
        QCOMPARE(alt.at(1).at(0).toInt(), 2);
        dock.topKBox()->setValue(9);
        QCOMPARE(sampling.count(), 1);
        QCOMPARE(sampling.at(0).at(0).toFloat(), 0.7f);
        QCOMPARE(sampling.at(0).at(1).toInt(), 9);
        QCOMPARE(sampling.at(0).at(3).toULongLong(), quint64(42));
        dock.promptEdit()->setText("the dog");
        emit dock.promptEdit()->returnPressed();
        QCOMPARE(entered.count(), 1);
        QCOMPARE(entered.at(0).at(0).toString(), QString("the dog"));
        dock.selectStep(1);
        QCOMPARE(dock.selectedStep(), 1);
        QVERIFY(!selected.isEmpty());
        QCOMPARE(selected.last().at(0).toInt(), 1);
        // Fewer steps than the selection: back to "the latest".
        dock.setState(fakeState(1));
        QCOMPARE(dock.selectedStep(), -1);
        QCOMPARE(selected.last().at(0).toInt(), -1);
    }
};

QTEST_MAIN(TestGenerationDock)
#include "tst_generationdock.moc"
