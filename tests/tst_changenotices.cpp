// Typed change notices (app/gui/changes.h): the controller says what changed, each dock updates only what that
// touches, a hidden dock defers its work until it is shown, and a Space press in one lesson does no work in
// another. Counted with the DockUpdaters' run counters in the real window.
#include "app/gui/changes.h"
#include "app/gui/generationcontroller.h"
#include "app/gui/mainwindow.h"
#include "guitestutil.h"

#include <QDockWidget>
#include <QLabel>
#include <QtTest>

using namespace arlab;

class TestChangeNotices : public QObject {
    Q_OBJECT
    std::unique_ptr<MainWindow> m_win;

    DockUpdater* updater(const char* dock) const {
        return m_win->findChild<DockUpdater*>(QString(dock) + "Updater");
    }
    QMap<QString, int> runs() const {
        QMap<QString, int> out;
        for (DockUpdater* u : m_win->findChildren<DockUpdater*>()) out[u->objectName()] = u->runs();
        return out;
    }
    QMap<QString, int> delta(const QMap<QString, int>& before) const {
        QMap<QString, int> out;
        const auto now = runs();
        for (auto it = now.begin(); it != now.end(); ++it) out[it.key()] = it.value() - before.value(it.key());
        return out;
    }

private slots:
    void init() {
        m_win = testutil::makeWindow("", testutil::Look::Hidden);
        QVERIFY(m_win->buildLesson("decoding"));   // both text lessons exist; the transformer one is shown
        QCOMPARE(m_win->currentLesson(), QString("transformer"));
    }
    void cleanup() { m_win.reset(); }

    void dockUpdaterMergesWhileHidden() {
        QDockWidget dock;
        dock.setObjectName("d");
        QList<Changes> seen;
        DockUpdater u(&dock, Changes(Change::StepAppended) | Change::Model, [&seen](Changes c) { seen << c; });
        u.notify(Change::Settings);                  // not of interest
        QCOMPARE(u.runs(), 0);
        dock.hide();
        u.notify(Change::StepAppended);
        u.notify(Changes(Change::Model) | Change::Prompt);
        QCOMPARE(u.runs(), 0);
        QCOMPARE(u.pending(), Changes(Change::StepAppended) | Change::Model);
        dock.show();                                  // shown: one update with everything merged
        QTRY_COMPARE(u.runs(), 1);
        QCOMPARE(seen.value(0), Changes(Change::StepAppended) | Change::Model);
        u.notify(Change::StepAppended);              // shown: at once
        QCOMPARE(u.runs(), 2);
    }

    // Space in the Transformer lesson: its sequence docks update once per press; the model card and every
    // dock of the (built, hidden) Decoding lesson do nothing.
    void spaceInOneLessonDoesNoWorkInAnother() {
        const auto before = runs();
        QVERIFY(before.contains("beamDockUpdater"));
        for (int i = 0; i < 4; ++i) m_win->generation()->step();
        const auto d = delta(before);
        QCOMPARE(d.value("generationDockUpdater"), 4);
        QCOMPARE(d.value("nextTokenDockUpdater"), 4);
        QCOMPARE(d.value("attentionDockUpdater"), 4);
        QCOMPARE(d.value("modelDockUpdater"), 0);
        for (const char* dock : {"samplingDockUpdater", "beamDockUpdater", "compareDockUpdater"}) QCOMPARE(d.value(dock), 0);
        QVERIFY(!updater("beamDock")->pending());   // not even deferred: steps do not concern it
    }

    // Steps taken while the Transformer docks are hidden are shown with one update when they come back.
    void hiddenDocksDeferUntilShown() {
        QVERIFY(m_win->activateLesson("decoding"));
        const auto before = runs();
        for (int i = 0; i < 3; ++i) m_win->generation()->step();
        QCOMPARE(delta(before).value("nextTokenDockUpdater"), 0);
        QVERIFY(updater("nextTokenDock")->pending() & Change::StepAppended);
        QVERIFY(m_win->activateLesson("transformer"));
        m_win->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_win.get()));
        QTRY_COMPARE(delta(before).value("nextTokenDockUpdater"), 1);
        QCOMPARE(delta(before).value("attentionDockUpdater"), 1);
        QVERIFY(!updater("nextTokenDock")->pending());
    }

    // A settings change touches the sampling, beam and compare docks and Next token, not attention.
    void settingsTouchOnlyWhatReadsThem() {
        QVERIFY(m_win->activateLesson("decoding"));
        const auto before = runs();
        ar::SamplerSettings s = m_win->generation()->settings();
        s.beam.width = 4;
        m_win->generation()->setSettings(s);
        const auto d = delta(before);
        for (const char* dock : {"samplingDockUpdater", "beamDockUpdater", "compareDockUpdater"}) QCOMPARE(d.value(dock), 1);
        QCOMPARE(d.value("attentionDockUpdater"), 0);
        QVERIFY(!updater("attentionDock")->pending());
        QVERIFY(updater("nextTokenDock")->pending() & Change::Settings);   // hidden: deferred
    }
};

QTEST_MAIN(TestChangeNotices)
#include "tst_changenotices.moc"
