// NextTokenView (widgets/nexttokenview.h) alone, with fake stage records: the bars of every view (logits,
// softmax, each recorded stage) over the raw top 20 with the chosen token always on the axis, the exact "(other)"
// mass, the grey ghost bars of a filter stage, the true distribution, the entropy and the summary, one button per
// stage (with its kept/removed counts) and the stages that are off, the viewChanged signal and the user's pick,
// and the CSV written by the export path.
//
// The expectations come from each fixture's full distributions (every token's probability after every stage,
// 0 = removed), not from the records the view is given: a record lists only some survivors (as the sampler
// chain records its top 64) and the view must still show the exact mass of the rest.
#include "widgets/nexttokenview.h"
#include "guitestutil.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace arlab;

namespace {

using Dist = std::vector<double>;   // a value per token id

struct Fixture {
    NextTokenData data;
    Dist rawLogits;
    std::vector<Dist> full;   // per recorded stage: p of every token (0 = removed); full[0] = softmax(rawLogits)
};

Dist softmax(const Dist& logits) {
    const double m = *std::max_element(logits.begin(), logits.end());
    Dist p(logits.size());
    double z = 0;
    for (size_t i = 0; i < p.size(); ++i) z += p[i] = std::exp(logits[i] - m);
    for (double& v : p) v /= z;
    return p;
}

// The survivors of a distribution sorted as the chain sorts them: p descending, ties to the lower id.
std::vector<int> ranked(const Dist& p) {
    std::vector<int> ids;
    for (int i = 0; i < int(p.size()); ++i)
        if (p[size_t(i)] > 0) ids.push_back(i);
    std::stable_sort(ids.begin(), ids.end(), [&](int a, int b) { return p[size_t(a)] > p[size_t(b)]; });
    return ids;
}

// A stage record as the chain makes one: its `listed` most probable survivors, then (sorted) the survivors of
// `alsoList` not among them; kept, removed, otherMass and entropy over every survivor.
ar::SamplerStage record(const std::string& name, const std::string& setting, const Dist& logits, const Dist& p,
                        size_t listed, const std::vector<int>& alsoList, int previousKept) {
    ar::SamplerStage s;
    s.name = name;
    s.setting = setting;
    const std::vector<int> order = ranked(p);
    std::vector<int> ids(order.begin(), order.begin() + std::ptrdiff_t(std::min(listed, order.size())));
    std::vector<int> extra;
    for (int id : alsoList)
        if (p[size_t(id)] > 0 && std::find(ids.begin(), ids.end(), id) == ids.end() &&
            std::find(extra.begin(), extra.end(), id) == extra.end())
            extra.push_back(id);
    std::stable_sort(extra.begin(), extra.end(), [&](int a, int b) { return p[size_t(a)] > p[size_t(b)]; });
    ids.insert(ids.end(), extra.begin(), extra.end());
    for (int id : ids) s.candidates.push_back({id, float(logits[size_t(id)]), float(p[size_t(id)])});
    s.kept = int(order.size());
    s.removed = previousKept < 0 ? 0 : previousKept - s.kept;
    for (int id : order) {
        if (std::find(ids.begin(), ids.end(), id) == ids.end()) s.otherMass += p[size_t(id)];
        s.entropy -= p[size_t(id)] * std::log(p[size_t(id)]);
    }
    return s;
}

// Keeps the k most probable tokens of p, renormalised.
Dist topK(const Dist& p, int k) {
    Dist out(p.size(), 0.0);
    const std::vector<int> order = ranked(p);
    double z = 0;
    for (int i = 0; i < k && i < int(order.size()); ++i) z += out[size_t(order[size_t(i)])] = p[size_t(order[size_t(i)])];
    for (double& v : out) v /= z;
    return out;
}

QStringList words(int n) {
    QStringList v;
    for (int i = 0; i < n; ++i) v << QStringLiteral("w%1").arg(i);
    return v;
}

// "small": 5 tokens, all listed, a top-k of 2, the true distribution and its KL; temperature and top-p are off.
Fixture small() {
    Fixture f;
    f.rawLogits = {2.0, 1.0, 0.5, 0.0, -1.0};
    f.full = {softmax(f.rawLogits)};
    f.full.push_back(topK(f.full[0], 2));
    auto& d = f.data;
    d.title = QStringLiteral("Step 1: P(next | 'the')");
    d.vocab = words(5);
    d.chosen = 1;
    d.stages = {record("raw", "", f.rawLogits, f.full[0], 64, {d.chosen}, -1),
                record("top-k", "k = 2", f.rawLogits, f.full[1], 64, {d.chosen}, 5)};
    d.truth = {0.4, 0.3, 0.2, 0.1, 0.0};
    d.kl = 0.1234;
    d.inactiveStages = QStringList{"temperature (T = 1)", "top-p"};
    return f;
}

// "partial": 6 tokens, the raw record lists 3 (the "(other)" bar holds the 3 it does not), a repetition penalty
// lifts token 3 above tokens the raw record lists, and its record lists token 3 (beyond the raw-listed ones).
Fixture partial() {
    Fixture f;
    f.full = {{0.4, 0.3, 0.1, 0.1, 0.06, 0.04}, {0.35, 0.2, 0.08, 0.30, 0.04, 0.03}};
    for (double p : f.full[0]) f.rawLogits.push_back(std::log(p));
    Dist penalised;
    for (double p : f.full[1]) penalised.push_back(std::log(p));
    auto& d = f.data;
    d.title = QStringLiteral("Step 4");
    d.vocab = words(6);
    d.chosen = 0;
    d.stages = {record("raw", "", f.rawLogits, f.full[0], 3, {d.chosen}, -1)};
    std::vector<int> rawListed;
    for (const ar::Candidate& c : d.stages[0].candidates) rawListed.push_back(c.id);
    d.stages.push_back(record("repetition penalty", "r = 1.3, last 64", penalised, f.full[1], 2, rawListed, 6));
    return f;
}

// "large": 100 tokens whose ids are not in probability order, the records list their top 25, a temperature then a
// top-k of 30; the chosen token ranks 23rd, so it takes the 20th place on the axis.
Fixture large() {
    Fixture f;
    f.rawLogits.assign(100, 0.0);
    for (int rank = 0; rank < 100; ++rank) f.rawLogits[size_t((rank * 37) % 100)] = 3.0 - 0.08 * rank;
    f.full = {softmax(f.rawLogits)};
    Dist cooled;
    for (double l : f.rawLogits) cooled.push_back(l / 0.8);
    f.full.push_back(softmax(cooled));
    f.full.push_back(topK(f.full[1], 30));
    auto& d = f.data;
    d.title = QStringLiteral("Step 9");
    d.vocab = words(100);
    d.chosen = (23 * 37) % 100;
    d.stages = {record("raw", "", f.rawLogits, f.full[0], 25, {d.chosen}, -1)};
    std::vector<int> rawListed;
    for (const ar::Candidate& c : d.stages[0].candidates) rawListed.push_back(c.id);
    d.stages.push_back(record("temperature", "T = 0.8", cooled, f.full[1], 25, rawListed, 100));
    d.stages.push_back(record("top-k", "k = 30", cooled, f.full[2], 25, rawListed, 100));
    d.inactiveStages = QStringList{"top-p"};
    return f;
}

Fixture fixture(const QString& name) {
    if (name == "small") return small();
    if (name == "partial") return partial();
    return large();
}

// What the x axis must hold: the raw record's order, at most 20 tokens, the chosen one always among them.
std::vector<int> axis(const Fixture& f) {
    std::vector<int> ids;
    for (const ar::Candidate& c : f.data.stages[0].candidates)
        if (ids.size() < size_t(NextTokenView::kTopN)) ids.push_back(c.id);
    if (f.data.chosen >= 0 && std::find(ids.begin(), ids.end(), f.data.chosen) == ids.end()) {
        if (ids.size() == size_t(NextTokenView::kTopN)) ids.back() = f.data.chosen;
        else ids.push_back(f.data.chosen);
    }
    return ids;
}

// The mass of `p` outside `shown`.
double massOutside(const Dist& p, const std::vector<int>& shown) {
    double m = 0;
    for (int id = 0; id < int(p.size()); ++id)
        if (std::find(shown.begin(), shown.end(), id) == shown.end()) m += p[size_t(id)];
    return m;
}

std::vector<double> keysOf(const QCPBars* b) {
    std::vector<double> v;
    for (auto it = b->data()->constBegin(); it != b->data()->constEnd(); ++it) v.push_back(it->key);
    return v;
}
std::vector<double> valuesOf(const QCPBars* b) {
    std::vector<double> v;
    for (auto it = b->data()->constBegin(); it != b->data()->constEnd(); ++it) v.push_back(it->value);
    return v;
}

QPushButton* button(const NextTokenView& view, const QString& text) {
    for (QPushButton* b : view.findChildren<QPushButton*>())
        if (b->text() == text && b->isVisibleTo(&view)) return b;
    return nullptr;
}

QStringList buttonTexts(const NextTokenView& view) {
    QStringList out;
    for (QPushButton* b : view.findChildren<QPushButton*>())
        if (b->isVisibleTo(&view)) out << b->text();
    return out;
}

}  // namespace

