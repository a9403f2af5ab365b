#pragma once
// DockExporter: export of every dock (File -> Export dock, and right-click -> Export... / Copy image anywhere
// in a dock that has no context menu of its own). The dialog offers PNG at 1x, 2x (projectors) or 3x, SVG
// (vector) and CSV (the numbers behind the view, from its ExportableView; widgets/exportable.h). Every
// QDockWidget of the window gets this without registering: the exporter watches the window's context-menu
// events. CSV needs the dock's content (or a widget inside it) to implement ExportableView.
#include <QObject>
#include <QString>

class QDockWidget;
class QEvent;
class QMainWindow;
class QMenu;
class QPoint;

namespace arlab {

class DockExporter : public QObject {
    Q_OBJECT
public:
    explicit DockExporter(QMainWindow* window);

    QMenu* menu() const { return m_menu; }   // File -> Export dock: one entry per visible dock

    // The dock whose name (objectName, with or without its "Dock" suffix) or title matches `name`
    // (case-insensitive) among `window`'s docks, or nullptr.
    static QDockWidget* findDock(QMainWindow* window, const QString& name);

    // Writes `dock` to `path` (.png at `scale`, .svg or .csv); "" or the error message. No dialogs.
    static QString exportDock(QDockWidget* dock, const QString& path, double scale = 1);
    // The file dialog, then the export; a failure is shown in a message box.
    void exportInteractive(QDockWidget* dock);
    void copyImage(QDockWidget* dock);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void fillMenu();
    void showContextMenu(QDockWidget* dock, const QPoint& globalPos);

    QMainWindow* m_window;
    QMenu* m_menu;
};

}  // namespace arlab
