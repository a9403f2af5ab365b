#pragma once
// The body of productRows (kernels.cpp: matmulNN, matmulTN and matmulNT of many rows), written once over a vector
// type P and compiled once per instruction set (kernels_sse2.cpp, kernels_avx2.cpp, kernels_avx512.cpp). It reads both
// operands along their rows (B, or a weight's rows as B^T, copied once into strips; A^T's rows a block at a time), so
// neither is transposed first, and gives exactly the bits of linearRows (bias included) on the transposed operands:
// each output y(n, m) keeps the 8 partial sums of kernels.h in 8 separate registers instead of 8 lanes,
//   acc[j] = sum over k ascending of A(n, 8k + j) * B(8k + j, m)   (each product rounded, then added: no FMA)
//   s = ((acc0 + acc4) + (acc2 + acc6)) + ((acc1 + acc5) + (acc3 + acc7))
//   s += A(n, i) * B(i, m) for the tail i = 8*floor(K/8) .. K-1, in order
// and a register's lanes are neighbouring outputs m, m+1, ... (one B row's floats times one broadcast A value). Every
// lane does the same scalar operations, with the same operands in the same order as linearRows' lane, whatever the
// width: the same bits on every path, thread count and blocking. Internal: include only from a kernels_*.cpp, inside
// an anonymous namespace (as kernels_body.h, and for the same reason).
//
// Legend: N rows of y, K the shared dimension, M columns of y.
//
// Each tile is R rows x W columns of y (W = kCols registers of kLanes); its 8 x R x W partial sums do not fit in
// registers, so the tile runs the 8 sums one at a time: pass j keeps R x kCols registers of acc[j] while k runs j,
// j+8, j+16, ... (the same adds in the same order as when all 8 run side by side), and leaves them in a buffer; the tree
// and the tail then finish each output. A broadcast A value serves kCols registers and a B load serves R of them.
//
// P provides: static constexpr int kLanes (floats per register), kRows (R) and kCols; using Vec; static Vec zero();
// load(const float*) (kLanes floats); bcast(const float*) (one float in every lane); mul(a, b); add(a, b) (lane by
// lane, one rounded operation each); store(float*, Vec).

// One float per "register", one register per row: the columns left after the whole registers, one at a time.
template <int R>
struct ProductLane1 {
    static constexpr int kLanes = 1, kRows = R, kCols = 1;
    using Vec = float;
    static Vec zero() { return 0.0f; }
    static Vec load(const float* p) { return *p; }
    static Vec bcast(const float* p) { return *p; }
    static Vec mul(Vec a, Vec b) { return a * b; }
    static Vec add(Vec a, Vec b) { return a + b; }
    static void store(float* p, Vec v) { *p = v; }
};

// B packed (productPackBody): the columns in strips of the widths productBlock takes them in, strip [m, m + w) at
// bp + m * K, its rows in the order the tile's passes read them, each row's w floats side by side: for k < K8 row k at
// position (k % 8) * (K8 / 8) + k / 8 (pass j reads K8 / 8 rows back to back), the tail rows K8 .. K-1 at k.
inline long packedRow(long k, long K8) { return k < K8 ? (k % 8) * (K8 / 8) + k / 8 : k; }

// Where the tile finds A(r, k): packed (A^T's rows, productBlock copies them in B's pass order: ap[packedRow(k) * R +
// r]) or, for A's own rows (matmulNN), in place: a[r * an + k].
struct ARows {
    const float* a;
    long an;  // row stride when in place; 0 when packed
};

// R rows of A times C registers of packed B columns (bs: the strip) -> y (row stride ys), + bias (W floats) if any.
template <class P, int R, int C, bool Packed>
__attribute__((always_inline)) inline void productTile(ARows A, const float* bs, long K, const float* bias, float* y, long ys) {
    using Vec = typename P::Vec;
    constexpr int L = P::kLanes, W = C * L;
    float part[8][R][W];  // acc[j] of every output of the tile
    const long K8 = K & ~7L, per = K8 / 8;
    const long rs = Packed ? 1 : A.an, is = Packed ? R : 8, js = Packed ? per * R : 1, ts = Packed ? R : 1;
#pragma GCC unroll 1
    for (int j = 0; j < 8; ++j) {
        Vec acc[R][C];
#pragma GCC unroll 8
        for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
            for (int c = 0; c < C; ++c) acc[r][c] = P::zero();
        const float* bj = bs + j * per * W;
        const float* aj = A.a + j * js;
        for (long i = 0; i < per; ++i) {
            Vec bv[C];
#pragma GCC unroll 4
            for (int c = 0; c < C; ++c) bv[c] = P::load(bj + i * W + c * L);
#pragma GCC unroll 8
            for (int r = 0; r < R; ++r) {
                const Vec av = P::bcast(aj + i * is + r * rs);
#pragma GCC unroll 4
                for (int c = 0; c < C; ++c) acc[r][c] = P::add(acc[r][c], P::mul(av, bv[c]));
            }
        }
#pragma GCC unroll 8
        for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
            for (int c = 0; c < C; ++c) P::store(&part[j][r][c * L], acc[r][c]);
    }
#pragma GCC unroll 1
    for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
        for (int c = 0; c < C; ++c) {
            const auto a = [&](int j) { return P::load(&part[j][r][c * L]); };
            Vec s = P::add(P::add(P::add(a(0), a(4)), P::add(a(2), a(6))), P::add(P::add(a(1), a(5)), P::add(a(3), a(7))));
            for (long k = K8; k < K; ++k) s = P::add(s, P::mul(P::bcast(A.a + k * ts + r * rs), P::load(bs + k * W + c * L)));
            P::store(y + r * ys + c * L, bias ? P::add(s, P::load(bias + c * L)) : s);
        }
}

