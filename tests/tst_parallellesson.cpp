// The Parallel lesson against core, computed independently: the lanes of one sentence (every pass's words,
// confidences and predicted positions; the one-pass confidences from a plain softmax over the decoder's
// logits; passes = decoder calls counted by the model), the quality CSV (exact match, word accuracy, repeated
// rate, passes of AR, the one-pass NAT and semi k=4 over the whole test set), the speculative CSV (every round
// of a run with the dock's settings, tokens per target call for γ = 1..8 from the same seeds, the theory);
// bad sentences and prompts; the lesson in the real window (every dock filled by background jobs, --steps,
// checkpoints, K, File -> Open model, closing while work is running).
#include "app/gui/dockexport.h"
#include "app/gui/mainwindow.h"
#include "app/gui/parallelcontroller.h"
#include "core/decoding/speculative.h"
#include "core/error.h"
#include "core/training/nattrain.h"
#include "widgets/paralleldecodeview.h"
#include "widgets/parallelqualityview.h"
#include "widgets/speculativeview.h"
#include "guitestutil.h"

#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace arlab;

namespace {

const std::string kModels = testutil::sourcePath("resources/models/");

struct Models {
    std::shared_ptr<ar::Seq2Seq> lstm;
    std::shared_ptr<ar::NatTranslator> early, full;
    std::shared_ptr<ar::TinyGpt> target, draft;
};
const Models& models() {
    static const Models m = [] {
        Models m;
        m.lstm = ar::loadSeq2Seq(kModels + "zh-en-seq2seq.safetensors");
        m.early = ar::loadNatTranslator(kModels + "zh-en-nat-early.safetensors");
        m.full = ar::loadNatTranslator(kModels + "zh-en-nat.safetensors");
        m.target = ar::TinyGpt::fromSafetensors(ar::readSafetensors(kModels + "toy-target.safetensors"), "target");
        m.draft = ar::TinyGpt::fromSafetensors(ar::readSafetensors(kModels + "toy-draft.safetensors"), "draft");
        return m;
    }();
    return m;
}

std::unique_ptr<MainWindow> window() { return testutil::makeWindow("parallel"); }

using testutil::Csv;
Csv exportCsv(MainWindow& win, const char* dock, const QString& path) { return testutil::csvOf(win.findChild<QDockWidget*>(dock), path); }

using testutil::near;

// P(word | position) of one decoder pass over an all-[MASK] input, as a plain softmax without [MASK].
double onePassProbability(const ar::NatTranslator& m, const ar::Tokens& src, int T, int position, int word) {
    ar::NoGradGuard ng;
    const auto mem = m.encode({src});
    const ar::Tokens input(size_t(T), m.maskToken());
    const ar::Mat logits = m.decode(mem, input, T).value();
    double z = 0;
    for (ar::Index v = 1; v < logits.cols(); ++v) z += std::exp(double(logits(position, v)));
    return std::exp(double(logits(position, word))) / z;
}

}  // namespace

