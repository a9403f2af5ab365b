#pragma once
// The body of erfArray / geluArray (kernels.h), written once over an 8-float vector type V and compiled once per
// instruction set (kernels_erf_sse2.cpp: two 4-float registers; kernels_erf_avx2.cpp: one 8-float register). Every
// lane runs the same operations in the same order (products rounded, never fused), so every path gives the same
// bits. Internal: include only from a kernels_erf_*.cpp, inside an anonymous namespace (see kernels_body.h).
//
// erf(x) for a = |x|, the sign put back at the end (erf(-x) = -erf(x), erf(-0) = -0):
//   a < 0.875:      erf = a + a * P(a^2)                   P degree 6
//   0.875 <= a:     erf = 1 - E(min(a, 4) - c)             E degree 10: c = 1.5625 on [0.875, 2.25), 3.125 on [2.25, 4]
//                   (erfc(4) = 1.5e-8 rounds 1 - E to 1.0f: every a >= 4, +Inf included, gives exactly 1)
//   NaN:            NaN (the input, sign and payload kept)
// The coefficients interpolate P(t) = erf(sqrt t) / sqrt t - 1 on t in [0, 0.875^2] and erfc(c + u) on each
// interval at Chebyshev nodes (computed in 50-digit arithmetic, then rounded to float), highest power first; the
// centred variable u = a - c is exact (Sterbenz) and |u| <= 0.875 keeps every Horner step small. Against erf in
// double, every float of [0, 4.5] checked: at most 1.06 ulp below 0.875, 1.09 ulp on [0.875, 2.25), 0.54 ulp
// above (tst_core_erf holds every path to 1.1 ulp on dense sweeps).
//
// V provides: using Vec (8 floats); set(float); load(const float*); store(float*, Vec); add, sub, mul, min (of
// two non-NaN values); lt(a, b) (all-ones lanes where a < b); select(mask, a, b) (a where the mask is set);
// andNot(m, a) = ~m & a, and(a, b), or(a, b) on the bits; isNan(a) (all-ones lanes where a is NaN); mask(m): bit k
// set when lane k of the comparison result m is set (0xFF: every lane).

using Idx = long;

constexpr float kErfSmall[7] = {8.690368850e-05f, -8.214570698e-04f, 5.207048729e-03f, -2.686170675e-02f,
                                1.128373519e-01f, -3.761263490e-01f, 1.283791661e-01f};
constexpr float kErfcLow[11] = {1.462526125e-04f, -1.359684858e-03f, 1.472468721e-03f, 5.574892275e-03f,
                                -1.703657396e-02f, 8.060337044e-03f, 4.815580323e-02f, -1.271152496e-01f,
                                1.534566730e-01f,  -9.821223468e-02f, 2.712538652e-02f};  // erfc(1.5625 + u), [0.875, 2.25)
constexpr float kErfcHigh[11] = {-9.050188055e-06f, -1.125058679e-05f, 1.150792450e-04f, -2.775066823e-04f,
                                 4.510605067e-04f,  -5.732481950e-04f, 5.577438860e-04f, -4.005287192e-04f,
                                 2.023644047e-04f,  -6.473918620e-05f, 9.896734809e-06f};  // erfc(3.125 + u), [2.25, 4]

// E(u) with one interval's coefficients in every lane (Horner, highest power first).
template <class V>
inline typename V::Vec erfcPoly(typename V::Vec u, const float (&c)[11]) {
    typename V::Vec e = V::set(c[0]);
    for (int k = 1; k < 11; ++k) e = V::add(V::mul(e, u), V::set(c[k]));
    return e;
}

