// Decoding benchmark: one beam-search round with k = 5 (ONE batched model call for the 5 hypotheses, plus
// log-softmax, top-M selection and state clones) against one greedy step (one model call with B = 1 plus
// the argmax), at the same positions, on the shipped toy model and on a random TinyGPT without EOS.
// Also: the same 5 hypotheses stepped one call each (B = 1 five times), to show what batching buys, and a
// B = 5 call alone (the beam rounds of a search that finishes hypotheses early average fewer than 5 states).
// And the sampler chain alone on one row of V = 50257 logits (GPT-2's vocabulary) and on V = 32, per setting.
//   build/tests/bench/bench_core_decoding [chain]   ("chain": only the sampler chain part)
#include "core/decoding/beamsearch.h"
#include "core/decoding/samplerchain.h"
#include "core/random.h"
#include "core/io/modelfile.h"
#include "core/memory.h"
#include "core/models/tinygpt.h"
#include "tests/testpaths.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <vector>

using Clock = std::chrono::steady_clock;
using namespace ar;

static double micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

static double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct Result {  // microseconds per step / round (medians over repetitions)
    double greedy = 0, beam = 0, unbatched = 0, batchedCall = 0;
    int rounds = 0;
};

static Result measure(const std::shared_ptr<const LanguageModel>& model, const Tokens& prompt, int k, int maxLen, int reps) {
    std::vector<double> beamRuns, greedyRuns, unbatchedRuns, callRuns;
    int rounds = 0;
    for (int rep = 0; rep < reps; ++rep) {
        // Beam: time every round.
        BeamSearch beam(model, prompt, BeamSettings{k, maxLen, 0.0f});
        double tBeam = 0;
        int r = 0;
        while (!beam.done()) {
            const auto t0 = Clock::now();
            beam.stepRound();
            tBeam += micros(Clock::now() - t0);
            ++r;
        }
        rounds = r;
        // Greedy: the same number of steps from the same prompt.
        Tokens seq;
        if (model->bosToken() >= 0) seq.push_back(model->bosToken());
        seq.insert(seq.end(), prompt.begin(), prompt.end());
        auto state = model->newState();
        DecodeState* s = state.get();
        for (size_t i = 0; i + 1 < seq.size(); ++i) model->step(std::span<DecodeState* const>(&s, 1), std::span<const int>(&seq[i], 1));
        int last = seq.back();
        std::vector<std::unique_ptr<DecodeState>> states;  // for the unbatched run, at the same positions
        for (int b = 0; b < k; ++b) states.push_back(state->clone());
        const int first = last;
        double tGreedy = 0;
        for (int i = 0; i < r; ++i) {
            const auto t0 = Clock::now();
            const Mat l = model->step(std::span<DecodeState* const>(&s, 1), std::span<const int>(&last, 1));
            Index arg;
            l.row(0).maxCoeff(&arg);
            last = int(arg);
            tGreedy += micros(Clock::now() - t0);
        }
        // Unbatched: k separate B = 1 calls per step, the same number of steps.
        // The batched model call alone (B = k), the same number of steps.
        std::vector<std::unique_ptr<DecodeState>> batch;
        std::vector<DecodeState*> ptrs;
        for (int b = 0; b < k; ++b) {
            batch.push_back(states[size_t(b)]->clone());
            ptrs.push_back(batch.back().get());
        }
        double tCall = 0;
        std::vector<int> toks(size_t(k), first);
        for (int i = 0; i < r; ++i) {
            const auto t0 = Clock::now();
            model->step(ptrs, toks);
            tCall += micros(Clock::now() - t0);
        }
        last = first;
        double tUn = 0;
        for (int i = 0; i < r; ++i) {
            const auto t0 = Clock::now();
            for (int b = 0; b < k; ++b) {
                DecodeState* sb = states[size_t(b)].get();
                model->step(std::span<DecodeState* const>(&sb, 1), std::span<const int>(&last, 1));
            }
            tUn += micros(Clock::now() - t0);
        }
        beamRuns.push_back(tBeam / r);
        greedyRuns.push_back(tGreedy / r);
        unbatchedRuns.push_back(tUn / r);
        callRuns.push_back(tCall / r);
    }
    return {median(greedyRuns), median(beamRuns), median(unbatchedRuns), median(callRuns), rounds};
}

