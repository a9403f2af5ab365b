#include "app/gui/mainwindow.h"

#include "app/gui/classroom.h"
#include "app/gui/generationcontroller.h"
#include "app/gui/dockscroll.h"
#include "app/gui/menuaction.h"
#include "app/gui/modelinfo.h"
#include "app/gui/modelloader.h"
#include "app/gui/openmodeldialog.h"
#include "app/gui/sessioncontroller.h"
#include "core/error.h"
#include "core/io/modelregistry.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QDockWidget>
#include <QEventLoop>
#include <QHBoxLayout>
#include <QProgressBar>
#include <QScreen>
#include <QTimer>
#include <QToolButton>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QStyleOptionDockWidget>
#include <QStylePainter>

#include <Eigen/Core>

#include <algorithm>
#include <qcustomplot.h>

namespace arlab {

namespace {
// A dock whose title is painted in its own font. QDockWidget paints the title in the font the application had
// when the dock was made (it keeps a copy), so presentation mode and the UI zoom (app/gui/presentation.cpp) would
// leave every title at the normal size; the title bar's height already follows the dock's font.
class LessonDock : public QDockWidget {
public:
    using QDockWidget::QDockWidget;

protected:
    void paintEvent(QPaintEvent* event) override {
        if (isFloating() || titleBarWidget()) return QDockWidget::paintEvent(event);   // (a window's own frame)
        QStylePainter p(this);
        QStyleOptionDockWidget title;
        initStyleOption(&title);   // font metrics: the dock's font, which the painter has too
        p.drawControl(QStyle::CE_DockWidgetTitle, title);
    }
};

// Bump when the default dock arrangement changes incompatibly: a layout saved with another version is not restored.
// 2: the Limits docks are tabs of one area (side by side before).
constexpr int kLayoutVersion = 2;
}

MainWindow::MainWindow(const Options& options, QWidget* parent) : QMainWindow(parent), m_options(options) {
    setWindowTitle(tr("arlab — autoregressive models, one token at a time"));
    setDockNestingEnabled(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks | QMainWindow::AllowTabbedDocks);
    m_generation = new GenerationController(this);

    createActions();
    createMenus();
    createStatusBar();
    createDockWindows();
    addClassroomTools(*this, m_fileMenu, m_viewMenu, m_options.persistLayout);   // export, presentation, language
    m_sessions = new SessionController(*this, m_fileMenu, m_options.persistLayout);   // save/open session, autosave

    connect(m_generation, &GenerationController::changed, this, &MainWindow::updateModelStatus);
    connect(m_generation, &GenerationController::stepFailed, this, [this](const QString& m) { showMessage(m, 8000); });
    updateModelStatus();

    resize(1600, 1000);
    if (m_options.persistLayout) readSettings();
    QString start = m_options.lesson;
    if (start.isEmpty() && m_options.persistLayout) start = QSettings().value("lesson").toString();
    if (!activateLesson(start) && !m_lessons.empty()) activateLesson(m_lessons.front()->spec.id);
}

MainWindow::~MainWindow() = default;

// --- lessons and docks -----------------------------------------------------------------------------------

// Every registered lesson gets its Lesson submenu ("Show the X lesson" with its shortcut, then one toggle per
// declared dock) and its dock toggles in View. The toggles are stand-ins until the lesson is built: using one
// builds the lesson, and the dock's own toggleViewAction takes its place.
void MainWindow::createDockWindows() {
    for (const LessonSpec& spec : LessonRegistry::all()) {
        auto slot = std::make_unique<LessonSlot>();
        slot->spec = spec;
        const QString title = spec.translatedTitle();
        slot->menu = m_lessonMenu->addMenu(title);
        slot->activate = makeAction(tr("Show the %1 lesson").arg(title), tr("Show the docks of the %1 lesson").arg(title), this,
                                    QKeySequence(QString::fromLatin1(spec.shortcut), QKeySequence::PortableText));
        slot->activate->setCheckable(true);
        m_lessonGroup->addAction(slot->activate);
        slot->menu->addAction(slot->activate);
        slot->menu->addSeparator();
        const QString id = spec.id;
        connect(slot->activate, &QAction::triggered, this, [this, id] { activateLesson(id); });
        for (const DockSpec& d : spec.docks) {
            const QString dockTitle = QCoreApplication::translate("arlab::Lesson", d.title);
            QAction* toggle = makeAction(dockTitle, tr("Show or hide the %1 dock").arg(dockTitle), this);
            toggle->setCheckable(true);
            const QString name = QString::fromLatin1(d.objectName);
            connect(toggle, &QAction::triggered, this, [this, id, name] {
                buildLesson(id);
                if (auto* dock = findChild<QDockWidget*>(name, Qt::FindDirectChildrenOnly)) {
                    dock->show();
                    dock->raise();
                }
            });
            m_viewMenu->insertAction(m_viewSeparator, toggle);
            slot->menu->addAction(toggle);
            slot->pendingToggles << toggle;
        }
        m_lessons.push_back(std::move(slot));
    }
}

Lesson* MainWindow::buildLesson(const QString& name) {
    const int index = lessonIndex(name);
    return index < 0 ? nullptr : buildLesson(index);
}

Lesson* MainWindow::buildLesson(int index) {
    LessonSlot& slot = *m_lessons[size_t(index)];
    if (slot.lesson || m_building >= 0) return slot.lesson;
    if (slot.spec.usesTextModel) ensureTextModel();
    m_building = index;
    slot.lesson = slot.spec.factory(*this);
    m_building = -1;
    // The dock toggles take the stand-ins' places (in View and in Lesson -> <title>).
    for (QAction* stand : std::as_const(slot.pendingToggles)) {
        const int i = int(slot.pendingToggles.indexOf(stand));
        const QString name = QString::fromLatin1(slot.spec.docks[size_t(i)].objectName);
        QDockWidget* dock = nullptr;
        for (QDockWidget* d : std::as_const(slot.docks))
            if (d->objectName() == name) dock = d;
        if (dock) {
            m_viewMenu->insertAction(stand, dock->toggleViewAction());
            slot.menu->insertAction(stand, dock->toggleViewAction());
        } else {
            qWarning("arlab: lesson '%s' declares the dock '%s' but did not create it", qPrintable(slot.spec.id), qPrintable(name));
        }
        m_viewMenu->removeAction(stand);
        slot.menu->removeAction(stand);
        stand->deleteLater();   // (it may be the action being triggered right now)
    }
    slot.pendingToggles.clear();
    if (index != m_current)
        for (QDockWidget* d : std::as_const(slot.docks)) d->hide();
    return slot.lesson;
}

QDockWidget* MainWindow::addDock(QWidget* content, const QString& objectName, Qt::DockWidgetArea area, QSize preferred) {
    const int lesson = m_building;
    QString title = objectName;
    int rank = 0;
    if (lesson >= 0) {
        const LessonSpec& spec = m_lessons[size_t(lesson)]->spec;
        title = spec.dockTitle(objectName);
        rank = int(std::find_if(spec.docks.begin(), spec.docks.end(),
                                [&](const DockSpec& d) { return objectName == QLatin1String(d.objectName); }) -
                   spec.docks.begin());
        if (title.isEmpty()) {
            qWarning("arlab: lesson '%s' creates the dock '%s' that its registration does not declare",
                     qPrintable(spec.id), qPrintable(objectName));
            title = objectName;
        }
    } else {
        qWarning("arlab: addDock('%s') outside a lesson's construction", qPrintable(objectName));
    }
    auto* dock = new LessonDock(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(new DockScroll(content));   // no frame, focus or background: where the view fits, nothing shows
    addDockWidget(area, dock);
    QAction* toggle = setTip(dock->toggleViewAction(), tr("Show or hide the %1 dock").arg(title));
    if (lesson >= 0) m_lessons[size_t(lesson)]->docks << dock;
    else m_viewMenu->insertAction(m_viewSeparator, toggle);
    // Default-arrangement order: by lesson (menu order), then by the declared order, whenever each was built.
    auto at = std::find_if(m_dockInfo.begin(), m_dockInfo.end(), [&](const DockInfo& d) {
        return d.lesson > lesson || (d.lesson == lesson && d.rank > rank);
    });
    m_dockInfo.insert(at, DockInfo{dock, area, preferred, lesson, rank});
    return dock;
}

QWidget* MainWindow::dockView(const QDockWidget* dock) {
    QDockWidget* d = const_cast<QDockWidget*>(dock);
    const DockScroll* scroll = DockScroll::of(d);
    return scroll ? scroll->widget() : dock->widget();
}

void MainWindow::fitDocks(QSize room) {
    if (room.isEmpty()) room = m_room;
    if (room.isEmpty() && screen()) room = screen()->availableSize();
    if (room.isEmpty()) return;
    m_room = room;
    // Every view's minimum up to date first (its layout activated), while the window cannot grow from it.
    capDocks(true);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    capDocks(false);
    if (!fits()) capDocks(true);
}

bool MainWindow::fits() const {
    const QSize need = minimumSizeHint();
    return m_room.isEmpty() || (need.width() <= m_room.width() && need.height() <= m_room.height());
}

void MainWindow::capDocks(bool capped) {
    m_docksCapped = capped;
    for (QDockWidget* d : findChildren<QDockWidget*>())
        if (DockScroll* s = DockScroll::of(d)) {
            s->setCapped(capped);
            d->layout()->invalidate();
        }
    layout()->invalidate();
    if (capped) layout()->activate();   // the window's own minimum comes down at once (a resize may follow)
}

// A view that grew (new content, a font) and no longer fits: the docks are capped before the window would grow.
bool MainWindow::event(QEvent* event) {
    if (event->type() == QEvent::LayoutRequest && !m_docksCapped && !fits()) capDocks(true);
    return QMainWindow::event(event);
}

void MainWindow::setHiddenByDefault(QDockWidget* dock) {
    for (auto& d : m_dockInfo)
        if (d.dock == dock) d.hiddenByDefault = true;
}

void MainWindow::setTabbedByDefault(QDockWidget* first, QDockWidget* dock) {
    for (auto& d : m_dockInfo)
        if (d.dock == dock) d.tabOf = first;
}

QMenu* MainWindow::lessonMenu() const { return m_building >= 0 ? m_lessons[size_t(m_building)]->menu : m_lessonMenu; }

void MainWindow::ensureTextModel() {
    if (m_textModelTried) return;
    m_textModelTried = true;
    QString message;
    if (!m_generation->model() && !m_generation->loadBuiltinModel(&message)) showMessage(message, 0);
}

QStringList MainWindow::lessonNames() const {
    QStringList names;
    for (const auto& l : m_lessons) names << l->spec.id;
    return names;
}

QString MainWindow::currentLesson() const { return m_current >= 0 ? m_lessons[size_t(m_current)]->spec.id : QString(); }

int MainWindow::lessonIndex(const QString& name) const {
    for (size_t i = 0; i < m_lessons.size(); ++i)
        if (m_lessons[i]->spec.id == name) return int(i);
    return -1;
}

Lesson* MainWindow::lesson(const QString& name) const {
    const int i = lessonIndex(name);
    return i < 0 ? nullptr : m_lessons[size_t(i)]->lesson;
}

QList<QDockWidget*> MainWindow::docks() const {
    QList<QDockWidget*> out;
    for (const auto& d : m_dockInfo) out << d.dock;
    return out;
}

bool MainWindow::activateLesson(const QString& name) {
    const int index = lessonIndex(name);
    if (index < 0) return false;
    if (m_current >= 0) m_lessons[size_t(m_current)]->state = saveState(kLayoutVersion);
    m_current = index;
    LessonSlot& target = *m_lessons[size_t(index)];
    buildLesson(index);
    if (target.defaultState.isEmpty()) applyDefaultLayout(target);
    if (target.state.isEmpty() || !restoreState(target.state, kLayoutVersion)) restoreState(target.defaultState, kLayoutVersion);
    // Docks a saved state does not know (added in a newer version, or built later) follow the lesson.
    for (const auto& d : m_dockInfo) {
        const bool mine = d.lesson == m_current;
        if (!mine && !d.dock->isHidden()) d.dock->hide();
        if (mine && (d.dock->isFloating() || tabifiedDockWidgets(d.dock).isEmpty())) d.dock->raise();   // (a tab: the state's front one stays)
    }
    target.activate->setChecked(true);
    updateModelStatus();
    showMessage(tr("Lesson: %1").arg(target.spec.translatedTitle()), 3000);
    return true;
}

// The default arrangement of `lesson`: every dock re-added in (lesson, declared) order in its area (so the
// structure is the same for every lesson), the lesson's docks shown at their preferred sizes (tabbed ones,
// setTabbedByDefault, in their group), the others hidden. Saved as the lesson's defaultState (View -> Reset layout goes back to it).
void MainWindow::applyDefaultLayout(LessonSlot& lesson) {
    for (const auto& d : m_dockInfo) {
        d.dock->setFloating(false);
        removeDockWidget(d.dock);
    }
    QList<QDockWidget*> hDocks, vDocks;
    QList<int> hSizes, vSizes;
    for (const auto& d : m_dockInfo) {
        const bool mine = d.lesson >= 0 && m_lessons[size_t(d.lesson)].get() == &lesson;
        addDockWidget(d.area, d.dock);
        d.dock->setFloating(false);
        d.dock->setVisible(mine && !d.hiddenByDefault);
        if (!mine || d.hiddenByDefault || d.tabOf) continue;   // (a tab takes its group's size)
        const bool sides = d.area == Qt::LeftDockWidgetArea || d.area == Qt::RightDockWidgetArea;
        const QSize hint = dockView(d.dock) ? dockView(d.dock)->sizeHint() : QSize();
        const int w = d.preferred.width() > 0 ? d.preferred.width() : (sides ? hint.width() : 0);
        const int h = d.preferred.height() > 0 ? d.preferred.height() : (sides ? 0 : hint.height());
        if (w > 0) {
            hDocks << d.dock;
            hSizes << w;
        }
        if (h > 0) {
            vDocks << d.dock;
            vSizes << h;
        }
    }
    for (const auto& d : m_dockInfo)
        if (d.tabOf && d.lesson >= 0 && m_lessons[size_t(d.lesson)].get() == &lesson) tabifyDockWidget(d.tabOf, d.dock);
    for (const auto& d : m_dockInfo)   // each group's first tab in front
        if (d.tabOf && !d.tabOf->isHidden()) d.tabOf->raise();
    fitDocks();   // (the lesson's docks are shown: their minimums decide)
    if (!hDocks.isEmpty()) resizeDocks(hDocks, hSizes, Qt::Horizontal);
    if (!vDocks.isEmpty()) resizeDocks(vDocks, vSizes, Qt::Vertical);
    lesson.defaultState = saveState(kLayoutVersion);
}

QByteArray MainWindow::layoutState() const { return saveState(kLayoutVersion); }

bool MainWindow::restoreLayoutState(const QByteArray& state) { return restoreState(state, kLayoutVersion); }

void MainWindow::resetLayout() {
    if (m_current < 0) return;
    LessonSlot& l = *m_lessons[size_t(m_current)];
    applyDefaultLayout(l);
    l.state.clear();
}

bool MainWindow::runSteps(int n) {
    if (m_current < 0) return false;
    Lesson* l = buildLesson(m_current);
    return l && l->step(n);
}

// --- models ----------------------------------------------------------------------------------------------

QString MainWindow::openModelFile(const QString& path, const QString& tokenizer) {
    QEventLoop loop;
    QString error;
    bool finished = false;
    m_loader->load(path, tokenizer, [&](const ModelLoader::Result& r) {
        error = r.cancelled ? tr("opening '%1' was cancelled").arg(path) : !r.error.isEmpty() ? r.error : adoptModel(r);
        finished = true;
        loop.quit();
    });
    if (!finished) loop.exec();
    return error;
}

QString MainWindow::adoptModel(const ModelLoader::Result& read) {
    const ar::OpenedModel& opened = read.model;
    const QString& path = read.path;
    const ar::ModelFamily family = opened.family;
    int target = m_current >= 0 && m_lessons[size_t(m_current)]->spec.opens(family) ? m_current : -1;
    for (size_t i = 0; i < m_lessons.size() && target < 0; ++i)
        if (m_lessons[i]->spec.opens(family)) target = int(i);
    const QString kind = QString::fromStdString(opened.kind);
    if (target < 0) return tr("model '%1': no lesson opens %2 models (kind '%3')").arg(path, QString::fromStdString(ar::familyName(family)), kind);
    try {
        Lesson* lesson = buildLesson(target);
        if (!lesson) return tr("model '%1': the %2 lesson could not be built").arg(path, m_lessons[size_t(target)]->spec.translatedTitle());
        lesson->openModel(opened, path);
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    if (opened.text && !read.sha256.isEmpty()) m_sessions->knowModelHash(path, opened.text.get(), read.sha256, read.tokenizerSha256);
    if (target != m_current) activateLesson(m_lessons[size_t(target)]->spec.id);
    showMessage(tr("Opened %1 (%2)").arg(QFileInfo(path).fileName(), kind));
    return {};
}

void MainWindow::openModel() {
    OpenModelDialog dialog(this);
    if (m_loader->busy()) dialog.setPath(m_loader->path());
    else if (!m_generation->modelSource().startsWith(QLatin1Char(':'))) dialog.setPath(m_generation->modelSource());
    if (dialog.exec() == QDialog::Accepted) startOpenModel(dialog.path(), dialog.tokenizer());
}

void MainWindow::startOpenModel(const QString& path, const QString& tokenizer) {
    m_loader->load(path, tokenizer, [this, path](const ModelLoader::Result& r) {
        if (r.cancelled) {
            showMessage(tr("Opening %1 cancelled; the current model stays").arg(QFileInfo(path).fileName()), 5000);
            return;
        }
        const QString error = r.error.isEmpty() ? adoptModel(r) : r.error;
        if (!error.isEmpty()) reportOpenFailure(path, error);
    });
}

bool MainWindow::openModelInteractive(const QString& path, const QString& tokenizer) {
    const QString error = openModelFile(path, tokenizer);
    if (!error.isEmpty()) reportOpenFailure(path, error);
    return error.isEmpty();
}

void MainWindow::reportOpenFailure(const QString& path, const QString& error) {
    showMessage(tr("Open model failed: %1").arg(error), 10000);
    QMessageBox::warning(this, tr("Cannot open model"),
                         tr("<p>%1 could not be opened. The current model is unchanged.</p><p>%2</p>")
                             .arg(QFileInfo(path).fileName().toHtmlEscaped(), error.toHtmlEscaped()));
}

void MainWindow::updateLoadStatus() {
    const bool busy = m_loader->busy();
    m_loadStatus->setVisible(busy);
    m_openAct->setText(busy ? tr("&Open model… (reading %1)").arg(QFileInfo(m_loader->path()).fileName()) : tr("&Open model…"));
    if (!busy) {
        m_loadTimer->stop();
        return;
    }
    if (!m_loadTimer->isActive()) m_loadTimer->start();
    m_loadLabel->setText(tr("Reading %1… %2 s").arg(QFileInfo(m_loader->path()).fileName()).arg(double(m_loader->elapsedMs()) / 1000.0, 0, 'f', 1));
}

void MainWindow::updateModelStatus() {
    // The text model's position and name mean nothing in a lesson that does not use it (images, translation).
    const bool shown = m_current < 0 || m_lessons[size_t(m_current)]->spec.usesTextModel;
    m_modelLabel->setVisible(shown);
    m_positionLabel->setVisible(shown);
    const auto m = m_generation->model();
    if (!m) {
        m_modelLabel->setText(tr("no model"));
        m_positionLabel->clear();
        return;
    }
    const QString source = m_generation->modelSource();
    m_modelLabel->setText(tr("Model: %1 (%2)").arg(QFileInfo(source).fileName(), modelFamily(*m)));
    m_modelLabel->setToolTip(source);
    if (const auto* s = m_generation->session()) {
        const int ctx = m->contextLength();
        m_positionLabel->setText(ctx > 0 ? tr("Position %1 / %2").arg(s->sequence().size()).arg(ctx)
                                         : tr("Position %1").arg(s->sequence().size()));
    } else {
        m_positionLabel->setText(tr("prompt not usable"));
    }
}

void MainWindow::showMessage(const QString& text, int timeoutMs) { statusBar()->showMessage(text, timeoutMs); }

// --- frame -----------------------------------------------------------------------------------------------

void MainWindow::createActions() {
    m_openAct = makeAction(tr("&Open model…"),
                           tr("Open a model file or folder: arlab .safetensors, a GPT-2 folder (Hugging Face layout) or a llama2.c checkpoint"),
                           this, QKeySequence::Open);
    connect(m_openAct, &QAction::triggered, this, &MainWindow::openModel);

    m_quitAct = makeAction(tr("&Quit"), tr("Quit arlab (the dock layout is saved)"), this, QKeySequence::Quit);
    connect(m_quitAct, &QAction::triggered, this, &QWidget::close);

    m_resetLayoutAct = makeAction(tr("&Reset layout"), tr("Put the docks of this lesson back where they started"), this);
    connect(m_resetLayoutAct, &QAction::triggered, this, [this] {
        resetLayout();
        if (m_current >= 0) showMessage(tr("Layout of the %1 lesson reset").arg(m_lessons[size_t(m_current)]->spec.translatedTitle()), 3000);
    });

    m_fullScreenAct = makeAction(tr("&Full screen"), tr("Fill the screen (for the projector)"), this, QKeySequence(Qt::Key_F11));
    m_fullScreenAct->setCheckable(true);
    connect(m_fullScreenAct, &QAction::toggled, this, [this](bool on) { on ? showFullScreen() : showNormal(); });

    m_aboutAct = makeAction(tr("&About arlab"), tr("What arlab is, its version and its libraries"), this);
    connect(m_aboutAct, &QAction::triggered, this, &MainWindow::about);

    m_lessonGroup = new QActionGroup(this);
    m_lessonGroup->setExclusive(true);
}

void MainWindow::createMenus() {
    m_fileMenu = menuBar()->addMenu(tr("&File"));
    m_fileMenu->addAction(m_openAct);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAct);

    m_lessonMenu = menuBar()->addMenu(tr("&Lesson"));
    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewSeparator = m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_resetLayoutAct);
    m_viewMenu->addAction(m_fullScreenAct);

    m_helpMenu = menuBar()->addMenu(tr("&Help"));
    m_helpMenu->addAction(m_aboutAct);
    QAction* aboutQt = makeAction(tr("About &Qt"), tr("The version of Qt that arlab runs on, and its licence"), this);
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
    m_helpMenu->addAction(aboutQt);
}

void MainWindow::createStatusBar() {
    m_modelLabel = new QLabel(this);
    m_modelLabel->setToolTip(tr("The model in use"));
    m_positionLabel = new QLabel(this);
    m_positionLabel->setToolTip(tr("Tokens in the sequence / the model's context length"));
    // While a model is read in the background: its name and time, a busy bar, and Cancel.
    m_loader = new ModelLoader(this);
    m_loadStatus = new QWidget(this);
    m_loadStatus->setObjectName(QStringLiteral("modelLoadStatus"));
    auto* loadLayout = new QHBoxLayout(m_loadStatus);
    loadLayout->setContentsMargins(0, 0, 0, 0);
    m_loadLabel = new QLabel;
    auto* bar = new QProgressBar;
    bar->setRange(0, 0);   // busy: the core reader reports no fraction
    bar->setMaximumWidth(120);
    bar->setMaximumHeight(m_loadLabel->sizeHint().height());
    bar->setToolTip(tr("The model is read in the background; the window stays usable with the current model"));
    auto* cancel = new QToolButton;
    cancel->setObjectName(QStringLiteral("cancelModelLoad"));
    cancel->setText(tr("Cancel"));
    cancel->setToolTip(tr("Stop opening this model and keep the current one"));
    loadLayout->addWidget(m_loadLabel);
    loadLayout->addWidget(bar);
    loadLayout->addWidget(cancel);
    m_loadStatus->hide();
    m_loadTimer = new QTimer(this);
    m_loadTimer->setInterval(100);
    connect(m_loadTimer, &QTimer::timeout, this, &MainWindow::updateLoadStatus);
    connect(cancel, &QToolButton::clicked, m_loader, &ModelLoader::cancel);
    connect(m_loader, &ModelLoader::busyChanged, this, &MainWindow::updateLoadStatus);
    statusBar()->addPermanentWidget(m_loadStatus);
    statusBar()->addPermanentWidget(m_positionLabel);
    statusBar()->addPermanentWidget(m_modelLabel);
    statusBar()->showMessage(tr("Ready"));
}

void MainWindow::about() {
    QMessageBox::about(
        this, tr("About arlab"),
        tr("<h3>arlab %1</h3>"
           "<p>AR Lab teaches <b>autoregressive generative models</b>: the chain rule "
           "P(x) = &prod; P(x<sub>i</sub> | x<sub>&lt;i</sub>), shown live, one token or one pixel at a time, "
           "on small models that train in seconds.</p>"
           "<p>Qt %2 (built with %3) &middot; Eigen %4.%5.%6 &middot; QCustomPlot %7</p>")
            .arg(QStringLiteral(ARLAB_VERSION), QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR))
            .arg(EIGEN_WORLD_VERSION)
            .arg(EIGEN_MAJOR_VERSION)
            .arg(EIGEN_MINOR_VERSION)
            .arg(QStringLiteral(QCUSTOMPLOT_VERSION_STR)));
}

