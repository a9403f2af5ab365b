#pragma once
// TokenChipsView: the text as a row of chips, one per token (wrapping like text). Prompt chips are grey;
// generated chips are coloured by the probability the model gave them (red = unlikely ... green = likely) and
// show it under the token,
// forced chips get a dashed border. Hovering a chip shows its top alternatives; clicking a chip selects it
// and lists its alternatives as buttons below the chips; clicking an alternative emits alternativeClicked
// (the controller then rewinds to that position, forces the token, and the old continuation stays in the
// history as a branch). The last, dashed "?" chip is the next position: its alternatives are the next-token
// candidates. A view with plain setters: no model inside.
#include "widgets/exportable.h"
#include <QList>
#include <QString>
#include <QWidget>

class QLabel;
class QPushButton;

namespace arlab {

class FlowLayout;

struct TokenAlternative {
    int id = -1;
    QString text;
    double p = 0;         // probability under the model
    bool chosen = false;  // the token that was actually taken
};

struct TokenChip {
    QString text;
    double p = 1;         // probability the model gave it (generated chips)
    bool prompt = false;  // part of the prompt (incl. BOS)
    bool forced = false;  // chosen by the user
    QList<TokenAlternative> alternatives;  // top alternatives at this position (empty for the prompt)
};

class ChipCanvas;

class TokenChipsView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    ExportTable exportTable() const override;   // the numbers behind the view, for CSV (widgets/exporttables.cpp)
    explicit TokenChipsView(QWidget* parent = nullptr);

    // The chips; `next` = the candidates for the next position (empty: no next position, e.g. finished).
    void setChips(const QList<TokenChip>& chips, const QList<TokenAlternative>& next, const QString& endNote = {});
    const QList<TokenChip>& chips() const { return m_chips; }
    const QList<TokenAlternative>& nextAlternatives() const { return m_next; }
    // Selected chip (its alternatives are listed); -1 = the next position.
    int selectedChip() const { return m_selected; }
    void selectChip(int index);
    // Geometry of chip `index` in view coordinates (index == chips().size(): the "?" chip), for tests.
    QRect chipRect(int index) const;
    QList<QPushButton*> alternativeButtons() const { return m_buttons; }
    QString alternativesTitle() const;
    static QColor colorForProbability(double p);

protected:
    void changeEvent(QEvent* event) override;

signals:
    // The user chose token `tokenId` at chip `chipIndex` (-1: the next position).
    void alternativeClicked(int chipIndex, int tokenId);
    void chipSelected(int chipIndex);

private:
    void rebuildButtons();

    QList<TokenChip> m_chips;
    QList<TokenAlternative> m_next;
    QString m_endNote;
    int m_selected = -1;
    ChipCanvas* m_canvas;
    QLabel* m_altTitle;
    QWidget* m_altRow;
    FlowLayout* m_altLayout;
    QList<QPushButton*> m_buttons;
    friend class ChipCanvas;
};

}  // namespace arlab
