#pragma once
// Menu actions, made one way: the tip is the status-bar text while the action is hovered and also its tooltip
// (the same text, so the run-time language switch translates both alike); the menu shows the shortcut next to
// the text. tst_mainwindow checks that every menu action has its tip.
#include <QAction>
#include <QKeySequence>

namespace arlab {

// Gives `action` the tip as its status tip and its tooltip; returns the action.
QAction* setTip(QAction* action, const QString& tip);
// A new action owned by `parent`: its text, its tip (setTip) and its shortcut (none when empty).
QAction* makeAction(const QString& text, const QString& tip, QObject* parent, const QKeySequence& shortcut = {});

}  // namespace arlab
