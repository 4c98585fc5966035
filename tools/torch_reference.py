#!/usr/bin/env python3
"""Independent PyTorch reference for the Qwen2 / LLaMA decoder in src/nn (no
`transformers` needed): the same forward pass as Hugging Face's Qwen2ForCausalLM, written
out in plain torch, on a config.json + model.safetensors directory.

Subcommands
  make-fixtures OUT   write the parity fixtures (random Qwen2-shaped models, tied and
                      untied) under OUT/<variant>/: config.json, model.safetensors,
                      inputs.json, expected.safetensors (logits, loss, grad.<param>)
  run DIR INPUTS OUT  forward + backward of DIR's model on INPUTS (json: ids, mask)
  bench CONFIG B T R  time R forward passes (random weights, f32, no grad) of a
                      config.json at batch B and length T, logits of the last position
                      only (what a prefill needs); prints JSON (used by bench/model.ts)

The reference computes in float64 (so it measures our float32 error, not torch's) and
stores results as float32. Conventions followed (as in transformers' Qwen2):
  - RMSNorm: w * x / sqrt(mean(x^2) + eps), eps inside the square root
  - RoPE: inv_freq_i = theta^(-2i/D), rotate-half (x1*cos - x2*sin, x2*cos + x1*sin)
  - GQA: query head h uses kv head h // (Hq / Hkv)   (repeat_kv)
  - position_ids = cumsum(attention_mask) - 1, padding slots set to 1
  - padding keys masked with the dtype's most negative value; causal mask; a padding
    query attends to its own key only (the rows no real token reads)
  - loss: mean next-token cross-entropy over pairs whose input and target are both real
"""
import json
import struct
import sys
import time
from pathlib import Path

import numpy as np
import torch

DT = torch.float64


# ------------------------------------------------------------------ safetensors

def read_safetensors(path):
    raw = Path(path).read_bytes()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    out = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        assert info['dtype'] == 'F32', f'{path}: {name}: only F32 supported here'
        b, e = info['data_offsets']
        out[name] = np.frombuffer(data[b:e], dtype='<f4').reshape(info['shape']).copy()
    return out


def write_safetensors(path, tensors):
    names = sorted(tensors)
    header = {'__metadata__': {'format': 'pt'}}
    off = 0
    blobs = []
    for n in names:
        a = np.ascontiguousarray(tensors[n], dtype='<f4')
        header[n] = {'dtype': 'F32', 'shape': list(a.shape), 'data_offsets': [off, off + a.nbytes]}
        off += a.nbytes
        blobs.append(a.tobytes())
    h = json.dumps(header, separators=(',', ':'))
    h += ' ' * ((8 - (len(h) + 8) % 8) % 8)
    Path(path).write_bytes(struct.pack('<Q', len(h)) + h.encode() + b''.join(blobs))


# ------------------------------------------------------------------ model

def param_shapes(c):
    d = c['hidden_size']
    hd = c.get('head_dim') or d // c['num_attention_heads']
    q = c['num_attention_heads'] * hd
    kv = c['num_key_value_heads'] * hd
    f = c['intermediate_size']
    bias = c.get('attention_bias', c.get('model_type') != 'llama')
    out = [('model.embed_tokens.weight', [c['vocab_size'], d])]
    for i in range(c['num_hidden_layers']):
        p = f'model.layers.{i}.'
        out.append((p + 'input_layernorm.weight', [d]))
        out.append((p + 'self_attn.q_proj.weight', [q, d]))
        if bias:
            out.append((p + 'self_attn.q_proj.bias', [q]))
        out.append((p + 'self_attn.k_proj.weight', [kv, d]))
        if bias:
            out.append((p + 'self_attn.k_proj.bias', [kv]))
        out.append((p + 'self_attn.v_proj.weight', [kv, d]))
        if bias:
            out.append((p + 'self_attn.v_proj.bias', [kv]))
        out.append((p + 'self_attn.o_proj.weight', [d, q]))
        out.append((p + 'post_attention_layernorm.weight', [d]))
        out.append((p + 'mlp.gate_proj.weight', [f, d]))
        out.append((p + 'mlp.up_proj.weight', [f, d]))
        out.append((p + 'mlp.down_proj.weight', [d, f]))
    out.append(('model.norm.weight', [d]))
    if not c.get('tie_word_embeddings', False):
        out.append(('lm_head.weight', [c['vocab_size'], d]))
    return out


