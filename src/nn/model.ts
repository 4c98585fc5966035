// A decoder-only transformer of the Qwen2 / LLaMA family. Parameters are kept by their
// Hugging Face names (model.layers.0.self_attn.q_proj.weight, ...) so a safetensors
// checkpoint maps onto them one to one, in both directions.
import type { Gpu } from '../gpu/index.js';
import * as T from '../tensor/index.js';
import type { Tensor } from '../tensor/index.js';
import { checkConfig, headDim, type ModelConfig } from './config.js';
import { causalAttention, linear, rmsNorm, swiglu } from './layers.js';
import { KVCache } from './kv-cache.js';
import { attentionDecode } from '../kernels/attention.js';

/** One query per sequence against rows 0..len-1 of its cache (fused split-K kernel); q [B, Hq, 1, D]. */
function decodeAttention(q: Tensor, kc: Tensor, vc: Tensor, lengths: Tensor): Tensor {
  const [B, Hq, , D] = q.shape;
  const [, Hkv, Tmax] = kc.shape;
  const qd = q.isContiguous && q.offset === 0 ? q.share() : q.contiguousCopy();
  const out = T.empty(q.gpu, [B, Hq, 1, D]);
  attentionDecode(q.gpu, { q: qd.storage!.buffer, kCache: kc.storage!.buffer, vCache: vc.storage!.buffer, lengths: lengths.storage!.buffer, out: out.storage!.buffer, B, Hq, Hkv, Tmax, D });
  qd.dispose();
  return out;
}

export interface ForwardOptions {
  /** decode with (and append to) this cache; positions continue from cache.length */
  cache?: KVCache;
  /** [B, Tk] 1 = real token, 0 = padding, over all keys (cached + new) */
  keyValid?: Float32Array;
  /** [B, T] rotary positions of the new tokens (default: start + t) */
  positions?: Float32Array;
  /** return the final hidden states [B, T, d] instead of logits */
  hiddenOnly?: boolean;
  /**
   * Compact cache layout (the sampler's): the cache row of each new token [B * T] (-1: a
   * padding token, not stored). A prefill (T > 1, empty cache) attends over its own keys
   * with `keyValid`; a decode step (T = 1) attends to rows 0..row of its sequence with the
   * fused decode kernel. Inference only.
   */
  cacheRows?: Int32Array;
}

export class Transformer {
  readonly config: ModelConfig;
  readonly params = new Map<string, Tensor>();

  constructor(
    readonly gpu: Gpu,
    config: ModelConfig,
    params: Map<string, Tensor>,
  ) {
    this.config = checkConfig(config);
    for (const [name, shape] of Transformer.parameterShapes(this.config)) {
      const t = params.get(name);
      if (!t) throw new Error(`model: missing parameter '${name}' (expected shape [${shape.join(', ')}])`);
      if (t.shape.join() !== shape.join()) throw new Error(`model: parameter '${name}' has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`);
      this.params.set(name, T.keep(t));
    }
  }

  /** Every parameter's HF name and shape, in a stable order. */
  static parameterShapes(c: ModelConfig): [string, number[]][] {
    const d = c.hidden_size, hd = headDim(c), q = c.num_attention_heads * hd, kv = c.num_key_value_heads * hd, f = c.intermediate_size;
    const out: [string, number[]][] = [['model.embed_tokens.weight', [c.vocab_size, d]]];
    for (let i = 0; i < c.num_hidden_layers; i++) {
      const p = `model.layers.${i}.`;
      out.push([p + 'input_layernorm.weight', [d]]);
      out.push([p + 'self_attn.q_proj.weight', [q, d]]);
      if (c.attention_bias) out.push([p + 'self_attn.q_proj.bias', [q]]);
      out.push([p + 'self_attn.k_proj.weight', [kv, d]]);
      if (c.attention_bias) out.push([p + 'self_attn.k_proj.bias', [kv]]);
      out.push([p + 'self_attn.v_proj.weight', [kv, d]]);
      if (c.attention_bias) out.push([p + 'self_attn.v_proj.bias', [kv]]);
      out.push([p + 'self_attn.o_proj.weight', [d, q]]);
      out.push([p + 'post_attention_layernorm.weight', [d]]);
      out.push([p + 'mlp.gate_proj.weight', [f, d]]);
      out.push([p + 'mlp.up_proj.weight', [f, d]]);
      out.push([p + 'mlp.down_proj.weight', [d, f]]);
    }
    out.push(['model.norm.weight', [d]]);
    if (!c.tie_word_embeddings) out.push(['lm_head.weight', [c.vocab_size, d]]);
    return out;
  }

  /** Random initialisation (normal(0, 0.02) weights, unit norms, zero biases), seeded. */
  static init(gpu: Gpu, config: ModelConfig, seed = 0): Transformer {
    const c = checkConfig(config);
    T.manualSeed(seed);
    const params = new Map<string, Tensor>();
    for (const [name, shape] of Transformer.parameterShapes(c)) {
      let t: Tensor;
      if (name.endsWith('norm.weight')) t = T.ones(gpu, shape).realise();
      else if (name.endsWith('.bias')) t = T.zeros(gpu, shape).realise();
      else {
        const r = T.randn(gpu, shape, 0, 0.02);
        t = r;
      }
      params.set(name, t);
    }
    return new Transformer(gpu, c, params);
  }

  parameters(): Tensor[] {
    return [...this.params.values()];
  }