// The strip widths, left to right: kCols registers, then one register, then one float (productBlock's order).
template <class P>
inline long stripWidth(long m, long M) {
    constexpr long L = P::kLanes, W = P::kCols * L;
    return m + W <= M ? W : m + L <= M ? L : 1;
}

// Columns [m0, m1) of B (K, M), B(k, m) = b[k * bk + m * bm] (bm == 1: B's rows; bk == 1: the rows of B^T, a
// weight (M, K)), m0 a strip's start, into bp in the packed layout above.
template <class P>
inline void productPackBody(const float* b, long bk, long bm, long K, long M, long m0, long m1, float* bp) {
    const long K8 = K & ~7L;
    constexpr int L = P::kLanes, C = P::kCols;
    for (long m = m0; m < m1;) {
        const long w = stripWidth<P>(m, M);
        float* strip = bp + m * K;
        if (bm != 1) {  // B^T's rows: a packed row's w floats gathered from w rows of b (read once each, in order)
            const float* src = b + m * bm;
            for (long k = 0; k < K; ++k) {
                float* dst = strip + packedRow(k, K8) * w;
                if (w == C * L) {
#pragma GCC unroll 32
                    for (int c = 0; c < C * L; ++c) dst[c] = src[c * bm + k * bk];
                } else {
                    for (long c = 0; c < w; ++c) dst[c] = src[c * bm + k * bk];
                }
            }
        } else {
            for (long k = 0; k < K; ++k) {
                const float* src = b + k * bk + m;
                float* dst = strip + packedRow(k, K8) * w;
                if (w == C * L) {
#pragma GCC unroll 4
                    for (int c = 0; c < C; ++c) P::store(dst + c * L, P::load(src + c * L));
                } else if (w == L) {
                    P::store(dst, P::load(src));
                } else {
                    *dst = *src;
                }
            }
        }
        m += w;
    }
}

// R rows of y times every strip of packed B: A's own rows (ak == 1) read in place; otherwise (A^T's rows, an == 1)
// A's R rows packed once into ap (K * R floats) in B's pass order.
template <class P, int R, bool Packed>
inline void productStrips(ARows A, const float* bp, long K, long M, const float* bias, float* y, long ys) {
    constexpr int L = P::kLanes, C = P::kCols;
    const auto at = [bias](long m) { return bias ? bias + m : nullptr; };
    long m = 0;
    for (; m + C * L <= M; m += C * L) productTile<P, R, C, Packed>(A, bp + m * K, K, at(m), y + m, ys);
    if constexpr (C > 1)
        for (; m + L <= M; m += L) productTile<P, R, 1, Packed>(A, bp + m * K, K, at(m), y + m, ys);
    for (; m < M; ++m) productTile<ProductLane1<R>, R, 1, Packed>(A, bp + m * K, K, at(m), y + m, ys);
}

template <class P, int R>
inline void productBlock(const float* a, long an, long ak, const float* bp, long K, long M, const float* bias, float* y,
                         long ys, float* ap) {
    if (ak == 1 && an != 1) {
        productStrips<P, R, false>({a, an}, bp, K, M, bias, y, ys);
        return;
    }
    const long K8 = K & ~7L;
    for (long k = 0; k < K; ++k) {
        float* dst = ap + packedRow(k, K8) * R;
        if (an == 1) {
            __builtin_memcpy(dst, a + k * ak, R * sizeof(float));
        } else {
            for (int r = 0; r < R; ++r) dst[r] = a[r * an + k * ak];
        }
    }
    productStrips<P, R, true>({ap, 0}, bp, K, M, bias, y, ys);
}

// Rows [n0, n1) of y (N, M) = A B, A(n, k) = a[n * an + k * ak] (so A or A^T may be a row-major block), B packed by
// productPackBody<P> (K * M floats), + bias (M floats, added to each rounded sum as linearRows adds it) if any;
// ap: scratch of K * P::kRows floats. Blocks of kRows rows, then single rows.
template <class P>
inline void productRowsBody(const float* a, long an, long ak, const float* bp, long K, long M, const float* bias, long n0,
                            long n1, float* y, long ys, float* ap) {
    constexpr int R = P::kRows;
    long n = n0;
    for (; n + R <= n1; n += R) productBlock<P, R>(a + n * an, an, ak, bp, K, M, bias, y + n * ys, ys, ap);
    for (; n < n1; ++n) productBlock<P, 1>(a + n * an, an, ak, bp, K, M, bias, y + n * ys, ys, ap);
}
