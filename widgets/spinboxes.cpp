#include "widgets/spinboxes.h"

namespace arlab {

QSpinBox* makeSpinBox(int lo, int hi, int value, const QString& toolTip, QWidget* parent) {
    auto* b = new QSpinBox(parent);
    b->setRange(lo, hi);
    b->setValue(value);
    b->setToolTip(toolTip);
    return b;
}

QDoubleSpinBox* makeDoubleSpinBox(double lo, double hi, double value, double step, int decimals,
                                  const QString& toolTip, QWidget* parent) {
    auto* b = new QDoubleSpinBox(parent);
    b->setDecimals(decimals);
    b->setRange(lo, hi);
    b->setSingleStep(step);
    b->setValue(value);
    b->setToolTip(toolTip);
    return b;
}

}  // namespace arlab
