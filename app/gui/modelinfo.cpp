#include "app/gui/modelinfo.h"

#include "core/models/languagemodel.h"
#include "core/models/llama.h"
#include "core/models/tinygpt.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QMap>
#include <QRegularExpression>

namespace arlab {

namespace {

QString jsonValueText(const QJsonValue& v) {
    if (v.isString()) return v.toString();
    if (v.isDouble()) {
        const double d = v.toDouble();
        return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d, 'g', 5);
    }
    if (v.isBool()) return v.toBool() ? "true" : "false";
    if (v.isNull()) return "null";
    const QJsonDocument doc = v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject());
    return QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
}

QList<QPair<QString, QString>> jsonRows(const std::string& json) {
    QList<QPair<QString, QString>> out;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json));
    if (!doc.isObject()) return out;
    const QJsonObject o = doc.object();
    for (auto it = o.begin(); it != o.end(); ++it) out << qMakePair(it.key(), jsonValueText(it.value()));
    return out;
}

QString epsText(float eps) { return QString::number(double(eps), 'g', 3); }

// The Transformer's architecture in one vocabulary for every family, as its files state it (GPT-2's config.json,
// a llama2.c header, arlab's own config): family, layers, heads, key/value heads, width, context, vocabulary,
// activation, norm, positions. Empty for models that are not one of these Transformers.
QList<QPair<QString, QString>> transformerRows(const ar::LanguageModel& model, const QString& family, const QString& activation) {
    using Row = QPair<QString, QString>;
    const auto n = [](int v) { return QString::number(v); };
    if (const auto* gpt = dynamic_cast<const ar::TinyGpt*>(&model)) {
        const ar::TinyGptConfig& c = gpt->config();
        return {Row("family", family), Row("layers", n(c.layers)), Row("heads", n(c.heads)), Row("kv heads", n(c.kvHeadCount())),
                Row("embd", n(c.embd)), Row("context", n(c.contextLength)), Row("vocab", n(c.vocabSize)),
                Row("activation", activation), Row("norm", QStringLiteral("LayerNorm (eps %1)").arg(epsText(c.lnEps))),
                Row("positions", c.pos == ar::PositionMode::Rope ? QStringLiteral("rotary (RoPE)") : QStringLiteral("learned"))};
    }
    if (const auto* llama = dynamic_cast<const ar::Llama*>(&model)) {
        const ar::LlamaConfig& c = llama->config();
        return {Row("family", family), Row("layers", n(c.layers)), Row("heads", n(c.heads)), Row("kv heads", n(c.kvHeads)),
                Row("embd", n(c.dim)), Row("context", n(c.seqLen)), Row("vocab", n(c.vocab)),
                Row("activation", QStringLiteral("SwiGLU (hidden %1)").arg(c.hidden)),
                Row("norm", QStringLiteral("RMSNorm (eps %1)").arg(epsText(c.normEps))), Row("positions", QStringLiteral("rotary (RoPE)"))};
    }
    return {};
}

}  // namespace

QString modelFamily(const ar::LanguageModel& model) {
    const QString kind = QString::fromStdString(model.kind());
    if (kind != QLatin1String("tinygpt")) return kind;
    const ar::Metadata meta = model.metadata();
    const auto it = meta.find("arlab.provenance");
    if (it == meta.end()) return kind;
    const QJsonObject prov = QJsonDocument::fromJson(QByteArray::fromStdString(it->second)).object();
    return prov.value(QStringLiteral("format")).toString().startsWith(QLatin1String("gpt2")) ? QStringLiteral("gpt2") : kind;
}