static void report(const char* name, const Result& r, int k) {
    std::printf("%s, %d rounds:\n  greedy step (B=1 call + argmax) %8.1f us\n  beam round k=%d (1 call, B<=%d)  %8.1f us = %.2fx greedy\n"
                "    a B=%d model call alone       %8.1f us = %.2fx greedy\n  %d separate B=1 calls           %8.1f us = %.2fx greedy\n",
                name, r.rounds, r.greedy, k, k, r.beam, r.beam / r.greedy, k, r.batchedCall, r.batchedCall / r.greedy, k,
                r.unbatched, r.unbatched / r.greedy);
}

// SamplerChain::sample on one row of V logits ~ N(0, 3^2) (seeded), median microseconds per call.
static void measureChain(int V, int reps) {
    Rng rng(11);
    std::vector<float> logits(static_cast<size_t>(V));
    for (float& x : logits) x = float(3.0 * rng.normal());
    std::vector<int> recent;
    for (int i = 0; i < 64; ++i) recent.push_back(int(rng.uniform() * V) % V);
    struct Row { const char* name; SamplerSettings s; };
    std::vector<Row> rows;
    SamplerSettings off;
    rows.push_back({"all filters off (raw only)", off});
    SamplerSettings greedy = off;
    greedy.setTemperature(0.0f);
    rows.push_back({"T = 0 (greedy: generate --temperature 0)", greedy});
    SamplerSettings t = off;
    t.setTemperature(0.8f);
    rows.push_back({"T = 0.8", t});
    SamplerSettings kp = t;
    kp.setTopK(40);
    kp.setTopP(0.95f);
    rows.push_back({"T = 0.8, top-k 40, top-p 0.95", kp});
    SamplerSettings all = t;
    all.setKnob("repetition_penalty", 1.3f);
    all.setTopP(0.9f);
    all.setKnob("min_p", 0.05f);
    rows.push_back({"penalty 1.3, T = 0.8, top-p 0.9, min-p 0.05", all});
    std::printf("sampler chain, V = %d (one sample() per call, every stage recorded):\n", V);
    for (const Row& r : rows) {
        SamplerChain chain(r.s);
        std::vector<double> us;
        int sink = 0;
        for (int i = 0; i < reps; ++i) {
            Rng draw{static_cast<uint64_t>(i)};
            const auto t0 = Clock::now();
            sink += chain.sample(logits, recent, draw).token;
            us.push_back(micros(Clock::now() - t0));
        }
        std::printf("  %-46s %9.1f us  (token sum %d)\n", r.name, median(us), sink);
    }
}

int main(int argc, char** argv) {
    ar::tuneAllocator();  // as arlab and arlab-cli do
    measureChain(50257, 60);
    measureChain(32, 2000);
    if (argc > 1 && std::string(argv[1]) == "chain") return 0;
    const int k = 5;
    const std::string path = testutil::modelPath("toy-word");
    try {
        std::shared_ptr<const LanguageModel> toy = loadLanguageModel(path);
        const Tokens prompt = toy->tokenizer().encodeStrict("the small cat");
        report("toy-word (shipped, EOS)", measure(toy, prompt, k, 20, 300), k);
    } catch (const std::exception& e) {
        std::printf("toy-word: not measured (%s)\n", e.what());
    }
    std::vector<std::string> words;
    for (int i = 0; i < 32; ++i) words.push_back("w" + std::to_string(i));
    // Random models without EOS. The last two: the configuration of the KV-cache benchmark (weights 6 MB), and
    // one whose weights (50 MB) do not fit the caches: there a step waits for memory, and the batched call
    // reads each weight once for all k states.
    struct Shape { int embd, layers, heads, reps; };
    for (const Shape& sh : {Shape{64, 2, 4, 100}, Shape{128, 4, 4, 50}, Shape{256, 2, 8, 20}, Shape{512, 4, 8, 10}}) {
        TinyGptConfig cfg;
        cfg.vocabSize = 32;
        cfg.contextLength = 64;
        cfg.embd = sh.embd;
        cfg.layers = sh.layers;
        cfg.heads = sh.heads;
        std::shared_ptr<const LanguageModel> m = std::make_shared<TinyGpt>(cfg, Tokenizer(Tokenizer::Kind::Word, words), 7);
        const std::string name = "random TinyGPT C=" + std::to_string(sh.embd) + " L=" + std::to_string(sh.layers) +
                                 " H=" + std::to_string(sh.heads) + " (no EOS)";
        report(name.c_str(), measure(m, Tokens{1, 2, 3}, k, 20, sh.reps), k);
    }
    return 0;
}
