#include "app/gui/modelfiles.h"

#include "core/error.h"

#include <QFile>

namespace arlab {

ar::OpenedModel openModelAt(const QString& path, ar::ModelFamily family) {
    const std::string label = "model '" + path.toStdString() + "'";
    if (!path.startsWith(QLatin1Char(':'))) return ar::requireFamily(ar::loadModel(path.toStdString()), family, label);
    QFile f(path);   // a Qt resource: the registry reads its bytes
    if (!f.open(QIODevice::ReadOnly)) throw ar::Error(label + ": not in this build (" + f.errorString().toStdString() + ")");
    const QByteArray bytes = f.readAll();
    return ar::requireFamily(ar::loadModelBytes(std::string_view(bytes.constData(), size_t(bytes.size())), label), family, label);
}

}  // namespace arlab
