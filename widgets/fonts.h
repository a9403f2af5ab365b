#pragma once
// Text sizes relative to a font: a view sizes its labels as a multiple of its own font, so presentation mode
// (which enlarges the window's font) enlarges them all.
#include <QFont>

#include <algorithm>

namespace arlab {

// `base` at `factor` times its point size; with `minPointSize`, never smaller than that.
inline QFont scaledFont(QFont base, double factor, double minPointSize = 0) {
    const double size = base.pointSizeF() * factor;
    base.setPointSizeF(minPointSize > 0 ? std::max(minPointSize, size) : size);
    return base;
}

}  // namespace arlab
