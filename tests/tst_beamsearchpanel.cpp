// BeamSearchPanel (widgets/beamsearchpanel.h) alone, with a hand-built search tree (no model, no search): the
// tree reaches the tree view, selecting a node lists its prefix and its candidates (P, log P, score, status), the
// n-best list shows the finished hypotheses best first, the settings round-trip (setSettings silent, editing
// emits settingsChanged), and the buttons emit their requests and are disabled while busy or when done.
#include "widgets/beamsearchpanel.h"
#include "widgets/beamtreeview.h"
#include "guitestutil.h"

#include <QDoubleSpinBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTextBrowser>
#include <QtTest>

#include <cmath>

using namespace arlab;

namespace {

ar::BeamNode node(int id, int parent, int step, int token, double stepLogprob, double logprob, ar::BeamStatus status,
                  bool eos = false) {
    ar::BeamNode n;
    n.id = id;
    n.parent = parent;
    n.step = n.round = step;
    n.token = token;
    n.stepLogprob = stepLogprob;
    n.logprob = logprob;
    n.score = logprob / step;
    n.rank = 0;
    n.status = status;
    n.eos = eos;
    return n;
}

// prompt -> the (-0.2) | a (-1.8, pruned); the -> cat (-0.5) | dog (-0.9) -> </s> (-0.1, finished)
ar::BeamTree fakeTree() {
    ar::BeamTree t;
    ar::BeamNode root;
    root.children = {1, 2};
    t.nodes = {root,
               node(1, 0, 1, 1, -0.2, -0.2, ar::BeamStatus::Alive),
               node(2, 0, 1, 2, -1.8, -1.8, ar::BeamStatus::Pruned),
               node(3, 1, 2, 3, -0.5, -0.7, ar::BeamStatus::Alive),
               node(4, 1, 2, 4, -0.9, -1.1, ar::BeamStatus::Alive),
               node(5, 4, 3, 0, -0.1, -1.2, ar::BeamStatus::Finished, true)};
    t.nodes[1].children = {3, 4};
    t.nodes[4].children = {5};
    t.rounds = {{1, 2}, {3, 4}, {5}};
    return t;
}
const std::vector<QString> kVocab{"</s>", "the", "a", "cat", "dog"};

ar::Hypothesis finished() {
    ar::Hypothesis h;
    h.tokens = {1, 4, 0};
    h.stepLogprobs = {-0.2, -0.9, -0.1};
    h.logprob = -1.2;
    h.score = -0.4;
    h.node = 5;
    h.eos = true;
    return h;
}

}  // namespace

class TestBeamSearchPanel : public QObject {
    Q_OBJECT
private slots:
    void selectedNodeListsItsCandidates_data() {
        QTest::addColumn<int>("node");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QStringList>("tokens");   // its candidates, in order
        QTest::newRow("root") << 0 << "<b></b>" << QStringList{"the", "a"};
        QTest::newRow("the") << 1 << "<b>the</b>" << QStringList{"cat", "dog"};
        QTest::newRow("a leaf") << 3 << "<b>the cat</b>" << QStringList{};
        QTest::newRow("nothing selected") << -1 << "Click a node" << QStringList{};
    }
    void selectedNodeListsItsCandidates() {
        QFETCH(int, node);
        QFETCH(QString, prefix);
        QFETCH(QStringList, tokens);
        BeamSearchPanel p;
        const ar::BeamTree tree = fakeTree();
        p.setSearch(tree, kVocab, "once", {finished()}, false, "round 3");
        QCOMPARE(p.treeView()->nodeCount(), 6);
        QCOMPARE(p.treeView()->bestNode(), 5);
        p.treeView()->selectNode(node == -1 ? 1 : -1);   // select something else first: a real change
        p.treeView()->selectNode(node);
        QVERIFY2(p.prefixText().contains(prefix), qPrintable(p.prefixText()));
        QTableWidget* t = p.candidateTable();
        QCOMPARE(t->rowCount(), tokens.size());
        for (int r = 0; r < tokens.size(); ++r) {
            const ar::BeamNode& c = tree.nodes[size_t(tree.nodes[size_t(node)].children[size_t(r)])];
            QCOMPARE(t->item(r, 0)->text(), tokens[r]);
            QCOMPARE(t->item(r, 1)->text(), QString::number(std::exp(c.stepLogprob), 'f', 4));
            QCOMPARE(t->item(r, 2)->text(), QString::number(c.logprob, 'f', 3));
            QCOMPARE(t->item(r, 3)->text(), QString::number(c.score, 'f', 3));
            QCOMPARE(t->item(r, 4)->text(), QString::fromStdString(ar::beamStatusName(c.status)));
            QCOMPARE(t->item(r, 0)->background().color(), BeamTreeView::fillColor(c.status));
        }
        if (node == 3) QVERIFY(p.prefixText().contains("Not expanded"));
    }

