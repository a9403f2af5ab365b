#include "core/random.h"

#include <cmath>
#include <numbers>

namespace ar {

static uint64_t splitmix64(uint64_t& x) {
    uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void Rng::reseed(uint64_t seed) {
    uint64_t x = seed;
    for (auto& s : m_s) s = splitmix64(x);
    m_hasSpare = false;
}

uint64_t Rng::nextU64() {
    const uint64_t result = rotl(m_s[1] * 5, 7) * 9;
    const uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
}

double Rng::uniform() { return double(nextU64() >> 11) * 0x1.0p-53; }

uint64_t Rng::below(uint64_t n) {
    if (n == 0) return 0;
    // Lemire's nearly-divisionless method with rejection: exact and portable.
    unsigned __int128 m = (unsigned __int128)nextU64() * n;
    uint64_t l = uint64_t(m);
    if (l < n) {
        const uint64_t t = (0 - n) % n;
        while (l < t) {
            m = (unsigned __int128)nextU64() * n;
            l = uint64_t(m);
        }
    }
    return uint64_t(m >> 64);
}

double Rng::normal() {
    if (m_hasSpare) {
        m_hasSpare = false;
        return m_spare;
    }
    // Box-Muller. std::log/sqrt/cos/sin are correctly rounded enough on glibc/libstdc++ and MSVC for
    // our purposes; u1 is kept away from 0.
    const double u1 = (double(nextU64() >> 11) + 0.5) * 0x1.0p-53;
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double a = 2.0 * std::numbers::pi * u2;
    m_spare = r * std::sin(a);
    m_hasSpare = true;
    return r * std::cos(a);
}

template <class F>
static int categoricalImpl(Rng& rng, std::span<const F> w) {
    double total = 0;
    for (F x : w) total += double(x);
    if (w.empty() || !(total > 0)) return 0;
    const double u = rng.uniform() * total;
    double acc = 0;
    int last = 0;
    for (size_t i = 0; i < w.size(); ++i) {
        if (w[i] <= 0) continue;
        acc += double(w[i]);
        last = int(i);
        if (u < acc) return int(i);
    }
    return last;  // rounding: fall back to the last non-zero entry
}

int Rng::categorical(std::span<const float> weights) { return categoricalImpl(*this, weights); }
int Rng::categorical(std::span<const double> weights) { return categoricalImpl(*this, weights); }

}  // namespace ar
