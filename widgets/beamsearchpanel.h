#pragma once
// BeamSearchPanel: the beam search dock's content. A view with plain setters: it draws what it is given
// and emits requests; the controller (app/gui/beamcontroller) drives the search.
//
//   [width K] [max len L] [alpha A]  [Step round] [Run to end] [Reset]   status
//   +--------------------------------------------+------------------------------+
//   | BeamTreeView                                | selected node: its prefix,   |
//   |                                             | its candidates and scores    |
//   +--------------------------------------------+------------------------------+
//   n-best list
#include "core/decoding/beamsearch.h"

#include <QString>
#include <QWidget>
#include <vector>

class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTextBrowser;

namespace arlab {

class BeamTreeView;

class BeamSearchPanel : public QWidget {
    Q_OBJECT
public:
    explicit BeamSearchPanel(QWidget* parent = nullptr);

    // The tree, how tokens are shown, the prompt (root label), the n-best list, done or not.
    void setSearch(const ar::BeamTree& tree, const std::vector<QString>& vocab, const QString& prompt,
                   const std::vector<ar::Hypothesis>& nbest, bool done, const QString& status);
    void setSettings(const ar::BeamSettings& s);   // no settingsChanged emitted
    ar::BeamSettings settings() const;
    void setBusy(bool busy);                         // disables the buttons while a round runs
    void setMessage(const QString& text);            // e.g. "no model", "prompt has unknown words"

    BeamTreeView* treeView() const { return m_view; }
    QPushButton* stepButton() const { return m_step; }
    QPushButton* runButton() const { return m_run; }
    QPushButton* resetButton() const { return m_reset; }
    QTableWidget* candidateTable() const { return m_candidates; }
    QString prefixText() const;                      // the selected node's prefix as shown
    QSize sizeHint() const override { return {900, 520}; }
    // Its wrapping controls make it a height-for-width widget: the dock's scroll area then makes it that tall, so
    // the height is the least it needs at that width (not the tree's scene height, which hid the n-best list below).
    int heightForWidth(int width) const override;

signals:
    void stepRequested();
    void runRequested();
    void resetRequested();
    void settingsChanged(const ar::BeamSettings& settings);

private:
    void showNode(int node);

    BeamTreeView* m_view;
    QSpinBox* m_width;
    QSpinBox* m_maxLen;
    QDoubleSpinBox* m_alpha;
    QPushButton* m_step;
    QPushButton* m_run;
    QPushButton* m_reset;
    QLabel* m_status;
    QLabel* m_prefix;
    QTableWidget* m_candidates;
    QTextBrowser* m_nbest;
    std::vector<QString> m_vocab;
    QString m_prompt;
    bool m_done = false;
    bool m_busy = false;
};

}  // namespace arlab
