#pragma once
// Flash attention, animated for one head on a real prompt: the T x T score matrix drawn as the grid it would be
// (and never is: only the current Bq x Bk tile exists at any moment), the tiles processed so far, the current
// tile, and for its query rows the running maximum m, the running sum l and whether earlier partial sums were
// rescaled because a new maximum appeared. Play / Step / the slider move through the tiles (core's real trace,
// core/nn/flashattention.h). A view: plain setters; the animation timer only changes the frame shown.
#include "core/nn/flashattention.h"

#include "widgets/exportable.h"

#include <QStringList>
#include <QWidget>

class QLabel;
class QPushButton;
class QSlider;
class QTimer;

namespace arlab {

struct FlashViewData {
    QStringList tokens;                    // T labels
    int blockQ = 0, blockK = 0;
    std::vector<ar::nn::FlashTile> tiles;  // in processing order
    qint64 flashBytes = 0, standardBytes = 0;  // the op's counted peak for this prompt, both kernels
    ar::Mat probabilities;                 // (T, T) p_ij = exp(s_ij - lse_i), rebuilt for display (shade of a done cell)
    QString title;                         // "layer 0, head 1"
};

class FlashGrid;

class FlashView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    explicit FlashView(QWidget* parent = nullptr);
    void setData(const FlashViewData& data);
    const FlashViewData& data() const { return m_data; }
    void setMessage(const QString& text);  // why nothing is shown (e.g. the model's positions are not learned)
    void setFrame(int tile);               // clamped; -1 = nothing processed yet
    int frame() const;
    int frameCount() const;
    void setPlaying(bool playing);
    bool isPlaying() const;
    QString rowText() const;               // the running statistics shown (for tests)
    // Per tile and query row: the running max before/after, the running sum after and whether it was rescaled.
    ExportTable exportTable() const override;

protected:
    void changeEvent(QEvent* event) override;

private:
    QString rowsHtml(int tile) const;
    void updateText();
    void fitRowTable();
    FlashViewData m_data;
    FlashGrid* m_grid;
    QLabel* m_rows;
    QLabel* m_memory;
    QPushButton* m_play;
    QPushButton* m_step;
    QSlider* m_slider;
    QTimer* m_timer;
};

}  // namespace arlab