def rms_norm(x, w, eps):
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def forward(c, P, ids, mask, last_only=False):
    """Logits [B, T, V] (or [B, 1, V] with last_only); P maps HF names to tensors."""
    B, T = ids.shape
    d = c['hidden_size']
    H = c['num_attention_heads']
    Hkv = c['num_key_value_heads']
    D = c.get('head_dim') or d // H
    rep = H // Hkv
    eps = c['rms_norm_eps']
    dtype = P['model.embed_tokens.weight'].dtype

    pos = mask.long().cumsum(-1) - 1
    pos = pos.masked_fill(mask == 0, 1)
    inv_freq = 1.0 / (c['rope_theta'] ** (torch.arange(0, D, 2, dtype=DT) / D))
    freqs = pos.to(DT)[..., None] * inv_freq
    emb = torch.cat((freqs, freqs), dim=-1)
    cos = emb.cos().to(dtype)[:, None]
    sin = emb.sin().to(dtype)[:, None]

    causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
    # a padding query sees only its own key (HF leaves fully masked rows to the backend:
    # eager averages every value, sdpa unmasks the row); real queries are unaffected
    eye = torch.eye(T, dtype=torch.bool)
    allowed = causal[None, None] & ((mask[:, None, None, :] != 0) | eye[None, None])
    neg = torch.finfo(dtype).min
    bias = torch.zeros(B, 1, T, T, dtype=dtype).masked_fill(~allowed, neg)

    def lin(x, name, b=None):
        y = x @ P[name].T
        if b is not None and b in P:
            y = y + P[b]
        return y

    h = P['model.embed_tokens.weight'][ids]
    for i in range(c['num_hidden_layers']):
        p = f'model.layers.{i}.'
        x = rms_norm(h, P[p + 'input_layernorm.weight'], eps)
        q = lin(x, p + 'self_attn.q_proj.weight', p + 'self_attn.q_proj.bias').view(B, T, H, D).transpose(1, 2)
        k = lin(x, p + 'self_attn.k_proj.weight', p + 'self_attn.k_proj.bias').view(B, T, Hkv, D).transpose(1, 2)
        v = lin(x, p + 'self_attn.v_proj.weight', p + 'self_attn.v_proj.bias').view(B, T, Hkv, D).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        # repeat_kv: [B, Hkv, T, D] -> [B, Hkv, rep, T, D] -> [B, H, T, D]
        k = k[:, :, None].expand(B, Hkv, rep, T, D).reshape(B, H, T, D)
        v = v[:, :, None].expand(B, Hkv, rep, T, D).reshape(B, H, T, D)
        s = (q @ k.transpose(-1, -2)) / (D ** 0.5) + bias
        a = torch.softmax(s, dim=-1) @ v
        a = a.transpose(1, 2).reshape(B, T, H * D)
        h = h + lin(a, p + 'self_attn.o_proj.weight')
        y = rms_norm(h, P[p + 'post_attention_layernorm.weight'], eps)
        g = lin(y, p + 'mlp.gate_proj.weight')
        u = lin(y, p + 'mlp.up_proj.weight')
        h = h + lin(torch.nn.functional.silu(g) * u, p + 'mlp.down_proj.weight')
    if last_only:
        h = h[:, -1:]
    h = rms_norm(h, P['model.norm.weight'], eps)
    head = P['model.embed_tokens.weight'] if c.get('tie_word_embeddings', False) else P['lm_head.weight']
    return h @ head.T


def next_token_loss(logits, ids, mask):
    """Mean cross-entropy of ids[:, t+1] given the prefix, over pairs where both are real."""
    tgt = ids[:, 1:].clone()
    ok = (mask[:, 1:] != 0) & (mask[:, :-1] != 0)
    tgt[~ok] = -100
    V = logits.shape[-1]
    return torch.nn.functional.cross_entropy(logits[:, :-1].reshape(-1, V), tgt.reshape(-1), ignore_index=-100)


