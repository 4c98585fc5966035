// The tensor-level decode and optimizer ops (src/tensor/ops/decode.ts, optim.ts): results
// against host float64 computations on ragged shapes, and bad input named clearly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as T from '../../src/tensor/index.js';
import { device } from './helpers.js';

const wave = (n: number, s: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + s));

test('kvScatter stores keys/values at per-token rows and skips negative rows', async () => {
  const gpu = await device();
  const [B, H, Tn, D, Tmax] = [2, 3, 2, 5, 4];
  const k = T.tensor(gpu, wave(B * H * Tn * D, 1), [B, H, Tn, D]), v = T.tensor(gpu, wave(B * H * Tn * D, 2), [B, H, Tn, D]);
  const kc = T.zeros(gpu, [B, H, Tmax, D]).realise(), vc = T.zeros(gpu, [B, H, Tmax, D]).realise();
  const rows = [3, -1, 0, 1];
  T.kvScatter(k, v, T.tensor(gpu, rows, [B, Tn], 'i32'), kc, vc);
  const [gk, gv, hk, hv] = [await kc.toArray(), await vc.toArray(), await k.toArray(), await v.toArray()];
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let r = 0; r < Tmax; r++) for (let d = 0; d < D; d++) {
    const t = [0, 1].find((t) => rows[b * Tn + t] === r);
    const src = t === undefined ? -1 : ((b * H + h) * Tn + t) * D + d;
    const dst = ((b * H + h) * Tmax + r) * D + d;
    assert.is(gk[dst], src < 0 ? 0 : hk[src], `k b${b} h${h} row ${r}`);
    assert.is(gv[dst], src < 0 ? 0 : hv[src], `v b${b} h${h} row ${r}`);
  }
  assert.throws(() => T.kvScatter(k, v, T.tensor(gpu, [0, 1], [2, 1], 'i32'), kc, vc), /kvScatter: rows must be i32 \[2, 2\]/);
  assert.throws(() => T.kvScatter(k, v, T.tensor(gpu, rows, [B, Tn], 'i32'), T.slice(kc, 2, 0, 2), vc), /kvScatter: kCache must be a packed f32 cache/);
});

test('decodeAttention matches a float64 softmax over each sequence\'s first len rows (grouped heads)', async () => {
  const gpu = await device();
  const [B, Hq, Hkv, Tmax, D] = [2, 4, 2, 7, 3];
  const q = wave(B * Hq * D, 3), kc = wave(B * Hkv * Tmax * D, 4), vc = wave(B * Hkv * Tmax * D, 5);
  const lengths = [5, 1];
  const out = T.decodeAttention(T.tensor(gpu, q, [B, Hq, 1, D]), T.tensor(gpu, kc, [B, Hkv, Tmax, D]), T.tensor(gpu, vc, [B, Hkv, Tmax, D]), T.tensor(gpu, lengths, [B], 'i32'));
  assert.equal(out.shape, [B, Hq, 1, D]);
  const got = await out.toArray();
  for (let b = 0; b < B; b++) for (let h = 0; h < Hq; h++) {
    const kv = b * Hkv + Math.floor(h / (Hq / Hkv));
    const s = Array.from({ length: lengths[b] }, (_, j) => {
      let dot = 0;
      for (let d = 0; d < D; d++) dot += q[(b * Hq + h) * D + d] * kc[(kv * Tmax + j) * D + d];
      return dot / Math.sqrt(D);
    });
    const m = Math.max(...s), e = s.map((x) => Math.exp(x - m)), z = e.reduce((a, c) => a + c, 0);
    for (let d = 0; d < D; d++) {
      const want = e.reduce((a, p, j) => a + (p / z) * vc[(kv * Tmax + j) * D + d], 0);
      assert.ok(Math.abs(got[(b * Hq + h) * D + d] - want) < 1e-5, `b${b} h${h} d${d}: ${got[(b * Hq + h) * D + d]} vs ${want}`);
    }
  }
  assert.throws(() => T.decodeAttention(T.tensor(gpu, wave(B * Hq * 2 * D, 0), [B, Hq, 2, D]), T.tensor(gpu, kc, [B, Hkv, Tmax, D]), T.tensor(gpu, vc, [B, Hkv, Tmax, D]), T.tensor(gpu, lengths, [B], 'i32')), /decodeAttention: q must be \[B, Hq, 1, D\]/);
});

test('selectTokens (greedy) picks each row\'s argmax with its log-softmax value; readTokens unpacks', async () => {
  const gpu = await device();
  const [B, V] = [3, 11];
  const logits = wave(B * V, 6);
  const sel = T.selectTokens(T.tensor(gpu, logits, [B, V]), T.tensor(gpu, new Uint32Array(2 * B), [2 * B], 'u32'), { temperature: 1, greedy: true, topK: 0, topP: 1, step: 0 });
  const { ids, logProbs } = await T.readTokens(sel);
  for (let b = 0; b < B; b++) {
    const row = Array.from(logits.subarray(b * V, (b + 1) * V));
    const best = row.indexOf(Math.max(...row));
    const lse = Math.log(row.reduce((a, x) => a + Math.exp(x), 0));
    assert.is(ids[b], best, `row ${b}`);
    assert.ok(Math.abs(logProbs[b] - (row[best] - lse)) < 1e-5, `row ${b} log-prob ${logProbs[b]} vs ${row[best] - lse}`);
  }
  assert.throws(() => T.selectTokens(T.tensor(gpu, logits, [B, V]), T.tensor(gpu, new Uint32Array(B), [B], 'u32'), { temperature: 1, greedy: true, topK: 0, topP: 1, step: 0 }), /selectTokens: seeds must be u32 \[6\]/);
});

test('globalNorm over tensors and views; adamwStep rejects a view parameter', async () => {
  const gpu = await device();
  const a = wave(13, 7), b = wave(20, 8);
  const bt = T.tensor(gpu, b, [4, 5]);
  const n = T.globalNorm([T.tensor(gpu, a, [13]), T.transpose(bt, 0, 1)]);
  const want = Math.sqrt([...a, ...b].reduce((s, x) => s + x * x, 0));
  assert.ok(Math.abs((await n.item()) - want) < 1e-5 * want, `norm ${await n.item()} vs ${want}`);
  const p = T.transpose(bt, 0, 1);
  const z = () => T.zeros(gpu, [5, 4]).realise();
  assert.throws(() => T.adamwStep([{ param: p, grad: z(), m: z(), v: z(), weightDecay: 0 }], { lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, step: 1 }), /adamwStep: slot 0: param must be a packed f32 tensor/);
});

test.run();
