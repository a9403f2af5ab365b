// core/ is plain C++ + Eigen (+ nlohmann-json): no Qt, ever. Three independent checks, each able to fail:
//  1. no file under core/ includes a Qt header, and core/CMakeLists.txt does not mention Qt;
//  2. arcore's link libraries (as CMake resolved them, written by tests/CMakeLists.txt) hold no Qt target;
//  3. the arcore archive has no undefined Qt symbol (nm), so Qt cannot sneak in through another library.
// The detectors themselves are tested on positive and negative examples.
#include "testutil.h"

#include <QtTest>

#include <QDirIterator>
#include <QProcess>
#include <QRegularExpression>

namespace {

// A line that includes a Qt header: <QString>, <QtCore/QObject>, "QtWidgets", <qglobal.h>.
bool includesQt(const QString& line) {
    static const QRegularExpression re(
        QStringLiteral("^\\s*#\\s*include\\s*[<\"](Qt\\w*/|Q[A-Z]\\w*[>\"]|Qt\\w*[>\"]|q[a-z]+\\.h>)"));
    return re.match(line).hasMatch();
}

// A CMake link item or a demangled symbol that belongs to Qt.
bool namesQtLibrary(const QString& item) {
    static const QRegularExpression re(QStringLiteral("(^|[;/\\s])(Qt[56]?::|lib[Qq]t[56]?|Qt[56][A-Z])"));
    return re.match(item).hasMatch();
}
bool isQtSymbol(const QString& demangled) {
    static const QRegularExpression re(
        QStringLiteral("(^|[^A-Za-z0-9_])(Q[A-Z][A-Za-z0-9]+(::|\\b)|q(Fatal|Debug|Warning|Critical|BadAlloc)\\b|qt_[a-z])"));
    return re.match(demangled).hasMatch();
}

}  // namespace

class TestLayering : public QObject {
    Q_OBJECT
private slots:
    void detectors_data();
    void detectors();
    void noQtIncludeInCore();
    void coreCMakeHasNoQt();
    void arcoreLinksNoQt();
    void arcoreArchiveHasNoQtSymbols();
};

void TestLayering::detectors_data() {
    QTest::addColumn<int>("detector");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("qt");
    QTest::newRow("include <QString>") << 0 << "#include <QString>" << true;
    QTest::newRow("include <QtCore/QObject>") << 0 << "  #  include <QtCore/QObject>" << true;
    QTest::newRow("include \"QtWidgets\"") << 0 << "#include \"QtWidgets\"" << true;
    QTest::newRow("include <qglobal.h>") << 0 << "#include <qglobal.h>" << true;
    QTest::newRow("include core header") << 0 << "#include \"core/autograd/ops.h\"" << false;
    QTest::newRow("include <queue>") << 0 << "#include <queue>" << false;
    QTest::newRow("include Eigen") << 0 << "#include <Eigen/Dense>" << false;
    QTest::newRow("comment about QString") << 0 << "// no QString here" << false;
    QTest::newRow("link Qt6::Core") << 1 << "Eigen3::Eigen;Qt6::Core" << true;
    QTest::newRow("link libQt6Core.so") << 1 << "/usr/lib/x86_64-linux-gnu/libQt6Core.so.6" << true;
    QTest::newRow("link Eigen + json") << 1 << "Eigen3::Eigen;nlohmann_json::nlohmann_json" << false;
    QTest::newRow("symbol QString ctor") << 2 << "QString::QString(char const*)" << true;
    QTest::newRow("symbol qt_assert") << 2 << "qt_assert(char const*, char const*, int)" << true;
    QTest::newRow("symbol qHash") << 2 << "qFatal(char const*, ...)" << true;
    QTest::newRow("symbol std::string") << 2 << "std::__cxx11::basic_string<char>::_M_create(unsigned long&, unsigned long)" << false;
    QTest::newRow("symbol Eigen QR") << 2 << "Eigen::HouseholderQR<Eigen::Matrix<float, -1, -1, 0, -1, -1> >::compute()" << false;
    QTest::newRow("symbol libm") << 2 << "expf" << false;
}

