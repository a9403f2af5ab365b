#include "app/gui/mainwindow.h"

#include "app/gui/generationcontroller.h"
#include "core/error.h"
#include "core/io/modelfile.h"
#include "core/io/safetensors.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

#include <Eigen/Core>
#include <qcustomplot.h>

namespace arlab {

// ============================================================================================================
// The lessons, in menu order (Ctrl+1, Ctrl+2, ...). ONE line per lesson; see the top of mainwindow.h.
void MainWindow::registerLessons() {
    ARLAB_LESSON(setupTransformerLesson, "transformer", "Transformer");
    ARLAB_LESSON(setupDecodingLesson, "decoding", "Decoding");
    ARLAB_LESSON(setupImagesLesson, "pixels", "Images");
    ARLAB_LESSON(setupTranslationLesson, "translate", "Translation");
}
// ============================================================================================================

namespace {
constexpr int kLayoutVersion = 1;  // bump when the default dock arrangement changes incompatibly
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

    connect(m_generation, &GenerationController::changed, this, &MainWindow::updateModelStatus);
    connect(m_generation, &GenerationController::stepFailed, this, [this](const QString& m) { showMessage(m, 8000); });
    QString message;
    if (!m_generation->loadBuiltinModel(&message)) showMessage(message, 0);
    updateModelStatus();

    resize(1600, 1000);
    for (auto& l : m_lessons) applyDefaultLayout(*l);  // the default arrangement of every lesson
    if (m_options.persistLayout) readSettings();
    QString start = m_options.lesson;
    if (start.isEmpty() && m_options.persistLayout) start = QSettings().value("lesson").toString();
    if (!activateLesson(start) && !m_lessons.empty()) activateLesson(m_lessons.front()->name);
}

MainWindow::~MainWindow() = default;

// --- lessons and docks -----------------------------------------------------------------------------------

void MainWindow::registerLesson(const QString& name, const QString& title, LessonSetup setup) {
    auto lesson = std::make_unique<Lesson>();
    lesson->name = name;
    lesson->title = title;
    lesson->setup = setup;
    lesson->menu = m_lessonMenu->addMenu(title);
    const int index = int(m_lessons.size());
    lesson->activate = new QAction(tr("Show the %1 lesson").arg(title), this);
    lesson->activate->setCheckable(true);
    lesson->activate->setStatusTip(tr("Show the docks of the %1 lesson").arg(title));
    if (index < 9) lesson->activate->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + index)));
    m_lessonGroup->addAction(lesson->activate);
    lesson->menu->addAction(lesson->activate);
    lesson->menu->addSeparator();
    connect(lesson->activate, &QAction::triggered, this, [this, name] { activateLesson(name); });
    m_lessons.push_back(std::move(lesson));

    m_setupLesson = index;
    setup(*this);
    m_setupLesson = -1;
}

QDockWidget* MainWindow::addDock(QWidget* content, const QString& objectName, const QString& title,
                                 Qt::DockWidgetArea area, QSize preferred) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(content);
    return addDock(dock, area, preferred);
}

QDockWidget* MainWindow::addDock(QDockWidget* dock, Qt::DockWidgetArea area, QSize preferred) {
    Q_ASSERT_X(!dock->objectName().isEmpty(), "MainWindow::addDock", "the dock needs a stable objectName");
    if (dock->objectName().isEmpty()) dock->setObjectName(dock->windowTitle());
    if (dock->parent() != this) dock->setParent(this);
    addDockWidget(area, dock);
    QAction* toggle = dock->toggleViewAction();
    toggle->setStatusTip(tr("Show or hide the %1 dock").arg(dock->windowTitle()));
    toggle->setToolTip(toggle->statusTip());
    m_viewMenu->insertAction(m_viewSeparator, toggle);
    const int lesson = m_setupLesson;
    if (lesson >= 0) {
        m_lessons[size_t(lesson)]->docks << dock;
        m_lessons[size_t(lesson)]->menu->addAction(toggle);
    }
    m_dockInfo.push_back({dock, area, preferred, lesson});
    return dock;
}

void MainWindow::setHiddenByDefault(QDockWidget* dock) {
    for (auto& d : m_dockInfo)
        if (d.dock == dock) d.hiddenByDefault = true;
}

void MainWindow::setStepHandler(std::function<void(int)> handler) {
    if (m_setupLesson >= 0) m_lessons[size_t(m_setupLesson)]->steps = std::move(handler);
}

