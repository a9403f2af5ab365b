// The .arlab session file (core/io/sessionfile.h): write -> read -> replay round-trips a branch tree exactly
// (node ids, tokens, forced marks, current path, the bytes of the file), and every kind of bad input gets its
// own message: empty, truncated, corrupt, not a session, a newer or unknown version, unknown keys, bad
// references, out-of-range settings, a token the model does not have.
#include "core/decoding/decodingsession.h"
#include "core/error.h"
#include "core/io/atomicfile.h"
#include "core/io/sessionfile.h"
#include "fakemodels.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace ar;
using testutil::errorOf;

namespace {
std::shared_ptr<const LanguageModel> model() { return std::make_shared<fake::HashModel>(12, 7, 0, -1, 40); }

// A session with branches: 5 steps, back 2, a forced token, 2 steps, a switch back to the first branch.
std::unique_ptr<DecodingSession> branchySession() {
    SamplerSettings st;
    st.seed = 42;
    st.setTemperature(0.8f);
    auto s = std::make_unique<DecodingSession>(model(), "w3 w4", st);
    for (int i = 0; i < 5; ++i) s->step();
    s->back();
    s->back();
    s->force(9);
    s->step();
    s->step();
    s->switchTo(4);
    s->back();
    return s;
}

SessionData dataOf(const DecodingSession& s) {
    SessionData d;
    d.app = "test";
    d.lesson = "transformer";
    d.modelPath = "/models/m.safetensors";
    d.modelSha256 = std::string(64, 'a');
    d.prompt = "w3 w4";
    d.history = historyOf(s, &d.current);
    d.sampler = s.settings();
    d.sampler.beam = {5, 12, 1.5f};
    d.layout = "AAAA/w==";
    d.hasQuiz = true;
    d.quizLength = 4;
    const std::vector<double> p{0.5, 0.25, 0.25}, truth{0.5, 0.5, 0};
    d.quizSteps.push_back(scoreQuizStep(QuizGuess{{{0, 30}, {2, 70}}}, p, truth, 1, 3));
    d.quizSteps.push_back(scoreQuizStep(QuizGuess::pick(1), p, {}, 1, 4));
    return d;
}

std::string valid() { return writeSession(dataOf(*branchySession())); }
std::string replace(std::string s, const std::string& from, const std::string& to) {
    const size_t at = s.find(from);
    if (at == std::string::npos) qFatal("'%s' not in the session text", from.c_str());
    return s.replace(at, from.size(), to);
}
}  // namespace

class TestSessionFile : public QObject {
    Q_OBJECT
private slots:
    void roundTripsExactly() {
        auto s = branchySession();
        QVERIFY(s->history().size() == 8);
        QVERIFY(!s->branches().empty());
        const SessionData d = dataOf(*s);
        const std::string text = writeSession(d);
        const SessionData r = readSession(text, "s");
        QCOMPARE(r.lesson, d.lesson);
        QCOMPARE(r.modelPath, d.modelPath);
        QCOMPARE(r.modelSha256, d.modelSha256);
        QCOMPARE(r.prompt, d.prompt);
        QVERIFY(r.history == d.history);
        QCOMPARE(r.current, d.current);
        QVERIFY(r.sampler == d.sampler);
        QCOMPARE(r.sampler.beam.width, 5);
        QCOMPARE(r.sampler.beam.maxLength, 12);
        QCOMPARE(r.sampler.beam.lengthPenalty, 1.5f);
        QCOMPARE(r.layout, d.layout);
        QCOMPARE(r.quizLength, 4);
        QCOMPARE(r.quizSteps.size(), size_t(2));
        QCOMPARE(r.quizSteps[0].guess.points, d.quizSteps[0].guess.points);
        QCOMPARE(r.quizSteps[0].studentLoss, d.quizSteps[0].studentLoss);   // exactly: JSON keeps doubles
        QCOMPARE(r.quizSteps[0].studentCrossEntropy, d.quizSteps[0].studentCrossEntropy);
        QCOMPARE(r.quizSteps[1].hasTruth, false);
        QCOMPARE(writeSession(r), text);

        // Replayed on a fresh session: the same tree, node by node, and the same current path and sequence.
        DecodingSession again(model(), r.prompt, r.sampler);
        replayHistory(again, r.history, r.current, "s");
        QCOMPARE(again.history().size(), s->history().size());
        for (size_t i = 0; i < s->history().size(); ++i) {
            QCOMPARE(again.history()[i].parent, s->history()[i].parent);
            QCOMPARE(again.history()[i].step.token, s->history()[i].step.token);
            QCOMPARE(again.history()[i].step.forced, s->history()[i].step.forced);
            QCOMPARE(again.history()[i].step.position, s->history()[i].step.position);
        }
        QCOMPARE(again.currentPath(), s->currentPath());
        QCOMPARE(again.sequence(), s->sequence());
        QCOMPARE(again.branches(), s->branches());
        QCOMPARE(writeSession(dataOf(again)), text);
        // the next distribution is the same bits: the state was rebuilt exactly
        QVERIFY(again.nextLogits() == s->nextLogits());
    }

