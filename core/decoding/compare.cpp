#include "core/decoding/compare.h"

#include "core/decoding/beamsearch.h"
#include "core/decoding/decodingsession.h"
#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ar {

int firstDivergence(const Tokens& a, const Tokens& b) {
    const size_t n = std::min(a.size(), b.size());
    for (size_t i = 0; i < n; ++i)
        if (a[i] != b[i]) return int(i);
    return a.size() == b.size() ? -1 : int(n);
}

// Runs a session to the end (EOS, context full, or maxNew tokens) and turns it into a row.
static CompareRow decodeRow(const std::shared_ptr<const LanguageModel>& model, const Tokens& prompt,
                            const SamplerSettings& s, int maxNew) {
    DecodingSession session(model, prompt, s);
    for (int i = 0; i < maxNew && session.canStep(); ++i) session.step();
    CompareRow row;
    row.strategy = s.strategy;
    row.seed = s.seed;
    for (const auto& st : session.steps()) {
        row.tokens.push_back(st.token);
        row.probs.push_back(st.modelP);
        row.logprob += st.tokenLogprob;
    }
    row.score = row.logprob;
    return row;
}

std::vector<CompareRow> compareStrategies(std::shared_ptr<const LanguageModel> model, const Tokens& prompt,
                                          const SamplerSettings& settings) {
    if (!model) throw Error("compare: no model");
    settings.validate();
    std::vector<CompareRow> rows;

    SamplerSettings greedy;  // plain argmax of the model: no filters
    greedy.strategy = DecodeStrategy::Greedy;
    const CompareSettings& c = settings.compare;
    rows.push_back(decodeRow(model, prompt, greedy, c.maxNewTokens));
    rows.back().label = "greedy";

    if (c.beamRow) {
        // The sessions stop when the sequence fills the context; the beam row stops there too.
        int maxLen = c.maxNewTokens;
        const int ctx = model->contextLength();
        if (ctx > 0) {
            const int used = int(prompt.size()) + (model->bosToken() >= 0 ? 1 : 0);
            maxLen = std::clamp(ctx - used, 1, maxLen);
        }
        BeamSearch beam(model, prompt, BeamSettings{settings.beam.width, maxLen, settings.beam.lengthPenalty});
        beam.run();
        CompareRow row;
        row.strategy = DecodeStrategy::Beam;
        row.label = "beam k=" + std::to_string(settings.beam.width);
        if (settings.beam.lengthPenalty != 0) {
            char alpha[32];
            std::snprintf(alpha, sizeof alpha, " a=%g", double(settings.beam.lengthPenalty));
            row.label += alpha;
        }
        if (const auto best = beam.nbest(); !best.empty()) {
            row.tokens = best.front().tokens;
            for (double lp : best.front().stepLogprobs) {
                row.probs.push_back(float(std::exp(lp)));
                row.logprob += lp;
            }
            row.score = best.front().score;
        }
        rows.push_back(std::move(row));
    }

    for (int i = 0; i < c.samples; ++i) {
        SamplerSettings s = settings;
        s.strategy = DecodeStrategy::Sample;
        s.seed = c.seed + uint64_t(i);
        rows.push_back(decodeRow(model, prompt, s, c.maxNewTokens));
        rows.back().label = "sample seed=" + std::to_string(s.seed);
    }

    const Tokenizer& tok = model->tokenizer();
    for (auto& r : rows) {
        for (int t : r.tokens) r.pieces.push_back(tok.display(t));
        r.divergence = firstDivergence(rows.front().tokens, r.tokens);
    }
    return rows;
}

}  // namespace ar
