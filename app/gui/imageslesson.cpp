// The Images lesson: autoregressive images, drawn pixel by pixel (Pixels dock) and MADE's masks (MADE dock).
#include "app/gui/madecontroller.h"
#include "app/gui/mainwindow.h"
#include "app/gui/pixelcontroller.h"
#include "core/error.h"
#include "core/models/made.h"
#include "widgets/madeview.h"
#include "widgets/pixelpanel.h"

#include <QFileInfo>

namespace arlab {

void setupImagesLesson(MainWindow& win) {
    auto* pixels = new PixelPanel;
    auto* pixelCtl = new PixelController(pixels, &win);
    pixelCtl->loadBuiltInModels();
    win.addDock(pixels, "pixelDock", QObject::tr("Pixels"), Qt::LeftDockWidgetArea, QSize(860, 0));

    auto* made = new MadePanel;
    auto* madeCtl = new MadeController(made, &win);
    madeCtl->loadBuiltInModel();
    win.addDock(made, "madeDock", QObject::tr("MADE masks"), Qt::RightDockWidgetArea, QSize(560, 0));

    win.setStepHandler([pixelCtl](int n) { pixelCtl->stepPixels(n); });
    win.addModelHandler({"pixelcnn", "gatedpixelcnn", "made"}, [pixelCtl](const ar::SafeTensors& f, const QString& path) {
        auto model = ar::loadImageModel(f, "model '" + path.toStdString() + "'");
        pixelCtl->addModel(QFileInfo(path).fileName(), std::shared_ptr<ar::ImageModel>(std::move(model)));
    });
}

}  // namespace arlab
