#include "app/gui/modelfiles.h"

#include "core/error.h"
#include "core/io/llama2c.h"
#include "core/io/realmodels.h"
#include "core/models/gpt2.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace arlab {

ar::OpenedModel openModelAt(const QString& path, ar::ModelFamily family) {
    const std::string label = "model '" + path.toStdString() + "'";
    if (!path.startsWith(QLatin1Char(':'))) return ar::requireFamily(ar::loadModel(path.toStdString()), family, label);
    QFile f(path);   // a Qt resource: the registry reads its bytes
    if (!f.open(QIODevice::ReadOnly)) throw ar::Error(label + ": not in this build (" + f.errorString().toStdString() + ")");
    const QByteArray bytes = f.readAll();
    return ar::requireFamily(ar::loadModelBytes(std::string_view(bytes.constData(), size_t(bytes.size())), label), family, label);
}

ar::OpenedModel openAnyModel(const QString& path, const QString& tokenizerPath) {
    const std::string p = path.toStdString();
    if (tokenizerPath.isEmpty()) return ar::loadModel(p);
    if (ar::detectRealModel(p) != ar::RealModelFormat::Llama2c)
        throw ar::Error("a separate tokenizer is for llama2.c checkpoints; '" + p + "' brings its own vocabulary");
    if (!QFileInfo(tokenizerPath).isFile()) throw ar::Error("tokenizer '" + tokenizerPath.toStdString() + "' is not a file");
    ar::OpenedModel m = ar::wrapModel(std::shared_ptr<ar::LanguageModel>(ar::openRealModel(p, tokenizerPath.toStdString())));
    m.kind = "llama";
    return m;
}

ModelPathInfo describeModelPath(const QString& path) {
    ModelPathInfo out;
    const QFileInfo info(path);
    if (path.isEmpty()) return out;
    if (!info.exists()) {
        out.error = QCoreApplication::translate("arlab::ModelFiles", "'%1' does not exist").arg(path);
        return out;
    }
    const std::string p = path.toStdString();
    try {
        switch (ar::detectRealModel(p)) {
        case ar::RealModelFormat::Gpt2HuggingFace: {
            const ar::Gpt2Paths g = ar::findGpt2Files(p);
            QStringList files = {QFileInfo(QString::fromStdString(g.weights)).fileName(), QStringLiteral("config.json")};
            files << (g.vocab.empty() ? QStringLiteral("tokenizer.json") : QStringLiteral("vocab.json + merges.txt"));
            out.description = QCoreApplication::translate("arlab::ModelFiles", "GPT-2 (Hugging Face layout): %1").arg(files.join(QStringLiteral(", ")));
            return out;
        }
        case ar::RealModelFormat::Llama2c: {
            out.llama2c = true;
            QString file = path;
            if (info.isDir()) {   // the one checkpoint in it
                for (const QFileInfo& f : QDir(path).entryInfoList({QStringLiteral("*.bin")}, QDir::Files))
                    if (f.fileName() != QLatin1String("tokenizer.bin")) file = f.filePath();
            }
            // The header is checked now (a few bytes), so a broken file is named before anything loads.
            QFile f(file);
            if (!f.open(QIODevice::ReadOnly)) throw ar::Error("'" + file.toStdString() + "': " + f.errorString().toStdString());
            const QByteArray head = f.read(256);
            const ar::Llama2cHeader h = ar::parseLlama2cHeader(std::string_view(head.constData(), size_t(head.size())), uint64_t(f.size()),
                                                               "llama2.c checkpoint '" + file.toStdString() + "'");
            const QString shape = QCoreApplication::translate("arlab::ModelFiles", "%1 layers, %2 heads (%3 KV), dim %4, vocabulary %5")
                                      .arg(h.config.layers).arg(h.config.heads).arg(h.config.kvHeads).arg(h.config.dim).arg(h.config.vocab);
            out.tokenizerNextTo = !ar::llamaTokenizerNextTo(file.toStdString()).empty();
            out.description = !out.tokenizerNextTo ? QCoreApplication::translate("arlab::ModelFiles", "llama2.c checkpoint %1 (%2): tokenizer.bin not found next to %1 — choose a tokenizer")
                                     .arg(QFileInfo(file).fileName(), shape)
                               : QCoreApplication::translate("arlab::ModelFiles", "llama2.c checkpoint %1 (%2) with the tokenizer.bin next to it").arg(QFileInfo(file).fileName(), shape);
            return out;
        }
        case ar::RealModelFormat::None: break;
        }
    } catch (const std::exception& e) {
        out.error = QString::fromStdString(e.what());
        return out;
    }
    if (info.isDir()) out.error = QCoreApplication::translate("arlab::ModelFiles", "folder '%1' holds no model").arg(path);
    else out.description = QCoreApplication::translate("arlab::ModelFiles", "arlab model file %1").arg(info.fileName());
    return out;
}

QString modelFileSha256(const QString& path, QString* error) {
    if (QFileInfo(path).isDir()) {
        // A model folder (GPT-2's Hugging Face files, a llama2.c checkpoint with its tokenizer.bin): the names and
        // SHA-256s of the files its readers take, in name order. Other files in the folder (a README, notes) do
        // not count, so adding one does not make a saved session refuse to open.
        const QDir dir(path);
        const QStringList names = dir.entryList({QStringLiteral("model.safetensors"), QStringLiteral("config.json"),
                                                 QStringLiteral("vocab.json"), QStringLiteral("merges.txt"),
                                                 QStringLiteral("tokenizer.json"), QStringLiteral("*.bin")},
                                                QDir::Files, QDir::Name);
        if (names.isEmpty()) {
            *error = QCoreApplication::translate("arlab::ModelFiles", "the folder holds no model files");
            return {};
        }
        QCryptographicHash hash(QCryptographicHash::Sha256);
        for (const QString& name : names) {
            const QString one = modelFileSha256(dir.filePath(name), error);
            if (one.isEmpty()) {
                *error = QStringLiteral("%1: %2").arg(name, *error);
                return {};
            }
            hash.addData(name.toUtf8() + '\n' + one.toLatin1() + '\n');
        }
        return QString::fromLatin1(hash.result().toHex());
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = f.errorString();
        return {};
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&f)) {
        *error = QCoreApplication::translate("arlab::ModelFiles", "read error");
        return {};
    }
    return QString::fromLatin1(hash.result().toHex());
}

}  // namespace arlab
