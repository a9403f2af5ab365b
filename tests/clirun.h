#pragma once
// Runs arlab-cli (ARLAB_CLI) as a user would and parses its JSON output. For the CLI tests.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>

namespace clirun {

struct Run {
    int code = -1;          // exit code; -2 when the process crashed, -1 on a timeout
    QByteArray out, err;
};

inline Run cli(const QStringList& args, int timeoutMs = 300000) {
    QProcess p;
    p.start(ARLAB_CLI, args);
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timeout";
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

inline QJsonObject json(const Run& r) {
    QJsonParseError e;
    const QJsonDocument d = QJsonDocument::fromJson(r.out, &e);
    if (e.error != QJsonParseError::NoError) qWarning("not JSON: %s", r.out.constData());
    return d.object();
}

}  // namespace clirun
