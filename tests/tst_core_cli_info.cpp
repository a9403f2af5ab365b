// arlab-cli info, run as a process: a good file (text and --json), corrupt files (specific error, exit 1),
// bad arguments, an unknown subcommand, and --help listing the subcommands.
#include "core/io/safetensors.h"
#include "testutil.h"

#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <fstream>

using namespace ar;

namespace {

// The shared runner, with stdout and stderr as text (this test matches them with regular expressions).
struct Run {
    int code = -1;
    QString out, err;
};

Run runCli(const QStringList& args) {
    const testutil::Run r = testutil::cli(args);
    return {r.code, r.outText(), r.errText()};
}

SafeTensors sampleFile() {
    SafeTensors f;
    f.metadata["arlab.kind"] = "tinygpt";
    f.metadata["arlab.config"] = "{\"n_embd\":3,\"n_layer\":1}";
    f.metadata["note"] = "plain text";
    f.tensors.push_back({"fc.weight", {2, 3}, {1, 2, 3, 4, 5, 6}});
    f.tensors.push_back({"fc.bias", {2}, {0.5f, -0.5f}});
    return f;
}

void writeBytes(const QString& path, const std::string& bytes) {
    std::ofstream out(path.toStdString(), std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

}  // namespace

class TestCliInfo : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void goodFileText();
    void goodFileJson();
    void halfPrecisionFile();
    void badInput_data();
    void badInput();
    void unknownSubcommand();
    void helpListsSubcommands();

private:
    QTemporaryDir m_dir;
    QString m_good;
};

void TestCliInfo::initTestCase() {
    QVERIFY2(QFileInfo::exists(QString::fromUtf8(testutil::cliPath())), "build the arlab-cli target first");
    QVERIFY(m_dir.isValid());
    m_good = m_dir.filePath("good.safetensors");
    writeSafetensors(m_good.toStdString(), sampleFile());
    const std::string good = serializeSafetensors(sampleFile());
    writeBytes(m_dir.filePath("truncated.safetensors"), good.substr(0, good.size() - 5));
    writeBytes(m_dir.filePath("short.safetensors"), "abc");
    std::string header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                         "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
    std::string overlap;
    for (int i = 0; i < 8; ++i) overlap.push_back(char((header.size() >> (8 * i)) & 0xFF));
    writeBytes(m_dir.filePath("overlap.safetensors"), overlap + header + std::string(12, '\0'));
}

void TestCliInfo::goodFileText() {
    const Run r = runCli({"info", m_good});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.err.isEmpty());
    QVERIFY(r.out.contains("arlab.kind: tinygpt"));
    QVERIFY(r.out.contains("note: plain text"));
    QVERIFY2(r.out.contains("\"n_embd\": 3"), qPrintable(r.out));  // the JSON value is pretty-printed
    QVERIFY(r.out.contains("Tensors (2):"));
    const QRegularExpression weightRow(QStringLiteral("fc\\.weight\\s+F32\\s+\\[2, 3\\]\\s+24\\b"));
    const QRegularExpression biasRow(QStringLiteral("fc\\.bias\\s+F32\\s+\\[2\\]\\s+8\\b"));
    QVERIFY2(weightRow.match(r.out).hasMatch(), qPrintable(r.out));
    QVERIFY2(biasRow.match(r.out).hasMatch(), qPrintable(r.out));
    QVERIFY(r.out.contains("Total parameters: 8"));
}

void TestCliInfo::goodFileJson() {
    const Run r = runCli({"info", m_good, "--json"});
    QCOMPARE(r.code, 0);
    const testutil::Json o = testutil::jsonOf(r.out.toUtf8());
    QCOMPARE(o["parameters"].toInt(), 8);
    QCOMPARE(o.object("metadata")["arlab.kind"].toString(), QString("tinygpt"));
    QCOMPARE(o.object("metadata").object("arlab.config")["n_layer"].toInt(), 1);  // embedded as JSON
    const QJsonArray t = o["tensors"].toArray();
    QCOMPARE(t.size(), 2);
    const testutil::Json t1(t[1].toObject());
    QCOMPARE(t1["name"].toString(), QString("fc.weight"));
    QCOMPARE(t1["bytes"].toInt(), 24);
    QCOMPARE(t1["shape"].toArray().size(), 2);
    QCOMPARE(o["bytes"].toInteger(), QFileInfo(m_good).size());
}

void TestCliInfo::halfPrecisionFile() {
    // A file written by another tool in F16: the table shows the on-disk dtype and size.
    const std::string header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]}}";
    std::string bytes;
    for (int i = 0; i < 8; ++i) bytes.push_back(char((header.size() >> (8 * i)) & 0xFF));
    bytes += header + std::string("\x00\x3c\x00\xc0\x00\x00", 6);
    const QString path = m_dir.filePath("half.safetensors");
    writeBytes(path, bytes);
    const Run r = runCli({"info", path});
    QCOMPARE(r.code, 0);
    QVERIFY2(QRegularExpression("h\\s+F16\\s+\\[3\\]\\s+6\\b").match(r.out).hasMatch(), qPrintable(r.out));
    QVERIFY(r.out.contains("Metadata: (none)"));
}

void TestCliInfo::badInput_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("truncated file") << QStringList{"info", "@truncated.safetensors"} << 1
                                    << "bytes after the last tensor|runs past end of file";
    QTest::newRow("3-byte file") << QStringList{"info", "@short.safetensors"} << 1
                                 << "file is 3 bytes, too short to hold the 8-byte header length";
    QTest::newRow("overlapping tensors") << QStringList{"info", "@overlap.safetensors"} << 1
                                         << "tensors 'a' \\(bytes 0..8\\) and 'b' \\(bytes 4..12\\) overlap";
    QTest::newRow("no file argument") << QStringList{"info"} << 1 << "missing argument FILE";
    QTest::newRow("unknown option") << QStringList{"info", "@good.safetensors", "--bogus"} << 1 << "unknown option --bogus";
    QTest::newRow("two files") << QStringList{"info", "@good.safetensors", "x"} << 1 << "unexpected argument 'x'";
    QTest::newRow("flag with value") << QStringList{"info", "@good.safetensors", "--json=1"} << 1
                                     << "option --json takes no value";
}

void TestCliInfo::badInput() {
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    for (QString& a : args)
        if (a.startsWith('@')) a = m_dir.filePath(a.mid(1));
    const Run r = runCli(args);
    QCOMPARE(r.code, code);
    QVERIFY2(r.err.startsWith("arlab-cli info: error: "), qPrintable(r.err));
    QVERIFY2(QRegularExpression(message).match(r.err).hasMatch(), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TestCliInfo::unknownSubcommand() {
    const Run r = runCli({"frobnicate"});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("unknown command 'frobnicate'"), qPrintable(r.err));
}

void TestCliInfo::helpListsSubcommands() {
    const Run r = runCli({"--help"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("Commands:"));
    QVERIFY2(QRegularExpression("\\n  info\\s+print a model file's metadata").match(r.out).hasMatch(), qPrintable(r.out));
    const Run none = runCli({});
    QCOMPARE(none.code, 2);  // no command: usage, exit 2
    QVERIFY(none.out.contains("Commands:"));
    const Run sub = runCli({"info", "--help"});
    QCOMPARE(sub.code, 0);
    QVERIFY(sub.out.contains("Usage: arlab-cli info FILE"));
    QVERIFY(sub.out.contains("--json"));
}

QTEST_GUILESS_MAIN(TestCliInfo)
#include "tst_core_cli_info.moc"
