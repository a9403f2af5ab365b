#include "app/gui/sessioncontroller.h"

#include "app/gui/generationcontroller.h"
#include "app/gui/lesson.h"
#include "app/gui/mainwindow.h"
#include "app/gui/menuaction.h"
#include "app/gui/modelfiles.h"
#include "app/gui/quizcontroller.h"
#include "core/decoding/decodingsession.h"
#include "core/error.h"
#include "core/io/llama2c.h"
#include "core/io/realmodels.h"
#include "core/models/languagemodel.h"

#include <QAction>
#include <QActionGroup>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <cstdio>

namespace arlab {

namespace {
constexpr int kAutosaveChoices[] = {0, 10, 30, 60, 300};
const char* const kAutosaveName = "autosave.arlab";

// The tokenizer a session must name besides the model: a llama2.c checkpoint opened with a tokenizer.bin other
// than the one next to it (File > Open model's choice, --tokenizer). The reader records the tokenizer it read in
// the model's provenance; "" when it is the one next to the checkpoint, or the model brings its own vocabulary.
QString separateTokenizer(const ar::LanguageModel& model, const QString& source) {
    if (source.startsWith(QLatin1Char(':')) || ar::detectRealModel(source.toStdString()) != ar::RealModelFormat::Llama2c) return {};
    const ar::Metadata meta = model.metadata();
    const auto it = meta.find("arlab.provenance");
    if (it == meta.end()) return {};
    const QJsonObject prov = QJsonDocument::fromJson(QByteArray::fromStdString(it->second)).object();
    const QString used = prov.value(QStringLiteral("tokenizer")).toString();
    const QString weights = prov.value(QStringLiteral("weights")).toString();
    if (used.isEmpty() || weights.isEmpty()) return {};
    const QString nextTo = QString::fromStdString(ar::llamaTokenizerNextTo(weights.toStdString()));
    if (!nextTo.isEmpty() && QFileInfo(nextTo).canonicalFilePath() == QFileInfo(used).canonicalFilePath()) return {};
    return used;
}
}  // namespace

SessionController::SessionController(MainWindow& window, QMenu* fileMenu, bool autosave)
    : QObject(&window), m_window(window), m_autosave(autosave) {
    m_openAct = makeAction(tr("Open &session…"),
                           tr("Open a saved session (.arlab): lesson, model, prompt, every branch, settings, layout, quiz"), this,
                           QKeySequence(QStringLiteral("Ctrl+Shift+O")));
    connect(m_openAct, &QAction::triggered, this, &SessionController::open);
    m_saveAct = makeAction(tr("&Save session"),
                           tr("Save what is on screen (lesson, model, prompt, every branch, settings, layout, quiz) to an .arlab file"),
                           this, QKeySequence::Save);
    connect(m_saveAct, &QAction::triggered, this, &SessionController::save);
    m_saveAsAct = makeAction(tr("Save session &as…"), tr("Save the session to a new .arlab file"), this,
                             QKeySequence(QStringLiteral("Ctrl+Shift+S")));
    connect(m_saveAsAct, &QAction::triggered, this, &SessionController::saveAs);

    m_autosaveMenu = new QMenu(tr("&Autosave"), &window);
    m_autosaveMenu->setToolTipsVisible(true);
    m_autosaveGroup = new QActionGroup(this);
    m_autosaveSeconds = autosave ? QSettings().value(QStringLiteral("session/autosaveSeconds"), 30).toInt() : 30;
    if (std::find(std::begin(kAutosaveChoices), std::end(kAutosaveChoices), m_autosaveSeconds) == std::end(kAutosaveChoices))
        m_autosaveSeconds = 30;
    for (int seconds : kAutosaveChoices) {
        QAction* a = makeAction(seconds == 0 ? tr("Off") : seconds < 60 ? tr("Every %1 s").arg(seconds) : tr("Every %1 min").arg(seconds / 60),
                                tr("How often the session is saved to the app-data folder, to be offered back after a crash"), this);
        a->setCheckable(true);
        a->setData(seconds);
        a->setChecked(seconds == m_autosaveSeconds);
        m_autosaveGroup->addAction(a);
        m_autosaveMenu->addAction(a);
        connect(a, &QAction::triggered, this, [this, seconds] {
            setAutosaveSeconds(seconds);
            if (m_autosave) QSettings().setValue(QStringLiteral("session/autosaveSeconds"), seconds);
        });
    }

    // After "Open model…": Open session, Save session, Save session as, Autosave.
    QList<QAction*> actions = fileMenu->actions();
    QAction* before = actions.size() > 1 ? actions[1] : nullptr;
    fileMenu->insertSeparator(before);
    fileMenu->insertAction(before, m_openAct);
    fileMenu->insertAction(before, m_saveAct);
    fileMenu->insertAction(before, m_saveAsAct);
    fileMenu->insertMenu(before, m_autosaveMenu);

    m_timer = new QTimer(this);
    connect(m_timer, &QTimer::timeout, this, [this] {
        const QString error = autosaveNow();
        if (!error.isEmpty()) m_window.showMessage(tr("Autosave failed: %1").arg(error), 10000);
    });
    m_autosaveDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (m_autosave) claimAutosave();
    setAutosaveSeconds(m_autosaveSeconds);
}

SessionController::~SessionController() = default;

// --- capture and files -------------------------------------------------------------------------------------

namespace {
QString hashKey(const QString& source, const QString& tokenizer, const ar::LanguageModel* model) {
    return source + QLatin1Char('\n') + tokenizer + QLatin1Char('\n') + QString::number(quintptr(model));
}
}  // namespace

void SessionController::knowModelHash(const QString& source, const ar::LanguageModel* model, const QString& sha256,
                                      const QString& tokenizerSha256) {
    const QString tokenizer = separateTokenizer(*model, source);
    m_hashSource = hashKey(source, tokenizer, model);
    m_hash = sha256;
    m_tokenizerHash = tokenizer.isEmpty() ? QString() : tokenizerSha256;   // "" with a tokenizer: read at the save
}

QString SessionController::modelHash(const QString& source, const QString& tokenizer, QString* tokenizerHash, QString* error) {
    // The hash of the model as it was loaded: handed over by the load job (knowModelHash) or computed once per
    // loaded model (the built-in model), not every autosave.
    const QString key = hashKey(source, tokenizer, m_window.generation()->model().get());
    if (key != m_hashSource || m_hash.isEmpty() || (!tokenizer.isEmpty() && m_tokenizerHash.isEmpty())) {
        m_hash = modelFileSha256(source, error);
        m_tokenizerHash.clear();
        if (!m_hash.isEmpty() && !tokenizer.isEmpty()) {
            m_tokenizerHash = modelFileSha256(tokenizer, error);
            if (m_tokenizerHash.isEmpty()) m_hash.clear();
        }
        m_hashSource = key;
    }
    *tokenizerHash = m_tokenizerHash;
    return m_hash;
}

ar::SessionData SessionController::capture() {
    ar::SessionData d;
    d.app = ARLAB_VERSION;
    d.lesson = m_window.currentLesson().toStdString();
    GenerationController* gen = m_window.generation();
    if (gen->model()) {
        QString error, tokenizerHash;
        const QString tokenizer = separateTokenizer(*gen->model(), gen->modelSource());
        d.modelPath = gen->modelSource().toStdString();
        d.modelSha256 = modelHash(gen->modelSource(), tokenizer, &tokenizerHash, &error).toStdString();
        d.tokenizerPath = tokenizer.toStdString();
        d.tokenizerSha256 = tokenizerHash.toStdString();
        if (d.modelSha256.empty()) {   // a model that cannot be read again is not named
            d.modelPath.clear();
            d.tokenizerPath.clear();
        }
    }
    d.prompt = gen->prompt().toStdString();
    d.sampler = gen->settings();
    if (const ar::DecodingSession* s = gen->session()) d.history = ar::historyOf(*s, &d.current);
    // The layout as it will be shown: a step that re-filled a wrapping row (FlowLayout) has a layout request
    // pending that resizes its dock; settle it first, or the file would keep the size from before.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    d.layout = m_window.layoutState().toBase64().toStdString();
    if (auto* quiz = m_window.findChild<QuizController*>()) {
        d.hasQuiz = true;
        d.quizLength = quiz->round().length();
        d.quizSteps = quiz->round().steps();
    }
    return d;
}

QString SessionController::writeFile(const QString& path, const QByteArray& bytes) {
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return tr("cannot write '%1': %2").arg(path, f.errorString());
    if (f.write(bytes) != bytes.size()) {
        const QString e = f.errorString();
        f.cancelWriting();
        return tr("cannot write '%1': %2").arg(path, e);
    }
    if (!f.commit()) return tr("cannot write '%1': %2").arg(path, f.errorString());
    return {};
}

QString SessionController::saveTo(const QString& path) {
    const QString error = writeFile(path, QByteArray::fromStdString(ar::writeSession(capture())));
    if (error.isEmpty()) {
        m_file = path;
        emit saved(path);
    }
    return error;
}

QString SessionController::openFrom(const QString& path) {
    const QString name = QFileInfo(path).fileName();
    // 1. Everything is read and checked before the window changes.
    ar::SessionData d;
    try {
        d = ar::readSessionFile(path.toStdString());
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    const QString lesson = QString::fromStdString(d.lesson);
    if (!LessonRegistry::find(lesson))
        return tr("session '%1': its lesson '%2' is not in this arlab (lessons: %3)").arg(path, lesson, LessonRegistry::ids().join(QStringLiteral(", ")));
    d.sampler.compare = m_window.generation()->settings().compare;   // not in the file: the Compare dock keeps its own
    std::shared_ptr<const ar::LanguageModel> model;
    std::unique_ptr<ar::DecodingSession> session;
    const QString modelPath = QString::fromStdString(d.modelPath);
    if (!modelPath.isEmpty()) {
        if (!QFileInfo::exists(modelPath))
            return tr("session '%1': its model file '%2' is missing (moved or deleted?). Put it back, or open the model "
                      "and start again.").arg(name, modelPath);
        QString error;
        const QString now = modelFileSha256(modelPath, &error);
        if (now.isEmpty()) return tr("session '%1': its model file '%2' cannot be read: %3").arg(name, modelPath, error);
        if (now != QString::fromStdString(d.modelSha256))
            return tr("session '%1': its model file '%2' has changed since the session was saved (SHA-256 %3… then, %4… now): "
                      "the saved tokens may mean something else with it").arg(name, modelPath, QString::fromStdString(d.modelSha256).left(12), now.left(12));
        const QString tokenizer = QString::fromStdString(d.tokenizerPath);
        if (!tokenizer.isEmpty()) {
            if (!QFileInfo::exists(tokenizer))
                return tr("session '%1': its tokenizer file '%2' is missing (moved or deleted?). Put it back, or open the model "
                          "and start again.").arg(name, tokenizer);
            const QString tokNow = modelFileSha256(tokenizer, &error);
            if (tokNow.isEmpty()) return tr("session '%1': its tokenizer file '%2' cannot be read: %3").arg(name, tokenizer, error);
            if (tokNow != QString::fromStdString(d.tokenizerSha256))
                return tr("session '%1': its tokenizer file '%2' has changed since the session was saved (SHA-256 %3… then, %4… now): "
                          "the saved tokens may mean something else with it").arg(name, tokenizer, QString::fromStdString(d.tokenizerSha256).left(12), tokNow.left(12));
        }
        try {
            const std::string label = "model '" + d.modelPath + "'";
            model = tokenizer.isEmpty() ? openModelAt(modelPath, ar::ModelFamily::Text).text
                                        : ar::requireFamily(openAnyModel(modelPath, tokenizer), ar::ModelFamily::Text, label).text;
            session = std::make_unique<ar::DecodingSession>(model, d.prompt, d.sampler);
            ar::replayHistory(*session, d.history, d.current, "session '" + name.toStdString() + "'");
        } catch (const std::exception& e) {
            return QString::fromStdString(e.what());
        }
    } else if (!d.history.empty()) {
        return tr("session '%1': it has a history but no model").arg(name);
    }
    ar::PredictionQuiz quiz(d.quizLength);
    try {
        for (const ar::QuizStep& s : d.quizSteps) quiz.add(s);
    } catch (const std::exception& e) {
        return tr("session '%1': quiz: %2").arg(name, QString::fromStdString(e.what()));
    }
    const QByteArray layout = QByteArray::fromBase64(QByteArray::fromStdString(d.layout));

    // 2. Apply: the lesson, the model with its whole history, the beam settings, the quiz, the layout.
    m_window.activateLesson(lesson);
    if (model) {
        m_window.generation()->adoptSession(model, modelPath, QString::fromStdString(d.prompt), std::move(session));
        // checked above: not read again at the next save
        knowModelHash(modelPath, model.get(), QString::fromStdString(d.modelSha256), QString::fromStdString(d.tokenizerSha256));
    } else {
        m_window.generation()->setSettings(d.sampler);
    }
    // The beam settings are part of the value the model's session brought (its Settings notice reaches the
    // beam dock); a session whose beam differs from the defaults builds the Decoding lesson to show them.
    if (d.sampler.beam != GenerationController::defaultSettings().beam) m_window.buildLesson(QStringLiteral("decoding"));
    if (d.hasQuiz) {
        m_window.buildLesson(QStringLiteral("transformer"));
        if (auto* q = m_window.findChild<QuizController*>()) q->setRound(std::move(quiz));
    }
    if (!layout.isEmpty() && !m_window.restoreLayoutState(layout))
        m_window.showMessage(tr("The session's dock layout is not one this arlab knows; the lesson's default is used."), 8000);
    m_file = path;
    m_lastAutosave.clear();
    if (path == m_recoverable) {   // the autosave of a run that did not close, restored: autosave goes on from here
        m_recoverable.clear();
        m_file.clear();           // Save asks where: the autosave file is not the user's file
    }
    emit opened(path);
    return {};
}

// --- menu actions ----------------------------------------------------------------------------------------

void SessionController::save() {
    if (m_file.isEmpty()) {
        saveAs();
        return;
    }
    const QString error = saveTo(m_file);
    if (!error.isEmpty()) QMessageBox::warning(&m_window, tr("Cannot save the session"), error);
    else m_window.showMessage(tr("Session saved to %1").arg(m_file));
}

void SessionController::saveAs() {
    QString path = QFileDialog::getSaveFileName(&m_window, tr("Save session"), m_file.isEmpty() ? QStringLiteral("lesson.arlab") : m_file,
                                                tr("arlab sessions (*.arlab)"));
    if (path.isEmpty()) return;
    if (!path.endsWith(QLatin1String(".arlab"), Qt::CaseInsensitive)) path += QLatin1String(".arlab");
    m_file = path;
    save();
}

void SessionController::open() {
    const QString path = QFileDialog::getOpenFileName(&m_window, tr("Open session"), QString(), tr("arlab sessions (*.arlab);;All files (*)"));
    if (path.isEmpty()) return;
    const QString error = openFrom(path);
    if (!error.isEmpty()) {
        QMessageBox::warning(&m_window, tr("Cannot open the session"),
                             tr("<p>%1 could not be opened. What is on screen is unchanged.</p><p>%2</p>")
                                 .arg(QFileInfo(path).fileName().toHtmlEscaped(), error.toHtmlEscaped()));
        m_window.showMessage(tr("Open session failed: %1").arg(error), 10000);
        return;
    }
    m_window.showMessage(tr("Opened session %1").arg(QFileInfo(path).fileName()));
}

// --- autosave --------------------------------------------------------------------------------------------

void SessionController::claimAutosave() {
    m_owner = false;
    m_recoverable.clear();
    if (!QDir().mkpath(m_autosaveDir)) return;
    m_lock = std::make_unique<QLockFile>(QDir(m_autosaveDir).filePath(QStringLiteral("autosave.lock")));
    m_lock->setStaleLockTime(0);
    if (!m_lock->tryLock(0)) {   // another arlab is running and autosaving: leave its file alone
        m_lock.reset();
        return;
    }
    m_owner = true;
    if (QFileInfo::exists(autosavePath())) m_recoverable = autosavePath();   // left by a run that did not close
    // A run killed while writing leaves QSaveFile's temporary file ("autosave.arlab.XXXXXX"): ours now, removed.
    const QDir dir(m_autosaveDir);
    for (const QString& stale : dir.entryList({QString::fromLatin1(kAutosaveName) + QStringLiteral(".*")}, QDir::Files))
        QFile::remove(dir.filePath(stale));
}

void SessionController::setAutosaveDir(const QString& dir) {
    m_lock.reset();
    m_autosaveDir = dir;
    m_autosave = true;
    claimAutosave();
    setAutosaveSeconds(m_autosaveSeconds);
}

QString SessionController::autosavePath() const { return QDir(m_autosaveDir).filePath(QString::fromLatin1(kAutosaveName)); }

void SessionController::setAutosaveSeconds(int seconds) {
    m_autosaveSeconds = std::max(0, seconds);
    for (QAction* a : m_autosaveGroup->actions()) a->setChecked(a->data().toInt() == m_autosaveSeconds);
    if (m_autosave && m_owner && m_autosaveSeconds > 0) m_timer->start(m_autosaveSeconds * 1000);
    else m_timer->stop();
}

QString SessionController::autosaveNow() {
    if (!m_owner) return {};
    if (!m_recoverable.isEmpty()) return {};   // the offer to restore is pending: the old file is not overwritten
    const QByteArray bytes = QByteArray::fromStdString(ar::writeSession(capture()));
    if (bytes == m_lastAutosave) return {};
    const QString error = writeFile(autosavePath(), bytes);
    if (error.isEmpty()) m_lastAutosave = bytes;
    return error;
}

void SessionController::offerRestore() {
    if (m_recoverable.isEmpty()) return;
    const QString path = m_recoverable;
    const QDateTime when = QFileInfo(path).lastModified();
    QMessageBox box(QMessageBox::Question, tr("Restore the last session?"),
                    tr("arlab did not close normally last time. Its session was autosaved at %1.\n\nRestore it?")
                        .arg(QLocale().toString(when, QLocale::ShortFormat)),
                    QMessageBox::Yes | QMessageBox::No, &m_window);
    box.setObjectName(QStringLiteral("restoreOffer"));
    box.setDefaultButton(QMessageBox::Yes);
    // ARLAB_RESTORE_ANSWER=yes|no answers the offer without the dialog and says so on stderr: for the tests that
    // kill a whole arlab process and start the next one (nobody is there to click).
    const QString scripted = qEnvironmentVariable("ARLAB_RESTORE_ANSWER");
    int answer = 0;
    if (scripted == QLatin1String("yes") || scripted == QLatin1String("no")) {
        fprintf(stderr, "arlab: offered to restore %s; answered %s (ARLAB_RESTORE_ANSWER)\n", qPrintable(path), qPrintable(scripted));
        answer = scripted == QLatin1String("yes") ? QMessageBox::Yes : QMessageBox::No;
    } else {
        answer = box.exec();
    }
    m_recoverable.clear();
    const QString keep = QDir(m_autosaveDir).filePath(QStringLiteral("autosave-previous.arlab"));
    if (answer == QMessageBox::Yes) {
        const QString error = openFrom(path);
        if (!error.isEmpty()) {
            if (scripted.isEmpty()) QMessageBox::warning(&m_window, tr("Cannot restore the session"), error);
            else fprintf(stderr, "arlab: cannot restore the session: %s\n", qPrintable(error));
            QFile::remove(keep);
            QFile::rename(path, keep);   // kept, not lost: File -> Open session can try it again
            return;
        }
        m_file.clear();   // Save asks where: the autosave file is not the user's file
        if (!scripted.isEmpty()) fprintf(stderr, "arlab: restored %s\n", qPrintable(path));
        return;
    }
    QFile::remove(keep);
    QFile::rename(path, keep);
    m_window.showMessage(tr("The autosaved session is kept as %1").arg(keep), 10000);
}

void SessionController::closing() {
    m_timer->stop();
    if (m_owner && m_recoverable.isEmpty()) QFile::remove(autosavePath());
}

}  // namespace arlab
