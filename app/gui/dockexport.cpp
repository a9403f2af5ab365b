#include "app/gui/dockexport.h"

#include "app/gui/mainwindow.h"
#include "app/gui/menuaction.h"
#include "widgets/viewexport.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

namespace arlab {

namespace {
// One file-dialog filter per choice; the chosen filter decides the format and the PNG scale.
struct ExportChoice {
    const char* filter;   // translated through tr() in filters()
    const char* suffix;
    double scale;
};
constexpr ExportChoice kChoices[] = {
    {QT_TRANSLATE_NOOP("arlab::DockExporter", "PNG image, 2\u00d7 for projectors (*.png)"), "png", 2},
    {QT_TRANSLATE_NOOP("arlab::DockExporter", "PNG image, 1\u00d7 (*.png)"), "png", 1},
    {QT_TRANSLATE_NOOP("arlab::DockExporter", "PNG image, 3\u00d7 (*.png)"), "png", 3},
    {QT_TRANSLATE_NOOP("arlab::DockExporter", "SVG vector image (*.svg)"), "svg", 1},
    {QT_TRANSLATE_NOOP("arlab::DockExporter", "CSV numbers behind the view (*.csv)"), "csv", 1},
};

QString fileStem(const QDockWidget* dock) {
    QString stem = dock->objectName();
    if (stem.endsWith(QLatin1String("Dock"))) stem.chop(4);
    return stem.isEmpty() ? QStringLiteral("view") : stem;
}
}  // namespace

DockExporter::DockExporter(QMainWindow* window) : QObject(window), m_window(window) {
    m_menu = new QMenu(tr("&Export dock"), window);
    m_menu->setToolTipsVisible(true);
    connect(m_menu, &QMenu::aboutToShow, this, &DockExporter::fillMenu);
    window->installEventFilter(this);
}

// A right-click that no widget inside a dock handled reaches the main window; if it happened inside a dock
// (content or title bar), that dock's export menu answers it.
bool DockExporter::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_window && event->type() == QEvent::ContextMenu) {
        const QPoint global = static_cast<QContextMenuEvent*>(event)->globalPos();
        for (QWidget* w = QApplication::widgetAt(global); w && w != m_window; w = w->parentWidget())
            if (auto* dock = qobject_cast<QDockWidget*>(w)) {
                showContextMenu(dock, global);
                return true;
            }
    }
    return QObject::eventFilter(watched, event);
}

QDockWidget* DockExporter::findDock(QMainWindow* window, const QString& name) {
    const QString want = name.trimmed();
    for (QDockWidget* dock : window->findChildren<QDockWidget*>()) {
        QString stem = dock->objectName();
        if (stem.endsWith(QLatin1String("Dock"))) stem.chop(4);
        if (!want.compare(dock->objectName(), Qt::CaseInsensitive) || !want.compare(stem, Qt::CaseInsensitive) ||
            !want.compare(dock->windowTitle(), Qt::CaseInsensitive))
            return dock;
    }
    return nullptr;
}

void DockExporter::fillMenu() {
    m_menu->clear();
    for (QDockWidget* dock : m_window->findChildren<QDockWidget*>()) {
        if (!dock->isVisible() || !dock->widget()) continue;
        QAction* a = setTip(m_menu->addAction(tr("%1…").arg(dock->windowTitle())), tr("Save this dock as PNG, SVG or CSV"));
        connect(a, &QAction::triggered, this, [this, dock] { exportInteractive(dock); });
    }
    if (m_menu->isEmpty()) m_menu->addAction(tr("(no dock is visible)"))->setEnabled(false);
}

void DockExporter::showContextMenu(QDockWidget* dock, const QPoint& globalPos) {
    QMenu menu(dock);
    menu.addAction(tr("Export “%1”…").arg(dock->windowTitle()), this, [this, dock] { exportInteractive(dock); });
    menu.addAction(tr("Copy image"), this, [this, dock] { copyImage(dock); });
    if (QMenu* docks = m_window->createPopupMenu()) {   // what a right-click on a title bar showed before
        menu.addSeparator();
        for (QAction* a : docks->actions()) menu.addAction(a);
        docks->setParent(&menu);
    }
    menu.exec(globalPos);
}

QString DockExporter::exportDock(QDockWidget* dock, const QString& path, double scale) {
    QWidget* view = MainWindow::dockView(dock);
    if (!view) return tr("the dock '%1' is empty").arg(dock->windowTitle());
    return exportView(view, path, dock->windowTitle(), scale);
}

void DockExporter::exportInteractive(QDockWidget* dock) {
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("export/dir"), QDir::homePath()).toString();
    const int last = std::clamp(settings.value(QStringLiteral("export/choice"), 0).toInt(), 0, int(std::size(kChoices)) - 1);
    QStringList filters;
    for (const ExportChoice& c : kChoices) filters << tr(c.filter);
    QString selected = filters[last];
    QString path = QFileDialog::getSaveFileName(m_window, tr("Export “%1”").arg(dock->windowTitle()),
                                                QDir(dir).filePath(fileStem(dock) + QLatin1Char('.') + kChoices[last].suffix),
                                                filters.join(QStringLiteral(";;")), &selected);
    if (path.isEmpty()) return;
    const int choice = std::max(0, int(filters.indexOf(selected)));
    if (QFileInfo(path).suffix().isEmpty()) path += QLatin1Char('.') + QLatin1String(kChoices[choice].suffix);
    ExportFormat format;
    const double scale = exportFormatFor(path, &format) && format == ExportFormat::Png ? kChoices[choice].scale : 1;
    settings.setValue(QStringLiteral("export/dir"), QFileInfo(path).absolutePath());
    settings.setValue(QStringLiteral("export/choice"), choice);
    const QString error = exportDock(dock, path, scale);
    if (!error.isEmpty()) {
        QMessageBox::warning(m_window, tr("Export failed"), tr("The dock could not be exported: %1").arg(error));
        return;
    }
    m_window->statusBar()->showMessage(tr("Exported “%1” to %2").arg(dock->windowTitle(), path), 5000);
}

void DockExporter::copyImage(QDockWidget* dock) {
    if (!MainWindow::dockView(dock)) return;
    copyViewImage(MainWindow::dockView(dock), 2);
    m_window->statusBar()->showMessage(tr("Copied “%1” to the clipboard (2× resolution)").arg(dock->windowTitle()), 5000);
}

}  // namespace arlab
