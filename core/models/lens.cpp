#include "core/models/lens.h"

#include "core/error.h"
#include "core/nn/kernels.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ar {

const ResidualStreamModel* residualStreamOf(const LanguageModel& model) {
    return dynamic_cast<const ResidualStreamModel*>(&model);
}

namespace {
const ResidualStreamModel& need(const LanguageModel& model) {
    const ResidualStreamModel* r = residualStreamOf(model);
    if (!r) throw Error("logit lens: a " + model.kind() + " model has no residual stream to read");
    return *r;
}
}  // namespace

LensResult logitLens(const LanguageModel& model, std::span<const int> tokens, int position, int k) {
    const ResidualStreamModel& rs = need(model);
    if (position < 0 || position >= int(tokens.size()))
        throw Error("logit lens: position " + std::to_string(position) + " is outside the " + std::to_string(tokens.size()) + " tokens");
    return lensFromStream(rs, rs.residualStream(tokens.first(size_t(position) + 1)), position, k);
}

LensResult lensFromStream(const ResidualStreamModel& rs, const std::vector<Mat>& stream, int position, int k) {
    if (stream.empty() || position < 0 || position >= int(stream.front().rows()))
        throw Error("logit lens: position " + std::to_string(position) + " is outside the residual stream");
    Mat rows(Index(stream.size()), stream.front().cols());  // (L+1, C): the position's residual after each layer
    for (size_t l = 0; l < stream.size(); ++l) rows.row(Index(l)) = stream[l].row(position);
    LensResult out;
    out.probs = rs.readout(rows);                           // (L+1, V) logits, then softmax per row
    for (Index l = 0; l < out.probs.rows(); ++l) {
        auto row = out.probs.row(l);
        nn::softmaxInPlace(row.data(), int(row.size()));
        std::vector<int> order(size_t(row.size()));
        std::iota(order.begin(), order.end(), 0);
        const size_t n = std::min<size_t>(size_t(std::max(k, 0)), order.size());
        std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(n), order.end(),
                          [&](int a, int b) { return row(a) > row(b) || (row(a) == row(b) && a < b); });
        std::vector<LensEntry> top;
        for (size_t i = 0; i < n; ++i) top.push_back({order[i], row(order[i])});
        out.top.push_back(std::move(top));
    }
    return out;
}

std::vector<int> commitmentLayers(const LanguageModel& model, std::span<const int> tokens, int first) {
    const ResidualStreamModel& rs = need(model);
    if (std::max(first, 1) >= int(tokens.size())) return {};
    return commitmentFromStream(rs, rs.residualStream(tokens.first(tokens.size() - 1)), tokens, first);
}

std::vector<int> commitmentFromStream(const ResidualStreamModel& rs, const std::vector<Mat>& stream,
                                      std::span<const int> tokens, int first) {
    first = std::max(first, 1);
    std::vector<int> out;
    if (first >= int(tokens.size())) return out;
    if (stream.empty() || int(stream.front().rows()) < int(tokens.size()) - 1)
        throw Error("commitment: the residual stream is shorter than the tokens");
    const int L1 = int(stream.size());
    for (int i = first; i < int(tokens.size()); ++i) {
        Mat rows(L1, stream.front().cols());
        for (int l = 0; l < L1; ++l) rows.row(l) = stream[size_t(l)].row(i - 1);
        const Mat logits = rs.readout(rows);  // (L+1, V)
        int from = -1;
        for (int l = L1 - 1; l >= 0; --l) {  // walk down while the token stays top-1
            Index best = 0;
            logits.row(l).maxCoeff(&best);
            if (int(best) != tokens[size_t(i)]) break;
            from = l;
        }
        out.push_back(from);
    }
    return out;
}

}  // namespace ar
