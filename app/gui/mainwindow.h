#pragma once
// MainWindow: the application frame (built like Qt's dockwidgets example: createActions(), createMenus(),
// createStatusBar(), createDockWindows()). Everything a lesson shows lives in a QDockWidget.
//
// Lessons are not written here: each is one class in app/gui/lessons/<id>/, registered once with its id,
// title, shortcut, docks and factory (app/gui/lesson.h; the README's "Adding a lesson" recipe). MainWindow
// builds the Lesson and View menus, --lesson and --help from the registry, and constructs a lesson the first
// time it is shown. A lesson's constructor hands each widget to win.addDock(widget, "objectName", area, size);
// the dock's title comes from the registration, which must declare every dock the lesson creates.
//
// Shared text-model state: win.generation() is the GenerationController (the current language model, the
// prompt, the DecodingSession, the sampler settings). Docks that show or change decoding connect to its
// signals and call its slots; they never keep their own copy.
// Messages: win.showMessage("..."). Shortcuts: Space/Backspace/Ctrl+R are owned by the generation dock.
#include "app/gui/lesson.h"
#include "app/gui/modelloader.h"

#include <QMainWindow>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

class QLabel;
class QActionGroup;
class QTimer;

namespace arlab {

class GenerationController;
class SessionController;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    struct Options {
        bool persistLayout = true;   // read/write QSettings (false for screenshots and tests)
        QString lesson;              // lesson to show first (empty: the last one used, else the first)
    };
    explicit MainWindow(const Options& options, QWidget* parent = nullptr);
    MainWindow() : MainWindow(Options{}) {}
    ~MainWindow() override;

    // --- for lessons (while one is being built) --------------------------------------------------------
    // Wraps `content` in a QDockWidget named `objectName` (declared in the lesson's registration: it keys the
    // saved layout; the title comes from there). `preferred` = the default (width, height) in pixels for
    // View -> Reset layout; 0 = the widget's size hint (width for left/right docks, height for top/bottom
    // docks). Docks in the same area stack vertically (left/right) or side by side (top/bottom), in the order
    // the registration lists them.
    QDockWidget* addDock(QWidget* content, const QString& objectName, Qt::DockWidgetArea area, QSize preferred = {});
    // The view handed to addDock (the dock's widget is a scroll area around it: a view larger than its dock
    // scrolls rather than making the window larger than the screen); another dock's widget as it is.
    static QWidget* dockView(const QDockWidget* dock);
    // Keeps the window within `room` (default: the last room, else the screen's available size): when the views'
    // minimums do not fit side by side and stacked, each dock's minimum is capped (360x200) and larger views scroll
    // in their docks; when they fit, every dock keeps its view's minimum. Called by layOutOffscreen (--size), on
    // show and after a font change (presentation mode, zoom).
    void fitDocks(QSize room = {});
    // Keeps a dock hidden in the lesson's default arrangement (its toggle in View and in Lesson -> <title>
    // shows it): for optional docks that should not change the lesson's first look.
    void setHiddenByDefault(QDockWidget* dock);
    // In the lesson's default arrangement `dock` is a tab of `first`'s group (QMainWindow::tabifyDockWidget, as in
    // Qt's dockwidgets example), `first`'s tab in front: for docks that each need the whole window to be read (a
    // projector's 1280x800) and are shown one at a time. Both are the lesson's docks, added in the same area.
    void setTabbedByDefault(QDockWidget* first, QDockWidget* dock);
    // Lesson -> <title> menu of the lesson being built (add lesson-specific actions here).
    QMenu* lessonMenu() const;
    GenerationController* generation() const { return m_generation; }
    SessionController* sessions() const { return m_sessions; }   // File -> Save/Open session, autosave
    // Loads the built-in text model into generation() the first time it is called (lessons that use the text
    // model get this before they are built).
    void ensureTextModel();
    void showMessage(const QString& text, int timeoutMs = 5000);

