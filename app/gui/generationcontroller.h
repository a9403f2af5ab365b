#pragma once
// GenerationController: the app's current text model and its DecodingSession, as a thin QObject.
// One instance lives in MainWindow (win.generation()); every text dock (generation, next token, attention,
// model info, sampling panel, beam tree, compare) reads from it and calls its slots.
//
//   setModel(model, source)   new model (keeps the prompt when the new vocabulary can encode it)
//   setPrompt(text)           strict: unknown words are reported (promptRejected), never dropped
//   step() / back() / force(id) / reset() / play() / pause()
//   changed(what)             emitted after every change of the session, saying what changed (app/gui/changes.h:
//                             step appended/removed, settings, prompt, model): views re-read only that.
#include "app/gui/changes.h"
#include "core/decoding/decodingsession.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

class QTimer;

namespace arlab {

class GenerationController : public QObject {
    Q_OBJECT
public:
    explicit GenerationController(QObject* parent = nullptr);
    ~GenerationController() override;

    std::shared_ptr<const ar::LanguageModel> model() const { return m_model; }
    QString modelSource() const { return m_source; }   // ":/models/toy-word.safetensors", a path, ...
    // Replaces the model. The session restarts from the prompt (or the model's default prompt when the
    // current one does not encode).
    void setModel(std::shared_ptr<const ar::LanguageModel> model, const QString& source);
    // A restored session (app/gui/sessioncontroller.h): model, prompt, settings and the whole history at once,
    // built and checked by the caller before anything here changes. One change notice for all of it.
    void adoptSession(std::shared_ptr<const ar::LanguageModel> model, const QString& source, const QString& prompt,
                      std::unique_ptr<ar::DecodingSession> session);
    // Loads a .safetensors text model; throws ar::Error (and changes nothing) on failure.
    void loadModelFile(const QString& path);
    // Loads the built-in toy-language model from the Qt resources. Returns false (and sets a message) when
    // the resource is missing or broken.
    bool loadBuiltinModel(QString* message = nullptr);
    static QString builtinModelPath() { return QStringLiteral(":/models/toy-word.safetensors"); }
    // A short prompt that the model's vocabulary can encode ("a happy child" for the toy language).
    QString defaultPrompt() const;

    // nullptr when there is no model or the prompt does not encode.
    const ar::DecodingSession* session() const { return m_session.get(); }
    QString prompt() const { return m_prompt; }
    // Words of the prompt that are not in the vocabulary (empty when it encodes).
    QStringList unknownWords() const { return m_unknown; }
    QString promptError() const { return m_promptError; }
    // The one decoding-settings value: the sampler chain, beam search and the compare run read it; the
    // Generation dock's quick controls, the Sampling panel, the Beam search and Compare docks edit it.
    const ar::SamplerSettings& settings() const { return m_settings; }
    // What the app starts with: the core's defaults, with the beam dock at k = 3, 10 tokens, alpha = 0.6 and
    // compare rows of 10 tokens.
    static ar::SamplerSettings defaultSettings();
    bool isPlaying() const;
    int speed() const { return m_speed; }  // tokens per second while playing

    // True when the model is the toy language's (its vocabulary is exactly the grammar's words), so the
    // exact next-token distribution is known.
    bool hasTrueDistribution() const { return m_toyLanguage; }
    // Exact P(next | sequence so far) over the model's vocabulary; empty when unknown or impossible.
    std::vector<double> trueNextDistribution() const;
    std::vector<double> trueDistributionAt(int position) const;  // for the token at sequence()[position]

public slots:
    void setPrompt(const QString& text);
    void setSettings(const ar::SamplerSettings& settings);
    bool step();                 // false when the session cannot step (message in stepFailed)
    int stepN(int n);            // returns the number of tokens added
    bool back();
    bool force(int tokenId);
    // Rewinds to generated step `stepIndex` (0 = the first generated token) and forces `tokenId` there; the
    // old continuation stays in the session's history as a branch.
    bool forceAt(int stepIndex, int tokenId);
    void switchTo(int node);     // history branch
    void reset();
    void play();
    void pause();
    void setPlaying(bool playing);
    void setSpeed(int tokensPerSecond);

signals:
    void changed(arlab::Changes what);
    void modelChanged();
    void promptRejected(const QString& message, const QStringList& unknownWords);
    void stepFailed(const QString& message);
    void playingChanged(bool playing);

private:
    void rebuildSession();

    std::shared_ptr<const ar::LanguageModel> m_model;
    QString m_source;
    std::unique_ptr<ar::DecodingSession> m_session;
    QString m_prompt;
    QStringList m_unknown;
    QString m_promptError;
    ar::SamplerSettings m_settings = defaultSettings();
    bool m_toyLanguage = false;
    QTimer* m_timer = nullptr;
    int m_speed = 4;
};

}  // namespace arlab