class TestParallelLesson : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY(models().lstm && models().early && models().full && models().target && models().draft);
    }

    void lanesAreTheCoresDecoding_data() {
        QTest::addColumn<bool>("early");
        QTest::addColumn<QString>("source");
        QTest::addColumn<int>("iterations");
        QTest::newRow("early, default") << true << "我 昨天 吃 了 三 个 苹果" << 4;
        QTest::newRow("early, K=2") << true << "你 看 了 朋友" << 2;
        QTest::newRow("full, default") << false << "我 昨天 吃 了 三 个 苹果" << 4;
        QTest::newRow("full, question") << false << "她 明天 买 两 本 书 吗" << 3;
        QTest::newRow("not in the corpus") << true << "苹果 吃 我" << 4;
    }
    void lanesAreTheCoresDecoding() {
        QFETCH(bool, early);
        QFETCH(QString, source);
        QFETCH(int, iterations);
        const ar::NatTranslator& nat = early ? *models().early : *models().full;
        const ParallelSentenceData d = ParallelController::sentenceData(models().lstm.get(), nat, source, iterations);
        QCOMPARE(d.lanes.size(), 5);
        const ar::Tokens src = nat.encodeSource(source.toStdString());
        // AR: the LSTM's greedy words, one per pass, </s> last
        const ar::Translation g = ar::translateGreedy(*models().lstm, models().lstm->encodeSource(source.toStdString()));
        QCOMPARE(d.lanes[0].id, QString("ar"));
        QCOMPARE(d.lanes[0].passes.size(), qsizetype(g.tokens.size()));
        QCOMPARE(d.lanes[0].passes.back().words.back(), QString("</s>"));
        for (size_t i = 0; i + 1 < g.tokens.size(); ++i) {
            QCOMPARE(d.lanes[0].passes.back().words[qsizetype(i)], QString::fromStdString(models().lstm->tgtTokenizer().token(g.tokens[i])));
            QVERIFY(near(d.lanes[0].passes.back().confidence[qsizetype(i)], g.p[i]));
        }
        // Parallel lanes: passes = decoder calls counted by the model; the final words are the core's
        struct Mode {
            QString id;
            ar::ParallelOptions o;
        };
        std::vector<Mode> modes(4);
        modes[0].id = "nat";
        modes[1].id = "mask-predict", modes[1].o.mode = ar::ParallelMode::MaskPredict, modes[1].o.iterations = iterations;
        modes[2].id = "semi-2", modes[2].o.mode = ar::ParallelMode::Semi, modes[2].o.block = 2;
        modes[3].id = "semi-4", modes[3].o.mode = ar::ParallelMode::Semi, modes[3].o.block = 4;
        for (size_t m = 0; m < modes.size(); ++m) {
            const ParallelLaneData& lane = d.lanes[qsizetype(m + 1)];
            QCOMPARE(lane.id, modes[m].id);
            const long long before = nat.decoderCalls();
            const ar::ParallelTranslation t = ar::translateParallel(nat, src, modes[m].o);
            QCOMPARE(lane.passes.size(), qsizetype(nat.decoderCalls() - before));
            for (size_t p = 0; p < t.iterations.size(); ++p)
                for (size_t i = 0; i < t.iterations[p].tokens.size(); ++i) {
                    const int id = t.iterations[p].tokens[i];
                    QCOMPARE(lane.passes[qsizetype(p)].words[qsizetype(i)],
                             id == nat.maskToken() ? QString() : QString::fromStdString(nat.tgtTokenizer().token(id)));
                    QVERIFY(near(lane.passes[qsizetype(p)].confidence[qsizetype(i)], t.iterations[p].confidence[i]));
                    QCOMPARE(lane.passes[qsizetype(p)].predicted[qsizetype(i)], bool(t.iterations[p].masked[i]));
                }
        }
        // The one-pass confidences are a plain softmax over one decoder pass of position queries
        const ParallelPassData& one = d.lanes[1].passes[0];
        for (int i = 0; i < one.words.size(); ++i) {
            const int id = nat.tgtTokenizer().id(one.words[i].toStdString());
            QVERIFY(near(one.confidence[i], onePassProbability(nat, src, int(one.words.size()), i, id), 1e-5));
        }
        // Mask-Predict after pass 1 re-masks floor(T (K - 1) / K) words: the least confident ones
        const ParallelLaneData& mp = d.lanes[2];
        const int T = int(mp.passes[0].words.size());
        if (mp.passes.size() > 1) {
            const int n = T * (iterations - 1) / iterations;
            QCOMPARE(int(std::count(mp.passes[1].predicted.begin(), mp.passes[1].predicted.end(), true)), n);
            double maxMasked = 0, minKept = 1;
            for (int i = 0; i < T; ++i)
                (mp.passes[1].predicted[i] ? maxMasked : minKept) =
                    mp.passes[1].predicted[i] ? std::max(maxMasked, mp.passes[0].confidence[i]) : std::min(minKept, mp.passes[0].confidence[i]);
            QVERIFY(maxMasked <= minKept);
        }
        // the reference is the corpus' translation, if the sentence is in the corpus
        static const std::vector<ar::ZhEnPair> all = ar::allZhEnPairs();
        const ar::ZhEnPair* pair = ar::findPair(all, source.toStdString());
        QCOMPARE(d.gold.isEmpty(), pair == nullptr);
        if (pair) QCOMPARE(d.gold.join(' '), QString::fromStdString(pair->tgtText()));
        else QVERIFY(d.note.contains("not in the corpus"));
    }

    void badSentences_data() {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown word") << "我 爱 猫猫" << "猫猫";
        QTest::newRow("latin") << "I love you" << "love";
        QTest::newRow("empty") << "   " << "Type a Chinese sentence";
        QTest::newRow("too long") << QString("我 ").repeated(40) << "the model reads at most";
    }
    void badSentences() {
        QFETCH(QString, source);
        QFETCH(QString, message);
        try {
            ParallelController::sentenceData(models().lstm.get(), *models().early, source, 4);
            QFAIL("no error");
        } catch (const ar::Error& e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(message), e.what());
        }
    }

    void lessonInTheWindow() {
        auto win = window();
        auto* ctl = win->findChild<ParallelController*>();
        QVERIFY(ctl);
        QVERIFY(ctl->waitIdle(600000));
        auto* decode = win->findChild<ParallelDecodeView*>();
        auto* quality = win->findChild<ParallelQualityView*>();
        auto* spec = win->findChild<SpeculativeView*>();
        QVERIFY(decode && quality && spec);
        for (const char* name : {"parallelDecodeDock", "parallelQualityDock", "speculativeDock"}) QVERIFY2(win->findChild<QDockWidget*>(name), name);
        // the default sentence on the early checkpoint: the one-pass stutter is there to see
        QCOMPARE(decode->sentence().lanes.size(), 5);
        QCOMPARE(decode->pass(), 0);
        QVERIFY(win->runSteps(2));
        QCOMPARE(decode->pass(), 2);
        QVERIFY(decode->shown()[1].problem);
        QVERIFY(decode->laneText(2).contains("[MASK]"));   // Mask-Predict mid-refinement: the next input
        QCOMPARE(quality->points().size(), 2 + ParallelController::kQualityIterations + 3);
        QVERIFY(!spec->run().rounds.isEmpty());
        QCOMPARE(spec->speedup().size(), 8);

        // CSV of the sentence dock = core (the NAT lane)
        const Csv sentence = exportCsv(*win, "parallelDecodeDock", m_dir.filePath("s.csv"));
        QVERIFY(!sentence.rows.isEmpty());
        const ar::Tokens src = models().early->encodeSource("我 昨天 吃 了 三 个 苹果");
        const ar::ParallelTranslation nat = ar::translateParallel(*models().early, src, {});
        int natRows = 0;
        for (int r = 0; r < sentence.rows.size(); ++r) {
            if (sentence.cell(r, "lane") != "nat") continue;
            const size_t i = size_t(sentence.cell(r, "position").toInt());
            QCOMPARE(sentence.cell(r, "word"), QString::fromStdString(models().early->tgtTokenizer().token(nat.tokens[i])));
            QVERIFY(near(sentence.num(r, "confidence"), nat.iterations[0].confidence[i]));
            QCOMPARE(sentence.cell(r, "repeated") == "1",
                     (i > 0 && nat.tokens[i] == nat.tokens[i - 1]) || (i + 1 < nat.tokens.size() && nat.tokens[i] == nat.tokens[i + 1]));
            ++natRows;
        }
        QCOMPARE(natRows, nat.length);

        // CSV of the quality dock = core's evaluation of the whole test set
        const Csv q = exportCsv(*win, "parallelQualityDock", m_dir.filePath("q.csv"));
        QCOMPARE(q.rows.size(), quality->points().size());
        const auto& test = ctl->testSet();
        QCOMPARE(int(test.size()), 1065);
        ar::ParallelOptions semi4;
        semi4.mode = ar::ParallelMode::Semi;
        semi4.block = 4;
        const std::vector<std::pair<QString, ar::ParallelEval>> expected = {
            {"ar", ar::evaluateArGreedy(*models().lstm, test)},
            {"nat", ar::evaluateParallel(*models().early, test, {})},
            {"semi-4", ar::evaluateParallel(*models().early, test, semi4)}};
        for (const auto& [id, e] : expected) {
            bool found = false;
            for (int r = 0; r < q.rows.size(); ++r) {
                if (q.cell(r, "id") != id) continue;
                found = true;
                QVERIFY2(near(q.num(r, "exact_match"), e.exactMatch), qPrintable(q.rows[r].join(',')));
                QVERIFY(near(q.num(r, "word_accuracy"), e.wordAccuracy));
                QVERIFY(near(q.num(r, "repeated_rate"), e.repeatedRate));
                QVERIFY(near(q.num(r, "passes_per_sentence"), e.meanPasses));
                QCOMPARE(q.cell(r, "sentences").toInt(), e.sentences);
            }
            QVERIFY2(found, qPrintable(id));
        }
        // mask-predict K=1 is the NAT pass
        QCOMPARE(q.cell(2, "id"), QString("mask-predict-1"));
        QCOMPARE(q.cell(2, "exact_match"), q.cell(1, "exact_match"));

        // CSV of the speculative dock = a core run with the dock's settings, round by round
        const Csv s = exportCsv(*win, "speculativeDock", m_dir.filePath("sp.csv"));
        ar::SpeculativeOptions o;
        o.gamma = spec->gamma();
        o.steps = spec->steps();
        o.sampler.seed = spec->seed();
        ar::Tokens prompt = {models().target->bosToken()};
        for (int id : models().target->tokenizer().encodeStrict(spec->prompt().toStdString())) prompt.push_back(id);
        const ar::SpeculativeResult run = ar::speculativeDecode(*models().target, *models().draft, prompt, o);
        int row = 0, rejected = 0;
        for (size_t r = 0; r < run.rounds.size(); ++r) {
            const ar::SpeculativeRound& round = run.rounds[r];
            for (size_t i = 0; i < round.draft.size(); ++i, ++row) {
                QCOMPARE(s.cell(row, "section"), QString("round"));
                QCOMPARE(s.cell(row, "round_or_gamma").toInt(), int(r + 1));
                QCOMPARE(s.cell(row, "token"), QString::fromStdString(models().target->tokenizer().token(round.draft[i])));
                const QString status = int(i) < round.accepted ? "accepted" : (int(i) == round.accepted && !round.bonus ? "rejected" : "unchecked");
                QCOMPARE(s.cell(row, "status"), status);
                rejected += status == "rejected";
                if (status != "unchecked") {
                    QVERIFY(near(s.num(row, "p"), round.p[i]));
                    QVERIFY(near(s.num(row, "q"), round.q[i]));
                }
            }
            QCOMPARE(s.cell(row, "token"), QString::fromStdString(models().target->tokenizer().token(round.next)));
            QCOMPARE(s.cell(row, "status"), QString(round.bonus ? "bonus" : "resampled"));
            ++row;
        }
        QVERIFY2(rejected > 0, "the default run shows at least one rejection");
        QVERIFY(spec->summary().contains(QString("%1 target calls").arg(run.targetCalls)));
        // speedup rows: tokens per target call from the same seeds, and the theory from the measured α
        const ar::SpeculativeSpeedOptions so = ParallelController::speedOptions();
        int speedRows = 0;
        for (; row < s.rows.size(); ++row, ++speedRows) {
            QCOMPARE(s.cell(row, "section"), QString("speedup"));
            const int gamma = s.cell(row, "round_or_gamma").toInt();
            QCOMPARE(gamma, speedRows + 1);
            long long calls = 0, tokens = 0;
            double alpha = 0;
            for (int r = 0; r < so.runs; ++r) {
                ar::SpeculativeOptions go;
                go.gamma = gamma;
                go.steps = so.steps;
                go.sampler.seed = uint64_t(r + 1);
                const ar::SpeculativeResult res = ar::speculativeDecode(*models().target, *models().draft, {models().target->bosToken()}, go);
                calls += res.targetCalls;
                tokens += (long long)res.tokens.size();
                alpha += res.expectedAcceptance() / so.runs;
            }
            QVERIFY(near(s.num(row, "tokens_per_target_call"), double(tokens) / double(calls)));
            QVERIFY(near(s.num(row, "acceptance"), alpha));
            QVERIFY(near(s.num(row, "theory"), (1 - std::pow(alpha, gamma + 1)) / (1 - alpha), 1e-6));
            QVERIFY(s.num(row, "speedup_wall") > 0);
        }
        QCOMPARE(speedRows, 8);
    }

    void interactions() {
        auto win = window();
        auto* ctl = win->findChild<ParallelController*>();
        QVERIFY(ctl->waitIdle(600000));
        auto* decode = win->findChild<ParallelDecodeView*>();
        auto* spec = win->findChild<SpeculativeView*>();
        // an example from the test set
        ctl->chooseExample(3);
        QVERIFY(ctl->waitIdle(60000));
        QCOMPARE(decode->sourceText(), QString::fromStdString(ctl->examples()[3].srcText()));
        QCOMPARE(decode->sentence().gold.join(' '), QString::fromStdString(ctl->examples()[3].tgtText()));
        // an unknown word: a clear message naming it, no lanes
        ctl->setSource("我 爱 猫猫");
        QVERIFY(ctl->waitIdle(60000));
        QVERIFY2(decode->statusText().contains("猫猫"), qPrintable(decode->statusText()));
        QCOMPARE(decode->sentence().lanes.size(), 0);
        QVERIFY(decode->exportTable().isEmpty());
        // typed text: two edits in a row, only the last one's result is shown
        ctl->setSource("我 爱 你");
        ctl->setSource("你 看 了 朋友");
        QVERIFY(ctl->waitIdle(60000));
        QCOMPARE(decode->statusText(), QString());
        QCOMPARE(decode->sentence().gold.join(' '), QString("you saw friends"));
        // the fully trained checkpoint: no stutter in one pass on the default sentence
        ctl->setSource("我 昨天 吃 了 三 个 苹果");
        ctl->setCheckpoint(1);
        QVERIFY(ctl->waitIdle(600000));
        QCOMPARE(ctl->checkpoint()->path, QString(":/models/zh-en-nat.safetensors"));
        decode->setPass(decode->maxPass());
        for (const ParallelShownLane& lane : decode->shown()) QVERIFY2(!lane.problem, qPrintable(lane.title + ": " + lane.footer));
        auto* quality = win->findChild<ParallelQualityView*>();
        QCOMPARE(quality->points()[1].exactMatch, ar::evaluateParallel(*models().full, ctl->testSet(), {}).exactMatch);
        // K = 2: Mask-Predict runs at most 2 passes
        ctl->setIterations(2);
        QVERIFY(ctl->waitIdle(60000));
        QCOMPARE(decode->iterations(), 2);
        QVERIFY(decode->sentence().lanes[2].passes.size() <= 2);
        QVERIFY(decode->sentence().lanes[2].title.contains("K = 2"));
        // speculative: γ from the spin box, a prompt outside the vocabulary
        spec->gammaBox()->setValue(2);
        QVERIFY(ctl->waitIdle(60000));
        for (const SpeculativeRoundData& r : spec->run().rounds) QCOMPARE(r.draft.size(), 2);
        spec->setPrompt("the zebra");
        ctl->runSpeculative();
        QVERIFY(ctl->waitIdle(60000));
        QVERIFY2(spec->statusText().contains("zebra"), qPrintable(spec->statusText()));
        QVERIFY(spec->run().rounds.isEmpty());
        spec->setPrompt("the");
        ctl->runSpeculative();
        QVERIFY(ctl->waitIdle(60000));
        QVERIFY(!spec->run().rounds.isEmpty());
        QCOMPARE(spec->statusText(), QString());
    }

    void openModelAddsACheckpoint() {
        auto win = window();
        auto* ctl = win->findChild<ParallelController*>();
        QVERIFY(ctl->waitIdle(600000));
        QCOMPARE(win->openModelFile(QString::fromStdString(kModels + "zh-en-nat.safetensors")), QString());
        QCOMPARE(win->currentLesson(), QString("parallel"));
        QVERIFY(ctl->checkpoint()->name.contains("zh-en-nat.safetensors"));
        QVERIFY(ctl->waitIdle(600000));
        QCOMPARE(win->findChild<ParallelDecodeView*>()->sentence().lanes.size(), 5);
        // a file that is not a model: an error, nothing changed
        const QString bad = m_dir.filePath("bad.safetensors");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a model");
        f.close();
        QVERIFY(!win->openModelFile(bad).isEmpty());
        QVERIFY(ctl->checkpoint()->name.contains("zh-en-nat.safetensors"));
    }

    void closingWhileComputingDoesNotWait() {
        QElapsedTimer t;
        t.start();
        {
            auto win = window();
            auto* ctl = win->findChild<ParallelController*>();
            QVERIFY(ctl->waitIdle(600000));  // the models are loaded (in a job of their own) before the timing can start
            t.restart();
            ctl->measureSpeedup(true);   // a long measurement running
            QTest::qWait(100);
            QVERIFY(ctl->pendingJobs() > 0);
        }
        QVERIFY2(t.elapsed() < 20000, "the jobs stop when the lesson goes away");
    }
};

QTEST_MAIN(TestParallelLesson)
#include "tst_parallellesson.moc"
