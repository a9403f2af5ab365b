#pragma once
// The body of linearRows, written once over an 8-float vector type V and compiled once per instruction set
// (kernels_sse2.cpp: two 4-float registers; kernels_avx2.cpp: one 8-float register; kernels_avx512.cpp: AVX2's type
// plus its own blocks of 4 rows, two outputs' sums per 16-float register). All keep the 8 partial sums of kernels.h
// in the same lanes and reduce them in the same order, so every path gives the same bits.
// Internal: include only from a kernels_*.cpp, inside an anonymous namespace (each copy is compiled with its own -m
// flags and must not be merged with another by the linker). No Eigen, no std templates here for the same reason.
//
// V provides: using Acc; static Acc zero(); static Acc load(const float*) (8 floats); static Acc mulAdd(Acc acc,
// Acc x, Acc w) = acc + x * w lane by lane (product rounded first); static float reduce(Acc) =
// ((a0 + a4) + (a2 + a6)) + ((a1 + a5) + (a3 + a7)); static constexpr int kTile: the most accumulators a tile holds;
// kGroup (= kTile) and using Sums (kGroup floats): static Sums reduceGroup(const Acc* a): lane k = reduce(a[k]),
// every add with the same two operands in the same order as reduce's tree, the accumulators transposed through
// registers so that each add serves several of them (the same bits, a fraction of the instructions);
// storeSums(Sums, float*); addBias<O>(Sums, bias): lane k + bias[k % O]; half(Sums, k): lanes 4k..4k+3 (__m128).
// Optionally static void fourRowsTimesBlock(x, xs, w, in, count, bias, y, ys): 4 rows against weight rows
// [0, count), in place of V's 4-row tiles (WideFourRows below).

using Idx = long;

// A group's sums to R rows of O outputs: lane r*O + o to y[r * ys + o].
template <class V, int R, int O>
inline void storeRows(typename V::Sums t, float* y, Idx ys) {
    if constexpr (O == V::kGroup) {
        V::storeSums(t, y);
    } else if constexpr (O == 4) {
#pragma GCC unroll 2
        for (int r = 0; r < R; ++r) _mm_storeu_ps(y + r * ys, V::half(t, r));
    } else if constexpr (O == 2) {
#pragma GCC unroll 4
        for (int r = 0; r < R; ++r) {
            float* row = y + r * ys;
            if (r % 2 == 0) _mm_storel_pi(reinterpret_cast<__m64*>(row), V::half(t, r / 2));
            else _mm_storeh_pi(reinterpret_cast<__m64*>(row), V::half(t, r / 2));
        }
    } else {
        static_assert(O == 1 && R <= 4, "one output per row: at most 4 rows");
        const __m128 a = V::half(t, 0);
        _mm_store_ss(y, a);
        if constexpr (R > 1) _mm_store_ss(y + ys, _mm_shuffle_ps(a, a, 1));
        if constexpr (R > 2) _mm_store_ss(y + 2 * ys, _mm_shuffle_ps(a, a, 2));
        if constexpr (R > 3) _mm_store_ss(y + 3 * ys, _mm_shuffle_ps(a, a, 3));
    }
}

// The input tail and the bias, one output at a time: y[r][o] = (sums[r * O + o] + the products of inputs
// 8*floor(in/8) .. in-1 in order) + bias[o].
template <int R, int O>
inline void finishRows(const float* sums, const float* x, Idx xs, const float* w, Idx in, const float* bias, float* y, Idx ys) {
    const Idx in8 = in & ~Idx(7);
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
        for (int o = 0; o < O; ++o) {
            float s = sums[r * O + o];
            const float* xr = x + r * xs;
            const float* wo = w + o * in;
            for (Idx i = in8; i < in; ++i) s += xr[i] * wo[i];
            y[r * ys + o] = bias ? s + bias[o] : s;
        }
}

// Rows x[0..R) against weight rows w[0..O): each weight row's 8 floats are loaded once and applied to all R rows.
// Ahead > 0: each weight row is also prefetched Ahead bytes ahead of its loads, once per 64-byte line (see
// kStreamAhead below); the arithmetic is the same either way.
template <class V, int R, int O, int Ahead = 0>
__attribute__((always_inline)) inline void tile(const float* x, Idx xs, const float* w, Idx in, const float* bias, float* y, Idx ys) {
    typename V::Acc acc[R][O];
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
        for (int o = 0; o < O; ++o) acc[r][o] = V::zero();
    const Idx in8 = in & ~Idx(7);
    for (Idx i = 0; i < in8; i += 8) {
        typename V::Acc wv[O];
        if constexpr (Ahead > 0) {
            if ((i & 15) == 0) {
#pragma GCC unroll 8
                for (int o = 0; o < O; ++o) _mm_prefetch(reinterpret_cast<const char*>(w + o * in + i) + Ahead, _MM_HINT_T0);
            }
        }
#pragma GCC unroll 8
        for (int o = 0; o < O; ++o) wv[o] = V::load(w + o * in + i);
#pragma GCC unroll 8
        for (int r = 0; r < R; ++r) {
            const typename V::Acc xv = V::load(x + r * xs + i);
#pragma GCC unroll 8
            for (int o = 0; o < O; ++o) acc[r][o] = V::mulAdd(acc[r][o], xv, wv[o]);
        }
    }
    // The R * O sums: a tile of at least half a group (every tile has at most one group) reduces its accumulators
    // together (padded with zeros whose sums are dropped) and, without an input tail, adds the bias and stores its
    // rows as vectors; a smaller one reduces each alone. Every sum gets the same adds either way: the same bits.
    constexpr int N = R * O, G = V::kGroup;
    static_assert(N <= G, "a tile holds at most one group of accumulators");
    float sums[G];
    if constexpr (2 * N >= G) {
        typename V::Acc group[G];
#pragma GCC unroll 8
        for (int k = 0; k < G; ++k) group[k] = k < N ? acc[k / O][k % O] : V::zero();
        typename V::Sums t = V::reduceGroup(group);
        if (in8 == in) {
            if (bias) t = V::template addBias<O>(t, bias);
            storeRows<V, R, O>(t, y, ys);
            return;
        }
        V::storeSums(t, sums);
    } else {
#pragma GCC unroll 8
        for (int k = 0; k < N; ++k) sums[k] = V::reduce(acc[k / O][k % O]);
    }
    finishRows<R, O>(sums, x, xs, w, in, bias, y, ys);
}

