#pragma once
// Flash attention (Dao et al. 2022): the same causal self-attention as causalSelfAttention (attention.h), computed
// tile by tile so that the (T, T) score matrix is never stored.
//
//   The queries are cut into blocks of Bq rows, the keys and values into blocks of Bk rows. For one Q block the
//   K/V blocks are visited left to right (only those the causal mask lets through). Each row i keeps
//     m_i  the largest score seen so far,      l_i = sum_j exp(s_ij - m_i) over the keys seen so far,
//     acc_i = sum_j exp(s_ij - m_i) v_j        (Bq, D)
//   When a new tile brings a larger maximum m'_i, the earlier partial sums are rescaled by exp(m_i - m'_i)
//   (the "online softmax", Milakov & Gimelshein 2018). At the end y_i = acc_i / l_i and the row's
//   log-sum-exp lse_i = m_i + ln l_i is kept: it is all backward needs to recompute any probability,
//   p_ij = exp(s_ij - lse_i), tile by tile again.
//
// Memory: besides its input and output the forward holds one (Bq, Bk) score tile, (Bq, D) accumulators and
// T log-sum-exps per head: linear in T. The standard kernel holds the (T, T) probabilities of every head.
// Both kernels count the bytes they allocate (MemoryCounter, AttentionMemoryProbe) so the difference is measured.
//
// Legend: B batch, T time, C width, H heads, D = C/H head width, Bq/Bk query/key block rows.
#include "core/autograd/ops.h"
#include "core/nn/attention.h"

#include <cstddef>
#include <string>
#include <vector>

namespace ar::nn {

enum class AttentionKernel { Standard, Flash };
std::string attentionKernelName(AttentionKernel k);        // "standard" | "flash"
AttentionKernel parseAttentionKernel(const std::string& s); // throws ar::Error naming the choices

struct FlashBlocks {
    int q = 16;  // Bq: query rows per tile
    int k = 16;  // Bk: key/value rows per tile
    void validate() const;  // throws ar::Error: both >= 1
};

// Bytes allocated and released by a kernel, and the most held at once.
class MemoryCounter {
public:
    void allocate(size_t bytes);
    void release(size_t bytes);
    size_t current() const { return m_current; }
    size_t peak() const { return m_peak; }

private:
    size_t m_current = 0, m_peak = 0;
};

// One tile of the forward pass, recorded for the animation: rows q0 .. q0+nq-1 against keys k0 .. k0+nk-1.
struct FlashTile {
    int q0 = 0, nq = 0, k0 = 0, nk = 0;
    std::vector<float> maxBefore, maxAfter;  // per query row: m_i before and after this tile (-inf: none yet)
    std::vector<float> sumAfter;             // per query row: l_i after this tile (relative to maxAfter)
    std::vector<char> rescaled;              // per query row: the maximum grew, so earlier sums were rescaled
};

// One head, forward. q, k, v (T, D) (already rotated for rope), scale = 1/sqrt(D). Writes y (T, D) and lse (T).
// `counter` (optional) counts the working memory; `trace` (optional) receives every tile in order.
void flashHeadForward(const Mat& q, const Mat& k, const Mat& v, float scale, FlashBlocks blocks, Mat& y,
                      ColVec& lse, MemoryCounter* counter = nullptr, std::vector<FlashTile>* trace = nullptr);

// The whole op, same contract as causalSelfAttention: (B*T, C + 2K) -> (B*T, C) (3C columns for multi-head;
// grouped-query heads as in attention.h), with its tiled backward.
// `keep` (optional) receives the probabilities rebuilt from the saved log-sum-exps (for display only: the
// op itself never holds them).
Var flashSelfAttention(const Var& qkv, int B, int T, Heads heads, bool rope, FlashBlocks blocks = {},
                       AttentionMaps* keep = nullptr);

// Dispatch used by the models: Standard -> causalSelfAttention, Flash -> flashSelfAttention.
Var selfAttention(AttentionKernel kernel, const Var& qkv, int B, int T, Heads heads, bool rope,
                  AttentionMaps* keep = nullptr, FlashBlocks blocks = {});

// While a probe lives, every selfAttention() call on this thread reports the bytes it allocated at its peak
// (inputs excluded, output and everything kept for backward included); the probe keeps the largest.
class AttentionMemoryProbe {
public:
    AttentionMemoryProbe();
    ~AttentionMemoryProbe();
    AttentionMemoryProbe(const AttentionMemoryProbe&) = delete;
    AttentionMemoryProbe& operator=(const AttentionMemoryProbe&) = delete;
    size_t peakBytes() const { return m_peak; }
    int calls() const { return m_calls; }
    void report(size_t bytes);

private:
    AttentionMemoryProbe* m_previous;
    size_t m_peak = 0;
    int m_calls = 0;
};

// The standard kernel's buffers, counted from causalSelfAttention's allocations: the (B*T, C) output, per head
// the rotated q and k copies (T, D) and the probabilities (T, T), and the rope tables (T, D).
size_t standardAttentionBytes(int B, int T, int H, int D, bool rope);

// Peak bytes of one attention op over one sequence of T tokens (H heads of width D), measured by running
// the kernel on a random input under a probe (no grad).
size_t measureAttentionPeakBytes(AttentionKernel kernel, int T, int H, int D, FlashBlocks blocks = {});

}  // namespace ar::nn
