#pragma once
// A lesson = one teaching area of the app (transformer, decoding, images, translation, ...): a set of docks
// plus the controllers behind them. Each lesson is ONE class in its own folder, app/gui/lessons/<id>/, and is
// registered once, in its own .cpp, with everything the window needs before the lesson exists: id, title,
// shortcut, docks, the model families it opens, and a factory. MainWindow builds the Lesson menu, the View
// menu's dock toggles, `arlab --lesson` and `--help` from the registry, and constructs a lesson the first
// time it is shown (startup builds only the first one).
//
// The recipe ("Adding a lesson") is in the README; tests/tst_lessonregistry.cpp follows it with a fake lesson.
//
//   class PixelsLesson : public Lesson {
//   public:
//       explicit PixelsLesson(MainWindow& win) : Lesson(win) {
//           auto* view = new PixelPanel;                                      // widgets/: plain setters
//           m_ctl = new PixelController(view, this);                          // thin QObject, owned by the lesson
//           win.addDock(view, "pixelDock", Qt::LeftDockWidgetArea, QSize(860, 0));   // declared below
//       }
//       bool step(int n) override { m_ctl->stepPixels(n); return true; }         // --steps N (optional)
//       void openModel(const ar::OpenedModel& m, const QString& path) override;  // File -> Open model (optional)
//   private:
//       PixelController* m_ctl;
//   };
//   ARLAB_LESSON(PixelsLesson, {.id = "pixels",
//                               .title = QT_TRANSLATE_NOOP("arlab::Lesson", "Images"),
//                               .order = 30,
//                               .shortcut = "Ctrl+3",
//                               .docks = {{"pixelDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Pixels")}},
//                               .modelFamilies = {ar::ModelFamily::Image}});
#include "core/io/modelregistry.h"

#include <QKeySequence>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

namespace arlab {

class MainWindow;
class Lesson;

struct DockSpec {
    const char* objectName = "";   // stable: it keys the saved layout ("pixelDock")
    const char* title = "";        // QT_TRANSLATE_NOOP("arlab::Lesson", "Pixels"): the dock's title and toggle
};

struct LessonSpec {
    QString id;                                      // command-line name: "pixels"
    const char* title = "";                          // QT_TRANSLATE_NOOP("arlab::Lesson", "Images")
    int order = 0;                                   // position in the Lesson menu (ascending)
    const char* shortcut = "";                       // "Ctrl+3" (portable text; "" = none)
    std::vector<DockSpec> docks;                     // every dock the lesson creates, in this order
    std::vector<ar::ModelFamily> modelFamilies;      // File -> Open model of these families comes to this lesson
    bool usesTextModel = false;                      // shows the shared text model (status bar: model, position)
    const char* summary = "";                        // one line for --help (QT_TRANSLATE_NOOP, may be "")
    std::function<Lesson*(MainWindow&)> factory;     // builds the lesson (parented to the window)

    QString translatedTitle() const;
    QString dockTitle(const QString& objectName) const;  // "" when the dock is not declared
    bool opens(ar::ModelFamily family) const;
};

class Lesson : public QObject {
    Q_OBJECT
public:
    explicit Lesson(MainWindow& window);
    ~Lesson() override;
    // --steps N: takes N steps (tokens, pixels, beam rounds); false when the lesson has nothing to step.
    virtual bool step(int n);
    // File -> Open model for a family the spec lists. Throws ar::Error on failure and must then leave the
    // lesson's current model untouched. The default hands a text model to the shared GenerationController.
    virtual void openModel(const ar::OpenedModel& model, const QString& path);

protected:
    MainWindow& window() const { return m_window; }

private:
    MainWindow& m_window;
};

// Every registered lesson, in menu order. Registration happens at static-initialisation time (ARLAB_LESSON)
// or at run time (tests); a window reads the registry when it is constructed.
class LessonRegistry {
public:
    static bool add(LessonSpec spec);           // false (and a warning) when the id is taken or incomplete
    static bool remove(const QString& id);      // tests
    static std::vector<LessonSpec> all();       // sorted by order, then id
    static const LessonSpec* find(const QString& id);
    static QStringList ids();                   // in menu order
};

template <class L>
LessonSpec lessonSpec(LessonSpec spec) {
    spec.factory = [](MainWindow& w) -> Lesson* { return new L(w); };
    return spec;
}

}  // namespace arlab

// Registers lesson class `Class` with its LessonSpec (designated initialisers; `factory` is filled in). Put it
// at the end of the lesson's .cpp, inside namespace arlab, after the class.
#define ARLAB_LESSON(Class, ...)                                                                              \
    namespace {                                                                                               \
    [[maybe_unused]] const bool arlabLessonRegistered_##Class =                                               \
        ::arlab::LessonRegistry::add(::arlab::lessonSpec<Class>(::arlab::LessonSpec __VA_ARGS__));           \
    }
