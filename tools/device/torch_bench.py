#!/usr/bin/env python3
"""PyTorch baselines for tools/device-check.sh, on the same card, fp32 with TF32 off.

Usage: torch_bench.py SECTION OUT.json [ARG] [--tiny]
  SECTION: kernels (matmul squares + Qwen2.5-0.5B projections, SDPA causal fwd/bwd at
           T = 256..4096, softmax and log_softmax+gather rows) or train (one step, forward +
           cross-entropy + backward, of transformers' Qwen2ForCausalLM with the tiny preset's and
           Qwen2.5-0.5B's configs, random init; ARG: the cases as JSON) or parity (ARG: the
           directory tools/device/parity.mjs wrote: logits of our 0.5B-shaped checkpoint).
Writes {"skipped": reason} when torch / CUDA / transformers is missing, so the caller goes on.
Rates: matmul 2MNK/t; attention 4 B H D T(T+1)/2 / t (causal fwd, bwd counted 2.5x);
softmax 2 rows cols 4 bytes / t; log-prob rows V 4 bytes / t.
"""
import json
import sys
import time


def out(path, obj):
    with open(path, 'w') as f:
        json.dump(obj, f, indent=2)
    print(json.dumps(obj)[:2000])


def timed(fn, sync, reps):
    fn()
    sync()
    t = time.perf_counter()
    for _ in range(reps):
        fn()
    sync()
    return (time.perf_counter() - t) / reps * 1000


def main():
    section, path = sys.argv[1], sys.argv[2]
    tiny = '--tiny' in sys.argv
    try:
        import torch
    except ImportError:
        return out(path, {'skipped': 'no torch'})
    dev = 'cuda' if torch.cuda.is_available() else None
    if dev is None and not tiny:
        return out(path, {'skipped': 'no CUDA device'})
    dev = dev or 'cpu'
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    sync = torch.cuda.synchronize if dev == 'cuda' else (lambda: None)
    card = torch.cuda.get_device_name(0) if dev == 'cuda' else 'cpu'
    reps = 2 if tiny else 10
    rows = []
    if section == 'kernels':
        sq = [128] if tiny else [1024, 2048, 4096, 8192]
        shapes = [(n, n, n, f'{n}x{n} @ {n}x{n}') for n in sq]
        if not tiny:
            shapes += [(1024, 4864, 896, 'qwen0.5b ffn-up'), (1024, 896, 4864, 'qwen0.5b ffn-down'), (1024, 151936, 896, 'qwen0.5b lm-head')]
        for M, N, K, name in shapes:
            a = torch.randn(M, K, device=dev)
            b = torch.randn(K, N, device=dev)
            ms = timed(lambda: a @ b, sync, reps)
            rows.append({'suite': 'matmul', 'case': name, 'ms': ms, 'rate': 2 * M * N * K / ms / 1e6, 'unit': 'GFLOP/s'})
        F = torch.nn.functional
        for T in ([64] if tiny else [256, 1024, 2048, 4096]):
            B, H, D = 1, 4, (8 if tiny else 64)
            q, k, v = (torch.randn(B, H, T, D, device=dev, requires_grad=True) for _ in range(3))
            flops = 4 * B * H * D * T * (T + 1) / 2
            ms = timed(lambda: F.scaled_dot_product_attention(q, k, v, is_causal=True), sync, reps)
            rows.append({'suite': 'attention', 'case': f'B{B} H{H} T{T} D{D} fwd', 'ms': ms, 'rate': flops / ms / 1e6, 'unit': 'GFLOP/s'})
            o = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            g = torch.randn_like(o)
            ms = timed(lambda: torch.autograd.grad(o, (q, k, v), g, retain_graph=True), sync, reps)
            rows.append({'suite': 'attention', 'case': f'B{B} H{H} T{T} D{D} bwd', 'ms': ms, 'rate': 2.5 * flops / ms / 1e6, 'unit': 'GFLOP/s'})
        for r, c in ([(256, 256)] if tiny else [(4096, 1024)]):
            x = torch.randn(r, c, device=dev)
            ms = timed(lambda: torch.softmax(x, -1), sync, reps)
            rows.append({'suite': 'softmax', 'case': f'[{r},{c}]', 'ms': ms, 'rate': 2 * r * c * 4 / ms / 1e6, 'unit': 'GB/s'})
        for r, V in ([(16, 2048)] if tiny else [(512, 32000), (512, 151936)]):
            x = torch.randn(r, V, device=dev)
            t = torch.randint(0, V, (r, 1), device=dev)
            ms = timed(lambda: torch.log_softmax(x, -1).gather(1, t), sync, reps)
            rows.append({'suite': 'logprob', 'case': f'[{r},{V}]', 'ms': ms, 'rate': r * V * 4 / ms / 1e6, 'unit': 'GB/s'})
        return out(path, {'card': card, 'torch': torch.__version__, 'rows': rows})
    if section == 'train':
        try:
            import transformers
        except ImportError:
            return out(path, {'skipped': 'no transformers', 'card': card, 'torch': torch.__version__})
        cfgs = json.loads(sys.argv[3]) if len(sys.argv) > 3 and not sys.argv[3].startswith('--') else None
        for name, cfg, B, T in cfgs:
            conf = transformers.Qwen2Config(**{k: v for k, v in cfg.items() if k not in ('architectures', 'model_type')})
            torch.manual_seed(0)
            m = transformers.Qwen2ForCausalLM(conf).to(dev).float()
            ids = torch.randint(0, conf.vocab_size, (B, T), device=dev)

            def step():
                loss = m(input_ids=ids, labels=ids).loss
                loss.backward()
                m.zero_grad(set_to_none=True)
            ms = timed(step, sync, 2 if tiny else 5)
            rows.append({'model': name, 'batch': B, 'seq': T, 'ms': ms, 'tokensPerS': B * T / ms * 1000})
            del m
            if dev == 'cuda':
                torch.cuda.empty_cache()
        return out(path, {'card': card, 'torch': torch.__version__, 'transformers': transformers.__version__, 'rows': rows})
    if section == 'parity':
        return parity(path, sys.argv[3], dev, card, torch)
    out(path, {'skipped': f'unknown section {section}'})


