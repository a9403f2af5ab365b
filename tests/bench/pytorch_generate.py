#!/usr/bin/env python3
"""PyTorch reference for bench_core_generate: the same TinyGPT file (nanoGPT state_dict names), a KV-cached
greedy loop in eager mode, one thread and all threads.

    python3 tests/bench/pytorch_generate.py FILE.safetensors [--steps N] [--threads 1,2]

Prints, per thread count, the cost per token (mean over tokens 2..N of the loop, best of 3) and the greedy
tokens (to compare with `arlab-cli generate FILE --temperature 0 --json`). Not part of CI.
Debian: apt-get install python3-torch libopenblas0-pthread (run with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset).
"""
import argparse
import json
import math
import struct
import time

import torch
import torch.nn.functional as F


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    tensors = {}
    for name, e in header.items():
        assert e["dtype"] == "F32", name
        b, end = e["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[base + b:base + end]), dtype=torch.float32).reshape(e["shape"])
    return json.loads(meta["arlab.config"]), tensors


class Gpt:
    def __init__(self, cfg, t):
        assert cfg.get("pos", "learned") == "learned", "only learned positions"
        self.L, self.H, self.C = cfg["n_layer"], cfg["n_head"], cfg["n_embd"]
        self.ctx, self.bos = cfg["block_size"], cfg["bos"]
        self.t = t
        self.blocks = [{k: t["transformer.h.%d.%s" % (l, k)] for k in (
            "ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight",
            "attn.c_proj.bias", "ln_2.weight", "ln_2.bias", "mlp.c_fc.weight", "mlp.c_fc.bias",
            "mlp.c_proj.weight", "mlp.c_proj.bias")} for l in range(self.L)]

    def new_cache(self):
        return [(torch.empty(self.ctx, self.C), torch.empty(self.ctx, self.C)) for _ in range(self.L)]

    @torch.no_grad()
    def step(self, token, pos, cache):
        C, H = self.C, self.H
        D = C // H
        t = self.t
        x = (t["transformer.wte.weight"][token] + t["transformer.wpe.weight"][pos]).view(1, C)
        for b, (K, V) in zip(self.blocks, cache):
            h = F.layer_norm(x, (C,), b["ln_1.weight"], b["ln_1.bias"], 1e-5)
            q, k, v = F.linear(h, b["attn.c_attn.weight"], b["attn.c_attn.bias"]).split(C, dim=1)
            K[pos] = k[0]
            V[pos] = v[0]
            n = pos + 1
            kh = K[:n].view(n, H, D).transpose(0, 1)             # (H, n, D)
            vh = V[:n].view(n, H, D).transpose(0, 1)             # (H, n, D)
            att = (q.view(H, 1, D) @ kh.transpose(1, 2)) * (1.0 / math.sqrt(D))
            y = (F.softmax(att, dim=-1) @ vh).transpose(0, 1).reshape(1, C)
            x = x + F.linear(y, b["attn.c_proj.weight"], b["attn.c_proj.bias"])
            h = F.layer_norm(x, (C,), b["ln_2.weight"], b["ln_2.bias"], 1e-5)
            h = F.gelu(F.linear(h, b["mlp.c_fc.weight"], b["mlp.c_fc.bias"]))
            x = x + F.linear(h, b["mlp.c_proj.weight"], b["mlp.c_proj.bias"])
        x = F.layer_norm(x, (C,), t["transformer.ln_f.weight"], t["transformer.ln_f.bias"], 1e-5)
        return F.linear(x, t["transformer.wte.weight"])[0]


def greedy(model, steps):
    cache = model.new_cache()
    token, out, times = model.bos, [], []
    for pos in range(steps):
        t0 = time.perf_counter()
        token = int(model.step(token, pos, cache).argmax())
        times.append(time.perf_counter() - t0)
        out.append(token)
    return out, times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--steps", type=int, default=65)
    ap.add_argument("--threads", default="1,%d" % torch.get_num_threads())
    a = ap.parse_args()
    cfg, tensors = load(a.file)
    model = Gpt(cfg, tensors)
    steps = min(a.steps, model.ctx)
    for threads in [int(x) for x in a.threads.split(",")]:
        torch.set_num_threads(threads)
        best = None
        for _ in range(3):
            tokens, times = greedy(model, steps)
            per = sum(times[1:]) / (len(times) - 1)
            best = per if best is None else min(best, per)
        print(json.dumps({"file": a.file, "threads": threads, "per_token_us": best * 1e6, "tokens": tokens}))


if __name__ == "__main__":
    main()
