#pragma once
// MainWindow: the application frame (built like Qt's dockwidgets example: createActions(), createMenus(),
// createStatusBar(), createDockWindows()). Everything a lesson shows lives in a QDockWidget.
//
// ============================================================================================================
// HOW TO ADD A DOCK OR A LESSON (for every engineer; you never need to touch the rest of this class)
//
//   A lesson is a function `void setupXxxLesson(arlab::MainWindow& win)` in app/gui/xxxlesson.cpp that
//   creates its widgets and controllers and hands each widget to win.addDock(...):
//
//       void setupImagesLesson(arlab::MainWindow& win) {
//           auto* view = new PixelView;                                  // widgets/: plain setters
//           auto* ctl = new PixelController(view, &win);                 // app/gui/: thin QObject
//           win.addDock(view, "pixelDock", QObject::tr("Pixels"), Qt::RightDockWidgetArea, QSize(500, 0));
//           win.setStepHandler([ctl](int n) { ctl->stepPixels(n); });     // optional: --steps N
//           win.addModelHandler({"pixelcnn", "made"}, [ctl](const ar::SafeTensors& f, const QString& path) {
//               ctl->load(f, path);                                       // optional: File -> Open model
//           });                                                          // (throw ar::Error on failure)
//       }
//
//   and registers it with ONE line in MainWindow::registerLessons() (mainwindow.cpp):
//
//       ARLAB_LESSON(setupImagesLesson, "images", "Images");
//
//   addDock() sets the objectName (used by saveState: keep it stable), puts the dock's toggle in the View menu
//   and in Lesson -> <title>, records its default area/size for View -> Reset layout, and hides it while
//   another lesson is active. `arlab --lesson images` (and Lesson -> Images, Ctrl+1..9) shows that lesson's
//   docks in the arrangement the user left them in. To add a dock to an EXISTING lesson (e.g. the decoding
//   docks into the transformer lesson), call win.addDock(...) from that lesson's setup function, or from a
//   function it calls (e.g. setupDecodingDocks(win) called at the end of setupTransformerLesson).
//
//   Shared text-model state: win.generation() is the GenerationController (the current language model, the
//   prompt, the DecodingSession, the sampler settings). Docks that show or change decoding (sampling panel,
//   beam tree, compare) connect to its signals and call its slots; they never keep their own copy.
//   Messages: win.showMessage("..."). Shortcuts: Space/Backspace/Ctrl+R are owned by the generation dock.
// ============================================================================================================
#include "app/gui/lesson.h"

#include <QMainWindow>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

class QLabel;
class QActionGroup;

namespace ar {
struct SafeTensors;
}

namespace arlab {

class GenerationController;

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

    // --- for lessons ------------------------------------------------------------------------------------
    // Wraps `content` in a QDockWidget named `objectName` (stable: it keys the saved layout). `preferred`
    // = the default (width, height) in pixels for View -> Reset layout; 0 = the widget's size hint (width for
    // left/right docks, height for top/bottom docks). Docks added to the same area stack vertically
    // (left/right) or side by side (top/bottom), in the order they were added.
    QDockWidget* addDock(QWidget* content, const QString& objectName, const QString& title,
                         Qt::DockWidgetArea area, QSize preferred = {});
    // Same for a dock you built yourself (its objectName must be set and unique).
    QDockWidget* addDock(QDockWidget* dock, Qt::DockWidgetArea area, QSize preferred = {});
    // Keeps a dock of the lesson being set up hidden in the default arrangement (its toggle in View and in
    // Lesson -> <title> shows it): for optional docks that should not change the lesson's first look.
    void setHiddenByDefault(QDockWidget* dock);
    // What --steps N does for the lesson being set up.
    void setStepHandler(std::function<void(int)> handler);
    // File -> Open model for files whose "arlab.kind" is one of `kinds`. The handler throws ar::Error on
    // failure and must leave the current model untouched then. Kinds nobody claims go to the text model.
    using ModelHandler = std::function<void(const ar::SafeTensors& file, const QString& path)>;
    void addModelHandler(const QStringList& kinds, ModelHandler handler);
    // Lesson -> <title> menu of the lesson being set up (add lesson-specific actions here).
    QMenu* lessonMenu() const;
    GenerationController* generation() const;   // (marks the lesson being set up as a text-model lesson)
    void showMessage(const QString& text, int timeoutMs = 5000);

    // --- for main.cpp and tests -------------------------------------------------------------------------
    const std::vector<std::unique_ptr<Lesson>>& lessons() const { return m_lessons; }
    QStringList lessonNames() const;
    QString currentLesson() const;
    bool activateLesson(const QString& name);   // false: no such lesson
    // Runs the current lesson's --steps handler; false when the lesson has none.
    bool runSteps(int n);
    // Opens a model file; returns "" on success, else the error (nothing changed). No dialogs.
    QString openModelFile(const QString& path);
    // Same, with a warning dialog naming the problem on failure (what File -> Open model does).
    bool openModelInteractive(const QString& path);
    QList<QDockWidget*> docks() const;
    QAction* resetLayoutAction() const { return m_resetLayoutAct; }
    QMenu* viewMenu() const { return m_viewMenu; }

public slots:
    void resetLayout();          // the current lesson's default arrangement
    void openModel();            // File -> Open model...: file dialog, then a clear dialog on failure
    void about();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createStatusBar();
    void createDockWindows();    // = registerLessons()
    void registerLessons();
    void registerLesson(const QString& name, const QString& title, LessonSetup setup);
    void applyDefaultLayout(Lesson& lesson);
    void readSettings();
    void writeSettings();
    void updateModelStatus();
    Lesson* findLesson(const QString& name) const;

    struct DockInfo {
        QDockWidget* dock;
        Qt::DockWidgetArea area;
        QSize preferred;
        int lesson;
        bool hiddenByDefault = false;
    };

    Options m_options;
    std::vector<std::unique_ptr<Lesson>> m_lessons;
    std::vector<DockInfo> m_dockInfo;           // registration order = default arrangement order
    std::vector<std::pair<QStringList, ModelHandler>> m_modelHandlers;
    int m_setupLesson = -1;                     // lesson whose setup is running
    int m_current = -1;                         // active lesson

    GenerationController* m_generation = nullptr;

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
    QLabel* m_positionLabel = nullptr;
};

}  // namespace arlab