def parity(path, d, dev, card, torch):
    """Logits of tools/device/parity.mjs's checkpoint DIR through transformers' Qwen2ForCausalLM,
    in float32 (TF32 off) and float64 (the reference), against ours (DIR/ours.f32):
    err(x, ref) = max |x - ref| / max |ref| over all B x T x V logits."""
    import os
    try:
        import transformers
        import numpy as np
    except ImportError as e:
        return out(path, {'skipped': f'no {e.name}', 'card': card})
    meta = json.load(open(os.path.join(d, 'ids.json')))
    B, T = meta['B'], meta['T']
    ids = torch.tensor(meta['ids'], dtype=torch.long, device=dev).view(B, T)
    ours = torch.from_numpy(np.fromfile(os.path.join(d, 'ours.f32'), dtype=np.float32).copy()).to(dev).double()
    m = transformers.Qwen2ForCausalLM.from_pretrained(d, attn_implementation='eager').to(dev).float().eval()
    with torch.no_grad():
        l32 = m(input_ids=ids).logits.double().reshape(-1)
        m = m.double()
        l64 = m(input_ids=ids).logits.reshape(-1)
    if ours.numel() != l64.numel():
        return out(path, {'card': card, 'error': f'ours has {ours.numel()} logits, transformers {l64.numel()}'})
    scale = l64.abs().max().item()
    err = lambda x, r: (x - r).abs().max().item() / scale
    cfg = m.config
    return out(path, {'card': card, 'torch': torch.__version__, 'transformers': transformers.__version__,
                      'layers': cfg.num_hidden_layers, 'vocab': cfg.vocab_size, 'hidden': cfg.hidden_size, 'B': B, 'T': T,
                      'maxAbsLogit': scale, 'oursVsFloat64': err(ours, l64), 'torchFloat32VsFloat64': err(l32, l64),
                      'oursVsTorchFloat32': err(ours, l32),
                      'argmaxAgree': (ours.view(B * T, -1).argmax(-1) == l64.view(B * T, -1).argmax(-1)).double().mean().item()})


if __name__ == '__main__':
    main()
