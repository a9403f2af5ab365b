#pragma once
// The AVX2 vector type of kernels_body.h (8 partial sums in one 8-float register), shared by the AVX2 path
// (kernels_avx2.cpp) and the AVX-512 path (kernels_avx512.cpp: the 1-3 rows left after its 4-row blocks, and the
// bias and store of each row's sums). Internal: include only inside an anonymous namespace of a
// kernels_*.cpp built with -mavx2 or more (never -mfma) and -ffp-contract=off; no Eigen, no std templates;
// the .cpp includes <immintrin.h> first, outside the namespace.

struct Avx2 {
    using Acc = __m256;
    static constexpr int kTile = 8;
    static Acc zero() { return _mm256_setzero_ps(); }
    static Acc load(const float* p) { return _mm256_loadu_ps(p); }
    static Acc mulAdd(Acc a, Acc x, Acc w) { return _mm256_add_ps(a, _mm256_mul_ps(x, w)); }
    static float reduce(Acc a) {
        const __m128 c = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));  // a0+a4, ..., a3+a7
        const __m128 d = _mm_add_ps(c, _mm_movehl_ps(c, c));
        return _mm_cvtss_f32(_mm_add_ss(d, _mm_shuffle_ps(d, d, 1)));
    }
    // reduce() of 8 accumulators at once. Each 128-bit lane holds one accumulator's step: c = lo + hi, then
    // d = (c0 + c2, c1 + c3), then s = d0 + d1, the operands in reduce()'s order.
    static constexpr int kGroup = 8;
    using Sums = __m256;
    static Sums reduceGroup(const Acc* a) {
        __m256 c[4];  // [c of a[2k] | c of a[2k+1]]
#pragma GCC unroll 4
        for (int k = 0; k < 4; ++k)
            c[k] = _mm256_add_ps(_mm256_permute2f128_ps(a[2 * k], a[2 * k + 1], 0x20),
                                 _mm256_permute2f128_ps(a[2 * k], a[2 * k + 1], 0x31));
        // [d0 d0' d2 d2' | d1 d1' d3 d3'] from c[0], c[1]; [d4 .. d6 .. | d5 .. d7 ..] from c[2], c[3]
        const __m256 d03 = _mm256_add_ps(_mm256_shuffle_ps(c[0], c[1], _MM_SHUFFLE(1, 0, 1, 0)),
                                         _mm256_shuffle_ps(c[0], c[1], _MM_SHUFFLE(3, 2, 3, 2)));
        const __m256 d47 = _mm256_add_ps(_mm256_shuffle_ps(c[2], c[3], _MM_SHUFFLE(1, 0, 1, 0)),
                                         _mm256_shuffle_ps(c[2], c[3], _MM_SHUFFLE(3, 2, 3, 2)));
        // [s0 s2 s4 s6 | s1 s3 s5 s7], then in order
        const __m256 t = _mm256_add_ps(_mm256_shuffle_ps(d03, d47, _MM_SHUFFLE(2, 0, 2, 0)),
                                       _mm256_shuffle_ps(d03, d47, _MM_SHUFFLE(3, 1, 3, 1)));
        return _mm256_permutevar8x32_ps(t, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    }
    static void storeSums(Sums s, float* out) { _mm256_storeu_ps(out, s); }
    template <int O>
    static Sums addBias(Sums s, const float* b) {
        if constexpr (O == 8) return _mm256_add_ps(s, _mm256_loadu_ps(b));
        else if constexpr (O == 4) return _mm256_add_ps(s, _mm256_broadcast_ps(reinterpret_cast<const __m128*>(b)));
        else if constexpr (O == 2) return _mm256_add_ps(s, _mm256_castpd_ps(_mm256_broadcast_sd(reinterpret_cast<const double*>(b))));
        else return _mm256_add_ps(s, _mm256_broadcast_ss(b));
    }
    static __m128 half(Sums s, int k) { return k == 0 ? _mm256_castps256_ps128(s) : _mm256_extractf128_ps(s, 1); }
};
