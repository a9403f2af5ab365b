#pragma once
// The body of transposeInto (kernels.cpp), written once over a register tile T and compiled once per instruction
// set (kernels_sse2.cpp: 4 x 4, kernels_avx2.cpp: 8 x 8, kernels_avx512.cpp: 16 x 16). Data moves only: every path
// gives the same bits. Internal: include only from a kernels_*.cpp, inside an anonymous namespace (as
// kernels_body.h, and for the same reason).
//
// The matrix is walked in blocks of 16 x 16 floats, the tiles of a block back to back, so each source row's 64 bytes
// are read and each destination row's 64 bytes written while the block is in registers or in a handful of lines.
// Columns of blocks are walked outer, so the destination's 16 rows of a block column are written front to back.
// Tiles of 32 x 32 floats through 4 x 4 registers (the former code) kept 64 source and 64 destination lines in use
// at once; rows 2 KB apart (512 floats) all fall into 2 of the L1 cache's 64 sets, so a 512-row operand moved at
// ~15 GB/s in the cache, against ~40 GB/s now (bench_core_transpose).
//
// T provides: static constexpr int kTile (4, 8 or 16, a divisor of kTransposeBlock); static void tile(const float*
// s, long ss, float* d, long ds): d[j * ds + i] = s[i * ss + j] for i, j < kTile.

constexpr long kTransposeBlock = 16;

// Source rows [r0, r1) of x (R, C) (row stride xs) to columns [r0, r1) of out (C, R) (row stride R).
template <class T>
void transposeRowsBody(const float* x, long xs, long R, long C, long r0, long r1, float* out) {
    constexpr long B = kTransposeBlock, N = T::kTile;
    static_assert(B % N == 0, "a tile divides the block");
    const long rb = r0 + (r1 - r0) / B * B, cb = C / B * B;  // the whole blocks end here
    for (long c = 0; c < cb; c += B)
        for (long r = r0; r < rb; r += B)
            for (long i = 0; i < B; i += N)
                for (long j = 0; j < B; j += N) T::tile(x + (r + i) * xs + c + j, xs, out + (c + j) * R + r + i, R);
    for (long r = r0; r < rb; ++r)
        for (long c = cb; c < C; ++c) out[c * R + r] = x[r * xs + c];
    for (long r = rb; r < r1; ++r)
        for (long c = 0; c < C; ++c) out[c * R + r] = x[r * xs + c];
}
