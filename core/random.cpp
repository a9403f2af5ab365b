#include "core/random.h"

#include "core/error.h"

#include <cfloat>
#include <cmath>

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

namespace {
thread_local uint64_t t_draws = 0;
}

Rng Rng::forLoading() {
    Rng r(0);
    r.m_forLoading = true;
    return r;
}

uint64_t Rng::drawsOnThisThread() { return t_draws; }

uint64_t Rng::nextU64() {
    if (m_forLoading) throw Error("internal error: a random number was drawn while building a model to load from a file");
    ++t_draws;
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

// --- exact-arithmetic log, sin, cos for Box-Muller ---------------------------------------------------
// libm's log/sin/cos may differ by an ulp between C libraries (glibc, musl, MSVC, Apple), which would make the
// "same seed, same weights" promise false across machines. These use only frexp/ldexp (exact bit moves),
// + - * / and sqrt, which IEEE 754 requires to be correctly rounded, evaluated in a fixed order with a fixed
// number of terms and without fused multiply-add: every conforming machine computes the same bits.
// Accuracy: about 1e-16 relative (checked against libm in tst_core_random).
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#elif defined(_MSC_VER)
#pragma fp_contract(off)
#endif
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD != 0
#error "arlab's portable random numbers need double arithmetic without excess precision (SSE2, not x87)"
#endif

namespace {

// log(x) for x > 0 (finite): x = m 2^e with m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(s), s = (m-1)/(m+1),
// |s| <= 0.1716, series 2 (s + s^3/3 + ... + s^25/25): truncation error below 1e-20.
double exactLog(double x) {
    int e = 0;
    double m = std::frexp(x, &e);  // m in [0.5, 1)
    if (m < 0.70710678118654752440) {
        m *= 2.0;
        e -= 1;
    }
    const double s = (m - 1.0) / (m + 1.0);
    const double s2 = s * s;
    double p = 1.0 / 25.0;
    for (int k = 23; k >= 1; k -= 2) p = p * s2 + 1.0 / double(k);  // Horner, fixed order
    const double logm = 2.0 * s * p;
    // ln 2 split so e * ln2Hi is exact (ln2Hi has 32 significant bits, |e| < 1100)
    const double ln2Hi = 0.693147180369123816490;   // 0x1.62e42fee00000p-1
    const double ln2Lo = 1.90821492927058770002e-10; // ln 2 - ln2Hi
    return double(e) * ln2Hi + (double(e) * ln2Lo + logm);
}

// sin and cos of x in [0, pi/4] by Taylor series to x^25 / x^24 (truncation error below 1e-21).
void sinCosSmall(double x, double& s, double& c) {
    const double x2 = x * x;
    double ps = 1.0, pc = 1.0;
    // sin x = x (1 - x2/(2*3) (1 - x2/(4*5) (1 - ...)))
    for (int k = 24; k >= 2; k -= 2) ps = 1.0 - x2 / double(k * (k + 1)) * ps;
    for (int k = 24; k >= 2; k -= 2) pc = 1.0 - x2 / double(k * (k - 1)) * pc;
    s = x * ps;
    c = pc;
}

// sin and cos of 2 pi u for u in [0, 1): the quadrant and the reflection come from u exactly (4u and 1 - f
// are exact in binary), so only an angle in [0, pi/4] goes through the series.
void sinCosTurn(double u, double& s, double& c) {
    const double halfPi = 1.57079632679489661923;
    const double q4 = 4.0 * u;                // exact
    const int q = int(q4);                    // quadrant 0..3
    const double f = q4 - double(q);          // exact, in [0, 1)
    double a, b;                              // sin, cos of f * pi/2
    if (f <= 0.5) {
        sinCosSmall(f * halfPi, a, b);
    } else {
        double s2, c2;
        sinCosSmall((1.0 - f) * halfPi, s2, c2);  // sin(pi/2 - t) = cos t
        a = c2;
        b = s2;
    }
    switch (q) {  // rotate by q quarter turns
    case 0: s = a; c = b; break;
    case 1: s = b; c = -a; break;
    case 2: s = -a; c = -b; break;
    default: s = -b; c = a; break;
    }
}

}  // namespace

double Rng::normal() {
    if (m_hasSpare) {
        m_hasSpare = false;
        return m_spare;
    }
    // Box-Muller: r = sqrt(-2 log u1), angle 2 pi u2. u1 is kept away from 0 (u1 in (0, 1)).
    const double u1 = (double(nextU64() >> 11) + 0.5) * 0x1.0p-53;
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * exactLog(u1));
    double s, c;
    sinCosTurn(u2, s, c);
    m_spare = r * s;
    m_hasSpare = true;
    return r * c;
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
