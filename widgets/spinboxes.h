#pragma once
// The spin boxes the panels build, set up one way: a range, a start value and a tooltip; a QDoubleSpinBox also
// its step and decimals (the decimals first, so the range and the value keep theirs). Anything else a box needs
// (objectName, prefix, suffix, keyboard tracking) the caller adds.
#include <QDoubleSpinBox>
#include <QSpinBox>
#include <QString>

namespace arlab {

QSpinBox* makeSpinBox(int lo, int hi, int value, const QString& toolTip, QWidget* parent = nullptr);
QDoubleSpinBox* makeDoubleSpinBox(double lo, double hi, double value, double step, int decimals,
                                  const QString& toolTip, QWidget* parent = nullptr);

}  // namespace arlab
