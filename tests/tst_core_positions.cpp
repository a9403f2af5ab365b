// Positions: the sinusoidal table against the formula in double, similarity, RoPE scores that depend on the
// distance only, and NLL by position (inside the context against the KV-cached decoder, past it the sliding window).
#include "core/error.h"
#include "core/io/modelfile.h"
#include "core/limits/moetrain.h"
#include "core/limits/positions.h"
#include "core/models/tinygpt.h"
#include "testpaths.h"

#include <QtTest>
#include <cmath>

using namespace ar;

class TestPositions : public QObject {
    Q_OBJECT
private slots:
    void sinusoid() {
        const Mat pe = sinusoidalEncoding(50, 16);
        for (int p = 0; p < 50; p += 7)
            for (int i = 0; i < 8; ++i) {
                const double w = std::exp(-std::log(10000.0) * 2.0 * i / 16.0);
                QVERIFY(std::abs(pe(p, 2 * i) - std::sin(p * w)) < 1e-5);
                QVERIFY(std::abs(pe(p, 2 * i + 1) - std::cos(p * w)) < 1e-5);
            }
        const Mat s = similarity(pe);
        QVERIFY((s - s.transpose()).cwiseAbs().maxCoeff() < 1e-5f);
        for (int p = 0; p < 50; ++p) QVERIFY(std::abs(s(p, p) - 8.0f) < 1e-4f);  // sin^2 + cos^2 per pair
        // the similarity depends on the distance only: the same along every diagonal
        for (int d = 1; d < 10; ++d) QVERIFY(std::abs(s(0, d) - s(20, 20 + d)) < 1e-4f);
        QVERIFY_THROWS_EXCEPTION(Error, sinusoidalEncoding(4, 7));
    }

    void ropeDependsOnDistanceOnly() {
        Rng rng(2);
        RowVec q(8), k(8);
        for (int i = 0; i < 8; ++i) {
            q(i) = float(rng.normal());
            k(i) = float(rng.normal());
        }
        const RopeCurve a = ropeScores(q, k, 0, 30), b = ropeScores(q, k, 11, 30);
        QCOMPARE(a.score.size(), size_t(31));
        for (size_t d = 0; d < a.score.size(); ++d) QVERIFY(std::abs(a.score[d] - b.score[d]) < 1e-4);
        QVERIFY(std::abs(a.score[0] - double(q.dot(k))) < 1e-5);  // distance 0: no net rotation
    }

    void nllByPositionMatchesTheDecoder() {
        const auto m = loadLanguageModel(testutil::modelPath("toy-word"));
        const Tokens stream = heldOutToyTokens(m->tokenizer(), 3, 200);
        const int ctx = m->contextLength(), positions = ctx + 5, windows = 3;
        const std::vector<double> nll = nllByPosition(*m, stream, positions, windows);
        QCOMPARE(int(nll.size()), positions);
        const size_t stride = (stream.size() - size_t(positions)) / size_t(windows);
        std::vector<double> ref(size_t(positions), 0.0);
        for (int w = 0; w < windows; ++w) {
            const size_t start = size_t(w) * stride;
            const auto nllOf = [&](const Mat& logits, Index row, int target) {
                const RowVec r = logits.row(row);
                const double mx = r.maxCoeff();
                return -(double(r(target)) - mx - std::log((r.array() - float(mx)).exp().cast<double>().sum()));
            };
            auto state = m->newState();  // inside the context: the KV-cached decoder, token by token
            DecodeState* s = state.get();
            for (int p = 0; p < ctx; ++p) {
                const Mat l = m->step(std::span<DecodeState* const>(&s, 1), std::span<const int>(&stream[start + size_t(p)], 1));
                ref[size_t(p)] += nllOf(l, 0, stream[start + size_t(p) + 1]) / windows;
            }
            for (int p = ctx; p < positions; ++p) {  // past it: a fresh decoder over the last ctx tokens
                auto st = m->newState();
                DecodeState* s2 = st.get();
                Mat l;
                for (size_t i = start + size_t(p) + 1 - size_t(ctx); i <= start + size_t(p); ++i)
                    l = m->step(std::span<DecodeState* const>(&s2, 1), std::span<const int>(&stream[i], 1));
                ref[size_t(p)] += nllOf(l, 0, stream[start + size_t(p) + 1]) / windows;
            }
        }
        for (int p = 0; p < positions; ++p) QVERIFY2(std::abs(nll[size_t(p)] - ref[size_t(p)]) < 1e-3, qPrintable(QString::number(p)));
        QVERIFY_THROWS_EXCEPTION(Error, nllByPosition(*m, Tokens(10, 1), 40, 2));
    }
};

QTEST_APPLESS_MAIN(TestPositions)
#include "tst_core_positions.moc"
