// The Images lesson: autoregressive images, drawn pixel by pixel (Pixels dock) and MADE's masks (MADE dock).
#include "app/gui/lesson.h"
#include "app/gui/madecontroller.h"
#include "app/gui/mainwindow.h"
#include "app/gui/pixelcontroller.h"
#include "widgets/madeview.h"
#include "widgets/pixelpanel.h"

#include <QFileInfo>

namespace arlab {

class PixelsLesson : public Lesson {
    Q_OBJECT
public:
    explicit PixelsLesson(MainWindow& win) : Lesson(win) {
        auto* pixels = new PixelPanel;
        m_pixels = new PixelController(pixels, this);
        connect(m_pixels, &PixelController::failed, &win, [&win](const QString& m) { win.showMessage(m, 10000); });
        m_pixels->loadBuiltInModels();
        win.addDock(pixels, "pixelDock", Qt::LeftDockWidgetArea, QSize(860, 0));

        auto* made = new MadePanel;
        auto* madeCtl = new MadeController(made, this);
        madeCtl->loadBuiltInModel();
        win.addDock(made, "madeDock", Qt::RightDockWidgetArea, QSize(560, 0));
    }
    bool step(int n) override {
        m_pixels->stepPixels(n);
        return true;
    }
    void openModel(const ar::OpenedModel& model, const QString& path) override {
        m_pixels->addModel(QFileInfo(path).fileName(), model.image);
    }

private:
    PixelController* m_pixels = nullptr;
};

ARLAB_LESSON(PixelsLesson, {.id = "pixels",
                            .title = QT_TRANSLATE_NOOP("arlab::Lesson", "Images"),
                            .order = 30,
                            .shortcut = "Ctrl+3",
                            .docks = {{"pixelDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Pixels")},
                                      {"madeDock", QT_TRANSLATE_NOOP("arlab::Lesson", "MADE masks")}},
                            .modelFamilies = {ar::ModelFamily::Image},
                            .summary = QT_TRANSLATE_NOOP("arlab::Lesson", "images drawn pixel by pixel: PixelCNN, Gated PixelCNN, MADE")})

}  // namespace arlab

#include "pixelslesson.moc"
