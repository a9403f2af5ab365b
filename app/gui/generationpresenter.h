#pragma once
// GenerationPresenter: connects the Generation dock (widgets/generationdock.h, a view) to the
// GenerationController. It reads the controller's session into the dock's state (chips with the model's top
// alternatives, the branches, the info line, the quick sampling controls from the one settings value), checks
// the prompt the user types against the model's vocabulary, and turns the dock's signals into controller calls
// (a quick-control edit changes those four fields of the one value, nothing else).
#include <QObject>
#include <QString>

namespace arlab {

class GenerationController;
class GenerationDock;

class GenerationPresenter : public QObject {
    Q_OBJECT
public:
    GenerationPresenter(GenerationDock* view, GenerationController* controller, QObject* parent = nullptr);

public slots:
    void refresh();   // re-reads the controller (the lesson calls it for each change notice)
    // The next position's candidates are not listed (the quiz is asking: they would give the answer away).
    void setNextHidden(bool hidden);

private:
    QString promptMessage(const QString& text) const;   // "" when every word is in the vocabulary

    GenerationDock* m_view;
    GenerationController* m_ctl;
    bool m_nextHidden = false;
};

}  // namespace arlab
