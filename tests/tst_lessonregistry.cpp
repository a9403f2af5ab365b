// The lesson registry, driven the way the README's "Adding a lesson" recipe says: a small fake lesson, one
// class registered once with ARLAB_LESSON, must appear in the Lesson and View menus, in `--lesson` and
// `--help`, be built the first time it is shown (and only then), and answer --steps.
#include "app/gui/lesson.h"
#include "app/gui/mainwindow.h"
#include "app/gui/startup.h"
#include "guitestutil.h"

#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QtTest>

namespace arlab {

// ---- the recipe's lesson (README, "Adding a lesson") ----------------------------------------------------------
class FakeLesson : public Lesson {
    Q_OBJECT
public:
    static inline int built = 0;   // how many times the factory ran
    explicit FakeLesson(MainWindow& win) : Lesson(win) {
        ++built;
        m_label = new QLabel(QStringLiteral("steps: 0"));
        win.addDock(m_label, "fakeDock", Qt::RightDockWidgetArea, QSize(300, 0));
        win.addDock(new QLabel(QStringLiteral("notes")), "fakeNotesDock", Qt::BottomDockWidgetArea, QSize(0, 120));
    }
    bool step(int n) override {
        m_steps += n;
        m_label->setText(QStringLiteral("steps: %1").arg(m_steps));
        return true;
    }
    int steps() const { return m_steps; }

private:
    QLabel* m_label = nullptr;
    int m_steps = 0;
};

ARLAB_LESSON(FakeLesson, {.id = "fake",
                          .title = QT_TRANSLATE_NOOP("arlab::Lesson", "Fake lesson"),
                          .order = 990,
                          .shortcut = "Ctrl+9",
                          .docks = {{"fakeDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Fake steps")},
                                    {"fakeNotesDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Fake notes")}},
                          .summary = QT_TRANSLATE_NOOP("arlab::Lesson", "a lesson that only counts steps")})
// ---------------------------------------------------------------------------------------------------------------

}  // namespace arlab

using namespace arlab;

class TestLessonRegistry : public QObject {
    Q_OBJECT
    static std::unique_ptr<MainWindow> makeWindow(const QString& lesson = {}) {
        return testutil::makeWindow(lesson, testutil::Look::Hidden);
    }
    static QAction* findAction(QMenu* menu, const QString& text) {
        for (QAction* a : menu->actions()) {
            if (a->text() == text) return a;
            if (a->menu())
                if (QAction* inner = findAction(a->menu(), text)) return inner;
        }
        return nullptr;
    }

private slots:
    void init() { FakeLesson::built = 0; }

    void registeredInMenuOrder() {
        const QStringList ids = LessonRegistry::ids();
        QVERIFY(ids.contains("fake"));
        QCOMPARE(ids.last(), QString("fake"));   // order 990: after the shipped lessons
        QCOMPARE(ids.first(), QString("transformer"));
        QSet<QString> shortcuts;
        for (const LessonSpec& s : LessonRegistry::all()) {
            QVERIFY2(!shortcuts.contains(s.shortcut), s.shortcut);   // every shortcut is unique
            shortcuts.insert(s.shortcut);
            QVERIFY2(!s.docks.empty(), qPrintable(s.id));
        }
    }

