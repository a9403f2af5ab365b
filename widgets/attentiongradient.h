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

}  // namespace arlab