void MainWindow::addModelHandler(const QStringList& kinds, ModelHandler handler) {
    m_modelHandlers.emplace_back(kinds, std::move(handler));
}

QMenu* MainWindow::lessonMenu() const {
    return m_setupLesson >= 0 ? m_lessons[size_t(m_setupLesson)]->menu : m_lessonMenu;
}

GenerationController* MainWindow::generation() const {
    if (m_setupLesson >= 0) m_lessons[size_t(m_setupLesson)]->usesTextModel = true;
    return m_generation;
}

QStringList MainWindow::lessonNames() const {
    QStringList names;
    for (const auto& l : m_lessons) names << l->name;
    return names;
}

QString MainWindow::currentLesson() const { return m_current >= 0 ? m_lessons[size_t(m_current)]->name : QString(); }

Lesson* MainWindow::findLesson(const QString& name) const {
    for (const auto& l : m_lessons)
        if (l->name == name) return l.get();
    return nullptr;
}

QList<QDockWidget*> MainWindow::docks() const {
    QList<QDockWidget*> out;
    for (const auto& d : m_dockInfo) out << d.dock;
    return out;
}

bool MainWindow::activateLesson(const QString& name) {
    Lesson* target = findLesson(name);
    if (!target) return false;
    if (m_current >= 0) m_lessons[size_t(m_current)]->state = saveState(kLayoutVersion);
    m_current = -1;
    for (size_t i = 0; i < m_lessons.size(); ++i)
        if (m_lessons[i].get() == target) m_current = int(i);
    if (target->state.isEmpty() || !restoreState(target->state, kLayoutVersion)) restoreState(target->defaultState, kLayoutVersion);
    // Docks a saved state does not know (added in a newer version) follow the lesson.
    for (const auto& d : m_dockInfo) {
        const bool mine = d.lesson == m_current;
        if (!mine && d.dock->isVisible()) d.dock->hide();
        if (mine) d.dock->raise();
    }
    target->activate->setChecked(true);
    updateModelStatus();
    showMessage(tr("Lesson: %1").arg(target->title), 3000);
    return true;
}

// The default arrangement of `lesson`: every dock re-added in registration order in its area (so the
// structure is the same for every lesson), the lesson's docks shown at their preferred sizes, the others
// hidden. Saved as the lesson's defaultState (View -> Reset layout goes back to it).
void MainWindow::applyDefaultLayout(Lesson& lesson) {
    for (const auto& d : m_dockInfo) {
        d.dock->setFloating(false);
        removeDockWidget(d.dock);
    }
    QList<QDockWidget*> hDocks, vDocks;
    QList<int> hSizes, vSizes;
    for (const auto& d : m_dockInfo) {
        const bool mine = m_lessons[size_t(d.lesson)].get() == &lesson;
        addDockWidget(d.area, d.dock);
        d.dock->setFloating(false);
        d.dock->setVisible(mine && !d.hiddenByDefault);
        if (!mine || d.hiddenByDefault) continue;
        const bool sides = d.area == Qt::LeftDockWidgetArea || d.area == Qt::RightDockWidgetArea;
        const QSize hint = d.dock->widget() ? d.dock->widget()->sizeHint() : QSize();
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
    if (!hDocks.isEmpty()) resizeDocks(hDocks, hSizes, Qt::Horizontal);
    if (!vDocks.isEmpty()) resizeDocks(vDocks, vSizes, Qt::Vertical);
    lesson.defaultState = saveState(kLayoutVersion);
}

void MainWindow::resetLayout() {
    if (m_current < 0) return;
    Lesson& l = *m_lessons[size_t(m_current)];
    applyDefaultLayout(l);
    l.state.clear();
}

bool MainWindow::runSteps(int n) {
    if (m_current < 0 || !m_lessons[size_t(m_current)]->steps) return false;
    m_lessons[size_t(m_current)]->steps(n);
    return true;
}

// --- models ----------------------------------------------------------------------------------------------

QString MainWindow::openModelFile(const QString& path) {
    try {
        const ar::SafeTensors file = ar::readSafetensors(path.toStdString());
        const std::string label = "model '" + path.toStdString() + "'";
        const QString kind = QString::fromStdString(ar::modelKind(file, label));
        for (const auto& [kinds, handler] : m_modelHandlers)
            if (kinds.contains(kind)) {
                handler(file, path);
                showMessage(tr("Opened %1 (%2)").arg(QFileInfo(path).fileName(), kind));
                return {};
            }
        std::shared_ptr<const ar::LanguageModel> m = ar::loadLanguageModel(file, label);
        m_generation->setModel(std::move(m), path);
        showMessage(tr("Opened %1 (%2)").arg(QFileInfo(path).fileName(), kind));
        return {};
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
}

void MainWindow::openModel() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open model"), QString(),
                                                      tr("arlab models (*.safetensors);;All files (*)"));
    if (!path.isEmpty()) openModelInteractive(path);
}

