#pragma once
// The classroom tools of the main window, added in one call from MainWindow's constructor:
//   File -> Export dock, and right-click -> Export... / Copy image on every dock   (app/gui/dockexport.h)
class QMenu;

namespace arlab {

class MainWindow;

// `fileMenu` gets Export dock above its last entry (Quit); `viewMenu` the view entries. `persist`: remember
// settings (QSettings); false for screenshots and tests.
void addClassroomTools(MainWindow& window, QMenu* fileMenu, QMenu* viewMenu, bool persist);

}  // namespace arlab
