// TokenChipsView (widgets/tokenchipsview.h) alone, with fake chips: one chip per token plus the "?" chip of the
// next position, wrapping like text; generated chips are painted in their probability's colour, prompt chips
// grey; clicking a chip selects it and lists its alternatives, clicking an alternative emits the chip and the
// token id; prompt chips are not selectable; the CSV written by the export path holds every chip.
#include "widgets/tokenchipsview.h"
#include "guitestutil.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using namespace arlab;

namespace {

TokenAlternative alt(int id, const QString& text, double p, bool chosen = false) {
    TokenAlternative a;
    a.id = id;
    a.text = text;
    a.p = p;
    a.chosen = chosen;
    return a;
}

TokenChip chip(const QString& text, double p, bool prompt, bool forced = false, QList<TokenAlternative> alts = {}) {
    TokenChip c;
    c.text = text;
    c.p = p;
    c.prompt = prompt;
    c.forced = forced;
    c.alternatives = std::move(alts);
    return c;
}

// <bos> the | cat (0.6, taken) dog (forced, 0.1) | next: sees / runs; then `more` generated chips "word".
QList<TokenChip> fakeChips(int more = 0) {
    QList<TokenChip> chips{chip("<bos>", 1, true), chip("the", 1, true),
                           chip("cat", 0.6, false, false, {alt(7, "cat", 0.6, true), alt(8, "dog", 0.3), alt(9, "a", 0.1)}),
                           chip("dog", 0.1, false, true, {alt(7, "cat", 0.7), alt(8, "dog", 0.1, true)})};
    for (int i = 0; i < more; ++i) chips << chip("word", 0.5, false);
    return chips;
}
QList<TokenAlternative> fakeNext() { return {alt(11, "sees", 0.5), alt(12, "runs", 0.25)}; }

// The view shown 900 pixels wide with the chips (and, unless empty, the next position's candidates) laid out.
void showChips(TokenChipsView& v, const QList<TokenChip>& chips = fakeChips(), const QList<TokenAlternative>& next = fakeNext(),
               const QString& endNote = {}) {
    v.resize(900, 300);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    v.setChips(chips, next, endNote);
    QApplication::processEvents();
}

// Clicks the view at the centre of `r` (view coordinates) on the child widget that is there.
void clickAt(QWidget* view, const QRect& r) {
    QWidget* target = view->childAt(r.center());
    QVERIFY(target);
    QTest::mouseClick(target, Qt::LeftButton, {}, target->mapFrom(view, r.center()));
}

}  // namespace

class TestTokenChipsView : public QObject {
    Q_OBJECT
private slots:
    void chipsAndTheNextPosition_data() {
        QTest::addColumn<int>("more");   // generated chips after the four of fakeChips()
        QTest::addColumn<bool>("withNext");
        QTest::addColumn<bool>("wraps");
        QTest::newRow("next position") << 0 << true << false;
        QTest::newRow("finished") << 0 << false << false;
        QTest::newRow("a long text wraps") << 40 << true << true;
    }
    void chipsAndTheNextPosition() {
        QFETCH(int, more);
        QFETCH(bool, withNext);
        QFETCH(bool, wraps);
        TokenChipsView v;
        showChips(v, fakeChips(more), withNext ? fakeNext() : QList<TokenAlternative>{}, withNext ? QString() : "(end of sequence)");
        const int n = 4 + more + (withNext ? 1 : 0);
        for (int i = 0; i < n; ++i) QVERIFY2(!v.chipRect(i).isEmpty(), qPrintable(QString::number(i)));
        QVERIFY(v.chipRect(n).isEmpty());
        // in reading order: left to right, a new line below
        bool wrapped = false;
        for (int i = 1; i < n; ++i) {
            const QRect a = v.chipRect(i - 1), b = v.chipRect(i);
            QVERIFY(!a.intersects(b));
            if (b.top() > a.top()) wrapped = true;
            else QVERIFY(b.left() > a.right());
        }
        QCOMPARE(wrapped, wraps);
        QCOMPARE(v.selectedChip(), -1);   // the next position is selected: its candidates are the buttons
        QCOMPARE(v.alternativeButtons().size(), withNext ? 2 : 0);
        QVERIFY(v.alternativesTitle().contains(withNext ? "Next token" : "No next token."));
    }

