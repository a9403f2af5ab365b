#pragma once
// The classroom tools of the main window, added in one call from MainWindow's constructor:
//   File -> Export dock, and right-click -> Export... / Copy image on every dock   (app/gui/dockexport.h)
//   View -> Presentation mode (F5), Zoom (Ctrl+= / Ctrl+- / Ctrl+0)              (app/gui/presentation.h)
//   View -> Language                                                              (app/gui/language.h)
class QMenu;

namespace arlab {

class MainWindow;

// `fileMenu` gets Export dock above its last entry (Quit); `viewMenu` the presentation, zoom and language
// entries. `persist`: remember the presentation mode and zoom (QSettings); false for screenshots and tests.
void addClassroomTools(MainWindow& window, QMenu* fileMenu, QMenu* viewMenu, bool persist);

}  // namespace arlab
