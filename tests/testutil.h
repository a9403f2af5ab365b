#pragma once
// Shared test helpers (header-only; Qt Core + Qt Test, usable by tst_core_* which link only arcore):
//
//   errorOf(fn)          the message of the ar::Error that fn throws, or "" when it throws none. Any other
//                        exception propagates (Qt Test then fails the test): only the typed error counts.
//   cli(args) / gui(args) run arlab-cli / arlab as a process (the one runner). A crash, a timeout, or a program
//                        that cannot start is recorded as a FAILURE of the running test (not a silent code),
//                        and r.code is then negative, so a QCOMPARE on the exit code fails as well.
//   startGui(p, args)    arlab started in the QProcess p and left running (offscreen), for a test that kills it.
//   cliRefuses(args, m)  arlab-cli run on args must refuse them: exit code 1 and m in stderr, else a failure that
//                        names the arguments, the code and stderr. Returns the run for further checks.
//   jsonOf(r)            stdout parsed as a JSON object (a Json); not JSON is a failure.
//   Json                 a JSON object whose j["key"] FAILS the test when the key is missing (a missing key must
//                        never read as 0 or ""); j.object("key") for a nested object, checked the same way.
//   need(obj, key)       the same check on a plain QJsonObject.
//   shipped(name)        the path of resources/models/NAME.safetensors; a missing shipped file is a failure.
//   sourceFile(rel)      testutil::sourcePath(rel) (testpaths.h: this checkout's paths) as a QString.
//   softmax64(logits)    softmax of a row of logits computed in double: the oracle for shown probabilities.
//   slowdown()           how much slower this build runs than a plain Release build (1 normally; the sanitizer
//                        builds set ARLAB_TEST_SLOWDOWN), for liveness bounds: bound * slowdown().
#include "core/error.h"
#include "core/tensor.h"
#include "testpaths.h"

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

namespace testutil {

inline std::vector<double> softmax64(const ar::RowVec& logits) {
    double mx = -1e300;
    for (Eigen::Index i = 0; i < logits.size(); ++i) mx = std::max(mx, double(logits[i]));
    std::vector<double> p(size_t(logits.size()));
    double z = 0;
    for (size_t i = 0; i < p.size(); ++i) z += p[i] = std::exp(double(logits[Eigen::Index(i)]) - mx);
    for (double& x : p) x /= z;
    return p;
}

inline QString errorOf(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const ar::Error& e) {
        return QString::fromUtf8(e.what());
    }
    return QString();
}

// The factor by which liveness bounds are scaled: ARLAB_TEST_SLOWDOWN (a number >= 1), else 1.
inline double slowdown() {
    bool ok = false;
    const double f = qEnvironmentVariable("ARLAB_TEST_SLOWDOWN").toDouble(&ok);
    return ok && f >= 1.0 ? f : 1.0;
}

struct Run {
    int code = -1;           // exit code; -2 crashed, -3 timed out, -4 could not start
    QByteArray out, err;
    QString errText() const { return QString::fromUtf8(err); }
    QString outText() const { return QString::fromUtf8(out); }
};

struct RunOptions {
    QString workDir;
    int timeoutMs = 120000;  // scaled by slowdown()
    QByteArray stdinData;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
};

inline void fail(const QString& message) {
    QTest::qFail(qPrintable(message), __FILE__, __LINE__);
}

// Starts `program` in `p` with the options' environment and folder; false (and a failure) when it cannot start.
inline bool start(QProcess& p, const QString& program, const QStringList& args, const RunOptions& opt) {
    p.setProcessEnvironment(opt.env);
    if (!opt.workDir.isEmpty()) p.setWorkingDirectory(opt.workDir);
    p.start(program, args);
    if (p.waitForStarted(30000)) return true;
    fail("could not start: " + program.section('/', -1) + ' ' + args.join(' '));
    return false;
}

inline Run run(const QString& program, const QStringList& args, const RunOptions& opt = {}) {
    QProcess p;
    Run r;
    const QString what = program.section('/', -1) + ' ' + args.join(' ');
    if (!start(p, program, args, opt)) {
        r.code = -4;
        return r;
    }
    if (!opt.stdinData.isNull()) p.write(opt.stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(int(opt.timeoutMs * slowdown()))) {
        p.kill();
        p.waitForFinished();
        r.code = -3;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        fail("timed out: " + what);
        return r;
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    if (p.exitStatus() != QProcess::NormalExit) {
        r.code = -2;
        fail("crashed: " + what + "\n" + r.errText().right(2000));
        return r;
    }
    r.code = p.exitCode();
    return r;
}

inline Run cli(const QStringList& args, const RunOptions& opt = {}) {
    return run(QString::fromUtf8(cliPath()), args, opt);
}

inline Run cliRefuses(const QStringList& args, const QString& message) {
    Run r = cli(args);
    if (r.code >= 0 && (r.code != 1 || !r.errText().contains(message)))   // (< 0: run() has failed the test already)
        fail(QString("arlab-cli %1: expected exit code 1 and '%2' in stderr, got %3:\n%4")
                 .arg(args.join(' '), message).arg(r.code).arg(r.errText()));
    return r;
}

inline Run gui(const QStringList& args, RunOptions opt = {}) {
    opt.env.insert("QT_QPA_PLATFORM", "offscreen");
    return run(QString::fromUtf8(guiPath()), args, opt);
}

// arlab left running (offscreen) in `p`, for tests that wait for something it does and then kill it
// (p.kill() is SIGKILL) or close it; false (and a failure) when it cannot start.
inline bool startGui(QProcess& p, const QStringList& args, RunOptions opt = {}) {
    opt.env.insert("QT_QPA_PLATFORM", "offscreen");
    return start(p, QString::fromUtf8(guiPath()), args, opt);
}

inline QJsonValue need(const QJsonObject& o, const QString& key) {
    if (!o.contains(key)) fail("JSON key '" + key + "' is missing; keys: " + o.keys().join(", "));
    return o.value(key);
}

class Json {
public:
    Json() = default;
    explicit Json(QJsonObject o) : m_o(std::move(o)) {}
    QJsonValue operator[](const QString& key) const { return need(m_o, key); }
    QJsonValue operator[](const char* key) const { return need(m_o, QString::fromUtf8(key)); }
    Json object(const QString& key) const { return Json(need(m_o, key).toObject()); }
    bool contains(const QString& key) const { return m_o.contains(key); }
    const QJsonObject& raw() const { return m_o; }

private:
    QJsonObject m_o;
};

inline Json jsonOf(const QByteArray& text) {
    QJsonParseError e;
    const QJsonDocument d = QJsonDocument::fromJson(text, &e);
    if (e.error != QJsonParseError::NoError || !d.isObject())
        fail("not a JSON object (" + e.errorString() + "): " + QString::fromUtf8(text.left(500)));
    return Json(d.object());
}
inline Json jsonOf(const Run& r) { return jsonOf(r.out); }

inline QString sourceFile(std::string_view relative) { return QString::fromStdString(sourcePath(relative)); }

inline QString shipped(const QString& name) {
    const QString path = QString::fromStdString(modelPath(name.toStdString()));
    if (!QFile::exists(path)) fail("shipped model is missing: " + path);
    return path;
}

}  // namespace testutil
