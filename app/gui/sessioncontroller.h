#pragma once
// SessionController: File -> Save session (Ctrl+S), Save session as… (Ctrl+Shift+S), Open session
// (Ctrl+Shift+O), autosave, and the offer to restore after a crash. The file format is core's
// (core/io/sessionfile.h); this class gathers the window's state into it and puts a read one back.
//
// Open never loses the current state: the file is read and checked, the model is found and its SHA-256
// compared, the whole branch tree is rebuilt on a new session — all before anything in the window changes. A
// failure is one specific message ("the model file 'm.safetensors' of this session is missing", "… has changed
// since the session was saved", "… was written by a newer arlab …") and the window is untouched.
//
// Autosave: every 30 s (File -> Autosave: off, 10 s, 30 s, 1 min, 5 min; remembered) the session is written
// through QSaveFile to <app data>/autosave.arlab when it changed. A clean exit removes the file; a run that
// was killed leaves it, and the next start offers to restore it (a QLockFile tells a dead run from a second
// window that is still running: that one keeps its autosave, and this one autosaves nothing).
#include "core/io/sessionfile.h"

#include <QByteArray>
#include <QLockFile>
#include <QObject>
#include <QString>

#include <memory>

class QAction;
class QActionGroup;
class QMenu;
class QTimer;

namespace ar {
class LanguageModel;
}

namespace arlab {

class MainWindow;

class SessionController : public QObject {
    Q_OBJECT
public:
    // `fileMenu` gets the session entries after Open model. `autosave`: false for screenshots, exports, tests.
    SessionController(MainWindow& window, QMenu* fileMenu, bool autosave);
    ~SessionController() override;

    // The window's state now.
    ar::SessionData capture();
    // Writes `bytes` to `path` through QSaveFile (all or nothing). "" or the error.
    static QString writeFile(const QString& path, const QByteArray& bytes);
    // capture() to `path`; "" or the error.
    QString saveTo(const QString& path);
    // Reads, checks and applies `path`; "" on success, else the message (the window unchanged).
    QString openFrom(const QString& path);
    // The SHA-256 of `model`, read from `source`, and of the tokenizer chosen apart from it ("" when none; the load
    // job computed both, off the GUI thread): the next save names the model by them instead of reading the files.
    void knowModelHash(const QString& source, const ar::LanguageModel* model, const QString& sha256,
                       const QString& tokenizerSha256);

    // --- autosave ---------------------------------------------------------------------------------------
    // Where autosave writes (default: the app-data location). Tests point it at a temporary folder.
    void setAutosaveDir(const QString& dir);
    QString autosavePath() const;
    int autosaveSeconds() const { return m_autosaveSeconds; }
    void setAutosaveSeconds(int seconds);   // 0 = off
    // Writes the autosave file now when the state changed since the last write; "" or the error.
    QString autosaveNow();
    // The autosave file a run that did not close left behind ("" when there is none, or another arlab owns it).
    QString recoverable() const { return m_recoverable; }
    // Offers to restore recoverable() (a dialog); declining keeps the file as autosave-previous.arlab.
    void offerRestore();
    // A clean exit: the autosave file is removed.
    void closing();

    QAction* saveAction() const { return m_saveAct; }
    QAction* openAction() const { return m_openAct; }

public slots:
    void save();       // to the current file, else Save as
    void saveAs();
    void open();

signals:
    void saved(const QString& path);
    void opened(const QString& path);

private:
    void claimAutosave();
    // SHA-256 of the loaded model (and of `tokenizer`, a tokenizer chosen apart from it, into *tokenizerHash),
    // computed once per loaded model. "" and *error on a read error.
    QString modelHash(const QString& source, const QString& tokenizer, QString* tokenizerHash, QString* error);

    MainWindow& m_window;
    QString m_file;                         // the session file in use ("" = not saved yet)
    QAction* m_saveAct = nullptr;
    QAction* m_saveAsAct = nullptr;
    QAction* m_openAct = nullptr;
    QMenu* m_autosaveMenu = nullptr;
    QActionGroup* m_autosaveGroup = nullptr;
    QTimer* m_timer = nullptr;
    bool m_autosave = false;
    int m_autosaveSeconds = 30;
    QString m_autosaveDir;
    std::unique_ptr<QLockFile> m_lock;
    bool m_owner = false;                   // this run owns the autosave file
    QString m_recoverable;
    QByteArray m_lastAutosave;
    QString m_hashSource;                   // model source whose hash is cached
    QString m_hash;
    QString m_tokenizerHash;
};

}  // namespace arlab