void TestLayering::detectors() {
    QFETCH(int, detector);
    QFETCH(QString, text);
    QFETCH(bool, qt);
    const bool got = detector == 0 ? includesQt(text) : detector == 1 ? namesQtLibrary(text) : isQtSymbol(text);
    QCOMPARE(got, qt);
}

void TestLayering::noQtIncludeInCore() {
    const QString root = testutil::sourceFile("core");
    QDirIterator it(root, {"*.h", "*.hpp", "*.cpp", "*.cc", "*.inl"}, QDir::Files, QDirIterator::Subdirectories);
    QStringList offenders;
    int files = 0;
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        ++files;
        int lineNo = 0;
        for (const QByteArray& line : f.readAll().split('\n')) {
            ++lineNo;
            if (includesQt(QString::fromUtf8(line)))
                offenders << QString("%1:%2: %3").arg(path.mid(root.size() - 4)).arg(lineNo).arg(QString::fromUtf8(line).trimmed());
        }
    }
    QVERIFY2(files > 10, "core/ sources not found");
    QVERIFY2(offenders.isEmpty(), qPrintable("Qt included in core/:\n" + offenders.join('\n')));
}

void TestLayering::coreCMakeHasNoQt() {
    QFile f(testutil::sourceFile("core/CMakeLists.txt"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    QStringList bad;
    for (const QString& line : text.split('\n')) {
        const QString code = line.section('#', 0, 0);
        if (code.contains("Qt", Qt::CaseSensitive)) bad << line.trimmed();
    }
    QVERIFY2(bad.isEmpty(), qPrintable("core/CMakeLists.txt mentions Qt:\n" + bad.join('\n')));
}

static QMap<QString, QString> linkInfo() {
    QMap<QString, QString> m;
    QFile f(QString::fromUtf8(testutil::arcoreLinkFile()));
    if (!f.open(QIODevice::ReadOnly)) return m;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (const int eq = line.indexOf('='); eq > 0) m[QString::fromUtf8(line.left(eq))] = QString::fromUtf8(line.mid(eq + 1));
    return m;
}

void TestLayering::arcoreLinksNoQt() {
    const auto info = linkInfo();
    QVERIFY2(info.contains("LINK_LIBRARIES"), "arcore_link.txt missing: re-run cmake");
    for (const QString key : {"LINK_LIBRARIES", "INTERFACE_LINK_LIBRARIES"}) {
        const QString libs = info.value(key);
        for (const QString& item : libs.split(';', Qt::SkipEmptyParts))
            QVERIFY2(!namesQtLibrary(item), qPrintable(QString("arcore %1 holds %2").arg(key, item)));
    }
    QVERIFY(info.value("LINK_LIBRARIES").contains("Eigen3::Eigen"));  // the file is what we think it is
}

void TestLayering::arcoreArchiveHasNoQtSymbols() {
    const QString archive = linkInfo().value("ARCHIVE");
    QVERIFY2(QFileInfo::exists(archive), qPrintable("arcore archive not found: " + archive));
    QProcess nm;
    nm.start("nm", {"-C", "-u", archive});
    QVERIFY2(nm.waitForStarted(10000), "nm (binutils) is needed for this check");
    QVERIFY(nm.waitForFinished(60000));
    QCOMPARE(nm.exitCode(), 0);
    const QStringList lines = QString::fromUtf8(nm.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
    QVERIFY2(lines.size() > 50, "nm listed almost nothing: wrong file?");
    QStringList qt;
    for (const QString& l : lines)
        if (isQtSymbol(l)) qt << l.trimmed();
    qt.removeDuplicates();
    QVERIFY2(qt.isEmpty(), qPrintable("arcore uses Qt symbols:\n" + qt.mid(0, 20).join('\n')));
}

QTEST_GUILESS_MAIN(TestLayering)
#include "tst_core_layering.moc"