ModelInfo describeModel(const ar::LanguageModel& model, const QString& source) {
    ModelInfo info;
    info.title = QFileInfo(source).fileName();
    info.kind = modelFamily(model);   // a GPT-2 folder is read into arlab's TinyGPT, but it is GPT-2
    info.source = source;
    const ar::Metadata meta = model.metadata();
    if (auto it = meta.find("arlab.config"); it != meta.end()) info.config = jsonRows(it->second);
    if (auto it = meta.find("arlab.provenance"); it != meta.end()) info.provenance = jsonRows(it->second);
    {
        QMap<QString, QString> prov;
        for (const auto& [k, v] : info.provenance) prov[k] = v;
        QString act;
        if (const auto* gpt = dynamic_cast<const ar::TinyGpt*>(&model))
            act = gpt->config().act == ar::Activation::GeluTanh ? QStringLiteral("gelu_new") : QStringLiteral("gelu");
        if (prov.contains("activation_function")) act = prov.value("activation_function");
        if (act == QLatin1String("gelu_new")) act += QStringLiteral(" (tanh GELU)");
        else if (act == QLatin1String("gelu")) act += QStringLiteral(" (exact, erf)");
        info.architecture = transformerRows(model, info.kind, act);
        if (info.architecture.isEmpty()) info.architecture = info.config;   // other families: their config as stored
    }
    // Parameters, with the tensors of each Transformer block / recurrent layer summed into one line.
    static const QRegularExpression blockRe(QStringLiteral("^(.*\\.h\\.(\\d+))\\."));
    QString group;
    for (const auto& p : model.parameters()) {
        const auto& m = p.var.value();
        const QString name = QString::fromStdString(p.name);
        const auto match = blockRe.match(name);
        if (match.hasMatch()) {
            const QString g = match.captured(1) + ".*  (block " + match.captured(2) + ")";
            if (g == group) info.parameters.back().second += qint64(m.size());
            else info.parameters << qMakePair(g, qint64(m.size()));
            group = g;
        } else {
            QStringList dims;
            if (p.shape.empty()) dims << QString::number(m.rows()) << QString::number(m.cols());
            for (auto d : p.shape) dims << QString::number(d);
            info.parameters << qMakePair(name + "  (" + dims.join(", ") + ")", qint64(m.size()));
            group.clear();
        }
        info.totalParameters += qint64(m.size());
    }
    const ar::Tokenizer& tok = model.tokenizer();
    // The sentences a class reads first: what the network is, and how well it learned.
    {
        QMap<QString, QString> cfg, prov;
        for (const auto& [k, v] : info.config) cfg[k] = v;
        for (const auto& [k, v] : info.provenance) prov[k] = v;
        const QLocale loc(QLocale::English);
        if (info.kind == QLatin1String("gpt2") && cfg.contains("n_layer")) {
            // A GPT-2 checkpoint read from its own files (config.json, model.safetensors, the BPE files).
            info.summary << QObject::tr("GPT-2 (Hugging Face layout, read from config.json and model.safetensors): %1 layers × %2 "
                                        "attention heads, embedding width C = %3, context %4 tokens, learned positions, "
                                        "activation %5; %6 parameters.")
                                .arg(cfg.value("n_layer"), cfg.value("n_head"), cfg.value("n_embd"), cfg.value("block_size"),
                                     prov.value("activation_function") == QLatin1String("gelu_new") ? QObject::tr("gelu_new (tanh GELU)")
                                                                                                       : prov.value("activation_function"),
                                     loc.toString(info.totalParameters));
        } else if (info.kind == QLatin1String("llama") && cfg.contains("n_layers")) {
            const bool gqa = cfg.value("n_kv_heads") != cfg.value("n_heads");
            info.summary << QObject::tr("Llama (llama2.c checkpoint): %1 layers × %2 attention heads (%3 key/value heads%4), "
                                        "width %5, SwiGLU hidden width %6, context %7 tokens; RMSNorm, rotary positions (RoPE), "
                                        "no biases; %8 parameters.")
                                .arg(cfg.value("n_layers"), cfg.value("n_heads"), cfg.value("n_kv_heads"),
                                     gqa ? QObject::tr(": grouped-query attention") : QString(), cfg.value("dim"),
                                     cfg.value("hidden_dim"), cfg.value("seq_len"), loc.toString(info.totalParameters));
        } else if (info.kind == QLatin1String("tinygpt") && cfg.contains("n_layer")) {
            const QString mode = cfg.value("pos");
            const QString pos = mode == "rope"         ? QObject::tr("rotary (RoPE)")
                                : mode == "learned"    ? QObject::tr("learned")
                                : mode == "sinusoidal" ? QObject::tr("sinusoidal")
                                                       : mode;
            info.summary << QObject::tr("Decoder-only Transformer (GPT): %1 layers × %2 attention heads, embedding width "
                                        "C = %3, context %4 tokens, %5 positions; %6 parameters.")
                                .arg(cfg.value("n_layer"), cfg.value("n_head"), cfg.value("n_embd"), cfg.value("block_size"),
                                     pos, loc.toString(info.totalParameters));
        } else {
            info.summary << QObject::tr("%1 model; %2 parameters.").arg(info.kind, loc.toString(info.totalParameters));
        }
        // The units the trainers write (core/training, core/limits), shown in the window's language.
        static const char* const units[] = {
            QT_TRANSLATE_NOOP("QObject", "nats per token"), QT_TRANSLATE_NOOP("QObject", "nats per recall"),
            QT_TRANSLATE_NOOP("QObject", "nats per token (cross-entropy; training added balance x the load-balancing loss)")};
        QString unit = prov.value("loss_unit", QStringLiteral("nats per token"));
        for (const char* known : units)
            if (unit == QLatin1String(known)) unit = QObject::tr(known);
        if (prov.contains("val_loss")) {
            QString s = QObject::tr("Validation loss %1 %2").arg(prov.value("val_loss").toDouble(), 0, 'f', 4).arg(unit);
            if (prov.contains("entropy_rate"))
                s += QObject::tr(" (the toy language's true entropy rate: %1, the best any model can do)")
                         .arg(prov.value("entropy_rate").toDouble(), 0, 'f', 4);
            if (prov.contains("steps")) s += QObject::tr(", after %1 training steps").arg(prov.value("steps"));
            info.summary << s + QStringLiteral(".");
        }
    }
    QStringList words;
    for (int i = 0; i < tok.size() && i < 40; ++i) words << QString::fromStdString(tok.display(i));
    const QString count = tok.kind() == ar::Tokenizer::Kind::Word      ? QObject::tr("%1 word tokens")
                          : tok.kind() == ar::Tokenizer::Kind::Char    ? QObject::tr("%1 character tokens")
                          : tok.kind() == ar::Tokenizer::Kind::Gpt2Bpe ? QObject::tr("%1 GPT-2 byte-level BPE tokens")
                                                                       : QObject::tr("%1 llama2.c BPE tokens");
    info.vocabulary = count.arg(tok.size()) + QStringLiteral(": ") + words.join(' ') + (tok.size() > 40 ? " …" : "");
    return info;
}

}  // namespace arlab
