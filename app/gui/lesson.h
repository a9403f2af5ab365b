#pragma once
// A lesson = one teaching area of the app (transformer, decoding, translation, images): a set of docks plus
// the controllers behind them. MainWindow keeps one dock arrangement per lesson and shows only the docks of
// the active lesson (the others stay in the View menu and can be shown at any time).
//
// How to add a lesson (see also the comment block at the top of mainwindow.h):
//   1. Write app/gui/<name>lesson.cpp with a function in namespace arlab:
//          void setupImagesLesson(arlab::MainWindow& win)
//          {
//              auto* view = new PixelView;                       // a widget from widgets/
//              auto* ctl = new PixelController(view, &win);      // a thin QObject controller, parented to win
//              win.addDock(view, "pixelDock", QObject::tr("Pixels"), Qt::RightDockWidgetArea);
//              win.setStepHandler([ctl](int n) { ctl->step(n); });   // optional: what --steps N does
//          }
//   2. Add ONE line to registerLessons() in mainwindow.cpp:
//          ARLAB_LESSON(setupImagesLesson, "images", "Images");
// That is all: the dock gets its objectName, a toggle in View and in Lesson -> Images, a place in the saved
// layout, and `arlab --lesson images` raises it.
#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

class QAction;
class QDockWidget;
class QMenu;

namespace arlab {

class MainWindow;

using LessonSetup = void (*)(MainWindow&);

struct Lesson {
    QString name;                      // command-line name: "transformer"
    QString title;                     // shown in menus: "Transformer"
    LessonSetup setup = nullptr;       // creates the docks and controllers
    QList<QDockWidget*> docks;         // filled by MainWindow::addDock while setup runs
    std::function<void(int)> steps;    // --steps N (optional)
    QMenu* menu = nullptr;             // Lesson -> <title>: this lesson's dock toggles and extra actions
    QAction* activate = nullptr;       // Lesson -> <title> -> "Show this lesson"
    QByteArray defaultState;           // QMainWindow::saveState() of the default arrangement
    QByteArray state;                  // the arrangement the user made (restored on activation)
    bool usesTextModel = false;        // its setup asked for win.generation(): the status bar then shows the
                                       // text model and position (hidden for lessons that never use them)
};

}  // namespace arlab

// Used inside MainWindow::registerLessons(): declares the setup function and registers it, in one line.
#define ARLAB_LESSON(setupFunction, name, title)          \
    do {                                                  \
        void setupFunction(::arlab::MainWindow&);         \
        registerLesson(QStringLiteral(name), tr(title), &setupFunction); \
    } while (0)