    // A file as arlab wrote it before the stages' knobs became slots of the settings (main at 88c114b, every knob set):
    // read into the same values, and written back byte for byte.
    void readsTheFormatWrittenBefore() {
        const std::string before = R"arlab({
 "format": "arlab-session",
 "version": 1,
 "app": "arlab 0.1.0",
 "lesson": "decoding",
 "model": {
  "path": "/models/toy-word.safetensors",
  "sha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
 },
 "prompt": "the cat",
 "history": [
  {
   "parent": -1,
   "token": 5,
   "forced": false
  },
  {
   "parent": 0,
   "token": 7,
   "forced": true
  }
 ],
 "current": 1,
 "sampler": {
  "strategy": "sample",
  "temperature": 0.699999988079071,
  "top_k": 5,
  "top_p": 0.8999999761581421,
  "min_p": 0.05000000074505806,
  "repetition_penalty": 1.2999999523162842,
  "repetition_window": 16,
  "seed": 42,
  "beam_width": 3,
  "length_penalty": 0.6000000238418579,
  "max_new_tokens": 20
 },
 "beam": {
  "width": 3,
  "max_length": 10,
  "length_penalty": 0.6000000238418579
 },
 "layout": ""
}
)arlab";
        const SessionData r = readSession(before, "s");
        QCOMPARE(r.sampler.temperature(), 0.7f);
        QCOMPARE(r.sampler.topK(), 5);
        QCOMPARE(r.sampler.topP(), 0.9f);
        QCOMPARE(float(r.sampler.knob("min_p")), 0.05f);
        QCOMPARE(float(r.sampler.knob("repetition_penalty")), 1.3f);
        QCOMPARE(r.sampler.knob("repetition_window"), 16.0);
        QCOMPARE(r.sampler.seed, uint64_t(42));
        QVERIFY(r.sampler.beam == (BeamSettings{3, 10, 0.6f}));
        QCOMPARE(r.current, 1);
        QCOMPARE(writeSession(r), before);
    }

    // A tokenizer chosen apart from the model is kept (version 2); without one the file stays version 1, which an
    // older arlab reads.
    void separateTokenizerRoundTrips() {
        SessionData d = dataOf(*branchySession());
        const std::string v1 = writeSession(d);
        QVERIFY(v1.find("\"version\": 1,") != std::string::npos);
        QVERIFY(v1.find("tokenizer") == std::string::npos);
        QCOMPARE(readSession(v1, "s").tokenizerPath, std::string());
        d.tokenizerPath = "/data/my tokenizer.bin";
        d.tokenizerSha256 = std::string(64, 'c');
        const std::string v2 = writeSession(d);
        QVERIFY2(v2.find("\"version\": 2,") != std::string::npos, v2.c_str());
        const SessionData r = readSession(v2, "s");
        QCOMPARE(r.tokenizerPath, d.tokenizerPath);
        QCOMPARE(r.tokenizerSha256, d.tokenizerSha256);
        QCOMPARE(r.modelPath, d.modelPath);
        QVERIFY(r.history == d.history);
        QCOMPARE(writeSession(r), v2);
    }

    void atThePrompt() {
        auto s = branchySession();
        while (s->back()) {}
        SessionData d = dataOf(*s);
        QCOMPARE(d.current, -1);
        const SessionData r = readSession(writeSession(d), "s");
        DecodingSession again(model(), r.prompt, r.sampler);
        replayHistory(again, r.history, r.current, "s");
        QCOMPARE(again.stepCount(), 0);
        QCOMPARE(again.history().size(), s->history().size());
    }

    void badFiles_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        const std::string v = valid();
        auto row = [](const char* name, const std::string& bytes, const QString& message) {
            QTest::newRow(name) << QByteArray::fromStdString(bytes) << message;
        };
        row("empty", "", "s: the file is empty");
        row("truncated", v.substr(0, v.size() / 2), QString("s: is truncated (the JSON ends at byte %1 before it is complete)").arg(v.size() / 2));
        row("corrupt", replace(v, "\"history\"", "\"history\"}}"), "");   // message checked by prefix below
        row("not a session", "{\"name\": \"a model\"}", "s: is not an arlab session (no \"format\": \"arlab-session\")");
        row("a list", "[1, 2]", "s: is not an arlab session (no \"format\": \"arlab-session\")");
        row("newer version", replace(v, "\"version\": 1", "\"version\": 3"),
            "s: was written by a newer arlab (session version 3; this arlab reads up to version 2): update arlab to open it");
        row("version 0", replace(v, "\"version\": 1", "\"version\": 0"), "s: has an unknown session version 0");
        row("version text", replace(v, "\"version\": 1", "\"version\": \"1\""), "s: 'version' must be a whole number, got \"1\"");
        row("no lesson", replace(v, "\"lesson\": \"transformer\",", ""), "s: has no 'lesson'");
        row("unknown key", replace(v, "\"prompt\":", "\"colour\": 1, \"prompt\":"),
            "s: unknown key 'colour' (this arlab reads session version 2)");
        // The separate tokenizer (version 2).
        const std::string tokenizer = "\"tokenizer\": {\"path\": \"/t/tok.bin\", \"sha256\": \"" + std::string(64, 'b') + "\"}, \"path\"";
        const std::string v2 = replace(replace(v, "\"version\": 1", "\"version\": 2"), "\"path\"", tokenizer);
        row("tokenizer in version 1", replace(v, "\"path\"", tokenizer), "s: 'model.tokenizer' needs session version 2 (this file says version 1)");
        row("tokenizer sha", replace(v2, std::string(64, 'b'), "xyz"),
            "s: 'model.tokenizer.sha256' must be 64 lowercase hex digits (the SHA-256 of the tokenizer file)");
        row("tokenizer no path", replace(v2, "\"path\": \"/t/tok.bin\", ", ""), "s: has no 'model.tokenizer.path'");
        row("tokenizer empty path", replace(v2, "/t/tok.bin", ""), "s: 'model.tokenizer.path' is empty");
        row("tokenizer unknown key", replace(v2, "\"path\": \"/t/tok.bin\"", "\"path\": \"/t/tok.bin\", \"kind\": 1"),
            "s: unknown key 'model.tokenizer.kind' (this arlab reads session version 2)");
        row("tokenizer without model", replace(v2, "\"/models/m.safetensors\"", "\"\""), "s: 'model.tokenizer' is set but 'model.path' is empty");
        row("forward parent", replace(v, "\"parent\": -1", "\"parent\": 3"), "s: 'history[0].parent' = 3 must name an earlier node (-1..-1)");
        row("negative token", replace(v, "\"token\": ", "\"token\": -"), "");
        row("current outside", replace(v, "\"current\": ", "\"current\": 9"), "");
        // A stage's knob: read by type, then its own range check.
        row("top-p", replace(v, "\"top_p\": 1.0", "\"top_p\": 1.5"), "s: sampler settings: top-p must be in (0, 1], got 1.5");
        row("top-p text", replace(v, "\"top_p\": 1.0", "\"top_p\": \"high\""), "s: 'sampler.top_p' must be a number, got \"high\"");
        row("top-k fraction", replace(v, "\"top_k\": 0", "\"top_k\": 2.5"), "s: 'sampler.top_k' must be a whole number, got 2.5");
        row("window negative", replace(v, "\"repetition_window\": 64", "\"repetition_window\": -1"),
            "s: sampler settings: repetition window must be in [0, 1048576], got -1");
        row("unknown knob", replace(v, "\"top_k\": 0", "\"top_k\": 0, \"top_q\": 1"), "s: unknown key 'sampler.top_q' (this arlab reads session version 2)");
        row("number too large", replace(v, "\"top_p\": 1.0", "\"top_p\": 1.0E400"), "s: is not valid JSON: a number is too large (a corrupt file?)");
        row("strategy", replace(v, "\"strategy\": \"sample\"", "\"strategy\": \"magic\""), "");
        row("beam width", replace(v, "\"width\": 5", "\"width\": 0"), "s: beam settings: beam width must be in [1, 64], got 0");
        row("sha", replace(v, std::string(64, 'a'), "abc"), "s: 'model.sha256' must be 64 lowercase hex digits (the SHA-256 of the model file)");
        row("layout", replace(v, "AAAA/w==", "not base64!"), "s: 'layout' must be base64 text");
        row("quiz points", replace(v, "[\n      0,\n      30\n     ]", "[0, 40]"), "");
        row("quiz too long", replace(v, "\"length\": 4", "\"length\": 1"), "s: 'quiz.steps' has 2 entries, more than 1");
    }
    void badFiles() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        const QString got = errorOf([&] { readSession(bytes.toStdString(), "s"); });
        const QString row = QTest::currentDataTag();
        QVERIFY2(!got.isEmpty(), "accepted");
        if (!message.isEmpty()) QCOMPARE(got, message);
        else if (row == "corrupt") QVERIFY2(got.startsWith("s: is not valid JSON at byte "), qPrintable(got));
        else if (row == "negative token") QVERIFY2(got.contains("'history[0].token' = -") && got.contains("is outside 0.."), qPrintable(got));
        else if (row == "current outside") QVERIFY2(got.startsWith("s: 'current' = 9") && got.endsWith("is outside -1..7"), qPrintable(got));
        else if (row == "strategy") QVERIFY2(got.startsWith("s: 'sampler.strategy': ") && got.contains("magic"), qPrintable(got));
        else if (row == "quiz points") QCOMPARE(got, QString("s: 'quiz.steps[0].guess': the points add up to 110, not 100"));
        else QFAIL("no expectation");
    }

    // A token the model does not have, or a branch that continues after the context is full.
    void replayRefusesWhatTheModelCannotDo() {
        DecodingSession s(model(), "w1", {});
        QCOMPARE(errorOf([&] { replayHistory(s, {{-1, 12, false}}, 0, "s"); }),
                 QString("s: 'history[0]': token 12 is outside the model's vocabulary of 12"));
        auto small = std::make_shared<fake::HashModel>(12, 7, 0, -1, 3);   // context 3: BOS + "w1" + one token
        DecodingSession t(small, "w1", {});
        QCOMPARE(errorOf([&] { replayHistory(t, {{-1, 2, false}, {0, 3, false}}, 1, "s"); }),
                 QString("s: 'history[1]': the text cannot go on after its parent (context full (3 tokens))"));
    }

    void files() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("a.arlab").toStdString();
        QCOMPARE(errorOf([&] { readSessionFile(path); }).left(40), QString("session '%1': cannot open").arg(QString::fromStdString(path)).left(40));
        writeFileAtomic(path, valid(), "a");
        QCOMPARE(readSessionFile(path).lesson, std::string("transformer"));
        QCOMPARE(errorOf([&] { readSessionFile(dir.path().toStdString()); }),
                 QString("session '%1': is a directory, not a file").arg(dir.path()));
    }
};

QTEST_APPLESS_MAIN(TestSessionFile)
#include "tst_core_sessionfile.moc"
