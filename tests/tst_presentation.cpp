// Presentation mode (F5) and UI zoom (Ctrl+= / Ctrl+- / Ctrl+0), app/gui/presentation.h: fonts x1.6 (and
// the chosen factor), plot lines twice as thick, the high-contrast palette, advanced controls hidden; all of
// it undone exactly by F5 again; the beam tree keeps its own zoom keys; the mode is remembered.
#include "app/gui/dockscroll.h"
#include "app/gui/lesson.h"
#include "app/gui/mainwindow.h"
#include "app/gui/presentation.h"
#include "app/gui/startup.h"
#include "widgets/attentionview.h"
#include "widgets/beamtreeview.h"
#include "widgets/nexttokenview.h"
#include "widgets/tokenchipsview.h"
#include "guitestutil.h"

#include <QApplication>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFontInfo>
#include <QGraphicsView>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QScrollArea>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

#include <functional>
#include <map>

using namespace arlab;

namespace {
using testutil::makeWindow;
struct PlotLook {
    double tickPt = 0, penWidth = 0;
};
PlotLook look(QCustomPlot* plot) {
    return {plot->xAxis->tickLabelFont().pointSizeF(), plot->plottableCount() ? plot->plottable(0)->pen().widthF() : 0};
}
// Height in pixels of the dark text painted in a dock's title bar (rows with an ink pixel, left of the buttons).
int titleInkHeight(QDockWidget* dock) {
    const QImage img = dock->grab().toImage();
    const int titleBottom = dock->widget() ? dock->widget()->geometry().top() : 20;
    int top = -1, bottom = -1;
    for (int y = 0; y < titleBottom; ++y)
        for (int x = 0; x < img.width() * 2 / 3; ++x)
            if (qGray(img.pixel(x, y)) < 110) {
                if (top < 0) top = y;
                bottom = y;
                break;
            }
    return top < 0 ? 0 : bottom - top + 1;
}

// What holds a window wider or taller than `room`: each visible dock's minimum, and inside it the innermost
// widgets whose own minimum is beyond a third of the room (the ones to make smaller, wrap or put in a scroll area of
// their view; MainWindow::addDock's scroll area around the whole view does not count).
QString whatDoesNotFit(QMainWindow& win, QSize room) {
    const auto minimum = [](const QWidget* w) { return w->minimumSizeHint().expandedTo(w->minimumSize()); };
    QStringList out;
    for (QDockWidget* dock : win.findChildren<QDockWidget*>()) {
        if (!dock->isVisible()) continue;
        out << QString("%1 needs %2x%3").arg(dock->objectName()).arg(minimum(dock).width()).arg(minimum(dock).height());
        for (QWidget* w : dock->findChildren<QWidget*>()) {
            if (!w->isVisible()) continue;
            const QSize m = minimum(w);
            if (m.width() <= room.width() / 3 && m.height() <= room.height() / 3) continue;
            bool inner = true;   // no visible child of it is as large
            for (QWidget* c : w->findChildren<QWidget*>(Qt::FindDirectChildrenOnly))
                if (c->isVisible() && (minimum(c).width() > room.width() / 3 || minimum(c).height() > room.height() / 3)) inner = false;
            for (QWidget* a = w->parentWidget(); a && a != dock->widget() && a != dock; a = a->parentWidget())
                if (qobject_cast<QScrollArea*>(a)) inner = false;   // it scrolls in its view (not only in the dock's)
            if (!inner) continue;
            QString what = QString("%1 '%2'").arg(w->metaObject()->className(), w->objectName());
            if (auto* label = qobject_cast<QLabel*>(w)) what += " \"" + label->text().left(50) + "\"";
            for (QWidget* a = w->parentWidget(); a && a != dock; a = a->parentWidget())
                if (QString(a->metaObject()->className()).startsWith("arlab::")) {
                    what += QString(" in %1").arg(a->metaObject()->className());
                    break;
                }
            out << QString("  %1 %2x%3").arg(what).arg(m.width()).arg(m.height());
        }
    }
    return out.join('\n');
}

// Inside `view`: what makes it wider than `room` (its dock scrolls sideways): the innermost visible widgets whose
// minimum width is beyond it, and the innermost layouts beyond it whose widgets are each narrower (a row of
// controls), named by their widgets.
QStringList widerThan(QWidget* view, int room) {
    const auto minWidth = [](const QWidget* w) { return w->minimumSizeHint().expandedTo(w->minimumSize()).width(); };
    const auto name = [](const QWidget* w) {
        QString what = QString("%1 '%2'").arg(w->metaObject()->className(), w->objectName());
        if (auto* label = qobject_cast<const QLabel*>(w)) what += " \"" + label->text().left(30) + "\"";
        if (auto* button = qobject_cast<const QAbstractButton*>(w)) what += " \"" + button->text().left(30) + "\"";
        return what;
    };
    QStringList out;
    std::function<bool(QLayout*)> innermost = [&](QLayout* layout) {   // true when it or a layout in it is reported
        if (!layout || layout->minimumSize().width() <= room) return false;
        bool inner = false;
        QStringList items;
        for (int i = 0; i < layout->count(); ++i) {
            QLayoutItem* item = layout->itemAt(i);
            if (item->layout()) inner |= innermost(item->layout());
            if (QWidget* w = item->widget(); w && w->isVisible())
                items << QString("%1 %2").arg(name(w)).arg(minWidth(w));
        }
        if (!inner) out << QString("  a row of %1 px: %2").arg(layout->minimumSize().width()).arg(items.join(", "));
        return true;
    };
    QList<QWidget*> widgets = view->findChildren<QWidget*>();
    widgets << view;
    for (QWidget* w : widgets) {
        if (!w->isVisible() || minWidth(w) <= room) continue;
        bool inner = true;
        for (QWidget* c : w->findChildren<QWidget*>(Qt::FindDirectChildrenOnly))
            if (c->isVisible() && minWidth(c) > room) inner = false;
        if (inner && !innermost(w->layout())) out << QString("  %1 needs %2 px").arg(name(w)).arg(minWidth(w));
    }
    return out;
}
// The current test row's lesson (columns `lesson`, `presentation`) after two steps, laid out on a screen of `screen`.
std::unique_ptr<MainWindow> projectorWindow(QSize screen) {
    QFETCH(QString, lesson);
    QFETCH(bool, presentation);
    auto win = makeWindow(lesson, testutil::Look::Hidden);
    win->findChild<PresentationMode*>()->setOn(presentation);
    win->runSteps(lesson == "limits" ? 0 : 2);   // (the Limits lesson's steps show one dock alone)
    layOutOffscreen(*win, screen);
    return win;
}
}  // namespace