def run(c, weights, ids, mask):
    P = {n: torch.tensor(w, dtype=DT, requires_grad=True) for n, w in weights.items()}
    ids_t = torch.tensor(ids, dtype=torch.long)
    mask_t = torch.tensor(mask, dtype=torch.long)
    logits = forward(c, P, ids_t, mask_t)
    loss = next_token_loss(logits, ids_t, mask_t)
    loss.backward()
    out = {'logits': logits.detach().numpy(), 'loss': loss.detach().numpy().reshape(1)}
    for n, t in P.items():
        out['grad.' + n] = t.grad.numpy()
    return out


# ------------------------------------------------------------------ fixtures

VARIANTS = {
    # Qwen2-shaped: attention bias, tied embeddings
    'qwen2-tied': dict(model_type='qwen2', vocab_size=96, hidden_size=32, intermediate_size=48, num_hidden_layers=2,
                       num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64, rope_theta=10000.0,
                       rms_norm_eps=1e-6, tie_word_embeddings=True, attention_bias=True),
    # untied head, no attention bias (LLaMA-style), other rope base and eps
    'llama-untied': dict(model_type='llama', vocab_size=96, hidden_size=32, intermediate_size=48, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64, rope_theta=500.0,
                         rms_norm_eps=1e-5, tie_word_embeddings=False, attention_bias=False),
}


def random_weights(c, rng):
    w = {}
    for name, shape in param_shapes(c):
        if name.endswith('norm.weight'):
            a = 1.0 + 0.2 * rng.standard_normal(shape)
        elif name.endswith('.bias'):
            a = 0.2 * rng.standard_normal(shape)
        elif name.endswith('embed_tokens.weight'):
            a = 0.3 * rng.standard_normal(shape)  # logits of std ~1.7 when tied
        else:
            a = rng.standard_normal(shape) * (1.0 / np.sqrt(shape[1]))
        w[name] = a.astype(np.float32)
    return w


def make_fixtures(out_dir):
    out_dir = Path(out_dir)
    rng = np.random.default_rng(20261126)
    B, T = 3, 10
    pads = [0, 3, 1]  # left padding per row
    for vname, c in VARIANTS.items():
        d = out_dir / vname
        d.mkdir(parents=True, exist_ok=True)
        w = random_weights(c, rng)
        ids = rng.integers(1, c['vocab_size'], size=(B, T))
        mask = np.ones((B, T), dtype=np.int64)
        for b, p in enumerate(pads):
            ids[b, :p] = 0
            mask[b, :p] = 0
        res = run(c, w, ids, mask)
        (d / 'config.json').write_text(json.dumps(c, indent=2) + '\n')
        write_safetensors(d / 'model.safetensors', w)
        (d / 'inputs.json').write_text(json.dumps({'ids': ids.tolist(), 'mask': mask.tolist()}) + '\n')
        write_safetensors(d / 'expected.safetensors', res)
        print(f'{d}: loss {float(res["loss"][0]):.6f}')


def bench(config_path, B, T, reps):
    c = json.loads(Path(config_path).read_text())
    torch.manual_seed(0)
    global DT
    DT = torch.float32
    P = {}
    for name, shape in param_shapes(c):
        P[name] = torch.randn(*shape) * 0.02
    ids = torch.randint(0, c['vocab_size'], (B, T))
    mask = torch.ones(B, T, dtype=torch.long)
    with torch.no_grad():
        forward(c, P, ids, mask, last_only=True)  # warm-up
        t0 = time.perf_counter()
        for _ in range(reps):
            forward(c, P, ids, mask, last_only=True)
        dt = (time.perf_counter() - t0) / reps
    print(json.dumps({'batch': B, 'length': T, 'seconds': dt, 'tokens_per_s': B * T / dt, 'threads': torch.get_num_threads(),
                      'torch': torch.__version__}))


def main(argv):
    if len(argv) >= 2 and argv[0] == 'make-fixtures':
        make_fixtures(argv[1])
    elif len(argv) >= 4 and argv[0] == 'run':
        c = json.loads((Path(argv[1]) / 'config.json').read_text())
        w = read_safetensors(Path(argv[1]) / 'model.safetensors')
        inp = json.loads(Path(argv[2]).read_text())
        write_safetensors(argv[3], run(c, w, np.array(inp['ids']), np.array(inp['mask'])))
    elif len(argv) >= 5 and argv[0] == 'bench':
        bench(argv[1], int(argv[2]), int(argv[3]), int(argv[4]))
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