    // Generated chips are filled with their probability's colour (red ... green), prompt chips light grey.
    void chipsArePaintedByProbability() {
        TokenChipsView v;
        showChips(v);
        const QImage img = v.grab().toImage();
        const auto fill = [&](int i) {
            const QRect r = v.chipRect(i);
            return img.pixelColor(r.left() + 4, r.center().y());
        };
        QCOMPARE(fill(0).rgb(), QColor(235, 235, 235).rgb());
        QCOMPARE(fill(2).rgb(), TokenChipsView::colorForProbability(0.6).rgb());
        QCOMPARE(fill(3).rgb(), TokenChipsView::colorForProbability(0.1).rgb());
        QVERIFY(fill(3).hue() < fill(2).hue());   // less likely: redder
        QVERIFY(TokenChipsView::colorForProbability(0).hue() < TokenChipsView::colorForProbability(1).hue());
    }

    void clickingChoosesAlternatives_data() {
        QTest::addColumn<int>("chip");      // clicked chip (4 = the "?" chip)
        QTest::addColumn<int>("selected");  // what is selected then (-1: the next position)
        QTest::addColumn<int>("buttons");
        QTest::addColumn<QString>("title");
        QTest::addColumn<int>("tokenId");   // of the first alternative
        QTest::newRow("generated chip") << 2 << 2 << 3 << "Position 3" << 7;
        QTest::newRow("forced chip") << 3 << 3 << 2 << "Position 4" << 7;
        QTest::newRow("prompt chip: not selectable") << 1 << -1 << 2 << "Next token" << 11;
        QTest::newRow("the ? chip") << 4 << -1 << 2 << "Next token" << 11;
    }
    void clickingChoosesAlternatives() {
        QFETCH(int, chip);
        QFETCH(int, selected);
        QFETCH(int, buttons);
        QFETCH(QString, title);
        QFETCH(int, tokenId);
        TokenChipsView v;
        showChips(v);
        QSignalSpy selectedSpy(&v, &TokenChipsView::chipSelected);
        QSignalSpy chosenSpy(&v, &TokenChipsView::alternativeClicked);
        clickAt(&v, v.chipRect(chip));
        QApplication::processEvents();   // the new alternative buttons are shown by a queued call
        QCOMPARE(selectedSpy.count(), 1);
        QCOMPARE(selectedSpy[0][0].toInt(), selected);
        QCOMPARE(v.selectedChip(), selected);
        QCOMPARE(v.alternativeButtons().size(), buttons);
        QVERIFY2(v.alternativesTitle().contains(title), qPrintable(v.alternativesTitle()));
        QPushButton* first = v.alternativeButtons().front();
        QVERIFY(first->isVisible());
        QTest::mouseClick(first, Qt::LeftButton);
        QCOMPARE(chosenSpy.count(), 1);
        QCOMPARE(chosenSpy[0][0].toInt(), selected);
        QCOMPARE(chosenSpy[0][1].toInt(), tokenId);
        // new chips without the selected position fall back to the next position
        v.setChips(fakeChips().mid(0, 2), fakeNext());
        QCOMPARE(v.selectedChip(), -1);
        QCOMPARE(v.alternativeButtons().size(), 2);
    }

    void csvHoldsEveryChip() {
        TokenChipsView v;
        QVERIFY(v.exportTable().isEmpty());
        QCOMPARE(v.exportTable().emptyReason, QString("no tokens yet"));
        v.setChips(fakeChips(), fakeNext());
        const testutil::Csv csv = testutil::viewCsv(&v);
        QCOMPARE(csv.header, QStringList({"position", "token", "kind", "p", "top_alternatives"}));
        QCOMPARE(csv.rows.size(), 4);
        QCOMPARE(csv.rows[0], QStringList({"0", "<bos>", "prompt", "", ""}));
        QCOMPARE(csv.rows[1], QStringList({"1", "the", "prompt", "", ""}));
        QCOMPARE(csv.rows[2], QStringList({"2", "cat", "generated", "0.6", "cat=0.6 dog=0.3 a=0.1"}));
        QCOMPARE(csv.rows[3], QStringList({"3", "dog", "forced", "0.1", "cat=0.7 dog=0.1"}));
    }
};

QTEST_MAIN(TestTokenChipsView)
#include "tst_tokenchipsview.moc"