class TestPresentation : public QObject {
    Q_OBJECT
    QTemporaryDir m_config;
    QFont m_appFont;
private slots:
    void initTestCase() {
        m_appFont = QApplication::font();   // put back after each test: a failed one does not leave it scaled
        QVERIFY(m_config.isValid());   // the user's settings stay untouched
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_config.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_config.path());
    }

    void cleanup() { QApplication::setFont(m_appFont); }

    void f5ScalesAndRestoresEverything() {
        auto win = makeWindow("transformer");
        win->runSteps(2);
        PresentationMode* mode = win->findChild<PresentationMode*>();
        QVERIFY(mode);
        QVERIFY(!mode->isOn());
        const double basePt = QApplication::font().pointSizeF();
        auto* plot = win->findChild<QCustomPlot*>();
        QVERIFY(plot && plot->plottableCount() > 0);
        const PlotLook before = look(plot);
        const QColor window = QApplication::palette().color(QPalette::Window);
        // An advanced control (the sampler's min-p) is visible in the decoding lesson's panel.
        QWidget* advanced = nullptr;
        for (QWidget* w : win->findChildren<QWidget*>())
            if (w->property("arlabAdvanced").toBool()) advanced = w;
        QVERIFY2(advanced, "no control is marked advanced");
        const bool advancedWasHidden = advanced->isHidden();

        QTest::keyClick(win.get(), Qt::Key_F5);
        QVERIFY(mode->isOn());
        QVERIFY(std::abs(QApplication::font().pointSizeF() - basePt * 1.6) < 0.01);
        plot->replot();
        QVERIFY(std::abs(look(plot).tickPt - before.tickPt * 1.6) < 0.01);
        QVERIFY(look(plot).penWidth >= 2 * std::max(1.0, before.penWidth) - 1e-9);
        QCOMPARE(QApplication::palette().color(QPalette::Window), QColor(Qt::white));
        QCOMPARE(QApplication::palette().color(QPalette::WindowText), QColor(Qt::black));
        QVERIFY(advanced->isHidden());

        mode->setFontScale(2.0);
        QVERIFY(std::abs(QApplication::font().pointSizeF() - basePt * 2.0) < 0.01);

        QTest::keyClick(win.get(), Qt::Key_F5);
        QVERIFY(!mode->isOn());
        QVERIFY(std::abs(QApplication::font().pointSizeF() - basePt) < 0.01);
        plot->replot();
        QCOMPARE(look(plot).tickPt, before.tickPt);
        QCOMPARE(look(plot).penWidth, before.penWidth);
        QCOMPARE(QApplication::palette().color(QPalette::Window), window);
        QCOMPARE(advanced->isHidden(), advancedWasHidden);
    }

    // Every text the students read grows with the fonts: the Next token candidates (buttons with a style sheet of
    // their own, rebuilt at each step), the sampler stages switched off, the Attention dock's hint line and the dock
    // titles (QDockWidget paints its title in the font the application had when the dock was made). Checked on
    // what is painted: the widgets' fonts, and for the titles the height of the title's ink.
    void everyTextTheStudentsReadScales() {
        auto win = makeWindow("transformer");
        win->runSteps(5);
        PresentationMode* mode = win->findChild<PresentationMode*>();
        auto* next = win->findChild<NextTokenView*>();
        auto* attention = win->findChild<AttentionView*>();
        QVERIFY(mode && next && attention);
        // name -> painted text height (px); "candidates": the smallest of the Next token candidates, and how many
        const auto heights = [&](int* candidates) {
            std::map<QString, int> h;
            *candidates = 0;
            for (auto* b : win->findChild<TokenChipsView*>()->findChildren<QPushButton*>())
                if (b->property("tokenId").isValid() && b->isVisible()) {
                    const int px = QFontMetrics(b->font()).height();
                    h["candidates"] = h.count("candidates") ? std::min(h["candidates"], px) : px;
                    ++*candidates;
                }
            for (auto* l : next->findChildren<QLabel*>())
                if (!next->pipelineNote().isEmpty() && l->text() == next->pipelineNote()) h["stages off"] = QFontMetrics(l->font()).height();
            for (auto* l : attention->findChildren<QLabel*>())
                if (l->text().startsWith(QStringLiteral("Wheel:"))) h["attention hint"] = QFontMetrics(l->font()).height();
            for (QDockWidget* d : win->findChildren<QDockWidget*>())
                if (d->isVisible()) h["dock title " + d->objectName()] = titleInkHeight(d);
            return h;
        };
        int n = 0;
        // The docks are updated from the event loop (later under load): wait for the candidates.
        const auto candidatesShown = [&] {
            heights(&n);
            return n >= 3;
        };
        QTRY_VERIFY_WITH_TIMEOUT(candidatesShown(), 10000);
        const std::map<QString, int> before = heights(&n);
        QVERIFY(before.count("stages off") && before.count("attention hint") && before.count("dock title nextTokenDock"));
        mode->setOn(true);
        win->runSteps(1);   // the candidates are made anew
        QTRY_VERIFY_WITH_TIMEOUT(candidatesShown(), 10000);
        QApplication::processEvents();   // the docks lay out their larger titles
        const std::map<QString, int> on = heights(&n);
        QCOMPARE(on.size(), before.size());
        for (const auto& [name, h] : on) {
            QVERIFY2(before.count(name), qPrintable(name));
            QVERIFY2(h >= 1.5 * before.at(name), qPrintable(QString("%1: %2 px, normal %3 px").arg(name).arg(h).arg(before.at(name))));
        }
        mode->setOn(false);
        win->runSteps(1);
        QTRY_VERIFY_WITH_TIMEOUT(candidatesShown(), 10000);
        for (const auto& [name, h] : heights(&n)) QVERIFY2(h == before.at(name), qPrintable(QString("%1: %2 px, normal %3 px").arg(name).arg(h).arg(before.at(name))));
    }

    // Text styled through a style sheet (the Quiz dock's grey notes, the red and grey status lines, the quiz's
    // chosen words): Qt keeps such a widget at the font it was polished with when the application font changes, so
    // presentation mode sets it like the rest (x1.6, and exactly back after F5). Every styled widget of the lesson is
    // measured (the font Qt resolved for it, QFontInfo); `lesson` rows name what must be among them.
    void styledTextScales_data() {
        QTest::addColumn<QString>("lesson");
        QTest::addColumn<QStringList>("mustInclude");   // object names or texts of widgets that must be measured
        QTest::newRow("transformer, Quiz dock open") << "transformer" << QStringList{"quizSource", "quizNote"};
        QTest::newRow("translate") << "translate" << QStringList{};
        QTest::newRow("parallel") << "parallel" << QStringList{};
    }
    void styledTextScales() {
        QFETCH(QString, lesson);
        QFETCH(QStringList, mustInclude);
        auto win = makeWindow(lesson);
        win->runSteps(2);
        PresentationMode* mode = win->findChild<PresentationMode*>();
        QVERIFY(mode);
        if (lesson == "transformer") {   // the quiz asks: its dock is shown and its notes are filled
            for (QAction* a : win->actions())
                if (a->shortcut() == QKeySequence("Ctrl+Shift+N")) a->trigger();
            QTRY_VERIFY(win->findChild<QDockWidget*>("quizDock")->isVisible());
        }
        QApplication::processEvents();
        const auto styled = [&] {
            std::map<QWidget*, double> pt;
            for (QWidget* w : win->findChildren<QWidget*>())
                if (!w->styleSheet().isEmpty() && !w->styleSheet().contains("font-size") && w->isVisible())
                    pt[w] = QFontInfo(w->font()).pointSizeF();
            return pt;
        };
        const std::map<QWidget*, double> before = styled();
        QVERIFY2(!before.empty(), "no styled widget is shown");
        for (const QString& name : mustInclude) {
            bool found = false;
            for (const auto& [w, p] : before) found |= w->objectName() == name;
            QVERIFY2(found, qPrintable(name + " is not shown with a style sheet"));
        }
        mode->setOn(true);
        QApplication::processEvents();
        for (const auto& [w, p] : before) {
            const QString what = w->objectName().isEmpty() ? QString(w->metaObject()->className()) : w->objectName();
            const double on = QFontInfo(w->font()).pointSizeF();
            QVERIFY2(std::abs(on - 1.6 * p) < 0.05 * p, qPrintable(QString("%1: %2 pt, normal %3 pt").arg(what).arg(on).arg(p)));
        }
        mode->setOn(false);
        QApplication::processEvents();
        for (const auto& [w, p] : before) QCOMPARE(QFontInfo(w->font()).pointSizeF(), p);
    }

    // A lesson built while the mode is on (shown for the first time) has its text at the large size, and F5 brings
    // every widget that has a font of its own or a style sheet back to its normal size: 1/1.6 of what it was.
    void aLessonBuiltInPresentationModeScalesBack_data() {
        QTest::addColumn<QString>("lesson");
        QTest::newRow("parallel") << "parallel";
        QTest::newRow("translate") << "translate";
    }
    void aLessonBuiltInPresentationModeScalesBack() {
        QFETCH(QString, lesson);
        auto win = makeWindow("transformer");
        PresentationMode* mode = win->findChild<PresentationMode*>();
        mode->setOn(true);
        QVERIFY(win->activateLesson(lesson));
        win->runSteps(1);
        QApplication::processEvents();
        std::map<QWidget*, double> on;
        for (QWidget* w : win->findChildren<QWidget*>())
            if ((w->testAttribute(Qt::WA_SetFont) || !w->styleSheet().isEmpty()) && !w->styleSheet().contains("font-size") && w->isVisible())
                on[w] = QFontInfo(w->font()).pointSizeF();
        QVERIFY(on.size() >= 2);
        mode->setOn(false);
        QApplication::processEvents();
        for (const auto& [w, p] : on) {
            const QString what = w->objectName().isEmpty() ? QString(w->metaObject()->className()) : w->objectName();
            const double off = QFontInfo(w->font()).pointSizeF();
            QVERIFY2(std::abs(off * 1.6 - p) < 0.05 * p, qPrintable(QString("%1: %2 pt, %3 pt in presentation mode").arg(what).arg(off).arg(p)));
        }
    }

    // Colour scales (attention, cross-attention, RNN inspector) have their axis outside the plot's axis rects: in
    // presentation mode its fonts follow the plot's (and are back after F5), so what is measured for the layout is
    // what is drawn and the label ("attention weight") stays inside the plot.
    void colourScalesFollowTheirPlot_data() {
        QTest::addColumn<QString>("lesson");
        QTest::newRow("transformer") << "transformer";
        QTest::newRow("translate") << "translate";
    }
    void colourScalesFollowTheirPlot() {
        QFETCH(QString, lesson);
        auto win = makeWindow(lesson);
        win->runSteps(3);
        PresentationMode* mode = win->findChild<PresentationMode*>();
        const auto scalesOf = [&] {
            QList<std::pair<QCustomPlot*, QCPColorScale*>> out;
            for (QCustomPlot* plot : win->findChildren<QCustomPlot*>())
                for (QCPLayoutElement* e : plot->plotLayout()->elements(true))
                    if (auto* scale = qobject_cast<QCPColorScale*>(e)) out.append({plot, scale});
            return out;
        };
        QVERIFY(!scalesOf().isEmpty());
        std::map<QCPColorScale*, std::pair<double, double>> base;   // tick label and label point sizes before F5
        for (const auto& [plot, scale] : scalesOf()) base[scale] = {scale->axis()->tickLabelFont().pointSizeF(), scale->axis()->labelFont().pointSizeF()};
        for (bool on : {true, false}) {
            mode->setOn(on);
            for (const auto& [plot, scale] : scalesOf()) {
                plot->replot();
                QVERIFY(base.count(scale));
                QVERIFY(std::abs(scale->axis()->tickLabelFont().pointSizeF() - base[scale].first * (on ? 1.6 : 1.0)) < 0.01);
                QVERIFY(std::abs(scale->axis()->labelFont().pointSizeF() - base[scale].second * (on ? 1.6 : 1.0)) < 0.01);
                QVERIFY(scale->outerRect().right() <= plot->viewport().right());
            }
        }
    }

    // Every font of every plot of a lesson built while the mode is on, including what appears later with the data
    // (colour bars, text items), is the mode's 1.6 times the same font of the lesson built with the mode off: an
    // element made from the plot's already scaled font is scaled once, not twice (the Limits colour bar was 2.56x).
    void plotFontsScaleOnce_data() {
        QTest::addColumn<QString>("lesson");
        for (const char* lesson : {"transformer", "translate", "parallel", "limits"}) QTest::newRow(lesson) << lesson;
    }
    void plotFontsScaleOnce() {
        QFETCH(QString, lesson);
        const auto fontsOf = [&](MainWindow& win) {
            QList<std::pair<QString, double>> out;
            QList<QCustomPlot*> plots;   // the lesson's, dock by dock
            for (const LessonSpec& spec : LessonRegistry::all())
                if (spec.id == lesson)
                    for (const DockSpec& d : spec.docks) plots << win.findChild<QDockWidget*>(d.objectName)->findChildren<QCustomPlot*>();
            for (QCustomPlot* plot : plots) {
                plot->replot();
                const QString where = plot->parentWidget() ? plot->parentWidget()->metaObject()->className() : QString();
                QList<QCPAxis*> axes;
                for (QCPAxisRect* rect : plot->axisRects()) axes += rect->axes();
                for (QCPLayoutElement* e : plot->plotLayout()->elements(true))
                    if (auto* scale = qobject_cast<QCPColorScale*>(e)) axes << scale->axis();
                for (QCPAxis* a : axes) out.append({where + " axis tick labels", a->tickLabelFont().pointSizeF()});
                for (QCPAxis* a : axes) out.append({where + " axis label", a->labelFont().pointSizeF()});
                for (auto* t : testutil::itemsOf<QCPItemText>(plot))   // (wrapped to the room, so named by the first word)
                    out.append({where + " text '" + t->text().section(QRegularExpression("\\s"), 0, 0) + "…'", t->font().pointSizeF()});
                if (plot->legend) out.append({where + " legend", plot->legend->font().pointSizeF()});
            }
            return out;
        };
        auto plain = makeWindow(lesson);
        QVERIFY(plain->runSteps(2));
        const auto off = fontsOf(*plain);
        plain.reset();
        auto win = makeWindow(lesson == "transformer" ? "decoding" : "transformer");   // the lesson is not built yet
        win->findChild<PresentationMode*>()->setOn(true);   // and no event is processed before it is
        QVERIFY(win->activateLesson(lesson));
        QVERIFY(win->runSteps(2));
        const auto on = fontsOf(*win);
        QVERIFY(!on.isEmpty());
        for (qsizetype i = 0; i < std::min(on.size(), off.size()); ++i) {
            QVERIFY2(on[i].first == off[i].first, qPrintable(on[i].first + " / " + off[i].first));
            QVERIFY2(std::abs(on[i].second - 1.6 * off[i].second) < 0.05 * on[i].second,
                     qPrintable(QString("%1: %2 pt, %3 pt in presentation mode").arg(on[i].first).arg(off[i].second).arg(on[i].second)));
        }
        QCOMPARE(on.size(), off.size());
    }

    // A projector's 1280x800: every lesson fits, in presentation mode too (fonts x1.6), instead of the window
    // growing past the screen. The docks' minimums stay inside the window (plots scroll, long texts wrap or elide).
    void everyLessonFitsAProjector_data() {
        QTest::addColumn<QString>("lesson");
        QTest::addColumn<bool>("presentation");
        for (const LessonSpec& spec : LessonRegistry::all())
            for (bool on : {false, true})
                QTest::newRow(qPrintable(spec.id + (on ? ", presentation" : ""))) << spec.id << on;
    }
    void everyLessonFitsAProjector() {
        const QSize screen(1280, 800);
        auto win = projectorWindow(screen);
        const QSize hint = win->minimumSizeHint().expandedTo(win->minimumSize());
        const QString why = whatDoesNotFit(*win, screen);
        QVERIFY2(win->size() == screen, qPrintable(QString("the window is %1x%2\n%3").arg(win->width()).arg(win->height()).arg(why)));
        QVERIFY2(hint.width() <= screen.width() && hint.height() <= screen.height(),
                 qPrintable(QString("minimum %1x%2\n%3").arg(hint.width()).arg(hint.height()).arg(why)));
    }

    // ... and no dock scrolls sideways there: a teacher cannot use a horizontal scroll bar in front of a class. Every
    // visible dock's view is at most as wide as its dock (control rows wrap, tables share their width and elide
    // their text headers, plots stack); it may still scroll down. A failure names the dock, its width and the view's
    // minimum, and inside the view the innermost widgets and rows wider than the dock. Rows come from the lesson
    // registry: a new lesson (and the Limits lesson) is checked as it is registered.
    void noDockScrollsSideways_data() { everyLessonFitsAProjector_data(); }
    void noDockScrollsSideways() {
        auto win = projectorWindow(QSize(1280, 800));
        QStringList wide;
        int docks = 0;
        for (QDockWidget* dock : win->findChildren<QDockWidget*>()) {
            DockScroll* scroll = DockScroll::of(dock);
            if (!dock->isVisible() || !scroll) continue;
            ++docks;
            // Nor a table or a list inside it (a canvas one pans and zooms, the beam tree, may scroll).
            for (QAbstractScrollArea* a : dock->findChildren<QAbstractScrollArea*>())
                if (a->isVisible() && a->horizontalScrollBar()->isVisible() && a != scroll && !qobject_cast<QGraphicsView*>(a))
                    wide << QString("%1: %2 '%3' scrolls sideways (%4 px wide, %5 px of content)")
                                .arg(dock->objectName(), a->metaObject()->className(), a->objectName())
                                .arg(a->viewport()->width())
                                .arg(a->viewport()->width() + a->horizontalScrollBar()->maximum());
            if (!scroll->horizontalScrollBar()->isVisible()) continue;
            const int room = scroll->viewport()->width();
            wide << QString("%1 is %2 px wide, its view needs %3 px").arg(dock->objectName()).arg(room).arg(scroll->widget()->minimumSizeHint().expandedTo(scroll->widget()->minimumSize()).width());
            wide << widerThan(scroll->widget(), room);
        }
        QVERIFY(docks > 0);
        QVERIFY2(wide.isEmpty(), qPrintable(wide.join('\n')));
    }

    void ctrlPlusMinusZoomTheWholeUi() {
        auto win = makeWindow("transformer");
        PresentationMode* mode = win->findChild<PresentationMode*>();
        const double basePt = QApplication::font().pointSizeF();
        win->setFocus();
        QTest::keyClick(win.get(), Qt::Key_Equal, Qt::ControlModifier);
        QTest::keyClick(win.get(), Qt::Key_Equal, Qt::ControlModifier);
        QCOMPARE(mode->zoomSteps(), 2);
        QVERIFY(std::abs(QApplication::font().pointSizeF() - basePt * 1.21) < 0.01);
        QTest::keyClick(win.get(), Qt::Key_Minus, Qt::ControlModifier);
        QCOMPARE(mode->zoomSteps(), 1);
        QTest::keyClick(win.get(), Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(mode->zoomSteps(), 0);
        QVERIFY(std::abs(QApplication::font().pointSizeF() - basePt) < 0.01);
    }

    // The beam tree zooms itself with Ctrl+= while it has the focus; the UI zoom stays.
    void beamTreeKeepsItsZoomKeys() {
        auto win = makeWindow("decoding");
        win->runSteps(2);
        PresentationMode* mode = win->findChild<PresentationMode*>();
        auto* tree = win->findChild<BeamTreeView*>();
        QVERIFY(tree);
        tree->setFocus();
        QTRY_VERIFY(tree->hasFocus());
        const double scale = tree->transform().m11();
        QTest::keyClick(tree, Qt::Key_Equal, Qt::ControlModifier);
        QCOMPARE(mode->zoomSteps(), 0);
        QVERIFY(tree->transform().m11() > scale);
    }

    void theModeIsRemembered() {
        {
            MainWindow::Options opt;
            opt.persistLayout = true;
            MainWindow win(opt);
            auto* mode = win.findChild<PresentationMode*>();
            mode->setOn(true);
            mode->setFontScale(1.8);
            mode->setOn(false);
            mode->setOn(true);
        }
        MainWindow::Options opt;
        opt.persistLayout = true;
        MainWindow win(opt);
        auto* mode = win.findChild<PresentationMode*>();
        QVERIFY(mode->isOn());
        QCOMPARE(mode->fontScale(), 1.8);
        mode->setOn(false);
        QSettings().clear();
    }
};

QTEST_MAIN(TestPresentation)
#include "tst_presentation.moc"
