#pragma once
// ExportableView: a view that can hand out the numbers behind what it draws, for File -> Export dock and
// right-click -> Export... (CSV). The picture itself (PNG at 1x/2x/3x, SVG) needs nothing from the view: it
// is rendered from the widget (widgets/viewexport.h). A new dock gets CSV export by implementing this on its
// content widget (or on any widget inside it: the exporter takes the first one it finds).
//
//   class MyView : public QWidget, public ExportableView {
//       ExportTable exportTable() const override {
//           ExportTable t{{"token", "p"}};
//           for (...) t.addRow({token, ExportTable::number(p)});
//           return t;
//       }
//   };
//
// Numbers are written with as many digits as it takes to read back exactly the same double
// (ExportTable::number: the shortest exact form, "0.1" and "0.30000001192092896" alike), so a CSV carries the
// core's numbers unrounded.
#include <QList>
#include <QString>
#include <QStringList>

namespace arlab {

struct ExportTable {
    QStringList header;          // column names
    QList<QStringList> rows;     // cells as text, each row as long as the header
    QString emptyReason;         // why there are no rows ("no model loaded"), shown instead of an empty file

    void addRow(const QStringList& row) { rows.append(row); }
    bool isEmpty() const { return rows.isEmpty(); }
    static QString number(double v);
    // RFC 4180: comma-separated, a cell with a comma, quote, line break or outer space is quoted ("" escapes
    // a quote); lines end with \n; UTF-8 (the caller encodes).
    QString toCsv() const;
    // Parses what toCsv() wrote (tests and tools). Throws nothing: a malformed line gives fewer cells.
    static QList<QStringList> parseCsv(const QString& text);
};

class ExportableView {
public:
    virtual ~ExportableView() = default;
    virtual ExportTable exportTable() const = 0;
};

}  // namespace arlab
