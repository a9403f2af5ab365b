#include "app/gui/classroom.h"

#include "app/gui/dockexport.h"
#include "app/gui/language.h"
#include "app/gui/mainwindow.h"
#include "app/gui/presentation.h"

#include <QAction>
#include <QMenu>

namespace arlab {

void addClassroomTools(MainWindow& window, QMenu* fileMenu, QMenu* viewMenu, bool persist) {
    auto* exporter = new DockExporter(&window);
    const QList<QAction*> fileActions = fileMenu->actions();
    QAction* last = fileActions.isEmpty() ? nullptr : fileActions.last();
    fileMenu->insertMenu(last, exporter->menu());
    if (last) fileMenu->insertSeparator(last);

    viewMenu->addSeparator();
    auto* presentation = new PresentationMode(&window, persist);
    presentation->addActions(viewMenu);
    Language::instance().addMenu(viewMenu);
}

}  // namespace arlab
