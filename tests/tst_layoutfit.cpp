// The two helpers that keep a dock from scrolling sideways on a projector's 1280x800:
//   FlowLayout (widgets/flowlayout.h): a row of controls wraps onto further lines when narrower than the row, no
//     control leaves the widget, a label stays beside its box, an expanding control fills its line, and the height
//     for a width is the wrapped height; one line when there is room.
//   ColumnFit (widgets/columnfit.h): a table never shows a horizontal scroll bar; its columns fill its width;
//     numbers stay whole (each number column at least its cells' width) while the headers and then the word columns
//     are elided (a cut header drawn elided inside its section); with room every column is as wide as its cells
//     and its header.
#include "widgets/columnfit.h"
#include "widgets/flowlayout.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QTableWidget>
#include <QtTest>

using namespace arlab;

namespace {
// A widget with eight buttons, a label beside a spin box and an expanding line edit in one FlowLayout.
struct Row {
    QWidget widget;
    QList<QPushButton*> buttons;
    QLabel* label;
    QSpinBox* box;
    QLineEdit* edit;
    FlowLayout* flow;
    Row() {
        flow = new FlowLayout(&widget, 6, 4);
        for (int i = 0; i < 8; ++i) {
            buttons << new QPushButton(QString("Button %1").arg(i), &widget);
            flow->addWidget(buttons.last());
        }
        auto* pair = new QHBoxLayout;
        label = new QLabel("Length penalty α", &widget);
        box = new QSpinBox(&widget);
        pair->addWidget(label);
        pair->addWidget(box);
        flow->addLayout(pair);
        edit = new QLineEdit(&widget);
        edit->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        flow->addWidget(edit);
    }
    void layOut(int width) {
        widget.resize(width, flow->heightForWidth(width));
        widget.show();
        flow->activate();
        QApplication::processEvents();
    }
    QList<QWidget*> all() const {
        QList<QWidget*> w;
        for (QPushButton* b : buttons) w << b;
        return w << label << box << edit;
    }
};

QTableWidget* numbersTable(QWidget* parent) {
    auto* t = new QTableWidget(3, 4, parent);
    t->setHorizontalHeaderLabels({"token", "probability of the token", "cumulative log-probability", "status"});
    t->verticalHeader()->hide();
    const QStringList tokens{"yesterday", "apples", "a"}, status{"alive", "pruned", "finished"};
    for (int r = 0; r < 3; ++r) {
        t->setItem(r, 0, new QTableWidgetItem(tokens[r]));
        t->setItem(r, 1, new QTableWidgetItem(QString::number(0.3695 - 0.1 * r, 'f', 4)));
        t->setItem(r, 2, new QTableWidgetItem(QString::number(-12.125 * (r + 1), 'f', 3)));
        t->setItem(r, 3, new QTableWidgetItem(status[r]));
    }
    return t;
}

int sectionsWidth(const QTableWidget* t) {
    int w = 0;
    for (int c = 0; c < t->columnCount(); ++c) w += t->horizontalHeader()->sectionSize(c);
    return w;
}

// The table inside a widget of `width`, laid out and fitted.
void layOut(QWidget& holder, QTableWidget* t, int width) {
    holder.resize(width, 200);
    t->setGeometry(0, 0, width, 200);
    holder.show();
    QApplication::processEvents();
    QApplication::processEvents();
}
}  // namespace

class TestLayoutFit : public QObject {
    Q_OBJECT
private slots:
    void aRowWrapsInsteadOfLeavingTheWidget() {
        Row row;
        row.layOut(2000);
        const int oneLine = row.flow->heightForWidth(2000);
        for (QWidget* w : row.all())   // one line
            QVERIFY(w->geometry().top() <= row.buttons[0]->geometry().bottom() && w->geometry().bottom() >= row.buttons[0]->geometry().top());
        QVERIFY(row.edit->width() > row.edit->sizeHint().width());   // the expanding edit fills the line

        const int narrow = row.buttons[0]->sizeHint().width() * 3;
        row.layOut(narrow);
        QVERIFY(row.flow->heightForWidth(narrow) > 2 * oneLine);
        QVERIFY(row.flow->minimumSize().width() <= narrow);
        QSet<int> lines;
        for (QWidget* w : row.all()) {
            QVERIFY2(w->geometry().right() < narrow && w->geometry().left() >= 0,
                     qPrintable(QString("%1 at %2..%3 in %4 px").arg(w->metaObject()->className()).arg(w->geometry().left()).arg(w->geometry().right()).arg(narrow)));
            QVERIFY(w->geometry().bottom() < row.widget.height());
            lines << w->geometry().top();
        }
        QVERIFY(lines.size() >= 3);
        QVERIFY(std::abs(row.label->geometry().center().y() - row.box->geometry().center().y()) <= 2);   // the pair stays together
        QVERIFY(row.box->geometry().left() > row.label->geometry().right());
    }

