#include "core/limits/positions.h"

#include "core/error.h"
#include "core/nn/attention.h"

#include <cmath>

namespace ar {

Mat similarity(const Mat& rows) { return rows * rows.transpose(); }

RopeCurve ropeScores(const RowVec& q, const RowVec& k, int m, int maxDistance) {
    const int D = int(q.size());
    if (D < 2 || D % 2 || k.size() != q.size()) throw Error("rope: q and k need the same even width");
    RopeCurve c;
    RowVec kr = k;
    nn::ropeRotate(kr.data(), D, m);
    for (int d = 0; d <= maxDistance; ++d) {
        RowVec qr = q;
        nn::ropeRotate(qr.data(), D, m + d);
        c.score.push_back(double(qr.dot(kr)));
        c.angle0.push_back(double(d));  // pair 0 turns by exactly 1 radian per position (10000^0 = 1)
    }
    return c;
}

std::vector<double> nllByPosition(const LanguageModel& model, const Tokens& stream, int positions, int windows) {
    if (positions < 1 || windows < 1) throw Error("nll by position: positions and windows must be positive");
    if (int(stream.size()) < positions + windows) throw Error("nll by position: the text is too short");
    const int ctx = model.contextLength() > 0 ? model.contextLength() : positions;
    std::vector<double> sum(size_t(positions), 0.0);
    const size_t stride = (stream.size() - size_t(positions)) / size_t(windows);
    for (int w = 0; w < windows; ++w) {
        const size_t start = size_t(w) * stride;
        // inside the context: one forward gives every position's next-token logits
        const int inside = std::min(positions, ctx);
        const Mat logits = model.logits(std::span<const int>(stream.data() + start, size_t(inside)));
        const auto nllAt = [&](const RowVec& row, int target) {
            const double mx = row.maxCoeff();
            return -(double(row(target)) - mx - std::log((row.array() - float(mx)).exp().cast<double>().sum()));
        };
        // position p predicts the token at p + 1 from tokens 0..p
        for (int p = 0; p < inside && start + size_t(p) + 1 < stream.size(); ++p)
            sum[size_t(p)] += nllAt(logits.row(p), stream[start + size_t(p) + 1]);
        for (int p = inside; p < positions; ++p) {  // past the context: the last ctx tokens, re-fed
            const Mat l = model.logits(std::span<const int>(stream.data() + start + size_t(p) + 1 - size_t(ctx), size_t(ctx)));
            sum[size_t(p)] += nllAt(l.row(ctx - 1), stream[start + size_t(p) + 1]);
        }
    }
    for (double& s : sum) s /= windows;
    return sum;
}

}  // namespace ar
