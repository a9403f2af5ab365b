// The lesson registry (app/gui/lesson.h) and the Lesson base class.
#include "app/gui/generationcontroller.h"
#include "app/gui/lesson.h"
#include "app/gui/mainwindow.h"
#include "core/error.h"

#include <QCoreApplication>
#include <QDebug>

#include <algorithm>

namespace arlab {

namespace {
std::vector<LessonSpec>& registry() {
    static std::vector<LessonSpec> lessons;
    return lessons;
}
}  // namespace

QString LessonSpec::translatedTitle() const { return QCoreApplication::translate("arlab::Lesson", title); }

QString LessonSpec::dockTitle(const QString& objectName) const {
    for (const DockSpec& d : docks)
        if (objectName == QLatin1String(d.objectName)) return QCoreApplication::translate("arlab::Lesson", d.title);
    return {};
}

bool LessonSpec::opens(ar::ModelFamily family) const {
    return std::find(modelFamilies.begin(), modelFamilies.end(), family) != modelFamilies.end();
}

bool LessonRegistry::add(LessonSpec spec) {
    if (spec.id.isEmpty() || !spec.factory || !spec.title || !*spec.title) {
        qWarning("arlab: a lesson needs an id, a title and a factory (id '%s')", qPrintable(spec.id));
        return false;
    }
    if (find(spec.id)) {
        qWarning("arlab: lesson id '%s' is registered twice", qPrintable(spec.id));
        return false;
    }
    registry().push_back(std::move(spec));
    return true;
}

bool LessonRegistry::remove(const QString& id) {
    auto& r = registry();
    const auto it = std::find_if(r.begin(), r.end(), [&id](const LessonSpec& s) { return s.id == id; });
    if (it == r.end()) return false;
    r.erase(it);
    return true;
}

std::vector<LessonSpec> LessonRegistry::all() {
    std::vector<LessonSpec> out = registry();
    std::stable_sort(out.begin(), out.end(), [](const LessonSpec& a, const LessonSpec& b) {
        return a.order != b.order ? a.order < b.order : a.id < b.id;
    });
    return out;
}

const LessonSpec* LessonRegistry::find(const QString& id) {
    for (const LessonSpec& s : registry())
        if (s.id == id) return &s;
    return nullptr;
}

QStringList LessonRegistry::ids() {
    QStringList out;
    for (const LessonSpec& s : all()) out << s.id;
    return out;
}

// --- Lesson ------------------------------------------------------------------------------------------------------

Lesson::Lesson(MainWindow& window) : QObject(&window), m_window(window) {}

Lesson::~Lesson() = default;

bool Lesson::step(int n) {
    (void)n;
    return false;
}

void Lesson::openModel(const ar::OpenedModel& model, const QString& path) {
    if (!model.text) throw ar::Error("this lesson does not open " + ar::familyName(model.family) + " models");
    m_window.generation()->setModel(model.text, path);
}

}  // namespace arlab