class TestNextTokenView : public QObject {
    Q_OBJECT
private slots:
    // Every view of every fixture: the tokens on the axis, their bars, the "(other)" bar = the exact mass of
    // everything not on the axis (absent on the logits view and when the axis holds every survivor), the chosen
    // token's bar in its own colour, the ghost bars (raw p) on a filter stage, the entropy of the shown stage.
    void bars_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("view");
        for (const char* name : {"small", "partial", "large"}) {
            const Fixture f = fixture(name);
            for (int v = 0; v <= int(f.data.stages.size()); ++v)
                QTest::addRow("%s, view %d", name, v) << QString(name) << v;
        }
    }
    void bars() {
        QFETCH(QString, name);
        QFETCH(int, view);
        const Fixture f = fixture(name);
        NextTokenView v;
        v.setData(f.data);
        QCOMPARE(v.viewCount(), int(f.data.stages.size()) + 1);
        QCOMPARE(v.currentView(), v.viewCount() - 1);   // by default, the last stage: what the draw used
        v.setCurrentView(view);
        QCOMPARE(v.currentView(), view);

        const std::vector<int> shown = axis(f);
        const Dist& p = f.full[size_t(std::max(0, view - 1))];
        const bool other = view > 0 && massOutside(f.full[0], shown) > 0;
        std::vector<int> tokens = shown;
        if (other) tokens.push_back(-1);
        QCOMPARE(v.shownTokens(), tokens);
        QCOMPARE(v.shownValues().size(), tokens.size());
        for (size_t i = 0; i < shown.size(); ++i) {
            const double expected = view == 0 ? double(float(f.rawLogits[size_t(shown[i])])) : p[size_t(shown[i])];
            QVERIFY2(testutil::near(v.shownValues()[i], expected, 1e-6),
                     qPrintable(QStringLiteral("token %1: %2 vs %3").arg(shown[i]).arg(v.shownValues()[i]).arg(expected)));
        }
        if (other)
            QVERIFY2(testutil::near(v.shownValues().back(), massOutside(p, shown), 1e-6),
                     qPrintable(QStringLiteral("(other) %1 vs %2").arg(v.shownValues().back()).arg(massOutside(p, shown))));

        const QList<QCPBars*> bars = testutil::plottablesOf<QCPBars>(v.plot());
        QCOMPARE(bars.size(), 4);   // ghost, model, chosen, truth
        QCPBars *ghost = bars[0], *model = bars[1], *chosen = bars[2], *truth = bars[3];
        const size_t at = size_t(std::find(shown.begin(), shown.end(), f.data.chosen) - shown.begin());
        QCOMPARE(keysOf(chosen), std::vector<double>{double(at)});
        QCOMPARE(valuesOf(chosen).front(), v.shownValues()[at]);
        QCOMPARE(int(keysOf(model).size()), int(tokens.size()) - 1);   // every other bar is the model's colour
        QCOMPARE(ghost->visible(), view > 1);
        if (view > 1) {
            const std::vector<double> ghosts = valuesOf(ghost);
            QCOMPARE(ghosts.size(), tokens.size());
            for (size_t i = 0; i < shown.size(); ++i) QVERIFY(testutil::near(ghosts[i], f.full[0][size_t(shown[i])], 1e-6));
            if (other) QVERIFY(testutil::near(ghosts.back(), massOutside(f.full[0], shown), 1e-6));
        }
        const bool truthShown = !f.data.truth.empty() && view == 1;   // probabilities: not on the logits axis
        QCOMPARE(truth->visible(), truthShown);
        if (truthShown) {
            std::vector<double> expected;
            for (int id : shown) expected.push_back(f.data.truth[size_t(id)]);
            QCOMPARE(valuesOf(truth), expected);
        }

        double h = 0;
        for (double q : p) h -= q > 0 ? q * std::log(q) : 0;
        QVERIFY(testutil::near(v.shownEntropy(), h, 1e-9));
        QVERIFY2(v.summaryText().contains(QStringLiteral("entropy %1 nats · perplexity %2").arg(h, 0, 'f', 3).arg(std::exp(h), 0, 'f', 2)),
                 qPrintable(v.summaryText()));
    }

    // The summary: the chosen token with its model probability, kept counts on a filter stage, the KL when known.
    void summary() {
        NextTokenView v;
        const Fixture s = small();
        v.setData(s.data);
        QVERIFY2(v.summaryText().contains(QStringLiteral("chosen <b>w1</b> (model p = %1)").arg(s.full[0][1], 0, 'f', 3)),
                 qPrintable(v.summaryText()));
        QVERIFY(v.summaryText().contains("2 of 5 tokens kept"));
        QVERIFY(v.summaryText().contains("KL(true ‖ model) = <b>0.1234</b> nats"));
        const Fixture l = large();
        v.setData(l.data);
        QVERIFY2(v.summaryText().contains("30 of 100 tokens kept"), qPrintable(v.summaryText()));
        QVERIFY(!v.summaryText().contains("KL("));
        QVERIFY(testutil::showsLabel(&v, l.data.title));
    }

    // One button per view, named after the stage and its setting; a stage's tooltip counts all its survivors
    // (not only those its record lists); the stages that are off follow the buttons.
    void stageButtons_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("buttons");
        QTest::addColumn<QStringList>("tooltips");
        QTest::addColumn<QString>("offNote");
        QTest::newRow("small") << "small" << QStringList{"logits", "softmax", "top-k (k = 2)"}
                               << QStringList{"After top-k (k = 2): 2 candidates kept, 3 removed, probabilities renormalised"}
                               << "→ temperature (T = 1), top-p: off";
        QTest::newRow("partial") << "partial" << QStringList{"logits", "softmax", "repetition penalty (r = 1.3, last 64)"}
                                 << QStringList{"After repetition penalty (r = 1.3, last 64): 6 candidates kept, 0 removed, "
                                                "probabilities renormalised"}
                                 << QString();
        QTest::newRow("large") << "large" << QStringList{"logits", "softmax", "temperature (T = 0.8)", "top-k (k = 30)"}
                               << QStringList{"After temperature (T = 0.8): 100 candidates kept, 0 removed, probabilities renormalised",
                                              "After top-k (k = 30): 30 candidates kept, 70 removed, probabilities renormalised"}
                               << "→ top-p: off";
    }
    void stageButtons() {
        QFETCH(QString, name);
        QFETCH(QStringList, buttons);
        QFETCH(QStringList, tooltips);
        QFETCH(QString, offNote);
        NextTokenView v;
        v.setData(fixture(name).data);
        QCOMPARE(buttonTexts(v), buttons);
        for (int i = 0; i < buttons.size(); ++i) QCOMPARE(v.viewName(i), buttons[i]);
        for (int i = 0; i < tooltips.size(); ++i) QCOMPARE(button(v, buttons[i + 2])->toolTip(), tooltips[i]);
        QCOMPARE(v.pipelineNote(), offNote);
        QCOMPARE(testutil::showsLabel(&v, offNote), !offNote.isEmpty());
        QVERIFY(button(v, buttons.last())->isChecked());
    }

    // A click on a stage button shows that stage and emits viewChanged; the user's pick survives new data with
    // the same stages and gives way when the stages change; an index out of range changes nothing.
    void viewChangedAndTheUsersPick() {
        NextTokenView v;
        v.setData(large().data);
        QSignalSpy spy(&v, &NextTokenView::viewChanged);
        button(v, "softmax")->click();
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.last().at(0).toInt(), 1);
        QCOMPARE(v.currentView(), 1);
        QVERIFY(button(v, "softmax")->isChecked());
        QVERIFY(!testutil::plottablesOf<QCPBars>(v.plot())[0]->visible());   // no ghost bars on the softmax
        v.setData(large().data);   // the next step: same stages
        QCOMPARE(v.currentView(), 1);
        v.setCurrentView(7);
        v.setCurrentView(-1);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(v.currentView(), 1);
        v.setCurrentView(0);
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.last().at(0).toInt(), 0);
        QVERIFY(button(v, "logits")->isChecked());
        v.setData(small().data);   // fewer stages: back to the last one
        QCOMPARE(v.currentView(), 2);
    }

    // clear(): no views, no bars, the message as the title; an empty view exports nothing.
    void clearShowsTheMessage() {
        NextTokenView v;
        v.setData(small().data);
        v.clear("No model loaded.");
        QCOMPARE(v.viewCount(), 0);
        QVERIFY(v.shownTokens().empty());
        QVERIFY(buttonTexts(v).isEmpty());
        QVERIFY(v.pipelineNote().isEmpty());
        QVERIFY(testutil::showsLabel(&v, "No model loaded."));
        for (QCPBars* b : testutil::plottablesOf<QCPBars>(v.plot())) QVERIFY(b->data()->isEmpty());
        QCOMPARE(v.exportTable().emptyReason, QString("no distribution yet"));
    }

    // The CSV (the right-click Export... path): a row per token the raw record lists, its logit and p, its p after
    // each stage (0 = removed), the true p, the choice; then "(other: N tokens)" with each stage's exact mass
    // outside those rows.
    void csv_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("header");
        QTest::newRow("small") << "small" << QStringList{"token_id", "token", "logit", "p", "p_top-k", "p_true", "chosen"};
        QTest::newRow("partial") << "partial" << QStringList{"token_id", "token", "logit", "p", "p_repetition_penalty", "chosen"};
        QTest::newRow("large") << "large" << QStringList{"token_id", "token", "logit", "p", "p_temperature", "p_top-k", "chosen"};
    }
    void csv() {
        QFETCH(QString, name);
        QFETCH(QStringList, header);
        const Fixture f = fixture(name);
        NextTokenView v;
        v.setObjectName("nextToken");
        v.setData(f.data);
        const testutil::Csv csv = testutil::viewCsv(&v);
        QCOMPARE(csv.header, header);
        const std::vector<ar::Candidate>& listed = f.data.stages[0].candidates;
        const bool other = f.data.stages[0].kept > int(listed.size());
        QCOMPARE(csv.rows.size(), int(listed.size()) + (other ? 1 : 0));
        std::vector<int> ids;
        for (int r = 0; r < int(listed.size()); ++r) {
            const int id = listed[size_t(r)].id;
            ids.push_back(id);
            QCOMPARE(csv.cell(r, "token_id").toInt(), id);
            QCOMPARE(csv.cell(r, "token"), f.data.vocab[id]);
            QVERIFY(testutil::near(csv.num(r, "logit"), f.rawLogits[size_t(id)], 1e-5));
            QVERIFY(testutil::near(csv.num(r, "p"), f.full[0][size_t(id)], 1e-6));
            for (size_t s = 1; s < f.full.size(); ++s)
                QVERIFY(testutil::near(csv.rows[r].value(4 + int(s) - 1).toDouble(), f.full[s][size_t(id)], 1e-6));
            if (!f.data.truth.empty()) QVERIFY(testutil::near(csv.num(r, "p_true"), f.data.truth[size_t(id)]));
            QCOMPARE(csv.cell(r, "chosen"), QString(id == f.data.chosen ? "1" : "0"));
        }
        if (!other) return;
        const int last = int(csv.rows.size()) - 1;
        QCOMPARE(csv.cell(last, "token_id"), QString());
        QCOMPARE(csv.cell(last, "token"), QStringLiteral("(other: %1 tokens)").arg(int(f.full[0].size()) - int(listed.size())));
        QVERIFY(testutil::near(csv.num(last, "p"), massOutside(f.full[0], ids), 1e-6));
        for (size_t s = 1; s < f.full.size(); ++s) {
            const double expected = massOutside(f.full[s], ids);
            QVERIFY2(testutil::near(csv.rows[last].value(4 + int(s) - 1).toDouble(), expected, 1e-6),
                     qPrintable(QStringLiteral("stage %1: %2 vs %3").arg(s).arg(csv.rows[last].value(4 + int(s) - 1)).arg(expected)));
        }
        QCOMPARE(csv.cell(last, "chosen"), QString("0"));
    }
};

QTEST_MAIN(TestNextTokenView)
#include "tst_nexttokenview.moc"
