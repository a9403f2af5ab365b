#pragma once
// Drives the RNN inspector: traces the character model over the typed text (CharRnn::trace) and hands the
// hidden states, cells and gates to the view as (units, steps) matrices. A trace of a few dozen characters
// costs well under 10 ms.
#include "core/models/charrnn.h"

#include <QObject>

#include <memory>

namespace arlab {

class RnnInspectorView;

class RnnInspectorController : public QObject {
    Q_OBJECT
public:
    RnnInspectorController(RnnInspectorView* view, QObject* parent = nullptr);
    void setModel(std::shared_ptr<const ar::CharRnn> model);
    const ar::CharRnn* model() const { return m_model.get(); }

public slots:
    void setText(const QString& text);

private:
    RnnInspectorView* m_view;
    std::shared_ptr<const ar::CharRnn> m_model;
    QString m_text;
};

// Loads a CharRnn from a Qt resource or a file; throws ar::Error.
std::shared_ptr<const ar::CharRnn> loadCharRnnResource(const QString& path);

}  // namespace arlab
