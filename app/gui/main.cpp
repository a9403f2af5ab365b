// arlab: the GUI. Everything lives in arapp (app/gui/startup.h) so the tests can drive it too.
#include "app/gui/startup.h"

#include <QApplication>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    return arlab::runArlab(app);
}
