// Recurrent speed, single thread:
//   1. one LSTM decoding step (CharRnn::step: embedding -> LSTM -> Linear), hidden 256, batch 1: µs per token,
//      next to the bare cost of its two matrix-vector products (W_ih x, W_hh h) — the ratio is the overhead of
//      the fused cell, the state gather/scatter and the output layer;
//   2. one truncated-BPTT training step (chunkLoss forward + backward + Adam), batch 32, T = 100, hidden 256
//      (and the shipped size, hidden 128): ms per step;
//   3. one greedy translation of a 7-word sentence with the shipped translator.
// The 10th percentile of many timed repetitions is reported (the machine is shared).
#include "core/memory.h"
#include "core/models/charrnn.h"
#include "core/models/seq2seq.h"
#include "core/training/optimizer.h"
#include "tests/testpaths.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <vector>

using namespace ar;
using Clock = std::chrono::steady_clock;

static double p10(const std::function<void()>& f, int reps) {
    std::vector<double> t;
    for (int i = 0; i < reps; ++i) {
        const auto a = Clock::now();
        f();
        t.push_back(std::chrono::duration<double, std::micro>(Clock::now() - a).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 10];
}

static std::vector<std::string> chars(int n) {
    std::vector<std::string> v;
    for (int i = 0; i < n; ++i) v.push_back(std::string(1, char(' ' + i)));
    return v;
}

int main() {
    Eigen::setNbThreads(1);
    tuneAllocator();
    Rng rng(1);
    const int V = 64, E = 64;
    for (int H : {256, 128}) {
        CharRnnConfig cfg;
        cfg.vocabSize = V, cfg.embd = E, cfg.hidden = H, cfg.layers = 1;
        CharRnn m(cfg, Tokenizer(Tokenizer::Kind::Char, chars(V)), rng);
        auto st = m.newState();
        DecodeState* s = st.get();
        int tok = 5;
        volatile float sink = 0;
        const double step = p10([&] { sink = sink + m.step(std::span<DecodeState* const>(&s, 1), std::span<const int>(&tok, 1))(0, 0); }, 3000);
        Mat wih = Mat::Random(4 * H, E), whh = Mat::Random(4 * H, H);
        RowVec x = RowVec::Random(E), h = RowVec::Random(H);
        Mat g(1, 4 * H);
        const double bare = p10([&] { g.noalias() = x * wih.transpose(); g.noalias() += h * whh.transpose(); sink = sink + g(0, 0); }, 3000);
        std::printf("LSTM decode step, hidden %d, batch 1: %.1f us/token (bare W_ih x + W_hh h: %.1f us; ratio %.2f)\n", H, step,
                    bare, step / bare);

        const int B = 32, T = 100;
        Adam opt(m.parameters(), 1e-3f);
        std::vector<Tokens> in(static_cast<size_t>(B), Tokens(T)), tg(static_cast<size_t>(B), Tokens(T));
        for (auto* rows : {&in, &tg})
            for (auto& r : *rows)
                for (int& t : r) t = int(rng.below(uint64_t(V)));
        nn::RecurrentState carry = m.zeroState(B);
        const double train = p10([&] {
            carry = carry.detached();
            Var loss = m.chunkLoss(in, tg, carry);
            backward(loss);
            opt.step();
            opt.zeroGrad();
        }, 12);
        // matrix FLOPs: forward 2*B*4H*(E+H) per step (+ output layer 2*B*H*V); backward twice that
        const double flops = 3.0 * T * (2.0 * B * 4 * H * (E + H) + 2.0 * B * H * V);
        std::printf("LSTM training step (TBPTT), hidden %d, batch %d, T = %d: %.1f ms (%.2f us per token, %.1f GFLOP/s)\n", H, B,
                    T, train / 1000.0, train / (B * T), flops / (train * 1e3));
    }
    try {
        auto tr = loadSeq2Seq(testutil::modelPath("zh-en-seq2seq"));
        const Tokens src = tr->encodeSource("我 昨天 吃 了 三 个 苹果");
        const double t = p10([&] { translateGreedy(*tr, src); }, 300);
        std::printf("translator: greedy translation of a 7-word sentence (6 target words): %.1f us\n", t);
    } catch (const std::exception& e) {
        std::printf("translator: %s\n", e.what());
    }
    return 0;
}