    void duplicateAndIncompleteAreRefused() {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("registered twice"));
        QVERIFY(!LessonRegistry::add(lessonSpec<FakeLesson>({.id = "fake", .title = "Again"})));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("needs an id, a title and a factory"));
        QVERIFY(!LessonRegistry::add(LessonSpec{.id = "nofactory", .title = "No factory"}));
        QVERIFY(!LessonRegistry::find("nofactory"));
    }

    void notBuiltUntilShown() {
        auto w = makeWindow();
        QCOMPARE(FakeLesson::built, 0);
        QVERIFY(!w->lesson("fake"));
        QVERIFY(!w->findChild<QDockWidget*>("fakeDock"));
        // Lesson -> Fake lesson exists, with its shortcut and its docks' toggles (stand-ins until built).
        QAction* show = findAction(w->menuBar()->actions().at(1)->menu(), "Show the Fake lesson lesson");
        QVERIFY(show);
        QCOMPARE(show->shortcut(), QKeySequence("Ctrl+9"));
        QVERIFY(findAction(w->viewMenu(), "Fake steps"));
        QVERIFY(findAction(w->viewMenu(), "Fake notes"));

        show->trigger();
        QCOMPARE(w->currentLesson(), QString("fake"));
        QCOMPARE(FakeLesson::built, 1);
        auto* dock = w->findChild<QDockWidget*>("fakeDock");
        QVERIFY(dock);
        QCOMPARE(dock->windowTitle(), QString("Fake steps"));
        QVERIFY(w->viewMenu()->actions().contains(dock->toggleViewAction()));
        QVERIFY(!dock->isHidden());

        // Shown again: not built again.
        QVERIFY(w->activateLesson("transformer"));
        QVERIFY(dock->isHidden());
        QVERIFY(w->activateLesson("fake"));
        QCOMPARE(FakeLesson::built, 1);
        QVERIFY(!dock->isHidden());
    }

    void stepsGoToTheLesson() {
        auto w = makeWindow("fake");
        QCOMPARE(FakeLesson::built, 1);
        QVERIFY(w->runSteps(3));
        QCOMPARE(static_cast<FakeLesson*>(w->lesson("fake"))->steps(), 3);
        QVERIFY(!w->lesson("transformer"));   // startup built only the lesson it showed
    }

    // The README's recipe shows this file's fake lesson, word for word.
    void readmeRecipeIsThisCode() {
        QFile readme(testutil::sourceFile("README.md"));
        QFile self(testutil::sourceFile("tests/tst_lessonregistry.cpp"));
        QVERIFY(readme.open(QIODevice::ReadOnly | QIODevice::Text));
        QVERIFY(self.open(QIODevice::ReadOnly | QIODevice::Text));
        const QString text = QString::fromUtf8(readme.readAll());
        const QString code = QString::fromUtf8(self.readAll());
        const qsizetype section = text.indexOf("<!-- section: adding-a-lesson -->");
        QVERIFY2(section >= 0, "README has no adding-a-lesson section");
        const qsizetype open = text.indexOf("```cpp\n", section);
        const qsizetype close = text.indexOf("```", open + 7);
        QVERIFY(open > 0 && close > open);
        const QString block = text.mid(open + 7, close - open - 7).trimmed();
        QVERIFY(block.contains("ARLAB_LESSON(FakeLesson"));
        const qsizetype start = code.indexOf("class FakeLesson : public Lesson {");
        const qsizetype end = code.indexOf("// ----", start);
        QCOMPARE(block, code.mid(start, end - start).trimmed());
    }

    // The README's command line and keys name every shipped lesson (this file's fake one aside), in menu order.
    void readmeListsTheShippedLessons() {
        QFile readme(testutil::sourceFile("README.md"));
        QVERIFY(readme.open(QIODevice::ReadOnly | QIODevice::Text));
        const QString text = QString::fromUtf8(readme.readAll());
        QStringList shipped = LessonRegistry::ids();
        shipped.removeAll(QStringLiteral("fake"));
        QVERIFY(shipped.size() >= 6);
        const QString lessonOption = QStringLiteral("`--lesson %1`").arg(shipped.join('|'));
        QVERIFY2(text.contains(lessonOption), qPrintable(lessonOption));
        const QString keys = QStringLiteral("Ctrl+1…%1").arg(shipped.size());
        QCOMPARE(text.count(QStringLiteral("Ctrl+1…")), text.count(keys));
        QVERIFY2(text.count(keys) >= 2, qPrintable(keys));
        for (int i = 0; i < shipped.size(); ++i)
            QCOMPARE(QString::fromLatin1(LessonRegistry::find(shipped[i])->shortcut), QStringLiteral("Ctrl+%1").arg(i + 1));
    }

    void commandLineKnowsIt() {
        StartupOptions opt;
        const ParseOutcome help = parseCommandLine({"arlab", "--help"}, &opt);
        QVERIFY(help.exit);
        for (const QString& id : LessonRegistry::ids()) QVERIFY2(help.output.contains(id), qPrintable(id));
        QVERIFY(help.output.contains("a lesson that only counts steps"));
        const ParseOutcome ok = parseCommandLine({"arlab", "--lesson", "fake"}, &opt);
        QVERIFY(!ok.exit);
        QCOMPARE(opt.lesson, QString("fake"));
    }
};

QTEST_MAIN(TestLessonRegistry)
#include "tst_lessonregistry.moc"
