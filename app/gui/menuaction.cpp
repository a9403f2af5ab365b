#include "app/gui/menuaction.h"

namespace arlab {

QAction* setTip(QAction* action, const QString& tip) {
    action->setStatusTip(tip);
    action->setToolTip(tip);
    return action;
}

QAction* makeAction(const QString& text, const QString& tip, QObject* parent, const QKeySequence& shortcut) {
    auto* action = new QAction(text, parent);
    if (!shortcut.isEmpty()) action->setShortcut(shortcut);
    return setTip(action, tip);
}

}  // namespace arlab