// A vector whose lanes all fall in one interval computes that interval's polynomial only (no other interval's
// terms, no per-lane selects): each lane runs the same operations on the same values as on the mixed path, so the
// same bits whichever path a vector takes.
template <class V>
inline typename V::Vec erf8(typename V::Vec x) {
    using W = typename V::Vec;
    const W sign = V::set(-0.0f);
    const W a = V::andNot(sign, x);  // |x|
    const W isSmall = V::lt(a, V::set(0.875f));  // never a NaN lane
    const int small = V::mask(isSmall);
    W smallPart = a;
    if (small != 0) {
        const W t = V::mul(a, a);
        W p = V::set(kErfSmall[0]);
        for (int k = 1; k < 7; ++k) p = V::add(V::mul(p, t), V::set(kErfSmall[k]));
        smallPart = V::add(a, V::mul(a, p));
        if (small == 0xFF) return V::or_(smallPart, V::and_(x, sign));
    }
    const W b = V::min(a, V::set(4.0f));  // NaN lanes: 4
    const W low = V::lt(b, V::set(2.25f));
    const int lowLanes = V::mask(low);
    W e;
    if (lowLanes == 0xFF) {
        e = erfcPoly<V>(V::sub(b, V::set(1.5625f)), kErfcLow);
    } else if (lowLanes == 0) {
        e = erfcPoly<V>(V::sub(b, V::set(3.125f)), kErfcHigh);
    } else {
        const W u = V::sub(b, V::select(low, V::set(1.5625f), V::set(3.125f)));
        e = V::select(low, V::set(kErfcLow[0]), V::set(kErfcHigh[0]));
        for (int k = 1; k < 11; ++k) e = V::add(V::mul(e, u), V::select(low, V::set(kErfcLow[k]), V::set(kErfcHigh[k])));
    }
    const W large = V::sub(V::set(1.0f), e);
    const W r = V::or_(small != 0 ? V::select(isSmall, smallPart, large) : large, V::and_(x, sign));
    return V::select(V::isNan(x), x, r);
}

// 0.5 x (1 + erf(x / sqrt 2)), in this order: h = x * (1/sqrt 2); g = (0.5 x) * (1 + erf(h)).
template <class V>
inline typename V::Vec erfOfHalfRoot2(typename V::Vec x) { return erf8<V>(V::mul(x, V::set(0.70710678118654752f))); }
template <class V>
inline typename V::Vec geluFromErf(typename V::Vec x, typename V::Vec e) {
    return V::mul(V::mul(V::set(0.5f), x), V::add(V::set(1.0f), e));
}
template <class V>
inline typename V::Vec gelu8(typename V::Vec x) { return geluFromErf<V>(x, erfOfHalfRoot2<V>(x)); }

// y[0..n) = f(x[0..n)), 8 at a time; the last n % 8 through a zero-padded block (the same lanes' arithmetic).
// y may be x.
template <class V, typename V::Vec (*F)(typename V::Vec)>
inline void mapBody(const float* x, float* y, Idx n) {
    Idx i = 0;
    for (; i + 8 <= n; i += 8) V::store(y + i, F(V::load(x + i)));
    if (i < n) {
        float buf[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (Idx j = i; j < n; ++j) buf[j - i] = x[j];
        V::store(buf, F(V::load(buf)));
        for (Idx j = i; j < n; ++j) y[j] = buf[j - i];
    }
}

// The GELU of x[0..n) into y and the erf(x / sqrt 2) it used into e (ops::gelu keeps e for its backward): gelu8's
// operations, the last n % 8 through zero-padded blocks. y may be x; e is neither.
template <class V>
inline void geluErfBody(const float* x, float* y, float* e, Idx n) {
    Idx i = 0;
    for (; i + 8 <= n; i += 8) {
        const typename V::Vec v = V::load(x + i), ev = erfOfHalfRoot2<V>(v);
        V::store(e + i, ev);
        V::store(y + i, geluFromErf<V>(v, ev));
    }
    if (i < n) {
        float bx[8] = {0, 0, 0, 0, 0, 0, 0, 0}, be[8], by[8];
        for (Idx j = i; j < n; ++j) bx[j - i] = x[j];
        const typename V::Vec v = V::load(bx), ev = erfOfHalfRoot2<V>(v);
        V::store(be, ev);
        V::store(by, geluFromErf<V>(v, ev));
        for (Idx j = i; j < n; ++j) {
            e[j] = be[j - i];
            y[j] = by[j - i];
        }
    }
}