  numParameters(): number {
    let n = 0;
    for (const t of this.params.values()) n += t.size;
    return n;
  }

  setRequiresGrad(flag: boolean): void {
    for (const t of this.params.values()) t.requiresGrad = flag;
  }

  p(name: string): Tensor {
    const t = this.params.get(name);
    if (!t) throw new Error(`model: no parameter '${name}'`);
    return t;
  }

  /** Logits [B, T, V] for token ids [B][T] (all rows the same length). */
  forward(ids: Int32Array, B: number, Tn: number, opts: ForwardOptions = {}): Tensor {
    const c = this.config;
    const hd = headDim(c);
    const start = opts.cache ? opts.cache.length : 0;
    if (ids.length !== B * Tn) throw new Error(`forward: ${ids.length} ids for batch ${B} x ${Tn}`);
    if (opts.cache && start + Tn > opts.cache.maxLength) {
      throw new Error(`forward: cache holds ${opts.cache.maxLength} positions, ${start} used, ${Tn} more requested`);
    }
    const Tk = start + Tn;
    const positions = opts.positions ?? Float32Array.from({ length: B * Tn }, (_, i) => start + (i % Tn));
    return T.tidy(() => {
      const idsT = T.tensor(this.gpu, ids, [B * Tn], 'i32');
      let h = T.reshape(T.indexSelect(this.p('model.embed_tokens.weight'), 0, idsT), [B, Tn, c.hidden_size]);
      const posInt = Int32Array.from(positions);
      const compact = !!(opts.cache && opts.cacheRows);
      if (compact && opts.cacheRows!.length !== B * Tn) throw new Error(`forward: ${opts.cacheRows!.length} cache rows for ${B} x ${Tn} tokens`);
      if (compact && Tn > 1 && start !== 0) throw new Error('forward: a compact-cache prefill must start from an empty cache');
      const rowsT = compact ? T.tensor(this.gpu, opts.cacheRows!, [B, Tn], 'i32') : null;
      const lengthsT = compact && Tn === 1 ? T.tensor(this.gpu, Int32Array.from(opts.cacheRows!, (r) => r + 1), [B], 'i32') : null;
      // an all-ones mask masks nothing: drop it so the fused attention kernel can run
      const masked = opts.keyValid && opts.keyValid.some((v) => v !== 1);
      const keyValid = masked ? T.tensor(this.gpu, opts.keyValid!, [B, Tk]) : null;
      for (let i = 0; i < c.num_hidden_layers; i++) {
        const p = (n: string) => this.p(`model.layers.${i}.${n}`);
        const opt = (n: string) => this.params.get(`model.layers.${i}.${n}`) ?? null;
        const x = rmsNorm(h, p('input_layernorm.weight'), c.rms_norm_eps);
        const heads = (t: Tensor, n: number) => T.permute(T.reshape(t, [B, Tn, n, hd]), [0, 2, 1, 3]);
        let q = heads(linear(x, p('self_attn.q_proj.weight'), opt('self_attn.q_proj.bias')), c.num_attention_heads);
        let k = heads(linear(x, p('self_attn.k_proj.weight'), opt('self_attn.k_proj.bias')), c.num_key_value_heads);
        let v = heads(linear(x, p('self_attn.v_proj.weight'), opt('self_attn.v_proj.bias')), c.num_key_value_heads);
        q = T.ropeFused(q, posInt, c.rope_theta);
        k = T.ropeFused(k, posInt, c.rope_theta);
        let a: Tensor;
        if (rowsT) {
          // compact cache: store the real tokens; a decode step reads its sequence's rows
          opts.cache!.scatter(i, k, v, rowsT);
          if (Tn === 1) {
            const { k: kc, v: vc } = opts.cache!.raw(i);
            a = decodeAttention(q, kc, vc, lengthsT!);
          } else a = keyValid ? causalAttention(q, k, v, 0, keyValid) : T.attentionFused(q, k, v);
        } else {
          if (opts.cache) {
            opts.cache.write(i, k, v, start);
            k = opts.cache.keys(i, Tk);
            v = opts.cache.values(i, Tk);
          }
          // padding masks need the composite path; unpadded (training, equal-length) batches
          // take the fused flash-style kernel
          a = keyValid ? causalAttention(q, k, v, start, keyValid) : T.attentionFused(q, k, v);
        }
        const merged = T.reshape(T.permute(a, [0, 2, 1, 3]), [B, Tn, c.num_attention_heads * hd]);
        // residual adds ride the projections' matmul epilogues (no separate add kernel)
        h = linear(merged, p('self_attn.o_proj.weight'), null, h);
        const y = rmsNorm(h, p('post_attention_layernorm.weight'), c.rms_norm_eps);
        h = swiglu(y, p('mlp.gate_proj.weight'), p('mlp.up_proj.weight'), p('mlp.down_proj.weight'), h);
      }
      if (opts.cache) opts.cache.length = compact ? Math.max(opts.cache.length, ...Array.from(opts.cacheRows!, (r) => r + 1)) : Tk;
      const hn = rmsNorm(h, this.p('model.norm.weight'), c.rms_norm_eps);
      if (opts.hiddenOnly) return hn;
      const head = c.tie_word_embeddings ? this.p('model.embed_tokens.weight') : this.p('lm_head.weight');
      return linear(hn, head);
    });
  }

  dispose(): void {
    for (const t of this.params.values()) t.dispose();
    this.params.clear();
  }
}
