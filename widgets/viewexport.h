#pragma once
// Export of any view (a dock's content widget) as a picture or as numbers:
//   PNG  at 1x, 2x or 3x (for projectors): the widget tree painted with a scaled painter, so text and lines are
//        drawn at the higher resolution, not enlarged;
//   SVG  (QSvgGenerator): widgets paint themselves as vectors; QCustomPlot plots are drawn through
//        QCustomPlot::toPainter (axes, bars, lines as vectors; a colour map stays an embedded image);
//   CSV  the numbers behind the view, from the first ExportableView in the widget tree (widgets/exportable.h).
// Files are written through QSaveFile: an existing file is replaced whole or not at all.
#include "widgets/exportable.h"

#include <QByteArray>
#include <QImage>
#include <QString>

class QWidget;

namespace arlab {

enum class ExportFormat { Png, Svg, Csv };

// The format a file name asks for by its suffix (case-insensitive); false for anything else.
bool exportFormatFor(const QString& path, ExportFormat* format);
// The view's image: view->size() * scale pixels (scale 1..4), painted at that resolution.
QImage renderViewImage(QWidget* view, qreal scale);
// The view as an SVG document (size = view->size(), title in <title>).
QByteArray renderViewSvg(QWidget* view, const QString& title);
// The first ExportableView in the tree (the view itself first), or nullptr.
const ExportableView* findExportable(const QWidget* view);
// Writes the view to `path` in the format of its suffix. Returns "" on success, else a message that names
// the problem (unknown suffix, a view without numbers for CSV, a file that cannot be written).
QString exportView(QWidget* view, const QString& path, const QString& title, qreal scale = 1);
// Copies the view's image (at `scale`) to the clipboard.
void copyViewImage(QWidget* view, qreal scale = 2);

}  // namespace arlab
