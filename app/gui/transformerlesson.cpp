// The Transformer lesson: generate with TinyGPT one token at a time and look inside.
//   Generation dock   prompt, Step/Play/Back/Reset, the tokens as chips coloured by probability
//   Next token dock   the distribution through the sampler chain, the truth for the toy language
//   Attention dock    who attends to whom, per layer and head
//   Model dock        architecture, parameter counts, provenance
#include "app/gui/generationcontroller.h"
#include "app/gui/mainwindow.h"
#include "app/gui/modelinfo.h"
#include "widgets/modelinfoview.h"

#include <QDockWidget>

namespace arlab {

void setupTransformerLesson(MainWindow& win) {
    GenerationController* gen = win.generation();

    auto* info = new ModelInfoView;
    win.addDock(info, "modelDock", QObject::tr("Model"), Qt::RightDockWidgetArea, QSize(420, 0));
    QObject::connect(gen, &GenerationController::modelChanged, info, [gen, info] {
        if (auto m = gen->model()) info->setModelInfo(describeModel(*m, gen->modelSource()));
        else info->clear(QObject::tr("No model loaded."));
    });

    win.setStepHandler([gen](int n) { gen->stepN(n); });
}

}  // namespace arlab
