#pragma once
// MadeConnectivityView: a MADE drawn as a network. Bottom row = inputs, then the hidden layers, top row =
// outputs; every node shows its connectivity number m (inputs and outputs: their position in the ordering).
// An edge is drawn where the mask is 1. Clicking a node highlights everything it may see (all the nodes below
// with a masked path to it): for output d these are exactly the inputs that come before d in the ordering.
//
// MadePanel: the MADE dock = that picture (of a small MADE with the same rules: 784 inputs would be 470,000
// edges), ordering / resample controls, and samples of the pretrained 784-input MADE with the current masks.
#include "widgets/exportable.h"
#include "core/tensor.h"

#include <QVector>
#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QPushButton;

namespace arlab {

class PixelGridView;

struct MadeNetwork {
    std::vector<std::vector<int>> numbers;  // [0] inputs (ordering position), [1..L] hidden, [L+1] outputs
    std::vector<ar::Mat> masks;             // masks[i]: (size of layer i+1, size of layer i) in {0,1}
};

class MadeConnectivityView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    ExportTable exportTable() const override;   // the numbers behind the view, for CSV (widgets/exporttables.cpp)
    explicit MadeConnectivityView(QWidget* parent = nullptr);
    void setNetwork(const MadeNetwork& net);
    void setSelection(int layer, int index);  // -1: none
    // Nodes highlighted for the selection: per layer, true where the selected node may see that node.
    const std::vector<std::vector<bool>>& highlighted() const { return m_seen; }
    QPointF nodePos(int layer, int index) const;
    QSize sizeHint() const override { return {620, 360}; }

signals:
    void nodeSelected(int layer, int index);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* e) override;

private:
    void computeSeen();
    MadeNetwork m_net;
    int m_selLayer = -1, m_selIndex = -1;
    std::vector<std::vector<bool>> m_seen;
};

class MadePanel : public QWidget {
    Q_OBJECT
public:
    explicit MadePanel(QWidget* parent = nullptr);
    MadeConnectivityView* connectivity() const { return m_view; }
    void setSamples(const std::vector<QVector<float>>& images, int height, int width);
    void setMaskInfo(const QString& text);
    void setNote(const QString& text);
    bool naturalOrder() const;
    int sampleCount() const { return int(m_samples.size()); }
    PixelGridView* sample(int i) const { return m_samples[size_t(i)]; }
    QSize sizeHint() const override { return {640, 700}; }

signals:
    void orderChanged(bool natural);
    void resampleRequested();
    void newSamplesRequested();

private:
    MadeConnectivityView* m_view;
    QComboBox* m_order;
    QPushButton *m_resample, *m_newSamples;
    QLabel *m_maskInfo, *m_note, *m_help;
    std::vector<PixelGridView*> m_samples;
};

}  // namespace arlab
