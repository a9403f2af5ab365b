#include "core/limits/generationcost.h"

#include "core/error.h"

#include <algorithm>
#include <chrono>

namespace ar {

GenerationShape GenerationShape::of(const TinyGptConfig& c) {
    return {c.layers, c.heads, c.kvHeadCount(), c.embd, c.vocabSize, c.contextLength};
}

size_t kvBytesPerTokenPerLayer(const GenerationShape& s) {
    return 2 * size_t(s.kvHeads) * size_t(s.embd / s.heads) * sizeof(float);
}

size_t kvBytesPerToken(const GenerationShape& s) { return size_t(s.layers) * kvBytesPerTokenPerLayer(s); }

namespace {
double kvWidth(const GenerationShape& s) { return double(s.kvHeads) * double(s.embd / s.heads); }  // K
}  // namespace

double flopsCachedStep(const GenerationShape& s, int t) {
    const double C = s.embd, L = s.layers, V = s.vocab, K = kvWidth(s);
    return L * (20 * C * C + 4 * C * K + 4 * C * (t + 1)) + 2 * C * V;
}

double flopsUncachedStep(const GenerationShape& s, int t) {
    const double C = s.embd, L = s.layers, V = s.vocab, n = t + 1, K = kvWidth(s);
    return L * ((20 * C * C + 4 * C * K) * n + 2 * C * n * (n + 1)) + 2 * C * V;
}

size_t kvAllocatedBytes(const TinyGptState& state, int layer) {
    if (layer < 0 || layer >= int(state.k.size())) throw Error("layer " + std::to_string(layer) + " is out of range");
    return size_t(state.k[size_t(layer)].size() + state.v[size_t(layer)].size()) * sizeof(float);
}

size_t kvFilledBytes(const TinyGptState& state, int layer) {
    if (layer < 0 || layer >= int(state.k.size())) throw Error("layer " + std::to_string(layer) + " is out of range");
    return size_t(state.len) * size_t(state.k[size_t(layer)].cols() + state.v[size_t(layer)].cols()) * sizeof(float);
}

std::vector<KvVariant> kvVariants(const TinyGptConfig& cfg) {
    std::vector<KvVariant> out;
    const auto add = [&](const char* name, int kvHeads) {
        TinyGptConfig c = cfg;
        c.kvHeads = kvHeads;
        c.validate();
        TinyGptState state;
        state.allocate(c);  // what newState() allocates (left uninitialised: nothing is touched)
        out.push_back({name, kvHeads, state.bytes() / size_t(c.contextLength)});
    };
    add("multi-head", cfg.heads);
    if (cfg.heads % 2 == 0 && cfg.heads > 2) add("grouped-query", cfg.heads / 2);
    add("multi-query", 1);
    return out;
}

StepTimes measureStepTimes(const TinyGpt& model, const Tokens& tokens, int repeats) {
    using clock = std::chrono::steady_clock;
    if (int(tokens.size()) > model.contextLength())
        throw Error("the text has " + std::to_string(tokens.size()) + " tokens but the context holds " +
                    std::to_string(model.contextLength()));
    StepTimes out;
    out.cached.assign(tokens.size(), 1e30);
    out.uncached.assign(tokens.size(), 1e30);
    for (int r = 0; r < std::max(1, repeats); ++r) {  // the fastest of the repeats: least disturbed by other work
        auto state = model.newState();
        DecodeState* s = state.get();
        for (size_t i = 0; i < tokens.size(); ++i) {
            auto t0 = clock::now();
            model.step(std::span<DecodeState* const>(&s, 1), std::span<const int>(&tokens[i], 1));
            out.cached[i] = std::min(out.cached[i], std::chrono::duration<double>(clock::now() - t0).count());
            t0 = clock::now();
            model.logits(std::span<const int>(tokens.data(), i + 1));
            out.uncached[i] = std::min(out.uncached[i], std::chrono::duration<double>(clock::now() - t0).count());
        }
    }
    return out;
}

}  // namespace ar