// R rows against the weight rows [0, count): O at a time, then one at a time.
template <class V, int R, int O, int Ahead = 0>
inline void rowsTimesBlock(const float* x, Idx xs, const float* w, Idx in, Idx count, const float* bias, float* y, Idx ys) {
    Idx o = 0;
    for (; o + O <= count; o += O) tile<V, R, O, Ahead>(x, xs, w + o * in, in, bias ? bias + o : nullptr, y + o, ys);
    for (; o < count; ++o) tile<V, R, 1, Ahead>(x, xs, w + o * in, in, bias ? bias + o : nullptr, y + o, ys);
}

// One row against a weight that streams from memory (a decode step of a large model: every weight is read once per
// token and none stays in L2). The loads themselves keep too few cache misses in flight to reach what one core can
// read: the hardware prefetcher stops at every 4 KB page and starts again a few lines late. So the single-row tile
// takes 2 weight rows at a time (2 streams, not 8) and prefetches each kStreamAhead bytes ahead of its loads.
// Measured on the GPT-2 shape's products (498 MB per token, 1 thread, 2 MB pages): 33.6 ms (14.7 GB/s) with 8 rows and
// no prefetch, 28.0 ms (17.7 GB/s) with this, against 31.4 ms for a plain AVX2 read of the same bytes; 1-2 KB ahead
// or 4-8 rows at a time gain less. Weights that stay in the cache (the small models) keep the plain 8-row tile.
constexpr int kStreamAhead = 4096;

// A path with wider registers than V's 8 floats (AVX-512) computes whole blocks of 4 rows its own way, with the same
// operations in each lane; the 1-3 rows left go through V's tiles.
template <class V>
concept WideFourRows = requires(const float* c, float* y, Idx i) { V::fourRowsTimesBlock(c, i, c, i, i, c, y, i); };

// Output columns [o0, o1) of y (n, out) = x (n, in) W^T + bias. Weight rows are walked in blocks of ~32 KB, so a
// block read from memory (or L3) once serves every block of 4 input rows from L1/L2. stream: the whole weight is too
// large to stay in L2 (the dispatcher decides, kernels.cpp), so a single row takes the prefetching 2-row tile above.
template <class V>
inline void linearRowsBody(const float* x, Idx xs, Idx n, const float* w, Idx in, Idx o0, Idx o1, const float* bias,
                           float* y, Idx ys, bool stream) {
    constexpr int T = V::kTile;  // accumulators per tile: R * O
    Idx block = (8192 / (in > 0 ? in : 1)) & ~Idx(7);  // a multiple of 8: whole tiles, no single-row tail per block
    if (block < 8) block = 8;
    for (Idx ob = o0; ob < o1; ob += block) {
        const Idx count = ob + block < o1 ? block : o1 - ob;
        const float* wb = w + ob * in;
        const float* bb = bias ? bias + ob : nullptr;
        Idx r = 0;
        for (; r + 4 <= n; r += 4) {
            if constexpr (WideFourRows<V>) V::fourRowsTimesBlock(x + r * xs, xs, wb, in, count, bb, y + r * ys + ob, ys);
            else rowsTimesBlock<V, 4, T / 4>(x + r * xs, xs, wb, in, count, bb, y + r * ys + ob, ys);
        }
        switch (n - r) {
        case 3: rowsTimesBlock<V, 3, T / 4>(x + r * xs, xs, wb, in, count, bb, y + r * ys + ob, ys); break;
        case 2: rowsTimesBlock<V, 2, T / 2>(x + r * xs, xs, wb, in, count, bb, y + r * ys + ob, ys); break;
        case 1:
            if (stream) rowsTimesBlock<V, 1, 2, kStreamAhead>(x + r * xs, xs, wb, in, count, bb, y + r * ys + ob, ys);
            else rowsTimesBlock<V, 1, T>(x + r * xs, xs, wb, in, count, bb, y + r * ys + ob, ys);
            break;
        default: break;
        }
    }
}
