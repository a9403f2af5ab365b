#pragma once
// Seeded random numbers that are identical on every machine and compiler.
// The standard library's engines are portable but its distributions are not, so the few distributions we
// need are written here. Always pass an Rng explicitly: same seed -> same output, everywhere.
#include <cstdint>
#include <span>
#include <vector>

namespace ar {

class Rng {
public:
    explicit Rng(uint64_t seed = 0) { reseed(seed); }
    void reseed(uint64_t seed);
    // Models whose weights are read from a file next are built with this Rng: the layers see forLoading() and
    // allocate zero weights instead of drawing, and any draw from it throws ar::Error (a loader that would
    // initialise randomly fails its tests instead of wasting the time).
    static Rng forLoading();
    bool isForLoading() const { return m_forLoading; }
    // Numbers drawn by every Rng of this thread so far (tests: loading a model draws none).
    static uint64_t drawsOnThisThread();

    uint64_t nextU64();                 // xoshiro256** step
    uint32_t nextU32() { return uint32_t(nextU64() >> 32); }
    double uniform();                   // [0, 1), 53 random bits
    float uniformf() { return float(nextU64() >> 40) * 0x1.0p-24f; }  // [0, 1), 24 random bits (never rounds to 1)
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    uint64_t below(uint64_t n);         // uniform integer in [0, n), unbiased (Lemire)
    int randint(int lo, int hiInclusive) { return lo + int(below(uint64_t(hiInclusive - lo) + 1)); }
    double normal();                    // standard normal (Box-Muller, polar-free, cached pair)
    double normal(double mean, double std) { return mean + std * normal(); }
    bool bernoulli(double p) { return uniform() < p; }
    // Index drawn with probability proportional to weights[i] (weights >= 0, sum > 0).
    int categorical(std::span<const float> weights);
    int categorical(std::span<const double> weights);
    template <class T> void shuffle(std::vector<T>& v) {
        for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[size_t(below(i))]);
    }

private:
    uint64_t m_s[4];
    bool m_forLoading = false;
    bool m_hasSpare = false;
    double m_spare = 0.0;
};

}  // namespace ar
