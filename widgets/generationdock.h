#pragma once
// GenerationDock: the Generation dock of the Transformer lesson, as a view with plain setters. Prompt editor
// (a message under it names the words outside the vocabulary in red), Step / Play-Pause + speed / Back /
// Reset, the history branches, the sampler's quick controls (temperature, top-k, top-p, seed: they edit the
// one decoding-settings value, through samplingEdited), and the tokens as chips (widgets/tokenchipsview.h).
// It owns no model and no settings: setState() shows what the app's GenerationPresenter
// (app/gui/generationpresenter.h) reads from the GenerationController, and the signals say what the user asked.
#include "widgets/tokenchipsview.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QWidget>

#include <cstdint>

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

struct GenerationDockState {
    QString prompt;                      // shown unless the user is editing the prompt
    bool hasSession = false;             // false: the actions are off and the chips show `note`
    bool canStep = false, canBack = false, playing = false;
    QList<TokenChip> chips;              // BOS + prompt + generated
    int promptChips = 0;                 // chips before the first generated token
    QList<TokenAlternative> next;        // candidates for the next position (empty: none, or hidden)
    QString note;                        // after the chips, e.g. "(end of sequence)"
    QString info;                        // the line under the chips
    QList<QPair<QString, int>> branches; // the Branches list: label, history node (-1 for the header item)
    float temperature = 1.0f;            // the quick controls (parts of the one settings value)
    int topK = 0;
    float topP = 1.0f;
    uint64_t seed = 0;
};

class GenerationDock : public QWidget {
    Q_OBJECT
public:
    explicit GenerationDock(QWidget* parent = nullptr);

    void setState(const GenerationDockState& state);
    void setPromptMessage(const QString& message);   // "" hides it
    void setInfo(const QString& text);               // e.g. a refused setting
    void setPlaying(bool playing);                   // no playToggled emitted
    void setSpeed(int tokensPerSecond);              // no speedChanged emitted

    // Window-wide actions (MainWindow adds them so their shortcuts work everywhere):
    QAction* stepAction() const { return m_stepAct; }    // Space
    QAction* playAction() const { return m_playAct; }    // P (checkable)
    QAction* backAction() const { return m_backAct; }    // Backspace
    QAction* resetAction() const { return m_resetAct; }  // Ctrl+R
    QList<QAction*> actions() const { return {m_stepAct, m_playAct, m_backAct, m_resetAct}; }

    TokenChipsView* chips() const { return m_chips; }
    QLineEdit* promptEdit() const { return m_prompt; }
    QString promptMessage() const;   // the red "not in the vocabulary" text, or ""
    QDoubleSpinBox* temperatureBox() const { return m_temperature; }
    QSpinBox* topKBox() const { return m_topK; }
    QDoubleSpinBox* topPBox() const { return m_topP; }
    QSpinBox* seedBox() const { return m_seed; }
    QComboBox* branchBox() const { return m_branches; }
    QString infoText() const;
    // Selected generated step (-1: none, i.e. the latest) — the Next token dock follows it.
    int selectedStep() const { return m_selectedStep; }

signals:
    void stepRequested();
    void playToggled(bool playing);
    void backRequested();
    void resetRequested();
    void speedChanged(int tokensPerSecond);
    void promptEdited(const QString& text);    // every keystroke (the presenter checks it)
    void promptEntered(const QString& text);   // Enter: start again from it
    void branchChosen(int node);
    void alternativeChosen(int stepIndex, int tokenId);   // stepIndex = generated step (stepCount: the next position)
    void samplingEdited(float temperature, int topK, float topP, quint64 seed);
    void selectedStepChanged(int stepIndex);

public slots:
    // Selects generated step `stepIndex` as a click on its chip does (-1: none, i.e. the latest).
    void selectStep(int stepIndex);

private:
    void applySampling(QAbstractSpinBox* from);   // the boxes -> samplingEdited; `from` lets the keyboard go

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
    int m_stepCount = 0;
};

}  // namespace arlab
