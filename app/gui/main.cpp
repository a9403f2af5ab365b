// arlab: the GUI. Everything lives in arapp (app/gui/startup.h) so the tests can drive it too.
#include "app/gui/startup.h"
#include "core/memory.h"

#include <QApplication>

int main(int argc, char** argv) {
    // --help and --version print and exit: they must work in a terminal without a display (no GUI platform).
    if (arlab::onlyPrints(argc, argv)) {
        QCoreApplication app(argc, argv);
        return arlab::runPrintOnly(app);
    }
    ar::tuneAllocator();  // keep freed training/decoding buffers in the process (core/memory.h)
    arlab::rememberArguments(argc, argv);   // before QApplication consumes "--session" (session management)
    QApplication app(argc, argv);
    return arlab::runArlab(app);
}