bool MainWindow::openModelInteractive(const QString& path) {
    const QString error = openModelFile(path);
    if (!error.isEmpty()) {
        QMessageBox::warning(this, tr("Cannot open model"),
                             tr("<p>%1 could not be opened. The current model is unchanged.</p><p>%2</p>")
                                 .arg(QFileInfo(path).fileName().toHtmlEscaped(), error.toHtmlEscaped()));
        showMessage(tr("Open model failed: %1").arg(error), 10000);
        return false;
    }
    return true;
}

void MainWindow::updateModelStatus() {
    // The text model's position and name mean nothing in a lesson that does not use it (images, translation).
    const bool shown = m_current < 0 || m_lessons[size_t(m_current)]->usesTextModel;
    m_modelLabel->setVisible(shown);
    m_positionLabel->setVisible(shown);
    const auto m = m_generation->model();
    if (!m) {
        m_modelLabel->setText(tr("no model"));
        m_positionLabel->clear();
        return;
    }
    const QString source = m_generation->modelSource();
    m_modelLabel->setText(tr("Model: %1 (%2)").arg(QFileInfo(source).fileName(), QString::fromStdString(m->kind())));
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
    m_openAct = new QAction(tr("&Open model…"), this);
    m_openAct->setShortcut(QKeySequence::Open);
    m_openAct->setStatusTip(tr("Open a model file (.safetensors) made by arlab-cli"));
    m_openAct->setToolTip(m_openAct->statusTip());
    connect(m_openAct, &QAction::triggered, this, &MainWindow::openModel);

    m_quitAct = new QAction(tr("&Quit"), this);
    m_quitAct->setShortcut(QKeySequence::Quit);
    m_quitAct->setStatusTip(tr("Quit arlab (the dock layout is saved)"));
    connect(m_quitAct, &QAction::triggered, this, &QWidget::close);

    m_resetLayoutAct = new QAction(tr("&Reset layout"), this);
    m_resetLayoutAct->setStatusTip(tr("Put the docks of this lesson back where they started"));
    connect(m_resetLayoutAct, &QAction::triggered, this, [this] {
        resetLayout();
        if (m_current >= 0) showMessage(tr("Layout of the %1 lesson reset").arg(m_lessons[size_t(m_current)]->title), 3000);
    });

    m_fullScreenAct = new QAction(tr("&Full screen"), this);
    m_fullScreenAct->setShortcut(QKeySequence(Qt::Key_F11));
    m_fullScreenAct->setCheckable(true);
    m_fullScreenAct->setStatusTip(tr("Fill the screen (for the projector)"));
    connect(m_fullScreenAct, &QAction::toggled, this, [this](bool on) { on ? showFullScreen() : showNormal(); });

    m_aboutAct = new QAction(tr("&About arlab"), this);
    m_aboutAct->setStatusTip(tr("What arlab is, its version and its libraries"));
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
    m_helpMenu->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::createStatusBar() {
    m_modelLabel = new QLabel(this);
    m_modelLabel->setToolTip(tr("The model in use"));
    m_positionLabel = new QLabel(this);
    m_positionLabel->setToolTip(tr("Tokens in the sequence / the model's context length"));
    statusBar()->addPermanentWidget(m_positionLabel);
    statusBar()->addPermanentWidget(m_modelLabel);
    statusBar()->showMessage(tr("Ready"));
}

void MainWindow::createDockWindows() { registerLessons(); }

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
    for (auto& l : m_lessons) l->state = s.value("state/" + l->name).toByteArray();
}

void MainWindow::writeSettings() {
    if (m_current >= 0) m_lessons[size_t(m_current)]->state = saveState(kLayoutVersion);
    QSettings s;
    s.setValue("geometry", saveGeometry());
    s.setValue("lesson", currentLesson());
    for (const auto& l : m_lessons) s.setValue("state/" + l->name, l->state);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    m_generation->pause();
    if (m_options.persistLayout) writeSettings();
    event->accept();
}

}  // namespace arlab