    void aTableFitsItsWidthWithItsNumbersWhole() {
        QWidget holder;
        QTableWidget* t = numbersTable(&holder);
        ColumnFit::install(t, {0, 3});
        QList<int> cells;
        for (int c = 0; c < 4; ++c) cells << static_cast<QAbstractItemView*>(t)->sizeHintForColumn(c);

        layOut(holder, t, 1200);   // room: every column as wide as its cells and its header, and they fill the table
        for (int c = 0; c < 4; ++c) {
            QVERIFY(t->horizontalHeader()->sectionSize(c) >= cells[c]);
            QVERIFY(t->horizontalHeader()->sectionSize(c) >= t->horizontalHeader()->sectionSizeHint(c));
        }
        QCOMPARE(sectionsWidth(t), t->viewport()->width());
        QVERIFY(!t->horizontalScrollBar()->isVisible());

        const int tight = cells[1] + cells[2] + 100;   // the numbers and a little: the headers and the words are cut
        layOut(holder, t, tight + 2 * t->frameWidth());
        QVERIFY(!t->horizontalScrollBar()->isVisible());
        QVERIFY2(sectionsWidth(t) <= t->viewport()->width(), qPrintable(QString("%1 > %2").arg(sectionsWidth(t)).arg(t->viewport()->width())));
        QVERIFY(t->horizontalHeader()->sectionSize(1) >= cells[1]);   // numbers whole
        QVERIFY(t->horizontalHeader()->sectionSize(2) >= cells[2]);
        QVERIFY(t->horizontalHeader()->sectionSize(0) < cells[0]);   // the longest word elided
        QCOMPARE(t->horizontalHeaderItem(2)->toolTip(), QString("cumulative log-probability"));
        QVERIFY(t->minimumWidth() <= tight + 2 * t->frameWidth());
        QVERIFY(t->minimumWidth() >= cells[1] + cells[2]);   // what holds the numbers whole
    }

    // A header narrower than its label is drawn elided inside its section ("cumulative log-p…"), not centred and cut
    // at both sides ("umulative log-probabilit"): in the header as drawn, no text ink touches a section's edges.
    void aCutHeaderIsElided_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<bool>("selected");   // a selected row's section is drawn bold
        QTest::newRow("tight") << 0 << false;
        QTest::newRow("tight, a row selected") << 0 << true;
        QTest::newRow("roomy") << 1200 << true;
    }
    void aCutHeaderIsElided() {
        QFETCH(int, width);
        QFETCH(bool, selected);
        QWidget holder;
        QTableWidget* t = numbersTable(&holder);
        ColumnFit::install(t, {0, 3});
        const auto* view = static_cast<const QAbstractItemView*>(t);
        const int tight = view->sizeHintForColumn(1) + view->sizeHintForColumn(2) + 100 + 2 * t->frameWidth();
        layOut(holder, t, width > 0 ? width : tight);
        if (selected) t->selectRow(1);
        QApplication::processEvents();
        QHeaderView* header = t->horizontalHeader();
        const QImage img = header->grab().toImage();
        for (int c = 0; c < t->columnCount(); ++c) {
            const int left = header->sectionViewportPosition(c), right = left + header->sectionSize(c) - 1;
            for (int x : {left + 1, left + 2, right - 2, right - 1})
                for (int y = 3; y < img.height() - 3; ++y)
                    QVERIFY2(qGray(img.pixel(x, y)) > 100, qPrintable(QString("column %1 ('%2', %3 px): text ink at x = %4 (the section %5..%6)")
                                                                      .arg(c).arg(t->horizontalHeaderItem(c)->text()).arg(header->sectionSize(c)).arg(x).arg(left).arg(right)));
        }
    }
};

QTEST_MAIN(TestLayoutFit)
#include "tst_layoutfit.moc"
