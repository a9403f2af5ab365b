// arlab-cli translate --mode ar|nat|mask-predict|semi and arlab-cli speculative as whole processes: the JSON
// shapes, the numbers against core, and a specific error for each kind of bad argument.
#include "core/decoding/paralleldecode.h"
#include "core/models/nat.h"

#include "testutil.h"

#include <QJsonArray>

using namespace ar;

namespace {

using testutil::cli;
using testutil::jsonOf;
using testutil::Run;

QStringList strings(const QJsonValue& v) {
    QStringList out;
    for (const auto& x : v.toArray()) out << x.toString();
    return out;
}

const QString kSrc = QStringLiteral("他们 明天 不 买 两 本 书 吗");

}  // namespace

class TestCliParallel : public QObject {
    Q_OBJECT
private slots:
    // Each mode's JSON: tokens, one iteration per pass, passes = 1, K, ceil(T / k), T; the words equal core's.
    void translateModes_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("k");
        QTest::newRow("nat") << QStringList{"--mode", "nat"} << int(ParallelMode::Nat) << 1;
        QTest::newRow("mask-predict 3") << QStringList{"--mode", "mask-predict", "--iterations", "3"} << int(ParallelMode::MaskPredict) << 3;
        QTest::newRow("semi 2") << QStringList{"--mode", "semi", "--block", "2"} << int(ParallelMode::Semi) << 2;
        QTest::newRow("ar (nat model)") << QStringList{"--mode", "ar"} << int(ParallelMode::Semi) << 1;
    }
    void translateModes() {
        QFETCH(QStringList, args);
        QFETCH(int, mode);
        QFETCH(int, k);
        const Run r = cli(QStringList{"translate", "zh-en-nat", "--src", kSrc, "--json"} + args);
        QVERIFY2(r.code == 0, r.err.constData());
        const testutil::Json j = jsonOf(r);
        const auto model = loadNatTranslator(testutil::shipped("zh-en-nat").toStdString());
        ParallelOptions o;
        o.mode = ParallelMode(mode);
        o.iterations = k;
        o.block = k;
        const ParallelTranslation t = translateParallel(*model, model->encodeSource(kSrc.toStdString()), o);
        QStringList words;
        for (int id : t.tokens) words << QString::fromStdString(model->tgtTokenizer().token(id));
        QCOMPARE(strings(j["tokens"]), words);
        QCOMPARE(j["passes"].toInt(), t.passes);
        const int T = int(t.tokens.size());
        QCOMPARE(j["passes"].toInt(), mode == int(ParallelMode::Nat) ? 1 : mode == int(ParallelMode::Semi) ? (T + k - 1) / k : k);
        const QJsonArray its = j["iterations"].toArray();
        QCOMPARE(its.size(), t.passes);
        for (const auto& it : its) {
            const QJsonObject o = it.toObject();
            QCOMPARE(o["tokens"].toArray().size(), T);
            QCOMPARE(o["confidence"].toArray().size(), T);
            QCOMPARE(o["masked"].toArray().size(), T);
            for (const auto& c : o["confidence"].toArray()) QVERIFY(c.toDouble() >= 0 && c.toDouble() <= 1);
        }
        QVERIFY(its[0].toObject()["masked"].toArray()[0].toBool());  // position 0 is predicted in pass 1
        if (mode == int(ParallelMode::Semi) && t.passes > 1) QVERIFY(strings(its[0].toObject()["tokens"]).contains("[MASK]"));
    }

    // The autoregressive translator: one pass per word, </s> included.
    void translateArSeq2Seq() {
        const Run r = cli({"translate", "zh-en-seq2seq", "--src", "我 爱 你", "--mode", "ar", "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const testutil::Json j = jsonOf(r);
        QCOMPARE(strings(j["tokens"]), (QStringList{"I", "love", "you", "</s>"}));
        QCOMPARE(j["passes"].toInt(), 4);
        QCOMPARE(j["iterations"].toArray().size(), 4);
    }

    void translateErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QStringList nat{"translate", "zh-en-nat", "--src", "我 爱 你"};
        QTest::newRow("unknown mode") << (nat + QStringList{"--mode", "fast"}) << "unknown parallel decoding mode 'fast' (choices: nat, mask-predict, semi)";
        QTest::newRow("iterations 0") << (nat + QStringList{"--mode", "mask-predict", "--iterations", "0"}) << "option --iterations must be between 1 and 100";
        QTest::newRow("iterations with nat") << (nat + QStringList{"--mode", "nat", "--iterations", "3"}) << "--iterations only applies to --mode mask-predict";
        QTest::newRow("block with mask-predict") << (nat + QStringList{"--mode", "mask-predict", "--block", "2"}) << "--block only applies to --mode semi";
        QTest::newRow("block 0") << (nat + QStringList{"--mode", "semi", "--block", "0"}) << "option --block must be between 1 and 512";
        QTest::newRow("width with nat") << (nat + QStringList{"--mode", "nat", "--width", "4"}) << "--width (beam search) needs the autoregressive seq2seq translator";
        QTest::newRow("unknown word") << QStringList{"translate", "zh-en-nat", "--src", "我 爱 斑马", "--mode", "nat"} << "斑马";
        QTest::newRow("nat mode on seq2seq") << QStringList{"translate", "zh-en-seq2seq", "--src", "我 爱 你", "--mode", "nat"}
                                             << "--mode nat needs a non-autoregressive translator";
        QTest::newRow("block on seq2seq") << QStringList{"translate", "zh-en-seq2seq", "--src", "我 爱 你", "--block", "2"}
                                          << "--iterations and --block need a non-autoregressive translator";
    }
    void translateErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        testutil::cliRefuses(args, message);
    }

    // speculative --json: every round's shape; the tokens are the rounds' kept drafts + next tokens; target calls
    // = rounds; the same seed gives the same output.
    void speculativeJson() {
        const QStringList args{"speculative", "--target", "toy-target", "--draft", "toy-draft", "--gamma", "3", "--prompt",
                               "the", "--steps", "25", "--seed", "4", "--top-k", "10", "--json"};
        const Run r = cli(args);
        QVERIFY2(r.code == 0, r.err.constData());
        const testutil::Json j = jsonOf(r);
        const QStringList tokens = strings(j["tokens"]);
        QCOMPARE(tokens.size(), 25);
        QStringList rebuilt;
        int drafts = 0;
        for (const auto& v : j["rounds"].toArray()) {
            const QJsonObject round = v.toObject();
            const QStringList draft = strings(round["draft"]);
            QVERIFY(draft.size() >= 1 && draft.size() <= 3);
            drafts += int(draft.size());
            QCOMPARE(round["p"].toArray().size(), draft.size());
            QCOMPARE(round["q"].toArray().size(), draft.size());
            const int accepted = round["accepted"].toInt();
            QVERIFY(accepted >= 0 && accepted <= draft.size());
            QCOMPARE(round["bonus"].toBool(), accepted == draft.size());
            rebuilt << draft.mid(0, accepted) << round["next"].toString();
        }
        QCOMPARE(rebuilt.mid(0, 25), tokens);
        QCOMPARE(j["target_calls"].toInt(), j["rounds"].toArray().size());
        QCOMPARE(j["draft_calls"].toInt(), drafts);
        QCOMPARE(cli(args).out, r.out);
    }

    void speculativeErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QStringList ok{"speculative", "--target", "toy-target", "--draft", "toy-draft"};
        QTest::newRow("no target") << QStringList{"speculative", "--draft", "toy-draft"} << "--target";
        QTest::newRow("gamma 0") << (ok + QStringList{"--gamma", "0"}) << "option --gamma must be between 1 and 32";
        QTest::newRow("draft is a translator") << QStringList{"speculative", "--target", "toy-target", "--draft", "zh-en-nat"}
                                               << "--draft: model";
        QTest::newRow("unknown word") << (ok + QStringList{"--prompt", "the zebra"}) << "zebra";
        QTest::newRow("too many steps") << (ok + QStringList{"--steps", "500"}) << "do not fit the target's context of 64 tokens";
        QTest::newRow("different vocabularies") << QStringList{"speculative", "--target", "toy-target", "--draft", "words-char"}
                                                << "the draft and the target have different vocabularies";
        QTest::newRow("bad top-p") << (ok + QStringList{"--top-p", "2"}) << "option --top-p: top-p must be in (0, 1], got 2";
    }
    void speculativeErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        testutil::cliRefuses(args, message);
    }
};

QTEST_GUILESS_MAIN(TestCliParallel)
#include "tst_core_cli_parallel.moc"
