#!/usr/bin/env python3
"""PyTorch reference for one TinyGPT training step (issue #10's training target): a nanoGPT-shaped model
(learned positions, pre-LN blocks, exact GELU, lm_head tied to wte, no dropout) on random token batches, cross
entropy, backward, AdamW (lr 3e-3, weight decay 0.1, betas 0.9/0.95), eager mode.

    python3 tests/bench/pytorch_train.py [--layers 4] [--heads 4] [--embd 128] [--context 64] [--batch 12]
                                         [--vocab 32] [--steps 30] [--threads 1]

Prints the median and best milliseconds per step (after 3 warm-up steps), one JSON line per thread count.
The arlab side of the comparison is `arlab-cli train tinygpt` timed as a whole process (the command is in
the README's engine section). Not part of CI.
Debian: apt-get install python3-torch libopenblas0-pthread (run with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset).
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, C, H):
        super().__init__()
        self.H = H
        self.ln_1, self.ln_2 = nn.LayerNorm(C), nn.LayerNorm(C)
        self.c_attn, self.c_proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
        self.c_fc, self.mlp_proj = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)

    def forward(self, x):
        B, T, C = x.shape
        D = C // self.H
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)
        q, k, v = (t.view(B, T, self.H, D).transpose(1, 2) for t in (q, k, v))   # (B, H, T, D)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(D))
        mask = torch.ones(T, T, dtype=torch.bool).tril()
        att = F.softmax(att.masked_fill(~mask, float("-inf")), dim=-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, C)
        x = x + self.c_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x))))


class Gpt(nn.Module):
    def __init__(self, L, H, C, T, V):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, C), nn.Embedding(T, C)
        self.blocks = nn.ModuleList(Block(C, H) for _ in range(L))
        self.ln_f = nn.LayerNorm(C)

    def forward(self, idx):
        T = idx.shape[1]
        x = self.wte(idx) + self.wpe(torch.arange(T))
        for b in self.blocks:
            x = b(x)
        return F.linear(self.ln_f(x), self.wte.weight)   # lm_head tied to wte


def main():
    ap = argparse.ArgumentParser()
    for name, default in (("layers", 4), ("heads", 4), ("embd", 128), ("context", 64), ("batch", 12), ("vocab", 32),
                          ("steps", 30)):
        ap.add_argument("--" + name, type=int, default=default)
    ap.add_argument("--threads", default="1")
    a = ap.parse_args()
    torch.manual_seed(1)
    for threads in [int(x) for x in a.threads.split(",")]:
        torch.set_num_threads(threads)
        model = Gpt(a.layers, a.heads, a.embd, a.context, a.vocab)
        opt = torch.optim.AdamW(model.parameters(), lr=3e-3, betas=(0.9, 0.95), weight_decay=0.1)
        times = []
        for step in range(a.steps + 3):
            x = torch.randint(a.vocab, (a.batch, a.context))
            y = torch.randint(a.vocab, (a.batch, a.context))
            t0 = time.perf_counter()
            loss = F.cross_entropy(model(x).view(-1, a.vocab), y.view(-1))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            if step >= 3:
                times.append(time.perf_counter() - t0)
        times.sort()
        print(json.dumps({"threads": threads, "median_ms": times[len(times) // 2] * 1e3, "best_ms": times[0] * 1e3}))


if __name__ == "__main__":
    main()
