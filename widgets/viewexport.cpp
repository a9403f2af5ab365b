#include "widgets/viewexport.h"

#include <QApplication>
#include <QBuffer>
#include <QClipboard>
#include <QFileInfo>
#include <QImageWriter>
#include <QLocale>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QWidget>
#include <qcustomplot.h>

#include <cmath>

namespace arlab {

QString ExportTable::number(double v) {
    if (std::isnan(v)) return QStringLiteral("nan");
    if (std::isinf(v)) return v > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return QString::number(v, 'g', QLocale::FloatingPointShortest);   // reads back as exactly v
}

static QString csvCell(const QString& cell) {
    const bool quote = cell.contains(QLatin1Char(',')) || cell.contains(QLatin1Char('"')) ||
                       cell.contains(QLatin1Char('\n')) || cell.contains(QLatin1Char('\r')) ||
                       (!cell.isEmpty() && (cell.front().isSpace() || cell.back().isSpace()));
    if (!quote) return cell;
    QString escaped = cell;
    escaped.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

QString ExportTable::toCsv() const {
    QString out;
    auto line = [&out](const QStringList& cells) {
        for (int i = 0; i < cells.size(); ++i) out += (i ? QStringLiteral(",") : QString()) + csvCell(cells[i]);
        out += QLatin1Char('\n');
    };
    line(header);
    for (const QStringList& r : rows) line(r);
    return out;
}

QList<QStringList> ExportTable::parseCsv(const QString& text) {
    QList<QStringList> out;
    QStringList row;
    QString cell;
    bool quoted = false, any = false;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                cell += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
            any = true;
        } else if (c == QLatin1Char(',')) {
            row << cell;
            cell.clear();
            any = true;
        } else if (c == QLatin1Char('\n')) {
            row << cell;
            out << row;
            row.clear();
            cell.clear();
            any = false;
        } else if (c != QLatin1Char('\r')) {
            cell += c;
            any = true;
        }
    }
    if (any || !cell.isEmpty()) out << (row << cell);
    return out;
}

bool exportFormatFor(const QString& path, ExportFormat* format) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png")) *format = ExportFormat::Png;
    else if (suffix == QLatin1String("svg")) *format = ExportFormat::Svg;
    else if (suffix == QLatin1String("csv")) *format = ExportFormat::Csv;
    else return false;
    return true;
}

namespace {

// Paints `w` and its children with `p` (whose origin is the view's top-left corner), each clipped to its
// parent. A QCustomPlot is drawn through toPainter (vectors, at the painter's resolution) instead of its
// paintEvent (which blits a screen-resolution pixmap).
void paintTree(QWidget* w, QCPPainter* p, QPoint offset, QRect clip, bool vector) {
    clip &= QRect(offset, w->size());
    if (clip.isEmpty()) return;
    p->save();
    p->setClipRect(clip);
    if (auto* plot = qobject_cast<QCustomPlot*>(w)) {
        p->translate(offset);
        p->setMode(QCPPainter::pmVectorized, vector);
        p->setMode(QCPPainter::pmNoCaching, true);
        plot->toPainter(p, plot->width(), plot->height());
        p->restore();
        return;
    }
    w->render(p, offset, QRegion(), QWidget::DrawWindowBackground);
    p->restore();
    for (QObject* o : w->children()) {
        auto* child = qobject_cast<QWidget*>(o);
        if (!child || child->isWindow() || child->isHidden()) continue;
        paintTree(child, p, offset + child->pos(), clip, vector);
    }
}

void paintView(QWidget* view, QCPPainter* p, bool vector) {
    const QRect all(QPoint(0, 0), view->size());
    p->fillRect(all, view->palette().color(view->backgroundRole()));
    paintTree(view, p, QPoint(0, 0), all, vector);
}

QString writeAtomically(const QString& path, const QByteArray& bytes) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QObject::tr("cannot write '%1': %2").arg(path, file.errorString());
    if (file.write(bytes) != bytes.size() || !file.commit())
        return QObject::tr("cannot write '%1': %2").arg(path, file.errorString());
    return {};
}

}  // namespace

QImage renderViewImage(QWidget* view, qreal scale) {
    scale = std::clamp(scale, 1.0, 4.0);
    const QSize size(qRound(view->width() * scale), qRound(view->height() * scale));
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QCPPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.scale(scale, scale);
    paintView(view, &p, false);
    p.end();
    return image;
}

QByteArray renderViewSvg(QWidget* view, const QString& title) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(view->size());
    svg.setViewBox(QRect(QPoint(0, 0), view->size()));
    svg.setTitle(title);
    svg.setDescription(QObject::tr("Exported from arlab %1").arg(QCoreApplication::applicationVersion()));
    svg.setResolution(96);
    QCPPainter p(&svg);
    p.setRenderHint(QPainter::Antialiasing);
    paintView(view, &p, true);
    p.end();
    return bytes;
}

const ExportableView* findExportable(const QWidget* view) {
    if (auto* e = dynamic_cast<const ExportableView*>(view)) return e;
    for (const QWidget* w : view->findChildren<QWidget*>())
        if (auto* e = dynamic_cast<const ExportableView*>(w)) return e;
    return nullptr;
}

QString exportView(QWidget* view, const QString& path, const QString& title, qreal scale) {
    ExportFormat format;
    if (!exportFormatFor(path, &format))
        return QObject::tr("'%1': the file name must end in .png, .svg or .csv").arg(path);
    switch (format) {
    case ExportFormat::Png: {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        QImageWriter writer(&buffer, "png");
        if (!writer.write(renderViewImage(view, scale)))
            return QObject::tr("cannot encode the PNG: %1").arg(writer.errorString());
        return writeAtomically(path, bytes);
    }
    case ExportFormat::Svg:
        return writeAtomically(path, renderViewSvg(view, title));
    case ExportFormat::Csv: {
        const ExportableView* e = findExportable(view);
        if (!e) return QObject::tr("'%1' shows no numbers to export as CSV (PNG and SVG work)").arg(title);
        const ExportTable table = e->exportTable();
        if (table.isEmpty())
            return QObject::tr("'%1' has no numbers to export yet%2")
                .arg(title, table.emptyReason.isEmpty() ? QString() : QStringLiteral(": ") + table.emptyReason);
        return writeAtomically(path, table.toCsv().toUtf8());
    }
    }
    return {};
}

void copyViewImage(QWidget* view, qreal scale) {
    QImage image = renderViewImage(view, scale);
    QGuiApplication::clipboard()->setImage(image);
}

}  // namespace arlab