    void nbestAndStatus() {
        BeamSearchPanel p;
        auto* nbest = p.findChild<QTextBrowser*>();
        QVERIFY(nbest);
        p.setSearch(fakeTree(), kVocab, "once", {}, false, "round 2");
        QVERIFY(nbest->toPlainText().contains("No finished hypothesis yet."));
        ar::Hypothesis cut = finished();
        cut.tokens = {1, 3};
        cut.eos = false;
        cut.score = -0.9;
        p.setSearch(fakeTree(), kVocab, "once", {finished(), cut}, true, "done");
        const QString text = nbest->toPlainText().replace(QChar::Nbsp, ' ').simplified();
        QVERIFY2(text.contains("1. the dog </s> score -0.400 log P -1.200"), qPrintable(text));
        QVERIFY2(text.contains("2. the cat"), qPrintable(text));
        QVERIFY2(text.contains("(max length)"), qPrintable(text));
        QVERIFY(text.indexOf("1. the dog") < text.indexOf("2. the cat"));
    }

    void settingsRoundTrip() {
        BeamSearchPanel p;
        QSignalSpy spy(&p, &BeamSearchPanel::settingsChanged);
        p.setSettings(ar::BeamSettings{5, 12, 0.6f});
        QCOMPARE(spy.count(), 0);   // the program's own change
        QCOMPARE(p.settings().width, 5);
        QCOMPARE(p.settings().maxLength, 12);
        QCOMPARE(p.settings().lengthPenalty, 0.6f);
        const QList<QSpinBox*> boxes = p.findChildren<QSpinBox*>();
        QSpinBox* width = nullptr;
        for (QSpinBox* b : boxes) if (b->value() == 5) width = b;
        QVERIFY(width);
        width->setValue(7);
        QCOMPARE(spy.count(), 1);
        const auto s = spy[0][0].value<ar::BeamSettings>();
        QCOMPARE(s.width, 7);
        QCOMPARE(s.maxLength, 12);
        p.findChild<QDoubleSpinBox*>()->setValue(1.5);
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy[1][0].value<ar::BeamSettings>().lengthPenalty, 1.5f);
    }

    void buttonsFollowBusyAndDone() {
        BeamSearchPanel p;
        p.show();
        QVERIFY(QTest::qWaitForWindowExposed(&p));
        QSignalSpy steps(&p, &BeamSearchPanel::stepRequested), runs(&p, &BeamSearchPanel::runRequested),
            resets(&p, &BeamSearchPanel::resetRequested);
        const auto clickAll = [&] {
            for (QPushButton* b : {p.stepButton(), p.runButton(), p.resetButton()}) QTest::mouseClick(b, Qt::LeftButton);
        };
        clickAll();
        QCOMPARE(steps.count(), 1);
        QCOMPARE(runs.count(), 1);
        QCOMPARE(resets.count(), 1);
        p.setBusy(true);   // a round is running: nothing can be asked
        clickAll();
        QCOMPARE(steps.count() + runs.count() + resets.count(), 3);
        p.setBusy(false);
        p.setSearch(fakeTree(), kVocab, "once", {finished()}, true, "done");   // done: only Reset
        QVERIFY(!p.stepButton()->isEnabled() && !p.runButton()->isEnabled() && p.resetButton()->isEnabled());
        clickAll();
        QCOMPARE(steps.count(), 1);
        QCOMPARE(resets.count(), 2);
        p.setMessage("prompt has unknown words: zebra");
        QVERIFY(testutil::showsLabel(&p, "prompt has unknown words: zebra"));
    }
};

QTEST_MAIN(TestBeamSearchPanel)
#include "tst_beamsearchpanel.moc"