    // --- for main.cpp and tests -------------------------------------------------------------------------
    struct LessonSlot {
        LessonSpec spec;
        Lesson* lesson = nullptr;          // built the first time it is shown
        QList<QDockWidget*> docks;         // filled while it is built
        QMenu* menu = nullptr;             // Lesson -> <title>: "Show", the dock toggles, lesson actions
        QAction* activate = nullptr;       // Lesson -> <title> -> "Show the <title> lesson"
        QList<QAction*> pendingToggles;    // stand-ins for the dock toggles until the lesson is built
        QByteArray defaultState;           // QMainWindow::saveState() of the default arrangement
        QByteArray state;                  // the arrangement the user made (restored on activation)
    };
    const std::vector<std::unique_ptr<LessonSlot>>& lessons() const { return m_lessons; }
    QStringList lessonNames() const;
    QString currentLesson() const;
    bool activateLesson(const QString& name);   // false: no such lesson
    Lesson* lesson(const QString& name) const;  // nullptr until built
    Lesson* buildLesson(const QString& name);   // builds without showing; nullptr: no such lesson
    // Runs the current lesson's --steps; false when the lesson has nothing to step.
    bool runSteps(int n);
    // Opens a model file or folder (any kind the model registry knows; `tokenizer`: a llama2.c tokenizer.bin
    // elsewhere) and hands it to the current lesson when it opens that family, else to the first lesson that
    // does (which is then shown). The file is read by the model loader's background job; this waits for it
    // with the window live. Returns "" on success, else the error (nothing changed). No dialogs.
    QString openModelFile(const QString& path, const QString& tokenizer = {});
    // Same, with a warning dialog naming the problem on failure.
    bool openModelInteractive(const QString& path, const QString& tokenizer = {});
    // What File -> Open model does after its dialog: starts reading in the background and returns at once;
    // the status bar shows the load (with Cancel), and a failure gets a dialog. The current model stays
    // until the new one is read.
    void startOpenModel(const QString& path, const QString& tokenizer = {});
    ModelLoader* modelLoader() const { return m_loader; }
    QList<QDockWidget*> docks() const;          // the docks built so far
    QAction* resetLayoutAction() const { return m_resetLayoutAct; }
    // The dock arrangement of the window now, and putting one back (sessions); false: not a layout of this arlab.
    QByteArray layoutState() const;
    bool restoreLayoutState(const QByteArray& state);
    QMenu* fileMenu() const { return m_fileMenu; }
    QMenu* viewMenu() const { return m_viewMenu; }

public slots:
    void resetLayout();          // the current lesson's default arrangement
    void openModel();            // File -> Open model...: file dialog, then a clear dialog on failure
    void about();

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    bool event(QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createStatusBar();
    void createDockWindows();    // one Lesson submenu and the dock toggles of every registered lesson
    Lesson* buildLesson(int index);
    int lessonIndex(const QString& name) const;
    void applyDefaultLayout(LessonSlot& lesson);
    bool fits() const;                          // the window's minimum within m_room
    void capDocks(bool capped);
    void readSettings();
    void writeSettings();
    void updateModelStatus();
    // Hands a read model to a lesson; its SHA-256s (the load job's) are remembered for sessions.
    QString adoptModel(const ModelLoader::Result& read);
    void reportOpenFailure(const QString& path, const QString& error);
    void updateLoadStatus();

    struct DockInfo {
        QDockWidget* dock;
        Qt::DockWidgetArea area;
        QSize preferred;
        int lesson;
        int rank;                     // position in the lesson's declared docks
        bool hiddenByDefault = false;
        QDockWidget* tabOf = nullptr;  // default arrangement: a tab of this dock's group
    };

    Options m_options;
    QSize m_room;                               // what fitDocks keeps the window within
    bool m_docksCapped = false;                 // the docks' minimums are capped (the views do not fit in m_room)
    std::vector<std::unique_ptr<LessonSlot>> m_lessons;
    std::vector<DockInfo> m_dockInfo;           // (lesson, declared) order = default arrangement order
    int m_building = -1;                        // lesson being built
    bool m_textModelTried = false;
    int m_current = -1;                         // active lesson

    GenerationController* m_generation = nullptr;
    SessionController* m_sessions = nullptr;

    QMenu* m_fileMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_lessonMenu = nullptr;
    QMenu* m_helpMenu = nullptr;
    QActionGroup* m_lessonGroup = nullptr;
    QAction* m_viewSeparator = nullptr;      // dock toggles go above it
    QAction* m_openAct = nullptr;
    QAction* m_quitAct = nullptr;
    QAction* m_resetLayoutAct = nullptr;
    QAction* m_fullScreenAct = nullptr;
    QAction* m_aboutAct = nullptr;
    QLabel* m_modelLabel = nullptr;
    ModelLoader* m_loader = nullptr;
    QWidget* m_loadStatus = nullptr;         // status bar while a model is read: what, a busy bar, Cancel
    QLabel* m_loadLabel = nullptr;
    QTimer* m_loadTimer = nullptr;
    QLabel* m_positionLabel = nullptr;
};

}  // namespace arlab
