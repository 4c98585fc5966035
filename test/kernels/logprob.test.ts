// Fused log-prob / entropy / cross-entropy forward and backward vs float64, checked against
// finite differences of the reference too (so the reference's gradient formula is tested).
// Tolerances: logp/lse/entropy 2e-5 + 1e-5 rel; gradients 1e-5 + 1e-4 rel.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu, getGpuFamily, rng, randn, randInt, upload, download, assertClose, type Gpu } from './helpers.js';
import { logprob, logprobBackward } from '../../src/kernels/logprob.js';
import { crossEntropy, crossEntropyBackward } from '../../src/kernels/cross-entropy.js';
import { refLogprob, refLogprobBackward } from '../../src/kernels/reference/logprob.js';
import type { RowPlan } from '../../src/kernels/softmax.js';

async function one(gpu: Gpu, rows: number, V: number, seed: number, scale: number, plan?: RowPlan) {
  const r = rng(seed);
  const x = randn(r, rows * V, 2);
  const t = Int32Array.from({ length: rows }, (_, i) => (i % 5 === 4 ? -1 : i % 7 === 6 ? V + 3 : randInt(r, 0, V - 1)));
  const dlogp = randn(r, rows), dent = randn(r, rows);
  const X = upload(gpu, x), T = upload(gpu, t), LP = gpu.alloc(rows * 4), LSE = gpu.alloc(rows * 4), ENT = gpu.alloc(rows * 4);
  logprob(gpu, { logits: X, targets: T, logp: LP, lse: LSE, entropy: ENT, rows, vocab: V, scale, plan });
  const want = refLogprob(x, t, rows, V, scale);
  const label = `logprob ${rows}x${V} scale=${scale} plan=${JSON.stringify(plan)}`;
  assertClose(await download(gpu, LP, rows), want.logp, 2e-5, 1e-5, label + ' logp');
  assertClose(await download(gpu, LSE, rows), want.lse, 2e-5, 1e-5, label + ' lse');
  assertClose(await download(gpu, ENT, rows), want.entropy, 2e-5, 1e-5, label + ' entropy');
  const DLP = upload(gpu, dlogp), DENT = upload(gpu, dent), DX = gpu.alloc(rows * V * 4);
  logprobBackward(gpu, { logits: X, targets: T, lse: LSE, dlogp: DLP, dlogits: DX, rows, vocab: V, scale, plan });
  assertClose(await download(gpu, DX, rows * V), refLogprobBackward(x, t, rows, V, dlogp, null, scale), 1e-5, 1e-4, label + ' dlogits');
  logprobBackward(gpu, { logits: X, targets: T, lse: LSE, dlogp: DLP, dlogits: DX, dentropy: DENT, entropy: ENT, rows, vocab: V, scale, plan, accumulate: true });
  const first = refLogprobBackward(x, t, rows, V, dlogp, null, scale), second = refLogprobBackward(x, t, rows, V, dlogp, dent, scale);
  const two = first.map((v, i) => v + second[i]);
  assertClose(await download(gpu, DX, rows * V), two, 2e-5, 1e-4, label + ' dlogits with entropy, accumulated');
  for (const b of [X, T, LP, LSE, ENT, DLP, DENT, DX]) gpu.free(b);
}

test('reference gradient matches finite differences', () => {
  const r = rng(3);
  const rows = 2, V = 5;
  const x = Array.from(randn(r, rows * V)), t = [1, 4], dl = [0.7, -1.3], de = [0.4, 0.9];
  const f = (xx: number[]) => { const o = refLogprob(xx, t, rows, V, 0.8); let s = 0; for (let i = 0; i < rows; i++) s += dl[i] * o.logp[i] + de[i] * o.entropy[i]; return s; };
  const g = refLogprobBackward(x, t, rows, V, dl, de, 0.8);
  for (let i = 0; i < x.length; i++) {
    const h = 1e-6, xp = x.slice(), xm = x.slice();
    xp[i] += h; xm[i] -= h;
    assert.ok(Math.abs((f(xp) - f(xm)) / (2 * h) - g[i]) < 1e-6, `fd ${i}`);
  }
});

test('forward and backward on ragged shapes and row layouts', async () => {
  const gpu = await getGpu();
  let seed = 10;
  for (const [rows, V] of [[1, 1], [3, 7], [16, 33], [5, 1000], [130, 64], [2, 5003]]) await one(gpu, rows, V, seed++, 1);
  await one(gpu, 9, 40, seed++, 1 / 0.7);
  await one(gpu, 9, 41, seed++, -0.5);
  await one(gpu, 20, 96, seed++, 1, { tpr: 8, wg: 32, vw: 4 });
  await one(gpu, 20, 97, seed++, 1, { tpr: 32, wg: 64, vw: 1 });
});

test('gpu family (forced): default plans, vocab 1..5000', async () => {
  const gpu = await getGpuFamily();
  let seed = 300;
  for (const [rows, V] of [[1, 1], [3, 7], [7, 300], [3, 2048], [2, 4999], [2, 5000]]) await one(gpu, rows, V, seed++, 1);
  await one(gpu, 4, 3001, seed++, 1 / 0.7);
});

for (const [family, V] of [['own', 50], ['gpu', 2500]] as const) test(`cross-entropy = -logp with ignore index, gradient zero on ignored rows (${family} family, V=${V})`, async () => {
  const gpu = family === 'gpu' ? await getGpuFamily() : await getGpu();
  const r = rng(5);
  const rows = 6;
  const x = randn(r, rows * V);
  const t = Int32Array.from([3, -100, 49, 0, V - 1, -100]);
  const dl = Float32Array.from([1, 1, 0.5, 2, -1, 3]);
  const X = upload(gpu, x), T = upload(gpu, t), L = gpu.alloc(rows * 4), LSE = gpu.alloc(rows * 4), DL = upload(gpu, dl), DX = gpu.alloc(rows * V * 4);
  crossEntropy(gpu, { logits: X, targets: T, loss: L, lse: LSE, rows, vocab: V });
  const want = refLogprob(x, t, rows, V, 1, -100);
  assertClose(await download(gpu, L, rows), want.logp.map((v) => -v), 2e-5, 1e-5, 'loss');
  crossEntropyBackward(gpu, { logits: X, targets: T, lse: LSE, dloss: DL, dlogits: DX, rows, vocab: V });
  const g = refLogprobBackward(x, t, rows, V, dl.map((v) => -v), null, 1, -100);
  const got = await download(gpu, DX, rows * V);
  assertClose(got, g, 1e-5, 1e-4, 'dlogits');
  for (let j = 0; j < V; j++) assert.is(got[1 * V + j], 0);
});

test.run();
