#include "app/gui/changes.h"

#include <QDockWidget>

namespace arlab {

DockUpdater::DockUpdater(QDockWidget* dock, Changes interest, std::function<void(Changes)> update)
    : QObject(dock), m_dock(dock), m_interest(interest), m_update(std::move(update)) {
    setObjectName(dock->objectName() + QStringLiteral("Updater"));
    connect(dock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible) flush();
    });
}

void DockUpdater::notify(Changes changes) {
    changes &= m_interest;
    if (!changes) return;
    m_pending |= changes;
    if (!m_dock->isHidden()) flush();
}

void DockUpdater::flush() {
    if (!m_pending) return;
    const Changes c = m_pending;
    m_pending = {};
    ++m_runs;
    m_update(c);
}

}  // namespace arlab
