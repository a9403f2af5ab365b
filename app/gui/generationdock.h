#pragma once
// The Generation dock of the Transformer lesson: prompt editor (unknown words are named in red, never
// dropped), Step / Play-Pause + speed / Back / Reset, the history branches, the sampler's temperature, top-k,
// top-p and seed (they apply from the next step; the Next token dock shows each stage), and the tokens as chips
// (widgets/tokenchipsview.h). Reads GenerationController; owns no model.
#include <QWidget>

class QAction;
class QComboBox;
class QAbstractSpinBox;
class QDoubleSpinBox;
class QSpinBox;
class QLabel;
class QLineEdit;
class QSlider;
class QToolButton;

namespace arlab {

class GenerationController;
class TokenChipsView;

class GenerationDock : public QWidget {
    Q_OBJECT
public:
    GenerationDock(GenerationController* controller, QWidget* parent = nullptr);

    // Window-wide actions (MainWindow adds them so their shortcuts work everywhere):
    QAction* stepAction() const { return m_stepAct; }    // Space
    QAction* playAction() const { return m_playAct; }    // P (checkable)
    QAction* backAction() const { return m_backAct; }    // Backspace
    QAction* resetAction() const { return m_resetAct; }  // Ctrl+R
    QList<QAction*> actions() const { return {m_stepAct, m_playAct, m_backAct, m_resetAct}; }

    TokenChipsView* chips() const { return m_chips; }
    QLineEdit* promptEdit() const { return m_prompt; }
    QString promptMessage() const;
    QDoubleSpinBox* temperatureBox() const { return m_temperature; }
    QSpinBox* topKBox() const { return m_topK; }
    QDoubleSpinBox* topPBox() const { return m_topP; }
    QSpinBox* seedBox() const { return m_seed; }   // the red "not in the vocabulary" text, or ""
    // Selected generated step (-1: none, i.e. the latest) — the Next token dock follows it.
    int selectedStep() const { return m_selectedStep; }

signals:
    void selectedStepChanged(int stepIndex);

public slots:
    // Selects generated step `stepIndex` as a click on its chip does (-1: none, i.e. the latest).
    void selectStep(int stepIndex);
    void refresh();   // re-reads the controller (the lesson calls it for each change notice)
    // The next position's candidates are not listed (the quiz is asking: they would give the answer away).
    void setNextHidden(bool hidden);

private:
    void checkPrompt(const QString& text);
    void onAlternative(int chipIndex, int tokenId);
    void applySampling(QAbstractSpinBox* from);   // the sampler boxes -> the controller; `from` lets the keyboard go

    GenerationController* m_ctl;
    QLineEdit* m_prompt;
    QLabel* m_promptMsg;
    QToolButton* m_stepBtn;
    QToolButton* m_playBtn;
    QToolButton* m_backBtn;
    QToolButton* m_resetBtn;
    QSlider* m_speed;
    QLabel* m_speedLabel;
    QComboBox* m_branches;
    QDoubleSpinBox* m_temperature;
    QSpinBox* m_topK;
    QDoubleSpinBox* m_topP;
    QSpinBox* m_seed;
    QLabel* m_info;
    TokenChipsView* m_chips;
    QAction* m_stepAct;
    QAction* m_playAct;
    QAction* m_backAct;
    QAction* m_resetAct;
    int m_selectedStep = -1;
    int m_promptChips = 0;  // chips before the first generated token (BOS + prompt)
    bool m_nextHidden = false;
};

}  // namespace arlab