// --- settings --------------------------------------------------------------------------------------------

void MainWindow::readSettings() {
    QSettings s;
    const QByteArray geometry = s.value("geometry").toByteArray();
    if (!geometry.isEmpty()) restoreGeometry(geometry);
    for (auto& l : m_lessons) l->state = s.value("state/" + l->spec.id).toByteArray();
}

void MainWindow::writeSettings() {
    if (m_current >= 0) m_lessons[size_t(m_current)]->state = saveState(kLayoutVersion);
    QSettings s;
    s.setValue("geometry", saveGeometry());
    s.setValue("lesson", currentLesson());
    for (const auto& l : m_lessons) s.setValue("state/" + l->spec.id, l->state);
}

void MainWindow::showEvent(QShowEvent* event) {
    fitDocks();
    QMainWindow::showEvent(event);
}

// Larger fonts (presentation mode, zoom) make larger minimums: fit again once every widget has its new font.
void MainWindow::changeEvent(QEvent* event) {
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::FontChange) QTimer::singleShot(0, this, [this] { fitDocks(); });
}

void MainWindow::closeEvent(QCloseEvent* event) {
    m_generation->pause();
    m_loader->cancel();   // a model still being read is dropped (its thread is waited for on destruction)
    m_sessions->closing();
    if (m_options.persistLayout) writeSettings();
    event->accept();
}

}  // namespace arlab
