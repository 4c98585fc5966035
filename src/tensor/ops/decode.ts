// The inference-only ops of autoregressive decoding, one kernel each and outside autograd:
//
//   kvScatter:       kCache[b, h, rows[b, t], :] = k[b, h, t, :] (and v), rows < 0 skipped
//   decodeAttention: out[b, h] = softmax(q[b, h] . K[b, h/g, 0..len_b-1]^T * scale) V[...]
//   selectTokens:    one token per row of logits [B, V] (greedy, or sampled from
//                    softmax(logits / temperature) after top-k / top-p, Philox-seeded per row),
//                    with its log-probability under the tempered full distribution
//
// The kernels are src/kernels/kv-scatter.ts, attention.ts (decode) and sampling.ts; the
// layouts (compact cache rows, lengths) are described there.
import { attentionDecode } from '../../kernels/attention.js';
import { kvScatter as kvScatterKernel } from '../../kernels/kv-scatter.js';
import { sampleTokens } from '../../kernels/sampling.js';
import type { Tensor } from '../tensor.js';
import { fmt, ShapeError } from '../shape.js';
import { empty } from './create.js';

function packedCache(op: string, name: string, t: Tensor): void {
  if (t.dtype !== 'f32' || t.rank !== 4 || !t.isContiguous || t.offset !== 0) {
    throw new ShapeError(`${op}: ${name} must be a packed f32 cache [B, H, Tmax, D], got ${t.dtype} ${fmt(t.shape)}${t.isContiguous ? '' : ' (a view)'}`);
  }
}

function ints(op: string, name: string, t: Tensor, shape: readonly number[]): void {
  if (t.dtype !== 'i32' || t.shape.join() !== shape.join()) throw new ShapeError(`${op}: ${name} must be i32 ${fmt(shape)}, got ${t.dtype} ${fmt(t.shape)}`);
}

/** Store keys and values k, v [B, H, T, D] into the caches [B, H, Tmax, D] at rows [B, T] (i32, < 0: skip), in place. */
export function kvScatter(k: Tensor, v: Tensor, rows: Tensor, kCache: Tensor, vCache: Tensor): void {
  const op = 'kvScatter';
  if (k.rank !== 4 || v.shape.join() !== k.shape.join()) throw new ShapeError(`${op}: keys ${fmt(k.shape)} and values ${fmt(v.shape)} must both be [B, H, T, D]`);
  const [B, H, Tn, D] = k.shape;
  packedCache(op, 'kCache', kCache);
  packedCache(op, 'vCache', vCache);
  const Tmax = kCache.shape[2];
  if (kCache.shape.join() !== [B, H, Tmax, D].join() || vCache.shape.join() !== kCache.shape.join()) {
    throw new ShapeError(`${op}: caches ${fmt(kCache.shape)}, ${fmt(vCache.shape)} do not hold keys ${fmt(k.shape)}`);
  }
  ints(op, 'rows', rows, [B, Tn]);
  const kd = k.packed(), vd = v.packed(), rd = rows.packed();
  kCache.storage!.beforeWrite();
  vCache.storage!.beforeWrite();
  kvScatterKernel(k.gpu, { k: kd.storage!.buffer, v: vd.storage!.buffer, kCache: kCache.storage!.buffer, vCache: vCache.storage!.buffer, rows: rd.storage!.buffer, B, H, T: Tn, D, Tmax });
  kd.dispose();
  vd.dispose();
  rd.dispose();
}

/**
 * One query per sequence, q [B, Hq, 1, D], against rows 0..lengths[b]-1 of its caches
 * [B, Hkv, Tmax, D] (grouped heads: query head h reads kv head h / (Hq / Hkv)) -> [B, Hq, 1, D].
 */
export function decodeAttention(q: Tensor, kCache: Tensor, vCache: Tensor, lengths: Tensor, scale = 1 / Math.sqrt(q.shape[3])): Tensor {
  const op = 'decodeAttention';
  if (q.rank !== 4 || q.shape[2] !== 1) throw new ShapeError(`${op}: q must be [B, Hq, 1, D], got ${fmt(q.shape)}`);
  const [B, Hq, , D] = q.shape;
  packedCache(op, 'kCache', kCache);
  packedCache(op, 'vCache', vCache);
  const [, Hkv, Tmax] = kCache.shape;
  if (kCache.shape[0] !== B || kCache.shape[3] !== D || Hkv === 0 || Hq % Hkv !== 0 || vCache.shape.join() !== kCache.shape.join()) {
    throw new ShapeError(`${op}: caches ${fmt(kCache.shape)}, ${fmt(vCache.shape)} do not fit q ${fmt(q.shape)} (want [B, Hkv, Tmax, D] with Hkv dividing Hq)`);
  }
  ints(op, 'lengths', lengths, [B]);
  const qd = q.packed(), ld = lengths.packed();
  const out = empty(q.gpu, [B, Hq, 1, D]);
  attentionDecode(q.gpu, { q: qd.storage!.buffer, kCache: kCache.storage!.buffer, vCache: vCache.storage!.buffer, lengths: ld.storage!.buffer, out: out.storage!.buffer, B, Hq, Hkv, Tmax, D, scale });
  qd.dispose();
  ld.dispose();
  return out;
}

export interface TokenSelection {
  /** > 0: sample from softmax(logits / temperature); also tempers the reported log-prob */
  temperature: number;
  /** pick the argmax (lowest id on ties) */
  greedy: boolean;
  /** keep the k most likely tokens (0: off) */
  topK: number;
  /** keep the smallest top set with mass >= topP (1: off) */
  topP: number;
  /** the Philox counter: the decoding step (a fresh uniform per row and step) */
  step: number;
}

/**
 * One token per row of logits [B, V] (f32), each row drawing from its Philox key in
 * seeds (u32 [2 B]). Returns u32 [2 B]: the ids (i32 bits) then their log-probs (f32
 * bits); `readTokens` unpacks it with one readback.
 */
export function selectTokens(logits: Tensor, seeds: Tensor, sel: TokenSelection): Tensor {
  const op = 'selectTokens';
  if (logits.rank !== 2 || logits.dtype !== 'f32') throw new ShapeError(`${op}: logits must be f32 [B, V], got ${logits.dtype} ${fmt(logits.shape)}`);
  const [B, V] = logits.shape;
  if (seeds.dtype !== 'u32' || seeds.shape.join() !== String(2 * B)) throw new ShapeError(`${op}: seeds must be u32 [${2 * B}] (a Philox key per row), got ${seeds.dtype} ${fmt(seeds.shape)}`);
  const ld = logits.packed(), sd = seeds.packed();
  const out = empty(logits.gpu, [2 * B], 'u32');
  sampleTokens(logits.gpu, {
    logits: ld.storage!.buffer, offset: 0, rowStride: V, rows: B, vocab: V, seeds: sd.storage!.buffer,
    step: sel.step, temperature: sel.temperature, greedy: sel.greedy, topK: sel.topK, topP: sel.topP, out: out.storage!.buffer,
  });
  ld.dispose();
  sd.dispose();
  return out;
}

/** The ids and log-probs of a `selectTokens` result (one readback). */
export async function readTokens(selected: Tensor): Promise<{ ids: Int32Array; logProbs: Float32Array }> {
  const B = selected.size / 2;
  const raw = (await selected.toArray()).buffer;
  return { ids: new Int32Array(raw, 0, B), logProbs: new Float32Array(raw, 4 * B, B) };
}
