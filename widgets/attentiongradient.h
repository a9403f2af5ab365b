#pragma once
// The colour scale of every attention heatmap (self-attention and cross-attention): white at 0, dark blue
// at 1, always over the fixed range [0, 1]. NaN cells are transparent, so a masked (future) cell shows the
// plot's background pattern instead of looking like a zero.
#include <qcustomplot.h>

namespace arlab {

inline QCPColorGradient attentionGradient() {
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.0, QColor(255, 255, 255));
    g.setColorStopAt(0.25, QColor(190, 215, 240));
    g.setColorStopAt(0.6, QColor(60, 120, 200));
    g.setColorStopAt(1.0, QColor(10, 30, 110));
    g.setNanHandling(QCPColorGradient::nhTransparent);
    return g;
}

// The colour bar beside a heatmap: that scale over [0, 1], `label` (translated by the caller), fixed (no drag or
// zoom). The caller adds it to the plot's layout.
inline QCPColorScale* newAttentionScale(QCustomPlot* plot, const QString& label) {
    auto* scale = new QCPColorScale(plot);
    scale->setType(QCPAxis::atRight);
    scale->setDataRange(QCPRange(0, 1));
    scale->setGradient(attentionGradient());
    scale->setLabel(label);
    scale->setBarWidth(12);
    scale->setRangeDrag(false);
    scale->setRangeZoom(false);
    return scale;
}

}  // namespace arlab
