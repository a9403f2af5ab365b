#pragma once
// ModelInfoView: what a model is, as a readable page: architecture, parameter counts, provenance.
// A view with plain setters (fill a ModelInfo from any model's metadata; see app/gui/modelinfo.cpp).
#include "widgets/exportable.h"
#include <QList>
#include <QPair>
#include <QString>
#include <QWidget>

class QTextBrowser;

namespace arlab {

struct ModelInfo {
    QString title;                                   // "toy-word.safetensors"
    QString kind;                                    // the family: "tinygpt", "gpt2", "llama", "lstm", ...
    QString source;                                  // path or ":/models/..."
    QStringList summary;                             // plain sentences shown first ("2 layers × 4 heads, ...")
    QList<QPair<QString, QString>> architecture;     // ("family", "gpt2"), ("layers", "2"), ("heads", "4"), ("kv heads", "4"),
                                                     // ("embd", …), ("context", …), ("vocab", …), ("activation", …), ("norm", …)
    QList<QPair<QString, QString>> config;           // the config as the file's arlab.config stores it (nanoGPT / llama2.c names)
    QList<QPair<QString, qint64>> parameters;        // ("wte.weight  (V, C) = (33, 64)", 2112), ...
    qint64 totalParameters = 0;
    QList<QPair<QString, QString>> provenance;       // ("corpus", "toy grammar"), ("seed", "1"), ...
    QString vocabulary;                              // short preview of the vocabulary
};

class ModelInfoView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    ExportTable exportTable() const override;   // the numbers behind the view, for CSV (widgets/exporttables.cpp)
    explicit ModelInfoView(QWidget* parent = nullptr);
    void setModelInfo(const ModelInfo& info);
    void clear(const QString& message);
    const ModelInfo& modelInfo() const { return m_info; }
    QString html() const;        // the rendered page (for tests)
    QSize sizeHint() const override { return {420, 300}; }

private:
    ModelInfo m_info;
    QTextBrowser* m_browser;
};

}  // namespace arlab
